//! Accounts as STS reaches them: roles registered with a trust, and the temporary credentials
//! AssumeRole issued, each expiring on the emulator's clock.

use std::collections::{BTreeMap, HashMap};

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use rand::{Rng, SeedableRng, distr::Alphanumeric, rngs::StdRng};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::wire::account_of;

/// A session's length when AssumeRole names no DurationSeconds, and a role's MaxSessionDuration
/// when it was registered without one (STS API reference, AssumeRole: "By default, the value is
/// set to 3600 seconds"; IAM API reference, CreateRole: MaxSessionDuration defaults to one hour).
pub const DEFAULT_SESSION_SECONDS: u32 = 3600;

/// The longest MaxSessionDuration IAM allows a role (IAM API reference, CreateRole:
/// MaxSessionDuration 3600 to 43200), which is also the top of STS's `roleDurationSecondsType`.
pub const MAX_SESSION_SECONDS: u32 = 43_200;

/// The longest session of a role assumed with another role's credentials (IAM User Guide,
/// "Role chaining limits your AWS CLI or AWS API role session to a maximum of one hour").
pub const CHAINED_SESSION_SECONDS: u32 = 3600;

/// Marks access keys of temporary credentials (IAM User Guide, "Unique identifiers": `ASIA` is
/// the prefix of temporary AWS STS access keys).
const TEMPORARY_KEY_PREFIX: &str = "ASIA";

/// A role registered through the control API, and whom it trusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Role {
    /// `arn:aws:iam::ACCOUNT:role/[PATH/]NAME`.
    pub role_arn: String,
    /// Accounts whose principals may assume the role; absent means any account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_accounts: Option<Vec<String>>,
    /// The `sts:ExternalId` the trust policy requires, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The role's MaxSessionDuration, 3600 to 43200 seconds.
    #[serde(default = "default_session_seconds")]
    pub max_session_duration_seconds: u32,
}

fn default_session_seconds() -> u32 {
    DEFAULT_SESSION_SECONDS
}

/// The parts of a role ARN, as IAM writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleArn {
    /// The twelve-digit account that owns the role.
    pub account: String,
    /// The role's name, without its path (assumed-role ARNs carry the name only).
    pub name: String,
}

impl RoleArn {
    /// Parses `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` (IAM User Guide, "IAM identifiers":
    /// role names of `[\w+=,.@-]`, at most 64 characters; paths of `/`-separated segments).
    pub fn parse(arn: &str) -> Option<Self> {
        static PATTERN: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
            Regex::new(
                r"^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,64})$",
            )
            .expect("role ARN pattern")
        });
        let caps = PATTERN.captures(arn)?;
        Some(Self {
            account: caps[1].to_owned(),
            name: caps[2].to_owned(),
        })
    }
}

impl Role {
    /// Checks a registration as IAM would: the ARN, twelve-digit accounts, STS's `externalIdType`,
    /// and IAM's MaxSessionDuration range. Returns why it is refused.
    pub fn check(&self) -> Result<(), String> {
        if RoleArn::parse(&self.role_arn).is_none() {
            return Err(format!(
                "roleArn `{}` is not a role ARN like arn:aws:iam::123456789012:role/name",
                self.role_arn
            ));
        }
        if let Some(bad) = self
            .trusted_accounts
            .iter()
            .flatten()
            .find(|a| a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!(
                "trustedAccounts: `{bad}` is not a twelve-digit account id"
            ));
        }
        if let Some(id) = &self.external_id
            && !external_id_is_valid(id)
        {
            return Err(
                "externalId must be 2 to 1224 characters of letters, digits and _+=,.@:/-".into(),
            );
        }
        if !(DEFAULT_SESSION_SECONDS..=MAX_SESSION_SECONDS)
            .contains(&self.max_session_duration_seconds)
        {
            return Err(format!(
                "maxSessionDurationSeconds must be between {DEFAULT_SESSION_SECONDS} and {MAX_SESSION_SECONDS}"
            ));
        }
        Ok(())
    }

    /// Whether the trust lets `account` assume the role with `external_id`.
    fn trusts(&self, account: &str, external_id: Option<&str>) -> bool {
        let account_trusted = self
            .trusted_accounts
            .as_ref()
            .is_none_or(|accounts| accounts.iter().any(|a| a == account));
        // A trust policy with an `sts:ExternalId` condition refuses a missing or different value;
        // one without the condition ignores whatever the caller sends (IAM User Guide, "Access to
        // AWS accounts owned by third parties").
        let external_id_matches = self
            .external_id
            .as_deref()
            .is_none_or(|wanted| external_id == Some(wanted));
        account_trusted && external_id_matches
    }
}

/// STS's `externalIdType` (botocore `sts` model): 2 to 1224 characters of `[\w+=,.@:/-]`.
pub fn external_id_is_valid(id: &str) -> bool {
    (2..=1224).contains(&id.chars().count())
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || "_+=,.@:/-".contains(c))
}

/// One set of temporary credentials AssumeRole issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The role's account, which the access key id ends with.
    pub account: String,
    /// The role's ARN as the caller named it.
    pub role_arn: String,
    /// The role's name.
    pub role_name: String,
    /// The RoleSessionName.
    pub session_name: String,
    /// The role's unique id (`AROA…`).
    pub role_id: String,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token.
    pub session_token: String,
    /// When the credentials stop working, in whole seconds as STS writes it.
    pub expiration: DateTime<Utc>,
}

/// Who signed a request, as GetCallerIdentity and AccessDenied messages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// Credentials the emulator never issued: the account's root user, as LocalStack reports its
    /// default credentials (`arn:aws:iam::ACCOUNT:root`, UserId the account id).
    Static {
        /// The account the access key id names.
        account: String,
    },
    /// Credentials AssumeRole issued.
    AssumedRole(Box<Session>),
}

impl Identity {
    /// The account of the calling entity.
    pub fn account(&self) -> &str {
        match self {
            Self::Static { account } => account,
            Self::AssumedRole(s) => &s.account,
        }
    }

    /// The ARN of the calling entity: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` for a role
    /// session (STS API reference, AssumeRole, AssumedRoleUser).
    pub fn arn(&self) -> String {
        match self {
            Self::Static { account } => format!("arn:aws:iam::{account}:root"),
            Self::AssumedRole(s) => format!(
                "arn:aws:sts::{}:assumed-role/{}/{}",
                s.account, s.role_name, s.session_name
            ),
        }
    }

    /// The `aws:userid` of the calling entity: the account for root, `ROLEID:SESSION` for a role
    /// session (IAM User Guide, "Policy variables", principal table).
    pub fn user_id(&self) -> String {
        match self {
            Self::Static { account } => account.clone(),
            Self::AssumedRole(s) => format!("{}:{}", s.role_id, s.session_name),
        }
    }
}

/// Why credentials cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expired;

/// A request to assume a role, already checked against STS's input constraints.
#[derive(Debug, Clone)]
pub struct AssumeRequest<'a> {
    /// RoleArn.
    pub role_arn: &'a str,
    /// The parsed RoleArn.
    pub role: RoleArn,
    /// RoleSessionName.
    pub session_name: &'a str,
    /// ExternalId.
    pub external_id: Option<&'a str>,
    /// DurationSeconds, if given.
    pub duration_seconds: Option<u32>,
}

/// Why AssumeRole refused after its input checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The trust does not allow the caller (or its external id).
    NotTrusted,
    /// The duration exceeds the role's MaxSessionDuration.
    BeyondMaxSession,
    /// A role session asked for more than role chaining allows.
    BeyondChaining,
}

/// Roles, issued credentials and AssumeRole counters.
#[derive(Debug)]
pub struct Accounts {
    roles: BTreeMap<String, Role>,
    role_ids: HashMap<String, String>,
    sessions: HashMap<String, Session>,
    assume_role_calls: BTreeMap<(String, &'static str), u64>,
    rng: StdRng,
}

impl Accounts {
    /// No roles and no sessions; ids drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            roles: BTreeMap::new(),
            role_ids: HashMap::new(),
            sessions: HashMap::new(),
            assume_role_calls: BTreeMap::new(),
            // Its own stream, so that issuing credentials never shifts the ids the world draws.
            rng: StdRng::seed_from_u64(seed ^ 0x5354_535f_5345_4544),
        }
    }

    /// Registers (or replaces) a role and its trust.
    pub fn register(&mut self, role: Role) {
        self.roles.insert(role.role_arn.clone(), role);
    }

    /// Forgets a registered role; whether it was there.
    pub fn deregister(&mut self, role_arn: &str) -> bool {
        self.roles.remove(role_arn).is_some()
    }

    /// The registered roles, by ARN.
    pub fn roles(&self) -> Vec<Role> {
        self.roles.values().cloned().collect()
    }

    /// Who signed with `access_key_id` at `now`; issued credentials past their expiration fail.
    pub fn identity(&self, access_key_id: &str, now: DateTime<Utc>) -> Result<Identity, Expired> {
        match self.session(access_key_id) {
            Some(s) if now >= s.expiration => Err(Expired),
            Some(s) => Ok(Identity::AssumedRole(Box::new(s.clone()))),
            None => Ok(Identity::Static {
                account: account_of(access_key_id),
            }),
        }
    }

    /// Whether `access_key_id` was issued and has expired at `now`. Keys the emulator never issued
    /// never expire, and only `ASIA` keys are looked up, so static test keys cost nothing.
    pub fn is_expired(&self, access_key_id: &str, now: DateTime<Utc>) -> bool {
        self.session(access_key_id)
            .is_some_and(|s| now >= s.expiration)
    }

    fn session(&self, access_key_id: &str) -> Option<&Session> {
        if !access_key_id.starts_with(TEMPORARY_KEY_PREFIX) {
            return None;
        }
        self.sessions.get(access_key_id)
    }

    /// Decides an AssumeRole by `caller` at `now`: trust first (a caller the role does not trust
    /// learns nothing about its MaxSessionDuration), then the session length; issues credentials.
    pub fn assume(
        &mut self,
        caller: &Identity,
        request: &AssumeRequest<'_>,
        now: DateTime<Utc>,
    ) -> Result<Session, Refusal> {
        let registered = self.roles.get(request.role_arn);
        if let Some(role) = registered
            && !role.trusts(caller.account(), request.external_id)
        {
            return Err(Refusal::NotTrusted);
        }
        let seconds = request.duration_seconds.unwrap_or(DEFAULT_SESSION_SECONDS);
        let chained = matches!(caller, Identity::AssumedRole(_));
        if chained && seconds > CHAINED_SESSION_SECONDS {
            return Err(Refusal::BeyondChaining);
        }
        let max = registered.map_or(DEFAULT_SESSION_SECONDS, |r| r.max_session_duration_seconds);
        if seconds > max {
            return Err(Refusal::BeyondMaxSession);
        }
        Ok(self.issue(request, seconds, now))
    }

    fn issue(&mut self, request: &AssumeRequest<'_>, seconds: u32, now: DateTime<Utc>) -> Session {
        let role_id = match self.role_ids.get(request.role_arn) {
            Some(id) => id.clone(),
            None => {
                let id = format!("AROA{}", self.upper_alphanumeric(17));
                self.role_ids
                    .insert(request.role_arn.to_owned(), id.clone());
                id
            }
        };
        let access_key_id = loop {
            // Twenty characters like AWS's, whose last twelve are the role's account, so that
            // `account_of` reads every later call as made in that account.
            let id = format!(
                "{TEMPORARY_KEY_PREFIX}{}{}",
                self.upper_alphanumeric(4),
                request.role.account
            );
            if !self.sessions.contains_key(&id) {
                break id;
            }
        };
        let secret: String = (0..40)
            .map(|_| self.rng.sample(Alphanumeric) as char)
            .collect();
        let token_bytes: [u8; 96] = std::array::from_fn(|_| self.rng.random());
        let expiration = (now + TimeDelta::seconds(i64::from(seconds))).trunc_subsecs(0);
        let session = Session {
            account: request.role.account.clone(),
            role_arn: request.role_arn.to_owned(),
            role_name: request.role.name.clone(),
            session_name: request.session_name.to_owned(),
            role_id,
            access_key_id: access_key_id.clone(),
            secret_access_key: secret,
            session_token: STANDARD.encode(token_bytes),
            expiration,
        };
        self.sessions.insert(access_key_id, session.clone());
        session
    }

    fn upper_alphanumeric(&mut self, n: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..n)
            .map(|_| CHARS[self.rng.random_range(0..CHARS.len())] as char)
            .collect()
    }

    /// Counts one AssumeRole of `role_arn` that ended with `outcome`.
    pub fn record_assume_role(&mut self, role_arn: &str, outcome: &'static str) {
        *self
            .assume_role_calls
            .entry((role_arn.to_owned(), outcome))
            .or_default() += 1;
    }

    /// AssumeRole calls by role and outcome.
    pub fn assume_role_calls(&self) -> Vec<AssumeRoleCount> {
        self.assume_role_calls
            .iter()
            .map(|((role_arn, outcome), count)| AssumeRoleCount {
                role_arn: role_arn.clone(),
                outcome: (*outcome).to_owned(),
                count: *count,
            })
            .collect()
    }
}

/// AssumeRole calls for one role with one outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssumeRoleCount {
    /// The RoleArn the caller asked for.
    pub role_arn: String,
    /// `Success` or the STS error code (`AccessDenied`, `ValidationError`, `ExpiredToken`).
    pub outcome: String,
    /// How many.
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_parse_with_and_without_a_path() {
        let plain = RoleArn::parse("arn:aws:iam::111122223333:role/deploy").unwrap();
        assert_eq!(
            (plain.account.as_str(), plain.name.as_str()),
            ("111122223333", "deploy")
        );
        let pathed = RoleArn::parse("arn:aws:iam::111122223333:role/team/ci/deploy").unwrap();
        assert_eq!(pathed.name, "deploy");
        assert!(RoleArn::parse("arn:aws:iam::1111:role/deploy").is_none());
        assert!(RoleArn::parse("arn:aws:iam::111122223333:user/deploy").is_none());
    }

    #[test]
    fn issued_keys_carry_the_roles_account_and_expire_on_time() {
        let mut accounts = Accounts::new(1);
        let arn = "arn:aws:iam::111122223333:role/deploy";
        let request = AssumeRequest {
            role_arn: arn,
            role: RoleArn::parse(arn).unwrap(),
            session_name: "s1",
            external_id: None,
            duration_seconds: None,
        };
        let caller = Identity::Static {
            account: "123456789012".into(),
        };
        let now = Utc::now();
        let s = accounts.assume(&caller, &request, now).unwrap();
        assert_eq!(s.access_key_id.len(), 20);
        assert!(s.access_key_id.starts_with("ASIA"));
        assert_eq!(account_of(&s.access_key_id), "111122223333");
        assert!(!accounts.is_expired(&s.access_key_id, now));
        assert!(accounts.is_expired(&s.access_key_id, now + TimeDelta::seconds(3600)));
        assert!(!accounts.is_expired("AKIAEMU111122223333", now + TimeDelta::days(9)));
    }
}
