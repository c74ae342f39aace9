//! Step definitions, one module per domain concept. Steps call the checker crates and hand
//! their outcomes to the World; they never re-implement a check.

mod config;
mod dns;
mod drain;
mod http;

use std::str::FromStr;

use std::time::Duration;

use cucumber::Parameter;
use netconform_model::environment::RecordLabel;

/// `api` or `app`: one of the guide's two records, `{record}.{domain}` in step text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Parameter)]
#[param(name = "record", regex = "api|app")]
pub(crate) struct RecordName(pub(crate) RecordLabel);

impl FromStr for RecordName {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "api" => Ok(RecordName(RecordLabel::Api)),
            "app" => Ok(RecordName(RecordLabel::App)),
            other => Err(format!("unknown record {other:?}: api or app")),
        }
    }
}

/// A deadline in step text: "30 seconds", "5 minutes".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Parameter)]
#[param(name = "duration", regex = r"\d+ (?:seconds?|minutes?)")]
pub(crate) struct Within(pub(crate) Duration);

impl FromStr for Within {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (n, unit) = text
            .split_once(' ')
            .ok_or("expected \"<n> seconds\" or \"<n> minutes\"")?;
        let n: u64 = n.parse().map_err(|e| format!("{n}: {e}"))?;
        Ok(Within(Duration::from_secs(if unit.starts_with("minute") {
            n * 60
        } else {
            n
        })))
    }
}
