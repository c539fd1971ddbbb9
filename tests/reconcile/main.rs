//! Reconciler integration tests: real Postgres, the real SDK against the emulator on port 0.

// Each suite uses part of the shared helpers; a public module's items are not dead code.
#[path = "../common/mod.rs"]
pub mod common;

mod actions;
mod contract;
mod converge;
mod discovery;
mod harness;
mod intent;
mod logs;
mod platform;
mod rotation;
mod safety;
mod scaleout;
mod secrets;
mod targets;
mod timeouts;
