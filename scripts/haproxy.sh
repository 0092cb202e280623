#!/usr/bin/env bash
# HAProxy for tests that need a TCP proxy in front of a server.
#   scripts/haproxy.sh ensure   install Debian's haproxy if missing; prints the binary's path
set -euo pipefail

find_haproxy() {
  command -v haproxy 2>/dev/null || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; }
}

case "${1:-}" in
  ensure)
    if ! find_haproxy >/dev/null; then
      echo "haproxy: installing haproxy" >&2
      SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
      $SUDO apt-get update -qq
      $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    fi
    find_haproxy || { echo "haproxy: haproxy not found after installing it" >&2; exit 1; }
    ;;
  *) echo "usage: scripts/haproxy.sh ensure" >&2; exit 2 ;;
esac
