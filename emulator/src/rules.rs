//! Cognito's own rules for an app client, which the resource schema does not carry. Written from the
//! `CreateUserPoolClient` / `UpdateUserPoolClient` API reference; Cognito checks them when the
//! handler runs, so Cloud Control reports them asynchronously (`FAILED`, `InvalidRequest`).

use serde_json::Value;

/// Every rule `client` breaks, in Cognito's words.
pub fn violations(client: &Value) -> Vec<String> {
    let mut found = Vec::new();
    oauth_flows(client, &mut found);
    found
}

fn strings<'a>(client: &'a Value, key: &str) -> Vec<&'a str> {
    client[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// `AllowedOAuthFlows`: `client_credentials` stands alone and needs a client secret
/// (InvalidOAuthFlowException in the API reference).
fn oauth_flows(client: &Value, found: &mut Vec<String>) {
    let flows = strings(client, "AllowedOAuthFlows");
    if !flows.contains(&"client_credentials") {
        return;
    }
    if flows.iter().any(|f| *f == "code" || *f == "implicit") {
        found.push(
            "AllowedOAuthFlows: client_credentials flow can not be selected along with code flow or implicit flow."
                .into(),
        );
    }
    if client["GenerateSecret"] != Value::Bool(true) {
        found.push(
            "AllowedOAuthFlows: client_credentials flow can not be selected if client does not have a client secret."
                .into(),
        );
    }
}
