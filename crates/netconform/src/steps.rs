//! Step definitions, one module per domain concept. Steps call the checker crates and hand
//! their outcomes to the World; they never re-implement a check.

mod dns;
mod drain;
mod http;

use std::str::FromStr;

use cucumber::Parameter;
use netconform_model::values::DnsName;

use crate::world::NetWorld;

/// `api` or `app`: one of the guide's two records, `{record}.{domain}` in step text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Parameter)]
#[param(name = "record", regex = "api|app")]
pub(crate) enum RecordName {
    Api,
    App,
}

impl FromStr for RecordName {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "api" => Ok(RecordName::Api),
            "app" => Ok(RecordName::App),
            other => Err(format!("unknown record {other:?}: api or app")),
        }
    }
}

impl RecordName {
    pub(crate) fn name(self, world: &NetWorld) -> DnsName {
        let env = &world.ctx().env;
        match self {
            RecordName::Api => env.api_record(),
            RecordName::App => env.app_record(),
        }
    }

    pub(crate) fn other(self) -> RecordName {
        match self {
            RecordName::Api => RecordName::App,
            RecordName::App => RecordName::Api,
        }
    }
}
