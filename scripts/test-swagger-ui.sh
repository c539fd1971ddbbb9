#!/usr/bin/env bash
# Swagger UI in a real browser (scripts/swagger_ui_check.py): headless Chromium from Debian's
# package, driven by Playwright for Python through its executable_path (Playwright's own browser
# download is never used). Starts `ccplane serve` with API tokens on against a fresh database.
#
# Installs what it needs: Debian's chromium with apt-get when /usr/bin/chromium is missing (as
# root), and Playwright (pinned) in the virtualenv under target/client-tools.
# Settings (environment): PGHOST, PGPORT, PGUSER (127.0.0.1, 5432, postgres; trust auth), CHROMIUM
# (/usr/bin/chromium), SKIP_BUILD=1 to use target/debug/ccplane as built. Drops and recreates the
# database ccplane_swagger_ui.
set -euo pipefail
cd "$(dirname "$0")/.."

PLAYWRIGHT=1.65.2
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
DB=ccplane_swagger_ui
DB_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
BIN=target/debug/ccplane

if [[ ! -x "$CHROMIUM" ]]; then
    echo "test-swagger-ui: installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# shellcheck source=scripts/client-tools.sh
source scripts/client-tools.sh
venv="$(python_tools browser "playwright==$PLAYWRIGHT")"
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
CCPLANE_TOKEN="$(RUST_LOG=warn "$BIN" token create --database-url "$DB_URL" --description swagger-ui --binding 'admin:*')"
export CCPLANE_TOKEN
RUST_LOG="${RUST_LOG:-warn}" "$BIN" serve --addr "127.0.0.1:$port" --database-url "$DB_URL" \
    --first-poll-secs 0.2 --retry-base-secs 0.2 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -sf "$CCPLANE_URL/readyz" >/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
done
"$venv/bin/python" scripts/swagger_ui_check.py
