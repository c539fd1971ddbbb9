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
