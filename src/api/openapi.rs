//! The OpenAPI document's fixed parts, and the UserPoolClient properties schema taken from the
//! official resource schema, so the spec shows every bound and enum the validator enforces.

use serde_json::{Map, Value, json};
use utoipa::openapi::header::Header;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder, Schema};
use utoipa::{Modify, OpenApi as _};

use crate::model::document::PROPERTIES_SCHEMA;
use crate::model::{cognito, schema};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "ccplane",
        description = "Desired state of AWS Cognito UserPoolClients, reconciled through AWS Cloud Control.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
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

struct OfficialSchema;

/// The name of the bearer token security scheme.
pub const BEARER: &str = "bearer";

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

/// Declares the bearer requirement, and its 401, 403, 404 and 429 answers, on every operation under `/v1/`
/// (all of which check a role); `/metrics` may need a token (`--metrics-auth`), so its requirement
/// is optional. Done once here rather than on each `#[utoipa::path]`, so no route can forget it.
pub fn secure(openapi: &mut OpenApi) {
    let required = vec![SecurityRequirement::new(BEARER, Vec::<String>::new())];
    let optional = vec![
        SecurityRequirement::default(),
        SecurityRequirement::new(BEARER, Vec::<String>::new()),
    ];
    for (path, item) in openapi.paths.paths.iter_mut() {
        let protected = path.starts_with("/v1/");
        if !protected && path != "/metrics" {
            continue;
        }
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            operation.security = Some(if protected {
                required.clone()
            } else {
                optional.clone()
            });
            let answers = &mut operation.responses.responses;
            answers.entry("401".into()).or_insert_with(|| {
                problem_response(
                    "No token, or a malformed, unknown, expired or revoked one",
                    true,
                )
            });
            if protected {
                answers.entry("403".into()).or_insert_with(|| {
                    problem_response("The token's role in this namespace is too weak", false)
                });
                answers.entry("404".into()).or_insert_with(|| {
                    problem_response("Not found, or in a namespace the token cannot see", false)
                });
                answers
                    .entry("429".into())
                    .or_insert_with(too_many_requests);
            }
        }
    }
}

/// Declares what the extractors answer before any handler runs, so no `#[utoipa::path]` lists
/// it: the DNS label rule of the `namespace` and `name` path parameters (400 otherwise), and 413
/// and 415 on every operation that takes a body.
pub fn edge_answers(openapi: &mut OpenApi) {
    label_parameters(openapi);
    body_errors(openapi);
}

fn label_parameters(openapi: &mut OpenApi) {
    let label = || {
        RefOr::T(Schema::Object(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .pattern(Some("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"))
                .build(),
        ))
    };
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let mut labelled = false;
            for parameter in operation.parameters.iter_mut().flatten() {
                let RefOr::T(parameter) = parameter else {
                    continue;
                };
                if matches!(parameter.parameter_in, ParameterIn::Path)
                    && matches!(parameter.name.as_str(), "namespace" | "name")
                {
                    parameter.schema = Some(label());
                    labelled = true;
                }
            }
            if labelled {
                operation
                    .responses
                    .responses
                    .entry("400".into())
                    .or_insert_with(|| {
                        problem_response("A path segment is not a DNS label", false)
                    });
            }
        }
    }
}

fn body_errors(openapi: &mut OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        let operations = [&mut item.put, &mut item.post, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            if operation.request_body.is_none() {
                continue;
            }
            let answers = &mut operation.responses.responses;
            answers.entry("413".into()).or_insert_with(|| {
                problem_response("The body is larger than the server accepts", false)
            });
            answers.entry("415".into()).or_insert_with(|| {
                problem_response(
                    "The body is not of the media type the operation takes",
                    false,
                )
            });
        }
    }
}

/// The rate limit's answer, with the seconds to wait in `Retry-After`.
fn too_many_requests() -> RefOr<Response> {
    let mut response = problem_response("The caller's rate limit is spent; retry later", false);
    if let RefOr::T(response) = &mut response {
        response.headers.insert(
            "Retry-After".into(),
            RefOr::T(Header::new(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Integer)
                    .minimum(Some(1)),
            )),
        );
    }
    response
}

fn problem_response(description: &str, challenge: bool) -> RefOr<Response> {
    let mut response = ResponseBuilder::new().description(description).content(
        super::error::PROBLEM_JSON,
        Content::new(Some(Ref::from_schema_name("Problem"))),
    );
    if challenge {
        response = response.header(
            "WWW-Authenticate",
            Header::new(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String),
            ),
        );
    }
    RefOr::T(response.build())
}

impl Modify for OfficialSchema {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, value) in schemas() {
            match serde_json::from_value::<Schema>(value) {
                Ok(schema) => {
                    components.schemas.insert(name, RefOr::T(schema));
                }
                Err(err) => tracing::error!(%name, error = %err, "schema does not convert"),
            }
        }
    }
}

/// The properties object and its definitions, with `$ref`s pointing into `components`, read-only
/// properties marked, Cognito's enums and patterns added, and the four fixtures as examples.
fn schemas() -> Vec<(String, Value)> {
    let official = schema::document();
    let mut properties = official["properties"].clone();
    add_cognito_facts(&mut properties);
    for name in schema::READ_ONLY {
        properties[*name]["readOnly"] = json!(true);
    }
    let mut main = json!({
        "type": "object",
        "description": format!("{} properties, with CloudFormation's names.", schema::TYPE_NAME),
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

fn fixtures() -> Vec<Value> {
    [
        include_str!("../../tests/fixtures/seed-basic.json"),
        include_str!("../../tests/fixtures/seed-advanced.json"),
        include_str!("../../tests/fixtures/seed-custom-auth.json"),
        include_str!("../../tests/fixtures/seed-analytics.json"),
    ]
    .iter()
    .map(|text| serde_json::from_str(text).unwrap_or(Value::Object(Map::new())))
    .collect()
}
