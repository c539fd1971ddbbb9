//! Latencies of the emulator's flags and fault modes: fixed, or drawn from a range.

use std::{fmt, str::FromStr, time::Duration};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration, fixed or drawn uniformly from a range: `2s`, `150ms`, `100ms..500ms`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latency {
    /// Shortest duration.
    pub min: Duration,
    /// Longest duration (equal to `min` when fixed).
    pub max: Duration,
}

impl Latency {
    /// A fixed latency.
    pub const fn fixed(d: Duration) -> Self {
        Self { min: d, max: d }
    }

    /// Whether every draw is zero.
    pub fn is_zero(&self) -> bool {
        self.max.is_zero()
    }
}

impl FromStr for Latency {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (min, max) = match s.split_once("..") {
            Some((a, b)) => (parse_duration(a)?, parse_duration(b)?),
            None => {
                let d = parse_duration(s)?;
                (d, d)
            }
        };
        if min > max {
            return Err(format!("range `{s}` ends before it starts"));
        }
        Ok(Self { min, max })
    }
}

impl fmt::Display for Latency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Duration| format!("{}ms", d.as_millis());
        if self.min == self.max {
            f.write_str(&ms(self.min))
        } else {
            write!(f, "{}..{}", ms(self.min), ms(self.max))
        }
    }
}

impl Serialize for Latency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Latency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Parses `250ms`, `2s`, `1.5s`, `3m`, `1h`, or a bare `0`.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("`{s}` needs a unit (ms, s, m, h)"))?;
    let (number, unit) = s.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration"))?;
    let seconds = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("`{unit}` is not a unit (ms, s, m, h)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{s}`: {e}"))
}
