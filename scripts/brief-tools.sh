#!/usr/bin/env bash
# Installs the third-party checkers the export tests run on real exported files (idempotent,
# quiet when all is there):
#
#   cmark-gfm   (Debian)  GitHub's CommonMark/GFM parser, with footnotes: the Markdown brief
#   chromium    (Debian)  a headless browser: the HTML brief renders, without console errors
#   chromium-driver (Debian) and selenium (PyPI, in the same venv): the reader page's tests
#               (`gloss open`, ReaderPageTests) drive a real Chromium with real mouse and keys
#   pyld, jsonschema (PyPI, in a venv at .build/brief-tools/venv): scripts/w3c-check.py expands
#               the W3C export as JSON-LD and validates it against the W3C test suite's schemas
#
# Prints nothing on success; the tests find the venv's python at the path above (or
# $GLOSS_BRIEF_PYTHON).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need=()
command -v cmark-gfm >/dev/null 2>&1 || need+=(cmark-gfm)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "brief-tools: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

venv="$root/.build/brief-tools/venv"
# Pinned: the checks' results must not move with a release.
requirements="pyld==2.0.4 jsonschema==4.23.0 selenium==4.51.0"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$requirements" ]; then
  echo "brief-tools: installing $requirements in $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $requirements
  printf '%s' "$requirements" > "$stamp"
fi
