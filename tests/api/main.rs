//! API integration tests: real HTTP, real Postgres (a fresh database per test).

mod auth;
mod events;
mod hardening;
mod helpers;
mod lifecycle;
mod listing;
mod oidc;
mod ops;
mod spec;
mod validation;
