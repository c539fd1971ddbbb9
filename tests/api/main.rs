//! API integration tests: real HTTP, real Postgres (a fresh database per test).

mod auth;
mod events;
mod helpers;
mod lifecycle;
mod listing;
mod ops;
mod validation;
