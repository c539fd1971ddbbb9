#!/usr/bin/env bash
# Measures what idle live streams cost: opens N `watch=true` streams on loopback against
# `ccplane serve --role api --auth none` on a fresh database, waits until all are open, then
# reports Postgres transactions per second on that database (pg_stat_database, xact_commit +
# xact_rollback) over MEASURE_SECS, and the server's resident memory (VmRSS).
#
# Usage: scripts/bench-streams.sh [N...]   (default: 0 1000 5000)
# Settings (environment): PGHOST, PGPORT, PGUSER (127.0.0.1, 5432, postgres; trust auth),
# CCPLANE_BIN (target/debug/ccplane), MEASURE_SECS (10). Drops and recreates ccplane_streams.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
BIN="${CCPLANE_BIN:-target/debug/ccplane}"
SECS="${MEASURE_SECS:-10}"
DB=ccplane_streams
DB_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
counts=("$@")
[[ ${#counts[@]} -eq 0 ]] && counts=(0 1000 5000)
ulimit -n 20000

xacts() {
    psql -d postgres -tAc "select xact_commit + xact_rollback from pg_stat_database where datname = '$DB'"
}

for n in "${counts[@]}"; do
    psql -q -d postgres -c "drop database if exists $DB with (force)"
    "$BIN" migrate --database-url "$DB_URL" >/dev/null 2>&1
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    RUST_LOG=warn "$BIN" serve --role api --auth none --addr "127.0.0.1:$port" --database-url "$DB_URL" \
        --rate-limit-per-token 0 --max-connections $((n + 100)) >/tmp/bench-streams-server.log 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
        sleep 0.2
    done
    # Opens the streams, holds them for the measurement, then closes them.
    python3 - "$port" "$n" "$SECS" "$DB" <<'EOF' &
import asyncio, sys
port, n, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
async def one(i, opened, opening):
    # Spread over 20 namespaces; a raw socket per stream keeps the client cheap. At most 64 open
    # at once, and one the server turns away (503: no database connection came free) tries again.
    while True:
        async with opening:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET /v1/namespaces/ns-{i % 20}/events?watch=true HTTP/1.1\r\nhost: x\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        if head.startswith(b"HTTP/1.1 200"):
            break
        writer.close()
        await asyncio.sleep(0.5)
    opened.append(1)
    await asyncio.sleep(3600)  # until the script kills the client
async def main():
    opened, opening = [], asyncio.Semaphore(64)
    tasks = [asyncio.create_task(one(i, opened, opening)) for i in range(n)]
    while len(opened) < n:
        await asyncio.sleep(0.1)
    print(f"opened {n}", flush=True)
    open("/tmp/bench-streams-ready", "w").close()
    await asyncio.gather(*tasks)
asyncio.run(main())
EOF
    client=$!
    rm -f /tmp/bench-streams-ready
    if [[ "$n" == 0 ]]; then touch /tmp/bench-streams-ready; fi
    for _ in $(seq 1 1500); do [[ -f /tmp/bench-streams-ready ]] && break; sleep 0.2; done
    [[ -f /tmp/bench-streams-ready ]] || echo "streams=$n: not all opened within 300 s"
    # Let the opening settle: an idle backend reports its statistics up to 10 s late.
    sleep 12
    before="$(xacts)"
    sleep "$SECS"
    sleep 1 # statistics are flushed at most once a second
    after="$(xacts)"
    rss="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
    echo "streams=$n xact_per_s=$(awk "BEGIN {printf \"%.1f\", ($after - $before) / $SECS}") rss_mb=$(( rss / 1024 ))"
    kill "$client" 2>/dev/null || true
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    wait "$client" 2>/dev/null || true
done
psql -q -d postgres -c "drop database if exists $DB with (force)"
