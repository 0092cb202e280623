#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, benchmarks and demos, on loopback only.
#   scripts/postgres.sh start DIR          start (or find running) a server in DIR; prints its URL
#   scripts/postgres.sh stop DIR           stop it (quiet when not running)
#   scripts/postgres.sh url DIR            print the URL of the running server in DIR
#   scripts/postgres.sh psql DIR [ARGS…]   run psql against it
# The URL is postgres://gloss@127.0.0.1:PORT/gloss: superuser role `gloss`, database `gloss`,
# trust auth, no password. DIR holds data/ (the cluster), postgres.log, url and the unix socket.
# Only the URL goes to stdout; progress and errors go to stderr.
set -euo pipefail

USER_DB=gloss
die() { echo "postgres: $*" >&2; exit 1; }

usage() {
  echo "usage: scripts/postgres.sh start|stop|url DIR | psql DIR [psql args...]" >&2
  exit 2
}

# The server's bin directory (initdb, pg_ctl, psql): PATH first, then Debian's versioned dirs.
find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"; return
  fi
  local d
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  return 1
}

install_postgres() {
  echo "postgres: installing postgresql" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# initdb and pg_ctl refuse to run as root: as root they run as the `postgres` user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then /usr/sbin/runuser -u postgres -- "$@"; else "$@"; fi
}

running() { [ -f "$DIR/data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; }
# The running server's URL; its port is line 4 of postmaster.pid.
url_of() { echo "postgres://$USER_DB@127.0.0.1:$(sed -n 4p "$DIR/data/postmaster.pid")/$USER_DB"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cmd_start() {
  if [ -d "$DIR" ] && running; then url_of | tee "$DIR/url"; return; fi
  mkdir -p "$DIR"
  # The socket path DIR/.s.PGSQL.PORT must fit in sun_path (107 bytes).
  [ ${#DIR} -le 80 ] || die "DIR is too long for a unix socket path (keep it under 80 characters): $DIR"
  if [ "$(id -u)" -eq 0 ]; then
    getent passwd postgres >/dev/null || die "running as root needs a 'postgres' user to run the server as"
    chown postgres: "$DIR"
    as_pg test -w "$DIR" -a -x "$DIR" \
      || die "the postgres user cannot reach $DIR (is a parent directory private, e.g. /root?); use one under /tmp"
  fi

  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    echo "postgres: initdb $DIR/data" >&2
    as_pg "$BIN/initdb" -D "$DIR/data" -U "$USER_DB" --auth=trust -E UTF8 --locale=C --no-sync \
      > "$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  fi

  # A free port can be taken between the probe and the bind: retry a few times.
  local port="" try
  for try in 1 2 3; do
    port=$(free_port)
    echo "postgres: starting on 127.0.0.1:$port (log: $DIR/postgres.log)" >&2
    if as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -s start \
         -o "-c listen_addresses=127.0.0.1 -p $port -k '$DIR' -c fsync=on -c max_connections=200" >&2; then
      break
    fi
    port=""
    [ "$try" -lt 3 ] && echo "postgres: start failed, retrying with another port" >&2
  done
  [ -n "$port" ] || { tail -n 20 "$DIR/postgres.log" >&2 || true; die "could not start the server in $DIR"; }

  local url="postgres://$USER_DB@127.0.0.1:$port/$USER_DB"
  if [ -z "$("$PSQL" "postgres://$USER_DB@127.0.0.1:$port/postgres" -tAc \
        "select 1 from pg_database where datname = '$USER_DB'")" ]; then
    "$PSQL" "postgres://$USER_DB@127.0.0.1:$port/postgres" -qc "create database $USER_DB owner $USER_DB" >&2
  fi
  echo "$url" > "$DIR/url"
  echo "$url"
}

cmd_stop() {
  [ -f "$DIR/data/postmaster.pid" ] || return 0
  if running; then as_pg "$BIN/pg_ctl" -D "$DIR/data" -w -s stop -m fast >&2; fi
}

cmd_url() {
  running || die "no running server in $DIR (start one with: scripts/postgres.sh start $DIR)"
  url_of
}

[ $# -ge 2 ] || usage
CMD=$1; DIR=$2; shift 2
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
DIR="${DIR%/}"

if ! BIN=$(find_bin); then
  [ "$CMD" = start ] || die "no PostgreSQL server binaries found (initdb, pg_ctl)"
  install_postgres
  BIN=$(find_bin) || die "postgresql installed but initdb/pg_ctl not found"
fi
PSQL="$BIN/psql"; [ -x "$PSQL" ] || PSQL=psql

case "$CMD" in
  start) [ $# -eq 0 ] || usage; cmd_start ;;
  stop)  [ $# -eq 0 ] || usage; cmd_stop ;;
  url)   [ $# -eq 0 ] || usage; cmd_url ;;
  psql)  URL=$(cmd_url); exec "$PSQL" "$URL" "$@" ;;
  *)     usage ;;
esac
