# The front (deploy/nginx/embassy-front.conf) run by Debian's nginx in a private directory, for benchmarks and
# drills: front_start APP_PORT DIR [DATA_DIR] starts it on a free loopback port (FRONT_PORT, FRONT_PID), sending files
# from DATA_DIR/media and DATA_DIR/image-cache (the app's defaults); front_stop stops it by PID. The limits are
# deploy/nginx/front-limits.env's unless set in the environment (STREAMS_PER_CLIENT=60000 …; nginx takes at most 65535).
# For a host of scripts/pair: FRONT_IP (where it listens and reaches the app; default 127.0.0.1), FRONT_PORT_WANTED
# (default a free port), FRONT_EXEC (a prefix it runs under, e.g. "ip netns exec emb-pA").
front_start() {
  local app_port=$1 dir=$2 data=${3:-$2/no-data} root ip=${FRONT_IP:-127.0.0.1}; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  mkdir -p "$dir/cache"   # nginx makes the cache's own folders, not their parent
  FRONT_PORT=${FRONT_PORT_WANTED:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  local limits=() name value
  while IFS='=' read -r name value; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    limits+=(-e "s|@$name@|${!name:-$value}|")
  done < "$root/deploy/nginx/front-limits.env"
  sed -e "s|@LISTEN@|$ip:$FRONT_PORT|" -e "s|@APP@|$ip:$app_port|" -e "s|@CACHE_DIR@|$dir/cache|" \
    -e "s|@MEDIA_DIR@|$data/media|" -e "s|@DERIVATIVES_DIR@|$data/image-cache|" "${limits[@]}" \
    "$root/deploy/nginx/embassy-front.conf" > "$dir/front.conf"
  if grep -q '@[A-Z_]*@' "$dir/front.conf"; then echo "front.conf: unfilled $(grep -o '@[A-Z_]*@' "$dir/front.conf" | head -1)" >&2; return 1; fi
  local user=""; [ "$(id -u)" = 0 ] && user="user root;"
  cat > "$dir/nginx.conf" <<CONF
$user
worker_processes auto;
pid $dir/nginx.pid;
daemon off;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
    include $dir/front.conf;
}
CONF
  ${FRONT_EXEC:-} /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  FRONT_PID=$!
  for _ in $(seq 100); do (exec 3<>/dev/tcp/$ip/$FRONT_PORT) 2>/dev/null && return 0; sleep 0.05; done
  echo "the front did not start: $(cat "$dir/error.log")" >&2; return 1
}
front_stop() { [ -n "${FRONT_PID:-}" ] && kill "$FRONT_PID" 2>/dev/null && wait "$FRONT_PID" 2>/dev/null; FRONT_PID=""; }
