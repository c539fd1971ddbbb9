//! When to look at a resource again: the requeue a step asks for, retry backoff (`attempt⁴`, as
//! River does), poll backoff, and jitter.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

use super::WorkerSettings;
use crate::cloud::ErrorClass;

/// When the resource should be stepped again (kube-rs's `Action`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Requeue {
    /// At once: the step changed something the next step acts on.
    Now,
    /// After a delay: a poll, a backoff, the next drift check.
    After(Duration),
    /// Not until a user writes (a change, a refresh, a cancel): nothing can be done alone.
    OnChange,
    /// After a delay, without having done anything: AWS's budget for the step's first call is
    /// spent until then (no attempt spent, no write made).
    Snooze(Duration),
}

impl Requeue {
    /// After `secs` seconds (negative means now).
    pub fn after_secs(secs: f64) -> Requeue {
        Requeue::After(Duration::from_secs_f64(secs.max(0.0)))
    }

    /// Seconds until the next step, as the queue stores it; none when only a user's write makes
    /// the resource due again.
    pub fn due_in_secs(self) -> Option<f64> {
        match self {
            Requeue::Now => Some(0.0),
            Requeue::After(d) | Requeue::Snooze(d) => Some(d.as_secs_f64()),
            Requeue::OnChange => None,
        }
    }
}

/// The backoff after attempt `attempt` failed with an error of `class`: throttling and a busy
/// resource back off gently (the budget or the other operation frees up soon), anything else by
/// the retry backoff.
pub fn backoff_for(settings: &WorkerSettings, class: ErrorClass, attempt: i32) -> Requeue {
    match class {
        ErrorClass::Throttled | ErrorClass::Busy => throttle_backoff(settings, attempt),
        _ => retry_backoff(settings, attempt),
    }
}

/// After a failed attempt: `base · attempt⁴`, capped, with jitter.
pub fn retry_backoff(settings: &WorkerSettings, attempt: i32) -> Requeue {
    let raw = settings.retry_base.as_secs_f64() * f64::from(attempt.max(1)).powi(4);
    Requeue::after_secs(jitter(settings, raw.min(settings.retry_max.as_secs_f64())))
}

/// After the `failures`-th step in a row that failed on the database: the retry backoff, counted
/// by those failures (the resource's own attempts cannot be recorded while the database fails).
pub fn database_backoff(settings: &WorkerSettings, failures: u32) -> Duration {
    let attempt = i32::try_from(failures).unwrap_or(i32::MAX);
    let secs = retry_backoff(settings, attempt).due_in_secs();
    secs.map_or(settings.retry_max, Duration::from_secs_f64)
}

/// After a throttled call: a quarter of the base per attempt, at most the base twice over. The
/// rate limiter already paces every call, so a long backoff would only leave the budget unused.
pub fn throttle_backoff(settings: &WorkerSettings, attempt: i32) -> Requeue {
    let raw = settings.retry_base.as_secs_f64() * 0.25 * f64::from(attempt.clamp(1, 8));
    Requeue::after_secs(jitter(settings, raw.min(settings.retry_max.as_secs_f64())))
}

/// The next status poll after `polls` looks at a request: at least the first poll delay doubled per
/// poll (capped), whatever Cloud Control's `RetryAfter` says, so a stale or missing `RetryAfter`
/// cannot make polling faster; a later `RetryAfter` is honoured up to the longest poll gap.
pub fn poll_backoff(
    settings: &WorkerSettings,
    polls: i32,
    retry_after: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Requeue {
    let floor = settings.first_poll.as_secs_f64() * 2f64.powi(polls.clamp(0, 16));
    let floor = jitter(settings, floor.min(settings.max_poll.as_secs_f64()));
    let hinted = retry_after
        .map(|at| (at - now).num_milliseconds() as f64 / 1000.0)
        .unwrap_or(0.0)
        .min(settings.max_poll.as_secs_f64());
    Requeue::after_secs(floor.max(hinted))
}

/// Spreads `secs` by ±20% so resources that failed together do not retry together.
pub fn jitter(settings: &WorkerSettings, secs: f64) -> f64 {
    if !settings.jitter || secs <= 0.0 {
        return secs.max(0.0);
    }
    secs * rand::rng().random_range(0.8..1.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> WorkerSettings {
        WorkerSettings {
            jitter: false,
            ..WorkerSettings::default()
        }
    }

    fn secs(r: Requeue) -> f64 {
        r.due_in_secs().expect("a delay")
    }

    #[test]
    fn retries_back_off_by_the_fourth_power_up_to_the_cap() {
        let s = settings();
        assert_eq!(secs(retry_backoff(&s, 1)), 1.0);
        assert_eq!(secs(retry_backoff(&s, 2)), 16.0);
        assert_eq!(secs(retry_backoff(&s, 10)), s.retry_max.as_secs_f64());
    }

    #[test]
    fn polls_double_from_the_first_delay_up_to_the_cap() {
        let s = settings();
        let now = Utc::now();
        assert_eq!(secs(poll_backoff(&s, 0, None, now)), 1.0);
        assert_eq!(secs(poll_backoff(&s, 2, None, now)), 4.0);
        assert_eq!(secs(poll_backoff(&s, 9, None, now)), 20.0);
    }

    #[test]
    fn a_retry_after_in_the_past_cannot_make_polling_faster() {
        let s = settings();
        let now = Utc::now();
        let stale = now - chrono::Duration::seconds(30);
        assert_eq!(secs(poll_backoff(&s, 3, Some(stale), now)), 8.0);
    }

    #[test]
    fn a_later_retry_after_is_honoured_up_to_the_longest_gap() {
        let s = settings();
        let now = Utc::now();
        let later = now + chrono::Duration::seconds(3);
        let honoured = secs(poll_backoff(&s, 0, Some(later), now));
        assert!((2.9..=3.0).contains(&honoured), "{honoured}");
        let far = now + chrono::Duration::hours(1);
        assert_eq!(secs(poll_backoff(&s, 0, Some(far), now)), 20.0);
    }

    #[test]
    fn with_default_settings_one_request_is_polled_at_most_twelve_times_in_forty_seconds() {
        let s = settings();
        let now = Utc::now();
        let (mut at, mut polls) = (0.0, 0);
        // Even if every answer carries a RetryAfter already past.
        while at < 40.0 {
            at += secs(poll_backoff(&s, polls, Some(now), now));
            polls += 1;
        }
        assert!(polls <= 12, "{polls} polls");
    }

    #[test]
    fn steps_failing_on_the_database_back_off_more_each_time_up_to_the_cap() {
        let s = settings();
        let waits: Vec<f64> = [1, 2, 3, 50]
            .into_iter()
            .map(|n| database_backoff(&s, n).as_secs_f64())
            .collect();
        assert_eq!(waits[..3], [1.0, 16.0, 81.0]);
        assert_eq!(waits[3], s.retry_max.as_secs_f64());
    }

    #[test]
    fn throttling_backs_off_briefly() {
        let s = settings();
        assert_eq!(secs(throttle_backoff(&s, 1)), 0.25);
        assert_eq!(secs(throttle_backoff(&s, 50)), 2.0);
    }
}
