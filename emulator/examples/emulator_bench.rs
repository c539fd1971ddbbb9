//! Load generator for the emulator: GetResourceRequestStatus at N connections; requests/s, p50, p99.

// Run with `cargo run --release --example emulator_bench`. A command-line tool whose output is its
// report, so it prints to stdout rather than through `tracing` (rule 20 is about the service's logs).

use std::time::{Duration, Instant};

use ccplane_emulator::{Emulator, EmulatorArgs, QuotaArgs};
use clap::Parser;
use reqwest::Client;
use serde_json::{Value, json};

/// Benchmarks GetResourceRequestStatus against an in-process emulator (or one at `--endpoint`).
#[derive(Debug, Clone, Parser)]
struct Args {
    /// An emulator already running; when absent, one is started in this process on loopback.
    #[arg(long)]
    endpoint: Option<String>,
    /// Concurrent connections, one request in flight on each.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Measured seconds.
    #[arg(long, default_value_t = 10)]
    duration_secs: u64,
    /// Seconds of requests sent before measuring.
    #[arg(long, default_value_t = 1)]
    warmup_secs: u64,
    /// Cloud Control's rate of the in-process emulator. Quotas stay on (their buckets and counters
    /// are on the hot path being measured); the default is high enough that nothing is throttled,
    /// so the figure is the machinery's cost, not throttled answers. AWS's own is 25.
    #[arg(long, default_value_t = 1_000_000.0)]
    cloud_control_rps: f64,
    /// Turn every quota off in the in-process emulator (`--no-quotas`).
    #[arg(long)]
    no_quotas: bool,
    /// Exit 1 when the rate is under this many requests per second.
    #[arg(long, default_value_t = 5000.0)]
    target: f64,
}

const POOL: &str = "us-east-1_benchPool";
const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIAEMU123456789012/20240101/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (endpoint, _emulator) = match &args.endpoint {
        Some(url) => (url.clone(), None),
        None => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let emulator = Emulator::start(
                listener,
                EmulatorArgs {
                    user_pools: vec![POOL.into()],
                    seed: Some(1),
                    quotas: QuotaArgs {
                        cloud_control_rps: args.cloud_control_rps,
                        no_quotas: args.no_quotas,
                        ..QuotaArgs::default()
                    },
                    ..Default::default()
                },
            )
            .await?;
            (emulator.endpoint_url(), Some(emulator))
        }
    };
    let token = prepare(&endpoint).await?;
    let body = json!({ "RequestToken": token }).to_string();
    let warmup = Duration::from_secs(args.warmup_secs);
    let measured = Duration::from_secs(args.duration_secs);
    let start = Instant::now() + warmup;
    let end = start + measured;
    let workers: Vec<_> = (0..args.connections)
        .map(|_| tokio::spawn(worker(endpoint.clone(), body.clone(), start, end)))
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await??;
        latencies.extend(l);
        errors += e;
    }
    report(&args, &latencies, errors, measured)
}

/// Creates a client and returns the RequestToken of its (settled) create.
async fn prepare(endpoint: &str) -> anyhow::Result<String> {
    let http = Client::new();
    let desired = json!({ "UserPoolId": POOL, "ClientName": "bench" }).to_string();
    let out = call(
        &http,
        endpoint,
        "CreateResource",
        json!({
            "TypeName": "AWS::Cognito::UserPoolClient",
            "DesiredState": desired,
        }),
    )
    .await?;
    let token = out["ProgressEvent"]["RequestToken"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no RequestToken in {out}"))?
        .to_owned();
    let status = call(
        &http,
        endpoint,
        "GetResourceRequestStatus",
        json!({ "RequestToken": token }),
    )
    .await?;
    anyhow::ensure!(
        status["ProgressEvent"]["OperationStatus"] == "SUCCESS",
        "the create did not succeed: {status}"
    );
    Ok(token)
}

async fn call(http: &Client, endpoint: &str, op: &str, body: Value) -> anyhow::Result<Value> {
    let response = http
        .post(endpoint)
        .header("x-amz-target", format!("CloudApiService.{op}"))
        .header("content-type", "application/x-amz-json-1.0")
        .header("authorization", AUTH)
        .body(body.to_string())
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "{op}: HTTP {}",
        response.status()
    );
    Ok(response.json().await?)
}

/// One connection polling the same token; latencies (µs) of requests sent in the measured window.
async fn worker(
    endpoint: String,
    body: String,
    start: Instant,
    end: Instant,
) -> anyhow::Result<(Vec<u32>, u64)> {
    let http = Client::builder().pool_max_idle_per_host(1).build()?;
    let mut latencies = Vec::with_capacity(100_000);
    let mut errors = 0;
    loop {
        let sent = Instant::now();
        if sent >= end {
            break;
        }
        let response = http
            .post(&endpoint)
            .header("x-amz-target", "CloudApiService.GetResourceRequestStatus")
            .header("content-type", "application/x-amz-json-1.0")
            .header("authorization", AUTH)
            .body(body.clone())
            .send()
            .await;
        let ok = match response {
            Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
            Err(_) => false,
        };
        if sent >= start {
            if ok {
                latencies.push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32);
            } else {
                errors += 1;
            }
        }
    }
    Ok((latencies, errors))
}

fn report(args: &Args, latencies: &[u32], errors: u64, measured: Duration) -> anyhow::Result<()> {
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let pct = |p: f64| -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        f64::from(sorted[i]) / 1000.0
    };
    let rate = sorted.len() as f64 / measured.as_secs_f64();
    println!(
        "GetResourceRequestStatus: {} connections, {:.0} s: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        args.connections,
        measured.as_secs_f64(),
        rate,
        pct(0.50),
        pct(0.99),
        errors
    );
    let verdict = if rate >= args.target { "PASS" } else { "MISS" };
    println!("target {:.0} requests/s: {verdict}", args.target);
    anyhow::ensure!(rate >= args.target && errors == 0, "below target or errors");
    Ok(())
}
