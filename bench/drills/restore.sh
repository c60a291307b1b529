#!/usr/bin/env bash
# The restore drill, on loopback with the production files and embassy-ctl: content and media on a pair, a backup from
# the standby (embassy-ctl backup), more content and media, an item deleted by mistake; then a fresh server restored to
# just before the deletion (embassy-ctl restore-db, then replay of the primary's binary logs up to the last transaction
# before it), and its media from the backup plus what the surviving server has. Every acknowledged publication must be
# there (the deleted one too), and every media file with its SHA-256. The restore runs deploy/RUNBOOK.md's own blocks
# (scripts/pair runbook).
# Last line: RESTORE items=N/N media=N/N lost=0
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'scripts/pair down >/dev/null 2>&1 || true' EXIT
scripts/pair down >/dev/null 2>&1 || true
work=$(mktemp -d /tmp/embassy-restore.XXXXXX); log=$work/drill.log
step() { echo "== $*" | tee -a "$log"; }
url() { echo "http://127.0.0.1:$(cat .pair/$1/app.port)"; }
sql() { mariadb --defaults-file=.pair/$1/my.cnf -N -B -e "$2"; }
acked=$work/acked.txt; : > "$acked"
publish() { bench/drills/editor.py publish "$(url A)" "$@" | tee -a "$log" | grep -v '^- ' | cut -d' ' -f1 >> "$acked" || true; }
upload() { # upload NAME: a small PDF of its own bytes
  printf '%%PDF-1.4\n%% %s %s\n' "$1" "$(head -c 3000 /dev/urandom | base64 -w0)" > "$work/$1.pdf"
  bench/drills/editor.py upload "$(url A)" "docs/$1.pdf" "$work/$1.pdf" || { echo "upload of $1 failed" >&2; exit 1; }
}
synced() { for _ in $(seq 100); do [ "$(sql B "SELECT @@global.gtid_slave_pos")" = "$(sql A "SELECT @@global.gtid_binlog_pos")" ] && return 0; sleep 0.1; done; return 1; }

step "a pair with content and media"
scripts/pair up >> "$log"
publish before-1 before-2 before-3 before-4 before-5
upload visa; upload passport; upload consulate
synced
for _ in $(seq 100); do [ -f .pair/B/var/lib/embassy/media/docs/consulate.pdf ] && break; sleep 0.2; done

step "backup on the standby (embassy-ctl backup)"
scripts/pair ctl B backup "$work/backup" 2>&1 | tee -a "$log"

step "more content and media after the backup, then an item deleted by mistake"
publish after-1 after-2 after-3 after-4
upload embassy-map
before_deletion=$(sql A "SELECT @@global.gtid_binlog_pos")
victim=$(head -1 "$acked")
bench/drills/editor.py delete "$(url A)" "$victim" || { echo "the deletion was not confirmed" >&2; exit 1; }
echo "deleted $victim after $before_deletion" | tee -a "$log"

step "restore a fresh server to just before the deletion (the runbook's restore blocks)"
scripts/pair fresh-host C >> "$log" 2>&1
mkdir -p .pair/C/backup && cp -a "$work/backup" .pair/C/backup/restore   # the backup's folder, copied to the new server
for block in restore-db restore-binlogs restore-replay restore-media; do
  scripts/pair runbook "$block" C backup=/backup/restore primary=A surviving=B last-gtid-to-keep="$before_deletion" 2>&1 | tee -a "$log"
done
media=.pair/C/var/lib/embassy/media

step "check: every acknowledged publication and every media file"
total=$(wc -l < "$acked")
ids=$(sed "s/.*/'&'/" "$acked" | paste -sd, -)
present=$(sql C "SELECT COUNT(DISTINCT ContentItemId) FROM embassy.ContentItems WHERE Published = 1 AND ContentItemId IN ($ids)")
sql C "SELECT CONCAT(Sha256, '  ', Path) FROM embassy.MediaFiles" > "$work/restored.sha256"
files=$(wc -l < "$work/restored.sha256")
good=$( (cd "$media" && sha256sum -c "$work/restored.sha256" 2>/dev/null || true) | grep -c ': OK$' || true)
echo "deleted item restored: $(sql C "SELECT COUNT(*) FROM embassy.ContentItems WHERE ContentItemId = '$victim' AND Published = 1")" | tee -a "$log"
echo "RESTORE items=$present/$total media=$good/$files lost=$((total - present + files - good))"
[ "$present" = "$total" ] && [ "$good" = "$files" ] && [ "$files" -ge 4 ]
