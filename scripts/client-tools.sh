# Sourced by the client scripts: installs what they need from npm and PyPI, once per machine.

# npm packages of the TypeScript client, exactly as its lock file pins them; again only when the
# lock file changed since the last install.
install_node_packages() {
    if ! command -v npm >/dev/null; then
        echo "client-tools: npm is missing: install Node.js 20 or later" >&2
        return 1
    fi
    local stamp=clients/typescript/node_modules/.installed-lock
    if ! cmp -s clients/typescript/package-lock.json "$stamp" 2>/dev/null; then
        echo "client-tools: npm ci in clients/typescript" >&2
        (cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error >&2)
        cp clients/typescript/package-lock.json "$stamp"
    fi
}

# The virtualenv target/client-tools/NAME holding the given pip requirements (one per tool set,
# so their dependencies cannot clash); prints its path.
python_tools() {
    local venv="target/client-tools/$1"
    shift
    if [[ ! -x "$venv/bin/python" ]]; then
        echo "client-tools: creating $venv" >&2
        python3 -m venv "$venv" >&2
    fi
    local wanted
    wanted="$venv/requirements-$(printf '%s\n' "$@" | sha256sum | cut -c1-16)"
    if [[ ! -e "$wanted" ]]; then
        echo "client-tools: pip install $*" >&2
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2
        touch "$wanted"
    fi
    echo "$PWD/$venv"
}

# Starts `ccplane serve` (target/debug/ccplane, built unless SKIP_BUILD=1) with API tokens on,
# against database $1, dropped and recreated first; $2 describes the admin token it issues. Sets
# CCPLANE_URL and CCPLANE_TOKEN (exported), WORK (a temporary directory; the server logs to
# $WORK/server.log) and a trap that stops the server and removes WORK on exit.
start_test_server() {
    local db="$1" description="$2" bin=target/debug/ccplane
    local db_url="postgres://$PGUSER@$PGHOST:$PGPORT/$db"
    if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
        cargo build --quiet --bin ccplane
    fi
    WORK="$(mktemp -d)"
    SERVER_PID=""
    trap stop_test_server EXIT
    psql -q -d postgres -c "drop database if exists $db with (force)"
    local port
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    export CCPLANE_URL="http://127.0.0.1:$port"
    "$bin" migrate --database-url "$db_url" >/dev/null 2>&1
    CCPLANE_TOKEN="$(RUST_LOG=warn "$bin" token create --database-url "$db_url" --description "$description" --binding 'admin:*')"
    export CCPLANE_TOKEN
    RUST_LOG="${RUST_LOG:-warn}" "$bin" serve --addr "127.0.0.1:$port" --database-url "$db_url" \
        --first-poll-secs 0.2 --retry-base-secs 0.2 >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -sf "$CCPLANE_URL/readyz" >/dev/null && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; return 1; }
        sleep 0.2
    done
    echo "client-tools: the server did not become ready" >&2
    return 1
}

stop_test_server() {
    if [[ -n "${SERVER_PID:-}" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "${WORK:?}"
}
