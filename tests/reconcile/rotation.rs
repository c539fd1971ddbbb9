//! Scheduled rotation of a client's secret, delivered through Secrets Manager: ccplane's calls go
//! through the real aws-sdk-cognitoidentityprovider and aws-sdk-secretsmanager to the emulator,
//! and the target is made, and read back, through the real Secrets Manager SDK as a consumer
//! would. The schedule is ccplane's: a test moves the last rotation back in time.

use std::time::Duration;

use ccplane::reconcile::{CrashPoint, StepError, WorkerSettings};
use ccplane_emulator::DEFAULT_ACCOUNT;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::basic;
use crate::harness::{Harness, POOL_ID, condition, fast};

const REGION: &str = "us-east-1";

/// A Secrets Manager client of the default account, as a consumer of the secret holds one.
pub fn consumer(h: &Harness) -> aws_sdk_secretsmanager::Client {
    use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
    let credentials = Credentials::new(
        ccplane_emulator::client::access_key_id(DEFAULT_ACCOUNT),
        ccplane_emulator::client::TEST_SECRET_ACCESS_KEY,
        None,
        None,
        "rotation-tests",
    );
    let config = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(h.emulator.endpoint_url())
        .region(Region::new(REGION))
        .credentials_provider(credentials)
        .build();
    aws_sdk_secretsmanager::Client::from_conf(config)
}

/// Makes an empty Secrets Manager secret named `name` to deliver to; returns its ARN.
pub async fn target(h: &Harness, name: &str) -> String {
    let made = consumer(h).create_secret().name(name).send().await.unwrap();
    made.arn().unwrap().to_owned()
}

/// `doc` with a rotation every 30 days to `arn`, the old secret kept `overlap` hours.
pub fn rotating(mut doc: Value, arn: &str, overlap: u32) -> Value {
    doc["secretRotation"] = json!({
        "everyDays": 30,
        "overlapHours": overlap,
        "deliverTo": {"secretsManagerSecretArn": arn},
    });
    doc
}

/// What a consumer reads as current: the delivered document.
pub async fn current(h: &Harness, arn: &str) -> Value {
    let read = consumer(h)
        .get_secret_value()
        .secret_id(arn)
        .send()
        .await
        .unwrap();
    serde_json::from_str(read.secret_string().unwrap()).unwrap()
}

/// The values Cognito holds for the client, oldest first.
fn held(h: &Harness, client_id: &str) -> Vec<String> {
    let control = h.emulator.control();
    let secrets = control.client_secrets(DEFAULT_ACCOUNT, POOL_ID, client_id);
    secrets.unwrap().into_iter().map(|s| s.value).collect()
}

/// The stages of the target's versions: how many hold `AWSCURRENT` and `AWSPENDING`.
fn stages(h: &Harness, arn: &str) -> (usize, usize) {
    let secret = h
        .emulator
        .control()
        .secret(DEFAULT_ACCOUNT, REGION, arn)
        .unwrap();
    let count = |stage: &str| {
        let versions = secret.versions.iter();
        versions
            .filter(|v| v.stages.iter().any(|s| s == stage))
            .count()
    };
    (count("AWSCURRENT"), count("AWSPENDING"))
}

async fn rotation_phase(pool: &PgPool, name: &str) -> Option<String> {
    sqlx::query_scalar("select rotation->>'phase' from resources where name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Every row ccplane keeps, as text: no secret value may be in it.
async fn everything(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "select coalesce(string_agg(t, ' '), '') from (
             select e::text as t from events e
             union all select r::text from resources r
             union all select o::text from operations o) all_rows",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn a_scheduled_rotation_delivers_a_new_secret_then_retires_the_old(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let arn = target(&h, "web-client").await;
    let client_id = h.ready_client(&rotating(basic(), &arn, 0)).await;
    h.converge(&h.worker()).await;

    // The consumer's document is usable as it is, and its secret is the client's only one.
    let delivered = current(&h, &arn).await;
    assert_eq!(delivered["clientId"], client_id.as_str());
    assert_eq!(delivered["userPoolId"], POOL_ID);
    assert_eq!(
        delivered["issuer"],
        format!("https://cognito-idp.{REGION}.amazonaws.com/{POOL_ID}")
    );
    let first = delivered["clientSecret"].as_str().unwrap().to_owned();
    assert_eq!(
        held(&h, &client_id),
        std::slice::from_ref(&first),
        "the old secret is retired"
    );
    assert_eq!(stages(&h, &arn), (1, 0));

    let status = h.status("team-a", "web").await;
    assert_eq!(
        condition(&status, "SecretRotated")["status"],
        "True",
        "{status}"
    );
    let rotation = &status["secretRotation"];
    assert!(rotation["lastRotatedAt"].is_string(), "{status}");
    assert!(rotation["nextRotationAt"].is_string(), "{status}");
    assert!(rotation.get("phase").is_none(), "{status}");
    let kinds = h.app.event_kinds("team-a", "web").await;
    for kind in [
        "RotationStarted",
        "RotatedSecretAdded",
        "SecretDelivered",
        "RotatedSecretRetired",
    ] {
        assert!(
            kinds.contains(&Value::from(kind)),
            "{kind} missing from {kinds:?}"
        );
    }

    // Thirty days later (the last rotation moved back), the next one replaces it.
    sqlx::query("update resources set last_rotated_at = now() - interval '31 days', next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    h.converge(&h.worker()).await;
    let second = current(&h, &arn).await["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(second, first);
    assert_eq!(held(&h, &client_id), std::slice::from_ref(&second));
    let everything = everything(&pool).await;
    for value in [&first, &second] {
        assert!(
            !everything.contains(value.as_str()),
            "a secret value reached a row"
        );
    }
}

#[sqlx::test]
async fn the_old_secret_keeps_working_through_the_overlap(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let arn = target(&h, "web-client").await;
    let client_id = h.ready_client(&rotating(basic(), &arn, 24)).await;
    h.converge(&h.worker()).await;
    let delivered = current(&h, &arn).await["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let both = held(&h, &client_id);
    assert_eq!(both.len(), 2, "old and new overlap");
    assert_eq!(both[1], delivered);
    assert_eq!(
        rotation_phase(&pool, "web").await.as_deref(),
        Some("Promoted")
    );
    let status = h.status("team-a", "web").await;
    assert!(
        status["secretRotation"]["retireAfter"].is_string(),
        "{status}"
    );

    // While the two overlap, no secret can be added by hand, and the new one cannot be retired.
    let secrets = h
        .app
        .get("/v1/namespaces/team-a/user-pool-clients/web/secrets")
        .await;
    let items = secrets.body["items"].as_array().unwrap().clone();
    let current_ids: Vec<&Value> = items
        .iter()
        .filter(|s| s["current"] == true)
        .map(|s| &s["id"])
        .collect();
    assert_eq!(current_ids.len(), 1, "{items:?}");
    assert_eq!(
        items[1]["current"], true,
        "the delivered one is current: {items:?}"
    );
    let add = h.app.request(
        reqwest::Method::POST,
        "/v1/namespaces/team-a/user-pool-clients/web/secrets",
    );
    assert_eq!(h.app.send(add).await.status, 409);
    let new_id = items[1]["id"].as_str().unwrap();
    let path = format!("/v1/namespaces/team-a/user-pool-clients/web/secrets/{new_id}");
    let retire_new = h.app.request(reqwest::Method::DELETE, &path);
    assert_eq!(h.app.send(retire_new).await.status, 409);

    // Once the overlap is over, the old one goes.
    sqlx::query(
        "update resources set next_attempt_at = now(),
             rotation = jsonb_set(rotation, '{retireAfter}', to_jsonb(now() - interval '1 second'))",
    )
    .execute(&pool)
    .await
    .unwrap();
    h.converge(&h.worker()).await;
    assert_eq!(held(&h, &client_id), [delivered]);
    assert_eq!(rotation_phase(&pool, "web").await, None);
}

/// Each protocol step's call, with the phase a rotation is in when it is made.
const STEPS: [&str; 4] = ["Started", "Pending", "Given", "Promoted"];

#[sqlx::test]
async fn a_crash_after_every_step_of_the_protocol_loses_no_value(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let arn = target(&h, "web-client").await;
    // Ready first, without rotation; then each round asks for one and crashes at one step.
    let client_id = h.ready_client(&basic()).await;
    for (round, step) in STEPS.iter().enumerate() {
        // Each round's target is new, so each round's delivery is its own.
        let arn = if round == 0 {
            arn.clone()
        } else {
            target(&h, &format!("web-{round}")).await
        };
        h.put_web(&rotating(basic(), &arn, 0)).await;
        let worker = h.worker();
        // Step until the rotation reaches the phase whose call is to be interrupted.
        for _ in 0..100 {
            if rotation_phase(&pool, "web").await.as_deref() == Some(*step) {
                break;
            }
            worker.run_once().await.unwrap();
        }
        assert_eq!(rotation_phase(&pool, "web").await.as_deref(), Some(*step));
        let crashing = h.worker().crashing_at(CrashPoint::AfterRotationCall);
        let crashed = h.run_until_crash_or_idle(&crashing).await;
        assert!(
            matches!(
                crashed,
                Some(StepError::Crashed(CrashPoint::AfterRotationCall))
            ),
            "round {round}: {crashed:?}"
        );
        // At the crash: at most two secrets, and the value written is not lost.
        assert!(held(&h, &client_id).len() <= 2, "round {round}");
        h.expire_leases().await;
        h.converge(&h.worker()).await;

        let delivered = current(&h, &arn).await["clientSecret"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(held(&h, &client_id), [delivered], "round {round} ({step})");
        assert_eq!(
            stages(&h, &arn),
            (1, 0),
            "round {round}: one current version, none pending"
        );
        assert_eq!(rotation_phase(&pool, "web").await, None, "round {round}");
        // The next round rotates again at once.
        sqlx::query("update resources set last_rotated_at = null, next_attempt_at = now()")
            .execute(&pool)
            .await
            .unwrap();
    }
}

#[sqlx::test]
async fn a_delivery_target_that_does_not_exist_is_a_condition_and_nothing_is_retired(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:nobody-AbCdEf";
    let client_id = h.ready_client(&basic()).await;
    h.put_web(&rotating(basic(), missing, 0)).await;
    // Retries back off (the tests' usual worker retries at once, and would never rest).
    let patient = h.worker_with(WorkerSettings {
        retry_base: Duration::from_millis(50),
        ..fast()
    });
    h.converge(&patient).await;
    let original = held(&h, &client_id);
    assert_eq!(original.len(), 1);

    let status = h.status("team-a", "web").await;
    assert_eq!(status["phase"], "Ready", "{status}");
    let rotated = condition(&status, "SecretRotated");
    assert_eq!(rotated["status"], "False", "{status}");
    assert_eq!(rotated["reason"], "ResourceNotFoundException", "{status}");
    assert_eq!(status["lastError"]["retryable"], true, "{status}");
    assert!(
        status["lastError"]["message"]
            .as_str()
            .unwrap()
            .contains(missing),
        "{status}"
    );
    let attempt = |pool: PgPool| async move {
        sqlx::query_scalar::<_, i32>("select attempt from resources")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = attempt(pool.clone()).await;
    sqlx::query("update resources set next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    h.converge(&patient).await;
    assert!(
        attempt(pool.clone()).await > before,
        "retried with a longer backoff"
    );
    assert_eq!(held(&h, &client_id), original, "the only secret stays");
}

#[sqlx::test]
async fn a_rotation_needs_a_client_with_a_secret_and_a_well_formed_target(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let mut doc = rotating(basic(), "not-an-arn", 0);
    doc["properties"]["GenerateSecret"] = json!(false);
    doc["secretRotation"]["everyDays"] = json!(0);
    let reply = h.app.put("team-a", "web", &doc).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let pointers: Vec<&str> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    for pointer in [
        "/secretRotation/everyDays",
        "/secretRotation/deliverTo/secretsManagerSecretArn",
        "/secretRotation",
    ] {
        assert!(
            pointers.contains(&pointer),
            "{pointer} missing from {pointers:?}"
        );
    }
    let rows: i64 = sqlx::query_scalar("select count(*) from resources")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[sqlx::test]
async fn a_lost_answer_at_every_change_of_the_protocol_loses_no_value(pool: PgPool) {
    use ccplane_emulator::{ApiOperation, Effect, ScriptedCall};
    let h = Harness::start(pool.clone()).await;
    let client_id = h.ready_client(&basic()).await;
    let changes = [
        ApiOperation::PutSecretValue,
        ApiOperation::AddUserPoolClientSecret,
        ApiOperation::UpdateSecretVersionStage,
        ApiOperation::DeleteUserPoolClientSecret,
    ];
    for (round, operation) in changes.into_iter().enumerate() {
        let arn = target(&h, &format!("lost-{round}")).await;
        let control = h.emulator.control();
        let fault = ScriptedCall {
            operation,
            effect: Effect::LoseAnswer,
            times: 1,
        };
        control.script_call(fault).unwrap();
        h.put_web(&rotating(basic(), &arn, 0)).await;
        sqlx::query("update resources set last_rotated_at = null, next_attempt_at = now()")
            .execute(&pool)
            .await
            .unwrap();
        h.converge(&h.worker()).await;
        assert!(
            control.scripted_calls().is_empty(),
            "round {round}: the answer was lost"
        );
        let delivered = current(&h, &arn).await["clientSecret"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            held(&h, &client_id),
            [delivered],
            "round {round} ({operation:?})"
        );
        assert_eq!(stages(&h, &arn), (1, 0), "round {round}");
        assert_eq!(rotation_phase(&pool, "web").await, None, "round {round}");
    }
}

#[sqlx::test]
async fn a_patch_changes_the_rotation_field_by_field_and_null_turns_it_off(pool: PgPool) {
    let h = Harness::start(pool.clone()).await;
    let arn = target(&h, "web-client").await;
    h.put_web(&rotating(basic(), &arn, 24)).await;
    let patched = h
        .app
        .patch(
            "team-a",
            "web",
            &json!({"secretRotation": {"overlapHours": 48}}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    let rotation = &patched.body["secretRotation"];
    assert_eq!(rotation["overlapHours"], 48, "{}", patched.body);
    assert_eq!(
        rotation["everyDays"], 30,
        "the rest stays: {}",
        patched.body
    );
    assert_eq!(
        rotation["deliverTo"]["secretsManagerSecretArn"],
        arn.as_str()
    );

    let bad = h
        .app
        .patch(
            "team-a",
            "web",
            &json!({"secretRotation": {"everyDays": 400}}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        bad.body["errors"][0]["pointer"],
        "/secretRotation/everyDays"
    );

    let off = h
        .app
        .patch("team-a", "web", &json!({"secretRotation": null}))
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    assert!(
        off.body["spec"].get("secretRotation").is_none(),
        "{}",
        off.body
    );
    assert!(
        off.body["status"].get("secretRotation").is_none(),
        "{}",
        off.body
    );
}
