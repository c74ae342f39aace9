//! Restart events: what a restart driver reports while a rolling restart runs, so failures can be
//! tied to the phase they fell in.

use std::fmt;
use std::time::Instant;

use serde::{Deserialize, Serialize};

/// Something that happened during a rolling restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RestartEventKind {
    RolloutBegun,
    /// A new instance is running (not yet serving through the load balancer).
    InstanceStarted,
    /// The load balancer routes to the instance.
    InstanceHealthy,
    /// The instance was told to stop (SIGTERM, preStop).
    InstanceStopping,
    /// The instance's process is gone.
    InstanceExited,
    RolloutDone,
    /// The rollout ended without completing.
    RolloutFailed,
}

impl RestartEventKind {
    pub const ALL: [RestartEventKind; 7] = [
        RestartEventKind::RolloutBegun,
        RestartEventKind::InstanceStarted,
        RestartEventKind::InstanceHealthy,
        RestartEventKind::InstanceStopping,
        RestartEventKind::InstanceExited,
        RestartEventKind::RolloutDone,
        RestartEventKind::RolloutFailed,
    ];

    /// The word for this kind in an event line.
    pub fn token(self) -> &'static str {
        match self {
            RestartEventKind::RolloutBegun => "rollout-begun",
            RestartEventKind::InstanceStarted => "started",
            RestartEventKind::InstanceHealthy => "healthy",
            RestartEventKind::InstanceStopping => "stopping",
            RestartEventKind::InstanceExited => "exited",
            RestartEventKind::RolloutDone => "rollout-done",
            RestartEventKind::RolloutFailed => "rollout-failed",
        }
    }
}

impl fmt::Display for RestartEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RestartEventKind::RolloutBegun => "rollout begun",
            RestartEventKind::InstanceStarted => "started",
            RestartEventKind::InstanceHealthy => "healthy",
            RestartEventKind::InstanceStopping => "stopping",
            RestartEventKind::InstanceExited => "exited",
            RestartEventKind::RolloutDone => "rollout done",
            RestartEventKind::RolloutFailed => "rollout failed",
        })
    }
}

/// A restart event with the moment it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestartEvent {
    pub at: Instant,
    pub kind: RestartEventKind,
    /// The instance concerned, e.g. "zone-a/api-1".
    pub instance: Option<String>,
    pub detail: Option<String>,
}

impl RestartEvent {
    pub fn now(kind: RestartEventKind, instance: Option<String>) -> RestartEvent {
        RestartEvent {
            at: Instant::now(),
            kind,
            instance,
            detail: None,
        }
    }
}

/// Restart commands report events by printing lines that start with this on stdout:
/// `netconform-event: <kind> <instance or -> [detail]`, kind one of `rollout-begun`,
/// `started`, `healthy`, `stopping`, `exited`, `rollout-done`, `rollout-failed`.
pub const EVENT_LINE_PREFIX: &str = "netconform-event: ";

impl RestartEvent {
    /// The event as a line of the event protocol ([`EVENT_LINE_PREFIX`]).
    pub fn to_line(&self) -> String {
        let mut line = format!(
            "{EVENT_LINE_PREFIX}{} {}",
            self.kind.token(),
            self.instance.as_deref().unwrap_or("-")
        );
        if let Some(detail) = &self.detail {
            line.push(' ');
            line.push_str(&detail.replace('\n', " "));
        }
        line
    }

    /// An event-protocol line as an event that happened now; `None` for any other line.
    pub fn parse_line(line: &str) -> Option<RestartEvent> {
        let rest = line.trim().strip_prefix(EVENT_LINE_PREFIX)?;
        let mut words = rest.splitn(3, ' ');
        let token = words.next()?;
        let kind = RestartEventKind::ALL
            .into_iter()
            .find(|k| k.token() == token)?;
        let instance = words
            .next()
            .filter(|w| !w.is_empty() && *w != "-")
            .map(str::to_owned);
        let detail = words
            .next()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        Some(RestartEvent {
            at: Instant::now(),
            kind,
            instance,
            detail,
        })
    }
}

impl fmt::Display for RestartEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.instance {
            Some(instance) => write!(f, "{instance} {}", self.kind)?,
            None => write!(f, "{}", self.kind)?,
        }
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_lines_round_trip() {
        for kind in RestartEventKind::ALL {
            for (instance, detail) in [(None, None), (Some("zone-a/api-1"), Some("exited at once"))]
            {
                let ev = RestartEvent {
                    at: Instant::now(),
                    kind,
                    instance: instance.map(str::to_owned),
                    detail: detail.map(str::to_owned),
                };
                let back = RestartEvent::parse_line(&ev.to_line()).unwrap();
                assert_eq!(
                    (back.kind, back.instance, back.detail),
                    (ev.kind, ev.instance, ev.detail)
                );
            }
        }
        assert_eq!(
            RestartEvent::parse_line("deployment \"api\" successfully rolled out"),
            None
        );
        assert_eq!(
            RestartEvent::parse_line("netconform-event: exploded x"),
            None
        );
    }
}
