//! Scheduled rotation of a client's secret, delivered through AWS Secrets Manager: what a document
//! asks for (`secretRotation`), the state of a rotation in progress (never a value), and the JSON
//! document a consumer reads from Secrets Manager.
//!
//! The protocol is Secrets Manager's own (its rotation functions' four steps: create, set, test,
//! finish), so that each step is safe to repeat after a crash:
//!
//! | phase     | what is true                                         | the next step                                      |
//! |-----------|------------------------------------------------------|----------------------------------------------------|
//! | (none)    | the client has one secret; rotation is due           | list the secrets, check the target: `Started`      |
//! | `Started` | a version id is chosen, nothing written yet           | write the value as version `AWSPENDING`: `Pending`  |
//! | `Pending` | Secrets Manager holds the new value, pending          | give it to the client as a second secret: `Given`  |
//! | `Given`   | the client accepts both secrets                      | move `AWSCURRENT` to the new version: `Promoted`    |
//! | `Promoted`| consumers read the new value; the old one still works | after the overlap, retire the old secret: (none)   |
//!
//! The value exists only in the step that makes it and in Secrets Manager: a step that finds the
//! pending version already written reads it back from there, and one that finds a second secret
//! on the client already takes it as the one it gave.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::violation::Violation;

/// Longest time between rotations.
pub const MAX_EVERY_DAYS: u32 = 365;
/// Longest overlap during which the old secret keeps working.
pub const MAX_OVERLAP_HOURS: u32 = 720;
/// The overlap when a document names none.
pub const DEFAULT_OVERLAP_HOURS: u32 = 24;

/// What a document asks: rotate the client's secret every `everyDays`, keep the old one working
/// for `overlapHours` after its successor is delivered, and deliver each value to a secret in
/// AWS Secrets Manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretRotation {
    /// Days between rotations (1 to 365).
    #[schema(minimum = 1, maximum = 365, example = 30)]
    pub every_days: u32,
    /// Hours the old secret keeps working after the new one is current (0 to 720). Default (absent
    /// or `null`): 24.
    #[schema(minimum = 0, maximum = 720, example = 24, nullable, required = false)]
    pub overlap_hours: u32,
    /// Where each new secret is delivered.
    pub deliver_to: DeliverTo,
}

/// A delivery target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeliverTo {
    /// The full ARN of an existing Secrets Manager secret, in the namespace's account.
    #[schema(example = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web-client-AbCdEf")]
    pub secrets_manager_secret_arn: String,
}

impl SecretRotation {
    /// The region the delivery target lives in, from its ARN.
    pub fn target_region(&self) -> &str {
        arn_region(&self.deliver_to.secrets_manager_secret_arn).unwrap_or_default()
    }
}

/// When a rotation's next step is due: a running rotation's at once, or, once promoted, at the end
/// of the overlap; otherwise the next rotation, `everyDays` after the last (at once when none was
/// made), if the document asks for rotation.
pub fn next_step_at(
    asked: Option<&SecretRotation>,
    running: Option<&Rotation>,
    last_rotated_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match running {
        Some(rotation) => Some(rotation.retire_after.unwrap_or(now)),
        None => {
            let every = |a: &SecretRotation| Duration::days(a.every_days.into());
            asked.map(|a| last_rotated_at.map_or(now, |t| t + every(a)))
        }
    }
}

/// The region of a Secrets Manager ARN (`arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`).
pub fn arn_region(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    match parts.as_slice() {
        [
            "arn",
            partition,
            "secretsmanager",
            region,
            account,
            "secret",
            name,
        ] if partition.starts_with("aws")
            && !region.is_empty()
            && account.len() == 12
            && account.bytes().all(|b| b.is_ascii_digit())
            && !name.is_empty() =>
        {
            Some(region)
        }
        _ => None,
    }
}

/// Parses `secretRotation`; `has_secret` says whether the document's client has a secret to rotate.
pub fn parse(
    value: Option<&Value>,
    has_secret: bool,
    errors: &mut Vec<Violation>,
) -> Option<SecretRotation> {
    let object = match value {
        None | Some(Value::Null) => return None,
        Some(Value::Object(object)) => object,
        Some(_) => {
            errors.push(Violation::new("/secretRotation", "must be an object"));
            return None;
        }
    };
    let before = errors.len();
    for key in object.keys() {
        if !["everyDays", "overlapHours", "deliverTo"].contains(&key.as_str()) {
            errors.push(Violation::new(
                format!("/secretRotation/{key}"),
                format!("unknown field \"{key}\"; expected everyDays, overlapHours, deliverTo"),
            ));
        }
    }
    let every_days = whole(
        object.get("everyDays"),
        "everyDays",
        1,
        MAX_EVERY_DAYS,
        errors,
    );
    let overlap_hours = match object.get("overlapHours") {
        None | Some(Value::Null) => Some(DEFAULT_OVERLAP_HOURS),
        given => whole(given, "overlapHours", 0, MAX_OVERLAP_HOURS, errors),
    };
    let deliver_to = object.get("deliverTo").and_then(Value::as_object);
    for key in deliver_to.into_iter().flat_map(|d| d.keys()) {
        if key != "secretsManagerSecretArn" {
            errors.push(Violation::new(
                format!("/secretRotation/deliverTo/{key}"),
                format!("unknown field \"{key}\"; expected secretsManagerSecretArn"),
            ));
        }
    }
    let arn = deliver_to
        .and_then(|d| d.get("secretsManagerSecretArn"))
        .and_then(Value::as_str);
    if arn.and_then(arn_region).is_none() {
        errors.push(Violation::new(
            "/secretRotation/deliverTo/secretsManagerSecretArn",
            "must be the full ARN of a Secrets Manager secret \
             (arn:aws:secretsmanager:<region>:<account>:secret:<name>)",
        ));
    }
    if !has_secret {
        errors.push(Violation::new(
            "/secretRotation",
            "the client has no secret to rotate: set properties.GenerateSecret to true",
        ));
    }
    if errors.len() > before {
        return None;
    }
    Some(SecretRotation {
        every_days: every_days?,
        overlap_hours: overlap_hours?,
        deliver_to: DeliverTo {
            secrets_manager_secret_arn: arn?.to_owned(),
        },
    })
}

fn whole(
    value: Option<&Value>,
    field: &str,
    min: u32,
    max: u32,
    errors: &mut Vec<Violation>,
) -> Option<u32> {
    let n = value
        .and_then(Value::as_u64)
        .filter(|n| (u64::from(min)..=u64::from(max)).contains(n));
    if n.is_none() {
        errors.push(Violation::new(
            format!("/secretRotation/{field}"),
            format!("must be a whole number from {min} to {max}"),
        ));
    }
    n.map(|n| n as u32)
}

/// Where a rotation in progress is (the table in this module's comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum RotationPhase {
    Started,
    Pending,
    Given,
    Promoted,
}

/// A rotation in progress, as stored: ids and times, never a value. It carries its own copy of
/// the target and the overlap, so a document changed meanwhile does not change a rotation halfway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rotation {
    pub phase: RotationPhase,
    /// The Secrets Manager version (and `ClientRequestToken`) of the new value.
    pub version_id: String,
    /// The Secrets Manager secret it goes to.
    pub secret_arn: String,
    /// The Cognito secret being replaced, retired after the overlap.
    pub previous_secret_id: String,
    /// The Cognito secret that holds the new value, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_secret_id: Option<String>,
    pub overlap_hours: u32,
    pub started_at: DateTime<Utc>,
    /// When the old secret is retired (once promoted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retire_after: Option<DateTime<Utc>>,
}

impl Rotation {
    /// The region the rotation's target lives in, from its ARN.
    pub fn target_region(&self) -> &str {
        arn_region(&self.secret_arn).unwrap_or_default()
    }
}

/// What a rotation shows in a resource's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RotationStatus {
    /// When the next rotation starts (absent while one runs, or when rotation is off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_rotation_at: Option<DateTime<Utc>>,
    /// When the last rotation made its new secret current in Secrets Manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_rotated_at: Option<DateTime<Utc>>,
    /// The step a rotation in progress has reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<RotationPhase>,
    /// When the old secret stops working (while the two overlap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retire_after: Option<DateTime<Utc>>,
    /// The id of the Cognito secret whose value Secrets Manager holds as current.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_secret_id: Option<String>,
}

/// The JSON document written to Secrets Manager: what a consumer needs to use the client as it is.
pub fn delivered_document(
    client_id: &str,
    secret: &str,
    user_pool_id: &str,
    region: &str,
) -> String {
    json!({
        "clientId": client_id,
        "clientSecret": secret,
        "userPoolId": user_pool_id,
        "region": region,
        "issuer": format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"),
    })
    .to_string()
}

/// The client secret in a delivered document, read back from Secrets Manager.
pub fn delivered_secret(document: &str) -> Option<String> {
    let value: Value = serde_json::from_str(document).ok()?;
    value.get("clientSecret")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:web-AbCdEf";

    #[test]
    fn an_arn_names_its_region_and_anything_else_is_refused() {
        assert_eq!(arn_region(ARN), Some("eu-west-1"));
        assert_eq!(arn_region("arn:aws:s3:::bucket"), None);
        assert_eq!(
            arn_region("arn:aws:secretsmanager:eu-west-1:1234:secret:x"),
            None
        );
    }

    #[test]
    fn a_rotation_needs_a_schedule_a_target_and_a_secret() {
        let mut errors = Vec::new();
        let doc = json!({"everyDays": 30, "deliverTo": {"secretsManagerSecretArn": ARN}});
        let parsed = parse(Some(&doc), true, &mut errors).expect("valid");
        assert!(errors.is_empty());
        assert_eq!(parsed.overlap_hours, DEFAULT_OVERLAP_HOURS);
        assert_eq!(parsed.target_region(), "eu-west-1");

        let bad = json!({"everyDays": 0, "overlapHours": 9999, "deliverTo": {}, "x": 1});
        assert_eq!(parse(Some(&bad), false, &mut errors), None);
        let pointers: Vec<&str> = errors.iter().map(|v| v.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/secretRotation/x",
                "/secretRotation/everyDays",
                "/secretRotation/overlapHours",
                "/secretRotation/deliverTo/secretsManagerSecretArn",
                "/secretRotation",
            ]
        );
    }

    #[test]
    fn the_next_step_is_due_at_once_after_the_overlap_or_every_days_later() {
        let now = Utc::now();
        let asked = SecretRotation {
            every_days: 30,
            overlap_hours: 1,
            deliver_to: DeliverTo {
                secrets_manager_secret_arn: ARN.into(),
            },
        };
        assert_eq!(next_step_at(None, None, None, now), None);
        assert_eq!(next_step_at(Some(&asked), None, None, now), Some(now));
        let last = now - Duration::days(1);
        let next = next_step_at(Some(&asked), None, Some(last), now);
        assert_eq!(next, Some(last + Duration::days(30)));
        let mut running = Rotation {
            phase: RotationPhase::Pending,
            version_id: "v".into(),
            secret_arn: ARN.into(),
            previous_secret_id: "old".into(),
            new_secret_id: None,
            overlap_hours: 1,
            started_at: now,
            retire_after: None,
        };
        assert_eq!(
            next_step_at(None, Some(&running), Some(last), now),
            Some(now)
        );
        running.retire_after = Some(now + Duration::hours(1));
        assert_eq!(
            next_step_at(None, Some(&running), None, now),
            running.retire_after
        );
    }

    #[test]
    fn the_delivered_document_gives_the_secret_back() {
        let doc = delivered_document("client", "s3cr3t", "eu-west-1_Pool", "eu-west-1");
        assert_eq!(delivered_secret(&doc).as_deref(), Some("s3cr3t"));
        let value: Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(
            value["issuer"],
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool"
        );
    }
}
