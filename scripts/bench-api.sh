#!/usr/bin/env bash
# API benchmark against the local Postgres, with pgbench on the same machine as the yardstick.
#
# 1. Builds the release server and the load generator (examples/api_bench.rs).
# 2. Starts `ccplane serve` on a fresh database and measures, at $CONCURRENCY connections:
#    PUT of new names, GET by name and the first list page (requests/s, p50, p99), then GET /healthz:
#    the same HTTP stack and middleware with no database work, the floor under the others.
# 3. Measures pgbench on a scratch database: a single-row JSONB insert and a primary-key select
#    (`-M prepared`, same client count, two pgbench threads).
# 4. Prints the ratios and PASS/MISS against the targets:
#    PUT >= 50% of insert TPS, GET >= 50% of select TPS, p99 < 20 ms.
#
# Settings (environment): PGHOST, PGPORT, PGUSER (default 127.0.0.1, 5432, postgres; trust auth),
# CONCURRENCY (32), DURATION (10 s per phase), MAX_REQUESTS (100000 per phase),
# DB_MAX_CONNECTIONS (32), ROLE (api; `all` adds the reconciler), AUTH (tokens; `none` skips
# authentication), PGBENCH_ROWS (100000), EXTRA_SERVE_ARGS (added to `ccplane serve`),
# SKIP_BUILD=1 to use the binaries already built, STRICT=1 to exit 1 when a target is missed.
# Drops and recreates the databases ccplane_bench and ccplane_pgbench (left behind for inspection).
# Takes about a minute after the build (a cold release build, with fat LTO, takes about ten). Run it
# on an otherwise idle machine: the server, Postgres, pgbench and the load generator share the cores.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
CONCURRENCY="${CONCURRENCY:-32}"
DURATION="${DURATION:-10}"
MAX_REQUESTS="${MAX_REQUESTS:-100000}"
DB_MAX_CONNECTIONS="${DB_MAX_CONNECTIONS:-32}"
ROLE="${ROLE:-api}"
AUTH="${AUTH:-tokens}"
PGBENCH_ROWS="${PGBENCH_ROWS:-100000}"
API_DB=ccplane_bench
PGBENCH_DB=ccplane_pgbench

for tool in cargo psql pgbench curl jq; do
    command -v "$tool" >/dev/null || { echo "bench-api: $tool is required" >&2; exit 2; }
done

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --release --bin ccplane --example api_bench
fi

work="$(mktemp -d)"
server_pid=""
stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "${2:-postgres}" -c "$1"; }

# A port nobody listens on (a connection to it is refused).
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "bench-api: no free port found" >&2
    exit 1
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); Postgres $(psql -X -Atc 'show server_version' -d postgres) at $PGHOST:$PGPORT"

# --- API --------------------------------------------------------------------------------------
api_url="postgres://$PGUSER@$PGHOST:$PGPORT/$API_DB"
sql "drop database if exists $API_DB with (force)"
port="$(free_port)"
# Only the API by default: the reconciler would otherwise work through every client the PUT phase
# creates, on the same two cores. ROLE=all measures the API with the reconciler beside it.
serve_help="$(target/release/ccplane serve --help)"
serve_args=()
if grep -q -- '--role' <<<"$serve_help"; then
    serve_args+=(--role "$ROLE")
fi
# The per-token rate limit is policy, not capacity: off for the benchmark.
if grep -q -- '--rate-limit-per-token' <<<"$serve_help"; then
    serve_args+=(--rate-limit-per-token 0)
fi
# With tokens (the default) every request is authenticated as in production; AUTH=none skips it.
with_tokens=0
if grep -q -- '--auth' <<<"$serve_help"; then
    serve_args+=(--auth "$AUTH")
    [[ "$AUTH" == tokens ]] && with_tokens=1
fi
# The server creates and migrates the database itself. warn: request logging must not dominate.
RUST_LOG=warn target/release/ccplane serve \
    --addr "127.0.0.1:$port" \
    --database-url "$api_url" \
    --db-max-connections "$DB_MAX_CONNECTIONS" \
    "${serve_args[@]}" ${EXTRA_SERVE_ARGS:-} \
    >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "bench-api: the server exited:" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
    sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" || {
    echo "bench-api: the server was not ready within 30 s" >&2
    cat "$work/server.log" >&2
    exit 1
}

if [[ "$with_tokens" == 1 ]]; then
    CCPLANE_TOKEN="$(RUST_LOG=warn DATABASE_URL="$api_url" target/release/ccplane token create \
        --binding editor:bench --description api-bench | grep -m1 '^ccp_')"
    export CCPLANE_TOKEN
fi

echo "== API: ccplane serve on 127.0.0.1:$port ${serve_args[*]}, db-max-connections=$DB_MAX_CONNECTIONS"
bench() {
    target/release/examples/api_bench \
        --url "http://127.0.0.1:$port" \
        --concurrency "$CONCURRENCY" \
        --duration-secs "$DURATION" \
        --max-requests "$MAX_REQUESTS" \
        --prefix "run$$" \
        --names-file "$work/names.txt" \
        "$@" | tee -a "$work/api.txt"
}
sql checkpoint
bench --phases put
# A table filled from empty in ten seconds has no statistics yet (autovacuum looks once a minute),
# and the planner then sorts the whole namespace for a list page. Analyze, as autovacuum would,
# so that the reads measure the steady state.
sql "analyze resources, events" "$API_DB"
bench --phases get,list,health
stop_server
if [[ -s "$work/server.log" ]]; then
    echo "== server log (warnings and errors), last lines:"
    tail -n 20 "$work/server.log"
fi
api="$(sed -n 's/^BENCH_JSON //p' "$work/api.txt" | jq -cs 'add')"
[[ -n "$api" ]] || { echo "bench-api: no BENCH_JSON line from api_bench" >&2; exit 1; }

# --- pgbench ----------------------------------------------------------------------------------
# The document has the size and shape of the PUT body's properties.
doc='{"UserPoolId": "us-east-1_examplePoolId", "ClientName": "bench-123456", "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"], "CallbackURLs": ["https://example.com/cb"]}'
sql "drop database if exists $PGBENCH_DB with (force)"
sql "create database $PGBENCH_DB"
sql "create table bench (id bigserial primary key, doc jsonb not null)" "$PGBENCH_DB"
sql "insert into bench (doc) select '$doc'::jsonb from generate_series(1, $PGBENCH_ROWS)" "$PGBENCH_DB"
sql "vacuum analyze bench" "$PGBENCH_DB"
echo "insert into bench (doc) values ('$doc'::jsonb);" >"$work/insert.sql"
printf '\\set id random(1, %d)\nselect doc from bench where id = :id;\n' "$PGBENCH_ROWS" >"$work/select.sql"

# Runs one pgbench script; prints "tps p50_ms p99_ms" (latencies from the per-transaction log).
pgbench_run() {
    local name="$1"
    sql checkpoint
    pgbench -n -M prepared -c "$CONCURRENCY" -j 2 -T "$DURATION" \
        -l --log-prefix="$work/$name" -f "$work/$name.sql" "$PGBENCH_DB" >"$work/$name.out" 2>&1 || {
        cat "$work/$name.out" >&2
        return 1
    }
    local tps
    tps="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$work/$name.out")"
    # Log lines: client_id transaction_no latency_us script_no epoch epoch_us.
    cat "$work/$name".[0-9]* | awk '{print $3}' | sort -n | awk -v tps="$tps" '
        { v[NR] = $1 }
        END {
            p50 = v[int(NR * 0.50 + 0.999999)]; p99 = v[int(NR * 0.99 + 0.999999)]
            printf "%s %.3f %.3f\n", tps, p50 / 1000, p99 / 1000
        }'
}

echo "== pgbench: -M prepared -c $CONCURRENCY -j 2 -T $DURATION, $PGBENCH_ROWS pre-filled rows"
read -r ins_tps ins_p50 ins_p99 < <(pgbench_run insert)
read -r sel_tps sel_p50 sel_p99 < <(pgbench_run select)
[[ -n "$ins_tps" && -n "$sel_tps" ]] || { echo "bench-api: could not read pgbench TPS" >&2; exit 1; }
echo "insert: tps=$ins_tps p50=${ins_p50} ms p99=${ins_p99} ms"
echo "select: tps=$sel_tps p50=${sel_p50} ms p99=${sel_p99} ms"

# --- summary ----------------------------------------------------------------------------------
field() { jq -r ".$1" <<<"$api"; }
verdict() { if [[ "$1" == 1 ]]; then echo PASS; else echo MISS; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? 1 : 0) }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? 1 : 0) }'; }

put_ratio="$(ratio "$(field put.rps)" "$ins_tps")"
get_ratio="$(ratio "$(field get.rps)" "$sel_tps")"
put_v="$(verdict "$(at_least "$put_ratio" 0.5)")"
get_v="$(verdict "$(at_least "$get_ratio" 0.5)")"
p99_put_v="$(verdict "$(below "$(field put.p99_ms)" 20)")"
p99_get_v="$(verdict "$(below "$(field get.p99_ms)" 20)")"
p99_list_v="$(verdict "$(below "$(field list.p99_ms)" 20)")"

echo
echo "== summary ($CONCURRENCY connections, loopback, $(nproc) cores)"
printf '%-24s %10s %9s %9s %7s %9s  %s\n' "" "req/s" "p50 ms" "p99 ms" "errors" "ratio" "target"
printf '%-24s %10.1f %9.2f %9.2f %7d %9s  %s\n' \
    "API PUT (new names)" "$(field put.rps)" "$(field put.p50_ms)" "$(field put.p99_ms)" "$(field put.errors)" \
    "$put_ratio" "ratio>=0.50 $put_v; p99<20 $p99_put_v"
printf '%-24s %10.1f %9.2f %9.2f %7s %9s\n' "pgbench JSONB insert" "$ins_tps" "$ins_p50" "$ins_p99" "-" "1.00"
printf '%-24s %10.1f %9.2f %9.2f %7d %9s  %s\n' \
    "API GET by name" "$(field get.rps)" "$(field get.p50_ms)" "$(field get.p99_ms)" "$(field get.errors)" \
    "$get_ratio" "ratio>=0.50 $get_v; p99<20 $p99_get_v"
printf '%-24s %10.1f %9.2f %9.2f %7s %9s\n' "pgbench pk select" "$sel_tps" "$sel_p50" "$sel_p99" "-" "1.00"
printf '%-24s %10.1f %9.2f %9.2f %7d %9s  %s\n' \
    "API list (limit=100)" "$(field list.rps)" "$(field list.p50_ms)" "$(field list.p99_ms)" "$(field list.errors)" \
    "-" "p99<20 $p99_list_v"
printf '%-24s %10.1f %9.2f %9.2f %7d %9s  %s\n' \
    "API /healthz (no db)" "$(field health.rps)" "$(field health.p50_ms)" "$(field health.p99_ms)" \
    "$(field health.errors)" "-" "the HTTP floor"

# Everything here shares the cores, so costs add: a GET costs at least one HTTP exchange (the
# /healthz phase) plus one primary-key select (pgbench), even with no work of its own between them.
bound="$(awk -v h="$(field health.rps)" -v s="$sel_tps" 'BEGIN { if (h > 0 && s > 0) printf "%.0f", 1 / (1 / h + 1 / s); else print 0 }')"
echo "bound on GET with no work of its own (HTTP floor + pk select): $bound req/s = $(ratio "$bound" "$sel_tps") of pgbench's select"
if [[ " $put_v $get_v $p99_put_v $p99_get_v $p99_list_v " == *" MISS "* ]]; then
    echo "RESULT: MISS (at least one target missed)"
    [[ "${STRICT:-0}" == 1 ]] && exit 1
else
    echo "RESULT: PASS"
fi
exit 0
