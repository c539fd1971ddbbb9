#!/usr/bin/env bash
# Wire-compatibility check of the Cloud Control emulator with a second, independent client: the
# official AWS CLI (botocore). Starts `ccplane emulator` on a free loopback port and drives
# create, poll, get, update (JSON Patch, then the CLI's own waiter), list and delete, asserting
# every answer. Exits non-zero on the first mismatch.
#
# Settings (environment): CCPLANE_BIN (a built ccplane binary; default: `cargo build` then
# target/debug/ccplane), PORT (default: a free one). Installs awscli with pip when `aws` is missing.
# Needs python3 (awscli needs it anyway) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

POOL=us-east-1_examplePoolId
CLIENT_TYPE=AWS::Cognito::UserPoolClient

say() { echo "emulator-awscli: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

if ! command -v aws >/dev/null; then
    say "installing awscli with pip"
    python3 -m pip install --quiet awscli
    # pip puts `aws` in the interpreter's scripts folder, which need not be on PATH (pyenv shims
    # appear only after a rehash).
    PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
fi
command -v aws >/dev/null || fail "aws is still missing after pip install awscli"

if [[ -z "${CCPLANE_BIN:-}" ]]; then
    cargo build --quiet --bin ccplane
    CCPLANE_BIN=target/debug/ccplane
fi
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
URL="http://127.0.0.1:$PORT"

# Dummy credentials: the emulator reads the account from the access key id's last 12 digits and
# the region from the signature's credential scope. No profile or config file may interfere.
export AWS_ACCESS_KEY_ID=AKIAEMU123456789012 AWS_SECRET_ACCESS_KEY=emulator-secret
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL || true

"$CCPLANE_BIN" emulator --addr "127.0.0.1:$PORT" --user-pool "$POOL" --latency 500ms --seed 7 &
EMULATOR_PID=$!
trap 'kill "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -sf "$URL/_emulator/health" >/dev/null && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || fail "the emulator exited"
    sleep 0.1
done
curl -sf "$URL/_emulator/health" >/dev/null || fail "the emulator did not come up on $URL"
say "emulator up at $URL ($(aws --version 2>&1))"

cc() { aws cloudcontrol --endpoint-url "$URL" --output json "$@"; }

# check JSON EXPR: evaluates a Python expression over the JSON document `d` read from stdin.
check() {
    python3 -c '
import json, sys
d = json.load(sys.stdin)
expr = sys.argv[1]
if not eval(expr):
    print(f"expected {expr} in {json.dumps(d)}", file=sys.stderr)
    sys.exit(1)
' "$1" || fail "$2"
}

# field JSON PATH...: prints one value of the JSON document on stdin.
field() {
    python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1:]:
    v = v[k]
print(v if isinstance(v, str) else json.dumps(v))
' "$@"
}

# poll TOKEN: polls get-resource-request-status until the request settles; prints the event.
poll() {
    local event status
    for _ in $(seq 1 40); do
        event="$(cc get-resource-request-status --request-token "$1")"
        status="$(field ProgressEvent OperationStatus <<<"$event")"
        if [[ "$status" != IN_PROGRESS && "$status" != PENDING ]]; then
            echo "$event"
            return
        fi
        sleep 0.25
    done
    fail "request $1 did not settle"
}

say "create"
desired='{"UserPoolId":"'"$POOL"'","ClientName":"cli","GenerateSecret":true,"ExplicitAuthFlows":["ALLOW_REFRESH_TOKEN_AUTH"]}'
created="$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state "$desired")"
check 'd["ProgressEvent"]["OperationStatus"] == "IN_PROGRESS" and d["ProgressEvent"]["Operation"] == "CREATE"' \
    "create answers IN_PROGRESS" <<<"$created"
check 'isinstance(d["ProgressEvent"]["EventTime"], (int, float, str))' "create has an EventTime" <<<"$created"
token="$(field ProgressEvent RequestToken <<<"$created")"

say "poll"
settled="$(poll "$token")"
check 'd["ProgressEvent"]["OperationStatus"] == "SUCCESS"' "the create succeeds" <<<"$settled"
id="$(field ProgressEvent Identifier <<<"$settled")"
[[ "$id" =~ ^${POOL}\|[a-z0-9]{26}$ ]] || fail "identifier $id is not POOL|26 lowercase alphanumerics"
client_id="${id#*|}"

say "get"
got="$(cc get-resource --type-name "$CLIENT_TYPE" --identifier "$id")"
props="$(field ResourceDescription Properties <<<"$got")"
check 'd["ClientName"] == "cli" and d["Name"] == "'"$client_id"'" and d["RefreshTokenValidity"] == 30' \
    "get shows the client with Cognito's defaults" <<<"$props"
check 'len(d["ClientSecret"]) > 20 and d["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]' \
    "get shows the secret and the flows" <<<"$props"

say "update (JSON Patch) and the CLI's resource-request-success waiter"
patch='[{"op":"replace","path":"/ClientName","value":"cli-renamed"},{"op":"add","path":"/CallbackURLs","value":["https://example.com/cb"]},{"op":"remove","path":"/ExplicitAuthFlows"}]'
updated="$(cc update-resource --type-name "$CLIENT_TYPE" --identifier "$id" --patch-document "$patch")"
check 'd["ProgressEvent"]["Operation"] == "UPDATE" and d["ProgressEvent"]["Identifier"] == "'"$id"'"' \
    "update answers with the identifier" <<<"$updated"
aws cloudcontrol --endpoint-url "$URL" wait resource-request-success \
    --request-token "$(field ProgressEvent RequestToken <<<"$updated")" || fail "the update's waiter failed"
props="$(cc get-resource --type-name "$CLIENT_TYPE" --identifier "$id" | field ResourceDescription Properties)"
check 'd["ClientName"] == "cli-renamed" and d["CallbackURLs"] == ["https://example.com/cb"] and "ExplicitAuthFlows" not in d' \
    "get shows the patched client" <<<"$props"

say "update of a create-only property"
if out="$(cc update-resource --type-name "$CLIENT_TYPE" --identifier "$id" \
    --patch-document '[{"op":"replace","path":"/GenerateSecret","value":false}]' 2>&1)"; then
    fail "patching GenerateSecret was accepted"
fi
grep -q NotUpdatableException <<<"$out" || fail "patching GenerateSecret: expected NotUpdatableException, got: $out"

say "list"
listed="$(cc list-resources --type-name "$CLIENT_TYPE" --resource-model '{"UserPoolId":"'"$POOL"'"}')"
check '"'"$id"'" in [r["Identifier"] for r in d["ResourceDescriptions"]]' "list shows the client" <<<"$listed"
requests="$(cc list-resource-requests --resource-request-status-filter Operations=CREATE,OperationStatuses=SUCCESS)"
check '"'"$token"'" in [r["RequestToken"] for r in d["ResourceRequestStatusSummaries"]]' \
    "list-resource-requests shows the create" <<<"$requests"

say "delete"
deleted="$(cc delete-resource --type-name "$CLIENT_TYPE" --identifier "$id")"
check 'd["ProgressEvent"]["Operation"] == "DELETE"' "delete answers DELETE" <<<"$deleted"
settled="$(poll "$(field ProgressEvent RequestToken <<<"$deleted")")"
check 'd["ProgressEvent"]["OperationStatus"] == "SUCCESS"' "the delete succeeds" <<<"$settled"
if out="$(cc get-resource --type-name "$CLIENT_TYPE" --identifier "$id" 2>&1)"; then
    fail "the deleted client is still there"
fi
grep -q ResourceNotFoundException <<<"$out" || fail "get after delete: expected ResourceNotFoundException, got: $out"

say "all checks passed"
