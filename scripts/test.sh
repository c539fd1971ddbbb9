#!/usr/bin/env bash
# The test command: every unit and integration test against the local Postgres.
# Each #[sqlx::test] creates (and drops) its own database through DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
cargo test --workspace --all-targets "$@"
