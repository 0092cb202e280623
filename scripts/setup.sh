#!/usr/bin/env bash
# Installs what building Gloss needs on a fresh Debian machine (idempotent, quiet when all is there).
set -euo pipefail

need=()
# libcurl4-openssl-dev: `gloss` links the Swift runtime and Foundation statically (Package.swift),
# which brings FoundationNetworking's libcurl in at link time.
for pkg in libsqlite3-dev zlib1g-dev libcurl4-openssl-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# The terminal tests (TerminalTests) run gloss on a real terminal, tmux, with the pager and
# editor a fresh account has: less and vi (vim-tiny is Debian's smallest vi).
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v less >/dev/null 2>&1 || need+=(less)
command -v vi >/dev/null 2>&1 || need+=(vim-tiny)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; else
    echo "setup: Swift 6.1 or later is required (https://www.swift.org/install)" >&2; exit 1
  fi
fi
