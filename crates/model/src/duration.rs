//! Human-written durations in the environment file: `"500ms"`, `"30s"`, `"10m"`, `"1h30m"`.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration written with units, as in the environment file. Parses `"500ms"`, `"30s"`,
/// `"10m"`, `"2h"` and sums of them (`"1m30s"`); displays the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct HumanDuration(pub Duration);

/// Why a duration did not parse. The message reads after "failed to parse duration: ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError(String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DurationError {}

impl HumanDuration {
    pub const fn from_secs(secs: u64) -> Self {
        HumanDuration(Duration::from_secs(secs))
    }

    pub const fn from_millis(ms: u64) -> Self {
        HumanDuration(Duration::from_millis(ms))
    }

    pub fn get(self) -> Duration {
        self.0
    }

    /// Parses `"<n><unit>"` repeated, units `ms`, `s`, `m`, `h`, integers only.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(DurationError("empty duration".into()));
        }
        let mut total = Duration::ZERO;
        let mut rest = trimmed;
        while !rest.is_empty() {
            let n_digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if n_digits == 0 {
                return Err(DurationError(format!(
                    "expected a number at {rest:?} in {text:?}"
                )));
            }
            let (digits, after) = rest.split_at(n_digits);
            let n: u64 = digits
                .parse()
                .map_err(|_| DurationError(format!("number {digits} is too large")))?;
            let n_unit = after.bytes().take_while(u8::is_ascii_alphabetic).count();
            let (unit, after) = after.split_at(n_unit);
            let part = match unit {
                "ms" => Duration::from_millis(n),
                "s" => Duration::from_secs(n),
                "m" => Duration::from_secs(n.saturating_mul(60)),
                "h" => Duration::from_secs(n.saturating_mul(3600)),
                "" => {
                    return Err(DurationError(format!("{digits} has no unit in {text:?}")));
                }
                other => {
                    return Err(DurationError(format!("unknown unit {other:?} in {text:?}")));
                }
            };
            total = total.saturating_add(part);
            rest = after;
        }
        Ok(HumanDuration(total))
    }
}

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms == 0 {
            return f.write_str("0s");
        }
        let (h, rem) = (ms / 3_600_000, ms % 3_600_000);
        let (m, rem) = (rem / 60_000, rem % 60_000);
        let (s, ms) = (rem / 1000, rem % 1000);
        for (n, unit) in [(h, "h"), (m, "m"), (s, "s"), (ms, "ms")] {
            if n > 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for HumanDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = HumanDuration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration with a unit, such as \"30s\", \"500ms\" or \"10m\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<HumanDuration, E> {
                HumanDuration::parse(v).map_err(|e| {
                    E::custom(format!(
                        "invalid duration: {e}; write a number with a unit (ms, s, m, h), such as \"30s\" or \"10m\""
                    ))
                })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<HumanDuration, E> {
                Err(E::custom(format!(
                    "invalid duration {v}: a duration needs a unit; write it as a string, such as \"{v}s\""
                )))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<HumanDuration, E> {
                Err(E::custom(format!(
                    "invalid duration {v}: a duration needs a unit; write it as a string, such as \"30s\""
                )))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<u64, &str>) {
        let got = HumanDuration::parse(input)
            .map(|d| d.0.as_millis() as u64)
            .map_err(|e| e.to_string());
        assert_eq!(got, expected.map_err(str::to_owned), "input {input:?}");
    }

    #[test]
    fn parses_units_and_sums() {
        check("500ms", Ok(500));
        check("30s", Ok(30_000));
        check("10m", Ok(600_000));
        check("2h", Ok(7_200_000));
        check("1m30s", Ok(90_000));
        check(" 5s ", Ok(5_000));
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        check("", Err("empty duration"));
        check("10", Err("10 has no unit in \"10\""));
        check("10 m", Err("10 has no unit in \"10 m\""));
        check(
            "ten seconds",
            Err("expected a number at \"ten seconds\" in \"ten seconds\""),
        );
        check("3d", Err("unknown unit \"d\" in \"3d\""));
    }

    #[test]
    fn displays_as_it_parses() {
        for text in ["500ms", "30s", "10m", "1h30m", "1m0s500ms"] {
            let d = HumanDuration::parse(text).unwrap();
            assert_eq!(HumanDuration::parse(&d.to_string()).unwrap(), d);
        }
        assert_eq!(HumanDuration::from_secs(90).to_string(), "1m30s");
    }
}
