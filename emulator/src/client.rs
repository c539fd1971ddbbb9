//! The real `aws-sdk-cloudcontrol` client pointed at an emulator, with test credentials.

use aws_sdk_cloudcontrol::{
    Client,
    config::{BehaviorVersion, Builder, Credentials, Region},
};

use super::wire::DEFAULT_ACCOUNT;

/// Secret access key of emulator credentials (signatures are not checked).
pub const TEST_SECRET_ACCESS_KEY: &str = "emulator-secret-access-key";

/// An access key id that the emulator reads as `account` (its last twelve characters).
pub fn access_key_id(account: &str) -> String {
    format!("AKIAEMU{account}")
}

/// A client for the default account (123456789012) in `region`, with the SDK's default retries.
pub async fn sdk_client(endpoint_url: &str, region: &str) -> Client {
    Client::from_conf(sdk_config(endpoint_url, region, DEFAULT_ACCOUNT).build())
}

/// A config builder for `account` in `region` at `endpoint_url`, for callers that tune retries
/// or timeouts before building.
pub fn sdk_config(endpoint_url: &str, region: &str, account: &str) -> Builder {
    let credentials = Credentials::new(
        access_key_id(account),
        TEST_SECRET_ACCESS_KEY,
        None,
        None,
        "ccplane-emulator",
    );
    aws_sdk_cloudcontrol::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint_url)
        .region(Region::new(region.to_owned()))
        .credentials_provider(credentials)
}
