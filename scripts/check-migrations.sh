#!/usr/bin/env bash
# Fails when a migration that was already on main has been changed, renamed or removed: a
# replica or server that ran the old text would never run the new one (issue 25; 010 and 003
# were edited once, and 012 mends the replicas that ran the first 010). A change to the schema
# is a new file. Checks every commit since this check was added (a pinned hash edited in the
# same commit as its file is no guard); in a shallow clone, the last commit only.
#
#   scripts/check-migrations.sh          # exit 0 or 1, naming each edited migration and its commit
set -euo pipefail
cd "$(dirname "$0")/.."

migrations=('Schema/replica/*.sql' 'Schema/server/*.sql' 'Schema/postgres/*.sql')
since="$(git log --format=%H --diff-filter=A -- scripts/check-migrations.sh 2>/dev/null | tail -n 1)"
if [ -z "$since" ] || [ "$(git rev-parse --is-shallow-repository)" = true ]; then
  commits="$(git rev-parse HEAD)"
else
  commits="$(git rev-list "$since"..HEAD) $since"
fi
failed=0
for commit in $commits; do
  git rev-parse -q --verify "$commit^" >/dev/null || continue
  edited="$(git diff --name-only --diff-filter=MDRT "$commit^" "$commit" -- "${migrations[@]}")"
  if [ -n "$edited" ]; then
    failed=1
    while IFS= read -r file; do
      echo "error: $file was already on main and is changed by $(git log -1 --format='%h (%s)' "$commit" | cut -c1-100)" >&2
    done <<< "$edited"
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "hint: a shipped migration is never edited: put the change in a new file (Schema/…/NNN_name.sql) and list it in Schema/Schema.swift" >&2
  exit 1
fi
