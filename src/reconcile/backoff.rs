//! When to look again: retry backoff (`attempt⁴`, as River does), poll backoff, and jitter.

use chrono::{DateTime, Utc};
use rand::Rng;

use super::WorkerSettings;

/// Seconds until a failed attempt is retried: `base · attempt⁴`, capped, with jitter.
pub fn retry_after_secs(settings: &WorkerSettings, attempt: i32) -> f64 {
    let raw = settings.retry_base_secs * f64::from(attempt.max(1)).powi(4);
    jitter(settings, raw.min(settings.retry_max_secs))
}

/// Seconds until the next status poll: Cloud Control's `RetryAfter` when it gave one, else the first
/// poll delay doubled per poll, capped.
pub fn poll_after_secs(settings: &WorkerSettings, polls: i32, hint: Option<DateTime<Utc>>) -> f64 {
    if let Some(at) = hint {
        let secs = (at - Utc::now()).num_milliseconds() as f64 / 1000.0;
        return secs.clamp(0.0, settings.max_poll_secs);
    }
    let raw = settings.first_poll_secs * 2f64.powi(polls.clamp(0, 16));
    jitter(settings, raw.min(settings.max_poll_secs))
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

    #[test]
    fn retries_back_off_by_the_fourth_power_up_to_the_cap() {
        let s = settings();
        assert_eq!(retry_after_secs(&s, 1), 1.0);
        assert_eq!(retry_after_secs(&s, 2), 16.0);
        assert_eq!(retry_after_secs(&s, 10), s.retry_max_secs);
    }

    #[test]
    fn polls_double_from_the_first_delay_up_to_the_cap() {
        let s = settings();
        assert_eq!(poll_after_secs(&s, 0, None), 1.0);
        assert_eq!(poll_after_secs(&s, 2, None), 4.0);
        assert_eq!(poll_after_secs(&s, 9, None), 20.0);
    }

    #[test]
    fn a_retry_after_hint_wins() {
        let s = settings();
        let hint = Utc::now() + chrono::Duration::seconds(3);
        let secs = poll_after_secs(&s, 9, Some(hint));
        assert!((2.5..=3.0).contains(&secs), "{secs}");
    }
}
