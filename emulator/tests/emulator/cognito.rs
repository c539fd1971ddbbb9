//! Cognito's rules and normalisations as the UserPoolClient handler meets them, through the SDK.
//! Each case cites the CreateUserPoolClient / UpdateUserPoolClient reference or a recorded answer.

use aws_sdk_cloudcontrol::types::{HandlerErrorCode, OperationStatus, ProgressEvent};
use ccplane_emulator::{DEFAULT_ACCOUNT, UserPoolTier};
use serde_json::{Value, json};

use crate::helpers::{POOL, TestEmulator, assert_failed, basic};

/// `basic()` with `extra` merged in.
fn client(extra: Value) -> Value {
    let mut desired = basic();
    json_patch::merge(&mut desired, &extra);
    desired
}

/// The StatusMessage of a failed request, without the SDK-style suffix Cloud Control relays.
fn cognito_message(event: &ProgressEvent) -> String {
    let message = event.status_message.clone().unwrap_or_default();
    let suffix = " (Service: CognitoIdentityProvider, Status Code: 400, Request ID: ";
    match message.find(suffix) {
        Some(i) => message[..i].to_owned(),
        None => panic!("no Cognito suffix in {message}"),
    }
}

/// An OAuth client allowing `scopes` through the code flow.
fn oauth_client(scopes: Value) -> Value {
    client(json!({
        "AllowedOAuthFlowsUserPoolClient": true,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": scopes,
        "CallbackURLs": ["https://app.example.com/cb"],
    }))
}

#[tokio::test]
async fn documents_cognito_refuses_fail_asynchronously_with_its_message() {
    let emu = TestEmulator::spawn().await;
    let cases = [
        (
            "an unknown OAuth flow (awsdocs/aws-cloudformation-user-guide#563)",
            json!({"AllowedOAuthFlows": ["token"]}),
            "1 validation error detected: Value '[token]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]",
        ),
        (
            "more than 100 callback URLs (CallbackURLsListType max 100)",
            json!({"CallbackURLs": (0..101).map(|i| format!("https://a.example.com/{i}")).collect::<Vec<_>>()}),
            "1 validation error detected: Value '[https://a.example.com/0",
        ),
        (
            "a client name outside [\\w\\s+=,.@-]+",
            json!({"ClientName": "app/1"}),
            "1 validation error detected: Value 'app/1' at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
        ),
        (
            "an access token valid for two days (5 minutes to 1 day)",
            json!({"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}}),
            "Invalid range for token validity.",
        ),
        (
            "a refresh token valid for 59 minutes (60 minutes to 10 years)",
            json!({"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}}),
            "Invalid range for token validity.",
        ),
        (
            "legacy and ALLOW_ auth flows together",
            json!({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
            "ExplicitAuthFlows can not mix the legacy value USER_PASSWORD_AUTH with ALLOW_ values such as ALLOW_REFRESH_TOKEN_AUTH.",
        ),
        (
            "OAuth on without flows or scopes",
            json!({"AllowedOAuthFlowsUserPoolClient": true}),
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
        ),
        (
            "client_credentials with the code flow",
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials", "code"], "CallbackURLs": ["https://a.example.com"]}),
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        ),
        (
            "client_credentials without a secret",
            json!({"AllowedOAuthFlows": ["client_credentials"]}),
            "client_credentials flow can not be selected if client does not have a client secret.",
        ),
        (
            "client_credentials with a standard scope (terraform-provider-aws#4984)",
            json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["openid"]}),
            "openid is not supported with client_credentials flow",
        ),
        (
            "the code flow without callback URLs (cisagov/crossfeed#440)",
            json!({"AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"]}),
            "CallbackUrls can not be empty when code flow or implicit flow is selected",
        ),
        (
            "a plain-HTTP callback URL off loopback",
            json!({"CallbackURLs": ["http://app.example.com/cb"]}),
            "CallbackURLs: http://app.example.com/cb is not a valid redirect URI: Amazon Cognito requires HTTPS over HTTP except for http://localhost, http://127.0.0.1 and http://[::1].",
        ),
        (
            "a callback URL with a fragment",
            json!({"CallbackURLs": ["https://app.example.com/cb#top"]}),
            "CallbackURLs: https://app.example.com/cb#top is not a valid redirect URI: it must not include a fragment component.",
        ),
        (
            "a relative logout URL",
            json!({"LogoutURLs": ["/signed-out"]}),
            "LogoutURLs: /signed-out is not a valid redirect URI: it must be an absolute URI.",
        ),
        (
            "a DefaultRedirectURI that is not a callback URL",
            json!({"CallbackURLs": ["https://a.example.com/cb"], "DefaultRedirectURI": "https://b.example.com/cb"}),
            "DefaultRedirectURI https://b.example.com/cb must be one of the CallbackURLs.",
        ),
    ];
    for (case, extra, expected) in cases {
        // A second apart, under Cognito's 5 creates/s on one pool: this test is about the rules.
        emu.advance(1);
        let done = emu.create_done(client(extra)).await;
        assert_failed(&done, HandlerErrorCode::InvalidRequest);
        let message = cognito_message(&done);
        assert!(message.starts_with(expected), "{case}: {message}");
    }
    assert_eq!(emu.control().stats().pools[0].clients, 0);
}

// "CallbackUrls can not be empty when code flow or implicit flow is selected" is recorded only with
// AllowedOAuthFlowsUserPoolClient true; with it false the flows are inert unless the other reading
// is asked for.
#[tokio::test]
async fn browser_flows_with_oauth_off_need_callbacks_only_under_the_strict_reading() {
    let emu = TestEmulator::spawn().await;
    let extra = json!({"AllowedOAuthFlows": ["code"]});
    let done = emu.create_done(client(extra.clone())).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
    let mut faults = emu.control().faults();
    faults.check_callbacks_with_oauth_off = true;
    emu.control().set_faults(faults);
    let done = emu.create_done(client(extra)).await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    assert!(
        cognito_message(&done).starts_with(
            "CallbackUrls can not be empty when code flow or implicit flow is selected"
        ),
        "{done:?}"
    );
}

// "You can only activate EnablePropagateAdditionalUserContextData in an app client that has a client
// secret" (CreateUserPoolClient reference); no refusal is recorded, so both readings exist.
#[tokio::test]
async fn context_data_without_a_secret_is_refused_only_under_the_strict_reading() {
    let emu = TestEmulator::spawn().await;
    let extra = json!({"EnablePropagateAdditionalUserContextData": true});
    let done = emu.create_done(client(extra.clone())).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
    let mut faults = emu.control().faults();
    faults.refuse_context_data_without_secret = true;
    emu.control().set_faults(faults);
    let done = emu.create_done(client(extra)).await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    assert!(
        cognito_message(&done).starts_with(
            "EnablePropagateAdditionalUserContextData can only be activated in an app client that has a client secret."
        )
    );
}

#[tokio::test]
async fn documents_cognito_accepts_succeed() {
    let emu = TestEmulator::spawn().await;
    let cases = [
        (
            "loopback callbacks over HTTP, and an app scheme",
            json!({"CallbackURLs": ["http://localhost:3000/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb", "myapp://signed-in"]}),
        ),
        (
            "a token validity in its unit's range",
            json!({"AccessTokenValidity": 5, "IdTokenValidity": 1440, "RefreshTokenValidity": 60,
                   "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes"}}),
        ),
        (
            "a ten-year refresh token",
            json!({"RefreshTokenValidity": 3650}),
        ),
        (
            "every standard scope through the code flow",
            json!({"AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code", "implicit"],
                   "AllowedOAuthScopes": ["phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"],
                   "CallbackURLs": ["https://a.example.com/cb"], "DefaultRedirectURI": "https://a.example.com/cb"}),
        ),
        (
            "context data with a client secret",
            json!({"GenerateSecret": true, "EnablePropagateAdditionalUserContextData": true}),
        ),
        (
            "the ALLOW_ auth flows, ALLOW_USER_AUTH on an Essentials pool",
            json!({"ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        ),
        (
            "the COGNITO identity provider, which every pool has",
            json!({"SupportedIdentityProviders": ["COGNITO"]}),
        ),
    ];
    for (case, extra) in cases {
        // A second apart, under Cognito's 5 creates/s on one pool: this test is about the rules.
        emu.advance(1);
        let done = emu.create_done(client(extra)).await;
        assert_eq!(
            done.operation_status,
            Some(OperationStatus::Success),
            "{case}: {done:?}"
        );
    }
}

#[tokio::test]
async fn a_custom_scope_needs_a_resource_server_that_defines_it() {
    let emu = TestEmulator::spawn().await;
    let desired = oauth_client(json!(["openid", "https://api.example.com/read"]));
    let done = emu.create_done(desired.clone()).await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    // "Invalid scope requested: Cognito" (ScopeDoesNotExistException; awsdocs/…#564).
    assert_eq!(
        cognito_message(&done),
        "Invalid scope requested: https://api.example.com/read"
    );
    let control = emu.control();
    control
        .add_resource_server(DEFAULT_ACCOUNT, POOL, "https://api.example.com", &["write"])
        .unwrap();
    let done = emu.create_done(desired.clone()).await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    control
        .add_resource_server(DEFAULT_ACCOUNT, POOL, "https://api.example.com", &["read"])
        .unwrap();
    let done = emu.create_done(desired).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
}

#[tokio::test]
async fn an_identity_provider_the_pool_lacks_fails_with_cognitos_message() {
    let emu = TestEmulator::spawn().await;
    let desired = client(json!({"SupportedIdentityProviders": ["COGNITO", "Google"]}));
    let done = emu.create_done(desired.clone()).await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    // Recorded in lgallard/terraform-aws-cognito-user-pool#71.
    assert_eq!(
        cognito_message(&done),
        format!("The provider Google does not exist for User Pool {POOL}.")
    );
    emu.control()
        .add_identity_provider(DEFAULT_ACCOUNT, POOL, "Google")
        .unwrap();
    let done = emu.create_done(desired).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
}

#[tokio::test]
async fn a_pool_holds_at_most_a_thousand_clients() {
    let emu = TestEmulator::spawn().await;
    for _ in 0..999 {
        emu.control()
            .create_client(DEFAULT_ACCOUNT, POOL, &basic())
            .unwrap();
    }
    emu.create_settled(basic()).await;
    let done = emu.create_done(basic()).await;
    assert_failed(&done, HandlerErrorCode::ServiceLimitExceeded);
    assert!(cognito_message(&done).contains("(1000)"), "{done:?}");
    assert_eq!(emu.control().stats().pools[0].clients, 1000);
}

#[tokio::test]
async fn allow_user_auth_needs_the_essentials_plan() {
    let emu = TestEmulator::spawn().await;
    emu.control()
        .set_pool_tier(DEFAULT_ACCOUNT, POOL, UserPoolTier::Lite)
        .unwrap();
    let desired =
        client(json!({"ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}));
    let done = emu.create_done(desired.clone()).await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    assert!(cognito_message(&done).contains("Essentials"));
    emu.control()
        .set_pool_tier(DEFAULT_ACCOUNT, POOL, UserPoolTier::Essentials)
        .unwrap();
    let done = emu.create_done(desired).await;
    assert_eq!(done.operation_status, Some(OperationStatus::Success));
}

#[tokio::test]
async fn an_update_is_held_to_the_same_rules_and_changes_nothing_when_refused() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(oauth_client(json!(["openid"]))).await;
    let before = emu.get(&id).await;
    let patch = json!([{ "op": "add", "path": "/AllowedOAuthScopes/-", "value": "orders/read" }]);
    let token = emu.update(&id, patch).await.request_token.unwrap();
    let done = emu.status(&token).await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    assert_eq!(
        cognito_message(&done),
        "Invalid scope requested: orders/read"
    );
    assert_eq!(emu.get(&id).await, before);
    // The client's secret counts: client_credentials needs one, and this client has none.
    let patch = json!([
        { "op": "replace", "path": "/AllowedOAuthFlows", "value": ["client_credentials"] },
        { "op": "replace", "path": "/AllowedOAuthScopes", "value": ["orders/read"] },
    ]);
    let token = emu.update(&id, patch).await.request_token.unwrap();
    let done = emu.status(&token).await;
    assert!(cognito_message(&done).contains("does not have a client secret"));
}

#[tokio::test]
async fn rotation_disabled_reads_back_a_zero_grace_period() {
    let emu = TestEmulator::spawn().await;
    let id = emu
        .create_settled(client(json!({
            "RefreshTokenRotation": {"Feature": "DISABLED", "RetryGracePeriodSeconds": 30}
        })))
        .await;
    assert_eq!(
        emu.get(&id).await["RefreshTokenRotation"],
        json!({"Feature": "DISABLED", "RetryGracePeriodSeconds": 0})
    );
    let patch = json!([{ "op": "replace", "path": "/RefreshTokenRotation",
                         "value": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 30} }]);
    let token = emu.update(&id, patch).await.request_token.unwrap();
    emu.status(&token).await;
    assert_eq!(
        emu.get(&id).await["RefreshTokenRotation"],
        json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 30})
    );
}

#[tokio::test]
async fn rotation_without_a_feature_is_refused_as_cognito_requires_one() {
    // RefreshTokenRotationType requires Feature; the resource schema does not.
    let emu = TestEmulator::spawn().await;
    let done = emu
        .create_done(client(
            json!({"RefreshTokenRotation": {"RetryGracePeriodSeconds": 10}}),
        ))
        .await;
    assert_failed(&done, HandlerErrorCode::InvalidRequest);
    assert!(
        cognito_message(&done)
            .contains("Value null at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must not be null")
    );
}

#[tokio::test]
async fn empty_attribute_lists_read_as_none() {
    // "Amazon Cognito only populates ReadAttributes in the API response if you have specified your
    // own custom set of read attributes."
    let emu = TestEmulator::spawn().await;
    let id = emu
        .create_settled(client(
            json!({"ReadAttributes": [], "WriteAttributes": ["email"]}),
        ))
        .await;
    let props = emu.get(&id).await;
    assert!(props.get("ReadAttributes").is_none(), "{props}");
    assert_eq!(props["WriteAttributes"], json!(["email"]));
}

/// The fields Cognito fills in with a default, each with a value other than its default and what
/// the test sets beside it for Cognito to accept it.
fn defaulted_fields() -> Vec<(&'static str, Value, Value)> {
    vec![
        // Probed live (go-to-k/cdk-real-drift #1613, #1689).
        ("RefreshTokenValidity", json!(10), json!({})),
        ("AuthSessionValidity", json!(5), json!({})),
        ("EnableTokenRevocation", json!(false), json!({})),
        // Ours, by analogy with the probed three.
        (
            "TokenValidityUnits",
            json!({"AccessToken": "minutes"}),
            json!({"AccessTokenValidity": 5}),
        ),
        (
            "AllowedOAuthFlowsUserPoolClient",
            json!(true),
            json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"],
                   "CallbackURLs": ["https://a.example.com/cb"]}),
        ),
        (
            "EnablePropagateAdditionalUserContextData",
            json!(true),
            json!({}),
        ),
    ]
}

/// Creates a client with `field` at `value` (and `beside`), then sends `patch`; the field as read
/// back once the update settled SUCCESS.
async fn after_update(
    emu: &TestEmulator,
    (field, value, beside): &(&str, Value, Value),
    patch: Value,
) -> Value {
    let mut extra = beside.clone();
    extra[*field] = value.clone();
    let id = emu.create_settled(client(extra)).await;
    let token = emu.update(&id, patch).await.request_token.unwrap();
    let done = emu.status(&token).await;
    assert_eq!(
        done.operation_status,
        Some(OperationStatus::Success),
        "{field}: {done:?}"
    );
    emu.get(&id).await[*field].clone()
}

// Probed live on AWS, July 2026 (go-to-k/cdk-real-drift #1689 for EnableTokenRevocation and
// AuthSessionValidity, #1613 for RefreshTokenValidity; shared/AWS-CONTRACT.md "Quotas and
// accounts"): a bare `remove` reports SUCCESS and the live value stays. The other defaulted fields
// behave the same here by analogy.
#[tokio::test]
async fn a_remove_of_a_field_cognito_defaults_succeeds_and_leaves_the_live_value() {
    let emu = unthrottled().await;
    for case in defaulted_fields() {
        let patch = json!([{"op": "remove", "path": format!("/{}", case.0)}]);
        let live = after_update(&emu, &case, patch).await;
        assert_eq!(live, case.1, "{}: the live value stays", case.0);
    }
}

// The same probe: only an explicit value changes the field ("explicit add of the KNOWN_DEFAULTS
// values converges both", go-to-k/cdk-real-drift PR #1690).
#[tokio::test]
async fn an_explicit_default_changes_a_field_cognito_defaults() {
    let emu = unthrottled().await;
    let defaults = ccplane_emulator::cognito::client_defaults();
    for case in defaulted_fields() {
        let default = defaults[case.0].clone();
        let patch = json!([{"op": "replace", "path": format!("/{}", case.0), "value": default}]);
        let live = after_update(&emu, &case, patch).await;
        assert_eq!(live, default, "{}", case.0);
    }
}

// The reading AWS's probe contradicts, behind --remove-resets-defaults: the remove brings Cognito's
// default back.
#[tokio::test]
async fn under_the_other_reading_a_remove_resets_a_field_to_its_default() {
    let emu = unthrottled().await;
    let mut faults = emu.control().faults();
    faults.remove_resets_defaults = true;
    emu.control().set_faults(faults);
    let defaults = ccplane_emulator::cognito::client_defaults();
    for case in defaulted_fields() {
        let patch = json!([{"op": "remove", "path": format!("/{}", case.0)}]);
        let live = after_update(&emu, &case, patch).await;
        assert_eq!(live, defaults[case.0], "{}", case.0);
    }
}

// A field without a default Cognito fills in goes when removed.
#[tokio::test]
async fn a_remove_of_a_field_without_a_default_removes_it() {
    let emu = TestEmulator::spawn().await;
    let case = (
        "LogoutURLs",
        json!(["https://a.example.com/out"]),
        json!({}),
    );
    let live = after_update(
        &emu,
        &case,
        json!([{"op": "remove", "path": "/LogoutURLs"}]),
    )
    .await;
    assert_eq!(live, Value::Null);
}

// terraform-provider-aws `user_pool_client_test.go`, `analyticsWithARN`: an ApplicationArn without
// a RoleArn reads back with Cognito's service-linked role in the caller's account.
#[tokio::test]
async fn an_application_arn_without_a_role_reads_back_with_the_service_linked_role() {
    let emu = TestEmulator::spawn().await;
    let other = "210987654321";
    emu.control().create_pool(other, POOL).unwrap();
    let arn = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef";
    let analytics =
        json!({"AnalyticsConfiguration": {"ApplicationArn": arn, "UserDataShared": true}});
    for (account, cc) in [
        (DEFAULT_ACCOUNT, emu.cc.clone()),
        (other, emu.client_for(other, "us-east-1")),
    ] {
        let done =
            crate::helpers::create_done(&cc, crate::helpers::CLIENT, &client(analytics.clone()))
                .await;
        assert_eq!(
            done.operation_status,
            Some(OperationStatus::Success),
            "{done:?}"
        );
        let id = done.identifier.unwrap();
        let read = cc
            .get_resource()
            .type_name(crate::helpers::CLIENT)
            .identifier(&id)
            .send()
            .await
            .unwrap();
        let props: Value =
            serde_json::from_str(&read.resource_description.unwrap().properties.unwrap()).unwrap();
        let role = format!(
            "arn:aws:iam::{account}:role/aws-service-role/cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdp"
        );
        assert_eq!(props["AnalyticsConfiguration"]["RoleArn"], json!(role));
        assert_eq!(props["AnalyticsConfiguration"]["ApplicationArn"], arn);
    }
    // An update that keeps the ApplicationArn keeps the role too.
    let id = emu.create_settled(client(analytics)).await;
    let patch = json!([{"op": "replace", "path": "/ClientName", "value": "renamed"}]);
    let token = emu.update(&id, patch).await.request_token.unwrap();
    emu.status(&token).await;
    let role = &emu.get(&id).await["AnalyticsConfiguration"]["RoleArn"];
    assert!(
        role.as_str()
            .unwrap()
            .ends_with("/AWSServiceRoleForAmazonCognitoIdp"),
        "{role}"
    );
}

/// An emulator whose quotas do not get in the way: these tests update one pool's clients many times
/// a second to check what an update does, not how fast it may be sent.
async fn unthrottled() -> TestEmulator {
    let emu = TestEmulator::spawn().await;
    let fast = Some(10_000.0);
    let change = ccplane_emulator::QuotaChange {
        cloud_control_rps: fast,
        cognito_read_rps: fast,
        cognito_write_rps: fast,
        cognito_pool_operation_rps: fast,
    };
    emu.control().set_quotas(&change).unwrap();
    emu
}
