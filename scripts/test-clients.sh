#!/usr/bin/env bash
# The published clients' lifecycle tests against a live `ccplane serve` (embedded emulator,
# reconciler on, API tokens on): clients/typescript (tsc --strict, node's test runner) and
# clients/python (installed with pip into a virtualenv, pytest).
#
# Installs what the tests need: the npm packages of clients/typescript (npm ci) and, under
# target/client-tools, a virtualenv with pytest and the Python client.
# Settings (environment): PGHOST, PGPORT, PGUSER (127.0.0.1, 5432, postgres; trust auth),
# SKIP_BUILD=1 to use target/debug/ccplane as built. Drops and recreates the database ccplane_clients.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTEST=8.4.2
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DB=ccplane_clients
DB_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
BIN=target/debug/ccplane

# shellcheck source=scripts/client-tools.sh
source scripts/client-tools.sh
install_node_packages
venv="$(python_tools clients "pytest==$PYTEST")"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./clients/python
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check ./clients/python
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --quiet --bin ccplane
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

psql -q -d postgres -c "drop database if exists $DB with (force)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export CCPLANE_URL="http://127.0.0.1:$port"
"$BIN" migrate --database-url "$DB_URL" >/dev/null 2>&1
CCPLANE_TOKEN="$(RUST_LOG=warn "$BIN" token create --database-url "$DB_URL" --description clients --binding 'admin:*')"
export CCPLANE_TOKEN
RUST_LOG="${RUST_LOG:-warn}" "$BIN" serve --addr "127.0.0.1:$port" --database-url "$DB_URL" \
    --first-poll-secs 0.2 --retry-base-secs 0.2 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -sf "$CCPLANE_URL/readyz" >/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
done

status=0
echo "== clients/typescript: tsc --strict, then the lifecycle test"
(cd clients/typescript && npm test --silent) || status=1
echo "== clients/python: the lifecycle test"
(cd "$work" && "$venv/bin/python" -m pytest -q -p no:cacheprovider "$OLDPWD/clients/python/tests") || status=1
if grep -q "panicked\|ERROR" "$work/server.log"; then
    echo "test-clients: the server logged errors:" >&2
    grep "panicked\|ERROR" "$work/server.log" | head -20 >&2
    status=1
fi
[[ "$status" == 0 ]] && echo "test-clients: passed" || echo "test-clients: FAILED" >&2
exit "$status"
