# The runbook as a tested document: deploy/RUNBOOK.md's command blocks, run on scripts/pair's hosts as written.
# Sourced by scripts/pair (it needs its state_dir, root, in_host, host_urls, start_watch, stop_watch, start_db).
#
# A block to run is marked by the line before its fence:  <!-- runbook:NAME on=WHERE -->  (WHERE is for the reader:
# which server the operator types it on; the drill says which host plays it). A block is run as it stands, with two
# changes only: placeholders (<backup>, <primary> …) filled from the drill's KEY=VALUE arguments — a placeholder left
# unfilled stops the run — and production paths read as the host's own folder (/etc/embassy, /etc/mysql, /var/lib/embassy,
# /var/lib/mysql, /backup, /root, /opt/embassy: host_rebase). systemctl, scp and rsync between hosts, and mariadb are
# played for the host (runbook_exec): units through scripts/lib/local-host.sh, MariaDB as scripts/pair runs it.

# The text of the block marked runbook:NAME.
runbook_block() {
  awk -v name="$1" '
    { line = $0; sub(/^ +/, "", line) }
    index(line, "<!-- runbook:" name " ") == 1 { want = 1; next }
    want && line ~ /^```/ { if (inside) exit; inside = 1; next }
    inside { print line }' "$root/deploy/RUNBOOK.md"
}

# Every block's name, in the runbook's order.
runbook_names() { sed -n 's/^ *<!-- runbook:\([a-z0-9-]*\) .*/\1/p' "$root/deploy/RUNBOOK.md"; }

# host_rebase HOST: production paths in stdin as that host's folder on this machine. A path after "HOST:" is another
# host's (scp, rsync) and is left for runbook_remote.
host_rebase() {
  D=$state_dir/$1 APP=${RUNBOOK_APP:-$state_dir/app} perl -pe '
    s{(?<![\w:./-])/var/lib/mysql\b}{$ENV{D}/db/data}g;
    s{(?<![\w:./-])/opt/embassy\b}{$ENV{APP}}g;
    s{(?<![\w:./-])/(etc/embassy|etc/mysql|etc/systemd|var/lib/embassy|backup|root)\b}{$ENV{D}/$1}g'
}

# runbook_text NAME HOST KEY=VALUE...: the block as the host runs it.
runbook_text() {
  local name=$1 h=$2 text kv; shift 2
  text=$(runbook_block "$name")
  [ -n "$text" ] || { echo "deploy/RUNBOOK.md has no block marked runbook:$name" >&2; return 2; }
  for kv in "$@"; do text=${text//<${kv%%=*}>/${kv#*=}}; done
  if grep -qE '<[a-z][a-z0-9-]*>' <<<"$text"; then
    echo "runbook:$name: placeholders the drill did not fill: $(grep -oE '<[a-z][a-z0-9-]*>' <<<"$text" | sort -u | paste -sd' ')" >&2
    return 2
  fi
  host_rebase "$h" <<<"$text"
}

# runbook_run NAME HOST KEY=VALUE...: runs the block on the host (inside its network namespace when the pair has them).
runbook_run() {
  local name=$1 h=$2 text
  text=$(runbook_text "$@") || return $?
  echo "-- runbook:$name on host $h" >&2
  mkdir -p "$state_dir/runbook"; echo "$name" >> "$state_dir/runbook/ran"
  in_host "$h" "$root/scripts/pair" runbook-exec "$h" "$text"
}

# HOST:PATH as the path of that host's folder (or the argument as it is).
runbook_remote() {
  if [[ $1 =~ ^([A-Z]):(/.*)$ ]]; then host_rebase "${BASH_REMATCH[1]}" <<<"${BASH_REMATCH[2]}"; else echo "$1"; fi
}

# runbook_exec HOST TEXT: the block's commands in a shell that plays the host's systemctl, mariadb, scp and rsync.
runbook_exec() {
  local h=$1 text=$2 d=$state_dir/$1
  export HOST_DIR=$d APP_DIR=$state_dir/app EMBASSY_CLUSTER_ENV=$d/etc/embassy/cluster.env \
    EMBASSY_CTL_HOOKS=$root/scripts/lib/local-host.sh HOST_URLS=x
  [ -f "$d/app.port" ] && HOST_URLS=$(host_urls "$h")
  mkdir -p "$d/root" "$d/backup" "$d/etc/mysql/mariadb.conf.d"
  # shellcheck disable=SC1090
  [ -f "$EMBASSY_CLUSTER_ENV" ] && source "$EMBASSY_CLUSTER_ENV"
  # shellcheck disable=SC1091
  source "$root/scripts/lib/local-host.sh"
  systemctl() {
    local verb=$1 now=0 u; shift
    [ "${1:-}" = --now ] && { now=1; shift; }
    [ "$verb" = daemon-reload ] && return 0
    for u in "$@"; do
      u=${u%.service}
      case "$verb:$u" in
        start:mariadb|restart:mariadb) [ "$verb" = restart ] && runbook_db_stop "$h"; start_db "$h" ;;
        stop:mariadb) runbook_db_stop "$h" ;;
        enable:mariadb|disable:mariadb) ;;
        enable:embassy-watch) svc_enable "$u"; if ((now)); then start_watch "$h"; fi ;;
        disable:embassy-watch) svc_disable "$u"; if ((now)); then stop_watch "$h"; fi ;;
        start:embassy-watch|restart:embassy-watch) stop_watch "$h"; start_watch "$h" ;;
        stop:embassy-watch) stop_watch "$h" ;;
        enable:embassy-*) svc_enable "$u"; if ((now)); then svc_start "$u"; fi ;;
        disable:embassy-*) svc_disable "$u"; if ((now)); then svc_stop "$u"; fi ;;
        start:embassy-*) svc_start "$u" ;;
        stop:embassy-*) svc_stop "$u" ;;
        restart:embassy-*) svc_stop "$u"; svc_start "$u" ;;
        *) echo "systemctl $verb $u: not played by scripts/pair" >&2; return 2 ;;
      esac
    done
  }
  mariadb() { command mariadb --defaults-file="$d/my.cnf" "$@"; }
  # scp and rsync between hosts: HOST:PATH is that host's folder (globs in it expanded there).
  scp() {
    local opts=() args=() a p
    for a in "$@"; do case "$a" in -*) opts+=("$a") ;; *) p=$(runbook_remote "$a"); for a in $p; do args+=("$a"); done ;; esac; done
    cp -p "${opts[@]/-r/-R}" "${args[@]}"
  }
  rsync() {
    local opts=() args=() a
    for a in "$@"; do case "$a" in -*) opts+=("$a") ;; *) args+=("$(runbook_remote "$a")") ;; esac; done
    command rsync "${opts[@]}" "${args[@]}"
  }
  cd "$d/root"
  set -euo pipefail
  eval "$text"
}

runbook_db_stop() { [ -f "$state_dir/$1/db.pid" ] && mariadb_stop "$(cat "$state_dir/$1/db.pid")" ""; rm -f "$state_dir/$1/db.pid"; }

# The install block on an empty folder standing for a new server's root: apt-get and useradd are left to the real
# server (logged), `dotnet publish` takes the application the pair published, ownership is the real server's; then
# every program the installed units and drop-ins start must be where they say, and MariaDB's configuration in place.
runbook_install_check() {
  local r=$state_dir/I
  rm -rf "$r"; mkdir -p "$r"
  local text; text=$(RUNBOOK_APP=$r/opt/embassy runbook_text install I) || return $?
  mkdir -p "$state_dir/runbook"; echo install >> "$state_dir/runbook/ran"
  (
    apt-get() { echo "(the server's) apt-get $*" >&2; }
    useradd() { echo "(the server's) useradd $*" >&2; }
    install() { # without -o/-g: no service user here
      local a=() skip=0 x
      for x in "$@"; do if ((skip)); then skip=0; elif [ "$x" = -o ] || [ "$x" = -g ]; then skip=1; else a+=("$x"); fi; done
      command install "${a[@]}"
    }
    dotnet() { local out="" prev=""; for x in "$@"; do [ "$prev" = -o ] && out=$x; prev=$x; done; mkdir -p "$out"; command rsync -a --exclude=/deploy "$state_dir/app/" "$out/"; }   # as published (the pair adds deploy/)
    systemctl() { echo "(the server's) systemctl $*" >&2; }
    cd "$root"; set -euo pipefail; eval "$text"
  ) || { echo "runbook:install failed" >&2; return 1; }
  local unit line cmd n=0 missing=0
  for unit in "$r"/etc/systemd/system/*.service "$r"/etc/systemd/system/*.service.d/*.conf; do
    [ -f "$unit" ] || { echo "runbook:install: no unit files in /etc/systemd/system" >&2; return 1; }
    while IFS= read -r line; do
      case "$line" in ExecStart=*|ExecStartPre=*|ExecStartPost=*|ExecStop=*) ;; *) continue ;; esac
      cmd=${line#*=}; cmd=${cmd#[-+]}; cmd=${cmd#[-+]}; cmd=${cmd%% *}
      n=$((n + 1))
      [ -x "$r$cmd" ] || { echo "runbook:install: $(basename "$unit") runs $cmd, which the install steps did not put there" >&2; missing=$((missing + 1)); }
    done < "$unit"
  done
  for cmd in /etc/mysql/mariadb.conf.d/60-embassy.cnf /etc/mysql/mariadb.conf.d/61-embassy-server.cnf; do
    n=$((n + 1)); [ -f "$r$cmd" ] || { echo "runbook:install: $cmd is missing" >&2; missing=$((missing + 1)); }
  done
  echo "RUNBOOK install paths=$((n - missing))/$n"
  [ "$missing" = 0 ]
}
