#!/usr/bin/env bash
# The production start on a copy of this checkout, as an operator runs it:
#   npm run build:server && npm prune --omit=dev && npm run start:prod   (on MariaDB)
# The copy gets the tracked files and a hard-linked node_modules (seconds, no download), so pruning the
# dev dependencies there leaves this checkout untouched. Exits non-zero, naming the step, when it fails.
# Needs MariaDB at 127.0.0.1:3306 (root, empty password) unless PROD_START_DATABASE_URL says otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/jifen-prod-start.XXXXXX)"
app="$work/app"
db_url="${PROD_START_DATABASE_URL:-mysql://root@127.0.0.1:3306/jifen_prod_start_$$}"
port="${PROD_START_PORT:-39$(( $$ % 90 + 10 ))}"
pid=""
cleanup() {
  # npm does not pass the signal on to node: stop the whole process group that setsid gave the server.
  if [ -n "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -d "$app/node_modules/mysql2" ] && [ -z "${PROD_START_DATABASE_URL:-}" ]; then
    (cd "$app" && DB_URL="$db_url" node -e "const u=new URL(process.env.DB_URL);const n=u.pathname.slice(1);u.pathname='/';require('mysql2/promise').createConnection(u.toString()).then(c=>c.query('DROP DATABASE IF EXISTS \`'+n+'\`').then(()=>c.end()))") || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '[prod-start] %s\n' "$*"; }
t0=$(date +%s)

step "copying the checkout to $app (hard-linked node_modules)"
mkdir -p "$app"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -cf - -T - 2>/dev/null) | tar -xf - -C "$app"
for nm in node_modules shared/node_modules server/node_modules client/node_modules; do
  if [ -d "$root/$nm" ]; then mkdir -p "$(dirname "$app/$nm")"; cp -al "$root/$nm" "$app/$nm"; fi
done
# npm rewrites its hidden lockfile during prune: give the copy its own file, not a link to ours.
for f in "$app"/node_modules/.package-lock.json; do [ -f "$f" ] && cp --remove-destination "$root/node_modules/.package-lock.json" "$f"; done

cd "$app"
step "copied in $(( $(date +%s) - t0 )) s; npm run build:server"
npm run build:server --silent
t1=$(date +%s)
step "npm prune --omit=dev"
npm prune --omit=dev --no-audit --no-fund >/dev/null
if [ -e node_modules/tsx ] || [ -e node_modules/typescript ] || [ -e node_modules/esbuild ]; then
  step "FAILED: dev dependencies are still installed after the prune"; exit 1
fi

step "pruned in $(( $(date +%s) - t1 )) s"
t1=$(date +%s)
step "npm run start:prod on ${db_url%%\?*} (port $port)"
NODE_ENV=production PORT="$port" DATABASE_URL="$db_url" JWT_SECRET="ci-prod-start-jwt-secret-0123456789abcdef" \
  MEMBER_CODE_SECRET="ci-prod-start-code-secret-0123456789abcdef" WECHAT_APPID=wx-ci WECHAT_SECRET=ci LOG_LEVEL=warn \
  setsid npm run start:prod --silent >"$work/server.log" 2>&1 &
pid=$!
ok=""
for _ in $(seq 1 120); do
  if node -e "fetch('http://127.0.0.1:$port/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then ok=1; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done
if [ -z "$ok" ]; then step "FAILED: the compiled server did not answer /api/v1/health"; cat "$work/server.log"; exit 1; fi
node -e "fetch('http://127.0.0.1:$port/api/v1').then(r=>r.json()).then(j=>{console.log('[prod-start] GET /api/v1 ->',JSON.stringify(j));process.exit(j.version?0:1)})"
step "first answer $(( $(date +%s) - t1 )) s after start"
step "OK: built, pruned to production dependencies and answering in $(( $(date +%s) - t0 )) s"
