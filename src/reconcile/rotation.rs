//! Scheduled rotation of the client's secret, one protocol step per reconcile step (the table in
//! `model::rotation`). Each step makes at most one change in AWS and is safe to repeat: it first
//! looks at what AWS holds (the target's versions, the client's secrets), so a step interrupted
//! after its call and before its outcome was written finds its own work done and moves on. The new
//! value is made in the step that writes it to Secrets Manager and read back from there by the
//! step that gives it to Cognito: it is never in Postgres, an event or a log line.

use chrono::{Duration, Utc};
use rand::distr::{Alphanumeric, SampleString};
use uuid::Uuid;

use super::CrashPoint;
use super::context::{Step, StepError};
use super::outcome::{Failure, Outcome, note, set_condition};
use super::requeue::Requeue;
use crate::cloud::{CURRENT, CloudError, ErrorClass, PENDING, Place, SecretInfo};
use crate::model::event::{EventData, RotationData};
use crate::model::rotation::{
    Rotation, RotationPhase, delivered_document, delivered_secret, next_step_at,
};
use crate::model::status::{ConditionStatus, ConditionType};
use crate::model::work::{Observed, StepEvent};
use sqlx::types::Json;

/// Characters of a generated secret: Cognito takes 24 to 64 of `[\w+]` from a caller.
const SECRET_LENGTH: usize = 48;

/// The pool and client of an identifier `UserPoolId|ClientId`.
fn split(identifier: &str) -> (&str, &str) {
    identifier.split_once('|').unwrap_or((identifier, ""))
}

impl Step<'_> {
    /// The rotation's next step for the client `identifier`.
    pub(super) async fn rotate(&mut self, identifier: &str) -> Result<Outcome, StepError> {
        let (pool, client) = split(identifier);
        let Some(Json(rotation)) = self.observed().rotation else {
            return Ok(self.start_rotation(pool, client).await);
        };
        match rotation.phase {
            RotationPhase::Started => self.write_pending(&rotation, pool, client).await,
            RotationPhase::Pending => self.give(&rotation, pool, client).await,
            RotationPhase::Given => self.promote(&rotation).await,
            RotationPhase::Promoted => self.retire(&rotation, pool, client).await,
        }
    }

    /// Checks that the client has one secret and the target exists, and chooses the new
    /// version's id: nothing is written to AWS yet.
    async fn start_rotation(&mut self, pool: &str, client: &str) -> Outcome {
        let Some(Json(asked)) = self.item.secret_rotation.clone() else {
            return Outcome::kept(Requeue::OnChange);
        };
        let arn = asked.deliver_to.secrets_manager_secret_arn.clone();
        let at = self.place();
        let secrets = match self
            .worker
            .cloud
            .list_client_secrets(&at, pool, client)
            .await
        {
            Ok(secrets) => secrets,
            Err(e) => return self.rotation_failed(&e, "listing the client's secrets"),
        };
        let [previous] = secrets.as_slice() else {
            return self.blocked(&secrets);
        };
        let at = self.place_in_region(asked.target_region());
        if let Err(e) = self.worker.cloud.describe_secret(&at, &arn).await {
            return self.rotation_failed(&e, &format!("reading the delivery target {arn}"));
        }
        let rotation = Rotation {
            phase: RotationPhase::Started,
            version_id: Uuid::new_v4().to_string(),
            secret_arn: arn,
            previous_secret_id: previous.id.clone(),
            new_secret_id: None,
            overlap_hours: asked.overlap_hours,
            started_at: Utc::now(),
            retire_after: None,
        };
        let message = format!(
            "rotating secret {}: its successor goes to {}",
            previous.id, rotation.secret_arn
        );
        let event = note(EventData::RotationStarted(data(&rotation)), message);
        self.advanced(
            rotation,
            vec![event],
            "Rotating",
            "a rotation is in progress",
        )
    }

    /// Writes the new value to Secrets Manager as version `AWSPENDING` (Secrets Manager's
    /// `createSecret` step).
    async fn write_pending(
        &mut self,
        rotation: &Rotation,
        pool: &str,
        client: &str,
    ) -> Result<Outcome, StepError> {
        let arn = &rotation.secret_arn;
        let at = self.place_in_region(rotation.target_region());
        let versions = match self.worker.cloud.describe_secret(&at, arn).await {
            Ok(versions) => versions,
            Err(e) => return Ok(self.rotation_failed(&e, &format!("reading {arn}"))),
        };
        if !versions.has(&rotation.version_id) {
            let secret = Alphanumeric.sample_string(&mut rand::rng(), SECRET_LENGTH);
            let document = delivered_document(client, &secret, pool, &self.item.region);
            let put =
                self.worker
                    .cloud
                    .put_pending_value(&at, arn, &rotation.version_id, &document);
            if let Err(e) = put.await {
                return Ok(self.rotation_failed(&e, &format!("writing the new value to {arn}")));
            }
            self.crash(CrashPoint::AfterRotationCall)?;
        }
        let next = Rotation {
            phase: RotationPhase::Pending,
            ..rotation.clone()
        };
        Ok(self.advanced(
            next,
            Vec::new(),
            "Rotating",
            "the new value is pending in Secrets Manager",
        ))
    }

    /// Gives the pending value to the client as its second secret (`setSecret`).
    async fn give(
        &mut self,
        rotation: &Rotation,
        pool: &str,
        client: &str,
    ) -> Result<Outcome, StepError> {
        let arn = &rotation.secret_arn;
        let sm = self.place_in_region(rotation.target_region());
        let read = self
            .worker
            .cloud
            .secret_value(&sm, arn, &rotation.version_id)
            .await;
        let unreadable = || {
            let why = "the pending version is not a document ccplane wrote";
            CloudError::new(ErrorClass::Terminal, "PendingValueUnreadable", why)
        };
        let secret = match read.and_then(|doc| delivered_secret(&doc).ok_or_else(unreadable)) {
            Ok(secret) => secret,
            Err(e) => {
                return Ok(self.rotation_failed(&e, &format!("reading the new value from {arn}")));
            }
        };
        let at = self.place();
        let worker = self.worker;
        let cloud = &worker.cloud;
        let secrets = match cloud.list_client_secrets(&at, pool, client).await {
            Ok(secrets) => secrets,
            Err(e) => return Ok(self.rotation_failed(&e, "listing the client's secrets")),
        };
        let given = match given_already(&secrets, rotation) {
            Some(given) => given.id.clone(),
            None if secrets.len() >= 2 => return Ok(self.blocked(&secrets)),
            None => {
                let at = self.place();
                let added = cloud
                    .add_client_secret_value(&at, pool, client, &secret)
                    .await;
                match added {
                    Ok(info) => {
                        self.crash(CrashPoint::AfterRotationCall)?;
                        info.id
                    }
                    Err(e) => {
                        return Ok(self.rotation_failed(&e, "giving the client its new secret"));
                    }
                }
            }
        };
        let next = Rotation {
            phase: RotationPhase::Given,
            new_secret_id: Some(given.clone()),
            ..rotation.clone()
        };
        let message = format!(
            "the client accepts its new secret {given} beside {}",
            rotation.previous_secret_id
        );
        let event = note(EventData::RotatedSecretAdded(data(&next)), message);
        Ok(self.advanced(
            next,
            vec![event],
            "Rotating",
            "the client holds both secrets",
        ))
    }

    /// Makes the new version current, so consumers read it (`finishSecret`).
    async fn promote(&mut self, rotation: &Rotation) -> Result<Outcome, StepError> {
        let arn = &rotation.secret_arn;
        let version = rotation.version_id.as_str();
        let at = self.place_in_region(rotation.target_region());
        let worker = self.worker;
        let cloud = &worker.cloud;
        let versions = match cloud.describe_secret(&at, arn).await {
            Ok(versions) => versions,
            Err(e) => return Ok(self.rotation_failed(&e, &format!("reading {arn}"))),
        };
        if !versions.staged(version, CURRENT) {
            let from = versions.holder(CURRENT);
            if let Err(e) = cloud
                .move_stage(&at, arn, CURRENT, Some(version), from)
                .await
            {
                return Ok(
                    self.rotation_failed(&e, &format!("making the new value current in {arn}"))
                );
            }
            self.crash(CrashPoint::AfterRotationCall)?;
        }
        if versions.staged(version, PENDING)
            && let Err(e) = cloud
                .move_stage(&at, arn, PENDING, None, Some(version))
                .await
        {
            return Ok(self.rotation_failed(&e, &format!("clearing AWSPENDING in {arn}")));
        }
        let now = Utc::now();
        let retire_after = now + Duration::hours(rotation.overlap_hours.into());
        let next = Rotation {
            phase: RotationPhase::Promoted,
            retire_after: Some(retire_after),
            ..rotation.clone()
        };
        let message = format!(
            "the new secret is current in {arn}; the old one ({}) works until {}",
            rotation.previous_secret_id,
            retire_after.to_rfc3339()
        );
        let event = note(EventData::SecretDelivered(data(&next)), message.clone());
        Ok(self.advanced(next, vec![event], "Delivered", &message))
    }

    /// After the overlap, retires the rotated-out secret; the rotation is over.
    async fn retire(
        &mut self,
        rotation: &Rotation,
        pool: &str,
        client: &str,
    ) -> Result<Outcome, StepError> {
        let previous = &rotation.previous_secret_id;
        let at = self.place();
        let deleted = self
            .worker
            .cloud
            .delete_client_secret(&at, pool, client, previous)
            .await;
        match deleted {
            Ok(()) => self.crash(CrashPoint::AfterRotationCall)?,
            // Retired already (by a repeat of this step, or by a user).
            Err(e) if e.class == ErrorClass::NotFound => {}
            Err(e) => return Ok(self.rotation_failed(&e, &format!("retiring secret {previous}"))),
        }
        let mut new = self.observed();
        new.rotation = None;
        clear_rotation_error(&mut new);
        let message = format!("rotation done: secret {previous} retired after the overlap");
        let event = note(EventData::RotatedSecretRetired(data(rotation)), message);
        Ok(Outcome::saved(new, vec![event], Requeue::Now))
    }

    /// Where a Secrets Manager call goes: the target's region, in the namespace's account.
    fn place_in_region<'r>(&mut self, region: &'r str) -> Place<'r>
    where
        Self: 'r,
    {
        Place {
            region,
            ..self.place()
        }
    }

    /// The rotation moved on to `rotation`: saved with `events`, the condition at `reason`, and the
    /// next step when the schedule says (at once, or, once promoted, after the overlap). A
    /// promotion is when the rotation counts as made.
    fn advanced(
        &self,
        rotation: Rotation,
        events: Vec<StepEvent>,
        reason: &str,
        message: &str,
    ) -> Outcome {
        let mut new = self.observed();
        let now = Utc::now();
        let promoted = rotation.phase == RotationPhase::Promoted;
        let status = if promoted {
            new.last_rotated_at = Some(now);
            ConditionStatus::True
        } else {
            ConditionStatus::False
        };
        let generation = self.item.generation;
        set_condition(
            &mut new,
            ConditionType::SecretRotated,
            status,
            reason,
            message,
            generation,
        );
        let due = next_step_at(None, Some(&rotation), None, now).unwrap_or(now);
        let requeue = Requeue::after_secs((due - now).num_milliseconds() as f64 / 1000.0);
        new.rotation = Some(Json(rotation));
        clear_rotation_error(&mut new);
        Outcome::saved(new, events, requeue)
    }

    /// A rotation step's call failed: the condition and `lastError` say so, and the step is tried
    /// again after a backoff. Nothing is retired until its successor is delivered.
    fn rotation_failed(&self, e: &CloudError, doing: &str) -> Outcome {
        let message = format!("{doing} failed: {e}");
        let mut new = self.observed();
        let generation = self.item.generation;
        let reason = e.code.as_str();
        let status = ConditionStatus::False;
        set_condition(
            &mut new,
            ConditionType::SecretRotated,
            status,
            reason,
            &message,
            generation,
        );
        let failure = Failure {
            code: &e.code,
            message: &message,
            request_token: None,
            operation: None,
        };
        // A refusal that will not pass by itself (a missing target, a denied call) is retried too:
        // a user can fix it without touching the document.
        let class = match e.class {
            ErrorClass::Throttled | ErrorClass::Busy => e.class,
            _ => ErrorClass::Transient,
        };
        self.retry_later(new, failure, class)
    }

    /// The client holds two secrets, so none can be added: a person must retire one.
    fn blocked(&self, secrets: &[SecretInfo]) -> Outcome {
        let ids: Vec<&str> = secrets.iter().map(|s| s.id.as_str()).collect();
        let message = format!(
            "the client has {} secrets ({}); rotation needs exactly one to start from: retire one \
             (DELETE …/secrets/{{id}})",
            secrets.len(),
            ids.join(", ")
        );
        let e = CloudError::new(ErrorClass::Terminal, "RotationBlocked", message);
        self.rotation_failed(&e, "starting the rotation")
    }
}

/// The secret this rotation gave the client already (a repeat after a crash): one that is not the
/// rotated-out one and was made after the rotation began.
fn given_already<'s>(secrets: &'s [SecretInfo], rotation: &Rotation) -> Option<&'s SecretInfo> {
    let since = rotation.started_at - Duration::seconds(1);
    secrets
        .iter()
        .find(|s| s.id != rotation.previous_secret_id && s.created_at.is_none_or(|t| t >= since))
}

/// A rotation only runs while the resource is in sync, so an error it carries is the rotation's.
fn clear_rotation_error(new: &mut Observed) {
    new.last_error = None;
    new.attempt = 0;
}

fn data(rotation: &Rotation) -> RotationData {
    RotationData {
        secret_arn: rotation.secret_arn.clone(),
        version_id: rotation.version_id.clone(),
        previous_secret_id: rotation.previous_secret_id.clone(),
        new_secret_id: rotation.new_secret_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rotation() -> Rotation {
        Rotation {
            phase: RotationPhase::Pending,
            version_id: "v".into(),
            secret_arn: "arn".into(),
            previous_secret_id: "old".into(),
            new_secret_id: None,
            overlap_hours: 1,
            started_at: Utc::now(),
            retire_after: None,
        }
    }

    fn secret(id: &str, age_secs: i64) -> SecretInfo {
        SecretInfo {
            id: id.into(),
            created_at: Some(Utc::now() - Duration::seconds(age_secs)),
        }
    }

    #[test]
    fn a_secret_made_since_the_rotation_began_is_the_one_it_gave() {
        let r = rotation();
        assert_eq!(given_already(&[secret("old", 900)], &r), None);
        let both = [secret("old", 900), secret("new", 0)];
        assert_eq!(given_already(&both, &r).map(|s| s.id.as_str()), Some("new"));
        // A second secret older than the rotation is somebody else's.
        let other = [secret("old", 900), secret("manual", 600)];
        assert_eq!(given_already(&other, &r), None);
    }
}
