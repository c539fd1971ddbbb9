//! A problem with a document, located by a JSON Pointer: what every check reports.

use serde::Serialize;

/// One problem with a document, located by a JSON Pointer relative to the properties object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Violation {
    /// JSON Pointer to the offending value.
    pub pointer: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl Violation {
    /// A violation at `pointer` (relative to the properties object).
    pub(crate) fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}
