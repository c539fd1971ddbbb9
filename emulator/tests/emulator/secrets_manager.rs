//! Secrets Manager through the real `aws-sdk-secretsmanager`: versions and staging labels, token
//! replay and conflict, lookups by name and ARN per account and region, the documented errors, the
//! fault modes, and one rotation whose every step loses its answer once.

use aws_sdk_secretsmanager::{Client, primitives::Blob};
use ccplane_emulator::{ApiOperation, DEFAULT_ACCOUNT, Effect, ScriptedCall};
use serde_json::json;

use crate::helpers::{POOL, REGION, TestEmulator, code, message, secrets};

const NAME: &str = "ccplane/team-a/web";
const V1: &str = "00000000-0000-4000-8000-000000000001";
const V2: &str = "00000000-0000-4000-8000-000000000002";
const V3: &str = "00000000-0000-4000-8000-000000000003";

/// A secret whose first version is `V1` with "one"; its ARN.
async fn created(sm: &Client) -> String {
    let out = sm
        .create_secret()
        .name(NAME)
        .client_request_token(V1)
        .secret_string("one")
        .send()
        .await
        .unwrap();
    assert_eq!(out.version_id(), Some(V1));
    out.arn().unwrap().to_owned()
}

async fn put(
    sm: &Client,
    token: &str,
    value: &str,
    stages: &[&str],
) -> Result<Vec<String>, String> {
    let mut request = sm
        .put_secret_value()
        .secret_id(NAME)
        .client_request_token(token)
        .secret_string(value);
    for stage in stages {
        request = request.version_stages(*stage);
    }
    let out = request
        .send()
        .await
        .map_err(|e| format!("{}: {}", code(&e), message(&e)))?;
    assert_eq!(out.version_id(), Some(token));
    Ok(out.version_stages().to_vec())
}

/// The value and version of the version holding `stage`.
async fn read(sm: &Client, stage: &str) -> (String, String) {
    let out = sm
        .get_secret_value()
        .secret_id(NAME)
        .version_stage(stage)
        .send()
        .await
        .unwrap();
    assert!(out.version_stages().iter().any(|s| s == stage));
    (
        out.secret_string().unwrap().to_owned(),
        out.version_id().unwrap().to_owned(),
    )
}

async fn move_stage(
    sm: &Client,
    stage: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(), String> {
    sm.update_secret_version_stage()
        .secret_id(NAME)
        .version_stage(stage)
        .set_remove_from_version_id(from.map(str::to_owned))
        .set_move_to_version_id(to.map(str::to_owned))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{}: {}", code(&e), message(&e)))
}

/// DescribeSecret's VersionIdsToStages, sorted.
async fn stages(sm: &Client) -> Vec<(String, Vec<String>)> {
    let out = sm.describe_secret().secret_id(NAME).send().await.unwrap();
    let mut staged: Vec<_> = out
        .version_ids_to_stages()
        .unwrap()
        .iter()
        .map(|(id, stages)| (id.clone(), stages.clone()))
        .collect();
    staged.sort();
    staged
}

fn labels(stages: &[&str]) -> Vec<String> {
    stages.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn a_created_secret_has_an_arn_of_its_partition_and_a_current_first_version() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    let arn = created(&sm).await;
    let prefix = format!("arn:aws:secretsmanager:{REGION}:{DEFAULT_ACCOUNT}:secret:{NAME}-");
    let suffix = arn.strip_prefix(&prefix).unwrap();
    assert!(
        suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric()),
        "{arn}"
    );
    assert_eq!(read(&sm, "AWSCURRENT").await, ("one".into(), V1.into()));
    let described = sm.describe_secret().secret_id(&arn).send().await.unwrap();
    assert_eq!(described.name(), Some(NAME));
    assert!(described.created_date().is_some() && described.last_changed_date().is_some());
    assert_eq!(
        stages(&sm).await,
        [(V1.to_owned(), labels(&["AWSCURRENT"]))]
    );
}

#[tokio::test]
async fn a_pending_version_then_a_promotion_leaves_awsprevious_on_the_old_current() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    created(&sm).await;
    assert_eq!(
        put(&sm, V2, "two", &["AWSPENDING"]).await.unwrap(),
        ["AWSPENDING"]
    );
    assert_eq!(
        read(&sm, "AWSCURRENT").await.0,
        "one",
        "pending is not current"
    );
    assert_eq!(read(&sm, "AWSPENDING").await.0, "two");

    move_stage(&sm, "AWSCURRENT", Some(V1), Some(V2))
        .await
        .unwrap();
    assert_eq!(
        stages(&sm).await,
        [
            (V1.to_owned(), labels(&["AWSPREVIOUS"])),
            (V2.to_owned(), labels(&["AWSPENDING", "AWSCURRENT"])),
        ]
    );
    assert_eq!(read(&sm, "AWSPREVIOUS").await, ("one".into(), V1.into()));
    move_stage(&sm, "AWSPENDING", Some(V2), None).await.unwrap();
    assert_eq!(
        stages(&sm).await[1],
        (V2.to_owned(), labels(&["AWSCURRENT"]))
    );
}

#[tokio::test]
async fn a_put_without_stages_becomes_current_and_the_old_current_previous() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    created(&sm).await;
    put(&sm, V2, "two", &[]).await.unwrap();
    put(&sm, V3, "three", &[]).await.unwrap();
    assert_eq!(read(&sm, "AWSCURRENT").await.1, V3);
    assert_eq!(read(&sm, "AWSPREVIOUS").await.1, V2);
    // V1 has no label left: deprecated, out of DescribeSecret, still kept and readable by id.
    assert_eq!(stages(&sm).await.len(), 2);
    let old = sm
        .get_secret_value()
        .secret_id(NAME)
        .version_id(V1)
        .send()
        .await
        .unwrap();
    assert_eq!(old.secret_string(), Some("one"));
    assert!(old.version_stages().is_empty());
    let kept = emu.control().secret(DEFAULT_ACCOUNT, REGION, NAME).unwrap();
    assert_eq!(kept.versions.len(), 3);
}

#[tokio::test]
async fn a_token_replayed_with_the_same_value_does_nothing_and_with_another_conflicts() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    created(&sm).await;
    put(&sm, V2, "two", &["AWSPENDING"]).await.unwrap();
    assert_eq!(
        put(&sm, V2, "two", &["AWSPENDING"]).await.unwrap(),
        ["AWSPENDING"]
    );
    let err = put(&sm, V2, "other", &["AWSPENDING"]).await.unwrap_err();
    assert!(err.starts_with("ResourceExistsException"), "{err}");
    let kept = emu.control().secret(DEFAULT_ACCOUNT, REGION, NAME).unwrap();
    assert_eq!(kept.versions.len(), 2);
    assert_eq!(
        kept.staged("AWSPENDING").unwrap().secret_string.as_deref(),
        Some("two")
    );
}

#[tokio::test]
async fn a_taken_name_is_resource_exists_unless_the_create_replays_its_first_version() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    let arn = created(&sm).await;
    let create = |token: &str, value: &str| {
        sm.create_secret()
            .name(NAME)
            .client_request_token(token)
            .secret_string(value)
            .send()
    };
    let again = create(V1, "one").await.unwrap();
    assert_eq!(
        (again.arn(), again.version_id()),
        (Some(arn.as_str()), Some(V1))
    );
    let err = create(V2, "one").await.unwrap_err();
    assert_eq!(code(&err), "ResourceExistsException");
    assert_eq!(
        message(&err),
        format!("The operation failed because the secret {NAME} already exists.")
    );
    assert_eq!(
        code(&create(V1, "changed").await.unwrap_err()),
        "ResourceExistsException"
    );
}

#[tokio::test]
async fn a_secret_is_found_by_name_or_arn_in_its_own_account_and_region_only() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    let arn = created(&sm).await;
    let by_arn = sm.get_secret_value().secret_id(&arn).send().await.unwrap();
    assert_eq!(by_arn.name(), Some(NAME));
    for other in [
        secrets(&emu.url(), "111122223333", REGION),
        secrets(&emu.url(), DEFAULT_ACCOUNT, "eu-west-1"),
    ] {
        for id in [NAME, arn.as_str()] {
            let err = other
                .describe_secret()
                .secret_id(id)
                .send()
                .await
                .unwrap_err();
            assert_eq!(code(&err), "ResourceNotFoundException");
            assert_eq!(
                message(&err),
                "Secrets Manager can't find the specified secret."
            );
        }
    }
    let err = sm
        .get_secret_value()
        .secret_id("nope")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error()
            .unwrap()
            .is_resource_not_found_exception()
    );
}

#[tokio::test]
async fn a_stage_moved_without_naming_its_holder_or_from_the_wrong_version_is_refused() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    created(&sm).await;
    put(&sm, V2, "two", &["AWSPENDING"]).await.unwrap();
    let err = move_stage(&sm, "AWSCURRENT", None, Some(V2))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        format!(
            "InvalidParameterException: The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version {V1}, so you must explicitly reference that version in RemoveFromVersionId."
        )
    );
    let err = move_stage(&sm, "AWSCURRENT", Some(V2), Some(V2))
        .await
        .unwrap_err();
    assert!(err.starts_with("InvalidParameterException"), "{err}");
    let err = move_stage(&sm, "AWSPENDING", Some(V1), None)
        .await
        .unwrap_err();
    assert!(err.starts_with("InvalidParameterException"), "{err}");
    let err = move_stage(&sm, "AWSCURRENT", Some(V1), Some(V3))
        .await
        .unwrap_err();
    assert!(err.starts_with("ResourceNotFoundException"), "{err}");
    assert_eq!(read(&sm, "AWSCURRENT").await.1, V1, "nothing moved");
}

#[tokio::test]
async fn get_with_a_version_and_another_versions_stage_is_invalid_request() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    created(&sm).await;
    put(&sm, V2, "two", &["AWSPENDING"]).await.unwrap();
    let get = |id: &str, stage: &str| {
        sm.get_secret_value()
            .secret_id(NAME)
            .version_id(id)
            .version_stage(stage)
            .send()
    };
    assert_eq!(
        get(V2, "AWSPENDING").await.unwrap().secret_string(),
        Some("two")
    );
    let err = get(V2, "AWSCURRENT").await.unwrap_err();
    assert!(
        err.as_service_error()
            .unwrap()
            .is_invalid_request_exception()
    );
    let err = sm
        .get_secret_value()
        .secret_id(NAME)
        .version_stage("AWSPREVIOUS")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

#[tokio::test]
async fn values_are_a_string_or_a_binary_never_both_and_tokens_have_the_models_length() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    let bytes = vec![0u8, 1, 2, 254, 255];
    sm.create_secret()
        .name("binary")
        .client_request_token(V1)
        .secret_binary(Blob::new(bytes.clone()))
        .send()
        .await
        .unwrap();
    let got = sm
        .get_secret_value()
        .secret_id("binary")
        .send()
        .await
        .unwrap();
    assert_eq!(got.secret_binary().unwrap().as_ref(), bytes.as_slice());
    assert!(got.secret_string().is_none());
    let err = sm
        .put_secret_value()
        .secret_id("binary")
        .client_request_token(V2)
        .secret_string("s")
        .secret_binary(Blob::new(bytes))
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error()
            .unwrap()
            .is_invalid_parameter_exception()
    );
    let err = sm
        .put_secret_value()
        .secret_id("binary")
        .client_request_token("short")
        .secret_string("s")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ValidationException");
    assert!(
        message(&err).contains("at 'clientRequestToken'"),
        "{}",
        message(&err)
    );
    let err = sm
        .create_secret()
        .name("bad name!")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error()
            .unwrap()
            .is_invalid_parameter_exception()
    );
}

#[tokio::test]
async fn a_scripted_failure_before_the_put_creates_no_version_and_a_lost_one_does() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    created(&sm).await;
    let script = |effect: Effect| {
        let fault = ScriptedCall {
            operation: ApiOperation::PutSecretValue,
            effect,
            times: 1,
        };
        emu.control().script_call(fault).unwrap();
    };
    script(Effect::Fail {
        error_code: "InternalServiceError".into(),
        message: None,
        after_work: false,
    });
    let err = put(&sm, V2, "two", &["AWSPENDING"]).await.unwrap_err();
    assert!(err.starts_with("InternalServiceError"), "{err}");
    let versions = || {
        emu.control()
            .secret(DEFAULT_ACCOUNT, REGION, NAME)
            .unwrap()
            .versions
            .len()
    };
    assert_eq!(versions(), 1);

    script(Effect::LoseAnswer);
    assert!(put(&sm, V2, "two", &["AWSPENDING"]).await.is_err());
    assert_eq!(versions(), 2, "the lost put was done");
    assert_eq!(
        put(&sm, V2, "two", &["AWSPENDING"]).await.unwrap(),
        ["AWSPENDING"]
    );
    assert_eq!(versions(), 2, "its retry with the same token did nothing");
    assert_eq!(emu.calls("PutSecretValue", "AnswerLost"), 1);
    assert_eq!(emu.calls("PutSecretValue", "InternalServiceError"), 1);
    assert_eq!(emu.calls("PutSecretValue", "Success"), 1);
}

/// The rotation protocol ccplane follows, each step losing its answer once: put the pending value,
/// add it as the client's second secret, promote AWSCURRENT, delete the old secret. What each
/// retry meets is what the caller must be ready for.
#[tokio::test]
async fn a_rotation_whose_every_step_loses_its_answer_once() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    let idp = emu.idp();
    let desired = json!({ "UserPoolId": POOL, "ClientName": "web", "GenerateSecret": true });
    let identifier = emu.create_settled(desired).await;
    let client = identifier.rsplit('|').next().unwrap().to_owned();
    let old = emu
        .control()
        .client_secrets(DEFAULT_ACCOUNT, POOL, &client)
        .unwrap();
    let (old_id, old_value) = (old[0].client_secret_id.clone(), old[0].value.clone());
    sm.create_secret()
        .name(NAME)
        .client_request_token(V1)
        .secret_string(&old_value)
        .send()
        .await
        .unwrap();
    for op in [
        ApiOperation::PutSecretValue,
        ApiOperation::AddUserPoolClientSecret,
        ApiOperation::UpdateSecretVersionStage,
        ApiOperation::DeleteUserPoolClientSecret,
    ] {
        let fault = ScriptedCall {
            operation: op,
            effect: Effect::LoseAnswer,
            times: 1,
        };
        emu.control().script_call(fault).unwrap();
    }
    let new_value = "rotated_value_".repeat(3);

    // 1. The pending value: a retry with the same token replays.
    assert!(put(&sm, V2, &new_value, &["AWSPENDING"]).await.is_err());
    put(&sm, V2, &new_value, &["AWSPENDING"]).await.unwrap();

    // 2. The new Cognito secret: a blind retry would be refused (two active already).
    let add = || {
        idp.add_user_pool_client_secret()
            .user_pool_id(POOL)
            .client_id(&client)
            .client_secret(&new_value)
            .send()
    };
    assert!(add().await.is_err());
    assert_eq!(code(&add().await.unwrap_err()), "LimitExceededException");
    let now = emu
        .control()
        .client_secrets(DEFAULT_ACCOUNT, POOL, &client)
        .unwrap();
    assert_eq!(now[1].value, new_value, "the lost add was done");

    // 3. The promotion: its retry no longer finds AWSCURRENT on the old version.
    assert!(
        move_stage(&sm, "AWSCURRENT", Some(V1), Some(V2))
            .await
            .is_err()
    );
    let retry = move_stage(&sm, "AWSCURRENT", Some(V1), Some(V2))
        .await
        .unwrap_err();
    assert!(retry.starts_with("InvalidParameterException"), "{retry}");
    assert_eq!(
        read(&sm, "AWSCURRENT").await,
        (new_value.clone(), V2.into())
    );

    // 4. The old Cognito secret: its retry finds it gone.
    let delete = || {
        idp.delete_user_pool_client_secret()
            .user_pool_id(POOL)
            .client_id(&client)
            .client_secret_id(&old_id)
            .send()
    };
    assert!(delete().await.is_err());
    assert_eq!(
        code(&delete().await.unwrap_err()),
        "ResourceNotFoundException"
    );

    let left = emu
        .control()
        .client_secrets(DEFAULT_ACCOUNT, POOL, &client)
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].value, new_value);
    let props = emu.get(&identifier).await;
    assert_eq!(
        props["ClientSecret"],
        json!(new_value),
        "GetResource shows the new secret"
    );
    for op in [
        "PutSecretValue",
        "AddUserPoolClientSecret",
        "UpdateSecretVersionStage",
    ] {
        assert_eq!(emu.calls(op, "AnswerLost"), 1, "{op}");
    }
}

#[tokio::test]
async fn the_lost_answer_probability_loses_changes_only() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    created(&sm).await;
    let mut faults = emu.control().faults();
    faults.api_lost_answer_probability = 1.0;
    emu.control().set_faults(faults);
    assert!(put(&sm, V2, "two", &[]).await.is_err());
    assert_eq!(
        read(&sm, "AWSCURRENT").await.1,
        V2,
        "reads are answered; the put was done"
    );
    assert_eq!(emu.calls("PutSecretValue", "AnswerLost"), 1);
}

#[tokio::test]
async fn the_control_api_shows_versions_and_client_secrets_without_the_sdk() {
    let emu = TestEmulator::spawn().await;
    let sm = emu.secrets();
    let arn = created(&sm).await;
    put(&sm, V2, "two", &["AWSPENDING"]).await.unwrap();
    let http = reqwest::Client::new();
    let secret: serde_json::Value = http
        .get(format!("{}/_emulator/secretsmanager/secret", emu.url()))
        .query(&[("secretId", arn.as_str()), ("region", REGION)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(secret["name"], NAME);
    assert_eq!(secret["versions"][1]["versionId"], V2);
    assert_eq!(secret["versions"][1]["stages"], json!(["AWSPENDING"]));
    assert_eq!(secret["versions"][1]["secretString"], "two");

    let desired = json!({ "UserPoolId": POOL, "GenerateSecret": true });
    let client = emu.create_settled(desired).await;
    let client = client.rsplit('|').next().unwrap();
    let url = format!(
        "{}/_emulator/pools/{POOL}/clients/{client}/secrets",
        emu.url()
    );
    let listed: serde_json::Value = http.get(url).send().await.unwrap().json().await.unwrap();
    let first = &listed["clientSecrets"][0];
    assert!(
        first["clientSecretId"]
            .as_str()
            .unwrap()
            .starts_with(client)
    );
    assert_eq!(
        first["value"],
        emu.get(&format!("{POOL}|{client}")).await["ClientSecret"]
    );
    let missing = http
        .get(format!(
            "{}/_emulator/secretsmanager/secret?secretId=nope",
            emu.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn an_operation_the_emulator_does_not_serve_is_unknown_and_json_1_1_errors_have_their_shape()
{
    let emu = TestEmulator::spawn().await;
    let raw = |target: &str, body: serde_json::Value| {
        reqwest::Client::new()
            .post(emu.url())
            .header("x-amz-target", target)
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "authorization",
                crate::helpers::authorization(DEFAULT_ACCOUNT, REGION),
            )
            .body(body.to_string())
            .send()
    };
    let unknown = raw("secretsmanager.ListSecrets", json!({})).await.unwrap();
    assert_eq!(unknown.status(), 400);
    let body: serde_json::Value = unknown.json().await.unwrap();
    assert!(
        body["__type"]
            .as_str()
            .unwrap()
            .ends_with("UnknownOperationException")
    );
    let missing = raw("secretsmanager.DescribeSecret", json!({"SecretId": "nope"}))
        .await
        .unwrap();
    assert_eq!(
        missing.headers()["content-type"],
        "application/x-amz-json-1.1"
    );
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["__type"], "ResourceNotFoundException");
    assert_eq!(
        body["Message"],
        "Secrets Manager can't find the specified secret."
    );
    let idp = raw(
        "AWSCognitoIdentityProviderService.ListUserPoolClientSecrets",
        json!({"UserPoolId": POOL, "ClientId": "nosuchclient"}),
    )
    .await
    .unwrap();
    let body: serde_json::Value = idp.json().await.unwrap();
    assert_eq!(body["__type"], "ResourceNotFoundException");
    assert!(
        body["message"].as_str().unwrap().contains("nosuchclient"),
        "{body}"
    );
}
