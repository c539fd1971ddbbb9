//! cognito-idp's client-secret operations through the real `aws-sdk-cognitoidentityprovider`, on
//! clients made through Cloud Control: two secrets at most, the last one kept, the caller's value,
//! the readings of GetResource's `ClientSecret`, the fault modes and the quotas.

use aws_sdk_cognitoidentityprovider::{
    Client, operation::add_user_pool_client_secret::AddUserPoolClientSecretOutput,
};
use ccplane_emulator::{
    ApiOperation, DEFAULT_ACCOUNT, Effect, QuotaCategory, ScriptedCall, ShownSecret,
};
use serde_json::{Value, json};

use crate::helpers::{POOL, REGION, TestEmulator, basic, code, idp, message};

/// A client with `GenerateSecret: true`, made through Cloud Control; its ClientId.
async fn confidential(emu: &TestEmulator) -> String {
    let desired = json!({ "UserPoolId": POOL, "ClientName": "app", "GenerateSecret": true });
    client_id(&emu.create_settled(desired).await)
}

fn client_id(identifier: &str) -> String {
    identifier.rsplit('|').next().unwrap().to_owned()
}

async fn add(
    idp: &Client,
    client: &str,
    value: Option<&str>,
) -> Result<AddUserPoolClientSecretOutput, String> {
    idp.add_user_pool_client_secret()
        .user_pool_id(POOL)
        .client_id(client)
        .set_client_secret(value.map(str::to_owned))
        .send()
        .await
        .map_err(|e| format!("{}: {}", code(&e), message(&e)))
}

async fn listed_ids(idp: &Client, client: &str) -> Vec<String> {
    let out = idp
        .list_user_pool_client_secrets()
        .user_pool_id(POOL)
        .client_id(client)
        .send()
        .await
        .unwrap();
    assert!(out.next_token().is_none(), "the list never paginates");
    out.client_secrets()
        .iter()
        .map(|s| {
            assert!(
                s.client_secret_value().is_none(),
                "a list never shows values"
            );
            s.client_secret_id().unwrap().to_owned()
        })
        .collect()
}

async fn delete(idp: &Client, client: &str, secret_id: &str) -> Result<(), String> {
    idp.delete_user_pool_client_secret()
        .user_pool_id(POOL)
        .client_id(client)
        .client_secret_id(secret_id)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{}: {}", code(&e), message(&e)))
}

/// GetResource's `ClientSecret` of a client.
async fn shown(emu: &TestEmulator, client: &str) -> Option<String> {
    let props = emu.get(&format!("{POOL}|{client}")).await;
    props
        .get("ClientSecret")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn values(emu: &TestEmulator, client: &str) -> Vec<String> {
    let secrets = emu.control().client_secrets(DEFAULT_ACCOUNT, POOL, client);
    secrets.unwrap().into_iter().map(|s| s.value).collect()
}

#[tokio::test]
async fn a_client_created_with_a_secret_has_that_one_secret_named_after_it() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    let ids = listed_ids(&emu.idp(), &client).await;
    assert_eq!(ids.len(), 1);
    let (prefix, epoch) = ids[0].split_once("--").unwrap();
    assert_eq!(prefix, client);
    assert!(epoch.parse::<i64>().is_ok(), "{}", ids[0]);
    assert_eq!(
        Some(values(&emu, &client)[0].clone()),
        shown(&emu, &client).await
    );
}

#[tokio::test]
async fn add_returns_the_value_only_when_cognito_generates_it_and_a_third_is_refused() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    let idp = emu.idp();
    let generated = add(&idp, &client, None).await.unwrap();
    let descriptor = generated.client_secret_descriptor().unwrap();
    let value = descriptor.client_secret_value().unwrap();
    assert!((24..=64).contains(&value.len()), "{value}");
    assert!(descriptor.client_secret_create_date().is_some());
    assert_eq!(listed_ids(&idp, &client).await.len(), 2);

    let third = add(&idp, &client, Some(&"c".repeat(32))).await.unwrap_err();
    assert!(third.starts_with("LimitExceededException"), "{third}");

    let oldest = listed_ids(&idp, &client).await[0].clone();
    delete(&idp, &client, &oldest).await.unwrap();
    let own = "own_value+".repeat(3);
    let added = add(&idp, &client, Some(&own)).await.unwrap();
    let descriptor = added.client_secret_descriptor().unwrap();
    assert!(descriptor.client_secret_value().is_none(), "{descriptor:?}");
    assert_eq!(values(&emu, &client), [value.to_owned(), own]);
}

#[tokio::test]
async fn the_last_secret_cannot_be_deleted_and_an_unknown_one_is_not_found() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    let idp = emu.idp();
    let only = listed_ids(&idp, &client).await.remove(0);
    let last = delete(&idp, &client, &only).await.unwrap_err();
    assert!(last.starts_with("InvalidParameterException"), "{last}");
    assert!(last.contains("last remaining secret"), "{last}");
    let unknown = delete(&idp, &client, &format!("{client}--1"))
        .await
        .unwrap_err();
    assert!(
        unknown.starts_with("ResourceNotFoundException"),
        "{unknown}"
    );
    assert_eq!(listed_ids(&idp, &client).await, [only]);
}

#[tokio::test]
async fn a_caller_value_outside_the_model_is_an_invalid_parameter_that_never_echoes_it() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    let idp = emu.idp();
    for (value, constraint) in [
        ("a".repeat(23), "greater than or equal to 24"),
        ("a".repeat(65), "less than or equal to 64"),
        ("$".repeat(32), r"pattern: [\w+]+"),
    ] {
        let err = add(&idp, &client, Some(&value)).await.unwrap_err();
        assert!(err.starts_with("InvalidParameterException"), "{err}");
        assert!(
            err.contains("at 'clientSecret'") && err.contains(constraint),
            "{err}"
        );
        assert!(
            !err.contains(&value),
            "a sensitive value is never echoed: {err}"
        );
    }
    assert_eq!(listed_ids(&idp, &client).await.len(), 1);
}

#[tokio::test]
async fn an_unknown_client_or_pool_or_another_accounts_client_is_not_found() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    let err = add(&emu.idp(), "nosuchclient", None).await.unwrap_err();
    assert_eq!(
        err,
        "ResourceNotFoundException: User pool client nosuchclient does not exist."
    );
    let err = emu
        .idp()
        .list_user_pool_client_secrets()
        .user_pool_id("us-east-1_nosuchpool")
        .client_id(&client)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    assert!(message(&err).contains("User pool us-east-1_nosuchpool does not exist."));
    let elsewhere = idp(&emu.url(), "111122223333", REGION);
    let err = add(&elsewhere, &client, None).await.unwrap_err();
    assert!(err.starts_with("ResourceNotFoundException"), "{err}");
}

#[tokio::test]
async fn a_public_client_gets_no_secret_unless_the_other_reading_is_chosen() {
    let emu = TestEmulator::spawn().await;
    let client = client_id(&emu.create_settled(basic()).await);
    let idp = emu.idp();
    assert!(listed_ids(&idp, &client).await.is_empty());
    let err = add(&idp, &client, None).await.unwrap_err();
    assert!(err.starts_with("InvalidParameterException"), "{err}");
    assert_eq!(shown(&emu, &client).await, None);

    let mut faults = emu.control().faults();
    faults.allow_secret_on_public_client = true;
    emu.control().set_faults(faults);
    let value = add(&idp, &client, None).await.unwrap();
    let value = value
        .client_secret_descriptor()
        .unwrap()
        .client_secret_value();
    assert_eq!(shown(&emu, &client).await.as_deref(), value);
}

#[tokio::test]
async fn get_resource_shows_the_secret_each_reading_picks() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    let idp = emu.idp();
    let original = values(&emu, &client)[0].clone();
    let added = add(&idp, &client, None).await.unwrap();
    let added = added.client_secret_descriptor().unwrap();
    let newest = added.client_secret_value().unwrap().to_owned();
    let set = |shown: ShownSecret| {
        let mut faults = emu.control().faults();
        faults.shown_client_secret = shown;
        emu.control().set_faults(faults);
    };
    assert_eq!(
        shown(&emu, &client).await,
        Some(original.clone()),
        "oldest by default"
    );
    set(ShownSecret::Newest);
    assert_eq!(shown(&emu, &client).await, Some(newest.clone()));
    let first_id = listed_ids(&idp, &client).await[0].clone();
    delete(&idp, &client, &first_id).await.unwrap();
    set(ShownSecret::Original);
    assert_eq!(shown(&emu, &client).await, None, "the original is gone");
    set(ShownSecret::Oldest);
    assert_eq!(shown(&emu, &client).await, Some(newest));
    let model = emu
        .control()
        .client(DEFAULT_ACCOUNT, POOL, &client)
        .unwrap();
    assert_eq!(model["ClientSecret"], json!(values(&emu, &client)[0]));
}

#[tokio::test]
async fn a_scripted_failure_before_the_work_adds_nothing_and_is_used_once() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    emu.control()
        .script_call(ScriptedCall {
            operation: ApiOperation::AddUserPoolClientSecret,
            effect: Effect::Fail {
                error_code: "InternalServerException".into(),
                message: None,
                after_work: false,
            },
            times: 1,
        })
        .unwrap();
    let err = emu
        .idp()
        .add_user_pool_client_secret()
        .user_pool_id(POOL)
        .client_id(&client)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InternalServerException");
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 500);
    assert_eq!(values(&emu, &client).len(), 1, "nothing was added");
    add(&emu.idp(), &client, None).await.unwrap();
    assert_eq!(values(&emu, &client).len(), 2);
}

#[tokio::test]
async fn a_lost_answer_or_a_failure_after_the_work_still_changes_the_secrets() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    let idp = emu.idp();
    let script = |effect: Effect, operation| {
        let fault = ScriptedCall {
            operation,
            effect,
            times: 1,
        };
        emu.control().script_call(fault).unwrap();
    };
    script(Effect::LoseAnswer, ApiOperation::AddUserPoolClientSecret);
    let lost = idp
        .add_user_pool_client_secret()
        .user_pool_id(POOL)
        .client_id(&client)
        .send()
        .await
        .unwrap_err();
    assert!(lost.as_service_error().is_none(), "no answer: {lost:?}");
    assert_eq!(values(&emu, &client).len(), 2, "the secret was added");
    let after_work = Effect::Fail {
        error_code: "TooManyRequestsException".into(),
        message: None,
        after_work: true,
    };
    script(after_work, ApiOperation::DeleteUserPoolClientSecret);
    let oldest = listed_ids(&idp, &client).await.remove(0);
    let err = delete(&idp, &client, &oldest).await.unwrap_err();
    assert_eq!(err, "TooManyRequestsException: Rate exceeded");
    assert_eq!(values(&emu, &client).len(), 1, "the secret was deleted");
    assert_eq!(emu.calls("AddUserPoolClientSecret", "AnswerLost"), 1);
    assert_eq!(
        emu.calls("DeleteUserPoolClientSecret", "TooManyRequestsException"),
        1
    );
}

#[tokio::test]
async fn a_scripted_failure_must_be_an_error_the_operation_declares() {
    let emu = TestEmulator::spawn().await;
    let fault = ScriptedCall {
        operation: ApiOperation::ListUserPoolClientSecrets,
        effect: Effect::Fail {
            error_code: "AccessDeniedException".into(),
            message: None,
            after_work: false,
        },
        times: 1,
    };
    assert!(
        emu.control().script_call(fault).is_err(),
        "List declares no AccessDenied"
    );
    let raw = reqwest::Client::new()
        .post(format!("{}/_emulator/faults/script", emu.url()))
        .json(&json!({"operation": "AddUserPoolClientSecret", "effect": "lose_answer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    let queue: Value = raw.json().await.unwrap();
    assert_eq!(queue[0]["operation"], "AddUserPoolClientSecret");
}

#[tokio::test]
async fn each_operation_spends_its_category_and_the_cap_on_one_pool() {
    let emu = TestEmulator::spawn().await;
    let client = confidential(&emu).await;
    let idp = emu.idp();
    add(&idp, &client, None).await.unwrap();
    listed_ids(&idp, &client).await;
    let stats = emu.control().stats();
    let add_usage = stats
        .pool_usage(DEFAULT_ACCOUNT, POOL, "AddUserPoolClientSecret")
        .unwrap();
    assert_eq!(add_usage.category, QuotaCategory::UserPoolClientUpdate);
    let list_usage = stats
        .pool_usage(DEFAULT_ACCOUNT, POOL, "ListUserPoolClientSecrets")
        .unwrap();
    assert_eq!(list_usage.category, QuotaCategory::UserPoolClientRead);

    // Five calls per second on one pool: a burst of twenty lists passes five and meets the cap.
    let mut codes = Vec::new();
    for _ in 0..20 {
        let out = idp
            .list_user_pool_client_secrets()
            .user_pool_id(POOL)
            .client_id(&client)
            .send()
            .await;
        codes.push(out.map_or_else(|e| code(&e), |_| "Success".to_owned()));
    }
    assert!(codes[..4].iter().all(|c| c == "Success"), "{codes:?}");
    assert!(
        codes.contains(&"TooManyRequestsException".to_owned()),
        "{codes:?}"
    );
    assert!(emu.calls("ListUserPoolClientSecrets", "TooManyRequestsException") >= 1);
}
