//! The `AWS::Cognito::UserPoolClient` resource type: documents, status, validation and the schema's
//! facts; pure functions, no I/O.

pub(crate) mod cognito;
pub mod decision;
pub mod diff;
pub mod discovery;
pub mod document;
pub mod event;
mod json;
pub mod operation;
pub mod rotation;
pub mod schema;
mod schema_check;
pub mod status;
mod suggest;
mod urls;
pub mod validate;
mod violation;
pub mod work;

pub use document::{Spec, Validated};
pub use status::{Phase, Status};
pub use validate::Report;
pub use violation::Violation;
