//! What the reconciler works on: a claimed resource as a step reads it (`WorkItem`), the observed
//! state a step changes (`Observed`), and what a step consumed and records. The store reads and
//! writes them; the reconciler decides with them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::types::Json;
use uuid::Uuid;

use super::decision::Normalization;
use super::document::{DeletionPolicy, DriftPolicy, ManagementPolicy, ReplacementPolicy};
pub use super::event::AbsenceReason;
use super::event::EventData;
use super::rotation::{Rotation, SecretRotation};
use super::status::{Condition, LastError, Phase};

/// Everything a reconcile step reads about one claimed resource.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkItem {
    /// The resource's uid.
    pub id: Uuid,
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// The desired generation.
    pub generation: i64,
    /// Bumped by every user write; a worker's attempt count belongs to the revision it read.
    pub revision: i64,
    /// The AWS region.
    pub region: String,
    /// The IAM role Cloud Control assumes for this namespace's operations.
    pub role_arn: Option<String>,
    /// The role ccplane assumes to reach the namespace's AWS account, if not its own.
    pub assume_role_arn: Option<String>,
    /// The external ID that role's trust asks for.
    pub external_id: Option<String>,
    /// The desired properties.
    pub properties: Json<Map<String, Value>>,
    /// What deleting does in AWS.
    #[sqlx(try_from = "String")]
    pub deletion_policy: DeletionPolicy,
    /// What a create-only change does.
    #[sqlx(try_from = "String")]
    pub replacement_policy: ReplacementPolicy,
    /// What drift does.
    #[sqlx(try_from = "String")]
    pub drift_policy: DriftPolicy,
    /// Whether the client may be changed, or only read.
    #[sqlx(try_from = "String")]
    pub management_policy: ManagementPolicy,
    /// An existing client to take over.
    pub adopt_identifier: Option<String>,
    /// Whether deletion was requested.
    pub deletion_requested: bool,
    /// When a user asked to cancel the operation in flight.
    pub cancel_requested_at: Option<DateTime<Utc>>,
    /// When a user asked for a check against AWS now (`refresh`).
    pub refresh_requested_at: Option<DateTime<Utc>>,
    /// Seconds until a drift check is due (zero or less: due now).
    pub drift_due_in_secs: f64,
    /// Seconds between this resource's drift checks.
    pub drift_interval_secs: f64,
    /// The scheduled rotation of the client's secret the document asks for.
    pub secret_rotation: Option<Json<SecretRotation>>,
    /// Seconds until the rotation's next step is due (zero or less: due now); none when no
    /// rotation is asked for or running. Not a column: [`WorkItem::with_rotation_due`] sets it.
    #[sqlx(skip)]
    pub rotation_due_in_secs: Option<f64>,
    /// The observed state.
    #[sqlx(flatten)]
    pub observed: Observed,
}

impl WorkItem {
    /// The item with [`Self::rotation_due_in_secs`] set, by the one schedule rule
    /// (`model::rotation::next_step_at`).
    pub fn with_rotation_due(mut self) -> WorkItem {
        let now = Utc::now();
        let asked = self.secret_rotation.as_ref().map(|r| &r.0);
        let running = self.observed.rotation.as_ref().map(|r| &r.0);
        let due = super::rotation::next_step_at(asked, running, self.observed.last_rotated_at, now);
        self.rotation_due_in_secs = due.map(|at| (at - now).num_milliseconds() as f64 / 1000.0);
        self
    }
}

/// A read said the client is gone (or a failed create may have left one): what is being
/// confirmed before the reconciler acts on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbsenceCheck {
    /// The client that may or may not exist.
    pub identifier: String,
    /// Why it is in doubt.
    pub reason: AbsenceReason,
    /// How many reads have answered NotFound so far.
    pub not_found_reads: u32,
    /// When the doubt arose.
    pub since: DateTime<Utc>,
}

/// The observed state a step may change; saving it writes the events its changes call for.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Observed {
    /// Lifecycle phase.
    pub phase: Phase,
    /// The generation last applied.
    pub observed_generation: Option<i64>,
    /// Ready, Synced, Drifted.
    pub conditions: Json<Vec<Condition>>,
    /// The Cloud Control identifier.
    pub identifier: Option<String>,
    /// The identifier being replaced.
    pub previous_identifier: Option<String>,
    /// Live properties without secrets.
    pub observed_properties: Option<Json<Map<String, Value>>>,
    /// The desired properties last applied successfully.
    pub applied_properties: Option<Json<Map<String, Value>>>,
    /// The operation in flight.
    pub current_operation_id: Option<Uuid>,
    /// The last error.
    pub last_error: Option<Json<LastError>>,
    /// Differences found by the last drift check.
    pub drift: Option<Value>,
    /// Failed attempts since the last success or user write.
    pub attempt: i32,
    /// A doubt about the client's existence being confirmed.
    pub absence_check: Option<Json<AbsenceCheck>>,
    /// Normalisations Cognito applied, per generation.
    pub normalizations: Json<Vec<Normalization>>,
    /// The rotation of the client's secret in progress.
    pub rotation: Option<Json<Rotation>>,
    /// When the last rotation made its new secret current.
    pub last_rotated_at: Option<DateTime<Utc>>,
}

/// User requests a step acted on, cleared with its save (each only if no newer one arrived), and
/// whether it checked for drift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consumed {
    /// The cancel request was acted on.
    pub cancel: bool,
    /// The refresh request was acted on.
    pub refresh: bool,
    /// A drift check was made.
    pub drift_check: bool,
}

/// An event a step writes with its save: what happened, and a sentence for people.
pub type StepEvent = (EventData, String);
