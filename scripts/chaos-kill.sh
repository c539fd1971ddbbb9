#!/usr/bin/env bash
# Crash safety of the reconciler against a real process: SIGKILLs `ccplane serve` at random
# moments while resources converge, restarts it each time, and checks the outcome in the emulator.
#
# 1. Starts `ccplane emulator` as its own process (it outlives every kill), with operations that
#    settle in 200 ms..1.5 s and answers delayed 20..300 ms, so kills land between committing an
#    operation row, sending it, storing its RequestToken and polling it.
# 2. Starts `ccplane serve --cloud <emulator>` on a fresh database (lease 3 s, first poll 0.2 s,
#    50 Cloud Control calls/s) and PUTs $RESOURCES resources (distinct ClientNames; four in five
#    carry a tests/fixtures document). A killed process stays in the `workers` table for 15 s and
#    keeps its share of that budget, so each restart runs slower than the last: convergence spans
#    the kills instead of ending before them.
# 3. $KILLS times: sleeps a random 0.5..3 s, `kill -9`s the server and restarts it on the same
#    database. After half the kills it PUTs a new generation of every fourth resource (changed
#    ClientName and RefreshTokenValidity, LogoutURLs removed), so updates are crashed too.
# 4. Waits (at most $TIMEOUT s) until every resource is Ready at its latest generation, then checks:
#    the pool holds exactly one client per resource; each resource's clientId exists and has every
#    desired property (lists compared as sets) and none it removed; no client id is shared; no more
#    successful CreateResource requests than resources; zero ConcurrentOperationExceptions.
#    ClientTokenConflictExceptions are reported.
#
# Usage: scripts/chaos-kill.sh [--quick] [--seed N] [--resources N] [--kills N]
#   --quick: 50 resources, 5 kills. The seed drives the kill times and the emulator (ids, latencies);
#   it is printed first, so `--seed N` replays a failed run's schedule (process timing still varies).
# Settings (environment): SEED, RESOURCES (200), KILLS (10), TIMEOUT (180), PGHOST, PGPORT, PGUSER
# (127.0.0.1, 5432, postgres; trust auth), EMULATOR_FLAGS (extra faults for the emulator, e.g.
# "--throttle-probability 0.1 --drop-probability 0.02"), SKIP_BUILD=1 to use target/release/ccplane as built,
# KEEP_LOGS=1 to keep the work directory on success too (it is always kept on failure).
# Drops and recreates the database ccplane_chaos (left behind for a post-mortem). About a minute
# after the build (--quick: about 35 s).
# Exits 0 when every check passes, 1 when one fails, 2 on a setup error.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
# The API's per-caller request limit is not under test here (an env var, so a build without it ignores it).
export CCPLANE_RATE_LIMIT_PER_TOKEN="${CCPLANE_RATE_LIMIT_PER_TOKEN:-0}"
RESOURCES="${RESOURCES:-200}"
KILLS="${KILLS:-10}"
TIMEOUT="${TIMEOUT:-180}"
EMULATOR_FLAGS="${EMULATOR_FLAGS:-}"
SEED="${SEED:-}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) RESOURCES=50 KILLS=5 ;;
        --seed) SEED="$2"; shift ;;
        --resources) RESOURCES="$2"; shift ;;
        --kills) KILLS="$2"; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "chaos-kill: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
SEED="${SEED:-$(( $(date +%s%N) % 32768 ))}"
RANDOM="$SEED"
DB=ccplane_chaos
NS=chaos
# CCPLANE_BIN: a ccplane binary to use as it is (CI passes the debug build it already has).
BIN="${CCPLANE_BIN:-target/release/ccplane}"

say() { echo "chaos-kill: $*" >&2; }
for tool in cargo psql curl python3; do
    command -v "$tool" >/dev/null || { say "$tool is required"; exit 2; }
done
say "seed $SEED (replay: scripts/chaos-kill.sh --seed $SEED --resources $RESOURCES --kills $KILLS)"

if [[ "${SKIP_BUILD:-0}" != 1 && -z "${CCPLANE_BIN:-}" ]]; then
    cargo build --release --bin ccplane
fi

work="$(mktemp -d -t ccplane-chaos.XXXXXX)"
emulator_pid="" server_pid="" status=2
stop() { # pid signal
    if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
        kill "-$2" "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}
cleanup() {
    stop "$server_pid" TERM
    stop "$emulator_pid" TERM
    if [[ "$status" == 0 && "${KEEP_LOGS:-0}" != 1 ]]; then
        rm -rf "$work"
    else
        say "logs kept in $work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
emu_port="$(free_port)"
api_port="$(free_port)"
EMU="http://127.0.0.1:$emu_port"
API="http://127.0.0.1:$api_port"
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

PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "drop database if exists $DB with (force)"
CCPLANE_TOKEN="$(api_token chaos-kill)"
export CCPLANE_TOKEN

RUST_LOG=warn "$BIN" emulator --addr "127.0.0.1:$emu_port" --user-pool us-east-1_examplePoolId \
    --seed "$SEED" --latency 200ms..1500ms --response-latency 20ms..300ms $EMULATOR_FLAGS \
    >"$work/emulator.log" 2>&1 &
emulator_pid=$!

life=0
start_server() {
    life=$((life + 1))
    echo "=== life $life, $(date +%T.%N)" >>"$work/server.log"
    RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$api_port" \
        --database-url "postgres://$PGUSER@$PGHOST:$PGPORT/$DB" --cloud "$EMU" \
        --lease-secs 3 --first-poll-secs 0.2 --cloud-rate-limit 50 >>"$work/server.log" 2>&1 &
    server_pid=$!
    local started=$SECONDS
    until curl -fs -o /dev/null "$API/readyz"; do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            say "the server exited at start:"; tail -n 30 "$work/server.log" >&2; exit 2
        fi
        if ((SECONDS - started > 30)); then
            say "the server was not ready within 30 s"; tail -n 30 "$work/server.log" >&2; exit 2
        fi
        sleep 0.05
    done
}
until curl -fs -o /dev/null "$EMU/_emulator/health"; do
    kill -0 "$emulator_pid" 2>/dev/null || { say "the emulator exited:"; cat "$work/emulator.log" >&2; exit 2; }
    sleep 0.05
done
start_server

t0=$SECONDS
harness put --count "$RESOURCES" --prefix "chaos$SEED" --desired "$work/desired.json" >/dev/null || exit 2

# What was under way at a kill: Ready resources, emulator calls so far, and operations not yet
# accepted (Prepared) or accepted and unsettled (read-only look at the operations table; "?" if
# its shape changes).
progress() {
    local ready calls ops
    ready="$(curl -fs "$API/metrics" | sed -n 's/^ccplane_resources{phase="Ready"} //p')" || true
    calls="$(curl -fs "$EMU/_emulator/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_calls"])')" || true
    ops="$(psql -X -At -F / -d "$DB" -c "select count(*) filter (where status = 'Prepared'),
        count(*) filter (where status <> 'Prepared') from operations where settled_at is null" 2>/dev/null)" || true
    echo "Ready ${ready:-?}/$RESOURCES, emulator calls ${calls:-?}, operations prepared/in flight ${ops:-?}"
}
for ((k = 1; k <= KILLS; k++)); do
    ms=$((500 + RANDOM % 2501))
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    before="$(progress)"
    kill -KILL "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    say "kill $k/$KILLS after $ms ms ($before)"
    start_server
    if ((k == (KILLS + 1) / 2)); then
        harness update --desired "$work/desired.json" --every 4 >/dev/null || exit 2
    fi
done
last_restart=$SECONDS

status=1
if harness wait-ready --count "$RESOURCES" --desired "$work/desired.json" --timeout "$TIMEOUT" >"$work/wait.json"; then
    waited=$((SECONDS - last_restart))
else
    waited="timeout"
fi
if harness verify --desired "$work/desired.json" --dump "$work/failed.json" >"$work/verify.json"; then
    [[ "$waited" != timeout ]] && status=0
fi
total=$((SECONDS - t0))

python3 - "$work/verify.json" "$status" "$SEED" "$KILLS" "$waited" "$total" <<'EOF'
import json, sys
path, status, seed, kills, waited, total = sys.argv[1:]
line = open(path).read().strip()
r = json.loads(line.split(" ", 1)[1]) if line.startswith("RESULT_JSON ") else {}
print("calls by operation and outcome:", json.dumps(r.get("calls", {}), sort_keys=True))
print("emulator requests by kind and status:", json.dumps(r.get("requests", {}), sort_keys=True))
print(f"chaos-kill: {'PASS' if status == '0' else 'FAIL'} seed={seed} resources={r.get('resources', '?')} "
      f"updated={r.get('updated', '?')} kills={kills} converged={r.get('converged', '?')} "
      f"pool_clients={r.get('pool_clients', '?')} duplicates={r.get('duplicates', '?')} "
      f"concurrent_operation_exceptions={r.get('concurrent_operation_exceptions', '?')} "
      f"client_token_conflict_exceptions={r.get('client_token_conflict_exceptions', '?')} "
      f"cloud_calls={r.get('total_calls', '?')} ready_after_last_restart_s={waited} total_s={total}")
EOF
if [[ "$status" != 0 ]]; then
    say "server log (warnings and errors), last lines:"
    grep -v '^===' "$work/server.log" | tail -n 20 >&2 || true
fi
exit "$status"
