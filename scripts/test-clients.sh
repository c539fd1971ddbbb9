#!/usr/bin/env bash
# The published clients' lifecycle tests against a live `ccplane serve` (embedded emulator,
# reconciler on, API tokens on): clients/typescript (tsc --strict, node's test runner) and
# clients/python (installed with pip into a virtualenv, pytest).
#
# Installs what the tests need: the npm packages of clients/typescript (npm ci) and, under
# target/client-tools, a virtualenv with pytest and the Python client.
# Settings (environment): PGHOST, PGPORT, PGUSER (127.0.0.1, 5432, postgres; trust auth),
# SKIP_BUILD=1 to use target/debug/ccplane as built. Drops and recreates the database ccplane_clients
# (CLIENTS_DB names another).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTEST=8.4.2
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DB="${CLIENTS_DB:-ccplane_clients}"

# shellcheck source=scripts/client-tools.sh
source scripts/client-tools.sh
install_node_packages
venv="$(python_tools clients "pytest==$PYTEST")"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./clients/python
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check ./clients/python
start_test_server "$DB" clients

status=0
echo "== clients/typescript: tsc --strict, then the lifecycle test"
(cd clients/typescript && npm test --silent) || status=1
echo "== clients/python: the lifecycle test"
(cd "$WORK" && "$venv/bin/python" -m pytest -q -p no:cacheprovider "$OLDPWD/clients/python/tests") || status=1
if grep -q "panicked\|ERROR" "$WORK/server.log"; then
    echo "test-clients: the server logged errors:" >&2
    grep "panicked\|ERROR" "$WORK/server.log" | head -20 >&2
    status=1
fi
[[ "$status" == 0 ]] && echo "test-clients: passed" || echo "test-clients: FAILED" >&2
exit "$status"
