//! The awsJson1_0 wire format, checked byte by byte with a plain HTTP client.

use serde_json::json;

use crate::helpers::{CLIENT, POOL, TestEmulator, basic};

#[tokio::test]
async fn errors_carry_the_namespaced_type_and_the_aws_status() {
    let emu = TestEmulator::spawn().await;
    let (status, headers, body) = emu
        .raw(
            "GetResource",
            json!({ "TypeName": CLIENT, "Identifier": format!("{POOL}|missing") }),
        )
        .await;
    // 400, not the Smithy model's 404: LocalStack's AWS-validated snapshot `test_lifecycle`.
    assert_eq!(status, 400);
    assert_eq!(headers["content-type"], "application/x-amz-json-1.0");
    assert!(headers.contains_key("x-amzn-requestid"));
    assert_eq!(
        body["__type"],
        json!("com.amazon.cloudapiservice#ResourceNotFoundException")
    );
    assert!(body["Message"].as_str().is_some_and(|m| !m.is_empty()));

    let (status, _, body) = emu
        .raw(
            "CreateResource",
            json!({ "TypeName": CLIENT, "DesiredState": "{\"ClientId\":\"x\"}" }),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["__type"],
        json!("com.amazon.coral.validate#ValidationException")
    );
}

#[tokio::test]
async fn missing_members_are_reported_as_coral_does() {
    let emu = TestEmulator::spawn().await;
    let (status, _, body) = emu.raw("CreateResource", json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["Message"],
        json!(
            "2 validation errors detected: Value null at 'typeName' failed to satisfy constraint: Member must not be null; Value null at 'desiredState' failed to satisfy constraint: Member must not be null"
        )
    );
    let (_, _, body) = emu
        .raw(
            "GetResourceRequestStatus",
            json!({ "RequestToken": "bad token!" }),
        )
        .await;
    assert!(
        body["Message"]
            .as_str()
            .unwrap()
            .contains("regular expression pattern")
    );
}

#[tokio::test]
async fn an_unknown_target_is_an_unknown_operation_exception() {
    let emu = TestEmulator::spawn().await;
    let (status, _, body) = emu.raw("DescribeEverything", json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["__type"],
        json!("com.amazon.coral.service#UnknownOperationException")
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_serialization_exception() {
    let emu = TestEmulator::spawn().await;
    let authorization = crate::helpers::authorization("123456789012", "us-east-1");
    let (status, body) = emu.raw_list(Some(authorization), "{not json").await;
    assert_eq!(status, 400);
    assert_eq!(
        body["__type"],
        json!("com.amazon.coral.service#SerializationException")
    );
}

#[tokio::test]
async fn requests_without_credentials_are_refused() {
    let emu = TestEmulator::spawn().await;
    let (status, body) = emu.raw_list(None, "{}").await;
    assert_eq!(status, 403);
    assert_eq!(
        body["__type"],
        json!("com.amazon.coral.service#MissingAuthenticationTokenException")
    );
}

#[tokio::test]
async fn progress_events_have_epoch_second_timestamps_and_no_model() {
    let emu = TestEmulator::spawn().await;
    let (status, _, body) = emu
        .raw(
            "CreateResource",
            json!({ "TypeName": CLIENT, "DesiredState": basic().to_string(), "ClientToken": "abc" }),
        )
        .await;
    assert_eq!(status, 200);
    let event = &body["ProgressEvent"];
    assert_eq!(event["OperationStatus"], json!("IN_PROGRESS"));
    assert_eq!(event["Operation"], json!("CREATE"));
    let time = event["EventTime"].as_f64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - time).abs() < 60.0, "{time} vs {now}");
    assert!(event["RetryAfter"].is_number());
    assert!(event.get("ResourceModel").is_none(), "{event}");
    let token = event["RequestToken"].as_str().unwrap();
    let (_, _, status) = emu
        .raw("GetResourceRequestStatus", json!({ "RequestToken": token }))
        .await;
    assert_eq!(status["ProgressEvent"]["OperationStatus"], json!("SUCCESS"));
    // EventTime is when the request was initiated, not when its status last changed.
    assert_eq!(status["ProgressEvent"]["EventTime"], event["EventTime"]);
    assert!(
        status["ProgressEvent"]["Identifier"]
            .as_str()
            .unwrap()
            .starts_with(POOL)
    );
}

#[tokio::test]
async fn every_client_error_is_http_400() {
    // LocalStack's AWS-validated snapshots record 400 for each of these, whatever the Smithy
    // model's httpError says.
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let cases = [
        (
            "GetResourceRequestStatus",
            json!({ "RequestToken": "DOESNOTEXIST" }),
            "RequestTokenNotFoundException",
        ),
        (
            "CancelResourceRequest",
            json!({ "RequestToken": "DOESNOTEXIST" }),
            "RequestTokenNotFoundException",
        ),
        (
            "GetResource",
            json!({ "TypeName": "AWS::Nope::Thing", "Identifier": "x" }),
            "TypeNotFoundException",
        ),
        (
            "UpdateResource",
            json!({ "TypeName": CLIENT, "Identifier": id,
                    "PatchDocument": "[{\"op\":\"add\",\"path\":\"/GenerateSecret\",\"value\":true}]" }),
            "NotUpdatableException",
        ),
    ];
    for (op, body, error) in cases {
        let (status, _, answer) = emu.raw(op, body).await;
        assert_eq!(status, 400, "{op}: {answer}");
        assert!(
            answer["__type"].as_str().unwrap().ends_with(error),
            "{op}: {answer}"
        );
    }
    let (_, _, answer) = emu
        .raw(
            "GetResourceRequestStatus",
            json!({ "RequestToken": "DOESNOTEXIST" }),
        )
        .await;
    assert_eq!(
        answer["Message"],
        json!("Request with token DOESNOTEXIST was not found")
    );
}

/// `json` followed by spaces up to `len` characters (still the same JSON document).
fn pad(json: &str, len: usize) -> String {
    format!("{json}{}", " ".repeat(len - json.len()))
}

#[tokio::test]
async fn a_desired_state_may_hold_262144_characters_and_no_more() {
    let emu = TestEmulator::spawn().await;
    // A legal client of about 200 KB: a hundred read attributes of 2,000 characters each.
    let attributes: Vec<String> = (0..100)
        .map(|i| format!("custom:{i:03}{}", "a".repeat(1990)))
        .collect();
    let desired = json!({ "UserPoolId": POOL, "ReadAttributes": attributes }).to_string();
    assert!(desired.len() > 200_000);
    let (status, _, answer) = emu
        .raw(
            "CreateResource",
            json!({ "TypeName": CLIENT, "DesiredState": desired }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let oversized = pad(&desired, 262_145);
    let (status, _, answer) = emu
        .raw(
            "CreateResource",
            json!({ "TypeName": CLIENT, "DesiredState": oversized }),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        answer["Message"],
        json!(
            "1 validation error detected: Value at 'desiredState' failed to satisfy constraint: Member must have length less than or equal to 262144"
        )
    );
}

#[tokio::test]
async fn a_patch_document_may_hold_262144_characters_and_no_more() {
    let emu = TestEmulator::spawn().await;
    let id = emu.create_settled(basic()).await;
    let patch = json!([{ "op": "add", "path": "/ReadAttributes", "value": ["x".repeat(2000)] }]);
    let padded = pad(&patch.to_string(), 262_144);
    let (status, _, answer) = emu
        .raw(
            "UpdateResource",
            json!({ "TypeName": CLIENT, "Identifier": id, "PatchDocument": padded }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _, answer) = emu
        .raw(
            "UpdateResource",
            json!({ "TypeName": CLIENT, "Identifier": id, "PatchDocument": format!("{padded} ") }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        answer["Message"]
            .as_str()
            .unwrap()
            .contains("'patchDocument' failed to satisfy constraint: Member must have length less than or equal to 262144")
    );
}

#[tokio::test]
async fn a_list_resources_next_token_may_hold_4096_characters_and_no_more() {
    let emu = TestEmulator::spawn().await;
    let model = json!({ "UserPoolId": POOL }).to_string();
    let list = |token: String| {
        emu.raw(
            "ListResources",
            json!({ "TypeName": CLIENT, "ResourceModel": model, "NextToken": token }),
        )
    };
    // 3,072 bytes encode to exactly 4,096 base64 characters.
    let token =
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "z".repeat(3072));
    assert_eq!(token.len(), 4096);
    let (status, _, answer) = list(token.clone()).await;
    assert_eq!(status, 200, "{answer}");
    let (status, _, answer) = list(format!("{token}=")).await;
    assert_eq!(status, 400);
    assert!(
        answer["Message"]
            .as_str()
            .unwrap()
            .contains("Member must have length less than or equal to 4096"),
        "{answer}"
    );
}
