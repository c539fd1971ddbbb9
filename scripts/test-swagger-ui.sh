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

if [[ ! -x "$CHROMIUM" ]]; then
    echo "test-swagger-ui: installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# shellcheck source=scripts/client-tools.sh
source scripts/client-tools.sh
venv="$(python_tools browser "playwright==$PLAYWRIGHT")"
start_test_server "$DB" swagger-ui
"$venv/bin/python" scripts/swagger_ui_check.py
