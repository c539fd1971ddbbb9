//! The emulator's command-line settings, and the fault settings they start it with.

use crate::client_secrets::ShownSecret;
use crate::fate::RetryAfterMode;
use crate::faults::{FaultSettings, TokenReuse};
use crate::latency::Latency;
use crate::quotas::{self, QuotaSettings, ReadThrottleAnswer};

/// Settings of the emulator, shared by `ccplane emulator` and the embedded mode of `ccplane serve`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EmulatorArgs {
    /// User pools that exist from the start, e.g. `us-east-1_examplePoolId` (prefix `ACCOUNT:` for an
    /// account other than 123456789012).
    #[arg(
        long = "user-pool",
        env = "CCPLANE_EMULATOR_USER_POOLS",
        value_delimiter = ','
    )]
    pub user_pools: Vec<String>,
    /// Seed of every random choice (ids, latencies, faults); random when absent, and logged at start.
    #[arg(long, env = "CCPLANE_EMULATOR_SEED")]
    pub seed: Option<u64>,
    /// Time a mutation takes to settle, fixed (`2s`) or a range (`100ms..500ms`).
    #[arg(long, env = "CCPLANE_EMULATOR_LATENCY", default_value = "0s")]
    pub latency: Latency,
    /// Settle time of CreateResource, overriding `--latency`.
    #[arg(long, env = "CCPLANE_EMULATOR_CREATE_LATENCY")]
    pub create_latency: Option<Latency>,
    /// Settle time of UpdateResource, overriding `--latency`.
    #[arg(long, env = "CCPLANE_EMULATOR_UPDATE_LATENCY")]
    pub update_latency: Option<Latency>,
    /// Settle time of DeleteResource, overriding `--latency`.
    #[arg(long, env = "CCPLANE_EMULATOR_DELETE_LATENCY")]
    pub delete_latency: Option<Latency>,
    /// Delay before every API answer, fixed or a range (network and service time).
    #[arg(long, env = "CCPLANE_EMULATOR_RESPONSE_LATENCY", default_value = "0s")]
    pub response_latency: Latency,
    /// Cloud Control's rate per account and region, an older name of `--cloud-control-rps` (it
    /// wins over it when both are given).
    #[arg(long, env = "CCPLANE_EMULATOR_RATE_LIMIT", value_parser = rate)]
    pub rate_limit: Option<f64>,
    /// Probability (0 to 1) that a call is answered with `ThrottlingException`.
    #[arg(long, env = "CCPLANE_EMULATOR_THROTTLE_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub throttle_probability: f64,
    /// Probability (0 to 1) that a call is answered with HTTP 500 `InternalFailure`.
    #[arg(long, env = "CCPLANE_EMULATOR_HTTP_500_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub http_500_probability: f64,
    /// Probability (0 to 1) that the connection is closed without an answer.
    #[arg(long, env = "CCPLANE_EMULATOR_DROP_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub drop_probability: f64,
    /// Probability (0 to 1) that an accepted mutation settles `FAILED` with `Throttling`.
    #[arg(long, env = "CCPLANE_EMULATOR_ASYNC_THROTTLING_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub async_throttling_probability: f64,
    /// Probability (0 to 1) that an accepted mutation settles `FAILED` with `ServiceInternalError`.
    #[arg(long, env = "CCPLANE_EMULATOR_ASYNC_INTERNAL_ERROR_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub async_internal_error_probability: f64,
    /// The fault modes beyond the probabilities above. Boxed, so that the commands embedding these
    /// settings stay small.
    #[command(flatten)]
    pub fault_modes: Box<FaultModeArgs>,
    /// AWS's request-rate quotas.
    #[command(flatten)]
    pub quotas: QuotaArgs,
}

/// AWS's request-rate quotas per account and region, AWS's numbers by default (sources in
/// `quotas.rs`). A rate of 0 turns that quota off.
#[derive(Debug, Clone, clap::Args)]
pub struct QuotaArgs {
    /// Cloud Control calls per second, polls included; beyond it a synchronous
    /// `ThrottlingException` (unpublished: ~30 measured, 25 adopted by aws-nuke).
    #[arg(long, env = "CCPLANE_EMULATOR_CLOUD_CONTROL_RPS", default_value_t = quotas::CLOUD_CONTROL_RPS, value_parser = rate)]
    pub cloud_control_rps: f64,
    /// Cognito's UserPoolClientRead category (DescribeUserPoolClient, ListUserPoolClients, and
    /// ListUserPoolClientSecrets by our reading) per second, across all pools.
    #[arg(long, env = "CCPLANE_EMULATOR_COGNITO_READ_RPS", default_value_t = quotas::COGNITO_READ_RPS, value_parser = rate)]
    pub cognito_read_rps: f64,
    /// Cognito's UserPoolClientUpdate category (Create/Update/DeleteUserPoolClient, and
    /// Add/DeleteUserPoolClientSecret by our reading) per second, across all pools.
    #[arg(long, env = "CCPLANE_EMULATOR_COGNITO_WRITE_RPS", default_value_t = quotas::COGNITO_WRITE_RPS, value_parser = rate)]
    pub cognito_write_rps: f64,
    /// Any one of those Cognito operations on one user pool, per second.
    #[arg(long, env = "CCPLANE_EMULATOR_COGNITO_POOL_OPERATION_RPS", default_value_t = quotas::COGNITO_POOL_OPERATION_RPS, value_parser = rate)]
    pub cognito_pool_operation_rps: f64,
    /// Every quota off (for the emulator's own micro-benchmarks); `--rate-limit` still applies.
    #[arg(long, env = "CCPLANE_EMULATOR_NO_QUOTAS")]
    pub no_quotas: bool,
}

impl Default for QuotaArgs {
    /// AWS's numbers, as the flags default to.
    fn default() -> Self {
        let q = QuotaSettings::default();
        Self {
            cloud_control_rps: q.cloud_control_rps,
            cognito_read_rps: q.cognito_read_rps,
            cognito_write_rps: q.cognito_write_rps,
            cognito_pool_operation_rps: q.cognito_pool_operation_rps,
            no_quotas: false,
        }
    }
}

/// The quotas these flags describe (`--rate-limit` is applied with the fault settings).
impl From<&QuotaArgs> for QuotaSettings {
    fn from(a: &QuotaArgs) -> Self {
        if a.no_quotas {
            return QuotaSettings::OFF;
        }
        Self {
            cloud_control_rps: a.cloud_control_rps,
            cognito_read_rps: a.cognito_read_rps,
            cognito_write_rps: a.cognito_write_rps,
            cognito_pool_operation_rps: a.cognito_pool_operation_rps,
        }
    }
}

/// Fault modes of AWS's own making: token reuse, RetryAfter, failures before and after the work,
/// lost answers, cancels after the work, how long requests stay PENDING or CANCEL_IN_PROGRESS, and
/// the readings of the client-secret operations.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FaultModeArgs {
    /// How a ClientToken reused with the same parameters is answered: `replay` the original
    /// request, or `conflict` (ClientTokenConflictException).
    #[arg(
        long,
        env = "CCPLANE_EMULATOR_CLIENT_TOKEN_REUSE",
        value_enum,
        default_value_t
    )]
    pub client_token_reuse: TokenReuse,
    /// What progress events say in RetryAfter: `settle` (when the request settles), `past` (a
    /// moment already past) or `absent`.
    #[arg(
        long,
        env = "CCPLANE_EMULATOR_RETRY_AFTER",
        value_enum,
        default_value_t
    )]
    pub retry_after: RetryAfterMode,
    /// Refuse `EnablePropagateAdditionalUserContextData` on a client without a secret. AWS documents
    /// "you can only activate it in an app client that has a client secret" but no refusal is
    /// recorded, and the shared fixture `seed-custom-auth` sets it without one; the default accepts,
    /// this flag tries the other reading.
    #[arg(long, env = "CCPLANE_EMULATOR_REFUSE_CONTEXT_DATA_WITHOUT_SECRET")]
    pub refuse_context_data_without_secret: bool,
    /// Refuse the code and implicit flows without callback URLs even while
    /// AllowedOAuthFlowsUserPoolClient is false. Cognito's refusal is recorded only with OAuth on;
    /// the default leaves inert flows alone, this flag tries the other reading.
    #[arg(long, env = "CCPLANE_EMULATOR_CHECK_CALLBACKS_WITH_OAUTH_OFF")]
    pub check_callbacks_with_oauth_off: bool,
    /// Let an UpdateResource patch's `remove` of a field Cognito defaults reset it to the default.
    /// Probed live on AWS (go-to-k/cdk-real-drift #1613, #1689), such a remove reports SUCCESS and
    /// the live value stays; the default keeps it, this flag tries the other reading.
    #[arg(long, env = "CCPLANE_EMULATOR_REMOVE_RESETS_DEFAULTS")]
    pub remove_resets_defaults: bool,
    /// How a GetResource or ListResources that Cognito throttles is answered (not recorded):
    /// `throttling`, Cloud Control's own `ThrottlingException` (the handler's `Throttling` mapped to
    /// the shape the Cloud Control model lists), or `general-service`, `GeneralServiceException`
    /// carrying Cognito's `TooManyRequestsException`. HTTP 400 either way.
    #[arg(
        long,
        env = "CCPLANE_EMULATOR_READ_THROTTLE_ANSWER",
        value_enum,
        default_value_t
    )]
    pub read_throttle_answer: ReadThrottleAnswer,
    /// Probability (0 to 1) that an accepted mutation settles `FAILED` with `--async-failure-code`.
    #[arg(long, env = "CCPLANE_EMULATOR_ASYNC_FAILURE_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub async_failure_probability: f64,
    /// The HandlerErrorCode of `--async-failure-probability` (default `GeneralServiceException`).
    #[arg(long, env = "CCPLANE_EMULATOR_ASYNC_FAILURE_CODE")]
    pub async_failure_code: Option<String>,
    /// The StatusMessage of `--async-failure-probability` (default: a Cognito-style message).
    #[arg(long, env = "CCPLANE_EMULATOR_ASYNC_FAILURE_MESSAGE")]
    pub async_failure_message: Option<String>,
    /// Probability (0 to 1) that a mutation does its work and then settles `FAILED` (`Throttling`),
    /// its event carrying the Identifier.
    #[arg(long, env = "CCPLANE_EMULATOR_FAIL_AFTER_WORK_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub fail_after_work_probability: f64,
    /// Probability (0 to 1) that a mutation is accepted and the connection then closed unanswered.
    #[arg(long, env = "CCPLANE_EMULATOR_LOST_ANSWER_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub lost_answer_probability: f64,
    /// A cancel of an in-progress CREATE arrives after the handler created the client.
    #[arg(long, env = "CCPLANE_EMULATOR_CANCEL_AFTER_WORK")]
    pub cancel_after_work: bool,
    /// Time an accepted request stays `PENDING` before its handler starts.
    #[arg(long, env = "CCPLANE_EMULATOR_PENDING_LATENCY", default_value = "0s")]
    pub pending_latency: Latency,
    /// Time a cancelled in-progress request stays `CANCEL_IN_PROGRESS` (zero: until the next call).
    #[arg(long, env = "CCPLANE_EMULATOR_CANCEL_LATENCY", default_value = "0s")]
    pub cancel_latency: Latency,
    /// Which active secret GetResource shows as `ClientSecret` once a client has two (not
    /// documented): `oldest` (the one it was created with while it lasts, then its successor),
    /// `newest`, or `original` (the one it was created with, and none once that is deleted: the
    /// reading of floci-io/floci PR #345).
    #[arg(
        long,
        env = "CCPLANE_EMULATOR_SHOWN_CLIENT_SECRET",
        value_enum,
        default_value_t
    )]
    pub shown_client_secret: ShownSecret,
    /// Let AddUserPoolClientSecret give a client created without a secret (a public client) one.
    /// The reference adds secrets to "an existing confidential user pool app client" only, so the
    /// default refuses it (`InvalidParameterException`); this flag tries the other reading.
    #[arg(long, env = "CCPLANE_EMULATOR_ALLOW_SECRET_ON_PUBLIC_CLIENT")]
    pub allow_secret_on_public_client: bool,
    /// Probability (0 to 1) that a cognito-idp or Secrets Manager call that changes something is
    /// done and the connection then closed unanswered.
    #[arg(long, env = "CCPLANE_EMULATOR_API_LOST_ANSWER_PROBABILITY", default_value_t = 0.0, value_parser = probability)]
    pub api_lost_answer_probability: f64,
}

fn rate(s: &str) -> Result<f64, String> {
    let r: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if r.is_finite() && r >= 0.0 {
        Ok(r)
    } else {
        Err(format!(
            "{r} is not a rate: requests per second, 0 (off) or more"
        ))
    }
}

fn probability(s: &str) -> Result<f64, String> {
    let p: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{p} is not between 0 and 1"))
    }
}

/// The fault settings these flags describe.
impl From<&EmulatorArgs> for FaultSettings {
    fn from(a: &EmulatorArgs) -> Self {
        let m = &a.fault_modes;
        Self {
            latency: a.latency,
            create_latency: a.create_latency,
            update_latency: a.update_latency,
            delete_latency: a.delete_latency,
            response_latency: a.response_latency,
            rate_limit: a.rate_limit,
            throttle_probability: a.throttle_probability,
            http_500_probability: a.http_500_probability,
            drop_probability: a.drop_probability,
            async_throttling_probability: a.async_throttling_probability,
            async_internal_error_probability: a.async_internal_error_probability,
            client_token_reuse: m.client_token_reuse,
            refuse_context_data_without_secret: m.refuse_context_data_without_secret,
            check_callbacks_with_oauth_off: m.check_callbacks_with_oauth_off,
            remove_resets_defaults: m.remove_resets_defaults,
            retry_after: m.retry_after,
            read_throttle_answer: m.read_throttle_answer,
            async_failure_probability: m.async_failure_probability,
            async_failure_code: m.async_failure_code.clone(),
            async_failure_message: m.async_failure_message.clone(),
            fail_after_work_probability: m.fail_after_work_probability,
            lost_answer_probability: m.lost_answer_probability,
            cancel_after_work: m.cancel_after_work,
            pending_latency: m.pending_latency,
            cancel_latency: m.cancel_latency,
            shown_client_secret: m.shown_client_secret,
            allow_secret_on_public_client: m.allow_secret_on_public_client,
            api_lost_answer_probability: m.api_lost_answer_probability,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        emulator: EmulatorArgs,
    }

    #[test]
    fn flags_parse_into_settings() {
        let cli = Cli::try_parse_from([
            "emulator",
            "--user-pool",
            "us-east-1_a,111122223333:eu-west-1_b",
            "--latency",
            "100ms..2s",
            "--delete-latency",
            "5s",
            "--throttle-probability",
            "0.25",
            "--rate-limit",
            "50",
            "--seed",
            "9",
        ])
        .unwrap();
        let a = cli.emulator;
        assert_eq!(a.user_pools, ["us-east-1_a", "111122223333:eu-west-1_b"]);
        assert_eq!(a.latency.max, Duration::from_secs(2));
        assert_eq!(
            a.delete_latency,
            Some(Latency::fixed(Duration::from_secs(5)))
        );
        assert_eq!(a.create_latency, None);
        assert_eq!(
            (a.throttle_probability, a.rate_limit, a.seed),
            (0.25, Some(50.0), Some(9))
        );
        assert_eq!(a.http_500_probability, 0.0);
        assert!(Cli::try_parse_from(["emulator", "--drop-probability", "1.5"]).is_err());
    }

    #[test]
    fn fault_modes_parse_from_flags() {
        let args = Cli::try_parse_from([
            "emulator",
            "--client-token-reuse",
            "conflict",
            "--retry-after",
            "past",
            "--async-failure-probability",
            "0.5",
            "--async-failure-code",
            "NotStabilized",
            "--lost-answer-probability",
            "0.1",
            "--cancel-after-work",
            "--pending-latency",
            "1s",
        ])
        .unwrap()
        .emulator;
        let f = crate::FaultSettings::from(&args);
        assert_eq!(f.client_token_reuse, TokenReuse::Conflict);
        assert_eq!(f.retry_after, RetryAfterMode::Past);
        assert_eq!(f.async_failure_code.as_deref(), Some("NotStabilized"));
        assert!(f.cancel_after_work);
        assert_eq!(f.pending_latency.max, Duration::from_secs(1));
        let d = Cli::try_parse_from(["emulator"]).unwrap().emulator;
        assert_eq!(
            crate::FaultSettings::from(&d),
            crate::FaultSettings::default()
        );
    }

    #[test]
    fn the_client_secret_readings_parse_from_flags() {
        let args = Cli::try_parse_from([
            "emulator",
            "--shown-client-secret",
            "original",
            "--allow-secret-on-public-client",
            "--api-lost-answer-probability",
            "0.5",
        ])
        .unwrap()
        .emulator;
        let f = crate::FaultSettings::from(&args);
        assert_eq!(f.shown_client_secret, ShownSecret::Original);
        assert!(f.allow_secret_on_public_client);
        assert_eq!(f.api_lost_answer_probability, 0.5);
        let d = Cli::try_parse_from(["emulator"]).unwrap().emulator;
        assert_eq!(d.fault_modes.shown_client_secret, ShownSecret::Oldest);
    }

    #[test]
    fn defaults_mean_no_faults_and_no_latency() {
        let a = Cli::try_parse_from(["emulator"]).unwrap().emulator;
        let d = EmulatorArgs::default();
        assert!(a.latency.is_zero() && d.latency.is_zero() && a.response_latency.is_zero());
        assert_eq!((a.drop_probability, d.drop_probability), (0.0, 0.0));
        assert_eq!(a.rate_limit, None);
    }

    #[test]
    fn quota_flags_default_to_awss_numbers_and_parse() {
        let d = Cli::try_parse_from(["emulator"]).unwrap().emulator;
        assert_eq!(QuotaSettings::from(&d.quotas), QuotaSettings::default());
        assert_eq!(
            QuotaSettings::from(&EmulatorArgs::default().quotas),
            QuotaSettings::default()
        );
        let a = Cli::try_parse_from([
            "emulator",
            "--cloud-control-rps",
            "30",
            "--cognito-read-rps",
            "20",
            "--cognito-pool-operation-rps",
            "0",
            "--read-throttle-answer",
            "general-service",
        ])
        .unwrap()
        .emulator;
        let q = QuotaSettings::from(&a.quotas);
        assert_eq!((q.cloud_control_rps, q.cognito_read_rps), (30.0, 20.0));
        assert_eq!(
            (q.cognito_write_rps, q.cognito_pool_operation_rps),
            (15.0, 0.0)
        );
        assert_eq!(
            FaultSettings::from(&a).read_throttle_answer,
            ReadThrottleAnswer::GeneralService
        );
        let off = Cli::try_parse_from(["emulator", "--no-quotas"])
            .unwrap()
            .emulator;
        assert_eq!(QuotaSettings::from(&off.quotas), QuotaSettings::OFF);
        assert!(Cli::try_parse_from(["emulator", "--cognito-write-rps", "-1"]).is_err());
    }

    #[test]
    fn latency_parses_fixed_values_and_ranges() {
        assert_eq!("2s".parse(), Ok(Latency::fixed(Duration::from_secs(2))));
        assert_eq!("0".parse(), Ok(Latency::default()));
        let range: Latency = "100ms..1.5s".parse().unwrap();
        assert_eq!(range.min, Duration::from_millis(100));
        assert_eq!(range.max, Duration::from_millis(1500));
        assert!("2s..1s".parse::<Latency>().is_err());
        assert!("2".parse::<Latency>().is_err());
        assert_eq!(range.to_string().parse(), Ok(range));
    }
}
