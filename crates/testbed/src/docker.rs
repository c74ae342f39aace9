//! The Docker engine, through testcontainers and the bollard client it re-exports (for what
//! testcontainers has no API for: labelled networks, listing and removing by label, a
//! container's state by name, importing the image). Every container and network the bed
//! makes carries the run's label, so teardown finds all of them, whatever state the run is in.
//!
//! testcontainers and bollard are pinned (`=0.28.0`, `=0.21.1`, in the workspace manifest):
//! released bollard leaves the API version out of its request paths, so the engine answers in
//! its own version (Docker 20.10 speaks 1.41); the fix, unreleased, would send `/v1.53/...`,
//! which engines before Docker 29 refuse.

use std::collections::HashMap;

use testcontainers::bollard::Docker;
use testcontainers::bollard::models::NetworkCreateRequest;
use testcontainers::bollard::query_parameters::{
    ListContainersOptionsBuilder, ListNetworksOptionsBuilder, RemoveContainerOptionsBuilder,
};

use crate::TestbedError;

/// The label every object of the bed carries: `netconform.testbed.run=<run id>`.
pub const RUN_LABEL: &str = "netconform.testbed.run";
/// The label naming the process that made a bed, for finding beds whose process died.
pub const PID_LABEL: &str = "netconform.testbed.pid";
/// The label naming the machine (its host name) that made a bed: only beds of this machine
/// are ever reaped, as a process id means nothing on another.
pub const HOST_LABEL: &str = "netconform.testbed.host";

/// A client of the engine testcontainers talks to (`DOCKER_HOST`, or the local socket), once
/// it has answered; [`TestbedError::DockerUnreachable`] when it does not.
pub(crate) async fn client() -> Result<Docker, TestbedError> {
    let docker = testcontainers::core::client::docker_client_instance()
        .await
        .map_err(|e| TestbedError::DockerUnreachable { why: e.to_string() })?;
    docker
        .version()
        .await
        .map_err(|e| TestbedError::DockerUnreachable { why: e.to_string() })?;
    Ok(docker)
}

/// A failed call to the engine, as "failed to {what}: {why}".
pub(crate) fn failed(what: impl Into<String>, why: impl std::fmt::Display) -> TestbedError {
    TestbedError::Docker {
        what: what.into(),
        why: why.to_string(),
    }
}

/// Runs `work` to its end on a runtime of its own, in a thread of its own: for Drop, signal
/// handlers and tests, inside a runtime or not. `None` when no runtime could be made.
pub(crate) fn blocking<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> Option<T> {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()
            .map(|runtime| runtime.block_on(work))
    })
    .join()
    .ok()
    .flatten()
}

/// The labels of one run: the run, this process, this machine.
pub(crate) fn labels(run: &str) -> HashMap<String, String> {
    HashMap::from([
        (RUN_LABEL.to_owned(), run.to_owned()),
        (PID_LABEL.to_owned(), std::process::id().to_string()),
        (HOST_LABEL.to_owned(), host_name()),
    ])
}

/// Creates the run's network, labelled (testcontainers would make an unlabelled one).
pub(crate) async fn create_network(
    docker: &Docker,
    name: &str,
    run: &str,
) -> Result<(), TestbedError> {
    docker
        .create_network(NetworkCreateRequest {
            name: name.to_owned(),
            driver: Some("bridge".to_owned()),
            labels: Some(labels(run)),
            ..NetworkCreateRequest::default()
        })
        .await
        .map(|_| ())
        .map_err(|e| failed(format!("create the network {name}"), e))
}

/// The containers (names) and networks (names) carrying `label` (`key=value`).
async fn list(docker: &Docker, label: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let filters = HashMap::from([("label", vec![label])]);
    let containers = docker
        .list_containers(Some(
            ListContainersOptionsBuilder::default()
                .all(true)
                .filters(&filters)
                .build(),
        ))
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|c| c.names.and_then(|n| n.into_iter().next()))
        .map(|n| n.trim_start_matches('/').to_owned())
        .collect();
    let networks = docker
        .list_networks(Some(
            ListNetworksOptionsBuilder::default()
                .filters(&filters)
                .build(),
        ))
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|n| n.name)
        .collect();
    Ok((containers, networks))
}

/// The containers and networks carrying `label` (`key=value`). Blocking.
pub fn labelled(label: &str) -> (Vec<String>, Vec<String>) {
    let label = label.to_owned();
    blocking(async move {
        let docker = client().await.ok()?;
        list(&docker, &label).await.ok()
    })
    .flatten()
    .unwrap_or_default()
}

/// Removes every container (killing it) and network of run `run`; safe to call twice.
/// Returns what it could not remove.
pub(crate) async fn remove(docker: &Docker, run: &str) -> Vec<String> {
    let label = format!("{RUN_LABEL}={run}");
    let Ok((containers, _)) = list(docker, &label).await else {
        return vec![format!(
            "the objects labelled {label} (Docker did not answer)"
        )];
    };
    let force = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    for name in &containers {
        let _ = docker.remove_container(name, Some(force.clone())).await;
    }
    if let Ok((_, networks)) = list(docker, &label).await {
        for name in &networks {
            let _ = docker.remove_network(name).await;
        }
    }
    match list(docker, &label).await {
        Ok((containers, networks)) => containers.into_iter().chain(networks).collect(),
        Err(e) => vec![format!("the objects labelled {label} ({e})")],
    }
}

/// [`remove`], blocking, with a client of its own.
pub fn remove_run(run: &str) -> Vec<String> {
    let run = run.to_owned();
    blocking(async move {
        match client().await {
            Ok(docker) => remove(&docker, &run).await,
            Err(e) => vec![format!("the run {run}: failed to {e}")],
        }
    })
    .unwrap_or_else(|| vec!["the run: no runtime to reach Docker with".to_owned()])
}

/// This machine's host name, for [`HOST_LABEL`].
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}

/// Removes the beds of this machine whose process is gone (killed with SIGKILL, say): beds
/// of live processes and of other machines sharing the engine are left alone.
pub(crate) async fn remove_orphans(docker: &Docker) {
    let host = format!("{HOST_LABEL}={}", host_name());
    let filters = HashMap::from([("label", vec![host.as_str()])]);
    let mut labels: Vec<HashMap<String, String>> = Vec::new();
    if let Ok(containers) = docker
        .list_containers(Some(
            ListContainersOptionsBuilder::default()
                .all(true)
                .filters(&filters)
                .build(),
        ))
        .await
    {
        labels.extend(containers.into_iter().filter_map(|c| c.labels));
    }
    if let Ok(networks) = docker
        .list_networks(Some(
            ListNetworksOptionsBuilder::default()
                .filters(&filters)
                .build(),
        ))
        .await
    {
        labels.extend(networks.into_iter().filter_map(|n| n.labels));
    }
    let mut dead: Vec<String> = labels
        .iter()
        .filter(|l| {
            l.get(PID_LABEL)
                .and_then(|p| p.parse::<u32>().ok())
                .is_some_and(|p| !std::path::Path::new(&format!("/proc/{p}")).exists())
        })
        .filter_map(|l| l.get(RUN_LABEL).cloned())
        .collect();
    dead.sort_unstable();
    dead.dedup();
    for run in dead {
        remove(docker, &run).await;
    }
}

/// A container's state by name: "running healthy", "running starting", "exited", ...
pub(crate) async fn state(docker: &Docker, name: &str) -> String {
    let Ok(inspect) = docker.inspect_container(name, None).await else {
        return "unknown".to_owned();
    };
    let state = inspect.state.unwrap_or_default();
    let status = state.status.map(|s| s.to_string()).unwrap_or_default();
    match state.health.and_then(|h| h.status) {
        Some(health) => format!("{status} {health}"),
        None => status,
    }
}
