#!/usr/bin/env bash
# Starts the built server on a free port with a fresh temporary database seeded with the demo,
# runs the Playwright tests against it (JavaScript on and off), then stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${LIBFOLIO_BIN:-target/debug/libfolio}
[ -x "$bin" ] || { echo "no server binary at $bin: run 'make build-debug' first" >&2; exit 1; }

tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export LIBFOLIO_DATA_DIR="$tmp" LIBFOLIO_ADDR="127.0.0.1:$port" LIBFOLIO_SITE_ROOT=${LIBFOLIO_SITE_ROOT:-target/site}
unset DATABASE_URL

# Demo accounts (librarian, pupils, parent) share this password in the browser tests.
export LIBFOLIO_DEMO_PASSWORD="e2e-demo-password" E2E_DEMO_PASSWORD="e2e-demo-password"
"$bin" seed-demo
# An administrator for the sign-in tests (the password is only for this throw-away database).
export E2E_ADMIN_PASSWORD="e2e-$(date +%s)-password"
echo "$E2E_ADMIN_PASSWORD" | "$bin" create-admin --username admin --display-name "Анна Админова"
"$bin" serve >"$tmp/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/server.log" >&2; exit 1; fi
  sleep 0.2
done

cd end2end
status=0
BASE_URL="http://127.0.0.1:$port" npx playwright test "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log ---" >&2
  tail -n 50 "$tmp/server.log" >&2
fi
exit "$status"
