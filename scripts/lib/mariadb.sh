# MariaDB instances for scripts and benchmarks: private data directory, free loopback port, stopped by PID.
# Source it. mariadb_start NAME [EXTRA_MYSQLD_LINE...] sets MDB_DIR, MDB_PORT, MDB_PID, MDB_SOCK, MDB_CNF.
mariadb_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mariadb_need() {
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] && return
  echo "installing mariadb-server ..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client) >/dev/null
}

mariadb_start() {
  mariadb_need
  local name=$1; shift
  MDB_DIR=$(mktemp -d "/tmp/embassy-$name.XXXXXX")
  MDB_PORT=$(mariadb_free_port)
  MDB_SOCK=$MDB_DIR/s
  MDB_CNF=$MDB_DIR/my.cnf
  {
    echo "[mysqld]"
    echo "user=root"; echo "datadir=$MDB_DIR/data"; echo "socket=$MDB_SOCK"; echo "port=$MDB_PORT"
    echo "pid-file=$MDB_DIR/mariadb.pid"; echo "log-error=$MDB_DIR/error.log"; echo "tmpdir=$MDB_DIR"
    echo "bind-address=127.0.0.1"; echo "skip-name-resolve"
    echo "character-set-server=utf8mb4"; echo "collation-server=utf8mb4_unicode_ci"
    echo "innodb_buffer_pool_size=256M"; echo "max_connections=500"
    for line in "$@"; do echo "$line"; done
    echo "[client]"; echo "socket=$MDB_SOCK"; echo "user=root"
  } > "$MDB_CNF"
  mariadb-install-db --defaults-file="$MDB_CNF" --user=root --skip-test-db --auth-root-authentication-method=normal >/dev/null 2>&1 \
    || { cat "$MDB_DIR/error.log" >&2; return 1; }
  (PATH=$PATH:/usr/sbin exec mariadbd --defaults-file="$MDB_CNF") >/dev/null 2>&1 &
  MDB_PID=$!
  for _ in $(seq 100); do mariadb --defaults-file="$MDB_CNF" -e 'select 1' >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "mariadb $name did not start: $(tail -5 "$MDB_DIR/error.log")" >&2; return 1
}

# mariadb_sql CNF SQL
mariadb_sql() { mariadb --defaults-file="$1" -N -e "$2"; }

# mariadb_stop PID DIR — only the server this script started.
mariadb_stop() {
  local pid=$1 dir=$2
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  if [ -n "$dir" ] && [ -d "$dir" ]; then rm -rf "$dir"; fi
  return 0
}
