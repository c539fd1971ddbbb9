//! An app client's secrets as Cognito keeps them since it can rotate them (cognito-idp API
//! reference: AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret,
//! ClientSecretDescriptorType): "up to 2 active secrets per app client", ids
//! `<client-id>--<epoch-create-time>`, and "You cannot delete the last remaining secret".

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Active secrets per app client ("Supports up to 2 active secrets per app client").
pub const MAX_SECRETS: usize = 2;

/// One active secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSecret {
    /// `ClientSecretId`: `<client-id>--<epoch milliseconds>`.
    pub id: String,
    /// The value clients authenticate with.
    pub value: String,
    /// `ClientSecretCreateDate`.
    pub created_at: DateTime<Utc>,
}

/// The secrets of one app client, oldest first, and which one it was created with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientSecrets {
    active: Vec<ClientSecret>,
    original: Option<String>,
}

/// Why a change to a client's secrets is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretRefusal {
    /// Two secrets are active already.
    Full,
    /// The secret named is not one of the client's.
    Unknown,
    /// The secret named is the client's last one.
    Last,
}

impl ClientSecrets {
    /// The secrets of a client created with `value` (`GenerateSecret: true`) at `created_at`.
    pub fn created_with(client_id: &str, value: String, created_at: DateTime<Utc>) -> Self {
        let mut secrets = Self::default();
        let id = secrets.push(client_id, value, created_at);
        secrets.original = Some(id);
        secrets
    }

    /// The active secrets, oldest first.
    pub fn active(&self) -> &[ClientSecret] {
        &self.active
    }

    /// Whether the client has no secret at all (a public client).
    pub fn is_empty(&self) -> bool {
        self.active.is_empty()
    }

    /// Adds a secret; its descriptor.
    pub fn add(
        &mut self,
        client_id: &str,
        value: String,
        created_at: DateTime<Utc>,
    ) -> Result<&ClientSecret, SecretRefusal> {
        if self.active.len() >= MAX_SECRETS {
            return Err(SecretRefusal::Full);
        }
        self.push(client_id, value, created_at);
        Ok(self.active.last().expect("pushed above"))
    }

    /// Deletes the secret `id`, unless it is unknown or the last one.
    pub fn delete(&mut self, id: &str) -> Result<(), SecretRefusal> {
        let Some(i) = self.active.iter().position(|s| s.id == id) else {
            return Err(SecretRefusal::Unknown);
        };
        if self.active.len() == 1 {
            return Err(SecretRefusal::Last);
        }
        self.active.remove(i);
        Ok(())
    }

    /// The secret a client's model shows as `ClientSecret` under `shown`.
    pub fn shown(&self, shown: ShownSecret) -> Option<&ClientSecret> {
        match shown {
            ShownSecret::Oldest => self.active.first(),
            ShownSecret::Newest => self.active.last(),
            ShownSecret::Original => {
                let original = self.original.as_deref()?;
                self.active.iter().find(|s| s.id == original)
            }
        }
    }

    fn push(&mut self, client_id: &str, value: String, created_at: DateTime<Utc>) -> String {
        let id = self.unique_id(client_id, created_at);
        self.active.push(ClientSecret {
            id: id.clone(),
            value,
            created_at,
        });
        id
    }

    /// `<client-id>--<epoch>` in milliseconds, so that two secrets added within one second differ;
    /// one more millisecond when two are added within the same millisecond (the reference gives
    /// the form, not the unit).
    fn unique_id(&self, client_id: &str, created_at: DateTime<Utc>) -> String {
        let mut at = created_at;
        loop {
            let id = format!("{client_id}--{}", at.timestamp_millis());
            if self.active.iter().all(|s| s.id != id) {
                return id;
            }
            at += TimeDelta::milliseconds(1);
        }
    }
}

/// Which active secret `DescribeUserPoolClient`, and so Cloud Control's GetResource, shows as
/// `ClientSecret` once a client has more than one. The reference does not say: `UserPoolClientType`
/// has one `ClientSecret` member and ListUserPoolClientSecrets "never reveals the actual secret
/// value". floci (floci-io/floci PR #345, said to follow AWS) never promotes an added secret and
/// shows none once the original is gone; that reading is `original`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum ShownSecret {
    /// The oldest active secret: the one the client was created with while it lasts, then the one
    /// that replaced it. A client with one secret always shows it.
    #[default]
    Oldest,
    /// The newest active secret.
    Newest,
    /// The secret the client was created with, and none once it is deleted.
    Original,
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = "abcdefghijklmnopqrstuvwxyz";

    #[test]
    fn two_secrets_at_most_and_never_none() {
        let t0 = Utc::now();
        let mut secrets = ClientSecrets::created_with(CLIENT, "first".into(), t0);
        let second = secrets.add(CLIENT, "second".into(), t0).unwrap().clone();
        assert_ne!(
            second.id,
            secrets.active()[0].id,
            "same millisecond, other id"
        );
        assert_eq!(
            secrets.add(CLIENT, "third".into(), t0),
            Err(SecretRefusal::Full)
        );
        let first = secrets.active()[0].id.clone();
        assert_eq!(secrets.delete("nope"), Err(SecretRefusal::Unknown));
        assert_eq!(secrets.delete(&first), Ok(()));
        assert_eq!(secrets.delete(&second.id), Err(SecretRefusal::Last));
        assert!(second.id.starts_with(&format!("{CLIENT}--")));
    }

    #[test]
    fn each_reading_shows_its_secret() {
        let t0 = Utc::now();
        let mut secrets = ClientSecrets::created_with(CLIENT, "first".into(), t0);
        secrets
            .add(CLIENT, "second".into(), t0 + TimeDelta::seconds(1))
            .unwrap();
        let value =
            |s: ShownSecret, secrets: &ClientSecrets| secrets.shown(s).map(|s| s.value.clone());
        assert_eq!(
            value(ShownSecret::Oldest, &secrets).as_deref(),
            Some("first")
        );
        assert_eq!(
            value(ShownSecret::Newest, &secrets).as_deref(),
            Some("second")
        );
        let first = secrets.active()[0].id.clone();
        secrets.delete(&first).unwrap();
        assert_eq!(
            value(ShownSecret::Oldest, &secrets).as_deref(),
            Some("second")
        );
        assert_eq!(value(ShownSecret::Original, &secrets), None);
    }
}
