#!/usr/bin/env bash
# Mobile API throughput against nginx serving the same bytes (../shared/bench/http-vs-nginx.sh),
# on the embedded default with the starter content plus N generated items, then the cold path
# (cache disabled) on SQLite and on MariaDB. usage: bench/api.sh [N=10000] [DURATION=10s]
# Each line "HTTP rps_ratio=… p99_ratio=… project_rps=…" is one measurement; RSS is the server's peak.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-10000} dur=${2:-10s}
shared=$root/../shared/bench
source scripts/lib/mariadb.sh
work=$(mktemp -d /tmp/embassy-bench-api.XXXXXX)
server_pid="" mdb_pid="" mdb_dir=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  mariadb_stop "$mdb_pid" "$mdb_dir"
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build (Release) and $n generated items"
dotnet publish Embassy.Cms -c Release -o "$work/app" --nologo -v quiet
python3 bench/generate-items.py "$n" "$work/items.json"

export MobileApi__RateLimitPerSecond=1000000 MobileApi__RateLimitBurst=1000000 Embassy__Setup__AdminPassword=Bench-Password-1 \
  Embassy__Security__RequireTwoFactorFor= Embassy__Media__MaxStreamsPerClient=100000
port=$(mariadb_free_port)
base=http://127.0.0.1:$port

start() { # start NAME ENV... : runs the server, waits for it
  (cd "$work/app" && exec env "$@" ./Embassy.Cms --urls "$base" > "$work/server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "$base/health/live" && break; sleep 0.2; done
  curl -s -o /dev/null "$base/api/v1/types"
}
stop() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }
warm() { wrk -t2 -c64 -d10s "$1" >/dev/null; }   # JIT tiering reaches steady state after several seconds
measure() { # measure LABEL URL
  echo "-- $1: $2"
  warm "$2"
  bash "$shared/http-vs-nginx.sh" "$2" --pid "$server_pid" --dur "$dur" | tail -3
}

echo "== SQLite, import"
(cd "$work/app" && Embassy__DataDirectory=$work/sqlite ./Embassy.Cms recipes import "$work/items.json" | tail -1)
start Embassy__DataDirectory="$work/sqlite"
item=$(curl -s "$base/api/v1/content/News?culture=en&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
measure "list of 20, cached" "$base/api/v1/content/News?culture=pl&limit=20"
measure "single item, cached" "$base/api/v1/items/$item"
measure "sync page of 20, cached" "$base/api/v1/sync?types=News&culture=pl&limit=20"
stop
start Embassy__DataDirectory="$work/sqlite" MobileApi__CacheEnabled=false
measure "list of 20, cold (cache disabled), SQLite" "$base/api/v1/content/News?culture=pl&limit=20"
stop
start Embassy__DataDirectory="$work/sqlite" MobileApi__CacheEnabled=false MobileApi__ItemCacheSize=0
measure "list of 20, cold, item cache off too (every item read and written), SQLite" "$base/api/v1/content/News?culture=pl&limit=20"
stop

echo "== MariaDB, import"
mariadb_start bench-api
mdb_pid=$MDB_PID mdb_dir=$MDB_DIR
mariadb_sql "$MDB_CNF" "CREATE DATABASE embassy CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  CREATE USER 'embassy'@'127.0.0.1' IDENTIFIED BY 'bench'; GRANT ALL ON embassy.* TO 'embassy'@'127.0.0.1';"
mysql_env=(Embassy__DataDirectory="$work/mysql" Database__Provider=MySql
  "ConnectionStrings__Default=Server=127.0.0.1;Port=$MDB_PORT;Database=embassy;User ID=embassy;Password=bench;Maximum Pool Size=200")
(cd "$work/app" && env "${mysql_env[@]}" ./Embassy.Cms recipes import "$work/items.json" | tail -1)
start "${mysql_env[@]}" MobileApi__CacheEnabled=false
measure "list of 20, cold (cache disabled), MariaDB" "$base/api/v1/content/News?culture=pl&limit=20"
stop
start "${mysql_env[@]}" MobileApi__CacheEnabled=false MobileApi__ItemCacheSize=0
measure "list of 20, cold, item cache off too (every item read and written), MariaDB" "$base/api/v1/content/News?culture=pl&limit=20"
stop
