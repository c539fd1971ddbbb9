//! The AWS account a namespace's clients live in, reached through `sts:AssumeRole` with ccplane's
//! own credentials (aws-config's STS provider), as ACK's cross-account resource management and
//! Crossplane's ProviderConfig do. Credentials are cached until shortly before they expire; a role
//! that cannot be assumed is not asked again until its backoff has passed, so a broken trust costs
//! one AssumeRole per backoff, not one per call.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{
    ProvideCredentials, error::CredentialsError, future::ProvideCredentials as CredentialsFuture,
};
use tokio::sync::Mutex;

use super::error::{CloudError, ErrorClass};

/// Where a namespace's clients live: ccplane's own account, or one reached by assuming a role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Account {
    /// The role ccplane assumes to reach the account (`arn:aws:iam::ACCOUNT:role/NAME`).
    pub assume_role_arn: Option<String>,
    /// The external ID the role's trust policy asks for.
    pub external_id: Option<String>,
}

/// The budget label of ccplane's own account (its id is not known without a call).
pub const OWN_ACCOUNT: &str = "default";

impl Account {
    /// The account's twelve-digit id as the role ARN names it, or [`OWN_ACCOUNT`].
    pub fn label(&self) -> &str {
        self.assume_role_arn
            .as_deref()
            .and_then(|arn| arn.split(':').nth(4))
            .filter(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or(OWN_ACCOUNT)
    }
}

/// The error code of a role that cannot be assumed.
pub const ASSUME_ROLE_FAILED: &str = "AssumeRoleFailed";

/// Renew credentials this long before they expire.
const RENEW_BEFORE: Duration = Duration::from_secs(300);
/// The first wait after a failed AssumeRole; doubled per failure up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_secs(15);
/// The longest wait between two AssumeRole attempts of a role that keeps failing.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

enum State {
    Empty,
    Fresh(Credentials),
    Failed {
        until: Instant,
        failures: u32,
        error: CloudError,
    },
}

/// Assumed-role credentials for one (role, external ID), cached and paced.
pub(super) struct Assumed {
    role_arn: String,
    first_backoff: Duration,
    provider: AssumeRoleProvider,
    state: Mutex<State>,
}

impl std::fmt::Debug for Assumed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assumed")
            .field("role_arn", &self.role_arn)
            .finish_non_exhaustive()
    }
}

impl Assumed {
    /// A cache over `sts:AssumeRole` of `account`'s role, for calls in `region`, with ccplane's
    /// own credentials from `base`. The session is named after ccplane and the namespace.
    pub async fn new(
        base: &aws_config::SdkConfig,
        account: &Account,
        region: &str,
        session_name: &str,
        first_backoff: Duration,
    ) -> Option<Arc<Assumed>> {
        let role_arn = account.assume_role_arn.clone()?;
        let mut builder = AssumeRoleProvider::builder(role_arn.clone())
            .session_name(session_name)
            .region(aws_config::Region::new(region.to_owned()))
            .configure(base);
        if let Some(id) = &account.external_id {
            builder = builder.external_id(id);
        }
        Some(Arc::new(Assumed {
            role_arn,
            first_backoff,
            provider: builder.build().await,
            state: Mutex::new(State::Empty),
        }))
    }

    /// Fresh credentials, assuming the role again when the cached ones are about to expire; a
    /// classified error naming the role and AWS's answer while the role cannot be assumed.
    pub async fn credentials(&self) -> Result<Credentials, CloudError> {
        let mut state = self.state.lock().await;
        match &*state {
            State::Fresh(c) if !expiring(c) => return Ok(c.clone()),
            State::Failed { until, error, .. } if Instant::now() < *until => {
                return Err(error.clone());
            }
            _ => {}
        }
        let failures = match &*state {
            State::Failed { failures, .. } => *failures,
            _ => 0,
        };
        match self.provider.provide_credentials().await {
            Ok(c) => {
                tracing::info!(role = %self.role_arn, expires = ?c.expiry(), "assumed the namespace's role");
                metrics::counter!("ccplane_assume_role_total", "outcome" => "ok").increment(1);
                *state = State::Fresh(c.clone());
                Ok(c)
            }
            Err(e) => {
                let error = self.classify(&e);
                let backoff = self
                    .first_backoff
                    .saturating_mul(2u32.saturating_pow(failures.min(8)))
                    .min(MAX_BACKOFF);
                tracing::warn!(role = %self.role_arn, error = %error, retry_in = ?backoff,
                    "could not assume the namespace's role");
                metrics::counter!("ccplane_assume_role_total", "outcome" => "failed").increment(1);
                *state = State::Failed {
                    until: Instant::now() + backoff,
                    failures: failures + 1,
                    error: error.clone(),
                };
                Err(error)
            }
        }
    }

    /// How long until the next AssumeRole attempt of a failing role (zero when it is not failing).
    pub async fn retry_in(&self) -> Duration {
        match &*self.state.lock().await {
            State::Failed { until, .. } => until.saturating_duration_since(Instant::now()),
            _ => Duration::ZERO,
        }
    }

    fn classify(&self, e: &CredentialsError) -> CloudError {
        // The provider wraps STS's own error; its text carries AWS's code and message.
        let mut answer = format!("{e}");
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            answer = format!("{answer}: {s}");
            source = s.source();
        }
        CloudError::new(
            ErrorClass::Terminal,
            ASSUME_ROLE_FAILED,
            format!("could not assume {}: {answer}", self.role_arn),
        )
    }
}

fn expiring(c: &Credentials) -> bool {
    c.expiry()
        .is_some_and(|at| at <= SystemTime::now() + RENEW_BEFORE)
}

/// The SDK's view of the cache: the client asks it for credentials on every call.
#[derive(Debug, Clone)]
pub(super) struct AssumedProvider(pub Arc<Assumed>);

impl ProvideCredentials for AssumedProvider {
    fn provide_credentials<'a>(&'a self) -> CredentialsFuture<'a>
    where
        Self: 'a,
    {
        CredentialsFuture::new(async move {
            self.0
                .credentials()
                .await
                .map_err(|e| CredentialsError::provider_error(e.message))
        })
    }
}
