//! The OpenAPI document: its fixed parts, the UserPoolClient properties schema taken from the
//! official resource schema, and what every operation shares (security, error answers with their
//! examples, header rules, request examples, links), added here once so no route can forget it.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{OpenApi, RefOr, Schema};
use utoipa::{Modify, OpenApi as _};

use super::error::{ApiError, PROBLEM_JSON, Problem, problem};
use super::labels::selector_pattern;
use crate::model::Violation;
use crate::model::document::{
    DNS_LABEL_OR_ANY_PATTERN, DNS_LABEL_PATTERN, PROPERTIES_SCHEMA, REGION_PATTERN,
};
use crate::model::event::{self, EventKind};
use crate::model::{cognito, schema as resource_schema};

/// The name of the schema of a merge patch of `properties`.
pub const PROPERTIES_PATCH_SCHEMA: &str = "UserPoolClientPropertiesPatch";

/// The name of the bearer token security scheme.
pub const BEARER: &str = "bearer";

/// `*` or a comma-separated list of entity tags, strong or weak (RFC 9110).
const ETAG_LIST: &str = r#"^(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)$"#;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "ccplane",
        description = "Desired state of AWS Cognito UserPoolClients, reconciled through AWS Cloud Control.\n\n\
            Write a document (PUT, POST or a merge-patch PATCH) and the server answers at once; a \
            reconciler then makes AWS match it and reports in `status`. Every error is an \
            `application/problem+json` document (RFC 9457) with a stable `type`; a rejected document \
            lists every violation in `errors`, each located by a JSON Pointer into the request body.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
        contact(name = "ccplane maintainers", url = "https://ccplane.dev"),
    ),
    servers((url = "/", description = "The server this document was read from")),
    // Every error answer refers to it; the routes' own entries name only their successes.
    components(schemas(Problem)),
    modifiers(&OfficialSchema, &BearerScheme),
    tags(
        (name = "user-pool-clients", description = "Desired state and status of UserPoolClients"),
        (name = "events", description = "Timelines and live streams"),
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "administration", description = "API tokens and namespace settings"),
    )
)]
struct ApiDoc;

/// The document the routes are added to.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// The finished OpenAPI document, as served at `/openapi.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Document(pub Value);

impl Document {
    /// The document as indented JSON, as committed in `openapi/openapi.json`.
    pub fn to_pretty_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(&self.0)
    }
}

/// A schema written as JSON (for what utoipa's attributes cannot say).
pub fn schema(value: Value) -> Schema {
    serde_json::from_value(value).expect("a hand-written schema is valid")
}

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some(
            "An API token `ccp_<id>_<secret>` from `ccplane token create` or `POST /v1/tokens`; \
             or, when OIDC is configured, a JWT (RS256 or ES256) from its issuer, whose groups \
             map to bindings"
                .into(),
        );
        components.add_security_scheme(BEARER, SecurityScheme::Http(http));
    }
}

struct OfficialSchema;

impl Modify for OfficialSchema {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, value) in official_schemas() {
            components.schemas.insert(name, RefOr::T(schema(value)));
        }
    }
}

/// Completes the document the routes made: shared schemas, then every operation's security,
/// parameters, error answers, headers, request examples and links.
pub fn finish(spec: OpenApi) -> Document {
    let doc = serde_json::to_value(spec).expect("an OpenAPI document serializes");
    let mut doc = shape_schemas(doc);
    let paths = doc["paths"]
        .as_object_mut()
        .expect("the document has paths");
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut() {
            if let Some(operation) = operation.as_object_mut() {
                finish_operation(path, operation);
            }
        }
    }
    prune_unused_schemas(&mut doc);
    Document(doc)
}

fn finish_operation(path: &str, operation: &mut Map<String, Value>) {
    let id = operation["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let protected = path.starts_with("/v1/");
    operation.insert(
        "security".into(),
        match path {
            // `--metrics-auth` decides whether it needs a token.
            "/metrics" => json!([{}, {BEARER: []}]),
            _ if protected => json!([{BEARER: []}]),
            _ => json!([]),
        },
    );
    let mut has_path_label = false;
    let mut has_query = false;
    for parameter in operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let (place, name) = (parameter["in"].clone(), parameter["name"].clone());
        match (place.as_str(), name.as_str()) {
            (Some("path"), Some(label @ ("namespace" | "name"))) => {
                has_path_label = true;
                parameter["schema"] = json!({"type": "string", "pattern": DNS_LABEL_PATTERN});
                parameter["example"] = json!(if label == "namespace" {
                    "payments"
                } else {
                    "web"
                });
            }
            (Some("path"), Some("id")) => parameter["example"] = json!("tok_a1B2c3D4e5F6"),
            (Some("header"), Some(name)) => parameter["schema"] = header_schema(name),
            (Some("query"), name) => {
                has_query = true;
                not_null(&mut parameter["schema"]);
                if name == Some("labels") {
                    parameter["schema"]["pattern"] = json!(selector_pattern());
                }
            }
            _ => {}
        }
    }
    if let Some(examples) = request_examples(&id) {
        let content = operation["requestBody"]["content"]
            .as_object_mut()
            .and_then(|content| content.values_mut().next());
        if let Some(media) = content {
            media["examples"] = examples;
        }
    }
    let facts = OperationFacts {
        id: &id,
        path,
        protected,
        has_path_label,
        has_query,
        body: operation.contains_key("requestBody"),
    };
    let responses = operation["responses"]
        .as_object_mut()
        .expect("every operation has responses");
    for (status, description, applies) in STANDARD_ANSWERS {
        if applies(&facts) {
            responses
                .entry(*status)
                .or_insert_with(|| json!({"description": description}));
        }
    }
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        if status == "default" || status.as_str() >= "400" {
            response.insert(
                "content".into(),
                json!({PROBLEM_JSON: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "examples": problem_examples(status, &facts),
                }}),
            );
            match status.as_str() {
                "401" => add_header(response, "WWW-Authenticate"),
                "429" => add_header(response, "Retry-After"),
                _ => {}
            }
        }
        if let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, header) in headers.iter_mut() {
                *header = response_header(name);
            }
        }
        if let Some(links) = links(&id, status) {
            response.insert("links".into(), links);
        }
    }
}

fn add_header(response: &mut Map<String, Value>, name: &str) {
    let headers = response
        .entry("headers")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("headers are an object");
    headers.insert(name.into(), response_header(name));
}

/// What a response header means, wherever it is sent.
fn response_header(name: &str) -> Value {
    let (description, schema) = match name {
        "ETag" => (
            "The resource's current version (a strong entity tag); send it back in If-Match",
            json!({"type": "string"}),
        ),
        "Location" => ("The path of the new resource", json!({"type": "string"})),
        "Idempotent-Replayed" => (
            "Present (`true`) when this is the replay of an earlier answer to the same Idempotency-Key",
            json!({"type": "string", "enum": ["true"]}),
        ),
        "Cache-Control" => (
            "`no-store`: the answer must not be cached",
            json!({"type": "string"}),
        ),
        "WWW-Authenticate" => (
            "The bearer challenge; `error=\"invalid_token\"` when a token was sent",
            json!({"type": "string"}),
        ),
        "Retry-After" => (
            "Whole seconds to wait before the next request",
            json!({"type": "integer", "minimum": 1}),
        ),
        _ => ("", json!({"type": "string"})),
    };
    json!({"description": description, "schema": schema})
}

/// The schema of a request header parameter: a string, never null (a header is absent or text).
fn header_schema(name: &str) -> Value {
    match name {
        "If-Match" | "If-None-Match" => json!({"type": "string", "pattern": ETAG_LIST}),
        "Idempotency-Key" => {
            json!({"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]([ -~]*[!-~])?$"})
        }
        "Last-Event-ID" => json!({"type": "string", "pattern": "^[0-9]{1,18}$"}),
        _ => json!({"type": "string"}),
    }
}

/// Removes `null` from a schema's types: an absent query parameter is how to say nothing.
fn not_null(schema: &mut Value) {
    if let Some(types) = schema.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            schema["type"] = types[0].clone();
        }
    }
    if let Some(choices) = schema.get("oneOf").and_then(Value::as_array).cloned() {
        let kept: Vec<Value> = choices
            .into_iter()
            .filter(|c| c.get("type") != Some(&json!("null")))
            .collect();
        if kept.len() == 1 {
            let description = schema.get("description").cloned();
            *schema = kept[0].clone();
            if let Some(description) = description {
                schema["description"] = description;
            }
        }
    }
}

/// What decides which standard answers and problem examples an operation gets.
struct OperationFacts<'a> {
    id: &'a str,
    path: &'a str,
    /// Under `/v1/`: it needs a token.
    protected: bool,
    /// It names a resource by DNS labels in its path.
    has_path_label: bool,
    has_query: bool,
    /// It takes a request body.
    body: bool,
}

/// An error answer every operation it applies to shares: its status, its description, and
/// whether an operation gets it.
type StandardAnswer = (&'static str, &'static str, fn(&OperationFacts) -> bool);

/// The error answers an operation gets when its route does not declare them, in the order they
/// are added.
// This table and the next keep one row per line (rustfmt would spread each row over several), so
// that adding one is adding a line.
#[rustfmt::skip]
const STANDARD_ANSWERS: &[StandardAnswer] = &[
    ("default", "Any other failure, such as an internal error (500) or a request that took too long (408)", always),
    ("401", "No token, or a malformed, unknown, expired or revoked one", |o| o.protected || o.path == "/metrics"),
    ("403", "The token's role is too weak for this request", |o| o.protected),
    ("404", "No such resource, or a namespace the token may not see", |o| o.protected),
    ("429", "The caller's rate limit is spent; retry after Retry-After seconds", |o| o.protected),
    ("400", "A path segment is not a DNS label", |o| o.has_path_label),
    ("413", "The body is larger than the server accepts", |o| o.body),
    ("415", "The body is not of the media type the operation takes", |o| o.body),
];

/// A problem example: the status it answers, its name, its summary, whether an operation shows
/// it, and the problem, built by the code that builds the real ones.
type ProblemExample = (
    &'static str,
    &'static str,
    &'static str,
    fn(&OperationFacts) -> bool,
    fn() -> Problem,
);

/// Every problem example, in the order an answer lists them. Rows of one status and name are
/// alternatives: an operation shows the first that applies to it.
#[rustfmt::skip]
const PROBLEM_EXAMPLES: &[ProblemExample] = &[
    ("400", "bad-request", "A malformed request", always, || ApiError::BadRequest(BAD_NAME.into()).problem()),
    ("400", "invalid-parameter", "A bad query parameter", |o| o.has_query, || ApiError::BadParameter { parameter: "cursor".into(), message: "not a cursor returned by this API".into() }.problem()),
    ("401", "unauthorized", "No usable token", always, || ApiError::Unauthorized { detail: "this request needs an API token: `Authorization: Bearer ccp_…`".into(), token_given: false }.problem()),
    ("403", "forbidden", "A role too weak", on_tokens, || ApiError::Forbidden("this needs the admin role on every namespace (`admin:*`)".into()).problem()),
    ("403", "forbidden", "A role too weak", always, || ApiError::Forbidden("this needs the editor role in namespace payments".into()).problem()),
    ("404", "not-found", "Not found", on_tokens, || ApiError::NotFound("token tok_a1B2c3D4e5F6 does not exist".into()).problem()),
    ("404", "not-found", "Not found", |o| o.path.contains("user-pool-clients/"), || ApiError::client_not_found("payments", "web").problem()),
    ("404", "not-found", "Not found", always, || ApiError::NotFound("namespace payments does not exist".into()).problem()),
    ("409", "conflict", CONFLICT, |o| o.id == "create_user_pool_client", || ApiError::Conflict("user pool client payments/web already exists".into()).problem()),
    ("409", "conflict", CONFLICT, |o| o.id == "cancel_user_pool_client", || ApiError::Conflict("no Cloud Control operation is in flight".into()).problem()),
    ("409", "conflict", CONFLICT, |o| o.id == "get_user_pool_client_secret", || ApiError::Conflict("the client does not exist in AWS yet".into()).problem()),
    ("409", "conflict", CONFLICT, |o| o.id == "plan_user_pool_client", || ApiError::Conflict("this process has no Cloud Control connection (role api without --cloud)".into()).problem()),
    ("409", "conflict", CONFLICT, always, || ApiError::Conflict("user pool client payments/web is being deleted; wait until it is gone to use the name again".into()).problem()),
    ("412", "precondition-failed", "A precondition that did not hold", always, || ApiError::PreconditionFailed("If-Match does not match the current ETag \"0190f1b2c3d4e5f6a7b8c9d0e1f2a3b4-3\"".into()).problem()),
    ("413", "payload-too-large", "A body too large", always, || ApiError::PayloadTooLarge("the request body is larger than allowed".into()).problem()),
    ("415", "unsupported-media-type", UNSUPPORTED, |o| o.id.starts_with("patch_"), || ApiError::UnsupportedMediaType("the body must be application/merge-patch+json (RFC 7396); Content-Type was application/json".into()).problem()),
    ("415", "unsupported-media-type", UNSUPPORTED, always, || ApiError::UnsupportedMediaType("the body must be application/json; Content-Type was text/plain".into()).problem()),
    ("422", "validation", "An invalid token request", |o| o.path == "/v1/tokens", || invalid(&[("/expiresAt", "must be in the future")])),
    ("422", "validation", "Invalid settings", |o| o.path == "/v1/namespaces/{namespace}", || invalid(&[("/allowedRegions/0", "`moon-1` is not an AWS region name such as eu-west-1")])),
    ("422", "validation", "An invalid document", always, || invalid(&[("/properties/CallbackURLs/0", "must use https (http is allowed only for localhost)"), ("/region", "namespace payments may not use region eu-west-1; allowed: us-east-1")])),
    ("422", "idempotency-key-reused", "An Idempotency-Key reused for another body", |o| o.id == "create_user_pool_client", || ApiError::IdempotencyKeyReused("this Idempotency-Key was used for a different request".into()).problem()),
    ("422", "replacement-rejected", "A create-only change under replacementPolicy Reject", |o| matches!(o.id, "put_user_pool_client" | "patch_user_pool_client"), replacement_rejected),
    ("429", "too-many-requests", "A rate limit spent", always, || ApiError::TooManyRequests { retry_after_secs: 1 }.problem()),
    ("503", "not-ready", "Not ready", always, || problem(StatusCode::SERVICE_UNAVAILABLE, "not-ready", "the database is unreachable or migrations are pending".into(), Vec::new())),
    ("default", "internal", "An internal error", always, || ApiError::Internal(anyhow::anyhow!("example")).problem()),
    ("default", "unavailable", "No database connection came free in time; retry after Retry-After", always, || ApiError::Unavailable { retry_after_secs: 1 }.problem()),
    ("default", "aws-unavailable", "AWS throttled a read this needs; retry after Retry-After", reads_aws, || ApiError::Aws { detail: "AWS answered TooManyRequestsException: Rate exceeded".into(), retry_after_secs: Some(1) }.problem()),
];

const CONFLICT: &str = "A conflict with the resource's state";
const UNSUPPORTED: &str = "A body of the wrong media type";
const BAD_NAME: &str = "the name `Web` is not a DNS label: 1–63 lowercase letters, digits and `-`, \
                        starting and ending with a letter or digit";

fn always(_: &OperationFacts) -> bool {
    true
}

/// The operations that read AWS while the caller waits.
fn reads_aws(operation: &OperationFacts) -> bool {
    operation.id.contains("secret") || operation.id == "plan_user_pool_client"
}

fn on_tokens(operation: &OperationFacts) -> bool {
    operation.path.starts_with("/v1/tokens")
}

/// A rejected document with these violations, as `(pointer, message)`.
fn invalid(violations: &[(&str, &str)]) -> Problem {
    let violations = violations
        .iter()
        .map(|(pointer, message)| Violation::new(*pointer, *message));
    ApiError::Invalid(violations.collect()).problem()
}

fn replacement_rejected() -> Problem {
    ApiError::ReplacementRejected {
        detail: "UserPoolId can only change by replacing the client; set replacementPolicy to \
                 CreateBeforeDelete or DeleteBeforeCreate to allow it"
            .into(),
        errors: vec![Violation::new(
            "/properties/UserPoolId",
            "create-only: changing it replaces the client",
        )],
    }
    .problem()
}

/// The examples of each problem an operation answers with `status`.
fn problem_examples(status: &str, facts: &OperationFacts) -> Value {
    let mut examples = Map::new();
    for (_, name, summary, shows, problem) in PROBLEM_EXAMPLES.iter().filter(|e| e.0 == status) {
        if shows(facts) && !examples.contains_key(*name) {
            let example = json!({"summary": summary, "value": problem()});
            examples.insert((*name).into(), example);
        }
    }
    Value::Object(examples)
}

/// The request examples of an operation: each one, sent as is to the embedded emulator's server,
/// succeeds (for documents: creates a client that becomes Ready).
fn request_examples(id: &str) -> Option<Value> {
    let document = |fixture: &str| json!({"labels": {"team": "payments"}, "properties": fixture_value(fixture)});
    let examples = match id {
        "put_user_pool_client" => json!({
            "basic": {"summary": "An OAuth client with a secret", "value": document("seed-basic")},
            "advanced": {"summary": "Token validity and attributes", "value": document("seed-advanced")},
            "custom-auth": {"summary": "Custom authentication flows", "value": document("seed-custom-auth")},
            "analytics": {"summary": "Pinpoint analytics", "value": document("seed-analytics")},
        }),
        "plan_user_pool_client" => json!({
            "basic": {"summary": "An OAuth client with a secret", "value": document("seed-basic")},
        }),
        "create_user_pool_client" => json!({
            "analytics": {"summary": "A client named in the body", "value": {
                "name": "reports",
                "labels": {"team": "payments", "tier": "gold"},
                "properties": fixture_value("seed-analytics"),
            }},
        }),
        "patch_user_pool_client" => json!({
            "rename": {"summary": "Rename the client, set one label and remove another", "value": {
                "labels": {"tier": "gold", "team": null},
                "properties": {"ClientName": "renamedAppClient"},
            }},
        }),
        "put_namespace" => json!({
            "regions": {"summary": "Allow two regions", "value": {"allowedRegions": ["us-east-1", "eu-west-1"]}},
        }),
        "create_token" => json!({
            "editor": {"summary": "An editor of one namespace", "value": {
                "description": "portal",
                "bindings": [{"role": "editor", "namespace": "payments"}],
            }},
        }),
        _ => return None,
    };
    Some(examples)
}

/// How an answer leads to the next request (OpenAPI links, used by stateful testing).
fn links(id: &str, status: &str) -> Option<Value> {
    let same_path = json!({"namespace": "$request.path.namespace", "name": "$request.path.name"});
    let by_body = json!({"namespace": "$request.path.namespace", "name": "$response.body#/name"});
    let resource_links = |parameters: &Value| {
        let with_etag = {
            let mut p = parameters.clone();
            p["header.If-Match"] = json!("$response.header.ETag");
            p
        };
        json!({
            "GetUserPoolClient": {"operationId": "get_user_pool_client", "parameters": parameters,
                "description": "Read the resource back"},
            "PatchUserPoolClient": {"operationId": "patch_user_pool_client", "parameters": with_etag,
                "description": "Patch this version of the resource"},
            "ListUserPoolClientEvents": {"operationId": "list_user_pool_client_events", "parameters": parameters,
                "description": "Read the resource's timeline"},
            "DeleteUserPoolClient": {"operationId": "delete_user_pool_client", "parameters": parameters,
                "description": "Delete the resource"},
            "RefreshUserPoolClient": {"operationId": "refresh_user_pool_client", "parameters": parameters,
                "description": "Check the resource against AWS now"},
            "CancelUserPoolClient": {"operationId": "cancel_user_pool_client", "parameters": parameters,
                "description": "Cancel the resource's operation in flight"},
        })
    };
    match (id, status) {
        ("put_user_pool_client" | "patch_user_pool_client", "200" | "201") => {
            Some(resource_links(&same_path))
        }
        ("create_user_pool_client", "201") => Some(resource_links(&by_body)),
        ("create_token", "201") => Some(json!({
            "DeleteToken": {"operationId": "delete_token", "parameters": {"id": "$response.body#/id"},
                "description": "Revoke the new token"},
        })),
        ("put_namespace", "200" | "201") => Some(json!({
            "GetNamespace": {"operationId": "get_namespace",
                "parameters": {"namespace": "$request.path.namespace"},
                "description": "Read the settings back"},
        })),
        _ => None,
    }
}

/// Shared schemas: flattened types as one object, named list pages, and the shapes of the
/// free-form JSON the model keeps (status, events) that its derives cannot describe.
fn shape_schemas(doc: Value) -> Value {
    // `Page<T>` comes out as `Page_T` with T inlined: name it `TPage` and point at T.
    let mut text = doc.to_string();
    let names: Vec<String> = doc["components"]["schemas"]
        .as_object()
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    for item in names.iter().filter_map(|name| name.strip_prefix("Page_")) {
        text = text.replace(
            &format!("\"#/components/schemas/Page_{item}\""),
            &format!("\"#/components/schemas/{item}Page\""),
        );
    }
    // Any JSON value: no schema at all, rather than a component generators would wrap.
    text = text.replace(r##""$ref":"#/components/schemas/AnyValue","##, "");
    let mut doc: Value = serde_json::from_str(&text).expect("still JSON");
    let schemas = doc["components"]["schemas"]
        .as_object_mut()
        .expect("the document has schemas");
    for name in &names {
        inline_all_of(schemas, name);
    }
    for item in names.iter().filter_map(|name| name.strip_prefix("Page_")) {
        let mut page = schemas.remove(&format!("Page_{item}")).expect("listed");
        page["properties"]["items"]["items"] = reference(item);
        page["description"] = json!(format!("One page of {item} items."));
        schemas.insert(format!("{item}Page"), page);
    }
    // utoipa's attributes take a literal pattern only: the region's is the model's, set here.
    for name in [
        "UserPoolClientDocument",
        "NewUserPoolClient",
        "UserPoolClientPatch",
    ] {
        if let Some(document) = schemas.get_mut(name) {
            document["properties"]["region"]["pattern"] = json!(REGION_PATTERN);
        }
    }
    if let Some(status) = schemas.get_mut("Status") {
        let properties = &mut status["properties"];
        if properties.get("observedProperties").is_some() {
            properties["observedProperties"] = json!({
                "oneOf": [reference(PROPERTIES_SCHEMA), {"type": "null"}],
                "description": "The live properties as last read, without `ClientSecret`.",
            });
        }
        if properties.get("drift").is_some() {
            properties["drift"] = json!({
                "oneOf": [{"type": "array", "items": reference("PropertyChange")}, {"type": "null"}],
                "description": "The properties found different from the desired state by the last drift check.",
            });
        }
    }
    event_schemas(schemas);
    if let Some(new) = schemas.get_mut("NewUserPoolClient") {
        new["properties"]["name"]["pattern"] = json!(DNS_LABEL_PATTERN);
    }
    if let Some(new) = schemas.get_mut("NewDiscovery") {
        new["properties"]["region"]["pattern"] = json!(REGION_PATTERN);
    }
    let labels = schemas
        .get("UserPoolClientDocument")
        .map(|d| d["properties"]["labels"].clone());
    if let Some(adopt) = schemas.get_mut("AdoptClients") {
        if let Some(mut labels) = labels {
            labels["description"] = json!("Labels every adopted resource carries. Default: none.");
            adopt["properties"]["labels"] = labels;
        }
        let names = &mut adopt["properties"]["names"];
        names["additionalProperties"] = json!({"type": "string", "pattern": DNS_LABEL_PATTERN});
        names["propertyNames"] = json!({"type": "string", "minLength": 1});
    }
    if let Some(binding) = schemas.get_mut("Binding") {
        binding["properties"]["namespace"]["pattern"] = json!(DNS_LABEL_OR_ANY_PATTERN);
    }
    if let Some(new_token) = schemas.get_mut("NewToken") {
        new_token["properties"]["bindings"]["minItems"] = json!(1);
        new_token["properties"]["expiresAt"]["description"] = json!(
            "When it stops working: a time in the future (422 otherwise); never when absent."
        );
    }
    if let Some(settings) = schemas.get_mut("NamespaceSettings") {
        settings["properties"]["allowedRegions"]["items"]["pattern"] = json!(REGION_PATTERN);
        settings["properties"]["roleArn"]["pattern"] = json!(super::admin::ROLE_ARN_PATTERN);
        settings["properties"]["roleArn"]["maxLength"] = json!(2048);
    }
    if let Some(problem) = schemas.get_mut("Problem") {
        problem["properties"]["type"]["format"] = json!("uri");
        problem["properties"]["status"]["minimum"] = json!(400);
        problem["properties"]["status"]["maximum"] = json!(599);
    }
    let patch = properties_patch_schema(&schemas[PROPERTIES_SCHEMA]);
    schemas.insert(PROPERTIES_PATCH_SCHEMA.into(), patch);
    schemas.remove("AnyValue");
    doc
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// Turns `allOf: [{$ref}, {object}]` (serde's flatten) into one object with every property, so
/// generators make one type and `additionalProperties: false` holds for the whole.
fn inline_all_of(schemas: &mut Map<String, Value>, name: &str) {
    let Some(parts) = schemas[name]
        .get("allOf")
        .and_then(Value::as_array)
        .cloned()
    else {
        return;
    };
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut closed = false;
    for part in &parts {
        let part = match part.get("$ref").and_then(Value::as_str) {
            Some(target) => {
                let target = target.trim_start_matches("#/components/schemas/");
                inline_all_of(schemas, target);
                schemas[target].clone()
            }
            None => part.clone(),
        };
        if let Some(p) = part["properties"].as_object() {
            properties.extend(p.clone());
        }
        if let Some(r) = part["required"].as_array() {
            required.extend(r.iter().cloned());
        }
        closed |= part["additionalProperties"] == json!(false);
    }
    let mut merged = json!({
        "type": "object",
        "description": schemas[name]["description"],
        "required": required,
        "properties": properties,
    });
    if closed {
        merged["additionalProperties"] = json!(false);
    }
    schemas.insert(name.into(), merged);
}

/// `Event` as a union discriminated by `kind`: one variant per kind, whose `data` is that kind's
/// schema (`model::event` declares both). A kind's data may gain fields.
fn event_schemas(schemas: &mut Map<String, Value>) {
    for (name, schema) in event::data_schemas() {
        let schema = serde_json::to_value(schema).expect("a schema is JSON");
        schemas.entry(name).or_insert(schema);
    }
    let Some(mut fields) = schemas.remove("Event") else {
        return;
    };
    if let Some(properties) = fields["properties"].as_object_mut() {
        properties.shift_remove("kind");
        properties.shift_remove("data");
    }
    if let Some(required) = fields["required"].as_array_mut() {
        required.retain(|r| r != "kind" && r != "data");
    }
    let mut mapping = Map::new();
    let mut one_of = Vec::new();
    for event_kind in EventKind::ALL {
        let (kind, data) = (event_kind.as_str(), event_kind.data_schema_name());
        let name = format!("{kind}Event");
        let mut variant = fields.clone();
        variant["description"] = json!(format!("An event of kind {kind}."));
        variant["required"]
            .as_array_mut()
            .expect("Event has required fields")
            .extend([json!("kind"), json!("data")]);
        let properties = variant["properties"].as_object_mut().expect("an object");
        properties.insert(
            "kind".into(),
            json!({"type": "string", "const": kind, "description": "What happened."}),
        );
        properties.insert(
            "data".into(),
            json!({"allOf": [reference(&data)], "additionalProperties": true,
                "description": "Details for machines; a kind may add fields."}),
        );
        mapping.insert(kind.into(), json!(format!("#/components/schemas/{name}")));
        one_of.push(reference(&name));
        schemas.insert(name, variant);
    }
    schemas.insert(
        "Event".into(),
        json!({
            "description": "One entry of a resource's timeline; the shape of `data` depends on `kind`.",
            "oneOf": one_of,
            "discriminator": {"propertyName": "kind", "mapping": mapping},
        }),
    );
}

/// The properties schema as a merge patch takes it: nothing required, and every property but
/// `UserPoolId` may be `null` (removed). Read-only properties are left out: a patch cannot set them.
fn properties_patch_schema(properties: &Value) -> Value {
    let mut patch = Map::new();
    for (name, property) in properties["properties"].as_object().into_iter().flatten() {
        if property["readOnly"] == json!(true) {
            continue;
        }
        let nullable = if name == "UserPoolId" {
            property.clone()
        } else {
            json!({"oneOf": [property, {"type": "null"}]})
        };
        patch.insert(name.clone(), nullable);
    }
    json!({
        "type": "object",
        "description": "A merge patch of UserPoolClient properties: the properties to set, `null` to remove one.",
        "properties": patch,
        "additionalProperties": false,
    })
}

/// Drops schemas no longer referenced (such as the parts that were inlined).
fn prune_unused_schemas(doc: &mut Value) {
    loop {
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"]
            .as_object_mut()
            .expect("the document has schemas");
        let unused: Vec<String> = schemas
            .keys()
            .filter(|name| !text.contains(&format!("\"#/components/schemas/{name}\"")))
            .cloned()
            .collect();
        if unused.is_empty() {
            return;
        }
        for name in unused {
            schemas.remove(&name);
        }
    }
}

/// The properties object and its definitions, with `$ref`s pointing into `components`, read-only
/// properties marked, Cognito's enums and patterns added, and the four fixtures as examples.
fn official_schemas() -> Vec<(String, Value)> {
    let official = resource_schema::document();
    let mut properties = official["properties"].clone();
    add_cognito_facts(&mut properties);
    for name in resource_schema::READ_ONLY {
        properties[*name]["readOnly"] = json!(true);
    }
    let mut main = json!({
        "type": "object",
        "description": format!("{} properties, with CloudFormation's names.", resource_schema::TYPE_NAME),
        "properties": properties,
        "required": official["required"],
        "additionalProperties": false,
        "examples": fixtures(),
    });
    rewrite_refs(&mut main);
    let mut all = vec![(PROPERTIES_SCHEMA.to_owned(), main)];
    if let Some(definitions) = official["definitions"].as_object() {
        for (name, definition) in definitions {
            let mut definition = definition.clone();
            if name == "TokenValidityUnits" {
                for unit in ["AccessToken", "IdToken", "RefreshToken"] {
                    definition["properties"][unit]["enum"] = json!(cognito::TOKEN_UNITS);
                }
            }
            rewrite_refs(&mut definition);
            all.push((definition_name(name), definition));
        }
    }
    all
}

fn add_cognito_facts(properties: &mut Value) {
    properties["ExplicitAuthFlows"]["items"]["enum"] = json!(cognito::AUTH_FLOWS);
    properties["AllowedOAuthFlows"]["items"]["enum"] = json!(cognito::OAUTH_FLOWS);
    properties["PreventUserExistenceErrors"]["enum"] =
        json!(cognito::PREVENT_USER_EXISTENCE_ERRORS);
    properties["UserPoolId"]["pattern"] = json!(r"^[\w-]+_[0-9a-zA-Z]+$");
    properties["UserPoolId"]["maxLength"] = json!(55);
    properties["ClientName"]["pattern"] = json!(r"^[\w\s+=,.@-]+$");
    for list in ["CallbackURLs", "LogoutURLs"] {
        properties[list]["maxItems"] = json!(100);
        properties[list]["items"]["maxLength"] = json!(1024);
    }
    properties["AllowedOAuthScopes"]["maxItems"] = json!(50);
}

fn definition_name(name: &str) -> String {
    format!("UserPoolClient{name}")
}

fn rewrite_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some(name) = target.strip_prefix("#/definitions/")
            {
                *target = format!("#/components/schemas/{}", definition_name(name));
            }
            map.values_mut().for_each(rewrite_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

/// One of the four fixtures every build must accept, as JSON.
fn fixture_value(name: &str) -> Value {
    let text = match name {
        "seed-basic" => include_str!("../../tests/fixtures/seed-basic.json"),
        "seed-advanced" => include_str!("../../tests/fixtures/seed-advanced.json"),
        "seed-custom-auth" => include_str!("../../tests/fixtures/seed-custom-auth.json"),
        _ => include_str!("../../tests/fixtures/seed-analytics.json"),
    };
    serde_json::from_str(text).expect("the fixtures are JSON")
}

fn fixtures() -> Vec<Value> {
    [
        "seed-basic",
        "seed-advanced",
        "seed-custom-auth",
        "seed-analytics",
    ]
    .into_iter()
    .map(fixture_value)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations() -> Vec<(String, Value)> {
        let doc = super::super::openapi().0;
        let mut all = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                all.push((format!("{method} {path}"), operation.clone()));
            }
        }
        all
    }

    #[test]
    fn every_summary_is_one_line_of_plain_text_with_the_detail_in_the_description() {
        for (name, operation) in operations() {
            let summary = operation["summary"].as_str().unwrap_or_default();
            assert!(
                !summary.is_empty() && summary.len() <= 50,
                "{name}: {summary:?}"
            );
            assert!(
                !summary.contains(['`', '\n', '*', '_', '.']),
                "{name}: {summary:?}"
            );
            assert!(operation["description"].is_string(), "{name}");
        }
    }

    #[test]
    fn every_error_answer_shows_its_own_status_and_problem_type() {
        for (name, operation) in operations() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("default"), "{name}");
            for (status, response) in responses {
                if status != "default" && status.as_str() < "400" {
                    continue;
                }
                let examples = response["content"][PROBLEM_JSON]["examples"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{name} {status}: no examples"));
                assert!(!examples.is_empty(), "{name} {status}");
                for example in examples.values() {
                    let value = &example["value"];
                    if status != "default" {
                        assert_eq!(value["status"].to_string(), *status, "{name}");
                    }
                    assert!(
                        value["type"]
                            .as_str()
                            .unwrap()
                            .starts_with("https://ccplane.dev/problems/"),
                        "{name} {status}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_reference_resolves() {
        let doc = super::super::openapi().0;
        let text = doc.to_string();
        for target in text.split("\"$ref\":\"").skip(1) {
            let target = &target[..target.find('"').unwrap()];
            let name = target.trim_start_matches("#/components/schemas/");
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "{target} does not resolve"
            );
        }
    }

    #[test]
    fn header_parameters_are_never_null() {
        for (name, operation) in operations() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "header" || parameter["in"] == "query" {
                    let schema = parameter["schema"].to_string();
                    assert!(!schema.contains("null"), "{name}: {parameter}");
                }
            }
        }
    }

    #[test]
    fn request_bodies_require_only_what_the_server_requires() {
        let doc = super::super::openapi().0;
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["UserPoolClientDocument"]["required"],
            json!(["properties"])
        );
        let mut required: Vec<&str> = schemas["NewUserPoolClient"]["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        required.sort();
        assert_eq!(required, ["name", "properties"]);
        assert_eq!(
            schemas["UserPoolClientPatch"].get("required"),
            None,
            "a merge patch requires nothing"
        );
    }
}
