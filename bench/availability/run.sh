#!/usr/bin/env bash
# The availability drill, end to end: scripts/pair up, a video on the master, then simulated app users
# (Embassy.Client's 50/50 + 1 h + 3 s policy) while the drill kills -9 the master application, restarts it,
# kills -9 the primary database and restarts it; then scripts/pair down.
# usage: bench/availability/run.sh [SESSIONS_PER_SECOND=83] [DURATION_SECONDS=120]
#   83 sessions/s = 50,000 daily users compressed into 10 minutes; 830 = ten times that.
# Last lines: AVAILABILITY requests=N failed=N within3500ms=P% master_share=P%
#             PUBLISHING published=N acknowledged=N lost=N visible_on_standby_p50_ms=N p99_ms=N  (editors, one alert a second)
set -euo pipefail
cd "$(dirname "$0")/../.."
rate=${1:-83} duration=${2:-120}
# The servers' logs are kept in /tmp/embassy-drill-logs (the pair's folder is removed on the way out).
trap 'rm -rf /tmp/embassy-drill-logs; mkdir -p /tmp/embassy-drill-logs; for h in A B; do cp -r .pair/$h/log /tmp/embassy-drill-logs/$h 2>/dev/null || true; done; scripts/pair down >/dev/null 2>&1 || true' EXIT
scripts/pair down >/dev/null 2>&1 || true
# EMBASSY_PAIR_FRONT=1: each server behind its front (scripts/pair up --front), the users reading through it.
scripts/pair up ${EMBASSY_PAIR_FRONT:+--front} | tee /tmp/embassy-drill-pair.txt
source .pair/urls
master_url=$MASTER_URL standby_url=$STANDBY_URL

echo "== a video on the master (for the users' seeks)"
video=/tmp/embassy-drill-video.mp4
[ -s "$video" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=duration=30:size=640x360:rate=25" \
  -c:v libx264 -preset ultrafast -b:v 2M "$video"
token=$(curl -s -c /tmp/embassy-drill.jar -H 'Content-Type: application/json' -d '{"userName":"admin","password":"Pair-Admin-Password-1"}' \
  "$master_url/admin/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["antiforgeryToken"])')
curl -s -b /tmp/embassy-drill.jar -H "X-CSRF-TOKEN: $token" -T "$video" "$master_url/admin/api/media/videos/drill.mp4" -o /dev/null -w 'upload %{http_code}\n'
for _ in $(seq 150); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$standby_url/media/videos/drill.mp4")" = 200 ] && break; sleep 0.2; done

echo "== load: $rate sessions/s for $duration s; faults at 20%, 40%, 60%, 80% of the run"
dotnet build bench/availability -c Release --nologo -v quiet
dotnet bench/availability/bin/Release/net10.0/Embassy.Availability.dll --master "$master_url/" --standby "$standby_url/" \
  --sessions-per-second "$rate" --duration "$duration" --video /media/videos/drill.mp4 > /tmp/embassy-drill-load.txt 2>&1 &
load=$!
# Editors publish an alert a second on the master through the CMI form, throughout the faults.
bench/drills/editor.py drill "$master_url" "$standby_url" "$duration" > /tmp/embassy-drill-publishing.txt 2>&1 &
editors=$!
step=$((duration / 5))
sleep "$step"; scripts/pair kill-master
sleep "$step"; scripts/pair start-master
sleep "$step"; scripts/pair kill-primary
sleep "$step"; scripts/pair start-primary
status=0; wait "$load" || status=$?
wait "$editors" || true
cat /tmp/embassy-drill-load.txt
tail -1 /tmp/embassy-drill-publishing.txt
exit "$status"
