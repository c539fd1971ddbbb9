//! Namespace AWS targets: the namespace's IAM role reaches Cloud Control as `RoleArn`.

use serde_json::json;
use sqlx::PgPool;

use crate::harness::{Harness, POOL_ID};

const ROLE: &str = "arn:aws:iam::123456789012:role/ccplane-team-a";

#[sqlx::test]
async fn a_namespace_role_is_sent_as_role_arn_on_every_call_for_that_namespace(pool: PgPool) {
    let h = Harness::start(pool).await;
    let settings = ccplane::store::namespaces::Settings {
        allowed_regions: &[],
        role_arn: Some(ROLE),
        assume_role_arn: None,
        external_id: None,
        scheduling_weight: 1.0,
    };
    ccplane::store::namespaces::upsert(&h.pool, "team-a", settings)
        .await
        .unwrap();
    let doc = json!({"properties": {"UserPoolId": POOL_ID, "ClientName": "web"}});
    assert_eq!(h.app.put("team-a", "web", &doc).await.status, 201);
    assert_eq!(h.app.put("team-b", "web", &doc).await.status, 201);
    h.converge(&h.worker()).await;
    assert_eq!(h.status("team-a", "web").await["phase"], "Ready");
    assert_eq!(h.status("team-b", "web").await["phase"], "Ready");
    let deleted = h.app.delete("team-a", "web").await;
    assert_eq!(deleted.status, 202);
    h.converge(&h.worker()).await;

    let with_role = |op: &str| {
        h.emulator
            .control()
            .stats()
            .calls
            .role_arns
            .iter()
            .filter(|c| c.operation == op && c.role_arn == ROLE)
            .map(|c| c.count)
            .sum::<u64>()
    };
    // team-a's create, read and delete carry the role; team-b (no settings) sends none.
    assert_eq!(with_role("CreateResource"), 1);
    assert_eq!(with_role("DeleteResource"), 1);
    assert!(with_role("GetResource") >= 1);
    let stats = h.emulator.control().stats().calls;
    assert!(stats.role_arns.iter().all(|c| c.role_arn == ROLE));
    assert_eq!(
        stats.count(ccplane_emulator::wire::Operation::CreateResource, "Success"),
        2
    );
}

const OTHER_ACCOUNT: &str = "210987654321";
const OTHER_ROLE: &str = "arn:aws:iam::210987654321:role/ccplane-manager";
const OTHER_POOL: &str = "us-east-1_teamBpool";

/// team-b's clients live in another account, reached by assuming OTHER_ROLE.
async fn team_b_in_another_account(h: &Harness, external_id: Option<&str>) {
    h.emulator
        .control()
        .create_pool(OTHER_ACCOUNT, OTHER_POOL)
        .unwrap();
    let mut body = json!({"assumeRoleArn": OTHER_ROLE});
    if let Some(id) = external_id {
        body["externalId"] = json!(id);
    }
    let request = h
        .app
        .request(reqwest::Method::PUT, "/v1/namespaces/team-b")
        .json(&body);
    let reply = h.app.send(request).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
}

fn assume_role_calls(h: &Harness, outcome: &str) -> u64 {
    let stats = h.emulator.control().stats();
    stats
        .assume_role_calls
        .iter()
        .filter(|c| c.role_arn == OTHER_ROLE && c.outcome == outcome)
        .map(|c| c.count)
        .sum()
}

fn trust(h: &Harness, account: &str, external_id: Option<&str>) {
    let role = ccplane_emulator::Role {
        role_arn: OTHER_ROLE.into(),
        trusted_accounts: Some(vec![account.into()]),
        external_id: external_id.map(str::to_owned),
        max_session_duration_seconds: 3600,
    };
    h.emulator.control().register_role(role).unwrap();
}

#[sqlx::test]
async fn a_namespace_in_another_account_is_managed_there_with_the_assumed_roles_credentials(
    pool: PgPool,
) {
    let h = Harness::start(pool).await;
    trust(
        &h,
        ccplane_emulator::DEFAULT_ACCOUNT,
        Some("ccplane-team-b"),
    );
    team_b_in_another_account(&h, Some("ccplane-team-b")).await;
    let doc = json!({"properties": {"UserPoolId": OTHER_POOL, "ClientName": "web"}});
    assert_eq!(h.app.put("team-b", "web", &doc).await.status, 201);
    h.converge(&h.worker()).await;
    let status = h.status("team-b", "web").await;
    assert_eq!(status["phase"], "Ready", "{status}");
    let client_id = status["clientId"].as_str().unwrap();
    let control = h.emulator.control();
    assert!(
        control
            .client(OTHER_ACCOUNT, OTHER_POOL, client_id)
            .is_some()
    );
    assert!(
        control
            .client(ccplane_emulator::DEFAULT_ACCOUNT, OTHER_POOL, client_id)
            .is_none()
    );
    // Create, poll and read made with one set of credentials, cached.
    assert_eq!(assume_role_calls(&h, "Success"), 1);
    // Deleting goes to the same account.
    assert_eq!(h.app.delete("team-b", "web").await.status, 202);
    h.converge(&h.worker()).await;
    assert!(
        control
            .client(OTHER_ACCOUNT, OTHER_POOL, client_id)
            .is_none()
    );
}

#[sqlx::test]
async fn a_role_that_cannot_be_assumed_fails_the_namespace_without_a_storm_and_recovers_once_trusted(
    pool: PgPool,
) {
    let h = Harness::start(pool).await;
    trust(&h, "999999999999", None);
    team_b_in_another_account(&h, None).await;
    let doc = json!({"properties": {"UserPoolId": OTHER_POOL, "ClientName": "web"}});
    assert_eq!(h.app.put("team-b", "web", &doc).await.status, 201);
    assert_eq!(h.app.put("team-b", "api", &doc).await.status, 201);
    h.converge(&h.worker()).await;
    for name in ["web", "api"] {
        let status = h.status("team-b", name).await;
        assert_eq!(status["phase"], "Failed", "{status}");
        let error = &status["lastError"];
        assert_eq!(error["code"], "AssumeRoleFailed", "{status}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(OTHER_ROLE) && message.contains("AccessDenied"),
            "{message}"
        );
    }
    // Two resources, one refusal: the role is not asked again before its backoff.
    h.converge(&h.worker()).await;
    assert_eq!(assume_role_calls(&h, "AccessDenied"), 1);

    trust(&h, ccplane_emulator::DEFAULT_ACCOUNT, None);
    // The role is asked again once its backoff (200 ms in tests) has passed.
    let mut ready = None;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        h.converge(&h.worker()).await;
        let web = h.status("team-b", "web").await;
        let api = h.status("team-b", "api").await;
        if web["phase"] == "Ready" && api["phase"] == "Ready" {
            ready = Some((web, api));
            break;
        }
    }
    let ready = ready.expect("both Ready once the role is trusted");
    assert!(ready.0["lastError"].is_null(), "{}", ready.0);
    assert_eq!(h.aws_clients_in(OTHER_ACCOUNT, OTHER_POOL), 2);
    let kinds = h.app.event_kinds("team-b", "web").await;
    assert!(kinds.contains(&json!("AccountUnreachable")), "{kinds:?}");
    assert!(kinds.contains(&json!("AccountReachable")), "{kinds:?}");
}
