//! `kind = "ecs"`: `aws ecs update-service --force-new-deployment`, followed task by task
//! (provisioned, running and healthy, stopping, stopped) until the service is stable and every
//! old task has stopped.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use netconform_model::{RestartEvent, RestartEventKind};
use serde_json::Value;
use tokio::sync::mpsc;

use super::cli::{Cli, CliError};
use super::{Emit, RestartRun};

/// What to restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcsRestart {
    pub cluster: String,
    pub service: String,
    pub region: Option<String>,
    pub aws: String,
    pub poll: Duration,
}

/// A task as seen in one look.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Task {
    last_status: String,
    desired_status: String,
    health: String,
}

/// The task id: the last part of its ARN.
fn task_id(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_owned()
}

impl EcsRestart {
    pub fn describe(&self) -> String {
        format!(
            "aws ecs update-service --cluster {} --service {} --force-new-deployment",
            self.cluster, self.service
        )
    }

    pub(crate) async fn run(&self, events: mpsc::UnboundedSender<RestartEvent>) -> RestartRun {
        let started = Instant::now();
        let mut prefix = Vec::new();
        if let Some(region) = &self.region {
            prefix.extend(["--region".to_owned(), region.clone()]);
        }
        prefix.extend(["--output".to_owned(), "json".to_owned()]);
        let mut aws = Cli::new(&self.aws, prefix);
        let res = self.follow(&mut aws, &Emit(&events)).await;
        RestartRun::finished(res, aws.transcript, started.elapsed(), &events)
    }

    /// The service's tasks (running or stopping), by id.
    async fn tasks(&self, aws: &mut Cli) -> Result<BTreeMap<String, Task>, CliError> {
        let list = aws
            .json(&[
                "ecs",
                "list-tasks",
                "--cluster",
                &self.cluster,
                "--service-name",
                &self.service,
            ])
            .await?;
        let arns: Vec<&str> = list["taskArns"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if arns.is_empty() {
            return Ok(BTreeMap::new());
        }
        let mut args = vec![
            "ecs",
            "describe-tasks",
            "--cluster",
            self.cluster.as_str(),
            "--tasks",
        ];
        args.extend(arns.iter().copied());
        let described = aws.json(&args).await?;
        let mut tasks = BTreeMap::new();
        for t in described["tasks"].as_array().into_iter().flatten() {
            let Some(arn) = t["taskArn"].as_str() else {
                continue;
            };
            let text = |k: &str| t[k].as_str().unwrap_or("UNKNOWN").to_owned();
            tasks.insert(
                task_id(arn),
                Task {
                    last_status: text("lastStatus"),
                    desired_status: text("desiredStatus"),
                    health: text("healthStatus"),
                },
            );
        }
        Ok(tasks)
    }

    /// Whether the service has one deployment, completed, with every desired task running.
    async fn stable(&self, aws: &mut Cli) -> Result<bool, CliError> {
        let described = aws
            .json(&[
                "ecs",
                "describe-services",
                "--cluster",
                &self.cluster,
                "--services",
                &self.service,
            ])
            .await?;
        let service = &described["services"][0];
        if service.is_null() {
            return Err(CliError::Failed(format!(
                "service {} not found in cluster {}",
                self.service, self.cluster
            )));
        }
        let deployments = service["deployments"].as_array().map_or(0, Vec::len);
        let primary = &service["deployments"][0];
        let completed = primary["rolloutState"]
            .as_str()
            .is_none_or(|s| s == "COMPLETED");
        Ok(deployments == 1 && completed && service["runningCount"] == service["desiredCount"])
    }

    async fn follow(&self, aws: &mut Cli, emit: &Emit<'_>) -> Result<String, CliError> {
        let old: BTreeSet<String> = self.tasks(aws).await?.into_keys().collect();
        aws.run(&[
            "ecs",
            "update-service",
            "--cluster",
            &self.cluster,
            "--service",
            &self.service,
            "--force-new-deployment",
        ])
        .await?;
        emit.send(RestartEventKind::RolloutBegun, None, None);
        let (mut started, mut healthy, mut stopping, mut stopped) = (
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
        );
        loop {
            let now = self.tasks(aws).await?;
            // The old tasks' news first, then the new tasks'.
            for id in &old {
                let task = now.get(id);
                let going = task.is_none_or(|t| {
                    t.desired_status == "STOPPED"
                        || matches!(
                            t.last_status.as_str(),
                            "DEACTIVATING" | "STOPPING" | "DEPROVISIONING" | "STOPPED"
                        )
                });
                if going && stopping.insert(id.clone()) {
                    emit.send(RestartEventKind::InstanceStopping, Some(id), None);
                }
                if task.is_none_or(|t| t.last_status == "STOPPED") && stopped.insert(id.clone()) {
                    emit.send(RestartEventKind::InstanceExited, Some(id), None);
                }
            }
            for (id, task) in now.iter().filter(|(id, _)| !old.contains(*id)) {
                if started.insert(id.clone()) {
                    emit.send(
                        RestartEventKind::InstanceStarted,
                        Some(id),
                        Some(task.last_status.clone()),
                    );
                }
                let up = task.last_status == "RUNNING"
                    && matches!(task.health.as_str(), "HEALTHY" | "UNKNOWN");
                if up && healthy.insert(id.clone()) {
                    emit.send(RestartEventKind::InstanceHealthy, Some(id), None);
                }
            }
            if stopped.len() == old.len() && self.stable(aws).await? {
                return Ok(format!(
                    "{} old tasks replaced; the service is stable",
                    old.len()
                ));
            }
            tokio::time::sleep(self.poll).await;
        }
    }
}
