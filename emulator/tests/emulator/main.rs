//! The Cloud Control emulator, driven in-process through the real `aws-sdk-cloudcontrol` client.

mod client_secrets;
mod cognito;
mod control;
mod errors;
mod faults;
mod helpers;
mod lifecycle;
mod protocol;
mod quotas;
mod requests;
mod secrets_manager;
mod sts;
