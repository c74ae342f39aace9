//! `kind = "docker"`: containers stopped with a stop timeout (`docker stop -t`: SIGTERM, then
//! SIGKILL after it, ECS's `stopTimeout`) and started again, one at a time, each started one
//! running (and healthy, when it has a health check) before the next is stopped.

use std::time::{Duration, Instant};

use netconform_model::{RestartEvent, RestartEventKind};
use tokio::sync::mpsc;

use super::cli::{Cli, CliError};
use super::{Emit, RestartRun};

/// What to restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerRestart {
    pub containers: Vec<String>,
    pub stop_timeout: Duration,
    pub docker: String,
    /// How often a started container is looked at, and for how long at most.
    pub poll: Duration,
    pub healthy_within: Duration,
}

impl DockerRestart {
    pub fn describe(&self) -> String {
        format!(
            "docker stop -t {} and start, one at a time: {}",
            self.stop_timeout.as_secs(),
            self.containers.join(", ")
        )
    }

    pub(crate) async fn run(&self, events: mpsc::UnboundedSender<RestartEvent>) -> RestartRun {
        let started = Instant::now();
        let mut docker = Cli::new(&self.docker, Vec::new());
        docker.timeout = self.stop_timeout + Duration::from_secs(30);
        let res = self.follow(&mut docker, &Emit(&events)).await;
        RestartRun::finished(res, docker.transcript, started.elapsed(), &events)
    }

    async fn follow(&self, docker: &mut Cli, emit: &Emit<'_>) -> Result<String, CliError> {
        emit.send(RestartEventKind::RolloutBegun, None, None);
        let timeout = self.stop_timeout.as_secs().to_string();
        for name in &self.containers {
            emit.send(RestartEventKind::InstanceStopping, Some(name), None);
            docker.run(&["stop", "-t", &timeout, name]).await?;
            let exit = docker
                .run(&["inspect", "-f", "{{.State.ExitCode}}", name])
                .await?;
            emit.send(
                RestartEventKind::InstanceExited,
                Some(name),
                Some(format!("exit code {}", exit.trim())),
            );
            docker.run(&["start", name]).await?;
            emit.send(RestartEventKind::InstanceStarted, Some(name), None);
            let deadline = Instant::now() + self.healthy_within;
            loop {
                let state = docker
                    .run(&["inspect", "-f", "{{.State.Running}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}", name])
                    .await?;
                let mut words = state.split_whitespace();
                let (running, health) =
                    (words.next() == Some("true"), words.next().unwrap_or("none"));
                if running && matches!(health, "healthy" | "none") {
                    emit.send(RestartEventKind::InstanceHealthy, Some(name), None);
                    break;
                }
                if Instant::now() > deadline {
                    return Err(CliError::Failed(format!(
                        "{name} was not running and healthy within {:?} (running {running}, health {health})",
                        self.healthy_within
                    )));
                }
                tokio::time::sleep(self.poll).await;
            }
        }
        Ok(format!("{} containers restarted", self.containers.len()))
    }
}
