//! `kind = "kubernetes"`: `kubectl rollout restart` of a Deployment, followed pod by pod
//! (started, ready, terminating, gone) until every old pod is gone and the new ones are
//! ready.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use netconform_model::{RestartEvent, RestartEventKind};
use serde_json::Value;
use tokio::sync::mpsc;

use super::cli::{Cli, CliError};
use super::{Emit, RestartRun};

/// What to restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubernetesRestart {
    pub deployment: String,
    pub namespace: String,
    pub context: Option<String>,
    pub kubectl: String,
    pub poll: Duration,
}

/// A pod as seen in one look.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pod {
    ready: bool,
    terminating: bool,
}

fn pods(list: &Value) -> BTreeMap<String, Pod> {
    let mut pods = BTreeMap::new();
    for item in list["items"].as_array().into_iter().flatten() {
        let Some(name) = item["metadata"]["name"].as_str() else {
            continue;
        };
        let ready = item["status"]["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["type"] == "Ready" && c["status"] == "True");
        let terminating = !item["metadata"]["deletionTimestamp"].is_null();
        pods.insert(name.to_owned(), Pod { ready, terminating });
    }
    pods
}

impl KubernetesRestart {
    pub fn describe(&self) -> String {
        format!(
            "kubectl rollout restart deployment/{} -n {}",
            self.deployment, self.namespace
        )
    }

    pub(crate) async fn run(&self, events: mpsc::UnboundedSender<RestartEvent>) -> RestartRun {
        let started = Instant::now();
        let mut prefix = Vec::new();
        if let Some(context) = &self.context {
            prefix.extend(["--context".to_owned(), context.clone()]);
        }
        prefix.extend(["-n".to_owned(), self.namespace.clone()]);
        let mut kubectl = Cli::new(&self.kubectl, prefix);
        let res = self.follow(&mut kubectl, &Emit(&events)).await;
        RestartRun::finished(res, kubectl.transcript, started.elapsed(), &events)
    }

    async fn follow(&self, kubectl: &mut Cli, emit: &Emit<'_>) -> Result<String, CliError> {
        let deployment = kubectl
            .json(&["get", "deployment", &self.deployment, "-o", "json"])
            .await?;
        let labels = deployment["spec"]["selector"]["matchLabels"]
            .as_object()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                CliError::Failed(format!(
                    "deployment {} has no spec.selector.matchLabels",
                    self.deployment
                ))
            })?;
        let selector = labels
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(",");
        let replicas = deployment["spec"]["replicas"].as_u64().unwrap_or(1) as usize;
        let look = ["get", "pods", "-l", selector.as_str(), "-o", "json"];
        let old: BTreeSet<String> = pods(&kubectl.json(&look).await?).into_keys().collect();

        kubectl
            .run(&[
                "rollout",
                "restart",
                &format!("deployment/{}", self.deployment),
            ])
            .await?;
        emit.send(RestartEventKind::RolloutBegun, None, None);
        let (mut started, mut ready, mut stopping, mut gone) = (
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
        );
        loop {
            let now = pods(&kubectl.json(&look).await?);
            // The old pods' news first, then the new pods'.
            for name in &old {
                match now.get(name) {
                    Some(pod) if pod.terminating && stopping.insert(name.clone()) => {
                        emit.send(RestartEventKind::InstanceStopping, Some(name), None);
                    }
                    Some(_) => {}
                    None if gone.insert(name.clone()) => {
                        if stopping.insert(name.clone()) {
                            emit.send(RestartEventKind::InstanceStopping, Some(name), None);
                        }
                        emit.send(RestartEventKind::InstanceExited, Some(name), None);
                    }
                    None => {}
                }
            }
            for (name, pod) in now.iter().filter(|(n, _)| !old.contains(*n)) {
                if started.insert(name.clone()) {
                    emit.send(RestartEventKind::InstanceStarted, Some(name), None);
                }
                if pod.ready && ready.insert(name.clone()) {
                    emit.send(RestartEventKind::InstanceHealthy, Some(name), None);
                }
            }
            let new_ready = now
                .iter()
                .filter(|(n, p)| !old.contains(*n) && p.ready && !p.terminating)
                .count();
            if gone.len() == old.len() && new_ready >= replicas {
                return Ok(format!(
                    "{} old pods replaced by {new_ready} ready pods",
                    old.len()
                ));
            }
            tokio::time::sleep(self.poll).await;
        }
    }
}
