#!/usr/bin/env bash
# The partition drill (docs/adr/0012-one-writer.md): two hosts in network namespaces of their own (scripts/pair up
# --netns: the production unit, env and MariaDB files, embassy-ctl and its watch on each), editors publishing on both
# servers throughout through the CMI, and a watcher counting writers (a server whose application answers as the master
# and takes writes, on a writable database) every 0.2 s. The scenarios with a promote start from a fresh pair (A master,
# B standby); the others follow one another on one pair, each ending with A the master again:
#   app-killed-promoted   A's application killed -9 with its database up and writable; B promoted; A's unit restarts it
#   cut-both-promoted     the link cut both ways while both run; B promoted on its side; the link healed
#   cut-both-healed       the link cut both ways while both run (nobody promotes); healed
#   cut-one-way           only A's packets to B dropped; healed
#   db-restart-alone      B lost; A's database restarted (read-only, as every start); B back: A takes the role back itself
#   standby-db-down       B's database down while editors publish (publishing pauses), then solo by the operator, then back
# Each prints PARTITION scenario=NAME writers_max=N acknowledged=N lost=N (lost: acknowledged publications that the
# final master does not serve), and the last line is PARTITION scenarios=N two_writers=N lost=N.
# Loopback and the drill's own namespaces only (10.213.0.0/16, removed by scripts/pair down). Needs root, iproute2, iptables.
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'touch "$work/stop" 2>/dev/null; scripts/pair down >/dev/null 2>&1 || true' EXIT
scripts/pair down >/dev/null 2>&1 || true
work=$(mktemp -d /tmp/embassy-partition.XXXXXX); log=${EMBASSY_PARTITION_LOG:-/tmp/embassy-partition.log}; : > "$log"
export EMBASSY_LEASE_SECONDS=${EMBASSY_LEASE_SECONDS:-6}
step() { echo "== $(date +%T) $*" | tee -a "$log"; }
url() { echo "https://$([ "$1" = A ] && echo 10.213.1.2 || echo 10.213.2.2):$(cat .pair/$1/app.port)"; }
sql() { mariadb --defaults-file=.pair/$1/my.cnf -N -B -e "$2" 2>/dev/null; }
role() { command curl -s -m 2 --cacert .pair/ca/ca.pem "$(url "$1")/health/live" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["role"], d["writable"])' 2>/dev/null || echo "none False"; }
# until SECONDS COMMAND...: true once COMMAND succeeds within SECONDS.
until_ok() { local s=$1; shift; for _ in $(seq $((s * 5))); do "$@" && return 0; sleep 0.2; done; return 1; }
writing() { [ "$(role "$1")" = "Master True" ]; }

echo "publishing the application once for every scenario ..." >&2
app=$work/app; dotnet publish Embassy.Cms -c Release -o "$app" --nologo -v quiet >&2
export EMBASSY_PAIR_APP=$app SSL_CERT_FILE=$PWD/.pair/ca/ca.pem

scenarios=0; two_writers=0; lost_total=0
begin() { # begin NAME [fresh|same]: a fresh pair (or the last one, A its master again), editors and the writers' watcher
  scenario=$1; scenarios=$((scenarios + 1))
  if [ "${2:-fresh}" = fresh ]; then
    step "scenario $scenario: a fresh pair"
    scripts/pair down >/dev/null 2>&1 || true
    scripts/pair up --tls --netns >> "$log" 2>&1
  else
    step "scenario $scenario: the same pair"
  fi
  export SSL_CERT_FILE=$PWD/.pair/ca/ca.pem
  until_ok 30 writing A || { echo "the pair did not come up: $(tail -5 "$log")" >&2; exit 1; }
  rm -f "$work/stop"
  bench/drills/editor.py editors "$work/stop" "$work/$scenario.json" "$(url A)" .pair/A/my.cnf "$(url B)" .pair/B/my.cnf &
  editors=$!
  sleep 8
}
finish() { # finish FINAL_MASTER: editors stopped; every acknowledged publication must be served by the final master
  local final=$1
  until_ok 30 writing "$final" || step "(the final master $final does not take writes)"
  sleep 6; touch "$work/stop"; wait "$editors" || true
  local ids; ids=$(python3 -c 'import json,sys; print(" ".join(a["id"] for a in json.load(open(sys.argv[1]))["acks"]))' "$work/$scenario.json")
  local lost=0; [ -z "$ids" ] || lost=$(bench/drills/editor.py check "$(url "$final")" $ids | wc -l)
  local line; line=$(python3 - "$work/$scenario.json" "$scenario" "$lost" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
by = {s: sum(1 for a in r["acks"] if a["server"] == s) for s in "AB"}
writers = max(r["writers_max"], 2 if r["overlapping_acks"] else 1 if r["acks"] else 0)
print(f"PARTITION scenario={sys.argv[2]} writers_max={writers} acknowledged={len(r['acks'])} lost={sys.argv[3]} on_A={by['A']} on_B={by['B']}")
PY
)
  echo "$line" | tee -a "$log"
  [[ "$line" == *writers_max=2* ]] && two_writers=$((two_writers + 1))
  lost_total=$((lost_total + lost))
}

begin app-killed-promoted
scripts/pair kill-app A; step "A's application killed (its database up and writable)"
sleep 2
scripts/pair ctl B promote >> "$log" 2>&1; step "B promoted"
scripts/pair start-app A >> "$log" 2>&1 && step "A's application started again" || step "A's unit refused to start: fenced"
sleep 5
step "A: $(role A), read_only=$(sql A 'SELECT @@global.read_only'); B: $(role B)"
finish B

begin cut-both-promoted
scripts/pair cut both; step "link cut both ways"
sleep 3
scripts/pair ctl B promote >> "$log" 2>&1; step "B promoted on its side of the cut"
sleep 5
scripts/pair heal; step "link healed"
sleep 8
step "A: $(role A), read_only=$(sql A 'SELECT @@global.read_only'); B: $(role B)"
finish B

begin cut-both-healed
scripts/pair cut both; step "link cut both ways"
sleep 20
step "A during the cut: $(role A), read_only=$(sql A 'SELECT @@global.read_only')"
scripts/pair heal; step "link healed"
until_ok 30 writing A && step "A writes again"
finish A

begin cut-one-way same
scripts/pair cut a-to-b; step "A's packets to B dropped"
sleep 20
step "A during the cut: $(role A), read_only=$(sql A 'SELECT @@global.read_only')"
scripts/pair heal; step "link healed"
until_ok 30 writing A && step "A writes again"
finish A

begin db-restart-alone same
scripts/pair lose B; step "host B lost"
sleep 2
scripts/pair kill-db A; scripts/pair start-db A >> "$log" 2>&1 || true; step "A's database restarted: read_only=$(sql A 'SELECT @@global.read_only')"
sleep 5
scripts/pair start-db B >> "$log" 2>&1 || true; scripts/pair start-app B >> "$log" 2>&1 || true; step "host B back"
back=$(date +%s%N)
until_ok 60 writing A && step "A took the role back by itself in $(( ($(date +%s%N) - back) / 1000000 )) ms"
finish A

begin standby-db-down same
scripts/pair kill-db B; step "B's database down"
sleep 10
scripts/pair ctl A solo on >> "$log" 2>&1; step "the operator runs solo on A"
sleep 8
scripts/pair start-db B >> "$log" 2>&1 || true; step "B's database back"
until_ok 30 bash -c "[ \"\$(mariadb --defaults-file=.pair/A/my.cnf -N -e 'SELECT COUNT(*) FROM embassy_cluster.solo')\" = 0 ]" && step "solo ended by itself"
finish A

echo "PARTITION scenarios=$scenarios two_writers=$two_writers lost=$lost_total" | tee -a "$log"
[ "$two_writers" = 0 ] && [ "$lost_total" = 0 ]
