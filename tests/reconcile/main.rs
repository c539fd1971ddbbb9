//! Reconciler integration tests: real Postgres, the real SDK against the emulator on port 0.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod actions;
mod contract;
mod converge;
mod harness;
mod intent;
mod logs;
mod safety;
mod scaleout;
mod targets;
mod timeouts;
