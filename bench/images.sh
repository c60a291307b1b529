#!/usr/bin/env bash
# Image transforms on /media (docs/adr/0008-images.md), on the Release build with the embedded default:
#  1. a cached derivative's requests/s against nginx serving the same bytes (../shared/bench/http-vs-nginx.sh; target ≥ 0.8);
#  2. a cold resize of a 12-megapixel JPEG to 480 px against Debian's vipsthumbnail on the same file (target: within 2×);
#  3. 20 concurrent cold resizes of 24-megapixel JPEGs, the server's peak RSS (target: under 500 MB).
# usage: bench/images.sh [DURATION=10s] [STEPS=123]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dur=${1:-10s} steps=${2:-123}
command -v vipsthumbnail >/dev/null || { echo "== installing libvips-tools (vipsthumbnail)"; apt-get install -y -qq libvips-tools >/dev/null; }
work=$(mktemp -d /tmp/embassy-bench-images.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# Camera-like JPEGs (detail and noise everywhere, quality 2 ≈ 92): kept between runs.
photos=/tmp/embassy-bench-photos
mkdir -p "$photos"
make_photo() { # name size seed
  [ -s "$photos/$1" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "mandelbrot=s=$2:maxiter=200:start_scale=$3,noise=alls=20:allf=t" \
    -frames:v 1 -q:v 2 "$photos/$1"
}
make_photo 12mp.jpg 4000x3000 3
for i in $(seq 1 20); do make_photo "24mp-$i.jpg" 6000x4000 "$((i + 1))"; done
ls -la "$photos/12mp.jpg" "$photos/24mp-1.jpg"

echo "== build (Release), start, upload"
dotnet publish Embassy.Cms -c Release -o "$work/app" --nologo -v quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
# One machine plays every client from 127.0.0.1: the per-address limits are lifted. 20 transforms may run at once
# (the default is one per core) so that step 3 measures 20 decodes in memory together, the worst an operator could allow.
(cd "$work/app" && exec env Embassy__DataDirectory="$work/data" Embassy__Setup__AdminPassword=Bench-Password-1 \
  Embassy__Security__RequireTwoFactorFor= Embassy__Media__MaxStreamsPerClient=100000 \
  Embassy__Media__RateLimitPerSecond=1000000 Embassy__Media__RateLimitBurst=1000000 Embassy__Media__MaxImageBytes=104857600 \
  Embassy__Media__Images__MaxConcurrentTransforms=20 Embassy__Media__Images__QueueTimeout=00:01:00 \
  Embassy__Video__FfmpegPath=/nonexistent ./Embassy.Cms --urls "$base" > "$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 150); do curl -s -o /dev/null "$base/health/live" && break; sleep 0.2; done
token=$(curl -s -c "$work/jar" -H 'Content-Type: application/json' -d '{"userName":"admin","password":"Bench-Password-1"}' \
  "$base/admin/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["antiforgeryToken"])')
upload() { curl -s -b "$work/jar" -H "X-CSRF-TOKEN: $token" -T "$1" "$base/admin/api/media/bench/$2" -o /dev/null -w "%{http_code}"; }
echo "upload 12mp.jpg: $(upload "$photos/12mp.jpg" 12mp.jpg)"
for i in $(seq 1 20); do upload "$photos/24mp-$i.jpg" "24mp-$i.jpg" >/dev/null; done
rss() { awk '/VmRSS/{printf "%d", $2/1024}' "/proc/$server_pid/status"; }
hwm() { awk '/VmHWM/{printf "%d", $2/1024}' "/proc/$server_pid/status"; }
echo "server after uploads: VmRSS $(rss) MB, VmHWM $(hwm) MB"
# As in production, where Prometheus scrapes /metrics: the first scrape starts prometheus-net's event-counter listener.
curl -s -o /dev/null "$base/metrics"

if [[ $steps == *2* ]]; then
echo "== 2. cold resize of a 12 MP JPEG to 480 px: this server vs vipsthumbnail (10 runs each, median)"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# Each request is a new derivative (another quality), so each is a cold transform: decode, resize, encode, write.
ours=$(for q in $(seq 70 79); do curl -s -o /dev/null -w '%{time_total}\n' "$base/media/bench/12mp.jpg?width=480&quality=$q"; done | median)
vips=$(for q in $(seq 70 79); do /usr/bin/time -f '%e' vipsthumbnail "$photos/12mp.jpg" -s 480 -o "$work/vips.jpg[Q=$q,strip]" 2>&1 >/dev/null | tail -1; done | median)
echo "COLD ours_s=$ours vipsthumbnail_s=$vips ratio=$(awk -v a="$ours" -v b="$vips" 'BEGIN{printf "%.2f", a/b}') (target ≤ 2)"

fi
if [[ $steps == *3* ]]; then
echo "== 3. 20 concurrent cold resizes of 24 MP JPEGs to 1024 px"
before=$(hwm)
start=$(date +%s.%N)
codes=$(seq 1 20 | xargs -P 20 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$base/media/bench/24mp-{}.jpg?width=1024&format=webp" | sort | uniq -c | tr '\n' ' ')
end=$(date +%s.%N)
echo "CONCURRENT answers: $codes in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s; peak RSS (VmHWM) $(hwm) MB (before: $before MB; target < 500)"

fi
if [[ $steps == *1* ]]; then
echo "== 1. a cached derivative against nginx serving the same bytes"
url="$base/media/bench/12mp.jpg?profile=thumbnail&rxy=0.5,0.5"
curl -s -o /dev/null "$url"
bash "$root/../shared/bench/http-vs-nginx.sh" "$url" --dur "$dur" --pid "$server_pid"
fi
if [[ $steps == *o* ]]; then
  echo "== (for comparison) the same bytes as an original file on /media"
  curl -s -o "$work/thumb.jpg" "$base/media/bench/12mp.jpg?profile=thumbnail&rxy=0.5,0.5"
  echo "upload: $(upload "$work/thumb.jpg" thumb.jpg)"
  bash "$root/../shared/bench/http-vs-nginx.sh" "$base/media/bench/thumb.jpg" --dur "$dur" --pid "$server_pid"
fi
