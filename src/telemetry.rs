//! Logging and metrics set-up.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global tracing subscriber; `RUST_LOG` overrides the default filter. With `stderr`,
/// logs go to stderr, so that a command's answer on stdout (a token) can be captured alone.
pub fn init_tracing(format: LogFormat, stderr: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,sqlx=warn,aws_smithy_runtime=warn,aws_config=warn")
    });
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match (format, stderr) {
        (LogFormat::Json, false) => builder.json().flatten_event(true).init(),
        (LogFormat::Text, false) => builder.init(),
        (LogFormat::Json, true) => builder
            .with_writer(std::io::stderr)
            .json()
            .flatten_event(true)
            .init(),
        (LogFormat::Text, true) => builder.with_writer(std::io::stderr).init(),
    }
}

/// The process-wide Prometheus recorder, installed on first use.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ];
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("seconds".into()), &buckets)
                .expect("buckets are not empty")
                .install_recorder()
                .expect("no other metrics recorder is installed")
        })
        .clone()
}
