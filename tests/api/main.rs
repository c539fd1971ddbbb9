//! API integration tests: real HTTP, real Postgres (a fresh database per test).

mod helpers;
mod lifecycle;
