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
