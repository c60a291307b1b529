#!/usr/bin/env bash
# Search with N published items (default 10,000: half Polish, half English, bodies of ~120 varied words):
#  - rebuild: `Embassy.Cms search rebuild` (target < 60 s) and its peak RSS;
#  - publish → searchable: an alert published through the CMI's form until /api/v1/search finds it (target < 5 s), 20 times;
#  - queries: wrk at 64 connections over a list of Polish and English queries (target p99 < 20 ms), with the response
#    cache (as served) and without it (every query run on the index); the server's peak RSS.
# usage: bench/search.sh [N=10000] [DURATION=10s]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-10000} dur=${2:-10s}
source scripts/lib/mariadb.sh
work=$(mktemp -d /tmp/embassy-bench-search.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
[ -f /usr/share/hunspell/pl_PL.dic ] || { echo "hunspell-pl is not installed: apt-get install hunspell-pl" >&2; exit 1; }

echo "== build (Release) and $n generated items"
dotnet publish Embassy.Cms -c Release -o "$work/app" --nologo -v quiet
python3 bench/generate-items.py "$n" "$work/items.json" --varied
port=$(mariadb_free_port)
base=http://127.0.0.1:$port
export Embassy__DataDirectory="$work/data" Embassy__Setup__AdminPassword=Pair-Admin-Password-1 Embassy__Security__RequireTwoFactorFor= \
  Embassy__Security__SignInAttemptsPerMinute=100000 MobileApi__RateLimitPerSecond=1000000 MobileApi__RateLimitBurst=1000000 Logging__LogLevel__Default=Warning
(cd "$work/app" && ./Embassy.Cms recipes import "$work/items.json" | tail -1)

peak() { # peak RSS (MB) of a command's process tree
  python3 -c 'import resource,subprocess,sys; r=subprocess.run(sys.argv[1:]); print(f"PEAK_RSS_MB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss//1024}", file=sys.stderr); sys.exit(r.returncode)' "$@"
}
echo "== rebuild"
start=$(date +%s.%N)
(cd "$work/app" && peak ./Embassy.Cms search rebuild 2> "$work/rebuild.err" | tail -2); grep PEAK "$work/rebuild.err" || cat "$work/rebuild.err"
echo "REBUILD items=$n seconds=$(python3 -c "print(round($(date +%s.%N) - $start, 1))") (process start and dictionary load included)"

serve() { # serve ENV...
  (cd "$work/app" && exec env "$@" ./Embassy.Cms --urls "$base" > "$work/server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 150); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/search?q=paszport")" = 200 ] && break; sleep 0.2; done
}
stop() { echo "RSS peak_mb=$(( $(grep VmHWM /proc/$server_pid/status | awk '{print $2}') / 1024 ))"; kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

serve
echo "== publish → searchable"
python3 - "$base" <<'PY'
import importlib.util, json, os, sys, time, urllib.parse, urllib.request
spec = importlib.util.spec_from_file_location("editor", os.path.join("bench", "drills", "editor.py"))
editor = importlib.util.module_from_spec(spec); spec.loader.exec_module(editor)
base = sys.argv[1]; e = editor.Editor(base); times = []
for n in range(20):
    word = f"zyrafa{n:02d}x"
    item, why = e.publish(f"Alert {word}")
    start = time.time()
    while time.time() - start < 30:
        with urllib.request.urlopen(f"{base}/api/v1/search?q={word}&culture=en") as r:
            if item in r.read().decode():
                break
        time.sleep(0.02)
    times.append((time.time() - start) * 1000)
times.sort()
print(f"SEARCHABLE n={len(times)} p50_ms={times[len(times)//2]:.0f} max_ms={times[-1]:.0f}")
PY

queries=(paszportu wizy konsulatem "obywatelstwo dziecka" zolnierz passports visa "consulate appointment" insurance ballots
  "wniosek o wizę" "travel health" stypendium "birth registration" ambasada)
{
  echo 'local paths = {'
  for q in "${queries[@]}"; do echo "\"/api/v1/search?q=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")&culture=pl\","; done
  echo '}'
  echo 'local i = 0'
  echo 'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end'
} > "$work/queries.lua"
measure() { # measure LABEL
  wrk -t2 -c64 -d5s -s "$work/queries.lua" "$base" > /dev/null   # warm up (JIT, caches)
  wrk -t2 -c64 -d"$dur" --latency -s "$work/queries.lua" "$base" > "$work/wrk.txt"
  echo "QUERIES $1 rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt") p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt") errors=$(grep -c 'Non-2xx' "$work/wrk.txt" || true)"
}
measure "cached (as served)"
stop
serve MobileApi__CacheEnabled=false
measure "uncached (every query on the index)"
stop
