//! Command-line and environment configuration, in one tree: one clap struct per command and part,
//! every flag also an environment variable, every default a constant in [`defaults`].
//!
//! Settings flow one way: `config` turns flags into the plain settings each part takes
//! ([`WorkerArgs::settings`], [`OidcArgs::settings`]); no other module parses the command line.

mod api;
pub mod defaults;
mod oidc;
mod seconds;
mod serve;
mod worker;

use std::net::SocketAddr;

use clap::{Parser, Subcommand, ValueEnum};

use ccplane_emulator::EmulatorArgs;

pub use api::{ApiArgs, AuthMode};
pub use oidc::OidcArgs;
pub use seconds::Seconds;
pub use serve::{CloudChoice, DatabaseArgs, ProcessRole, ServeArgs};
pub use worker::WorkerArgs;

/// ccplane: keeps AWS Cognito UserPoolClients in their desired state through AWS Cloud Control.
///
/// Without a command it serves: `ccplane [OPTIONS]` is `ccplane serve [OPTIONS]`.
#[derive(Debug, Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Log format.
    #[arg(long, env = "CCPLANE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `serve`'s settings, for the bare command.
    #[command(flatten)]
    pub serve: ServeArgs,
}

impl Cli {
    /// The command to run: the one named, or `serve`.
    pub fn into_command(self) -> Command {
        self.command
            .unwrap_or_else(|| Command::Serve(Box::new(self.serve)))
    }
}

/// What the binary runs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API and the reconciler (the default).
    Serve(Box<ServeArgs>),
    /// Run the Cloud Control emulator alone.
    Emulator(Box<EmulatorCommand>),
    /// Create the database if missing and apply migrations, then exit.
    Migrate(DatabaseArgs),
    /// Print the OpenAPI document and exit.
    Openapi,
    /// Create, list and revoke API tokens, directly in the database (works before any token exists).
    Token(TokenCommand),
}

/// `ccplane token …`.
#[derive(Debug, Clone, clap::Args)]
pub struct TokenCommand {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub action: TokenAction,
}

/// What to do with tokens.
#[derive(Debug, Clone, Subcommand)]
pub enum TokenAction {
    /// Create a token and print it once, to stdout.
    Create {
        /// What the token is for.
        #[arg(long, default_value = "")]
        description: String,
        /// A role in a namespace, `role:namespace` (`*` for every namespace); repeatable.
        /// Roles: viewer, editor, secret-reader, admin.
        #[arg(long = "binding", required = true, value_parser = crate::access::Binding::parse)]
        bindings: Vec<crate::access::Binding>,
        /// Days until the token expires; never when absent.
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id; it stops working on the next request.
    Revoke {
        /// The token's id (`tok_…`).
        id: String,
    },
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Settings of `ccplane emulator`.
#[derive(Debug, Clone, clap::Args)]
pub struct EmulatorCommand {
    /// Address the emulator listens on.
    #[arg(long, env = "CCPLANE_EMULATOR_ADDR", default_value = defaults::EMULATOR_ADDR)]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub emulator: EmulatorArgs,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_bare_command_serves_with_the_defaults() {
        let Command::Serve(bare) = Cli::try_parse_from(["ccplane"]).unwrap().into_command() else {
            panic!("the bare command serves");
        };
        assert_eq!(bare.addr.to_string(), defaults::ADDR);
        assert_eq!(bare.cloud, CloudChoice::Embedded);
        assert_eq!(bare.worker.lease, defaults::LEASE);
        assert_eq!(bare.api.request_timeout, defaults::REQUEST_TIMEOUT);
        let with_flag = Cli::try_parse_from(["ccplane", "--role", "api", "--lease-secs", "2.5"])
            .unwrap()
            .into_command();
        let Command::Serve(args) = with_flag else {
            panic!("flags without a command serve");
        };
        assert_eq!(args.role, ProcessRole::Api);
        assert_eq!(args.worker.lease, Seconds::millis(2500));
    }

    #[test]
    fn flag_defaults_and_the_default_settings_agree() {
        let Command::Serve(args) = Cli::try_parse_from(["ccplane", "serve"])
            .unwrap()
            .into_command()
        else {
            panic!("serve parses as serve");
        };
        let parsed = args.worker.settings();
        let default = crate::reconcile::WorkerSettings::default();
        assert_eq!(format!("{parsed:?}"), format!("{default:?}"));
        assert_eq!(
            format!("{:?}", args.api),
            format!("{:?}", ApiArgs::default())
        );
    }
}
