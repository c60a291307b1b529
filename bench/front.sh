#!/usr/bin/env bash
# The front (#33, deploy/nginx/embassy-front.conf) in front of the app, measured as production runs it: the starter
# content plus N generated items on the embedded default, the app on loopback behind Debian's nginx.
#   list           a cached API list through the front, requests/s against nginx serving the same bytes (same run)
#   derivative     a 480-px derivative of a 12-megapixel JPEG through the front (kept by it), the same way
#   original       the 12-megapixel JPEG itself on /media (decided by the app, sent by nginx), the same way
#   video          a 200 MB MP4 on /media: 200 connections asking random 1 MiB ranges (video-vs-nginx.sh's saturate)
#   range          range-check.sh on the video through the front: how many checks failed
#   publish        publications (a recipe import each, in another process, as an editor's publish is a commit) until
#                  the new title shows through the front: p99 in ms, with the app's head poll at its default (1 s)
#   app down       the app killed (-9): reads of URLs the front has cached, for 60 s, from 8 clients; failures
# usage: bench/front.sh [N=2000] [PUBLICATIONS=20] [DOWN_SECONDS=60]
# Last line: FRONT derivative=R original=R video=R list=R app_down_failed=N publish_visible_p99_ms=N range_failed=N
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

photos=/tmp/embassy-bench-photos video=/tmp/embassy-bench-200mb.mp4   # as bench/images.sh and bench/video.sh make them
mkdir -p "$photos"
[ -s "$photos/12mp.jpg" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "mandelbrot=s=4000x3000:maxiter=200:start_scale=3,noise=alls=20:allf=t" \
  -frames:v 1 -q:v 2 "$photos/12mp.jpg"
if [ ! -s "$video" ] || [ "$(stat -c %s "$video")" -lt 200000000 ]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=duration=90:size=1280x720:rate=30" -f lavfi -i "sine=frequency=440:duration=90" \
    -c:v libx264 -preset ultrafast -b:v 24M -maxrate 24M -bufsize 24M -c:a aac -shortest -movflags +faststart "$video"
fi

echo "== build (Release) and $n generated items"
dotnet publish Embassy.Cms -c Release -o "$work/app" --nologo -v quiet
python3 bench/generate-items.py "$n" "$work/items.json"
export Embassy__DataDirectory=$work/data MobileApi__RateLimitPerSecond=1000000 MobileApi__RateLimitBurst=1000000 \
  Embassy__Setup__AdminPassword=Bench-Password-1 Embassy__Security__RequireTwoFactorFor= Embassy__Proxy__KnownProxies__0=127.0.0.1 \
  Embassy__Media__MaxImageBytes=104857600 Embassy__Media__RateLimitPerSecond=1000000 Embassy__Media__RateLimitBurst=1000000 \
  Embassy__Media__MaxStreamsPerClient=100000 Embassy__Video__FfmpegPath=/nonexistent
# One machine plays every client from 127.0.0.1: the front's per-address limits are lifted as the app's are.
export STREAMS_PER_CLIENT=60000 MEDIA_PER_SECOND=1000000 MEDIA_BURST=1000000
(cd "$work/app" && ./Embassy.Cms recipes import "$work/items.json" | tail -1)
app_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work/app" && exec ./Embassy.Cms --urls "http://127.0.0.1:$app_port" > "$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$app_port/health/live" && break; sleep 0.2; done
front_start "$app_port" "$work/front" "$work/data"
front=http://127.0.0.1:$FRONT_PORT
list="$front/api/v1/content/News?culture=pl&limit=20"
echo "front on $front, app on 127.0.0.1:$app_port"

echo "== list of 20 through the front (cached by nginx), against nginx serving the same bytes"
wrk -t2 -c64 -d5s "$list" > /dev/null
list_line=$(bash "$shared/http-vs-nginx.sh" "$list" --dur 10s | tail -1)
echo "$list_line"
list_ratio=$(sed -n 's/.*rps_ratio=\([0-9.]*\).*/\1/p' <<< "$list_line")

echo "== media: a derivative and an original (12 MP JPEG), a 200 MB video, uploaded to the app"
app=http://127.0.0.1:$app_port
token=$(curl -s -c "$work/jar" -H 'Content-Type: application/json' -d '{"userName":"admin","password":"Bench-Password-1"}' \
  "$app/admin/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["antiforgeryToken"])')
upload() { curl -s -b "$work/jar" -H "X-CSRF-TOKEN: $token" -T "$1" "$app/admin/api/media/bench/$2" -o /dev/null -w "%{http_code}"; }
echo "uploads: $(upload "$photos/12mp.jpg" 12mp.jpg) $(upload "$video" bench.mp4)"
derivative="$front/media/bench/12mp.jpg?width=480"
curl -s -o /dev/null "$derivative"
wrk -t2 -c64 -d5s "$derivative" > /dev/null
derivative_line=$(bash "$shared/http-vs-nginx.sh" "$derivative" --dur 10s | tail -1)
echo "derivative: $derivative_line"
original="$front/media/bench/12mp.jpg"
wrk -t2 -c64 -d5s "$original" > /dev/null
original_line=$(bash "$shared/http-vs-nginx.sh" "$original" --dur 10s --pid "$server_pid" | tail -1)
echo "original: $original_line"
video_line=$(bash "$shared/video-vs-nginx.sh" "$front/media/bench/bench.mp4" "$video" --pid "$server_pid" | tail -1)
echo "video: $video_line"
range_line=$(bash "$shared/range-check.sh" "$front/media/bench/bench.mp4" "$video" | tail -1)
echo "range-check through the front: $range_line"
ratio_of() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$2"; }

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
echo "FRONT derivative=$(ratio_of rps_ratio "$derivative_line") original=$(ratio_of rps_ratio "$original_line") video=$(ratio_of saturate_ratio "$video_line") list=$list_ratio app_down_failed=${failed% *} publish_visible_p99_ms=$p99 range_failed=$(sed -n 's/.* \([0-9]*\) failed/\1/p' <<< "$range_line")"
