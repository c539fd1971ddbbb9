//! Durations on the command line, written in seconds (`30`, `0.5`), as the flags' names say.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A duration given in seconds; shows as seconds in `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds(pub Duration);

impl Seconds {
    /// `secs` whole seconds.
    pub const fn new(secs: u64) -> Seconds {
        Seconds(Duration::from_secs(secs))
    }

    /// `millis` milliseconds.
    pub const fn millis(millis: u64) -> Seconds {
        Seconds(Duration::from_millis(millis))
    }

    /// The duration.
    pub const fn get(self) -> Duration {
        self.0
    }

    /// Parses seconds that must be at least one (a timeout of zero would cut off every client).
    pub fn at_least_one(text: &str) -> Result<Seconds, String> {
        let seconds: Seconds = text.parse()?;
        if seconds.0 < Duration::from_secs(1) {
            return Err(format!("{text} is less than one second"));
        }
        Ok(seconds)
    }
}

impl FromStr for Seconds {
    type Err = String;

    fn from_str(text: &str) -> Result<Seconds, String> {
        let secs: f64 = text
            .trim()
            .parse()
            .map_err(|_| format!("not a number of seconds: {text}"))?;
        Duration::try_from_secs_f64(secs)
            .map(Seconds)
            .map_err(|_| format!("not a duration in seconds (0 or more): {text}"))
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_parse_as_numbers_and_show_as_they_were_written() {
        assert_eq!("30".parse::<Seconds>(), Ok(Seconds::new(30)));
        assert_eq!("0.25".parse::<Seconds>(), Ok(Seconds::millis(250)));
        assert_eq!(Seconds::new(30).to_string(), "30");
        assert_eq!(Seconds::millis(500).to_string(), "0.5");
        assert!("-1".parse::<Seconds>().is_err());
        assert!("NaN".parse::<Seconds>().is_err());
        assert!("5m".parse::<Seconds>().is_err());
        assert!(Seconds::at_least_one("0.5").is_err());
        assert_eq!(Seconds::at_least_one("1"), Ok(Seconds::new(1)));
    }
}
