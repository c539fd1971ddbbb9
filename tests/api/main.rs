//! API integration tests: real HTTP, real Postgres (a fresh database per test).

// Each suite uses part of the shared helpers; a public module's items are not dead code.
#[path = "../common/mod.rs"]
pub mod common;

mod auth;
mod events;
mod hardening;
mod lifecycle;
mod listing;
mod nul;
mod oidc;
mod ops;
mod spec;
mod validation;
