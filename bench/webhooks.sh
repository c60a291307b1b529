#!/usr/bin/env bash
# Webhooks: publish → receiver latency (target p50 < 1 s, p99 < 2 s) and a burst of publications delivered in order
# (target: 1,000 within 60 s) while the CMI stays responsive; on the embedded default (SQLite) and on MariaDB.
# A receiver on loopback (bench/drills/receiver.py) answers 200; editors publish through the CMI's form (bench/webhooks.py).
# usage: bench/webhooks.sh [BURST=1000] [LATENCY_N=100]
set -euo pipefail
cd "$(dirname "$0")/.."
burst=${1:-1000} latency_n=${2:-100}
source scripts/lib/mariadb.sh
work=$(mktemp -d /tmp/embassy-bench-webhooks.XXXXXX)
server_pid="" receiver_pid="" mdb_pid="" mdb_dir=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null
  mariadb_stop "$mdb_pid" "$mdb_dir"
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build (Release)"
dotnet publish Embassy.Cms -c Release -o "$work/app" --nologo -v quiet
bench/drills/receiver.py "$work/port" "$work/received.jsonl" & receiver_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(mariadb_free_port)
base=http://127.0.0.1:$port
export Embassy__Setup__AdminPassword=Pair-Admin-Password-1 Embassy__Security__RequireTwoFactorFor= Embassy__Security__SignInAttemptsPerMinute=100000 \
  Embassy__Webhooks__Endpoints__0__Url="http://127.0.0.1:$(cat "$work/port")/hook" Embassy__Webhooks__Endpoints__0__Secret="whsec_$(head -c 32 /dev/urandom | base64 -w0)" \
  Embassy__Webhooks__AllowHttp=true Embassy__Webhooks__AllowPrivateNetworks=true Logging__LogLevel__Default=Warning

run() { # run LABEL ENV...
  echo "== $1"
  : > "$work/received.jsonl"
  (cd "$work/app" && exec env "${@:2}" ./Embassy.Cms --urls "$base" > "$work/server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 150); do curl -s -o /dev/null "$base/health/ready" && break; sleep 0.2; done
  sleep 1
  python3 bench/webhooks.py "$base" "$work/received.jsonl" "$latency_n" "$burst"
  echo "RSS peak_mb=$(( $(grep VmHWM /proc/$server_pid/status | awk '{print $2}') / 1024 ))"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

run "SQLite (the embedded default)" Embassy__DataDirectory="$work/sqlite"
mariadb_start bench-webhooks
mdb_pid=$MDB_PID mdb_dir=$MDB_DIR
mariadb_sql "$MDB_CNF" "CREATE DATABASE embassy CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  CREATE USER 'embassy'@'127.0.0.1' IDENTIFIED BY 'bench'; GRANT ALL ON embassy.* TO 'embassy'@'127.0.0.1';"
run "MariaDB" Embassy__DataDirectory="$work/mariadb" Database__Provider=MySql \
  "ConnectionStrings__Default=Server=127.0.0.1;Port=$MDB_PORT;Database=embassy;User ID=embassy;Password=bench"
