#!/usr/bin/env bash
# Search on a master + standby pair (scripts/pair, the production files): an alert published on the master (through the
# CMI) is found by the standby's /api/v1/search (target within 5 s); the standby's application stopped, more published on
# the master, the standby started again: it resumes its index and finds what it missed.
# Last line: SEARCH standby_found_ms=… restarted_caught_up_ms=… missing=0
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'scripts/pair down >/dev/null 2>&1 || true' EXIT
scripts/pair down >/dev/null 2>&1 || true
log=/tmp/embassy-search-drill.log; : > "$log"
url() { echo "http://127.0.0.1:$(cat .pair/$1/app.port)"; }
wait_ready() { for _ in $(seq 150); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url "$1")/health/ready")" = 200 ] && return 0; sleep 0.2; done; return 1; }
# found HOST WORD ID: milliseconds until HOST's search for WORD lists ID (gives up after 30 s: 99999)
found() {
  python3 - "$(url "$1")" "$2" "$3" <<'PY'
import sys, time, urllib.request
base, word, item = sys.argv[1:]
start = time.time()
while time.time() - start < 30:
    try:
        with urllib.request.urlopen(f"{base}/api/v1/search?q={word}&culture=en", timeout=3) as r:
            if item in r.read().decode():
                print(int((time.time() - start) * 1000)); sys.exit(0)
    except OSError:
        pass
    time.sleep(0.02)
print(99999)
PY
}
echo "== first setup (A master, B standby)" | tee -a "$log"
scripts/pair up >> "$log"
wait_ready A; wait_ready B
for _ in $(seq 150); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url B)/api/v1/search?q=x")" = 200 ] && break; sleep 0.2; done
echo "== publish on A, search on B" | tee -a "$log"
first=$(bench/drills/editor.py publish "$(url A)" "Flamingo sighting" | awk '$1 != "-" {print $1}')
standby_ms=$(found B flamingo "$first")
echo "== B's application stopped; A publishes; B started again" | tee -a "$log"
scripts/pair kill-app B >> "$log" 2>&1
second=$(bench/drills/editor.py publish "$(url A)" "Pelican sighting" | awk '$1 != "-" {print $1}')
scripts/pair start-app B >> "$log" 2>&1
started=$(date +%s%N)
wait_ready B
caught_ms=$(( $(found B pelican "$second") + ($(date +%s%N) - started) / 1000000 ))
missing=0
[ -n "$first" ] && [ "$standby_ms" -lt 99999 ] || missing=$((missing + 1))
[ -n "$second" ] && [ "$caught_ms" -lt 60000 ] || missing=$((missing + 1))
echo "SEARCH standby_found_ms=$standby_ms restarted_caught_up_ms=$caught_ms missing=$missing" | tee -a "$log"
[ "$missing" = 0 ] && [ "$standby_ms" -lt 5000 ]
