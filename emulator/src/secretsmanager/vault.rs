//! What Secrets Manager keeps: secrets per account and region, their versions and staging labels,
//! with the rules of the API reference (botocore `secretsmanager` 2017-10-17 documentation of
//! CreateSecret, PutSecretValue, GetSecretValue, UpdateSecretVersionStage, DescribeSecret).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng, distr::Alphanumeric, rngs::StdRng};

use crate::wire::Caller;

/// The label of the version in use.
pub const AWSCURRENT: &str = "AWSCURRENT";
/// The label of the version AWSCURRENT was last moved away from.
pub const AWSPREVIOUS: &str = "AWSPREVIOUS";

/// "Secrets Manager keeps 100 of the most recent versions, but it keeps all secret versions
/// created in the last 24 hours" (PutSecretValue); only versions without labels ("deprecated")
/// are ever removed.
const KEPT_VERSIONS: usize = 100;
const KEPT_FOR: TimeDelta = TimeDelta::hours(24);

/// A secret value: `SecretString` or `SecretBinary`, never both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretValue {
    /// `SecretString`.
    Text(String),
    /// `SecretBinary`, decoded.
    Binary(Vec<u8>),
}

/// One version of a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// `VersionId`: the `ClientRequestToken` that created it.
    pub id: String,
    /// Its value.
    pub value: SecretValue,
    /// Its staging labels, in the order they were attached.
    pub stages: Vec<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// One secret.
#[derive(Debug, Clone, PartialEq)]
pub struct Secret {
    /// `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`.
    pub arn: String,
    /// The name.
    pub name: String,
    /// `Description`.
    pub description: Option<String>,
    /// `KmsKeyId`, as given.
    pub kms_key_id: Option<String>,
    /// `Tags`, as given.
    pub tags: Vec<serde_json::Value>,
    /// `CreatedDate`.
    pub created_at: DateTime<Utc>,
    /// `LastChangedDate`.
    pub last_changed_at: DateTime<Utc>,
    /// `LastAccessedDate`: the day of the last GetSecretValue.
    pub last_accessed_on: Option<DateTime<Utc>>,
    /// The versions, oldest first.
    pub versions: Vec<Version>,
}

/// Why Secrets Manager refuses a change or a read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A secret with the name exists.
    NameTaken(String),
    /// The ClientRequestToken names a version with other data.
    VersionExists,
    /// No version has the label.
    NoVersionWithStage(String),
    /// No version has the id.
    NoVersionWithId(String),
    /// GetSecretValue named a VersionId and a VersionStage of different versions.
    StageNotOnVersion,
    /// The label is elsewhere and RemoveFromVersionId is missing.
    RemoveFromRequired {
        /// The label.
        stage: String,
        /// The version holding it.
        holder: String,
    },
    /// RemoveFromVersionId names a version without the label.
    StageNotHeld {
        /// The label.
        stage: String,
        /// The version named.
        version: String,
    },
    /// UpdateSecretVersionStage with neither MoveToVersionId nor RemoveFromVersionId.
    NothingToMove,
    /// AWSCURRENT removed without being moved.
    CurrentWithoutMove,
}

/// The answer to a PutSecretValue (or a CreateSecret with a value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    /// The version.
    pub version_id: String,
    /// Its labels now.
    pub stages: Vec<String>,
}

impl Secret {
    /// A version by id.
    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    fn holder(&self, stage: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.has(stage))
    }

    /// Versions with labels, by id: DescribeSecret's `VersionIdsToStages` ("Versions that don't
    /// have staging labels are considered deprecated").
    pub fn staged_versions(&self) -> BTreeMap<String, Vec<String>> {
        self.versions
            .iter()
            .filter(|v| !v.stages.is_empty())
            .map(|v| (v.id.clone(), v.stages.clone()))
            .collect()
    }

    /// PutSecretValue: "If you call this operation with a ClientRequestToken that matches an
    /// existing version's VersionId, and you specify the same secret data, the operation succeeds
    /// but does nothing. However, if the secret data is different, then the operation fails". A new
    /// version gets `stages`, or AWSCURRENT when none are given; the first version always gets
    /// AWSCURRENT; each label leaves the version that had it, and "If you specify AWSCURRENT, and
    /// it is already attached to another version, then Secrets Manager also moves the staging label
    /// AWSPREVIOUS to the version that AWSCURRENT was removed from."
    pub fn put(
        &mut self,
        token: &str,
        value: SecretValue,
        stages: Option<Vec<String>>,
        now: DateTime<Utc>,
    ) -> Result<Put, Refusal> {
        if let Some(existing) = self.version(token) {
            return if existing.value == value {
                Ok(Put {
                    version_id: existing.id.clone(),
                    stages: existing.stages.clone(),
                })
            } else {
                Err(Refusal::VersionExists)
            };
        }
        let mut stages = stages.unwrap_or_else(|| vec![AWSCURRENT.to_owned()]);
        if self.versions.is_empty() && !stages.iter().any(|s| s == AWSCURRENT) {
            stages.push(AWSCURRENT.to_owned());
        }
        stages.dedup();
        self.versions.push(Version {
            id: token.to_owned(),
            value,
            stages: Vec::new(),
            created_at: now,
        });
        for stage in &stages {
            self.attach(stage, token);
        }
        self.last_changed_at = now;
        self.prune(now);
        Ok(Put {
            version_id: token.to_owned(),
            stages,
        })
    }

    /// The version GetSecretValue reads: by id, by label, both (which "must refer to the same
    /// secret version"), or AWSCURRENT when neither is given.
    pub fn read(&self, version_id: Option<&str>, stage: Option<&str>) -> Result<&Version, Refusal> {
        let version = match (version_id, stage) {
            (Some(id), _) => self
                .version(id)
                .ok_or_else(|| Refusal::NoVersionWithId(id.to_owned()))?,
            (None, stage) => {
                let stage = stage.unwrap_or(AWSCURRENT);
                self.holder(stage)
                    .ok_or_else(|| Refusal::NoVersionWithStage(stage.to_owned()))?
            }
        };
        match stage {
            Some(stage) if !version.has(stage) => Err(Refusal::StageNotOnVersion),
            _ => Ok(version),
        }
    }

    /// UpdateSecretVersionStage. RemoveFromVersionId: "If the staging label you are trying to
    /// attach to one version is already attached to a different version, then you must include
    /// this parameter ... If the label is attached and you either do not specify this parameter, or
    /// the version ID does not match, then the operation fails." "Whenever you move AWSCURRENT,
    /// Secrets Manager automatically moves the label AWSPREVIOUS to the version that AWSCURRENT
    /// was removed from."
    pub fn move_stage(
        &mut self,
        stage: &str,
        remove_from: Option<&str>,
        move_to: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        if let Some(id) = move_to
            && self.version(id).is_none()
        {
            return Err(Refusal::NoVersionWithId(id.to_owned()));
        }
        let holder = self.holder(stage).map(|v| v.id.clone());
        if let Some(from) = remove_from
            && holder.as_deref() != Some(from)
        {
            return Err(Refusal::StageNotHeld {
                stage: stage.to_owned(),
                version: from.to_owned(),
            });
        }
        match (move_to, remove_from, holder) {
            (None, None, _) => return Err(Refusal::NothingToMove),
            (Some(to), None, Some(holder)) if holder != to => {
                return Err(Refusal::RemoveFromRequired {
                    stage: stage.to_owned(),
                    holder,
                });
            }
            // AWSCURRENT always names a version once there is one (a reading of ours: the
            // reference only ever moves it).
            (None, Some(_), _) if stage == AWSCURRENT => return Err(Refusal::CurrentWithoutMove),
            (Some(to), _, _) => self.attach(stage, to),
            (None, Some(from), _) => self.detach(stage, from),
        }
        self.last_changed_at = now;
        Ok(())
    }

    /// Attaches `stage` to version `id`, taking it from whichever version had it; AWSCURRENT leaves
    /// AWSPREVIOUS behind on the version it left.
    fn attach(&mut self, stage: &str, id: &str) {
        let previous = self.holder(stage).map(|v| v.id.clone());
        if previous.as_deref() == Some(id) {
            return;
        }
        if let Some(previous) = &previous {
            self.detach(stage, previous);
        }
        if let Some(version) = self.versions.iter_mut().find(|v| v.id == id) {
            version.stages.push(stage.to_owned());
        }
        if stage == AWSCURRENT
            && let Some(previous) = previous
        {
            self.attach(AWSPREVIOUS, &previous);
        }
    }

    fn detach(&mut self, stage: &str, id: &str) {
        if let Some(version) = self.versions.iter_mut().find(|v| v.id == id) {
            version.stages.retain(|s| s != stage);
        }
    }

    /// Drops deprecated versions beyond the 100 most recent that are older than 24 hours.
    fn prune(&mut self, now: DateTime<Utc>) {
        let excess = self.versions.len().saturating_sub(KEPT_VERSIONS);
        let mut dropped = 0;
        self.versions.retain(|v| {
            let old = v.created_at + KEPT_FOR <= now;
            let drop = dropped < excess && v.stages.is_empty() && old;
            dropped += usize::from(drop);
            !drop
        });
    }
}

impl Version {
    fn has(&self, stage: &str) -> bool {
        self.stages.iter().any(|s| s == stage)
    }
}

/// A secret to create.
#[derive(Debug, Clone, Default)]
pub struct NewSecret {
    /// The name.
    pub name: String,
    /// `Description`.
    pub description: Option<String>,
    /// `KmsKeyId`.
    pub kms_key_id: Option<String>,
    /// `Tags`.
    pub tags: Vec<serde_json::Value>,
    /// The first version's token and value, if the request carries a value.
    pub first: Option<(String, SecretValue)>,
}

/// Every secret, per account and region, and the random source of ARN suffixes.
#[derive(Debug)]
pub struct Vault {
    partitions: HashMap<Caller, BTreeMap<String, Secret>>,
    rng: StdRng,
}

impl Vault {
    /// No secrets; ARN suffixes drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            partitions: HashMap::new(),
            // Its own stream, so that secrets never shift the ids the world draws.
            rng: StdRng::seed_from_u64(seed ^ 0x5ec2_e75a_a9e2),
        }
    }

    /// The secret `secret_id` names in `caller`'s account and region: by name or by its full ARN.
    pub fn find(&self, caller: &Caller, secret_id: &str) -> Option<&Secret> {
        let secrets = self.partitions.get(caller)?;
        secrets
            .get(secret_id)
            .or_else(|| secrets.values().find(|s| s.arn == secret_id))
    }

    /// The same secret, to change.
    pub fn find_mut(&mut self, caller: &Caller, secret_id: &str) -> Option<&mut Secret> {
        let secrets = self.partitions.get_mut(caller)?;
        let name = match secrets.get(secret_id) {
            Some(_) => secret_id.to_owned(),
            None => secrets.values().find(|s| s.arn == secret_id)?.name.clone(),
        };
        secrets.get_mut(&name)
    }

    /// CreateSecret. A name in use is refused, except for the documented replay: "If a version
    /// with this value already exists and the version SecretString and SecretBinary values are the
    /// same as those in the request, then the request is ignored"; with other data, "the request
    /// fails because you cannot modify an existing version".
    pub fn create(
        &mut self,
        caller: &Caller,
        new: NewSecret,
        now: DateTime<Utc>,
    ) -> Result<(Secret, Option<Put>), Refusal> {
        if let Some(existing) = self.find(caller, &new.name) {
            return replay_create(existing, &new);
        }
        let arn = format!(
            "arn:aws:secretsmanager:{}:{}:secret:{}-{}",
            caller.region,
            caller.account,
            new.name,
            self.suffix()
        );
        let mut secret = Secret {
            arn,
            name: new.name.clone(),
            description: new.description,
            kms_key_id: new.kms_key_id,
            tags: new.tags,
            created_at: now,
            last_changed_at: now,
            last_accessed_on: None,
            versions: Vec::new(),
        };
        let put = match new.first {
            Some((token, value)) => Some(secret.put(&token, value, None, now)?),
            None => None,
        };
        let secrets = self.partitions.entry(caller.clone()).or_default();
        secrets.insert(new.name, secret.clone());
        Ok((secret, put))
    }

    /// Six random characters, as Secrets Manager adds to every ARN.
    fn suffix(&mut self) -> String {
        (0..6)
            .map(|_| self.rng.sample(Alphanumeric) as char)
            .collect()
    }
}

/// A CreateSecret of a name in use: the documented replay of its first version, or a refusal.
fn replay_create(existing: &Secret, new: &NewSecret) -> Result<(Secret, Option<Put>), Refusal> {
    let Some((token, value)) = &new.first else {
        return Err(Refusal::NameTaken(new.name.clone()));
    };
    match existing.version(token) {
        Some(version) if &version.value == value => {
            let put = Put {
                version_id: version.id.clone(),
                stages: version.stages.clone(),
            };
            Ok((existing.clone(), Some(put)))
        }
        Some(_) => Err(Refusal::VersionExists),
        None => Err(Refusal::NameTaken(new.name.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller() -> Caller {
        Caller {
            account: "123456789012".into(),
            region: "us-east-1".into(),
        }
    }

    fn text(s: &str) -> SecretValue {
        SecretValue::Text(s.into())
    }

    fn created(vault: &mut Vault) -> Secret {
        let new = NewSecret {
            name: "app/db".into(),
            first: Some(("v1".repeat(16), text("one"))),
            ..Default::default()
        };
        vault.create(&caller(), new, Utc::now()).unwrap().0
    }

    #[test]
    fn the_arn_names_the_partition_and_six_random_characters() {
        let mut vault = Vault::new(1);
        let secret = created(&mut vault);
        let prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-";
        let suffix = secret.arn.strip_prefix(prefix).unwrap();
        assert_eq!(suffix.len(), 6);
        assert!(vault.find(&caller(), &secret.arn).is_some());
        assert!(vault.find(&caller(), "app/db").is_some());
    }

    #[test]
    fn moving_awscurrent_leaves_awsprevious_behind() {
        let mut vault = Vault::new(1);
        created(&mut vault);
        let secret = vault.find_mut(&caller(), "app/db").unwrap();
        let (v1, v2) = ("v1".repeat(16), "v2".repeat(16));
        let pending = Some(vec!["AWSPENDING".to_owned()]);
        secret.put(&v2, text("two"), pending, Utc::now()).unwrap();
        assert_eq!(
            secret.move_stage(AWSCURRENT, None, Some(&v2), Utc::now()),
            Err(Refusal::RemoveFromRequired {
                stage: AWSCURRENT.into(),
                holder: v1.clone()
            })
        );
        secret
            .move_stage(AWSCURRENT, Some(&v1), Some(&v2), Utc::now())
            .unwrap();
        let staged = secret.staged_versions();
        assert_eq!(staged[&v2], ["AWSPENDING", AWSCURRENT]);
        assert_eq!(staged[&v1], [AWSPREVIOUS]);
    }

    #[test]
    fn a_token_replays_with_the_same_data_only() {
        let mut vault = Vault::new(1);
        created(&mut vault);
        let secret = vault.find_mut(&caller(), "app/db").unwrap();
        let v1 = "v1".repeat(16);
        let again = secret.put(&v1, text("one"), None, Utc::now()).unwrap();
        assert_eq!(again.stages, [AWSCURRENT]);
        assert_eq!(
            secret.put(&v1, text("other"), None, Utc::now()),
            Err(Refusal::VersionExists)
        );
        assert_eq!(secret.versions.len(), 1);
    }
}
