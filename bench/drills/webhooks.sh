#!/usr/bin/env bash
# Webhooks through a failover, on scripts/pair (the production unit, env and MariaDB files): a receiver on loopback,
# a burst of 60 publications on the master, the master lost in the middle of it (once 15 are acknowledged) (application and database killed -9),
# the standby promoted; then more publications on the new master. Every event in the promoted server's outbox (which
# replicated from the old master) since the endpoint was configured and every acknowledged publication must reach the receiver; a repeat (a delivery in
# flight when the master died) must carry the same webhook-id as the first, and no event two different ids.
# Last line: WEBHOOKS events=N received=N acknowledged=N missing=0 repeats=N mismatched=0
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/embassy-webhooks-drill.XXXXXX)
receiver_pid=""
cleanup() { scripts/pair down >/dev/null 2>&1 || true; [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
scripts/pair down >/dev/null 2>&1 || true
log=/tmp/embassy-webhooks-drill.log; : > "$log"
step() { echo "== $*" | tee -a "$log"; }
url() { echo "http://127.0.0.1:$(cat .pair/$1/app.port)"; }
wait_ready() { for _ in $(seq 150); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$(url "$1")/health/ready")" = 200 ] && return 0; sleep 0.2; done; return 1; }

step "a receiver on loopback (answers 200 after 30 ms, so deliveries are in flight when the master dies)"
bench/drills/receiver.py "$work/port" "$work/received.jsonl" 30 & receiver_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
secret="whsec_$(head -c 32 /dev/urandom | base64 -w0)"
export EMBASSY_PAIR_ENV="Embassy__Webhooks__Endpoints__0__Url=http://127.0.0.1:$(cat "$work/port")/hook
Embassy__Webhooks__Endpoints__0__Secret=$secret
Embassy__Webhooks__AllowHttp=true
Embassy__Webhooks__AllowPrivateNetworks=true
Embassy__Webhooks__FirstRetryDelay=00:00:00.200
Embassy__Webhooks__PollInterval=00:00:00.050"

step "first setup (A master, B standby)"
scripts/pair up >> "$log"
wait_ready A; wait_ready B
titles() { local i; for i in $(seq "$2"); do echo "$1-$i"; done; }
# shellcheck disable=SC2046
bench/drills/editor.py publish "$(url A)" $(titles warmup 3) | grep -v '^- ' > "$work/acked" || true

step "a burst of publications on A; A is lost in the middle of it"
# shellcheck disable=SC2046
( bench/drills/editor.py publish "$(url A)" $(titles burst 60) | grep --line-buffered -v '^- ' >> "$work/acked" || true ) &
burst=$!
# A is lost once 15 of the burst are acknowledged (or after 15 s, on a slow machine): in the middle of it, whatever the pace.
for _ in $(seq 150); do [ "$(wc -l < "$work/acked")" -ge 18 ] && break; sleep 0.1; done
scripts/pair lose A >> "$log" 2>&1
wait "$burst" || true
step "promote B"
scripts/pair ctl B promote >> "$log" 2>&1
wait_ready B
# shellcheck disable=SC2046
bench/drills/editor.py publish "$(url B)" $(titles after 5) | grep -v '^- ' >> "$work/acked" || true

step "wait until the receiver has every event in B's outbox since the endpoint was configured"
mysql_b() { mariadb --defaults-file=.pair/B/my.cnf -N -e "$1" embassy; }
# The endpoint's queue starts where it was first configured (the starter content published at first setup is not
# announced to it): its first delivery's sequence.
since="Sequence >= (SELECT MIN(Sequence) FROM WebhookDeliveries WHERE EndpointId = 'config-0')"
for _ in $(seq 150); do
  expected=$(mysql_b "SELECT COUNT(*) FROM OutboxEvents WHERE $since")
  got=$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$work/received.jsonl")
  [ "$got" -ge "$expected" ] && break
  sleep 0.2
done
mysql_b "SELECT CONCAT('msg_', EventId), Sequence, ContentItemId, Type FROM OutboxEvents WHERE $since ORDER BY Sequence" > "$work/outbox.tsv"
python3 - "$work/outbox.tsv" "$work/received.jsonl" "$work/acked" <<'PY' | tee -a "$log"
import json, sys
outbox = [line.split("\t") for line in open(sys.argv[1]).read().splitlines() if line]
received = [json.loads(line) for line in open(sys.argv[2])]
acked = [line.split(" ", 1)[0] for line in open(sys.argv[3]).read().splitlines() if line]
ids = {r["id"] for r in received}
missing = [o[0] for o in outbox if o[0] not in ids]
# Every acknowledged publication announced: a content.published event for its item reached the receiver.
published = {json.loads(r["body"])["data"]["id"] for r in received if json.loads(r["body"])["type"] == "content.published"}
missing += [a for a in acked if a not in published]
# A repeat carries the same id and the same body; one event (its sequence) never comes under two ids.
by_id, by_event = {}, {}
for r in received:
    by_id.setdefault(r["id"], set()).add(r["body"])
    body = json.loads(r["body"])
    by_event.setdefault((body["type"], body["data"]["sequence"]), set()).add(r["id"])
mismatched = sum(1 for bodies in by_id.values() if len(bodies) > 1) + sum(1 for i in by_event.values() if len(i) > 1)
repeats = len(received) - len(ids)
print(f"WEBHOOKS events={len(outbox)} received={len(ids)} acknowledged={len(acked)} missing={len(missing)} repeats={repeats} mismatched={mismatched}")
sys.exit(0 if not missing and not mismatched and outbox else 1)
PY
