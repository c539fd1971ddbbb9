//! The Cloud Control emulator: an AWS JSON 1.0 server with Cloud Control's resource semantics.

/// Settings of the emulator, shared by `ccplane emulator` and the embedded mode of `ccplane serve`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EmulatorArgs {
    /// User pools that exist from the start, e.g. `us-east-1_examplePoolId`.
    #[arg(long = "user-pool", env = "CCPLANE_EMULATOR_USER_POOLS", value_delimiter = ',')]
    pub user_pools: Vec<String>,
}
