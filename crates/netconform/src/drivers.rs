//! The restart drivers the binary picks from: the environment file's (`drain.restart`: a
//! shell command or a typed driver of netconform-drain), the built-in sandbox's own rollout,
//! and a running `netconform sandbox`'s, through its control endpoint.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use netconform_drain::{
    DockerRestart, EcsRestart, KubernetesRestart, RestartDriver, RestartRun, ShellRestart,
};
use netconform_model::environment::{Restart, RestartDriverSpec};
use netconform_model::{Environment, RestartEvent};
use netconform_sandbox::Sandbox;
use tokio::sync::mpsc;

/// The restart driver an environment file names.
pub(crate) fn for_environment(restart: &Restart, env: &Environment) -> Arc<dyn RestartDriver> {
    let max_duration = env.drain.max_duration.get();
    match restart {
        Restart::Command(command) => Arc::new(ShellRestart {
            command: command.0.clone(),
            cwd: env.base_dir.clone(),
            timeout: max_duration,
        }),
        Restart::Driver(RestartDriverSpec::Kubernetes {
            deployment,
            namespace,
            context,
            kubectl,
            poll,
        }) => Arc::new(KubernetesRestart {
            deployment: deployment.clone(),
            namespace: namespace.clone(),
            context: context.clone(),
            kubectl: kubectl.clone(),
            poll: poll.get(),
        }),
        Restart::Driver(RestartDriverSpec::Ecs {
            cluster,
            service,
            region,
            aws,
            poll,
        }) => Arc::new(EcsRestart {
            cluster: cluster.clone(),
            service: service.clone(),
            region: region.clone(),
            aws: aws.clone(),
            poll: poll.get(),
        }),
        Restart::Driver(RestartDriverSpec::Docker {
            containers,
            stop_timeout,
            docker,
        }) => Arc::new(DockerRestart {
            containers: containers.clone(),
            stop_timeout: stop_timeout.get(),
            docker: docker.clone(),
            poll: std::time::Duration::from_millis(500),
            healthy_within: max_duration,
        }),
        Restart::Driver(RestartDriverSpec::Sandbox { url }) => {
            Arc::new(RemoteSandboxRestart { url: url.clone() })
        }
    }
}

/// The sandbox's own rolling restart, as a restart driver.
pub(crate) struct SandboxRestart(pub(crate) Arc<Sandbox>);

impl RestartDriver for SandboxRestart {
    fn describe(&self) -> String {
        "the sandbox's rolling restart".to_owned()
    }

    fn run<'a>(
        &'a self,
        events: mpsc::UnboundedSender<RestartEvent>,
    ) -> Pin<Box<dyn Future<Output = RestartRun> + Send + 'a>> {
        Box::pin(async move {
            let started = Instant::now();
            let res = self.0.rolling_restart(events).await;
            RestartRun {
                completed: res.is_ok(),
                status: match &res {
                    Ok(()) => "every replica replaced".to_owned(),
                    Err(e) => format!("failed to {e}"),
                },
                could_not_run: false,
                output: String::new(),
                duration: started.elapsed(),
            }
        })
    }
}

/// POSTs to a running sandbox's rolling-restart URL and hands each line of its answer to
/// `on_line`; `Err` says why the rollout did not complete.
pub(crate) async fn follow_rollout(url: &str, mut on_line: impl FnMut(&str)) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .retry(reqwest::retry::never())
        .no_proxy()
        .build()
        .map_err(|e| format!("failed to build the HTTP client: {e}"))?;
    let mut res = match client.post(url).send().await {
        Ok(res) if res.status().is_success() => res,
        Ok(res) => {
            return Err(format!(
                "the sandbox answered {} to POST {url}",
                res.status()
            ));
        }
        Err(e) => {
            return Err(format!(
                "failed to reach the sandbox at {url} (is `netconform sandbox` running?): {e}"
            ));
        }
    };
    let (mut pending, mut last) = (String::new(), String::new());
    loop {
        match res.chunk().await {
            Ok(Some(bytes)) => {
                pending.push_str(&String::from_utf8_lossy(&bytes));
                while let Some(i) = pending.find('\n') {
                    let line: String = pending.drain(..=i).collect();
                    let line = line.trim_end();
                    on_line(line);
                    last = line.to_owned();
                }
            }
            Ok(None) => break,
            Err(e) => return Err(format!("the sandbox's answer broke off: {e}")),
        }
    }
    if last == "done" {
        Ok(())
    } else {
        Err(last.strip_prefix("failed: ").unwrap_or(&last).to_owned())
    }
}

/// `kind = "sandbox"`: a running `netconform sandbox`'s rollout, through its control endpoint.
pub(crate) struct RemoteSandboxRestart {
    pub(crate) url: String,
}

impl RestartDriver for RemoteSandboxRestart {
    fn describe(&self) -> String {
        format!("the sandbox's rolling restart at {}", self.url)
    }

    fn run<'a>(
        &'a self,
        events: mpsc::UnboundedSender<RestartEvent>,
    ) -> Pin<Box<dyn Future<Output = RestartRun> + Send + 'a>> {
        Box::pin(async move {
            let started = Instant::now();
            let mut output = String::new();
            let res = follow_rollout(&self.url, |line| {
                if let Some(event) = RestartEvent::parse_line(line) {
                    let _ = events.send(event);
                }
                output.push_str(line);
                output.push('\n');
            })
            .await;
            RestartRun {
                completed: res.is_ok(),
                status: res
                    .clone()
                    .err()
                    .unwrap_or_else(|| "every replica replaced".to_owned()),
                could_not_run: res
                    .as_ref()
                    .is_err_and(|e| e.starts_with("failed to reach")),
                output,
                duration: started.elapsed(),
            }
        })
    }
}
