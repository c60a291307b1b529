#!/usr/bin/env bash
# The runbook as a tested document (deploy/RUNBOOK.md): its own command blocks, run as written on scripts/pair's hosts
# (scripts/lib/runbook.sh fills the placeholders and reads production paths as each host's folder).
#   install   the install block on an empty folder for a new server: every program the units start is where they say
#   first setup (scripts/pair up runs its blocks), then editors publish on A
#   failover  A is lost (application and database), the failover block promotes B; editors publish on B
#   rejoin    A's database returns with a write B never got (a commit A made that was never acknowledged): the rejoin
#             block must refuse
#   rebuild   the rebuild blocks: a backup of the primary B copied to A, A's database replaced by it, A replicating from
#             the backup's position; every acknowledged publication on A, the unacknowledged write gone, B out of solo
# (bench/drills/failover.sh runs the failover, rejoin and failback blocks, bench/drills/restore.sh the restore blocks.)
# Last line: RUNBOOK blocks=N install=1 rejoin_refused=1 rebuilt=1 lost=0
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'scripts/pair down >/dev/null 2>&1 || true' EXIT
scripts/pair down >/dev/null 2>&1 || true
log=/tmp/embassy-runbook.log; : > "$log"
acked=/tmp/embassy-runbook-acked.txt; : > "$acked"
step() { echo "== $*" | tee -a "$log"; }
url() { echo "http://127.0.0.1:$(cat .pair/$1/app.port)"; }
sql() { mariadb --defaults-file=.pair/$1/my.cnf -N -B -e "$2"; }
publish() { bench/drills/editor.py publish "$(url "$1")" "${@:2}" | tee -a "$log" | grep -v '^- ' | cut -d' ' -f1 >> "$acked" || true; }
wait_master() { # a master that takes writes (solo right after a promote: there is no standby yet)
  local r; for _ in $(seq 150); do r=$(ready "$1"); case "$r" in *"Master Writing"|*"Master Solo") return 0 ;; esac; sleep 0.2; done
  echo "$1 is not a master taking writes: $r" >&2; return 1
}
ready() { curl -s -m 3 "$(url "$1")/health/ready" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d.get("role"), (d.get("writer") or {}).get("state"))' 2>/dev/null || echo none; }

step "first setup (the runbook's first-setup blocks, through scripts/pair up)"
scripts/pair up >> "$log" 2>&1

step "install: the install block on an empty folder"
install=0
scripts/pair install-check 2>&1 | tee -a "$log" | grep '^RUNBOOK install' && install=1

publish A before-1 before-2 before-3

step "failover: A is lost, the failover block on B"
scripts/pair lose A >> "$log"
scripts/pair runbook failover B >> "$log" 2>&1
wait_master B   # the promoted server's application has just started: its first answers can be slow
publish B after-1 after-2

step "rejoin: A returns with a write B never got; the rejoin block must refuse"
scripts/pair start-db A >> "$log" 2>&1
# What a master whose commit was never acknowledged holds (semi-synchronous AFTER_SYNC: in its binlog, not the standby's).
sql A "SET GLOBAL read_only=0; CREATE TABLE embassy.never_acknowledged (id INT PRIMARY KEY); INSERT INTO embassy.never_acknowledged VALUES (1); SET GLOBAL read_only=1"
refused=0
if scripts/pair runbook rejoin A > /tmp/embassy-runbook-rejoin.txt 2>&1; then :; else
  rc=$?; cat /tmp/embassy-runbook-rejoin.txt >> "$log"
  [ "$rc" = 4 ] && grep -q 'writes the new primary never got' /tmp/embassy-runbook-rejoin.txt && refused=1
fi
echo "rejoin refused: $refused" | tee -a "$log"

step "rebuild: the rebuild blocks (a backup of the primary B, A rebuilt from it)"
scripts/pair runbook rebuild-backup B server-to-rebuild=A >> "$log" 2>&1
scripts/pair runbook rebuild A >> "$log" 2>&1
publish B after-rebuild-1 after-rebuild-2

step "check: A replicates with every acknowledged publication, without the write B never got"
for _ in $(seq 100); do [ "$(sql A "SELECT @@global.gtid_slave_pos")" = "$(sql B "SELECT @@global.gtid_binlog_pos")" ] && break; sleep 0.2; done
total=$(wc -l < "$acked")
ids=$(sed "s/.*/'&'/" "$acked" | paste -sd, -)
present=$(sql A "SELECT COUNT(DISTINCT ContentItemId) FROM embassy.ContentItems WHERE Published = 1 AND ContentItemId IN ($ids)")
stray=$(sql A "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'embassy' AND TABLE_NAME = 'never_acknowledged'")
saved=$(grep -l never_acknowledged .pair/A/root/not-acknowledged-*.sql 2>/dev/null | wc -l)
replicating=$(scripts/pair ctl A status 2>/dev/null | grep -c 'replication: io=Yes sql=Yes' || true)
a_ready=""; b_ready=""
for _ in $(seq 60); do
  a_ready=$(ready A); b_ready=$(ready B)
  [ "$a_ready" = "Healthy Standby None" ] && [ "$b_ready" = "Healthy Master Writing" ] && break
  sleep 0.5
done
echo "A: $a_ready (replicating: $replicating); B: $b_ready; the unacknowledged write saved: $saved, still in A's tables: $stray" | tee -a "$log"
rebuilt=0
[ "$replicating" = 1 ] && [ "$stray" = 0 ] && [ "$saved" = 1 ] && [ "$a_ready" = "Healthy Standby None" ] \
  && [ "$b_ready" = "Healthy Master Writing" ] && rebuilt=1
blocks=$(sort -u .pair/runbook/ran | wc -l)
echo "acknowledged=$total (details: $log)"
echo "RUNBOOK blocks=$blocks install=$install rejoin_refused=$refused rebuilt=$rebuilt lost=$((total - present))"
# At least one publication acknowledged in each phase (before, after the failover, after the rebuild).
[ "$install" = 1 ] && [ "$refused" = 1 ] && [ "$rebuilt" = 1 ] && [ "$present" = "$total" ] && [ "$total" -ge 5 ]
