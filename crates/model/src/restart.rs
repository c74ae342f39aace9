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
