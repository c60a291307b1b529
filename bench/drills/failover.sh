#!/usr/bin/env bash
# The failover drill, on loopback with the production files (deploy/mariadb, deploy/systemd, deploy/bin/embassy-ctl,
# through scripts/pair): first setup → the master server is lost (its application and database killed) → promote →
# restart every database and application → rejoin the old master → failback (switchover) → restart again.
# Editors publish throughout; every acknowledged publication must be on both servers at the end. As in production the
# servers speak HTTPS only (certificates from the pair's test CA; the standby syncs over HTTPS, plain HTTP redirects).
# Last line: FAILOVER promoted=1 failed_back=1 survived_restarts=1 second_master=0 lost_writes=0
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'scripts/pair down >/dev/null 2>&1 || true' EXIT
scripts/pair down >/dev/null 2>&1 || true
log=/tmp/embassy-failover.log; : > "$log"
acked=/tmp/embassy-failover-acked.txt; : > "$acked"
step() { echo "== $*" | tee -a "$log"; }
url() { echo "https://127.0.0.1:$(cat .pair/$1/app.port)"; }
curl() { command curl --cacert "$PWD/.pair/ca/ca.pem" "$@"; }
export SSL_CERT_FILE=$PWD/.pair/ca/ca.pem   # editor.py (Python's default TLS context) trusts the pair's CA
role() { curl -s -m 3 "$(url "$1")/health/live" | python3 -c 'import json,sys; print(json.load(sys.stdin)["role"])' 2>/dev/null || echo none; }
writable() { [ "$(mariadb --defaults-file=.pair/$1/my.cnf -N -e 'SELECT @@global.read_only' 2>/dev/null)" = 0 ]; }
# A master is a server whose application answers as the master on a writable database.
masters() { local n=0 h; for h in A B; do if [ "$(role "$h")" = Master ] && writable "$h"; then n=$((n+1)); fi; done; echo "$n"; }
publish() { # publish HOST PREFIX COUNT
  local i titles=(); for i in $(seq "$3"); do titles+=("$2-$i"); done
  bench/drills/editor.py publish "$(url "$1")" "${titles[@]}" | tee -a "$log" | grep -v '^- ' >> "$acked" || true
}
wait_ready() { for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url "$1")/health/ready")" = 200 ] && return 0; sleep 0.2; done; return 1; }

step "first setup (A master, B standby)"
scripts/pair up --tls >> "$log"
wait_ready A; wait_ready B
# HTTPS only: plain HTTP redirects, and a client that does not trust the pair's CA is refused.
tls=0
[ "$(command curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$(cat .pair/A/app.http.port)/api/v1/types")" = "308 $(url A)/api/v1/types" ] \
  && ! command curl -s -o /dev/null "$(url B)/health/live" && tls=1
publish A before 5

step "the master server is lost: A's application and database are killed"
scripts/pair lose A
step "promote B (the runbook's failover block: embassy-ctl promote)"
scripts/pair runbook failover B >> "$log" 2>&1
promoted=0; if wait_ready B && [ "$(role B)" = Master ] && writable B; then promoted=1; fi
publish B during 5

step "restart every database and application (A's master unit is still enabled: it must not become a second master)"
scripts/pair kill-app B; scripts/pair kill-db B
scripts/pair start-db A >> "$log" 2>&1 || true      # claim --if-master: B's database is away → refuses
scripts/pair start-db B >> "$log" 2>&1 || true      # claim --if-master: A's database is at an older epoch → B claims
scripts/pair start-app A >> "$log" 2>&1 || echo "A's master unit refused to start (fenced)" | tee -a "$log"
scripts/pair start-app B >> "$log" 2>&1
second=0; [ "$(masters)" -le 1 ] || second=1
[ "$(role B)" = Master ] && writable B && ! writable A || second=1
publish B after-restart 3

step "rejoin A as B's standby, then fail back (the runbook's rejoin block on A, its failback block on B)"
scripts/pair runbook rejoin A >> "$log" 2>&1
wait_ready A
scripts/pair runbook failback B >> "$log" 2>&1
failed_back=0; if wait_ready A && wait_ready B && [ "$(role A)" = Master ] && [ "$(role B)" = Standby ] && writable A && ! writable B; then failed_back=1; fi
publish A after-failback 3

step "restart everything again"
scripts/pair kill-app A; scripts/pair kill-app B; scripts/pair kill-db A; scripts/pair kill-db B
scripts/pair start-db B >> "$log" 2>&1 || true
scripts/pair start-db A >> "$log" 2>&1 || true
scripts/pair start-app B >> "$log" 2>&1 || true
scripts/pair start-app A >> "$log" 2>&1 || true
survived=0
if wait_ready A && wait_ready B && [ "$(role A)" = Master ] && [ "$(role B)" = Standby ] && writable A && ! writable B; then survived=1; fi
[ "$(masters)" -le 1 ] || second=1
publish A end 2

step "rotate the sync secret (embassy-ctl rotate-secret on the master); a file uploaded after it reaches the standby"
scripts/pair ctl A rotate-secret >> "$log" 2>&1
wait_ready A; wait_ready B
printf '%%PDF-1.4\n%% after the rotation\n' > /tmp/embassy-failover-after.pdf
bench/drills/editor.py upload "$(url A)" docs/after-rotation.pdf /tmp/embassy-failover-after.pdf
rotated=0
for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url B)/media/docs/after-rotation.pdf")" = 200 ] && { rotated=1; break; }; sleep 0.2; done
# Served by the standby itself, not redirected to the master: its media sync fetched it with the new secret.
[ -f .pair/B/var/lib/embassy/media/docs/after-rotation.pdf ] || rotated=0
echo "ROTATE synced=$rotated" | tee -a "$log"
echo "TLS https_only=$tls standby_synced_over_https=$rotated" | tee -a "$log"

step "every acknowledged publication, on both servers"
ids=$(cut -d' ' -f1 "$acked")
sleep 2
lost=$( { bench/drills/editor.py check "$(url A)" $ids; bench/drills/editor.py check "$(url B)" $ids; } | sort -u | wc -l)
echo "acknowledged=$(wc -l < "$acked") (details: $log)"
echo "FAILOVER promoted=$promoted failed_back=$failed_back survived_restarts=$survived second_master=$second lost_writes=$lost"
[ "$promoted$failed_back$survived$second$lost$rotated$tls" = "1110011" ]
