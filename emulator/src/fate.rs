//! What a request's settling is made of: drawn by the fault modes when a mutation is accepted,
//! carried by the request until it settles.

use serde::{Deserialize, Serialize};

/// What a progress event's `RetryAfter` says. Nothing in AWS's documentation promises it is in the
/// future, or present at all.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum RetryAfterMode {
    /// The moment the request's status will next change.
    #[default]
    Settle,
    /// A moment already past: the request's EventTime.
    Past,
    /// No `RetryAfter` at all.
    Absent,
}

/// A failure an accepted mutation will settle with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The HandlerErrorCode.
    pub code: String,
    /// The StatusMessage, verbatim; a Cognito-style message for the code when absent.
    pub message: Option<String>,
    /// Whether the work is done before the request fails.
    pub after_work: bool,
}

/// Where AWS's documentation leaves room, the reading a handler follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Readings {
    /// Refuse `EnablePropagateAdditionalUserContextData` on a client without a secret.
    pub refuse_context_data_without_secret: bool,
    /// Require callback URLs for the code and implicit flows even while OAuth is off.
    pub check_callbacks_with_oauth_off: bool,
    /// Let a patch's `remove` of a field Cognito defaults reset it to the default (the recorded
    /// behaviour keeps the live value).
    pub remove_resets_defaults: bool,
}
