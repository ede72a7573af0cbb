#!/usr/bin/env bash
# Does the README work for a newcomer? Clones this repository's committed HEAD (or REF) into a temporary folder and
# runs exactly the README's two commands there with an empty npm cache, then reports what happened:
#   1. `npm install && npm run dev`: waits until the dev server answers with the app's page, then stops it;
#   2. `npm ci && npm test`: the whole suite, as CI runs it.
# Usage: bash scripts/fresh-clone-check.sh [REF]        (logs kept in the printed folder)
# Uncommitted changes are not part of the check: commit first. Needs the system programs `npm test` installs
# (scripts/system-deps.sh runs as its pretest step, as for any user).
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
ref="${1:-HEAD}"
work="$(mktemp -d /tmp/tls-lab-fresh-XXXXXX)"
export npm_config_cache="$work/npm-cache"
export npm_config_update_notifier=false
clone="$work/tls-lab"
say() { printf '%s fresh-clone-check: %s\n' "$(date -u +%H:%M:%S)" "$*"; }

git clone --quiet --no-hardlinks "$repo" "$clone" || { say "clone failed"; exit 2; }
git -C "$clone" checkout --quiet --detach "$ref" || { say "no such ref: $ref"; exit 2; }
say "clone of $(git -C "$clone" rev-parse --short HEAD) ($(git -C "$clone" log -1 --format=%s | cut -c1-70)) in $clone"
say "empty npm cache at $npm_config_cache; node $(node --version), npm $(npm --version)"
cd "$clone" || exit 2

# 1. npm install && npm run dev
start=$(date +%s)
if ! npm install --no-audit --no-fund >"$work/install.log" 2>&1; then
  say "FAIL: npm install (log: $work/install.log)"; tail -20 "$work/install.log"; exit 1
fi
say "npm install: ok in $(($(date +%s) - start)) s"
start=$(date +%s)
setsid npm run dev >"$work/dev.log" 2>&1 &
dev=$!
url=''
for _ in $(seq 1 120); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/dev.log" | head -1)"
  [ -n "$url" ] && curl -fsS "$url" 2>/dev/null | grep -q '<div id="app"' && break
  url=''
  sleep 0.5
done
kill -- -"$dev" 2>/dev/null
wait "$dev" 2>/dev/null
if [ -z "$url" ]; then
  say "FAIL: npm run dev did not serve the app within 60 s (log: $work/dev.log)"; tail -20 "$work/dev.log"; exit 1
fi
say "npm run dev: served the app at $url after $(($(date +%s) - start)) s"

# 2. npm ci && npm test
start=$(date +%s)
npm ci --no-audit --no-fund >"$work/test.log" 2>&1 && npm test >>"$work/test.log" 2>&1
status=$?
took=$(($(date +%s) - start))
sed 's/\x1b\[[0-9;]*m//g' "$work/test.log" | grep -E '^ *(Test Files|Tests) ' | sed "s/^/  /"
grep -E 'first page|gzip' "$work/test.log" | tail -2 | sed 's/^/  /'
if [ "$status" -ne 0 ]; then
  say "FAIL: npm ci && npm test exited $status after $took s (log: $work/test.log)"
  grep -E 'FAIL|Error' "$work/test.log" | sed 's/\x1b\[[0-9;]*m//g' | head -20
  exit 1
fi
say "npm ci && npm test: passed in $took s (log: $work/test.log)"
