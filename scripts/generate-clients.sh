#!/usr/bin/env bash
# Regenerates the published clients from openapi/openapi.json:
#   clients/typescript/src/schema.ts   openapi-typescript (pinned in clients/typescript/package-lock.json)
#   clients/python/ccplane_client/     openapi-python-client and ruff (pinned below)
# With --check, generates into a scratch folder and fails when the committed clients differ (CI).
# Installs the generators on first use: npm packages into clients/typescript/node_modules, Python
# ones into a virtualenv under target/client-tools.
set -euo pipefail
cd "$(dirname "$0")/.."

OPENAPI_PYTHON_CLIENT=0.29.1
RUFF=0.17.6
check=0
[[ "${1:-}" == --check ]] && check=1

# shellcheck source=scripts/client-tools.sh
source scripts/client-tools.sh
install_node_packages
venv="$(python_tools generators "openapi-python-client==$OPENAPI_PYTHON_CLIENT" "ruff==$RUFF")"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd clients/typescript && npx --no-install openapi-typescript ../../openapi/openapi.json --output "$out/schema.ts" --silent)
# The generator runs `ruff check --fix` and `ruff format` on its output: ruff comes from the venv.
PATH="$venv/bin:$PATH" "$venv/bin/openapi-python-client" generate --path openapi/openapi.json \
    --config clients/python/generator.yaml --output-path "$out/python" --meta none >"$out/python.log" 2>&1 \
    || { cat "$out/python.log" >&2; exit 1; }
rm -rf "$out/python/.ruff_cache"

if [[ "$check" == 1 ]]; then
    status=0
    diff -u clients/typescript/src/schema.ts "$out/schema.ts" || status=1
    diff -ru clients/python/ccplane_client "$out/python" || status=1
    if [[ "$status" != 0 ]]; then
        echo "generate-clients: the clients are stale; regenerate them with ./scripts/generate-clients.sh" >&2
        exit 1
    fi
    echo "generate-clients: the clients match openapi/openapi.json"
    exit 0
fi
cp "$out/schema.ts" clients/typescript/src/schema.ts
rm -rf clients/python/ccplane_client
cp -r "$out/python" clients/python/ccplane_client
echo "generate-clients: regenerated clients/typescript/src/schema.ts and clients/python/ccplane_client"
