//! The Docker engine, through its CLI (which negotiates the API version with any engine; the
//! drain tester's docker restart driver uses it too). Every container and network the bed
//! makes carries the run's label, so teardown finds all of them, whatever state the run is in.

use std::process::Stdio;

use crate::TestbedError;

/// The label every object of the bed carries: `netconform.testbed.run=<run id>`.
pub const RUN_LABEL: &str = "netconform.testbed.run";
/// The label naming the process that made a bed, for finding beds whose process died.
pub const PID_LABEL: &str = "netconform.testbed.pid";

/// Runs `docker ARGS`; its stdout, trimmed, or why it failed.
pub(crate) async fn run(docker: &str, args: &[&str]) -> Result<String, TestbedError> {
    let out = tokio::process::Command::new(docker)
        .args(args)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| TestbedError::DockerUnreachable {
            why: format!("could not run {docker}: {e}"),
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(TestbedError::Docker {
            command: format!("{docker} {}", args.join(" ")),
            why: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// Whether the engine answers: `Ok(server version)`, or [`TestbedError::DockerUnreachable`].
pub(crate) async fn reachable(docker: &str) -> Result<String, TestbedError> {
    match run(docker, &["version", "--format", "{{.Server.Version}}"]).await {
        Ok(version) => Ok(version),
        Err(TestbedError::Docker { why, .. }) => Err(TestbedError::DockerUnreachable { why }),
        Err(e) => Err(e),
    }
}

/// Runs `docker ARGS` and waits, without a runtime (for Drop and signal handlers).
fn run_blocking(docker: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(docker)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The containers and networks carrying `label` (`key=value`).
pub fn labelled(docker: &str, label: &str) -> (Vec<String>, Vec<String>) {
    let filter = format!("label={label}");
    let list = |args: &[&str]| {
        run_blocking(docker, args)
            .map(|out| out.lines().map(str::to_owned).collect())
            .unwrap_or_default()
    };
    (
        list(&["ps", "-aq", "--filter", &filter]),
        list(&["network", "ls", "-q", "--filter", &filter]),
    )
}

/// Removes every container (killing it) and network of run `run`. Blocking; safe to call
/// twice. Returns what it could not remove.
pub fn remove_run(docker: &str, run: &str) -> Vec<String> {
    let label = format!("{RUN_LABEL}={run}");
    let (containers, _) = labelled(docker, &label);
    if !containers.is_empty() {
        let mut args = vec!["rm", "-f", "-v"];
        args.extend(containers.iter().map(String::as_str));
        let _ = run_blocking(docker, &args);
    }
    let (_, networks) = labelled(docker, &label);
    if !networks.is_empty() {
        let mut args = vec!["network", "rm"];
        args.extend(networks.iter().map(String::as_str));
        let _ = run_blocking(docker, &args);
    }
    let (containers, networks) = labelled(docker, &label);
    containers.into_iter().chain(networks).collect()
}

/// The label naming the machine (its host name) that made a bed: only beds of this machine
/// are ever reaped, as a process id means nothing on another.
pub const HOST_LABEL: &str = "netconform.testbed.host";

/// This machine's host name, for [`HOST_LABEL`].
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}

/// Removes the beds of this machine whose process is gone (killed with SIGKILL, say): beds
/// of live processes and of other machines sharing the engine are left alone.
pub(crate) fn remove_orphans(docker: &str) {
    let host = format!("label={HOST_LABEL}={}", host_name());
    let format = format!("{{{{.Label \"{RUN_LABEL}\"}}}} {{{{.Label \"{PID_LABEL}\"}}}}");
    let mut dead = Vec::new();
    for list in [["ps", "-a"].as_slice(), ["network", "ls"].as_slice()] {
        let mut args = list.to_vec();
        args.extend(["--filter", &host, "--format", &format]);
        let Some(out) = run_blocking(docker, &args) else {
            continue;
        };
        dead.extend(
            out.lines()
                .filter_map(|l| l.split_once(' '))
                .filter(|(_, pid)| {
                    pid.parse::<u32>()
                        .is_ok_and(|p| !std::path::Path::new(&format!("/proc/{p}")).exists())
                })
                .map(|(run, _)| run.to_owned()),
        );
    }
    dead.sort_unstable();
    dead.dedup();
    for run in dead {
        remove_run(docker, &run);
    }
}
