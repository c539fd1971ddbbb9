//! Accounts through STS: aws-config's own `AssumeRoleProvider` and the STS client, pointed at the
//! emulator, get credentials in a role's account; trust, external ids, session lengths and expiry
//! answer as the STS API reference and recorded answers say (cited per test).

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig, sts::AssumeRoleProvider};
use aws_sdk_cloudcontrol::config::Credentials;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::retry::RetryConfig;
use ccplane_emulator::{
    DEFAULT_ACCOUNT, Role,
    client::{TEST_SECRET_ACCESS_KEY, access_key_id, sdk_config},
};
use serde_json::{Value, json};

use crate::helpers::{CLIENT, REGION, TestEmulator, create_done, http_status};

/// The account the roles live in.
const TARGET: &str = "222233334444";
/// A role in [`TARGET`].
const ROLE: &str = "arn:aws:iam::222233334444:role/ccplane-deployer";
/// A pool in [`TARGET`].
const TARGET_POOL: &str = "us-east-1_targetPool";

/// The SdkConfig a caller in `account` would load, endpoint at the emulator, one attempt.
async fn base_config(emu: &TestEmulator, account: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(emu.url())
        .credentials_provider(Credentials::new(
            access_key_id(account),
            TEST_SECRET_ACCESS_KEY,
            None,
            None,
            "sts-test",
        ))
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .load()
        .await
}

/// A Cloud Control client whose credentials come from aws-config's AssumeRoleProvider for
/// `role`, called from `account`.
async fn cloud_control_as_role(
    emu: &TestEmulator,
    account: &str,
    role: &str,
) -> aws_sdk_cloudcontrol::Client {
    let base = base_config(emu, account).await;
    let provider = AssumeRoleProvider::builder(role)
        .session_name("ccplane")
        .configure(&base)
        .build()
        .await;
    let config = aws_sdk_cloudcontrol::config::Builder::from(&base)
        .credentials_provider(provider)
        .build();
    aws_sdk_cloudcontrol::Client::from_conf(config)
}

/// The STS client of a caller in `account`.
async fn sts(emu: &TestEmulator, account: &str) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::new(&base_config(emu, account).await)
}

/// An STS client signing with credentials AssumeRole issued.
async fn sts_with(
    emu: &TestEmulator,
    creds: &aws_sdk_sts::types::Credentials,
) -> aws_sdk_sts::Client {
    let config = aws_sdk_sts::config::Builder::from(&base_config(emu, DEFAULT_ACCOUNT).await)
        .credentials_provider(Credentials::new(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token().to_owned()),
            None,
            "sts-test",
        ))
        .build();
    aws_sdk_sts::Client::from_conf(config)
}

/// AssumeRole of `role` from `account`, with an optional external id and duration.
async fn assume(
    emu: &TestEmulator,
    account: &str,
    role: &str,
    external_id: Option<&str>,
    duration: Option<i32>,
) -> Result<
    aws_sdk_sts::operation::assume_role::AssumeRoleOutput,
    SdkError<aws_sdk_sts::operation::assume_role::AssumeRoleError>,
> {
    sts(emu, account)
        .await
        .assume_role()
        .role_arn(role)
        .role_session_name("ccplane")
        .set_external_id(external_id.map(str::to_owned))
        .set_duration_seconds(duration)
        .send()
        .await
}

/// POSTs a form-encoded STS call signed by `account`, as the CLI would; the status and the XML.
async fn raw_sts(emu: &TestEmulator, account: &str, form: &[(&str, &str)]) -> (u16, String) {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let response = reqwest::Client::new()
        .post(emu.url())
        .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .header(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential=AKIAEMU{account}/20240101/{REGION}/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
            ),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn register(emu: &TestEmulator, role: Value) {
    let role: Role = serde_json::from_value(role).unwrap();
    emu.control().register_role(role).unwrap();
}

async fn spawn_with_target_pool() -> TestEmulator {
    let emu = TestEmulator::spawn().await;
    emu.control().create_pool(TARGET, TARGET_POOL).unwrap();
    emu
}

/// aws-config's provider sends AssumeRole in the Query protocol and parses the XML answer
/// (STS API reference, AssumeRole, sample response); the credentials it gets end in the role's
/// account, so Cloud Control puts the client in that account's pool.
#[tokio::test]
async fn aws_configs_assume_role_provider_lands_cloud_control_calls_in_the_roles_account() {
    let emu = spawn_with_target_pool().await;
    let cc = cloud_control_as_role(&emu, DEFAULT_ACCOUNT, ROLE).await;
    let event = create_done(&cc, CLIENT, &json!({ "UserPoolId": TARGET_POOL })).await;
    let identifier = event.identifier.expect("the create succeeded");
    let client_id = identifier.split_once('|').unwrap().1;
    assert!(
        emu.control()
            .client(TARGET, TARGET_POOL, client_id)
            .is_some()
    );
    assert!(
        emu.control()
            .client(DEFAULT_ACCOUNT, TARGET_POOL, client_id)
            .is_none()
    );
    let stats = emu.control().stats();
    assert_eq!(stats.assume_role_calls.len(), 1, "{stats:?}");
    let counted = &stats.assume_role_calls[0];
    assert_eq!(
        (
            counted.role_arn.as_str(),
            counted.outcome.as_str(),
            counted.count
        ),
        (ROLE, "Success", 1)
    );
}

/// STS API reference, AssumeRole: Credentials {AccessKeyId, SecretAccessKey, SessionToken,
/// Expiration} (default 3600 s) and AssumedRoleUser {AssumedRoleId, Arn
/// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`}; IAM User Guide, "Unique identifiers": `ASIA`
/// marks temporary access keys.
#[tokio::test]
async fn assumed_credentials_are_temporary_keys_of_the_roles_account_for_an_hour() {
    let emu = TestEmulator::spawn().await;
    let before = emu.control().now();
    let out = assume(&emu, DEFAULT_ACCOUNT, ROLE, None, None)
        .await
        .unwrap();
    let creds = out.credentials.unwrap();
    assert_eq!(creds.access_key_id.len(), 20);
    assert!(creds.access_key_id.starts_with("ASIA"));
    assert!(creds.access_key_id.ends_with(TARGET));
    assert!(!creds.secret_access_key.is_empty() && !creds.session_token.is_empty());
    let lasts = creds.expiration.secs() - before.timestamp();
    assert!((3599..=3601).contains(&lasts), "expires after {lasts} s");
    let user = out.assumed_role_user.unwrap();
    assert_eq!(
        user.arn,
        "arn:aws:sts::222233334444:assumed-role/ccplane-deployer/ccplane"
    );
    assert!(user.assumed_role_id.starts_with("AROA"));
    assert!(user.assumed_role_id.ends_with(":ccplane"));
}

/// STS API reference, GetCallerIdentity: Account, Arn and UserId of the signer. Static keys read
/// as the account's root user (`arn:aws:iam::ACCOUNT:root`, as LocalStack answers for its
/// default credentials); role sessions as their assumed-role ARN and `ROLEID:SESSION`.
#[tokio::test]
async fn get_caller_identity_names_static_and_assumed_callers() {
    let emu = TestEmulator::spawn().await;
    let me = sts(&emu, "111122223333")
        .await
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.account(), Some("111122223333"));
    assert_eq!(me.arn(), Some("arn:aws:iam::111122223333:root"));
    assert_eq!(me.user_id(), Some("111122223333"));

    let out = assume(&emu, "111122223333", ROLE, None, None)
        .await
        .unwrap();
    let session = sts_with(&emu, out.credentials().unwrap()).await;
    let it = session.get_caller_identity().send().await.unwrap();
    assert_eq!(it.account(), Some(TARGET));
    assert_eq!(it.arn(), out.assumed_role_user().map(|u| u.arn()));
    assert_eq!(
        it.user_id(),
        out.assumed_role_user().map(|u| u.assumed_role_id())
    );
}

/// Recorded: "User: arn:aws:iam::846282225459:user/janitor is not authorized to perform:
/// sts:AssumeRole on resource: arn:aws:iam::834651025166:role/OrganizationFormationBuildAccessRole"
/// (AccessDenied, HTTP 403) for a caller the role's trust policy does not name.
#[tokio::test]
async fn a_caller_the_trust_does_not_name_is_denied_in_stss_words() {
    let emu = TestEmulator::spawn().await;
    register(
        &emu,
        json!({ "roleArn": ROLE, "trustedAccounts": ["111122223333"] }),
    );
    let err = assume(&emu, "444455556666", ROLE, None, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some(
            "User: arn:aws:iam::444455556666:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222233334444:role/ccplane-deployer"
        )
    );
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 403);
    assert!(assume(&emu, "111122223333", ROLE, None, None).await.is_ok());
    let outcomes: Vec<(String, u64)> = emu
        .control()
        .stats()
        .assume_role_calls
        .into_iter()
        .map(|c| (c.outcome, c.count))
        .collect();
    assert_eq!(
        outcomes,
        [("AccessDenied".to_owned(), 1), ("Success".to_owned(), 1)]
    );
}

/// IAM User Guide, "Access to AWS accounts owned by third parties": a trust policy with an
/// `sts:ExternalId` condition refuses a missing or different external id (AccessDenied).
#[tokio::test]
async fn a_missing_or_wrong_external_id_is_denied() {
    let emu = TestEmulator::spawn().await;
    register(
        &emu,
        json!({ "roleArn": ROLE, "trustedAccounts": [DEFAULT_ACCOUNT], "externalId": "tenant-7f3c" }),
    );
    for wrong in [None, Some("tenant-0000")] {
        let err = assume(&emu, DEFAULT_ACCOUNT, ROLE, wrong, None)
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("AccessDenied"), "external id {wrong:?}");
        assert!(
            err.message()
                .unwrap()
                .starts_with("User: arn:aws:iam::123456789012:root is not authorized")
        );
    }
    assert!(
        assume(&emu, DEFAULT_ACCOUNT, ROLE, Some("tenant-7f3c"), None)
            .await
            .is_ok()
    );
}

/// Credentials stop working at their Expiration, on the emulator's clock: Cloud Control answers
/// `ExpiredTokenException` "The security token included in the request is expired" (HTTP 400,
/// as AWS's JSON services are recorded answering) and STS answers `ExpiredToken` (the CLI's
/// recorded "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation").
#[tokio::test]
async fn credentials_expire_on_the_emulator_clock() {
    let emu = spawn_with_target_pool().await;
    let cc = cloud_control_as_role(&emu, DEFAULT_ACCOUNT, ROLE).await;
    let list = || {
        cc.list_resources()
            .type_name(CLIENT)
            .resource_model(json!({ "UserPoolId": TARGET_POOL }).to_string())
            .send()
    };
    list().await.unwrap();
    emu.control().advance_clock(Duration::from_secs(3601));
    let err = list().await.unwrap_err();
    assert_eq!(err.code(), Some("ExpiredTokenException"));
    assert_eq!(
        err.message(),
        Some("The security token included in the request is expired")
    );
    assert_eq!(http_status(&err), 400);

    let out = assume(&emu, DEFAULT_ACCOUNT, ROLE, None, Some(900))
        .await
        .unwrap();
    let session = sts_with(&emu, out.credentials().unwrap()).await;
    session.get_caller_identity().send().await.unwrap();
    emu.control().advance_clock(Duration::from_secs(900));
    let err = session.get_caller_identity().send().await.unwrap_err();
    assert_eq!(err.code(), Some("ExpiredToken"));
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 400);
}

/// Keys the emulator never issued, `ASIA` or not, keep working however far the clock moves.
#[tokio::test]
async fn keys_the_emulator_never_issued_never_expire() {
    let emu = TestEmulator::spawn().await;
    emu.advance(365 * 24 * 3600);
    let config = sdk_config(&emu.url(), REGION, DEFAULT_ACCOUNT)
        .credentials_provider(Credentials::new(
            "ASIAUNKNOWN123456789012",
            TEST_SECRET_ACCESS_KEY,
            Some("never-issued".to_owned()),
            None,
            "sts-test",
        ))
        .build();
    let cc = aws_sdk_cloudcontrol::Client::from_conf(config);
    let event = create_done(&cc, CLIENT, &crate::helpers::basic()).await;
    assert!(event.identifier.is_some(), "{event:?}");
}

/// The message of a call refused with ValidationError, HTTP 400.
fn message<T, E: ProvideErrorMetadata>(result: Result<T, SdkError<E>>) -> String {
    let Err(err) = result else {
        panic!("the call succeeded");
    };
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 400);
    err.message().unwrap_or_default().to_owned()
}

/// botocore `sts` model: `roleDurationSecondsType` 900 to 43200, worded by Coral; STS API
/// reference, AssumeRole, DurationSeconds: above the role's MaxSessionDuration (default one
/// hour) "the operation fails", recorded as "The requested DurationSeconds exceeds the
/// MaxSessionDuration set for this role."; role chaining is limited to one hour, recorded as "The
/// requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
#[tokio::test]
async fn duration_seconds_is_bounded_by_the_model_the_role_and_role_chaining() {
    let emu = TestEmulator::spawn().await;
    assert_eq!(
        message(assume(&emu, DEFAULT_ACCOUNT, ROLE, None, Some(899)).await),
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
    );
    assert_eq!(
        message(assume(&emu, DEFAULT_ACCOUNT, ROLE, None, Some(43_201)).await),
        "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"
    );
    assert_eq!(
        message(assume(&emu, DEFAULT_ACCOUNT, ROLE, None, Some(3601)).await),
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    );
    assert!(
        assume(&emu, DEFAULT_ACCOUNT, ROLE, None, Some(900))
            .await
            .is_ok()
    );

    register(
        &emu,
        json!({ "roleArn": ROLE, "maxSessionDurationSeconds": 43200 }),
    );
    let before = emu.control().now().timestamp();
    let long = assume(&emu, DEFAULT_ACCOUNT, ROLE, None, Some(43_200))
        .await
        .unwrap();
    let lasts = long.credentials().unwrap().expiration().secs() - before;
    assert!(
        (43_199..=43_201).contains(&lasts),
        "expires after {lasts} s"
    );

    let chained = sts_with(&emu, long.credentials().unwrap()).await;
    let again = |seconds| {
        chained
            .assume_role()
            .role_arn(ROLE)
            .role_session_name("chained")
            .duration_seconds(seconds)
            .send()
    };
    assert_eq!(
        message(again(3601).await),
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    );
    assert!(again(3600).await.is_ok());
}

/// botocore `sts` model: `roleSessionNameType` `[\w+=,.@-]*` of 2 to 64 characters, recorded as
/// "1 validation error detected: Value '…' at 'roleSessionName' failed to satisfy constraint:
/// Member must satisfy regular expression pattern: [\w+=,.@-]*"; a RoleArn that is no ARN is
/// recorded as "ReadWriteQuiltBucket is invalid". Both ValidationError, HTTP 400, in STS's
/// `ErrorResponse` XML.
#[tokio::test]
async fn session_names_and_role_arns_are_checked_as_sts_checks_them() {
    let emu = TestEmulator::spawn().await;
    let (status, xml) = raw_sts(
        &emu,
        DEFAULT_ACCOUNT,
        &[
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", ROLE),
            ("RoleSessionName", "team/ci"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(xml.starts_with("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
    assert!(xml.contains("<Type>Sender</Type>"));
    assert!(xml.contains("<Code>ValidationError</Code>"));
    assert!(xml.contains(
        r"<Message>1 validation error detected: Value &apos;team/ci&apos; at &apos;roleSessionName&apos; failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*</Message>"
    ));
    assert!(xml.contains("<RequestId>"));

    let err = sts(&emu, DEFAULT_ACCOUNT)
        .await
        .assume_role()
        .role_arn("ReadWriteQuiltBucket")
        .role_session_name("s1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (
            Some("ValidationError"),
            Some("ReadWriteQuiltBucket is invalid")
        )
    );
}

/// STS API reference, AssumeRole, sample response: `AssumeRoleResponse` / `AssumeRoleResult` /
/// `Credentials` and `AssumedRoleUser`, then `ResponseMetadata/RequestId`, as `text/xml`.
#[tokio::test]
async fn the_assume_role_answer_is_stss_xml() {
    let emu = TestEmulator::spawn().await;
    let (status, xml) = raw_sts(
        &emu,
        DEFAULT_ACCOUNT,
        &[
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", ROLE),
            ("RoleSessionName", "cli"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{xml}");
    for element in [
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">",
        "<AssumeRoleResult>",
        "<Credentials>",
        "<AccessKeyId>ASIA",
        "222233334444</AccessKeyId>",
        "<SecretAccessKey>",
        "<SessionToken>",
        "<Expiration>",
        "<Arn>arn:aws:sts::222233334444:assumed-role/ccplane-deployer/cli</Arn>",
        "<AssumedRoleId>AROA",
        "<ResponseMetadata>",
        "<RequestId>",
    ] {
        assert!(xml.contains(element), "{element} missing from {xml}");
    }
    let (status, xml) = raw_sts(&emu, DEFAULT_ACCOUNT, &[("Action", "GetFederationToken")]).await;
    assert_eq!(status, 400);
    assert!(xml.contains("<Code>InvalidAction</Code>"), "{xml}");
}

async fn control(
    emu: &TestEmulator,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", emu.url()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The control API registers, lists and deletes roles; bad registrations answer 400 naming the
/// field, and a deleted role may be assumed by anyone again.
#[tokio::test]
async fn the_control_api_registers_lists_and_deletes_roles() {
    let emu = TestEmulator::spawn().await;
    let (status, role) = control(
        &emu,
        reqwest::Method::POST,
        "/_emulator/roles",
        Some(json!({ "roleArn": ROLE, "trustedAccounts": ["111122223333"], "externalId": "x-1" })),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        role,
        json!({ "roleArn": ROLE, "trustedAccounts": ["111122223333"], "externalId": "x-1", "maxSessionDurationSeconds": 3600 })
    );
    let (_, listed) = control(&emu, reqwest::Method::GET, "/_emulator/roles", None).await;
    assert_eq!(listed, json!({ "roles": [role] }));
    assert!(
        assume(&emu, DEFAULT_ACCOUNT, ROLE, None, None)
            .await
            .is_err()
    );

    for (bad, field) in [
        (json!({ "roleArn": "arn:aws:iam::1:role/x" }), "roleArn"),
        (
            json!({ "roleArn": ROLE, "trustedAccounts": ["12"] }),
            "trustedAccounts",
        ),
        (json!({ "roleArn": ROLE, "externalId": "x" }), "externalId"),
        (
            json!({ "roleArn": ROLE, "maxSessionDurationSeconds": 60 }),
            "maxSessionDurationSeconds",
        ),
    ] {
        let (status, answer) =
            control(&emu, reqwest::Method::POST, "/_emulator/roles", Some(bad)).await;
        assert_eq!(status, 400);
        assert!(
            answer["error"].as_str().unwrap().contains(field),
            "{answer}"
        );
    }

    let path = format!("/_emulator/roles?roleArn={}", urlencode(ROLE));
    let (status, _) = control(&emu, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(status, 204);
    assert!(
        assume(&emu, DEFAULT_ACCOUNT, ROLE, None, None)
            .await
            .is_ok()
    );
    let (status, _) = control(&emu, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(status, 404);
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
