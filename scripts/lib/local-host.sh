# Hooks for deploy/bin/embassy-ctl that play one server ("host") on this machine, for rehearsals (scripts/pair,
# bench/drills): the same unit files (deploy/systemd) and env files, run as processes; enabled units are files.
# Needs HOST_DIR (this host's folder), APP_DIR (the published application), HOST_URLS (where its app listens),
# and the host's MariaDB defaults file at $HOST_DIR/my.cnf. With scripts/pair up --netns, scripts/pair runs every
# process of a host (MariaDB, the application, embassy-ctl and its watch) inside the host's network namespace.
: "${HOST_DIR:?}" "${APP_DIR:?}" "${HOST_URLS:?}"
UNITS_DIR=${UNITS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../deploy/systemd" && pwd)}

# Production paths as this host sees them.
host_path() { local p=$1; p=${p//\/etc\/embassy/$HOST_DIR\/etc\/embassy}; p=${p//\/var\/lib\/embassy/$HOST_DIR\/var\/lib\/embassy}; echo "${p//\/opt\/embassy/$APP_DIR}"; }

svc_enable() { mkdir -p "$HOST_DIR/enabled"; touch "$HOST_DIR/enabled/$1"; }
svc_disable() { rm -f "$HOST_DIR/enabled/$1"; }
svc_is_enabled() { [ -f "$HOST_DIR/enabled/$1" ]; }
svc_running() { [ -f "$HOST_DIR/run/$1.pid" ] && kill -0 "$(cat "$HOST_DIR/run/$1.pid")" 2>/dev/null; }

# Starts the unit as systemd would: its ExecStartPre, then ExecStart with its Environment and EnvironmentFile
# (HTTPS settings are left out unless this host has the certificate files; --urls are this host's).
svc_start() {
  local unit=$1 file=$UNITS_DIR/$1.service env=() line pre=() start=""
  svc_running "$unit" && return 0
  while IFS= read -r line; do
    case "$line" in
      Environment=*) env+=("${line#Environment=}") ;;
      EnvironmentFile=*) while IFS= read -r e; do [[ -z "$e" || "$e" == \#* ]] || env+=("$e"); done < "$(host_path "${line#EnvironmentFile=}")" ;;
      ExecStartPre=*) local cmd=${line#ExecStartPre=}; cmd=${cmd#[-+]}; pre+=("$(host_path "$cmd")") ;;
      ExecStart=*) start=$(host_path "${line#ExecStart=}") ;;
    esac
  done < "$file"
  local kept=() e
  for e in "${env[@]}"; do
    case "$e" in Embassy__Tls__*) [ -f "$(host_path "${e#*=}")" ] && kept+=("${e%%=*}=$(host_path "${e#*=}")") ;; *) kept+=("$e") ;; esac
  done
  for p in "${pre[@]}"; do env "${kept[@]}" bash -c "$p" || return 1; done
  mkdir -p "$HOST_DIR/run" "$HOST_DIR/log"
  (cd "$APP_DIR" && exec env "${kept[@]}" ${start%% --urls*} --urls "$HOST_URLS" >> "$HOST_DIR/log/$unit.log" 2>&1) &
  echo $! > "$HOST_DIR/run/$unit.pid"
  for _ in $(seq 150); do curl -s ${CURL_OPTS:-} -o /dev/null "${HOST_URLS%%;*}/health/live" && return 0; kill -0 "$(cat "$HOST_DIR/run/$unit.pid")" 2>/dev/null || break; sleep 0.2; done
  echo "$unit did not start on $HOST_DIR: $(tail -3 "$HOST_DIR/log/$unit.log")" >&2
  return 1
}

svc_stop() {
  local pidfile=$HOST_DIR/run/$1.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill "$pid" 2>/dev/null; then for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
}

db_sql() { mariadb --defaults-file="$HOST_DIR/my.cnf" -N -B -e "$1"; }
db_backup() { mariadb-backup --defaults-file="$HOST_DIR/my.cnf" --user=root --socket="$HOST_DIR/db/s" "$@"; }
db_sql_stdin() { mariadb --defaults-file="$HOST_DIR/my.cnf"; }
