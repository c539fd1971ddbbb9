#!/usr/bin/env bash
# Wire-compatibility check of the Cloud Control emulator with a second, independent client: the
# official AWS CLI (botocore). Starts `ccplane emulator` on a free loopback port and drives
# create, poll, get, update (JSON Patch, then the CLI's own waiter), list and delete, then every
# behaviour the CLI can observe that AWS documents or was recorded doing: HTTP 400 for client
# errors, ClientToken replay and conflict, cancel semantics, PENDING, size limits, Cognito's
# asynchronous refusals and normalisations, the fault modes and the quotas; and STS on the same
# port (get-caller-identity, assume-role with a trust and an external id, the session's credentials
# used for Cloud Control in the role's account, their expiry); and cognito-idp's client-secret
# operations and Secrets Manager on the same port (add/list/delete with the limit of two and the last
# secret, staging labels and their moves, token replay and conflict, the scripted faults, Cognito's
# throttle). Exits non-zero on the first mismatch.
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
# The client-secret operations came to cognito-idp in 2026: an older CLI is upgraded the same way.
has_secret_commands() { aws cognito-idp add-user-pool-client-secret help >/dev/null 2>&1; }
if ! has_secret_commands; then
    say "upgrading awscli with pip for cognito-idp's client-secret commands"
    python3 -m pip install --quiet --upgrade awscli || true
    hash -r
fi
SECRET_COMMANDS=yes
has_secret_commands || SECRET_COMMANDS=no

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
WORK="$(mktemp -d)"
trap 'kill "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
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

# control METHOD PATH [JSON]: calls the emulator's control API.
control() {
    curl -sf -X "$1" -H 'content-type: application/json' "$URL$2" ${3:+--data "$3"} >/dev/null \
        || fail "control $1 $2 failed"
}

# refused CODE STATUS COMMAND...: the CLI command must fail with error CODE over HTTP STATUS; prints
# the CLI's error line.
refused() {
    local code="$1" status="$2" out
    shift 2
    if out="$("$@" --debug 2>&1)"; then
        fail "$* was accepted; expected $code"
    fi
    grep -q "An error occurred ($code)" <<<"$out" || fail "$*: expected $code, got: $(grep 'An error occurred' <<<"$out")"
    grep -q "\"POST / HTTP/1.1\" $status " <<<"$out" || fail "$*: expected HTTP $status"
    grep 'An error occurred' <<<"$out"
}

say "client errors are HTTP 400 (RequestTokenNotFound, TypeNotFound, ResourceNotFound, NotUpdatable)"
refused RequestTokenNotFoundException 400 cc get-resource-request-status --request-token DOESNOTEXIST >/dev/null
refused TypeNotFoundException 400 cc get-resource --type-name AWS::Nope::Thing --identifier x >/dev/null
refused ResourceNotFoundException 400 cc get-resource --type-name "$CLIENT_TYPE" --identifier "$id" >/dev/null
kept="$(poll "$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"kept"}' | field ProgressEvent RequestToken)")"
kept_id="$(field ProgressEvent Identifier <<<"$kept")"
refused NotUpdatableException 400 cc update-resource --type-name "$CLIENT_TYPE" --identifier "$kept_id" \
    --patch-document '[{"op":"add","path":"/UserPoolId","value":"us-east-1_other"}]' >/dev/null

say "progress events: no ResourceModel, EventTime fixed at initiation"
check '"ResourceModel" not in d["ProgressEvent"]' "events carry no ResourceModel" <<<"$kept"
initiated="$(cc get-resource-request-status --request-token "$token" | field ProgressEvent EventTime)"
check 'str(d["ProgressEvent"]["EventTime"]) == "'"$initiated"'"' \
    "a settled request keeps the EventTime of its initiation" <<<"$created"

say "ClientToken: replay with the same parameters, conflict naming the RequestToken otherwise"
first="$(cc create-resource --type-name "$CLIENT_TYPE" --client-token cli-token-1 --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"tok"}')"
first_token="$(field ProgressEvent RequestToken <<<"$first")"
again="$(cc create-resource --type-name "$CLIENT_TYPE" --client-token cli-token-1 --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"tok"}')"
[[ "$(field ProgressEvent RequestToken <<<"$again")" == "$first_token" ]] || fail "the same ClientToken and parameters did not replay the request"
line="$(refused ClientTokenConflictException 400 cc create-resource --type-name "$CLIENT_TYPE" --client-token cli-token-1 \
    --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"other"}')"
grep -qF "ClientToken cli-token-1 is already associated with an existing operation with RequestToken $first_token" <<<"$line" \
    || fail "the conflict does not name the RequestToken: $line"
control POST /_emulator/faults '{"client_token_reuse":"conflict"}'
refused ClientTokenConflictException 400 cc create-resource --type-name "$CLIENT_TYPE" --client-token cli-token-1 \
    --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"tok"}' >/dev/null
control POST /_emulator/faults '{"client_token_reuse":"replay"}'

say "cancel: CANCEL_IN_PROGRESS, then CANCEL_COMPLETE; again the same event; a finished request refuses"
control POST /_emulator/faults '{"create_latency":"1h"}'
slow="$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"slow"}' | field ProgressEvent RequestToken)"
cancelled="$(cc cancel-resource-request --request-token "$slow")"
check 'd["ProgressEvent"]["OperationStatus"] == "CANCEL_IN_PROGRESS"' "cancel answers CANCEL_IN_PROGRESS" <<<"$cancelled"
complete="$(cc get-resource-request-status --request-token "$slow")"
check 'd["ProgressEvent"]["OperationStatus"] == "CANCEL_COMPLETE"' "the cancel completes" <<<"$complete"
again="$(cc cancel-resource-request --request-token "$slow")"
[[ "$(field ProgressEvent <<<"$again")" == "$(field ProgressEvent <<<"$complete")" ]] || fail "a second cancel changed the event"
line="$(refused ValidationException 400 cc cancel-resource-request --request-token "$token")"
grep -qF "Request $token is already in status SUCCESS" <<<"$line" || fail "cancel of a finished request: $line"

say "PENDING until the handler starts"
control POST /_emulator/faults '{"create_latency":"0s","pending_latency":"1h"}'
pending="$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"pending"}')"
check 'd["ProgressEvent"]["OperationStatus"] == "PENDING"' "a request not started is PENDING" <<<"$pending"
cc list-resource-requests --resource-request-status-filter OperationStatuses=PENDING \
    | check 'len(d["ResourceRequestStatusSummaries"]) == 1' "list-resource-requests filters PENDING"
cc cancel-resource-request --request-token "$(field ProgressEvent RequestToken <<<"$pending")" \
    | check 'd["ProgressEvent"]["OperationStatus"] == "CANCEL_COMPLETE"' "a PENDING request cancels at once"
control POST /_emulator/faults '{"pending_latency":"0s"}'

say "size limits: a 200 KB desired state is fine, 262,145 characters are not; NextToken 4,096"
python3 - >"$WORK/large.json" <<'PY'
import json
print(json.dumps({"UserPoolId": "us-east-1_examplePoolId",
                  "ReadAttributes": [f"custom:{i:03}" + "a" * 1990 for i in range(100)]}))
PY
cc create-resource --type-name "$CLIENT_TYPE" --desired-state "file://$WORK/large.json" \
    | check 'd["ProgressEvent"]["Operation"] == "CREATE"' "a 200 KB desired state is accepted"
python3 -c 'import sys; t = open(sys.argv[1]).read().strip(); print(t + " " * (262145 - len(t)))' "$WORK/large.json" >"$WORK/huge.json"
line="$(refused ValidationException 400 cc create-resource --type-name "$CLIENT_TYPE" --desired-state "file://$WORK/huge.json")"
grep -q "less than or equal to 262144" <<<"$line" || fail "oversized desired state: $line"
long_token="$(python3 -c 'import base64; print(base64.b64encode(b"z" * 3072).decode())')"
cc list-resources --type-name "$CLIENT_TYPE" --resource-model '{"UserPoolId":"'"$POOL"'"}' --next-token "$long_token" --no-paginate \
    | check 'd["ResourceDescriptions"] == []' "a NextToken of 4,096 characters is accepted"
line="$(refused ValidationException 400 cc list-resources --type-name "$CLIENT_TYPE" --resource-model '{"UserPoolId":"'"$POOL"'"}' \
    --next-token "${long_token}=" --no-paginate)"
grep -q "less than or equal to 4096" <<<"$line" || fail "oversized NextToken: $line"

say "Cognito's refusals arrive asynchronously; its normalisations show on read"
scoped='{"UserPoolId":"'"$POOL"'","ClientName":"scoped","AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["orders/read"],"CallbackURLs":["https://example.com/cb"]}'
failed="$(poll "$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state "$scoped" | field ProgressEvent RequestToken)")"
check 'd["ProgressEvent"]["OperationStatus"] == "FAILED" and d["ProgressEvent"]["ErrorCode"] == "InvalidRequest"' \
    "an unknown custom scope fails asynchronously" <<<"$failed"
check 'd["ProgressEvent"]["StatusMessage"].startswith("Invalid scope requested: orders/read")' "Cognito's message" <<<"$failed"
control POST "/_emulator/pools/$POOL/resource-servers" '{"Identifier":"orders","Scopes":["read"]}'
poll "$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state "$scoped" | field ProgressEvent RequestToken)" \
    | check 'd["ProgressEvent"]["OperationStatus"] == "SUCCESS"' "the scope exists once a resource server defines it"
failed="$(poll "$(cc create-resource --type-name "$CLIENT_TYPE" \
    --desired-state '{"UserPoolId":"'"$POOL"'","SupportedIdentityProviders":["COGNITO","Okta"]}' | field ProgressEvent RequestToken)")"
check 'd["ProgressEvent"]["StatusMessage"].startswith("The provider Okta does not exist for User Pool '"$POOL"'.")' \
    "an identity provider the pool lacks fails asynchronously" <<<"$failed"
rotated="$(poll "$(cc create-resource --type-name "$CLIENT_TYPE" \
    --desired-state '{"UserPoolId":"'"$POOL"'","RefreshTokenRotation":{"Feature":"DISABLED","RetryGracePeriodSeconds":30}}' \
    | field ProgressEvent RequestToken)")"
cc get-resource --type-name "$CLIENT_TYPE" --identifier "$(field ProgressEvent Identifier <<<"$rotated")" \
    | field ResourceDescription Properties \
    | check 'd["RefreshTokenRotation"] == {"Feature": "DISABLED", "RetryGracePeriodSeconds": 0}' "rotation off reads a zero grace period"

say "STS on the same port: get-caller-identity, assume-role into another account (trust and external id), its credentials for Cloud Control, and their expiry"
ROLE_ACCOUNT=222233334444
ROLE_ARN="arn:aws:iam::$ROLE_ACCOUNT:role/ccplane-deployer"
ROLE_POOL=us-east-1_rolePool
sts() { aws sts --endpoint-url "$URL" --output json "$@"; }
sts get-caller-identity \
    | check 'd["Account"] == "123456789012" and d["Arn"] == "arn:aws:iam::123456789012:root"' \
        "get-caller-identity names the static key's account"
control POST /_emulator/pools '{"UserPoolId":"'"$ROLE_POOL"'","Account":"'"$ROLE_ACCOUNT"'"}'
control POST /_emulator/roles '{"roleArn":"'"$ROLE_ARN"'","trustedAccounts":["123456789012"],"externalId":"cli-ext-1"}'
line="$(refused AccessDenied 403 sts assume-role --role-arn "$ROLE_ARN" --role-session-name cli --external-id wrong-ext)"
grep -qF "User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRole on resource: $ROLE_ARN" <<<"$line" \
    || fail "a wrong external id: $line"
line="$(refused ValidationError 400 sts assume-role --role-arn "$ROLE_ARN" --role-session-name cli --external-id cli-ext-1 --duration-seconds 7200)"
grep -qF "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." <<<"$line" || fail "7200 s: $line"
assumed="$(sts assume-role --role-arn "$ROLE_ARN" --role-session-name cli --external-id cli-ext-1)"
check 'd["Credentials"]["AccessKeyId"].startswith("ASIA") and len(d["Credentials"]["AccessKeyId"]) == 20 and d["Credentials"]["AccessKeyId"].endswith("'"$ROLE_ACCOUNT"'")' \
    "assume-role issues a temporary key of the role's account" <<<"$assumed"
check 'd["AssumedRoleUser"]["Arn"] == "arn:aws:sts::'"$ROLE_ACCOUNT"':assumed-role/ccplane-deployer/cli" and d["Credentials"]["SessionToken"]' \
    "assume-role names the assumed role and gives a session token" <<<"$assumed"
(
    AWS_ACCESS_KEY_ID="$(field Credentials AccessKeyId <<<"$assumed")"
    AWS_SECRET_ACCESS_KEY="$(field Credentials SecretAccessKey <<<"$assumed")"
    AWS_SESSION_TOKEN="$(field Credentials SessionToken <<<"$assumed")"
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    sts get-caller-identity | check 'd["Account"] == "'"$ROLE_ACCOUNT"'"' "the session's identity is in the role's account"
    made="$(poll "$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state '{"UserPoolId":"'"$ROLE_POOL"'","ClientName":"cross"}' \
        | field ProgressEvent RequestToken)")"
    check 'd["ProgressEvent"]["OperationStatus"] == "SUCCESS"' "a create with the session's credentials succeeds" <<<"$made"
    cross_id="$(field ProgressEvent Identifier <<<"$made")"
    curl -sf "$URL/_emulator/pools/$ROLE_POOL/clients/${cross_id#*|}?account=$ROLE_ACCOUNT" >/dev/null \
        || fail "the client is not in the role's account"
    control POST /_emulator/clock/advance '{"seconds":3601}'
    refused ExpiredTokenException 400 cc get-resource --type-name "$CLIENT_TYPE" --identifier "$cross_id" >/dev/null
    refused ExpiredToken 400 sts get-caller-identity >/dev/null
)
curl -sf "$URL/_emulator/stats" \
    | check '{"role_arn": "'"$ROLE_ARN"'", "outcome": "Success", "count": 1} in d["assume_role_calls"]' "stats count the assume-role"

say "fault modes: a scripted failure, a failure after the work, a lost answer, RetryAfter absent"
control POST /_emulator/faults/script '{"operation":"CREATE","effect":{"fail":{"error_code":"NotStabilized","message":"scripted"}}}'
poll "$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state '{"UserPoolId":"'"$POOL"'"}' | field ProgressEvent RequestToken)" \
    | check 'd["ProgressEvent"]["ErrorCode"] == "NotStabilized" and d["ProgressEvent"]["StatusMessage"] == "scripted"' \
        "a scripted failure settles with its code and message"
control POST /_emulator/faults/script '{"operation":"CREATE","effect":{"fail":{"error_code":"Throttling","after_work":true}}}'
after="$(poll "$(cc create-resource --type-name "$CLIENT_TYPE" --desired-state '{"UserPoolId":"'"$POOL"'"}' | field ProgressEvent RequestToken)")"
check 'd["ProgressEvent"]["OperationStatus"] == "FAILED" and "Identifier" in d["ProgressEvent"]' \
    "a failure after the work names the client" <<<"$after"
cc get-resource --type-name "$CLIENT_TYPE" --identifier "$(field ProgressEvent Identifier <<<"$after")" >/dev/null \
    || fail "the client made before the failure does not exist"
control POST /_emulator/faults/script '{"effect":"lose_answer"}'
if out="$(cc create-resource --type-name "$CLIENT_TYPE" --client-token lost-1 --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"lost"}' 2>&1)"; then
    fail "a lost answer was answered"
fi
found="$(cc create-resource --type-name "$CLIENT_TYPE" --client-token lost-1 --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"lost"}')"
check 'd["ProgressEvent"]["Operation"] == "CREATE"' "the lost request is found again by its ClientToken" <<<"$found"
control POST /_emulator/faults '{"retry_after":"absent","create_latency":"1h"}'
cc create-resource --type-name "$CLIENT_TYPE" --desired-state '{"UserPoolId":"'"$POOL"'"}' \
    | check 'd["ProgressEvent"]["OperationStatus"] == "IN_PROGRESS" and "RetryAfter" not in d["ProgressEvent"]' "RetryAfter absent"

say "quotas: AWS's numbers by default; a read Cognito throttles is a synchronous ThrottlingException"
curl -sf "$URL/_emulator/quotas" \
    | check 'd == {"cloudControlRps": 25, "cognitoReadRps": 15, "cognitoWriteRps": 15, "cognitoPoolOperationRps": 5}' \
        "the default quotas are AWS's"
# One DescribeUserPoolClient per hundred seconds on one pool: the second read is refused.
control POST /_emulator/accounts/123456789012/quotas '{"cognitoPoolOperationRps":0.01}'
cc get-resource --type-name "$CLIENT_TYPE" --identifier "$kept_id" >/dev/null || fail "the first read was refused"
refused ThrottlingException 400 cc get-resource --type-name "$CLIENT_TYPE" --identifier "$kept_id" >/dev/null
control DELETE /_emulator/accounts/123456789012/quotas
curl -sf "$URL/_emulator/stats" \
    | check 'any(u["category"] == "UserPoolClientRead" and u.get("operation") == "DescribeUserPoolClient" and u["throttleCount"] >= 1 for u in d["quota_usage"])' \
        "stats count the throttled read"

say "cognito-idp client secrets on the clients Cloud Control manages: two at most, the last one kept"
control POST /_emulator/faults '{"create_latency":"0s","retry_after":"settle"}'
idp() { aws cognito-idp --endpoint-url "$URL" --output json "$@"; }
made="$(poll "$(cc create-resource --type-name "$CLIENT_TYPE" \
    --desired-state '{"UserPoolId":"'"$POOL"'","ClientName":"rotated","GenerateSecret":true}' | field ProgressEvent RequestToken)")"
secret_client="$(field ProgressEvent Identifier <<<"$made")"
secret_client="${secret_client#*|}"
if [[ "$SECRET_COMMANDS" == yes ]]; then
    listed="$(idp list-user-pool-client-secrets --user-pool-id "$POOL" --client-id "$secret_client")"
    check 'len(d["ClientSecrets"]) == 1 and d["ClientSecrets"][0]["ClientSecretId"].startswith("'"$secret_client"'--") and "NextToken" not in d' \
        "a client made with a secret has that one secret, named after it" <<<"$listed"
    first_secret="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["ClientSecrets"][0]["ClientSecretId"])' <<<"$listed")"
    idp add-user-pool-client-secret --user-pool-id "$POOL" --client-id "$secret_client" \
        | check 'len(d["ClientSecretDescriptor"]["ClientSecretValue"]) >= 24' "a generated secret comes with its value"
    line="$(refused LimitExceededException 400 idp add-user-pool-client-secret --user-pool-id "$POOL" --client-id "$secret_client" \
        --client-secret "$(printf 'c%.0s' {1..32})")"
    idp delete-user-pool-client-secret --user-pool-id "$POOL" --client-id "$secret_client" --client-secret-id "$first_secret" >/dev/null \
        || fail "deleting the first of two secrets failed"
    last_secret="$(idp list-user-pool-client-secrets --user-pool-id "$POOL" --client-id "$secret_client" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["ClientSecrets"][0]["ClientSecretId"])')"
    line="$(refused InvalidParameterException 400 idp delete-user-pool-client-secret --user-pool-id "$POOL" \
        --client-id "$secret_client" --client-secret-id "$last_secret")"
    grep -qF "You cannot delete the last remaining secret for an app client." <<<"$line" || fail "the last secret: $line"
    # The CLI checks lengths itself (botocore's parameter validation), not patterns.
    bad_value="$(printf '.%.0s' {1..32})"
    line="$(refused InvalidParameterException 400 idp add-user-pool-client-secret --user-pool-id "$POOL" \
        --client-id "$secret_client" --client-secret "$bad_value")"
    grep -q "at 'clientSecret' failed to satisfy constraint: Member must satisfy regular expression pattern" <<<"$line" \
        || fail "a caller value outside the pattern: $line"
    ! grep -qF "$bad_value" <<<"$line" || fail "the caller's value was echoed: $line"
    own_value="$(printf 'own_value_%.0s' {1..3})"
    idp add-user-pool-client-secret --user-pool-id "$POOL" --client-id "$secret_client" --client-secret "$own_value" \
        | check '"ClientSecretValue" not in d["ClientSecretDescriptor"]' "a caller's value is not given back"
    curl -sf "$URL/_emulator/pools/$POOL/clients/$secret_client/secrets" \
        | check '[s["value"] for s in d["clientSecrets"]][1] == "'"$own_value"'"' "the control API shows both values"
    refused ResourceNotFoundException 400 idp list-user-pool-client-secrets --user-pool-id "$POOL" --client-id nosuchclient >/dev/null

    say "cognito-idp faults: a lost answer adds the secret all the same; the 5/s cap answers TooManyRequestsException"
    idp delete-user-pool-client-secret --user-pool-id "$POOL" --client-id "$secret_client" --client-secret-id "$last_secret" >/dev/null \
        || fail "deleting the older of two secrets failed"
    control POST /_emulator/faults/script '{"operation":"AddUserPoolClientSecret","effect":"lose_answer"}'
    if idp add-user-pool-client-secret --user-pool-id "$POOL" --client-id "$secret_client" >/dev/null 2>&1; then
        fail "a lost answer was answered"
    fi
    curl -sf "$URL/_emulator/pools/$POOL/clients/$secret_client/secrets" \
        | check 'len(d["clientSecrets"]) == 2' "the add whose answer was lost was done"
    control POST /_emulator/accounts/123456789012/quotas '{"cognitoPoolOperationRps":0.01}'
    idp list-user-pool-client-secrets --user-pool-id "$POOL" --client-id "$secret_client" >/dev/null || fail "the first list was refused"
    refused TooManyRequestsException 400 idp list-user-pool-client-secrets --user-pool-id "$POOL" --client-id "$secret_client" >/dev/null
    control DELETE /_emulator/accounts/123456789012/quotas
else
    say "SKIPPED: this aws CLI ($(aws --version 2>&1)) has no cognito-idp client-secret commands, even after pip install --upgrade awscli"
fi

say "Secrets Manager: versions and labels, replay and conflict, the documented errors, a lost answer"
sm() { aws secretsmanager --endpoint-url "$URL" --output json "$@"; }
SECRET_NAME=ccplane/team-a/cli
T1=11111111-1111-4111-8111-111111111111
T2=22222222-2222-4222-8222-222222222222
created="$(sm create-secret --name "$SECRET_NAME" --secret-string one --client-request-token "$T1")"
check 'd["VersionId"] == "'"$T1"'" and d["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:'"$SECRET_NAME"'-") and len(d["ARN"].rsplit("-", 1)[1]) == 6' \
    "create-secret answers an ARN of the partition with six random characters" <<<"$created"
secret_arn="$(field ARN <<<"$created")"
refused ResourceExistsException 400 sm create-secret --name "$SECRET_NAME" --secret-string one >/dev/null
sm put-secret-value --secret-id "$SECRET_NAME" --secret-string two --client-request-token "$T2" --version-stages AWSPENDING \
    | check 'd["VersionStages"] == ["AWSPENDING"]' "a pending version is labelled AWSPENDING only"
sm get-secret-value --secret-id "$secret_arn" \
    | check 'd["SecretString"] == "one" and d["VersionId"] == "'"$T1"'"' "AWSCURRENT is still the first version, found by ARN"
sm get-secret-value --secret-id "$SECRET_NAME" --version-stage AWSPENDING \
    | check 'd["SecretString"] == "two"' "the pending version by its label"
line="$(refused ResourceExistsException 400 sm put-secret-value --secret-id "$SECRET_NAME" --secret-string other --client-request-token "$T2")"
line="$(refused InvalidParameterException 400 sm update-secret-version-stage --secret-id "$SECRET_NAME" --version-stage AWSCURRENT --move-to-version-id "$T2")"
grep -qF "Staging label AWSCURRENT is currently attached to version $T1, so you must explicitly reference that version in RemoveFromVersionId." <<<"$line" \
    || fail "a move without RemoveFromVersionId: $line"
control POST /_emulator/faults/script '{"operation":"UpdateSecretVersionStage","effect":"lose_answer"}'
if sm update-secret-version-stage --secret-id "$SECRET_NAME" --version-stage AWSCURRENT \
    --move-to-version-id "$T2" --remove-from-version-id "$T1" >/dev/null 2>&1; then
    fail "a lost answer was answered"
fi
sm describe-secret --secret-id "$SECRET_NAME" \
    | check 'd["VersionIdsToStages"] == {"'"$T1"'": ["AWSPREVIOUS"], "'"$T2"'": ["AWSPENDING", "AWSCURRENT"]}' \
        "the promotion whose answer was lost was done, AWSPREVIOUS left on the old version"
refused InvalidParameterException 400 sm update-secret-version-stage --secret-id "$SECRET_NAME" --version-stage AWSCURRENT \
    --move-to-version-id "$T2" --remove-from-version-id "$T1" >/dev/null
line="$(refused ResourceNotFoundException 400 sm get-secret-value --secret-id nope)"
grep -qF "Secrets Manager can't find the specified secret." <<<"$line" || fail "an unknown secret: $line"
curl -sf "$URL/_emulator/secretsmanager/secret?secretId=$SECRET_NAME" \
    | check '[v["stages"] for v in d["versions"]] == [["AWSPREVIOUS"], ["AWSPENDING", "AWSCURRENT"]]' "the control API shows the versions"
curl -sf "$URL/_emulator/stats" \
    | check '{"operation": "UpdateSecretVersionStage", "outcome": "AnswerLost", "count": 1} in d["calls"] and {"operation": "PutSecretValue", "outcome": "ResourceExistsException", "count": 1} in d["calls"]' \
        "stats count the calls by operation and outcome"

say "all checks passed"
