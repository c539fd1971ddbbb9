//! Discovery: the background work that lists a user pool through Cloud Control, page by page, and
//! reads each client ccplane does not manage, proposing the document a person would write for it.
//!
//! Discoveries are a small queue of their own (`store::discoveries::claim`: `for update skip
//! locked` and a lease), served by one loop per worker beside the resources' step loops. A step
//! lists one page or reads a few clients, returns what it decided (`DiscoveryStep`), and has it
//! written in one transaction fenced by its lease. Every call spends the background share of the
//! read budget (`Place { background: true, .. }`), so a tenant's change never waits for it.

use std::collections::HashSet;

use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::requeue::backoff_for;
use super::{Outcome, StepError, Worker};
use crate::cloud::{Account, CloudError, ErrorClass, Place};
use crate::model::diff;
use crate::model::discovery::{self, ClientState, DiscoveryPhase};
use crate::store::discoveries::{
    self, Claimed, DiscoveryError, DiscoveryStep, Listed, ReadOutcome, Report,
};

/// Clients read at once by one step: the per-pool cap of one Cognito operation (5/s) is what
/// paces them, and five in flight keep that cap busy without a step lasting long.
pub const READ_BATCH: i64 = 5;

impl Worker {
    /// Claims one due discovery and runs one step of it (a page listed or a few clients read).
    pub async fn discover_once(&self) -> Result<Outcome, StepError> {
        let lease = self.settings.lease.as_secs_f64();
        let Some(claimed) = discoveries::claim(&self.pool, &self.id, lease).await? else {
            return Ok(Outcome::Idle);
        };
        let span = tracing::info_span!("discovery", namespace = %claimed.namespace,
            discovery = %claimed.id, user_pool = %claimed.user_pool_id, worker = %self.id);
        match self.discovery_step(&claimed).instrument(span).await {
            Ok(()) => Ok(Outcome::Stepped),
            Err(StepError::Database(err)) => {
                let backoff = self.database_backoff();
                tracing::warn!(discovery = %claimed.id, error = %err, retry_in = ?backoff,
                    "discovery step failed on the database; retrying after a backoff");
                let secs = backoff.as_secs_f64();
                let _ = discoveries::release(&self.pool, claimed.id, &self.id, secs).await;
                Ok(Outcome::Stepped)
            }
            Err(err) => Err(err),
        }
    }

    async fn discovery_step(&self, claimed: &Claimed) -> Result<(), StepError> {
        let step = match claimed.phase {
            DiscoveryPhase::Listing => self.list_page(claimed).await?,
            DiscoveryPhase::Reading => self.read_clients(claimed).await?,
            // Claims take only running discoveries; a finished one is left as it is.
            DiscoveryPhase::Complete | DiscoveryPhase::Failed => {
                let after = self.settings.lease.as_secs_f64();
                discoveries::release(&self.pool, claimed.id, &self.id, after).await?;
                return Ok(());
            }
        };
        if step.report != Report::Quiet {
            tracing::info!(phase = step.phase.as_str(), "{}", step.message);
        }
        let mut tx = self.pool.begin().await?;
        discoveries::save(&mut tx, claimed, &self.id, &step).await?;
        self.notifier.commit(tx, &claimed.namespace).await?;
        Ok(())
    }

    /// Lists the next page of the pool; the clients a resource manages are counted, not read.
    async fn list_page(&self, claimed: &Claimed) -> Result<DiscoveryStep, sqlx::Error> {
        let place = place(claimed);
        let (role, pool) = (claimed.role_arn.as_deref(), &claimed.user_pool_id);
        let token = claimed.next_token.as_deref();
        let page = match self
            .cloud
            .list_clients_page(&place, role, pool, token)
            .await
        {
            Ok(page) => page,
            Err(e) => return Ok(self.discovery_failed(claimed, &e, "list")),
        };
        let identifiers: Vec<String> = page
            .clients
            .iter()
            .map(|c| format!("{pool}|{}", c.client_id))
            .collect();
        let managing = discoveries::managing(&self.pool, &identifiers).await?;
        let listed: Vec<Listed> = page
            .clients
            .iter()
            .zip(&identifiers)
            .map(|(client, identifier)| {
                let managers: Vec<_> = managing.iter().filter(|m| &m.0 == identifier).collect();
                // Only a manager in the discovery's own namespace is named: others are not the
                // caller's to see.
                let managed_by = managers
                    .iter()
                    .find(|m| m.1 == claimed.namespace)
                    .map(|m| format!("{}/{}", m.1, m.2));
                Listed {
                    client_id: client.client_id.clone(),
                    client_name: client.client_name.clone(),
                    state: if managers.is_empty() {
                        ClientState::Pending
                    } else {
                        ClientState::Managed
                    },
                    managed_by,
                }
            })
            .collect();
        let managed = listed
            .iter()
            .filter(|l| l.state == ClientState::Managed)
            .count();
        let last = page.next_token.is_none();
        let message = format!(
            "listed {} client(s) of user pool {pool}, {managed} already managed{}",
            listed.len(),
            if last { "; that was the last page" } else { "" }
        );
        Ok(DiscoveryStep {
            phase: if last {
                DiscoveryPhase::Reading
            } else {
                DiscoveryPhase::Listing
            },
            next_token: page.next_token,
            listed_page: true,
            listed,
            read: Vec::new(),
            attempt: 0,
            error: None,
            due_in_secs: Some(0.0),
            report: Report::Progressed,
            message,
        })
    }

    /// Reads up to [`READ_BATCH`] pending clients at once and proposes a document for each; with
    /// none left, the discovery is complete.
    async fn read_clients(&self, claimed: &Claimed) -> Result<DiscoveryStep, sqlx::Error> {
        let pending = discoveries::pending(&self.pool, claimed.id, READ_BATCH).await?;
        if pending.is_empty() {
            let message = format!(
                "every client of user pool {} is listed and read",
                claimed.user_pool_id
            );
            return Ok(DiscoveryStep {
                phase: DiscoveryPhase::Complete,
                due_in_secs: None,
                report: Report::Finished,
                message,
                ..unchanged(claimed)
            });
        }
        let place = place(claimed);
        let (role, pool) = (claimed.role_arn.as_deref(), &claimed.user_pool_id);
        let reads = futures::future::join_all(pending.iter().map(|client_id| {
            let (place, identifier) = (&place, format!("{pool}|{client_id}"));
            async move { self.cloud.get(place, role, &identifier).await }
        }))
        .await;
        let mut taken: HashSet<String> =
            discoveries::taken_names(&self.pool, &claimed.namespace, claimed.id)
                .await?
                .into_iter()
                .collect();
        let mut read = Vec::new();
        let mut retry: Option<CloudError> = None;
        for (client_id, result) in pending.into_iter().zip(reads) {
            let outcome = match result {
                Ok(live) => {
                    let client_name = live
                        .get("ClientName")
                        .and_then(|n| n.as_str())
                        .map(str::to_owned);
                    let base = discovery::name_base(client_name.as_deref(), &client_id);
                    let name = discovery::unique_name(&base, |n| taken.contains(n));
                    taken.insert(name.clone());
                    ReadOutcome::Read {
                        service_owner: discovery::service_owner(client_name.as_deref())
                            .map(str::to_owned),
                        client_name,
                        observed: diff::observed(&live),
                        proposed: discovery::propose(&live),
                        name,
                    }
                }
                Err(e) if e.class == ErrorClass::NotFound => ReadOutcome::Failed(DiscoveryError {
                    code: e.code.clone(),
                    message: "listed, but gone before it could be read".into(),
                    retryable: false,
                    at: chrono::Utc::now(),
                }),
                // Left pending: read again after the backoff.
                Err(e) if e.class.is_retriable() => {
                    retry = Some(e);
                    continue;
                }
                Err(e) => ReadOutcome::Failed(error_of(&e, false)),
            };
            read.push((client_id, outcome));
        }
        let message = format!(
            "read {} client(s) of user pool {}",
            read.len(),
            claimed.user_pool_id
        );
        let mut step = DiscoveryStep {
            read,
            message,
            report: Report::Progressed,
            ..unchanged(claimed)
        };
        if let Some(e) = retry {
            step.attempt = claimed.attempt + 1;
            step.error = Some(error_of(&e, true));
            let backoff = backoff_for(&self.settings, e.class, step.attempt);
            step.due_in_secs = backoff.due_in_secs();
            if step.read.is_empty() {
                step.report = Report::Quiet;
            }
        }
        Ok(step)
    }

    /// A listing that failed: retried after a backoff when AWS may answer later, else the
    /// discovery fails (the pool does not exist, access is denied, …).
    fn discovery_failed(&self, claimed: &Claimed, e: &CloudError, what: &str) -> DiscoveryStep {
        let pool = &claimed.user_pool_id;
        if e.class.is_retriable() {
            let attempt = claimed.attempt + 1;
            let backoff = backoff_for(&self.settings, e.class, attempt);
            return DiscoveryStep {
                attempt,
                error: Some(error_of(e, true)),
                due_in_secs: backoff.due_in_secs(),
                // The first failure of a run is worth an event; its repeats are not.
                report: if claimed.attempt == 0 {
                    Report::Progressed
                } else {
                    Report::Quiet
                },
                message: format!("could not {what} user pool {pool} ({}); retrying", e.code),
                ..unchanged(claimed)
            };
        }
        DiscoveryStep {
            phase: DiscoveryPhase::Failed,
            error: Some(error_of(e, false)),
            due_in_secs: None,
            report: Report::Failed,
            message: format!(
                "could not {what} user pool {pool}: {}: {}",
                e.code, e.message
            ),
            ..unchanged(claimed)
        }
    }

    /// Runs discovery steps until `shutdown`, waking on `changes` or when a discovery comes due.
    pub(super) async fn discovery_loop(
        self,
        shutdown: CancellationToken,
        mut changes: broadcast::Receiver<String>,
    ) {
        while !shutdown.is_cancelled() {
            let wait = match self.discover_once().await {
                Ok(Outcome::Stepped) => continue,
                Ok(_) => self.until_discovery_due().await,
                Err(err) => {
                    tracing::warn!(error = %err, "discovery step failed");
                    self.settings.idle_poll
                }
            };
            let wake = tokio::time::timeout(wait, changes.recv());
            let _ = shutdown.run_until_cancelled(wake).await;
        }
    }

    async fn until_discovery_due(&self) -> std::time::Duration {
        let idle = self.settings.idle_poll;
        match discoveries::next_due(&self.pool).await {
            Ok(Some(at)) => (at - chrono::Utc::now())
                .to_std()
                .unwrap_or_default()
                .min(idle),
            _ => idle,
        }
    }
}

/// Where a discovery's calls go: the pool's region in the namespace's account, as background work.
fn place(claimed: &Claimed) -> Place<'_> {
    Place {
        region: &claimed.region,
        account: Account {
            assume_role_arn: claimed.assume_role_arn.clone(),
            external_id: claimed.external_id.clone(),
        },
        namespace: &claimed.namespace,
        background: true,
        prepaid: false,
    }
}

/// A step that changes nothing but ends the lease and comes back at once.
fn unchanged(claimed: &Claimed) -> DiscoveryStep {
    DiscoveryStep {
        phase: claimed.phase,
        next_token: claimed.next_token.clone(),
        listed_page: false,
        listed: Vec::new(),
        read: Vec::new(),
        attempt: 0,
        error: None,
        due_in_secs: Some(0.0),
        report: Report::Quiet,
        message: String::new(),
    }
}

fn error_of(e: &CloudError, retryable: bool) -> DiscoveryError {
    DiscoveryError {
        code: e.code.clone(),
        message: e.message.clone(),
        retryable,
        at: chrono::Utc::now(),
    }
}
