#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis, authenticated as an admin.
#
# 1. Installs schemathesis (pinned, in a virtualenv under target/client-tools), and builds ccplane.
# 2. Starts `ccplane serve` (embedded emulator, reconciler on) against a fresh database, with a
#    token made by `ccplane token create --binding 'admin:*'`.
# 3. Runs every schemathesis check on every operation, positive and negative data, in every
#    phase (the spec's examples, coverage, fuzzing, and stateful sequences along its links),
#    FUZZ_EXAMPLES test cases per operation and phase, with a fixed seed: fails on any 5xx, any
#    response that contradicts the spec, and any invalid request accepted.
# 4. Checks that no request left a partial write: every resource has its SpecCreated event, and
#    one SpecChanged event for each generation past the first.
# Prints the number of test cases schemathesis tried.
#
# Settings (environment): PGHOST, PGPORT, PGUSER (127.0.0.1, 5432, postgres; trust auth),
# FUZZ_EXAMPLES (25), FUZZ_SEED (1; `random` for a new one),
# SKIP_BUILD=1 to use target/debug/ccplane as built. Drops and recreates the database ccplane_fuzz
# (FUZZ_DB names another).
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
EXAMPLES="${FUZZ_EXAMPLES:-25}"
SEED="${FUZZ_SEED:-1}"
DB="${FUZZ_DB:-ccplane_fuzz}"
DB_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
BIN=target/debug/ccplane
WORK="$(mktemp -d)"

# A pinned schemathesis in a virtualenv of its own (target/client-tools/fuzz).
# shellcheck source=scripts/client-tools.sh
source scripts/client-tools.sh
venv="$(python_tools fuzz "schemathesis==4.32.5")"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --quiet --bin ccplane
fi

server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

psql -q -d postgres -c "drop database if exists $DB with (force)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
api="http://127.0.0.1:$port"
"$BIN" migrate --database-url "$DB_URL" 2>/dev/null
token="$(RUST_LOG=warn "$BIN" token create --database-url "$DB_URL" --description fuzz --binding 'admin:*')"
# What `DELETE /v1/tokens/{id}` revokes: this one, never the token the run is using.
victim="$(RUST_LOG=warn "$BIN" token create --database-url "$DB_URL" --description victim --binding 'viewer:*')"
victim_id="${victim:4:16}"
# No rate limit: 429 is in the spec, but every answer it replaces is one check fewer.
RUST_LOG="${RUST_LOG:-warn}" "$BIN" serve --addr "127.0.0.1:$port" --database-url "$DB_URL" \
    --rate-limit-per-token 0 --first-poll-secs 0.2 --retry-base-secs 0.2 >"$WORK/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -sf "$api/readyz" >/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.2
done

seed_args=()
[[ "$SEED" != random ]] && seed_args=(--seed "$SEED")
echo "== schemathesis against $api: $EXAMPLES examples per operation, seed $SEED"
status=0
# Schema-valid requests may still be refused for what a schema cannot say: a cursor this API did
# not issue (400); a name that is taken or being deleted (409); an If-Match with a made-up ETag
# (412); a region the namespace does not allow, an expiry in the past, Cognito's cross-field
# rules (422). Each is a documented answer of its operation, with its own example.
# A live stream (`watch=true`) never ends by design: the namespace timeline is fuzzed as a list.
cat >"$WORK/schemathesis.toml" <<TOML
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "412", "422", "429"]

[[operations]]
include-operation-id = "list_namespace_events"
parameters = { "query.watch" = false }

[[operations]]
include-operation-id = "delete_token"
parameters = { "path.id" = "$victim_id" }
TOML
# From the scratch folder, where schemathesis keeps its cache.
(cd "$WORK" && NO_COLOR=1 "$venv/bin/python" -m schemathesis.cli --config-file "$WORK/schemathesis.toml" run "$api/openapi.json" \
    --checks all \
    --max-examples "$EXAMPLES" \
    "${seed_args[@]}" \
    --header "Authorization: Bearer $token" \
    --request-timeout 10 \
    --workers 1 \
    --suppress-health-check too_slow,filter_too_much \
    --report ndjson --report-ndjson-path "$WORK/events.ndjson" \
    --no-color \
    --generation-database none \
    ) >"$WORK/schemathesis.txt" 2>&1 || status=$?
cat "$WORK/schemathesis.txt"

tried="$(python3 - "$WORK/events.ndjson" <<'EOF'
import json, sys
cases = 0
for line in open(sys.argv[1]):
    event = json.loads(line)
    for name, body in event.items():
        if name == "ScenarioFinished":
            cases += len(body.get("recorder", {}).get("cases", {}))
print(cases)
EOF
)"
echo "fuzz-api: schemathesis tried $tried test cases"

if grep -q "panicked\|ERROR" "$WORK/server.log"; then
    echo "fuzz-api: the server logged errors:" >&2
    grep "panicked\|ERROR" "$WORK/server.log" | head -20 >&2
    status=1
fi

echo "== no partial writes"
partial="$(psql -d "$DB" -tA <<'SQL'
-- A resource without its creation event, or whose generation has no change event for it.
select 'no SpecCreated: ' || r.namespace || '/' || r.name
from resources r
where not exists (
    select 1 from events e where e.resource_id = r.id and e.kind = 'SpecCreated' and e.generation = 1
)
union all
select 'generation ' || r.generation || ' but ' || count(distinct e.generation) || ' SpecChanged generations: '
       || r.namespace || '/' || r.name
from resources r
left join events e on e.resource_id = r.id and e.kind = 'SpecChanged' and e.generation > 1
group by r.id
having r.generation <> 1 + count(distinct e.generation)
    or r.generation < coalesce(max(e.generation), 1);
SQL
)"
resources="$(psql -d "$DB" -tAc 'select count(*) from resources')"
events="$(psql -d "$DB" -tAc 'select count(*) from events')"
echo "fuzz-api: $resources resources and $events events in the database"
if [[ -n "$partial" ]]; then
    echo "fuzz-api: partial writes:" >&2
    echo "$partial" >&2
    status=1
fi

if [[ "$status" != 0 ]]; then
    echo "fuzz-api: FAILED" >&2
    exit "$status"
fi
echo "fuzz-api: passed"
