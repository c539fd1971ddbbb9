//! Counters of what the emulator answered, and the request rate it observed.

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    time::Instant,
};

use serde::{Deserialize, Serialize};

use super::wire::{ErrorKind, Operation};

/// Seconds over which the request rate is averaged.
const RATE_WINDOW_SECS: u64 = 10;

/// How a call ended, as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered 200.
    Success,
    /// Answered with an error.
    Error(ErrorKind),
    /// The connection was closed without an answer.
    Dropped,
    /// The call was processed and the connection then closed without an answer.
    AnswerLost,
    /// Answered with an error of another protocol, by its code (STS's `AccessDenied`, …).
    Refused(&'static str),
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Self::Success => "Success",
            Self::Error(kind) => kind.code(),
            Self::Dropped => "ConnectionDropped",
            Self::AnswerLost => "AnswerLost",
            Self::Refused(code) => code,
        }
    }
}

/// Live counters.
#[derive(Debug)]
pub struct Stats {
    started: Instant,
    calls: BTreeMap<(&'static str, &'static str), u64>,
    total: u64,
    per_second: VecDeque<(u64, u64)>,
    role_arns: BTreeMap<(&'static str, String), u64>,
    polls: HashMap<String, u64>,
}

impl Default for Stats {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            calls: BTreeMap::new(),
            total: 0,
            per_second: VecDeque::new(),
            role_arns: BTreeMap::new(),
            polls: HashMap::new(),
        }
    }
}

impl Stats {
    /// Counts one call of `op` (a name, so unknown operations count too).
    pub fn record(&mut self, op: &'static str, outcome: Outcome) {
        *self.calls.entry((op, outcome.label())).or_default() += 1;
        self.total += 1;
        let second = self.started.elapsed().as_secs();
        match self.per_second.back_mut() {
            Some((s, n)) if *s == second => *n += 1,
            _ => self.per_second.push_back((second, 1)),
        }
        while self
            .per_second
            .front()
            .is_some_and(|(s, _)| *s + RATE_WINDOW_SECS < second)
        {
            self.per_second.pop_front();
        }
    }

    /// Counts one call of `op` that asked Cloud Control to assume `role_arn`.
    pub fn record_role_arn(&mut self, op: &'static str, role_arn: String) {
        *self.role_arns.entry((op, role_arn)).or_default() += 1;
    }

    /// Counts one GetResourceRequestStatus of `token`.
    pub fn record_poll(&mut self, token: &str) {
        match self.polls.get_mut(token) {
            Some(n) => *n += 1,
            None => {
                self.polls.insert(token.to_owned(), 1);
            }
        }
    }

    /// GetResourceRequestStatus calls per RequestToken.
    pub fn polls(&self) -> BTreeMap<String, u64> {
        self.polls.iter().map(|(t, n)| (t.clone(), *n)).collect()
    }

    /// The counters as reported by the control API.
    pub fn snapshot(&self) -> CallStats {
        let calls: Vec<CallCount> = self
            .calls
            .iter()
            .map(|((op, outcome), n)| CallCount {
                operation: (*op).to_owned(),
                outcome: (*outcome).to_owned(),
                count: *n,
            })
            .collect();
        let count_of = |kind: ErrorKind| {
            calls
                .iter()
                .filter(|c| c.outcome == kind.code())
                .map(|c| c.count)
                .sum()
        };
        CallStats {
            total_calls: self.total,
            concurrent_operation_exceptions: count_of(ErrorKind::ConcurrentOperation),
            client_token_conflict_exceptions: count_of(ErrorKind::ClientTokenConflict),
            max_status_polls_per_request: self.polls.values().copied().max().unwrap_or(0),
            requests_per_second: self.rate(),
            uptime_seconds: self.started.elapsed().as_secs_f64(),
            calls,
            role_arns: self
                .role_arns
                .iter()
                .map(|((op, arn), n)| RoleArnCount {
                    operation: (*op).to_owned(),
                    role_arn: arn.clone(),
                    count: *n,
                })
                .collect(),
        }
    }

    fn rate(&self) -> f64 {
        let elapsed = self.started.elapsed();
        let now = elapsed.as_secs();
        let recent: u64 = self
            .per_second
            .iter()
            .filter(|(s, _)| s + RATE_WINDOW_SECS > now)
            .map(|(_, n)| n)
            .sum();
        let window = elapsed.as_secs_f64().clamp(1.0, RATE_WINDOW_SECS as f64);
        recent as f64 / window
    }
}

/// Calls of one operation with one outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallCount {
    /// Operation name (e.g. `GetResource`).
    pub operation: String,
    /// `Success`, an error code such as `ThrottlingException`, `ConnectionDropped` (dropped
    /// unanswered), or `AnswerLost` (processed, then dropped unanswered).
    pub outcome: String,
    /// How many.
    pub count: u64,
}

/// The call counters of a stats report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallStats {
    /// Every call counted.
    pub total_calls: u64,
    /// `ConcurrentOperationException`s answered.
    pub concurrent_operation_exceptions: u64,
    /// `ClientTokenConflictException`s answered.
    pub client_token_conflict_exceptions: u64,
    /// The most GetResourceRequestStatus calls any one RequestToken received (a poll storm shows
    /// here; `/_emulator/stats/polls` has them all).
    #[serde(default)]
    pub max_status_polls_per_request: u64,
    /// Calls per second over the last ten seconds.
    pub requests_per_second: f64,
    /// Seconds since the emulator started.
    pub uptime_seconds: f64,
    /// Calls by operation and outcome.
    pub calls: Vec<CallCount>,
    /// Calls that carried a `RoleArn`, by operation and role.
    #[serde(default)]
    pub role_arns: Vec<RoleArnCount>,
}

/// Calls of one operation that carried one `RoleArn`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleArnCount {
    /// Operation name (e.g. `CreateResource`).
    pub operation: String,
    /// The role the caller asked Cloud Control to assume.
    pub role_arn: String,
    /// How many.
    pub count: u64,
}

impl CallStats {
    /// Calls of `op` that ended with `outcome` (`Success`, an error code, `ConnectionDropped`).
    pub fn count(&self, op: Operation, outcome: &str) -> u64 {
        self.calls
            .iter()
            .filter(|c| c.operation == op.name() && c.outcome == outcome)
            .map(|c| c.count)
            .sum()
    }
}
