//! The bed's times: an ALB's and an ECS service's, scaled down.

use std::time::Duration;

/// The bed's times: an ALB's health checks and an ECS service's, scaled down so a rolling
/// restart takes seconds.
#[derive(Debug, Clone)]
pub struct Timing {
    /// HAProxy's health check interval (an ALB's `HealthCheckIntervalSeconds`, 30 s by default).
    pub check_interval: Duration,
    /// Time allowed for one check (`HealthCheckTimeoutSeconds`), below the interval.
    pub check_timeout: Duration,
    /// Checks in a row to become healthy (`HealthyThresholdCount`, 5 by default).
    pub healthy_threshold: u32,
    /// Checks in a row to become unhealthy (`UnhealthyThresholdCount`, 2 by default).
    pub unhealthy_threshold: u32,
    /// HAProxy's `timeout connect`, which is also its pause between connection retries
    /// (`min(timeout connect, 1 s)`, 3 retries by default): scaled down with the rest, so its
    /// retries span less than a replica's restart, as 3 s span less than a real one's.
    pub connect_timeout: Duration,
    /// How often HAProxy asks the replicas' agent, which says `drain` from SIGTERM on (the
    /// part ECS plays when it deregisters a stopping task from its target group).
    pub agent_interval: Duration,
    /// How long a stopping replica keeps serving before it fails its checks and drains: above
    /// the agent interval, so HAProxy has stopped routing to it by then.
    pub drain_delay: Duration,
    /// `docker stop -t` of the rolling restart (ECS's `stopTimeout`, 120 s in the guide).
    pub stop_timeout: Duration,
    /// The stop timeout of `stop-timeout-too-short`: shorter than the drain delay.
    pub short_stop_timeout: Duration,
    /// Docker's own health check of a replica (ECS's container health check): the restart
    /// stops the next container only once the started one is healthy, so this must exceed
    /// what HAProxy takes to see a started replica healthy.
    pub container_health_interval: Duration,
    /// How long the load's slow requests take: in flight across every stop.
    pub slow_request: Duration,
    /// Every n-th request of the load is a slow one: odd, so HAProxy's round robin over the
    /// two replicas gives each of them slow requests (every 10th would land them all on one
    /// replica, and a stop of the other would cut none off).
    pub slow_every: u64,
    /// How long the bed may take to come up.
    pub ready_within: Duration,
    /// TTL of the zone's records, in seconds.
    pub dns_ttl: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            check_interval: Duration::from_millis(400),
            check_timeout: Duration::from_millis(300),
            healthy_threshold: 3,
            unhealthy_threshold: 2,
            connect_timeout: Duration::from_millis(250),
            agent_interval: Duration::from_millis(400),
            drain_delay: Duration::from_millis(1500),
            stop_timeout: Duration::from_secs(10),
            short_stop_timeout: Duration::from_secs(1),
            container_health_interval: Duration::from_secs(3),
            slow_request: Duration::from_secs(2),
            slow_every: 7,
            ready_within: Duration::from_secs(60),
            dns_ttl: 60,
        }
    }
}
