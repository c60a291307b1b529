#!/usr/bin/env bash
# Video streaming against nginx serving the same file (../shared/bench/video-vs-nginx.sh): a ~200 MB MP4
# made by ffmpeg, uploaded through the real upload API, then "saturate" (200 connections, random 1 MiB
# ranges) and "paced" (N players asking 1 MiB every 3-5 s). usage: bench/video.sh [PLAYERS=1000] [DURATION=15s]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
players=${1:-1000} dur=${2:-15s}
work=$(mktemp -d /tmp/embassy-bench-video.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

video=/tmp/embassy-bench-200mb.mp4   # kept between runs: making it takes a minute
if [ ! -s "$video" ] || [ "$(stat -c %s "$video")" -lt 200000000 ]; then
  echo "== making a 200 MB test video with ffmpeg"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=duration=90:size=1280x720:rate=30" -f lavfi -i "sine=frequency=440:duration=90" \
    -c:v libx264 -preset ultrafast -b:v 24M -maxrate 24M -bufsize 24M -c:a aac -shortest -movflags +faststart "$video"
fi
ls -la "$video"

echo "== build (Release), start, upload"
dotnet publish Embassy.Cms -c Release -o "$work/app" --nologo -v quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
# One machine plays every client from 127.0.0.1: the per-address limits of a real server are lifted, and the admin
# (who uploads the file) signs in with a password only, as on a test instance.
(cd "$work/app" && exec env Embassy__DataDirectory="$work/data" Embassy__Setup__AdminPassword=Bench-Password-1 \
  Embassy__Security__RequireTwoFactorFor= Embassy__Media__MaxStreamsPerClient=100000 \
  Embassy__Media__RateLimitPerSecond=1000000 Embassy__Media__RateLimitBurst=1000000 \
  Embassy__Video__FfmpegPath=/nonexistent ./Embassy.Cms --urls "$base" > "$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "$base/health/live" && break; sleep 0.2; done
token=$(curl -s -c "$work/jar" -H 'Content-Type: application/json' -d '{"userName":"admin","password":"Bench-Password-1"}' \
  "$base/admin/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["antiforgeryToken"])')
curl -s -b "$work/jar" -H "X-CSRF-TOKEN: $token" -T "$video" "$base/admin/api/media/videos/bench.mp4" -o /dev/null -w 'upload: %{http_code} in %{time_total} s\n'

echo "== range semantics"
bash "$root/tests/tools/range-check.sh" "$base/media/videos/bench.mp4" "$video" | tail -1
echo "== throughput against nginx"
bash "$root/../shared/bench/video-vs-nginx.sh" "$base/media/videos/bench.mp4" "$video" --paced "$players" --dur "$dur" --pid "$server_pid"
