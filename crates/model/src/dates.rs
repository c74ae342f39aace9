//! Dates and times: the calendar [`Date`] of a waiver's `until` (checked while it is
//! deserialized), and the RFC 3339 UTC timestamps reports carry, written and read back.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date, `YYYY-MM-DD` (a waiver's `until`). Written as a TOML local date
/// (`until = 2027-01-31`) or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days algorithm).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// The date of a Unix time in seconds, in UTC.
    pub fn from_unix_seconds(secs: u64) -> Date {
        Date::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(i64::MAX))
    }

    /// The date of `time`, in UTC.
    pub fn of(time: std::time::SystemTime) -> Date {
        Date::from_unix_seconds(unix_seconds(time))
    }
}

fn unix_seconds(time: std::time::SystemTime) -> u64 {
    time.duration_since(std::time::SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `time` as RFC 3339 in UTC, to the second: "2026-11-20T10:00:00Z" (a report's `started_at`).
pub fn rfc3339_utc(time: std::time::SystemTime) -> String {
    let secs = unix_seconds(time);
    let rem = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_unix_seconds(secs),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Date {
    /// Days from 1970-01-01 to this date (the inverse of [`Date::from_unix_days`]; Howard
    /// Hinnant's days-from-civil).
    pub fn unix_days(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year - era * 400;
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

/// Seconds since the Unix epoch of an RFC 3339 time in UTC as [`rfc3339_utc`] writes it
/// (`2026-12-01T10:00:00Z`, fractions of a second dropped), when `text` is one.
pub fn parse_rfc3339_utc(text: &str) -> Option<i64> {
    let (date, clock) = text.strip_suffix('Z')?.split_once('T')?;
    let date: Date = date.parse().ok()?;
    let mut parts = clock.split(':');
    let hours: i64 = parts.next()?.parse().ok()?;
    let minutes: i64 = parts.next()?.parse().ok()?;
    let seconds: f64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || hours > 23 || minutes > 59 || !(0.0..61.0).contains(&seconds) {
        return None;
    }
    Some(date.unix_days() * 86_400 + hours * 3600 + minutes * 60 + seconds as i64)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(text: &str) -> Result<Date, String> {
        let bad = || format!("{text:?} is not a date; write it as YYYY-MM-DD, e.g. 2027-01-31");
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (year, month, day): (i32, u8, u8) = (
            y.parse().map_err(|_| bad())?,
            m.parse().map_err(|_| bad())?,
            d.parse().map_err(|_| bad())?,
        );
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(format!("{text:?} has no month {month}; write YYYY-MM-DD")),
        };
        if day == 0 || day > days_in_month {
            return Err(format!(
                "{text:?}: {year:04}-{month:02} has no day {day}; write YYYY-MM-DD"
            ));
        }
        Ok(Date { year, month, day })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date, YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
            // A TOML date arrives as a one-entry map holding its text.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(serde::de::Error::custom("an empty date"));
                };
                if text.contains(['T', ' ', ':']) {
                    return Err(serde::de::Error::custom(format!(
                        "{text} is a date and time; write only the date, e.g. 2027-01-31"
                    )));
                }
                text.parse().map_err(serde::de::Error::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_read_back_as_they_were_written() {
        for secs in [0u64, 951_868_799, 1_796_119_200, 4_102_444_800] {
            let text = rfc3339_utc(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
            assert_eq!(parse_rfc3339_utc(&text), Some(secs as i64), "{text}");
        }
        assert_eq!(
            parse_rfc3339_utc("2000-02-29T23:59:59.5Z"),
            Some(951_868_799)
        );
        assert_eq!(parse_rfc3339_utc("2026-13-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339_utc("2026-12-01T24:00:00Z"), None);
        assert_eq!(parse_rfc3339_utc("2026-12-01T10:00:00+01:00"), None);
        assert_eq!(parse_rfc3339_utc("yesterday"), None);
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        use std::time::{Duration, SystemTime};
        for (secs, expected) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_795_176_000, "2026-11-20T12:00:00Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
        ] {
            let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(rfc3339_utc(time), expected, "{secs}");
        }
    }
}
