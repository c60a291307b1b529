#!/usr/bin/env bash
# The front (#33, deploy/nginx/embassy-front.conf) in front of the app, measured as production runs it: the starter
# content plus N generated items on the embedded default, the app on loopback behind Debian's nginx.
#   list           a cached API list through the front, requests/s against nginx serving the same bytes (same run)
#   publish        publications (a recipe import each, in another process, as an editor's publish is a commit) until
#                  the new title shows through the front: p99 in ms, with the app's head poll at its default (1 s)
#   app down       the app killed (-9): reads of URLs the front has cached, for 60 s, from 8 clients; failures
# usage: bench/front.sh [N=2000] [PUBLICATIONS=20] [DOWN_SECONDS=60]
# Last line: FRONT derivative=… original=… video=… list=R app_down_failed=N publish_visible_p99_ms=N range_failed=…
# (media is not sent by nginx yet: those figures are n/a until it is.)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-2000} publications=${2:-20} down=${3:-60}
shared=$root/../shared/bench
source scripts/lib/front.sh
work=$(mktemp -d /tmp/embassy-bench-front.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null; front_stop; rm -rf "$work"
}
trap cleanup EXIT

echo "== build (Release) and $n generated items"
dotnet publish Embassy.Cms -c Release -o "$work/app" --nologo -v quiet
python3 bench/generate-items.py "$n" "$work/items.json"
export Embassy__DataDirectory=$work/data MobileApi__RateLimitPerSecond=1000000 MobileApi__RateLimitBurst=1000000 \
  Embassy__Setup__AdminPassword=Bench-Password-1 Embassy__Security__RequireTwoFactorFor= Embassy__Proxy__KnownProxies__0=127.0.0.1
(cd "$work/app" && ./Embassy.Cms recipes import "$work/items.json" | tail -1)
app_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work/app" && exec ./Embassy.Cms --urls "http://127.0.0.1:$app_port" > "$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$app_port/health/live" && break; sleep 0.2; done
front_start "$app_port" "$work/front"
front=http://127.0.0.1:$FRONT_PORT
list="$front/api/v1/content/News?culture=pl&limit=20"
echo "front on $front, app on 127.0.0.1:$app_port"

echo "== list of 20 through the front (cached by nginx), against nginx serving the same bytes"
wrk -t2 -c64 -d5s "$list" > /dev/null
list_line=$(bash "$shared/http-vs-nginx.sh" "$list" --dur 10s | tail -1)
echo "$list_line"
list_ratio=$(sed -n 's/.*rps_ratio=\([0-9.]*\).*/\1/p' <<< "$list_line")

echo "== $publications publications, each until it shows through the front"
visible=()
for i in $(seq "$publications"); do
  title="Front publication $i $RANDOM"
  python3 - "$work/pub.json" "$title" <<'PY'
import json, sys, uuid
path, title = sys.argv[1], sys.argv[2]
item = {"ContentItemId": uuid.uuid4().hex[:26], "ContentType": "News", "DisplayText": title, "Published": True, "Latest": True,
        "PublishedUtc": "2030-01-01T00:00:00Z",  # after every generated item: at the top of the newest-first list
        "TitlePart": {"Title": title}, "LocalizationPart": {"Culture": "pl", "LocalizationSet": uuid.uuid4().hex[:26]},
        "News": {"Summary": {"Text": "Przez front."}}}
json.dump({"name": "FrontPublication", "steps": [{"name": "Content", "data": [item]}]}, open(path, "w"))
PY
  (cd "$work/app" && ./Embassy.Cms recipes import "$work/pub.json" > /dev/null)
  start=$(date +%s%N)
  until curl -s "$list" | grep -q "$title"; do
    sleep 0.02
    (( ($(date +%s%N) - start) / 1000000 < 20000 )) || { echo "publication $i not visible through the front in 20 s" >&2; exit 1; }
  done
  visible+=($(( ($(date +%s%N) - start) / 1000000 )))
done
p99=$(printf '%s\n' "${visible[@]}" | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99+0.999); if (i>NR) i=NR; print a[i]}')
echo "visible after (ms): ${visible[*]}"

echo "== the app killed: $down s of reads of cached URLs through the front"
urls=("$list" "$front/api/v1/content/News?culture=en&limit=20" "$front/api/v1/types" "$front/api/v1/cultures"
  "$front/api/v1/sync?types=News&culture=pl&limit=20")
for u in "${urls[@]}"; do curl -s -o /dev/null "$u"; done
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
failed=$(python3 - "$down" "${urls[@]}" <<'PY'
import sys, time, threading, urllib.request
down, urls = float(sys.argv[1]), sys.argv[2:]
failed, done, lock = [0], [0], threading.Lock()
end = time.time() + down
def client():
    i = 0
    while time.time() < end:
        try:
            with urllib.request.urlopen(urls[i % len(urls)], timeout=3) as r:
                ok = r.status == 200
                r.read()
        except Exception:
            ok = False
        with lock:
            done[0] += 1
            failed[0] += 0 if ok else 1
        i += 1
threads = [threading.Thread(target=client) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
print(failed[0], done[0])
PY
)
echo "reads with the app down: ${failed#* } sent, ${failed% *} failed"
echo "FRONT derivative=n/a original=n/a video=n/a list=$list_ratio app_down_failed=${failed% *} publish_visible_p99_ms=$p99 range_failed=n/a"
