//! The container test bed: the deployment the networking guide describes, made of real
//! software in Docker, that can be broken on purpose. Owns [`Testbed`], [`TestbedConfig`],
//! [`Timing`], [`Variant`] and the bed's image ([`images`]).
//!
//! On a private Docker network it starts an authoritative DNS server (BIND) for a test zone
//! (api and app CNAME to the load balancer's name), HAProxy (TLS termination with the bed's
//! own CA, a redirect from port 80, `option httpchk GET /api/status` with ALB-like timings
//! scaled down, HAProxy's agent check, the statistics page) and two API replicas, zone-a and
//! zone-b, each the netconform binary's `replica` command (the sandbox's replica) in a
//! container. It describes itself as an [`Environment`] whose rolling restart is the docker
//! driver (`docker stop -t`, ECS's `stopTimeout`), and tears everything down when dropped:
//! every container and network carries the run's label ([`RUN_LABEL`]), so nothing is left.
//!
//! The replica's interface and the CA come from netconform-replica, which the sandbox shares. Its
//! containers are testcontainers' (from the image made locally, never pulled), its network
//! and everything testcontainers has no API for go through the bollard client testcontainers
//! re-exports (`docker`); the rolling restart it describes is the docker restart driver, the
//! CLI users point at their own containers. Depends on model and replica only, never on
//! a checker. No printing, no process env: the caller passes the paths and the docker CLI
//! the restart driver is to use.

mod docker;
mod environment;
mod files;
pub mod images;
mod ready;
mod start;
mod teardown;
mod timing;
mod variant;

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use netconform_model::Environment;

pub use docker::{HOST_LABEL, PID_LABEL, RUN_LABEL, labelled, remove_run};
pub use teardown::Teardown;
pub use timing::Timing;
pub use variant::Variant;

/// The bed's zone.
pub const DOMAIN: &str = "testbed.test";

/// Why the bed could not do its part. Messages read after "failed to".
#[derive(Debug, thiserror::Error)]
pub enum TestbedError {
    #[error(
        "reach Docker ({why}): the container test bed needs a running Docker engine; start it (`systemctl start docker`, or `dockerd &` as root) and make sure this user may use it (its socket /var/run/docker.sock, or DOCKER_HOST)"
    )]
    DockerUnreachable { why: String },
    #[error("{what}: {why}")]
    Docker { what: String, why: String },
    #[error("find the test bed's image {image}: make it with `cargo xtask images`")]
    ImageMissing { image: String },
    #[error("make the test bed's image: {0}")]
    Image(String),
    #[error("issue the test bed's certificates: {0}")]
    Tls(String),
    #[error("write the test bed's files in {dir}: {source}")]
    Files {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("bring the test bed up: {what} within {waited:?}\n{logs}")]
    NotReady {
        what: String,
        waited: Duration,
        logs: String,
    },
}

/// What to start.
#[derive(Debug, Clone)]
pub struct TestbedConfig {
    pub variant: Option<Variant>,
    pub timing: Timing,
    /// The netconform binary (Linux, x86_64, glibc), mounted into the replicas' containers.
    pub replica_exe: PathBuf,
    /// Where the bed's files (HAProxy's and BIND's configuration, certificates) are written,
    /// in a directory of their own, removed with the bed.
    pub work_dir: PathBuf,
    /// The docker CLI the environment's rolling restart (the docker restart driver) runs.
    pub docker: String,
}

/// Where the bed's parts are.
#[derive(Debug, Clone)]
pub struct Topology {
    pub network: String,
    /// The DNS container and its address (port 53).
    pub dns: (String, IpAddr),
    /// The HAProxy container and its address (443, 80, statistics on 8404).
    pub lb: (String, IpAddr),
    /// The API containers, by zone.
    pub replicas: Vec<(String, String)>,
}

impl fmt::Display for Topology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let replicas: Vec<String> = self
            .replicas
            .iter()
            .map(|(zone, name)| format!("{name} ({zone})"))
            .collect();
        write!(
            f,
            "network {}: BIND {} on {}:53, HAProxy {} on {} (HTTPS 443, HTTP 80, statistics {}{}), API {}",
            self.network,
            self.dns.0,
            self.dns.1,
            self.lb.0,
            self.lb.1,
            files::STATS_PORT,
            files::STATS_PATH,
            replicas.join(", ")
        )
    }
}

/// A running bed. Dropping it removes every container, network and file it made.
pub struct Testbed {
    teardown: Teardown,
    topology: Topology,
    environment: Environment,
    variant: Option<Variant>,
    /// Kept alive with the bed: testcontainers removes a container when its handle drops.
    containers: Option<start::Containers>,
}

impl Testbed {
    /// Starts every part and waits until HAProxy routes to the replicas (or, broken, has
    /// checked them). Fails, leaving nothing behind, when Docker cannot be reached or the
    /// image is missing. `teardown` comes from [`Teardown::new`] with the same config, so the
    /// caller can remove the run while this is still starting it.
    pub async fn start(config: TestbedConfig, teardown: Teardown) -> Result<Testbed, TestbedError> {
        let client = docker::client().await?;
        if !images::exists(&client).await? {
            return Err(TestbedError::ImageMissing {
                image: images::IMAGE.to_owned(),
            });
        }
        docker::remove_orphans(&client).await;
        let mut guard = teardown::Guard(Some(teardown.clone()));
        let parts = start::start_parts(&client, &config, &teardown).await?;
        guard.0 = None;
        Ok(Testbed {
            environment: environment::environment(&config, &parts),
            topology: parts.topology,
            teardown,
            variant: config.variant,
            containers: Some(parts.containers),
        })
    }

    /// The environment file that describes this bed, its rolling restart included.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    pub fn variant(&self) -> Option<Variant> {
        self.variant
    }

    /// A handle that removes the bed, for a signal handler that exits the process.
    pub fn teardown(&self) -> Teardown {
        self.teardown.clone()
    }
}

impl Drop for Testbed {
    fn drop(&mut self) {
        // By label first: whatever the run made goes, handles or not.
        self.teardown.now();
        // testcontainers removes a container when its handle drops, on the runtime it finds;
        // with none (the bed dropped by a panic in a plain thread) it would panic in Drop, so
        // the handles, whose containers are gone already, are let go of unrun.
        if tokio::runtime::Handle::try_current().is_err()
            && let Some(containers) = self.containers.take()
        {
            std::mem::forget(containers);
        }
    }
}
