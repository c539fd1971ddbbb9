//! ccplane's validator against the emulator's witness of AWS, on documents whose fate AWS decides:
//! the CreateUserPoolClient / UpdateUserPoolClient reference, the resource schema, or an answer AWS
//! was recorded giving. The emulator's rules are written from those sources apart from ccplane's
//! `model/`, so where the two disagree one of them is wrong, and each case says which way AWS goes.

use serde_json::{Value, json};

/// What AWS does with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aws {
    Accepts,
    Refuses,
}

use Aws::{Accepts, Refuses};

/// One document (a minimal client with `extra` merged in), AWS's verdict, and where it is written.
struct Case {
    what: &'static str,
    source: &'static str,
    extra: Value,
    aws: Aws,
}

fn case(what: &'static str, source: &'static str, extra: Value, aws: Aws) -> Case {
    Case {
        what,
        source,
        extra,
        aws,
    }
}

const CREATE: &str = "CreateUserPoolClient reference";
const MODEL: &str = "cognito-idp model constraints";
const SCHEMA: &str = "resource schema";

fn document(extra: &Value) -> Value {
    let mut doc = json!({"UserPoolId": "us-east-1_examplePoolId", "ClientName": "app"});
    json_patch::merge(&mut doc, extra);
    doc
}

fn ccplane_verdict(doc: &Value) -> Aws {
    if ccplane::model::validate::validate_desired(doc)
        .errors
        .is_empty()
    {
        Accepts
    } else {
        Refuses
    }
}

/// What the emulator does with a document that needs nothing from the pool: the schema check
/// Cloud Control makes, then Cognito's.
fn emulator_verdict(doc: &Value) -> Aws {
    let schema_ok = ccplane_emulator::schema::violations(doc).is_empty();
    let readings = ccplane_emulator::Readings::default();
    if schema_ok && ccplane_emulator::rules::check(doc, readings).is_ok() {
        Accepts
    } else {
        Refuses
    }
}

fn cases() -> Vec<Case> {
    let many = |n: usize, f: fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>();
    vec![
        // What AWS refuses.
        case(
            "an unknown OAuth flow",
            "awsdocs/aws-cloudformation-user-guide#563",
            json!({"AllowedOAuthFlows": ["token"]}),
            Refuses,
        ),
        case(
            "more than three OAuth flows",
            MODEL,
            json!({"AllowedOAuthFlows": ["code", "implicit", "code", "implicit"], "CallbackURLs": ["https://a.example.com"]}),
            Refuses,
        ),
        case(
            "client_credentials with code",
            CREATE,
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials", "code"], "CallbackURLs": ["https://a.example.com"]}),
            Refuses,
        ),
        case(
            "client_credentials without a secret",
            CREATE,
            json!({"AllowedOAuthFlows": ["client_credentials"]}),
            Refuses,
        ),
        case(
            "client_credentials with openid",
            "hashicorp/terraform-provider-aws#4984",
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["openid"]}),
            Refuses,
        ),
        case(
            "the code flow without callback URLs",
            "cisagov/crossfeed#440",
            json!({"AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"]}),
            Refuses,
        ),
        case(
            "the code flow with OAuth off and no callbacks (inert)",
            "cisagov/crossfeed#440 recorded the refusal with OAuth on",
            json!({"AllowedOAuthFlows": ["code", "implicit"]}),
            Accepts,
        ),
        case(
            "the OAuth switch without flows or scopes",
            CREATE,
            json!({"AllowedOAuthFlowsUserPoolClient": true}),
            Refuses,
        ),
        case(
            "a plain-HTTP callback off loopback",
            CREATE,
            json!({"CallbackURLs": ["http://app.example.com/cb"]}),
            Refuses,
        ),
        case(
            "a callback with a fragment",
            CREATE,
            json!({"CallbackURLs": ["https://app.example.com/cb#x"]}),
            Refuses,
        ),
        case(
            "a relative callback",
            CREATE,
            json!({"CallbackURLs": ["/cb"]}),
            Refuses,
        ),
        case(
            "a plain-HTTP logout URL off loopback",
            CREATE,
            json!({"LogoutURLs": ["http://app.example.com/out"]}),
            Refuses,
        ),
        case(
            "a DefaultRedirectURI outside the callbacks",
            CREATE,
            json!({"CallbackURLs": ["https://a.example.com/cb"], "DefaultRedirectURI": "https://b.example.com/cb"}),
            Refuses,
        ),
        case(
            "a DefaultRedirectURI without callbacks",
            CREATE,
            json!({"DefaultRedirectURI": "https://b.example.com/cb"}),
            Refuses,
        ),
        case(
            "more than 100 callbacks",
            MODEL,
            json!({"CallbackURLs": many(101, |i| format!("https://a.example.com/{i}"))}),
            Refuses,
        ),
        case(
            "a callback of 1,025 characters",
            MODEL,
            json!({"CallbackURLs": [format!("https://a.example.com/{}", "a".repeat(1005))]}),
            Refuses,
        ),
        case(
            "an access token valid two days",
            "TokenValidityUnitsType",
            json!({"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}}),
            Refuses,
        ),
        case(
            "an ID token valid four minutes",
            "TokenValidityUnitsType",
            json!({"IdTokenValidity": 4, "TokenValidityUnits": {"IdToken": "minutes"}}),
            Refuses,
        ),
        case(
            "an ID token valid 25 hours",
            "TokenValidityUnitsType",
            json!({"IdTokenValidity": 25}),
            Refuses,
        ),
        case(
            "a refresh token valid 59 minutes",
            "TokenValidityUnitsType",
            json!({"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}}),
            Refuses,
        ),
        case(
            "a refresh token valid 3,651 days",
            "TokenValidityUnitsType",
            json!({"RefreshTokenValidity": 3651}),
            Refuses,
        ),
        case(
            "an unknown time unit",
            MODEL,
            json!({"TokenValidityUnits": {"AccessToken": "weeks"}}),
            Refuses,
        ),
        case(
            "legacy and ALLOW_ auth flows together",
            CREATE,
            json!({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
            Refuses,
        ),
        case(
            "an unknown auth flow",
            MODEL,
            json!({"ExplicitAuthFlows": ["ALLOW_EVERYTHING"]}),
            Refuses,
        ),
        case(
            "more than 50 scopes",
            MODEL,
            json!({"AllowedOAuthScopes": many(51, |i| format!("s/{i}"))}),
            Refuses,
        ),
        case(
            "a scope with a space",
            MODEL,
            json!({"AllowedOAuthScopes": ["a b"]}),
            Refuses,
        ),
        case(
            "a client name with a slash",
            MODEL,
            json!({"ClientName": "app/1"}),
            Refuses,
        ),
        case(
            "PreventUserExistenceErrors OFF",
            MODEL,
            json!({"PreventUserExistenceErrors": "OFF"}),
            Refuses,
        ),
        case(
            "rotation without a Feature",
            MODEL,
            json!({"RefreshTokenRotation": {"RetryGracePeriodSeconds": 10}}),
            Refuses,
        ),
        case(
            "an identity provider name of 33 characters",
            MODEL,
            json!({"SupportedIdentityProviders": ["a".repeat(33)]}),
            Refuses,
        ),
        case(
            "a Pinpoint project id that is not hex",
            MODEL,
            json!({"AnalyticsConfiguration": {"ApplicationId": "xyz"}}),
            Refuses,
        ),
        case(
            "an analytics role that is not an ARN",
            MODEL,
            json!({"AnalyticsConfiguration": {"RoleArn": "not-an-arn-at-all-really"}}),
            Refuses,
        ),
        case(
            "a pool id without an underscore",
            MODEL,
            json!({"UserPoolId": "nounderscore"}),
            Refuses,
        ),
        case(
            "AuthSessionValidity 16",
            SCHEMA,
            json!({"AuthSessionValidity": 16}),
            Refuses,
        ),
        case("an unknown property", SCHEMA, json!({"Bogus": 1}), Refuses),
        // What AWS accepts.
        case("a minimal client", SCHEMA, json!({}), Accepts),
        case(
            "plain HTTP on loopback, and an app scheme",
            CREATE,
            json!({"CallbackURLs": ["http://localhost:3000/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb", "myapp://signed-in"]}),
            Accepts,
        ),
        case(
            "an access token valid five minutes",
            "TokenValidityUnitsType",
            json!({"AccessTokenValidity": 5, "TokenValidityUnits": {"AccessToken": "minutes"}}),
            Accepts,
        ),
        case(
            "an access token valid one day",
            "TokenValidityUnitsType",
            json!({"AccessTokenValidity": 1, "TokenValidityUnits": {"AccessToken": "days"}}),
            Accepts,
        ),
        case(
            "a refresh token valid ten years",
            "TokenValidityUnitsType",
            json!({"RefreshTokenValidity": 3650}),
            Accepts,
        ),
        case(
            "a refresh token valid 60 minutes",
            "TokenValidityUnitsType",
            json!({"RefreshTokenValidity": 60, "TokenValidityUnits": {"RefreshToken": "minutes"}}),
            Accepts,
        ),
        case(
            "client_credentials with a secret and a custom scope",
            CREATE,
            json!({"GenerateSecret": true, "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["orders/read"]}),
            Accepts,
        ),
        case(
            "code and implicit with every standard scope",
            CREATE,
            json!({"AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code", "implicit"], "AllowedOAuthScopes": ["phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"], "CallbackURLs": ["https://a.example.com/cb"], "DefaultRedirectURI": "https://a.example.com/cb"}),
            Accepts,
        ),
        case(
            "every ALLOW_ auth flow",
            CREATE,
            json!({"ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH"]}),
            Accepts,
        ),
        case(
            "the legacy auth flows alone",
            CREATE,
            json!({"ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"]}),
            Accepts,
        ),
        case(
            "context data with a secret",
            CREATE,
            json!({"GenerateSecret": true, "EnablePropagateAdditionalUserContextData": true}),
            Accepts,
        ),
        case(
            "rotation off with a grace period",
            MODEL,
            json!({"RefreshTokenRotation": {"Feature": "DISABLED", "RetryGracePeriodSeconds": 30}}),
            Accepts,
        ),
        case(
            "rotation on with a grace period of 60 s",
            MODEL,
            json!({"RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 60}}),
            Accepts,
        ),
        case(
            "callback and logout URLs with OAuth off",
            CREATE,
            json!({"CallbackURLs": ["https://a.example.com/cb"], "LogoutURLs": ["https://a.example.com/out"]}),
            Accepts,
        ),
        case(
            "empty attribute and URL lists",
            MODEL,
            json!({"ReadAttributes": [], "CallbackURLs": []}),
            Accepts,
        ),
        case(
            "the analytics fixture's shapes",
            MODEL,
            json!({"AnalyticsConfiguration": {"ApplicationId": "1234567890", "RoleArn": "arn:aws:iam::123456789012:role/CognitoAnalyticsRole", "ExternalId": "x", "UserDataShared": true}}),
            Accepts,
        ),
    ]
}

#[test]
fn ccplane_and_the_emulator_both_side_with_aws_on_every_documented_case() {
    let mut wrong = Vec::new();
    for c in cases() {
        let doc = document(&c.extra);
        for (who, verdict) in [
            ("ccplane", ccplane_verdict(&doc)),
            ("the emulator", emulator_verdict(&doc)),
        ] {
            if verdict != c.aws {
                wrong.push(format!(
                    "{}: AWS {:?} ({}), {who} {verdict:?}",
                    c.what, c.aws, c.source
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_four_fixtures_pass_both() {
    for name in [
        "seed-basic",
        "seed-advanced",
        "seed-analytics",
        "seed-custom-auth",
    ] {
        let doc = fixture(name);
        assert_eq!(ccplane_verdict(&doc), Accepts, "{name}");
        assert_eq!(emulator_verdict(&doc), Accepts, "{name}");
    }
}

/// The reference: "You can only activate EnablePropagateAdditionalUserContextData in an app client
/// that has a client secret." No refusal is recorded, and `seed-custom-auth` (which the project
/// requires to converge) sets it without one. Both readings are kept: the emulator accepts by
/// default and refuses with `refuse_context_data_without_secret`; ccplane accepts and warns, and
/// a refusal, should AWS make one, arrives as a terminal failure (`tests/reconcile/contract.rs`).
#[test]
fn context_data_without_a_secret_is_accepted_with_a_warning() {
    let doc = document(&json!({"EnablePropagateAdditionalUserContextData": true}));
    assert_eq!(emulator_verdict(&doc), Accepts);
    let report = ccplane::model::validate::validate_desired(&doc);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.pointer == "/EnablePropagateAdditionalUserContextData"),
        "{:?}",
        report.warnings
    );
}
