#!/usr/bin/env bash
# Reconciler benchmarks against the Cloud Control emulator (a separate process, so its CPU and
# memory are not counted) and the local Postgres. Four phases, each on a fresh database and a
# fresh emulator:
#
#  a) $N_A new resources, no latency: resources converged per second (first PUT to last Ready) and
#     CPU milliseconds per resource (utime+stime of `ccplane serve` from /proc over the same span,
#     the API's PUTs included). ccplane: --cloud-rate-limit 10000 --worker-concurrency 32.
#     a') the same with the PUTs done first through `serve --role api`, then timed and measured
#     for one `serve --role worker` process alone: the reconciler's own rate and CPU.
#  b) $N_B new resources, 2 s operation latency, emulator rate limit 50 requests/s, ccplane
#     --cloud-rate-limit 50 --worker-concurrency 64: total time against the floor. A new client
#     needs at least three calls (CreateResource; one GetResourceRequestStatus to learn it settled;
#     GetResource for clientId and the observed properties), so floor = 3 × N_B / 50 s.
#     Targets: total <= 1.25 × floor, zero duplicates, zero ConcurrentOperationExceptions.
#  c) $N_C resources created fast (no latency, high rate limit, drift every 30 s so they are soon
#     due), then ccplane restarted with --cloud-rate-limit 20 --drift-interval-secs 60 (drift checks
#     then want N_C/60 calls/s, above the budget) and sampled for $IDLE_SECS s after a 5 s settle:
#     Cloud Control calls/s seen by the emulator (target <= 20) and ccplane's VmRSS (target < 200 MB).
#  d) as b, with $N_D resources and ccplane told nothing of the real limit (--cloud-rate-limit 1000,
#     twenty times too high): the limiter must find the 50 requests/s itself. Floor = 3 × N_D / 50 s;
#     targets: total <= 1.25 × floor, zero duplicates.
#  e) scale-out: one `serve --role api` and three `serve --role worker` (--cloud-rate-limit 50, a
#     ceiling they share), emulator --latency 1s --rate-limit 50, $N_E new resources. e1: all three
#     workers live. e2: the same, but $LOSE_AFTER s in one worker is SIGKILLed and another SIGTERMed.
#     Floor = 3 × N_E / 50 s; target for e2: <= 2 × floor with exactly one client per resource.
#  s) soak: the same four processes; $N_S resources PUT, then $SOAK_REQUESTS mixed requests (PUT,
#     PATCH, GET, list, DELETE) from 16 threads while the workers converge. Targets: no request over
#     1 s, no 5xx/408; p50 and p99 for the README.
#
# Usage: scripts/bench-reconcile.sh [a] [b] [c] [d] [e] [s]      (no argument: a to e)
# Settings (environment): N_A (1000), N_B (1000), N_C (10000), N_D (200), N_E (300), LOSE_AFTER (4),
# N_S (500), SOAK_REQUESTS (20000), IDLE_SECS (60), PGHOST, PGPORT, PGUSER
# (127.0.0.1, 5432, postgres; trust auth), SKIP_BUILD=1 to use target/release/ccplane (or $CCPLANE_BIN) as built,
# STRICT=1 to exit 1 when a target is missed. Drops and recreates the database ccplane_bench_reconcile.
# About four minutes after the build on two cores. Prints MISS for a missed target and still exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
# The API's per-caller request limit is not under test here (an env var, so a build without it ignores it).
export CCPLANE_RATE_LIMIT_PER_TOKEN="${CCPLANE_RATE_LIMIT_PER_TOKEN:-0}"
N_A="${N_A:-1000}"
N_B="${N_B:-1000}"
N_C="${N_C:-10000}"
N_D="${N_D:-200}"
N_E="${N_E:-300}"
LOSE_AFTER="${LOSE_AFTER:-4}"
N_S="${N_S:-500}"
SOAK_REQUESTS="${SOAK_REQUESTS:-20000}"
IDLE_SECS="${IDLE_SECS:-60}"
DB=ccplane_bench_reconcile
NS=bench
BIN="${CCPLANE_BIN:-target/release/ccplane}"
phases=("$@")
[[ ${#phases[@]} -gt 0 ]] || phases=(a b c d e)

say() { echo "bench-reconcile: $*" >&2; }
for tool in cargo psql curl python3; do
    command -v "$tool" >/dev/null || { say "$tool is required"; exit 2; }
done
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --release --bin ccplane
fi

work="$(mktemp -d -t ccplane-bench.XXXXXX)"
emulator_pid="" server_pid="" worker_pid=""
worker_pids=()
stop() { # pid
    if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}
cleanup() {
    stop_workers
    stop "$worker_pid"
    stop "$server_pid"
    stop "$emulator_pid"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
EMU="" API=""
# An editor token for namespace $NS when the binary has API tokens (empty otherwise); it creates
# and migrates the database as a side effect.
api_token() {
    "$BIN" token --help >/dev/null 2>&1 || return 0
    local url="postgres://$PGUSER@$PGHOST:$PGPORT/$DB" out
    # --database-url belongs to `token` in some builds and to `token create` in others.
    out="$(RUST_LOG=warn "$BIN" token create --database-url "$url" --binding "editor:$NS" --description "$1" 2>/dev/null ||
        RUST_LOG=warn "$BIN" token --database-url "$url" create --binding "editor:$NS" --description "$1")"
    grep -m1 '^ccp_' <<<"$out"
}
harness() { python3 scripts/reconcile_harness.py --api "$API" --emulator "$EMU" --ns "$NS" "$@"; }
# The value at a dotted path of the RESULT_JSON line in file $1.
field() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
line = [l for l in open(sys.argv[1]) if l.startswith("RESULT_JSON ")][-1]
v = json.loads(line.split(" ", 1)[1])
for k in sys.argv[2].split("."):
    v = v[k]
print(f"{v:.2f}" if isinstance(v, float) else json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else v)
EOF
}
# Sets V to PASS or MISS for an awk condition (not in a subshell: a MISS must reach $missed).
check() { if awk "BEGIN { exit !($1) }"; then V=PASS; else V=MISS; missed=1; fi; }
missed=0 V=""

fresh_db() {
    PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d postgres \
        -c "drop database if exists $DB with (force)"
    CCPLANE_TOKEN="$(api_token bench-reconcile)"
    export CCPLANE_TOKEN
}
start_emulator() {
    stop "$emulator_pid"
    local port
    port="$(free_port)"
    EMU="http://127.0.0.1:$port"
    RUST_LOG=warn "$BIN" emulator --addr "127.0.0.1:$port" --user-pool us-east-1_examplePoolId \
        --seed 1 "$@" >"$work/emulator.log" 2>&1 &
    emulator_pid=$!
    for _ in $(seq 1 200); do
        curl -fs -o /dev/null "$EMU/_emulator/health" && return 0
        kill -0 "$emulator_pid" 2>/dev/null || break
        sleep 0.05
    done
    say "the emulator did not start:"; cat "$work/emulator.log" >&2; exit 2
}
start_server() {
    stop "$server_pid"
    local port
    port="$(free_port)"
    API="http://127.0.0.1:$port"
    RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$port" \
        --database-url "postgres://$PGUSER@$PGHOST:$PGPORT/$DB" --cloud "$EMU" "$@" \
        >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 600); do
        curl -fs -o /dev/null "$API/readyz" && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.05
    done
    say "the server did not start:"; tail -n 30 "$work/server.log" >&2; exit 2
}
server_log_tail() {
    if [[ -s "$work/server.log" ]]; then
        echo "   server log (warnings and errors), last lines:"
        tail -n 5 "$work/server.log" | sed 's/^/     /'
    fi
    : >"$work/server.log"
}

# Starts $1 `serve --role worker` processes against $EMU sharing the ceiling $2 (calls/s). At the
# default concurrency (16, so pools of 20), one API (32) and three workers fit in Postgres's default
# max_connections of 100 with their listeners; at 32 they would not, and the API would wait out its
# acquire timeout for connections the server refuses (see "Scaling out" in the README).
start_workers() {
    local n="$1" limit="$2"
    for i in $(seq 1 "$n"); do
        RUST_LOG=warn "$BIN" serve --role worker --database-url "postgres://$PGUSER@$PGHOST:$PGPORT/$DB" \
            --cloud "$EMU" --cloud-rate-limit "$limit" --worker-concurrency 16 \
            >>"$work/worker-$i.log" 2>&1 &
        worker_pids+=("$!")
    done
}
stop_workers() {
    local pid
    for pid in "${worker_pids[@]}"; do stop "$pid"; done
    worker_pids=()
}

echo "== machine: $(nproc) cores; Postgres $(psql -X -Atc 'show server_version' -d postgres) at $PGHOST:$PGPORT"

# --- a) no latency ----------------------------------------------------------------------------
phase_a() {
    echo
    echo "== a) $N_A new resources, emulator without latency; ccplane --cloud-rate-limit 10000 --worker-concurrency 32"
    fresh_db
    start_emulator
    start_server --cloud-rate-limit 10000 --worker-concurrency 32
    harness converge --pid "$server_pid" --emulator-pid "$emulator_pid" --count "$N_A" --prefix a --timeout 180 >"$work/a.json" || true
    local f="$work/a.json"
    echo "   ready:                 $(field "$f" ready)/$N_A$( [[ "$(field "$f" timeout)" == true ]] && echo " (TIMEOUT)")"
    echo "   PUT phase:             $(field "$f" put_seconds) s"
    echo "   first PUT to all Ready: $(field "$f" wall_seconds) s"
    echo "   converged per second:  $(field "$f" converged_per_second)"
    echo "   CPU:                   $(field "$f" cpu_seconds) s in all, $(field "$f" cpu_put_seconds) s of it while PUTting"
    echo "   CPU ms per resource:   $(field "$f" cpu_ms_per_resource)"
    echo "   machine:               $(field "$f" machine_busy_percent) % of all $(nproc) cores busy; the emulator used $(field "$f" emulator_cpu_seconds) s CPU"
    echo "   peak RSS:              $(field "$f" max_rss_mb) MB"
    echo "   Cloud Control calls:   $(field "$f" total_calls) $(field "$f" calls_by_operation)"
    echo "   duplicates:            $(field "$f" duplicates); ConcurrentOperationExceptions: $(field "$f" concurrent_operation_exceptions)"
    echo "RESULT a: $(field "$f" converged_per_second) resources/s, $(field "$f" cpu_ms_per_resource) CPU ms/resource" \
        "(no target; figures for the README)"
    stop "$server_pid"
    server_log_tail

    # The same work split in two: the PUTs first (API only), then a `--role worker` process alone,
    # so its rate and CPU are the reconciler's own.
    echo "   a') the reconciler alone: $N_A resources PUT through \`serve --role api\`, then one \`serve --role worker\`"
    fresh_db
    start_server --role api
    harness put --count "$N_A" --prefix a2 --desired "$work/a2-desired.json" >/dev/null
    RUST_LOG=warn "$BIN" serve --role worker --database-url "postgres://$PGUSER@$PGHOST:$PGPORT/$DB" \
        --cloud "$EMU" --cloud-rate-limit 10000 --worker-concurrency 32 >>"$work/server.log" 2>&1 &
    worker_pid=$!
    harness converge --pid "$worker_pid" --emulator-pid "$emulator_pid" --no-put --count "$N_A" --timeout 180 >"$work/a2.json" || true
    f="$work/a2.json"
    echo "   worker start to all Ready: $(field "$f" wall_seconds) s ($(field "$f" ready)/$N_A)"
    echo "   converged per second:  $(field "$f" converged_per_second)"
    echo "   CPU ms per resource:   $(field "$f" cpu_ms_per_resource) (worker process only); peak RSS $(field "$f" max_rss_mb) MB"
    echo "   machine:               $(field "$f" machine_busy_percent) % of all $(nproc) cores busy; the emulator used $(field "$f" emulator_cpu_seconds) s CPU"
    echo "RESULT a': $(field "$f" converged_per_second) resources/s, $(field "$f" cpu_ms_per_resource) CPU ms/resource (reconciler alone)"
    stop "$worker_pid"
    worker_pid=""
    stop "$server_pid"
    server_log_tail
}

# --- b) and d): 2 s latency, 50 requests/s -----------------------------------------------------
# $1: phase name, $2: resources, $3: ccplane's --cloud-rate-limit (b: the real limit; d: far above
# it, so the limiter must find the rate itself).
latency_phase() {
    local name="$1" n="$2" limit="$3"
    echo
    echo "== $name) $n new resources, emulator --latency 2s --rate-limit 50; ccplane --cloud-rate-limit $limit --worker-concurrency 64"
    fresh_db
    start_emulator --latency 2s --rate-limit 50
    start_server --cloud-rate-limit "$limit" --worker-concurrency 64
    harness converge --pid "$server_pid" --emulator-pid "$emulator_pid" --count "$n" --prefix "$name" --timeout 300 >"$work/$name.json" || true
    local f="$work/$name.json" floor wall ratio
    floor=$(awk -v n="$n" 'BEGIN { printf "%.1f", 3 * n / 50 }')
    wall="$(field "$f" wall_seconds)"
    ratio=$(awk -v w="$wall" -v fl="$floor" 'BEGIN { printf "%.2f", w / fl }')
    echo "   ready:                 $(field "$f" ready)/$n$( [[ "$(field "$f" timeout)" == true ]] && echo " (TIMEOUT)")"
    echo "   PUT phase:             $(field "$f" put_seconds) s"
    echo "   floor:                 3 calls × $n / 50 per s = $floor s"
    check "$ratio <= 1.25"
    echo "   first PUT to all Ready: $wall s = ${ratio} × floor    target <= 1.25: $V"
    echo "   Cloud Control calls:   $(field "$f" total_calls) (minimum $((3 * n))) by operation $(field "$f" calls_by_operation)"
    echo "   calls by outcome:      $(field "$f" calls)"
    echo "   ThrottlingExceptions:  $(field "$f" throttling_exceptions)"
    check "$(field "$f" duplicates) == 0 && $(field "$f" ready) == $n"
    echo "   duplicates:            $(field "$f" duplicates) (pool holds $(field "$f" pool_clients))    target 0: $V"
    check "$(field "$f" concurrent_operation_exceptions) == 0"
    echo "   ConcurrentOperationExceptions: $(field "$f" concurrent_operation_exceptions)    target 0: $V"
    echo "   ccplane metrics:       $(field "$f" ccplane_metrics)"
    echo "   CPU ms per resource:   $(field "$f" cpu_ms_per_resource); peak RSS $(field "$f" max_rss_mb) MB"
    echo "RESULT $name: ${wall} s against a ${floor} s floor (ratio ${ratio}), duplicates $(field "$f" duplicates)," \
        "ConcurrentOperationExceptions $(field "$f" concurrent_operation_exceptions)," \
        "ThrottlingExceptions $(field "$f" throttling_exceptions)"
    stop "$server_pid"
    server_log_tail
}

# --- c) 10,000 idle resources with drift checks -----------------------------------------------
phase_c() {
    echo
    echo "== c) $N_C Ready resources idle; ccplane --cloud-rate-limit 20 --drift-interval-secs 60"
    fresh_db
    start_emulator
    start_server --cloud-rate-limit 10000 --worker-concurrency 32 --drift-interval-secs 30
    harness converge --pid "$server_pid" --emulator-pid "$emulator_pid" --count "$N_C" --prefix c --threads 16 --timeout 360 --interval 1 \
        >"$work/c-create.json" || true
    local f="$work/c-create.json"
    echo "   created:               $(field "$f" ready)/$N_C Ready in $(field "$f" wall_seconds) s (peak RSS $(field "$f" max_rss_mb) MB)"
    stop "$server_pid"
    start_server --cloud-rate-limit 20 --drift-interval-secs 60
    sleep 5
    harness idle --pid "$server_pid" --seconds "$IDLE_SECS" >"$work/c.json"
    f="$work/c.json"
    local rate rss
    rate="$(field "$f" calls_per_second)"
    rss="$(field "$f" max_rss_mb)"
    echo "   window:                $(field "$f" seconds) s, $(field "$f" calls) calls ($(field "$f" get_resource_calls) GetResource, $(field "$f" throttling_exceptions) throttled)"
    # Two calls of slack: the window's ends are two stats requests, not instants.
    check "$(field "$f" calls) <= 20 * $(field "$f" seconds) + 2"
    echo "   calls per second:      $rate (peak over 5 s: $(field "$f" peak_5s_calls_per_second))    target <= 20: $V"
    echo "   due for a step:        $(field "$f" queue_due_before) at the start of the window, $(field "$f" queue_due_after) at its end (drift checks want $N_C/60 = $((N_C / 60)) calls/s)"
    check "$rss < 200"
    echo "   resident memory:       max $rss MB (last $(field "$f" last_rss_mb) MB)    target < 200: $V"
    echo "   CPU:                   $(field "$f" cpu_percent) % of a core"
    echo "RESULT c: ${rate} calls/s against a budget of 20, max RSS ${rss} MB"
    stop "$server_pid"
    server_log_tail
}

# --- e) scale-out, and losing workers ----------------------------------------------------------
# $1: run name; $2: "lose" to SIGKILL one worker and SIGTERM another $LOSE_AFTER s in.
scale_out_run() {
    local name="$1" lose="${2:-}"
    fresh_db
    start_emulator --latency 1s --rate-limit 50
    start_server --role api
    start_workers 3 50
    local killer=""
    if [[ "$lose" == lose ]]; then
        (sleep "$LOSE_AFTER"; kill -KILL "${worker_pids[0]}" 2>/dev/null; kill -TERM "${worker_pids[1]}" 2>/dev/null) &
        killer=$!
    fi
    harness converge --pid "$server_pid" --emulator-pid "$emulator_pid" --count "$N_E" --prefix "$name" --timeout 300 >"$work/$name.json" || true
    [[ -z "$killer" ]] || wait "$killer" 2>/dev/null || true
    stop_workers
    stop "$server_pid"
}
phase_e() {
    echo
    echo "== e) scale-out: $N_E new resources, emulator --latency 1s --rate-limit 50; one \`serve --role api\`, three \`serve --role worker\` (--cloud-rate-limit 50, shared)"
    local floor f wall ratio live_wall
    floor=$(awk -v n="$N_E" 'BEGIN { printf "%.1f", 3 * n / 50 }')
    scale_out_run e1
    f="$work/e1.json"
    wall="$(field "$f" wall_seconds)"
    live_wall="$wall"
    ratio=$(awk -v w="$wall" -v fl="$floor" 'BEGIN { printf "%.2f", w / fl }')
    echo "   e1, three workers live: $(field "$f" ready)/$N_E Ready in $wall s = $ratio × the $floor s floor; duplicates $(field "$f" duplicates)"
    scale_out_run e2 lose
    f="$work/e2.json"
    wall="$(field "$f" wall_seconds)"
    ratio=$(awk -v w="$wall" -v fl="$floor" 'BEGIN { printf "%.2f", w / fl }')
    check "$ratio <= 2"
    echo "   e2, one worker SIGKILLed and one SIGTERMed ${LOSE_AFTER} s in: $(field "$f" ready)/$N_E Ready in $wall s = $ratio × floor    target <= 2: $V"
    check "$(field "$f" duplicates) == 0 && $(field "$f" ready) == $N_E"
    echo "   duplicates:            $(field "$f" duplicates) (pool holds $(field "$f" pool_clients))    target 0: $V"
    echo "   Cloud Control calls:   $(field "$f" total_calls) by operation $(field "$f" calls_by_operation); throttled $(field "$f" throttling_exceptions)"
    echo "   worker logs (the survivor's takeover):"
    grep -h "took over\|handed back" "$work"/worker-*.log | tail -n 3 | sed 's/^/     /' || true
    echo "RESULT e: three workers ${live_wall} s; losing two of three ${wall} s against a $floor s floor (ratio $ratio), duplicates $(field "$f" duplicates)"
}

# --- s) soak: mixed API traffic while the workers converge ---------------------------------------
phase_s() {
    echo
    echo "== s) soak: one \`serve --role api\`, three workers; $N_S resources, then $SOAK_REQUESTS mixed requests"
    fresh_db
    start_emulator --latency 1s --rate-limit 50
    start_server --role api
    start_workers 3 50
    harness put --count "$N_S" --prefix s --desired "$work/s-desired.json" >/dev/null || true
    harness soak --count "$SOAK_REQUESTS" --names "$N_S" --prefix s >"$work/s.json" || true
    local f="$work/s.json"
    echo "   requests:              $(field "$f" requests) in $(field "$f" seconds) s ($(field "$f" per_second)/s)"
    echo "   latency:               p50 $(field "$f" p50_ms) ms, p99 $(field "$f" p99_ms) ms, max $(field "$f" max_ms) ms"
    echo "   by kind:               $(field "$f" by_kind)"
    check "$(field "$f" over_1s) == 0"
    echo "   over 1 s:              $(field "$f" over_1s) $(field "$f" slow)    target 0: $V"
    echo "   unexpected statuses:   $(field "$f" unexpected)"
    echo "RESULT s: $(field "$f" requests) requests, p50 $(field "$f" p50_ms) ms, p99 $(field "$f" p99_ms) ms, max $(field "$f" max_ms) ms, $(field "$f" over_1s) over 1 s"
    stop_workers
    stop "$server_pid"
    server_log_tail
}

for p in "${phases[@]}"; do
    case "$p" in
        a) phase_a ;;
        b) latency_phase b "$N_B" 50 ;;
        c) phase_c ;;
        d) latency_phase d "$N_D" 1000 ;;
        e) phase_e ;;
        s) phase_s ;;
        *) say "unknown phase $p (a, b, c, d, e or s)"; exit 2 ;;
    esac
done
stop "$emulator_pid"

echo
if [[ "$missed" == 1 ]]; then
    echo "bench-reconcile: MISS (at least one target missed)"
    [[ "${STRICT:-0}" == 1 ]] && exit 1
else
    echo "bench-reconcile: all targets met"
fi
exit 0
