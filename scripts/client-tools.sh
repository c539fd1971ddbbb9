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
