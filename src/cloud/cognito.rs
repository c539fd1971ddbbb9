//! The cognito-idp API beside Cloud Control, for what Cloud Control cannot reach: a client's
//! secrets (`AddUserPoolClientSecret`, `ListUserPoolClientSecrets`, `DeleteUserPoolClientSecret`;
//! `shared/AWS-CONTRACT.md`, "Quotas and accounts"). The only module that imports
//! `aws_sdk_cognitoidentityprovider`; its calls go through `Cloud::call`, so they are paced by the
//! same budgets, classified by the same table and counted alike.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::ClientSecretDescriptorType;
use chrono::{DateTime, Utc};

use super::account::Assumed;
use super::{Call, Cloud, CloudError, ErrorClass, Place};

/// A cognito-idp client for one region and account.
pub type Client = aws_sdk_cognitoidentityprovider::Client;

/// One of a client's secrets, as Cognito lists it: never its value.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretInfo {
    /// Cognito's id of the secret (`<client-id>--<epoch>`).
    pub id: String,
    /// When it was made.
    pub created_at: Option<DateTime<Utc>>,
}

/// A secret just added, with the value Cognito generated (answered once, never stored).
#[derive(Debug, Clone)]
pub struct NewSecret {
    pub info: SecretInfo,
    pub value: String,
}

/// The cognito-idp client for `region`, drawing on `assumed` credentials when the account is
/// reached through a role (the same cache the Cloud Control client uses).
pub(super) fn client(
    base: &aws_config::SdkConfig,
    region: &str,
    assumed: Option<&Arc<Assumed>>,
) -> Client {
    sdk_client!(aws_sdk_cognitoidentityprovider, base, region, assumed)
}

fn info(descriptor: &ClientSecretDescriptorType) -> SecretInfo {
    SecretInfo {
        id: descriptor.client_secret_id().unwrap_or_default().to_owned(),
        created_at: descriptor
            .client_secret_create_date()
            .and_then(|t| DateTime::from_timestamp(t.secs(), t.subsec_nanos())),
    }
}

impl Cloud {
    /// The secrets of client `client_id` in `pool_id`, oldest first.
    pub async fn list_client_secrets(
        &self,
        at: &Place<'_>,
        pool_id: &str,
        client_id: &str,
    ) -> Result<Vec<SecretInfo>, CloudError> {
        let request = self
            .cognito(at)
            .await?
            .list_user_pool_client_secrets()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .send();
        let out = self
            .call(Call::ListClientSecrets, at, Some(pool_id), request)
            .await?;
        let mut secrets: Vec<SecretInfo> = out.client_secrets().iter().map(info).collect();
        secrets.sort_by_key(|s| s.created_at);
        Ok(secrets)
    }

    /// Adds a secret Cognito generates to client `client_id` in `pool_id`; its value is answered
    /// here only.
    pub async fn add_client_secret(
        &self,
        at: &Place<'_>,
        pool_id: &str,
        client_id: &str,
    ) -> Result<NewSecret, CloudError> {
        let descriptor = self.add_secret(at, pool_id, client_id, None).await?;
        match descriptor.client_secret_value() {
            Some(value) => Ok(NewSecret {
                info: info(&descriptor),
                value: value.to_owned(),
            }),
            None => Err(CloudError::new(
                ErrorClass::Terminal,
                "NoSecretValue",
                "Cognito added a secret but answered no value",
            )),
        }
    }

    /// Adds `value`, chosen by the caller, as a secret of client `client_id` in `pool_id` (Cognito
    /// answers no value then, only the new secret's id).
    pub async fn add_client_secret_value(
        &self,
        at: &Place<'_>,
        pool_id: &str,
        client_id: &str,
        value: &str,
    ) -> Result<SecretInfo, CloudError> {
        let descriptor = self.add_secret(at, pool_id, client_id, Some(value)).await?;
        Ok(info(&descriptor))
    }

    /// `AddUserPoolClientSecret`, with a value of the caller's or one Cognito generates.
    async fn add_secret(
        &self,
        at: &Place<'_>,
        pool_id: &str,
        client_id: &str,
        value: Option<&str>,
    ) -> Result<ClientSecretDescriptorType, CloudError> {
        let request = self
            .cognito(at)
            .await?
            .add_user_pool_client_secret()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .set_client_secret(value.map(str::to_owned))
            .send();
        let out = self
            .call(Call::AddClientSecret, at, Some(pool_id), request)
            .await?;
        out.client_secret_descriptor().cloned().ok_or_else(|| {
            CloudError::new(
                ErrorClass::Terminal,
                "NoSecretDescriptor",
                "Cognito added a secret but did not describe it",
            )
        })
    }

    /// Retires secret `secret_id` of client `client_id` in `pool_id`.
    pub async fn delete_client_secret(
        &self,
        at: &Place<'_>,
        pool_id: &str,
        client_id: &str,
        secret_id: &str,
    ) -> Result<(), CloudError> {
        let request = self
            .cognito(at)
            .await?
            .delete_user_pool_client_secret()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .client_secret_id(secret_id)
            .send();
        self.call(Call::DeleteClientSecret, at, Some(pool_id), request)
            .await?;
        Ok(())
    }
}
