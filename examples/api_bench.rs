//! Load generator for the UserPoolClient API: PUT (new names), GET by name and the first list page,
//! each at a fixed concurrency, reporting requests/s, p50 and p99. Run by `scripts/bench-api.sh`.
//!
//! This is a command-line tool whose output is its report, so it prints to stdout rather than
//! going through `tracing` (house style rule 20 is about the service's own logs).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;

/// Load-tests a running `ccplane serve`.
#[derive(Debug, Clone, Parser)]
struct Args {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Concurrent requests (one connection each).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Longest measured time of each phase, in seconds (the warm-up comes on top).
    #[arg(long, default_value_t = 10)]
    duration_secs: u64,
    /// Most measured requests of each phase.
    #[arg(long, default_value_t = 20_000)]
    max_requests: u64,
    /// Seconds at the start of each phase whose requests are sent but not measured.
    #[arg(long, default_value_t = 1.0)]
    warmup_secs: f64,
    /// Namespace the clients are written to.
    #[arg(long, default_value = "bench")]
    namespace: String,
    /// Prefix of the names created; defaults to one unique to this run so reruns make new names.
    #[arg(long)]
    prefix: Option<String>,
    /// Page size of the list phase.
    #[arg(long, default_value_t = 100)]
    list_limit: u32,
    /// API token sent as `Authorization: Bearer …` (from `ccplane token create`); none when absent.
    #[arg(long, env = "CCPLANE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Phases to run, in order.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "put,get,list"
    )]
    phases: Vec<Kind>,
    /// File of created names: the PUT phase writes it, a GET phase without a PUT before it reads it.
    #[arg(long)]
    names_file: Option<std::path::PathBuf>,
}

/// What one phase sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Kind {
    Put,
    Get,
    List,
    /// `GET /healthz`: the same HTTP stack and middleware with no database work, the floor under
    /// every other phase.
    Health,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Put => "put",
            Kind::Get => "get",
            Kind::List => "list",
            Kind::Health => "health",
        }
    }

    fn expected(self) -> StatusCode {
        match self {
            Kind::Put => StatusCode::CREATED,
            Kind::Get | Kind::List | Kind::Health => StatusCode::OK,
        }
    }
}

/// Shared by the workers of one phase.
struct Phase {
    kind: Kind,
    args: Args,
    /// `host:port` of the server.
    authority: String,
    /// `Bearer …`, when a token is given.
    authorization: Option<String>,
    prefix: String,
    /// Names to read (GET phase).
    names: Vec<String>,
    /// Hands out sequence numbers: new names for PUT, positions in `names` for GET.
    next: AtomicU64,
    /// Measured requests started, to stop at `max_requests`.
    measured: AtomicU64,
    warm_until: Instant,
    deadline: Instant,
}

/// One worker's observations.
#[derive(Default)]
struct Tally {
    /// Latency of each measured request, in microseconds.
    latencies_us: Vec<u64>,
    errors: u64,
    /// The first few failures, for the report.
    samples: Vec<String>,
    /// Names created, warm-up included (PUT phase).
    created: Vec<String>,
    /// When this worker's last measured request finished.
    last_done: Option<Instant>,
}

/// A phase's figures.
struct Summary {
    kind: Kind,
    requests: u64,
    errors: u64,
    seconds: f64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    samples: Vec<String>,
}

const MAX_SAMPLES: usize = 5;

// One thread, as lean as a C load generator can be: the server, Postgres and this share the cores.
#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let prefix = args.prefix.clone().unwrap_or_else(|| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        format!("b{secs}")
    });
    let authority = args
        .url
        .trim_end_matches('/')
        .strip_prefix("http://")
        .ok_or_else(|| anyhow::anyhow!("--url must be http://host:port"))?
        .to_owned();
    println!(
        "api_bench: {} concurrency={} duration={}s max_requests={} warmup={}s namespace={} prefix={} token={}",
        args.url,
        args.concurrency,
        args.duration_secs,
        args.max_requests,
        args.warmup_secs,
        args.namespace,
        prefix,
        if args.token.is_some() { "yes" } else { "no" }
    );

    let mut names = Vec::new();
    let mut report = serde_json::Map::new();
    report.insert("concurrency".into(), json!(args.concurrency));
    for &kind in &args.phases {
        if kind == Kind::Get && names.is_empty() {
            names = read_names(args.names_file.as_deref())?;
        }
        let (summary, created) = run_phase(kind, &args, &authority, &prefix, names.clone()).await?;
        print_summary(&summary);
        report.insert(kind.label().into(), summary_json(&summary));
        if kind == Kind::Put {
            if created.is_empty() {
                anyhow::bail!("the PUT phase created nothing");
            }
            if let Some(path) = &args.names_file {
                std::fs::write(path, created.join("\n"))?;
            }
            names = created;
        }
    }
    // The last line is for scripts.
    let report = serde_json::Value::Object(report);
    println!("BENCH_JSON {report}");
    Ok(())
}

async fn run_phase(
    kind: Kind,
    args: &Args,
    authority: &str,
    prefix: &str,
    names: Vec<String>,
) -> anyhow::Result<(Summary, Vec<String>)> {
    let started = Instant::now();
    let warm_until = started + Duration::from_secs_f64(args.warmup_secs);
    let phase = Arc::new(Phase {
        kind,
        args: args.clone(),
        authority: authority.to_owned(),
        authorization: args.token.as_ref().map(|t| format!("Bearer {t}")),
        prefix: prefix.to_owned(),
        names,
        next: AtomicU64::new(0),
        measured: AtomicU64::new(0),
        warm_until,
        deadline: warm_until + Duration::from_secs(args.duration_secs),
    });
    // One keep-alive connection per worker, opened before the clock starts.
    let mut workers = Vec::new();
    for _ in 0..args.concurrency {
        let connection = connect(authority).await?;
        workers.push(tokio::spawn(worker(phase.clone(), connection)));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut samples = Vec::new();
    let mut created = Vec::new();
    let mut last_done = warm_until;
    for handle in workers {
        let tally = handle.await.expect("a worker panicked");
        latencies.extend(tally.latencies_us);
        errors += tally.errors;
        samples.extend(tally.samples);
        created.extend(tally.created);
        if let Some(done) = tally.last_done {
            last_done = last_done.max(done);
        }
    }
    latencies.sort_unstable();
    samples.truncate(MAX_SAMPLES);
    let seconds = last_done.duration_since(warm_until).as_secs_f64();
    let requests = latencies.len() as u64;
    let summary = Summary {
        kind,
        requests,
        errors,
        seconds,
        rps: if seconds > 0.0 {
            requests as f64 / seconds
        } else {
            0.0
        },
        p50_ms: percentile_ms(&latencies, 0.50),
        p99_ms: percentile_ms(&latencies, 0.99),
        max_ms: latencies.last().map_or(0.0, |&us| us as f64 / 1000.0),
        samples,
    };
    Ok((summary, created))
}

/// Opens one HTTP/1.1 connection; its driver runs as a task of its own.
async fn connect(authority: &str) -> anyhow::Result<SendRequest<Full<Bytes>>> {
    let stream = tokio::net::TcpStream::connect(authority).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn worker(phase: Arc<Phase>, mut connection: SendRequest<Full<Bytes>>) -> Tally {
    let mut tally = Tally::default();
    let namespace = &phase.args.namespace;
    loop {
        let start = Instant::now();
        if start >= phase.deadline {
            break;
        }
        let measured = start >= phase.warm_until;
        if measured && phase.measured.fetch_add(1, Ordering::Relaxed) >= phase.args.max_requests {
            break;
        }
        let n = phase.next.fetch_add(1, Ordering::Relaxed);
        let mut name = None;
        let (method, path, body) = match phase.kind {
            Kind::Put => {
                let new = format!("{}-{n}", phase.prefix);
                let body = json!({"properties": {
                    "UserPoolId": "us-east-1_examplePoolId",
                    "ClientName": format!("bench-{n}"),
                    "AllowedOAuthFlowsUserPoolClient": true,
                    "AllowedOAuthFlows": ["code"],
                    "AllowedOAuthScopes": ["openid"],
                    "CallbackURLs": ["https://example.com/cb"],
                }});
                let path = format!("/v1/namespaces/{namespace}/user-pool-clients/{new}");
                name = Some(new);
                (Method::PUT, path, Some(body.to_string()))
            }
            Kind::Get => {
                let pick = &phase.names[(n % phase.names.len() as u64) as usize];
                let path = format!("/v1/namespaces/{namespace}/user-pool-clients/{pick}");
                (Method::GET, path, None)
            }
            Kind::List => {
                let path = format!(
                    "/v1/namespaces/{namespace}/user-pool-clients?limit={}",
                    phase.args.list_limit
                );
                (Method::GET, path, None)
            }
            Kind::Health => (Method::GET, "/healthz".to_owned(), None),
        };
        let outcome = send(&phase, &mut connection, method, path, body).await;
        if outcome.as_ref().is_err_and(|e| e.starts_with("transport")) {
            // A broken connection is replaced, so one failure does not end the worker.
            match connect(&phase.authority).await {
                Ok(fresh) => connection = fresh,
                Err(_) => break,
            }
        }
        let done = Instant::now();
        if let (Ok(()), Some(name)) = (&outcome, name) {
            tally.created.push(name);
        }
        if !measured {
            continue;
        }
        tally
            .latencies_us
            .push(done.duration_since(start).as_micros() as u64);
        tally.last_done = Some(done);
        if let Err(message) = outcome {
            tally.errors += 1;
            if tally.samples.len() < MAX_SAMPLES {
                tally.samples.push(message);
            }
        }
    }
    tally
}

/// Sends one request and reads the whole response body (part of the request, and it keeps the
/// connection reusable); an unexpected status is an error.
async fn send(
    phase: &Phase,
    connection: &mut SendRequest<Full<Bytes>>,
    method: Method,
    path: String,
    body: Option<String>,
) -> Result<(), String> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(HOST, &phase.authority);
    if let Some(authorization) = &phase.authorization {
        request = request.header(AUTHORIZATION, authorization);
    }
    if body.is_some() {
        request = request.header(CONTENT_TYPE, "application/json");
    }
    let request = request
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .map_err(|err| format!("request: {err}"))?;
    let exchange = async {
        connection.ready().await?;
        let response = connection.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok::<_, hyper::Error>((status, body))
    };
    match tokio::time::timeout(Duration::from_secs(30), exchange).await {
        Ok(Ok((status, _))) if status == phase.kind.expected() => Ok(()),
        Ok(Ok((status, body))) => Err(format!(
            "{status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        )),
        Ok(Err(err)) => Err(format!("transport: {err}")),
        Err(_) => Err("transport: no answer within 30 s".to_owned()),
    }
}

/// Names created by an earlier PUT phase, one a line.
fn read_names(path: Option<&std::path::Path>) -> anyhow::Result<Vec<String>> {
    let Some(path) = path else {
        anyhow::bail!("a GET phase needs a PUT phase before it or --names-file");
    };
    let text = std::fs::read_to_string(path)?;
    let names: Vec<String> = text.lines().map(str::to_owned).collect();
    if names.is_empty() {
        anyhow::bail!("{} holds no names", path.display());
    }
    Ok(names)
}

/// The nearest-rank percentile `q` of sorted microsecond latencies, in milliseconds.
fn percentile_ms(sorted_us: &[u64], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len());
    sorted_us[rank - 1] as f64 / 1000.0
}

fn print_summary(s: &Summary) {
    println!(
        "{:<5} requests={:<6} errors={:<4} time={:.2}s  {:>8.1} req/s  p50={:.2} ms  p99={:.2} ms  max={:.2} ms",
        s.kind.label(),
        s.requests,
        s.errors,
        s.seconds,
        s.rps,
        s.p50_ms,
        s.p99_ms,
        s.max_ms
    );
    for sample in &s.samples {
        println!("      error: {sample}");
    }
}

fn summary_json(s: &Summary) -> serde_json::Value {
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    json!({
        "requests": s.requests,
        "errors": s.errors,
        "seconds": round(s.seconds),
        "rps": round(s.rps),
        "p50_ms": round(s.p50_ms),
        "p99_ms": round(s.p99_ms),
        "max_ms": round(s.max_ms),
    })
}
