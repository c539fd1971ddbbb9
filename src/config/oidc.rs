//! OIDC flags: JWTs of one issuer accepted as bearer tokens next to API tokens.

use crate::access::oidc::{GroupBinding, JwksSource, OidcSettings};

use super::defaults;
use super::seconds::Seconds;

/// OIDC settings of `ccplane serve`; OIDC is on when issuer, audience and JWKS are all set.
#[derive(Debug, Clone, clap::Args)]
pub struct OidcArgs {
    /// Issuer (`iss`) whose JWTs are accepted as bearer tokens, e.g.
    /// `https://login.example.com/realms/ops`. Needs `--oidc-audience` and `--oidc-jwks`.
    #[arg(long, env = "CCPLANE_OIDC_ISSUER", requires_all = ["oidc_audience", "oidc_jwks"])]
    pub oidc_issuer: Option<String>,
    /// Audience (`aud`) a JWT must name: ccplane's client id at the issuer.
    #[arg(long, env = "CCPLANE_OIDC_AUDIENCE", requires_all = ["oidc_issuer", "oidc_jwks"])]
    pub oidc_audience: Option<String>,
    /// The issuer's signing keys (JWKS): a file, or an `http(s)://` URL.
    #[arg(long, env = "CCPLANE_OIDC_JWKS", value_parser = JwksSource::parse,
          requires_all = ["oidc_issuer", "oidc_audience"])]
    pub oidc_jwks: Option<JwksSource>,
    /// Seconds between re-reads of the JWKS (a token with an unknown `kid` re-reads it sooner).
    #[arg(long = "oidc-jwks-refresh-secs", env = "CCPLANE_OIDC_JWKS_REFRESH_SECS",
          default_value_t = defaults::OIDC_JWKS_REFRESH)]
    pub oidc_jwks_refresh: Seconds,
    /// The claim listing a JWT's groups (an array of strings, or one string); when no claim has
    /// the whole name, dots walk into nested objects (`realm_access.roles`).
    #[arg(long, env = "CCPLANE_OIDC_GROUPS_CLAIM", default_value = defaults::OIDC_GROUPS_CLAIM)]
    pub oidc_groups_claim: String,
    /// A binding for the members of a group, `GROUP=ROLE:NAMESPACE` (e.g. `platform-admins=admin:*`,
    /// `payments-devs=editor:payments`); repeatable (comma-separated in the environment, so
    /// group names cannot contain commas).
    #[arg(long = "oidc-binding", env = "CCPLANE_OIDC_BINDINGS", value_delimiter = ',',
          value_parser = GroupBinding::parse)]
    pub oidc_bindings: Vec<GroupBinding>,
}

impl Default for OidcArgs {
    fn default() -> Self {
        OidcArgs {
            oidc_issuer: None,
            oidc_audience: None,
            oidc_jwks: None,
            oidc_jwks_refresh: defaults::OIDC_JWKS_REFRESH,
            oidc_groups_claim: defaults::OIDC_GROUPS_CLAIM.into(),
            oidc_bindings: Vec::new(),
        }
    }
}

impl OidcArgs {
    /// What the verifier needs, or `None` when OIDC is off.
    pub fn settings(&self) -> Option<OidcSettings> {
        Some(OidcSettings {
            issuer: self.oidc_issuer.clone()?,
            audience: self.oidc_audience.clone()?,
            jwks: self.oidc_jwks.clone()?,
            jwks_refresh: self.oidc_jwks_refresh.get(),
            groups_claim: self.oidc_groups_claim.clone(),
            bindings: self.oidc_bindings.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_flags_come_all_three_or_not_at_all() {
        use clap::Parser as _;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            oidc: OidcArgs,
        }
        let args = Cli::try_parse_from([
            "ccplane",
            "--oidc-issuer=https://idp.test",
            "--oidc-audience=ccplane",
            "--oidc-jwks=https://idp.test/jwks",
            "--oidc-binding=admins=admin:*,devs=editor:team-a",
            "--oidc-binding=ops=viewer:*",
        ])
        .unwrap()
        .oidc;
        assert_eq!(args.oidc_bindings.len(), 3);
        assert_eq!(args.oidc_groups_claim, "groups");
        assert!(args.settings().is_some());
        let off = Cli::try_parse_from(["ccplane"]).unwrap().oidc;
        assert!(off.settings().is_none());
        assert!(Cli::try_parse_from(["ccplane", "--oidc-issuer=https://idp.test"]).is_err());
        assert!(Cli::try_parse_from(["ccplane", "--oidc-binding=devs=owner:x"]).is_err());
    }
}
