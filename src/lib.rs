//! ccplane: a control plane that keeps AWS Cognito UserPoolClients in their desired state through the
//! AWS Cloud Control API.

pub mod access;
pub mod api;
pub mod cli;
pub mod cloud;
pub mod config;
pub mod model;
pub mod reconcile;
pub mod store;
pub mod telemetry;

// The names embedders and tests start from.
pub use api::server::serve;
pub use api::state::AppState;
pub use store::notifier::relay_changes;
