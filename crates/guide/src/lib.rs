//! The networking guide as data: its sections and values, each citing the section it comes
//! from (`shared/spec/networking-guide.md`, Pulumi's "Networking" page for self-hosted Pulumi
//! Cloud), and its recommendations one by one ([`recommendations`]). std only: `cargo xtask
//! docs` renders the recommendations without building the rest of the workspace, and
//! netconform-model re-exports both as `guide` and `recommendations`.

pub mod recommendations;

use std::time::Duration;

/// A section of the guide, as cited by scenarios (`@guide:<tag>`) and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    MultiAz,
    NetworkArchitecture,
    AutoScaling,
    GracefulShutdown,
    LoadBalancer,
    Dns,
}

impl Section {
    /// Every section, in the guide's order.
    pub const ALL: [Section; 6] = [
        Section::MultiAz,
        Section::NetworkArchitecture,
        Section::AutoScaling,
        Section::GracefulShutdown,
        Section::LoadBalancer,
        Section::Dns,
    ];

    /// The tag a scenario carries to cite this section: `@guide:<tag>`.
    pub fn tag(self) -> &'static str {
        match self {
            Section::MultiAz => "multi-az",
            Section::NetworkArchitecture => "network-architecture",
            Section::AutoScaling => "auto-scaling",
            Section::GracefulShutdown => "graceful-shutdown",
            Section::LoadBalancer => "load-balancer",
            Section::Dns => "dns",
        }
    }

    /// The section's heading in the guide.
    pub fn title(self) -> &'static str {
        match self {
            Section::MultiAz => "Multi-AZ deployment",
            Section::NetworkArchitecture => "Network architecture",
            Section::AutoScaling => "Auto-scaling",
            Section::GracefulShutdown => "Graceful shutdown",
            Section::LoadBalancer => "Load balancer configuration",
            Section::Dns => "DNS",
        }
    }

    /// The section for a `guide:<tag>` tag (without the `@`), if it names one.
    pub fn from_tag(tag: &str) -> Option<Section> {
        let tag = tag.strip_prefix("guide:")?;
        Section::ALL.into_iter().find(|s| s.tag() == tag)
    }
}

/// "DNS": the record for CLI and API access is `api.{domain}`.
pub const API_RECORD_LABEL: &str = "api";
/// "DNS": the record for web console access is `app.{domain}`.
pub const APP_RECORD_LABEL: &str = "app";

/// "Load balancer configuration": health checks for the API service use `/api/status`.
pub const HEALTH_CHECK_PATH: &str = "/api/status";
/// Pulumi documents no body for `/api/status`; its own installers and CI assert 200.
pub const HEALTHY_STATUS: u16 = 200;
/// "Load balancer configuration": health check grace period of 120 seconds.
pub const HEALTH_CHECK_GRACE_PERIOD: Duration = Duration::from_secs(120);

/// "Graceful shutdown": container stop timeout of at least 120 seconds.
pub const STOP_TIMEOUT_MIN: Duration = Duration::from_secs(120);
/// "Graceful shutdown": Kubernetes `terminationGracePeriodSeconds: 130`.
pub const TERMINATION_GRACE_PERIOD: Duration = Duration::from_secs(130);
/// "Graceful shutdown": in-flight requests finish; the bar is zero dropped requests.
pub const MAX_FAILED_DURING_RESTART: u64 = 0;

/// "Auto-scaling": target 50-60 % average CPU utilization (lower bound).
pub const CPU_TARGET_MIN_PERCENT: u8 = 50;
/// "Auto-scaling": target 50-60 % average CPU utilization (upper bound).
pub const CPU_TARGET_MAX_PERCENT: u8 = 60;
/// "Auto-scaling": minimum instances 2, for HA across AZs.
pub const MIN_INSTANCES: u32 = 2;
/// "Auto-scaling": maximum instances 4x the desired count.
pub const MAX_INSTANCES_FACTOR: u32 = 4;

/// "Multi-AZ deployment" and "Network architecture": at least two availability zones.
pub const MIN_AVAILABILITY_ZONES: u32 = 2;
