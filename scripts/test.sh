#!/usr/bin/env bash
# The test command: every unit and integration test against the local Postgres, then the
# published clients' lifecycle tests (scripts/test-clients.sh) against a live server.
# Each #[sqlx::test] creates (and drops) its own database through DATABASE_URL.
#
# The client tests need Node.js (npm) and Python 3 and install their packages themselves; on a
# machine without them they are skipped with a note. CLIENT_TESTS=required (as CI sets) makes a
# missing tool an error; CLIENT_TESTS=skip leaves them out.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
cargo test --workspace --all-targets "$@"

case "${CLIENT_TESTS:-auto}" in
    skip) exit 0 ;;
    required) ;;
    *)
        for tool in npm python3; do
            if ! command -v "$tool" >/dev/null; then
                echo "test.sh: $tool not found: skipping the client tests (scripts/test-clients.sh)"
                exit 0
            fi
        done
        ;;
esac
# The binary the tests above built.
SKIP_BUILD=1 ./scripts/test-clients.sh
