//! Access control: who a caller is (an API token or an OIDC JWT) and what its bindings let it do.

pub mod oidc;
mod roles;
pub mod token;

pub use roles::{ALL_NAMESPACES, Access, Binding, Grants, Role, Scope};
