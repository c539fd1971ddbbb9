#!/usr/bin/env bash
# Lints openapi/openapi.json with Redocly CLI's recommended ruleset (pinned; fetched by npx from
# the npm registry on first use): fails on any error. Warnings are printed; the two it gives
# today are /healthz and /readyz having no 4xx answer, which they do not have.
set -euo pipefail
cd "$(dirname "$0")/.."

REDOCLY=2.77.0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# From a scratch folder, so no stray configuration file is picked up.
(cd "$work" && npx --yes "@redocly/cli@$REDOCLY" lint "$OLDPWD/openapi/openapi.json" \
    --extends recommended --format stylish 2>&1) | grep -v "^ *║\|^ *╔\|^ *╚" || exit 1
