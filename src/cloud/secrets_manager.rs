//! AWS Secrets Manager, where a rotated client secret is delivered: the five operations of its
//! rotation protocol (`DescribeSecret`, `PutSecretValue` with a version stage, `GetSecretValue`,
//! `UpdateSecretVersionStage`). The only module that imports `aws_sdk_secretsmanager`; its calls
//! go through `Cloud::call`, classified and counted like the others. A value passes through here
//! and is never logged: the SDK's input and output types redact it in their `Debug`.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::account::Assumed;
use super::{Call, Cloud, CloudError, ErrorClass, Place};

/// A Secrets Manager client for one region and account.
pub type Client = aws_sdk_secretsmanager::Client;

/// The stage consumers read.
pub const CURRENT: &str = "AWSCURRENT";
/// The stage of a value being rotated in.
pub const PENDING: &str = "AWSPENDING";

/// A secret's versions and their stages, as `DescribeSecret` reports them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Versions(pub BTreeMap<String, Vec<String>>);

impl Versions {
    /// Whether version `id` exists.
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// Whether version `id` holds `stage`.
    pub fn staged(&self, id: &str, stage: &str) -> bool {
        self.0.get(id).is_some_and(|s| s.iter().any(|x| x == stage))
    }

    /// The version that holds `stage`.
    pub fn holder(&self, stage: &str) -> Option<&str> {
        let mut versions = self.0.iter();
        versions
            .find(|(_, stages)| stages.iter().any(|s| s == stage))
            .map(|(id, _)| id.as_str())
    }
}

/// The Secrets Manager client for `region`, on the account's credentials.
pub(super) fn client(
    base: &aws_config::SdkConfig,
    region: &str,
    assumed: Option<&Arc<Assumed>>,
) -> Client {
    sdk_client!(aws_sdk_secretsmanager, base, region, assumed)
}

impl Cloud {
    /// The versions of secret `arn` and their stages.
    pub async fn describe_secret(&self, at: &Place<'_>, arn: &str) -> Result<Versions, CloudError> {
        let request = self
            .secrets_manager(at)
            .await?
            .describe_secret()
            .secret_id(arn)
            .send();
        let out = self.call(Call::DescribeSecret, at, None, request).await?;
        let versions = out.version_ids_to_stages().cloned().unwrap_or_default();
        Ok(Versions(versions.into_iter().collect()))
    }

    /// Writes `value` as version `version_id` of secret `arn`, staged `AWSPENDING`. The version id
    /// is the request's `ClientRequestToken`, so a repeat with the same value changes nothing.
    pub async fn put_pending_value(
        &self,
        at: &Place<'_>,
        arn: &str,
        version_id: &str,
        value: &str,
    ) -> Result<(), CloudError> {
        let request = self
            .secrets_manager(at)
            .await?
            .put_secret_value()
            .secret_id(arn)
            .client_request_token(version_id)
            .secret_string(value)
            .version_stages(PENDING)
            .send();
        self.call(Call::PutSecretValue, at, None, request).await?;
        Ok(())
    }

    /// The value of version `version_id` of secret `arn`.
    pub async fn secret_value(
        &self,
        at: &Place<'_>,
        arn: &str,
        version_id: &str,
    ) -> Result<String, CloudError> {
        let request = self
            .secrets_manager(at)
            .await?
            .get_secret_value()
            .secret_id(arn)
            .version_id(version_id)
            .send();
        let out = self.call(Call::GetSecretValue, at, None, request).await?;
        out.secret_string().map(str::to_owned).ok_or_else(|| {
            CloudError::new(
                ErrorClass::Terminal,
                "NoSecretString",
                "the pending version holds no string",
            )
        })
    }

    /// Moves `stage` of secret `arn` to version `to` (from `from`, which holds it now), or removes
    /// it from `from` when `to` is none.
    pub async fn move_stage(
        &self,
        at: &Place<'_>,
        arn: &str,
        stage: &str,
        to: Option<&str>,
        from: Option<&str>,
    ) -> Result<(), CloudError> {
        let request = self
            .secrets_manager(at)
            .await?
            .update_secret_version_stage()
            .secret_id(arn)
            .version_stage(stage)
            .set_move_to_version_id(to.map(str::to_owned))
            .set_remove_from_version_id(from.map(str::to_owned))
            .send();
        self.call(Call::UpdateSecretVersionStage, at, None, request)
            .await?;
        Ok(())
    }
}
