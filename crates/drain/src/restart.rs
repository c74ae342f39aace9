//! Restart drivers: what performs the rolling restart while the load runs. A shell command
//! ([`ShellRestart`]), or a typed driver that runs the platform's CLI and turns what it sees
//! into events ([`KubernetesRestart`], [`EcsRestart`], [`DockerRestart`]), or a running
//! `netconform sandbox`'s rollout through its control endpoint ([`RemoteSandboxRestart`]).

mod cli;
mod docker;
mod ecs;
mod kubernetes;
mod remote;

pub use docker::DockerRestart;
pub use ecs::EcsRestart;
pub use kubernetes::KubernetesRestart;
pub use remote::{RemoteSandboxRestart, follow_rollout};

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::Stdio;
use std::time::{Duration, Instant};

use netconform_model::{HumanDuration, RestartEvent, RestartEventKind};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc;

/// Most output kept from a restart command (its tail).
const MAX_OUTPUT: usize = 64 * 1024;

/// How a restart went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestartRun {
    /// The rollout finished as intended.
    pub completed: bool,
    /// "exit status 0", "did not finish within 10m", "sh: kubectl: not found", ...
    pub status: String,
    /// The restart could not be attempted (command not found, cannot spawn): no verdict about
    /// the deployment.
    pub could_not_run: bool,
    /// What the command printed (stdout and stderr, tail-capped).
    pub output: String,
    pub duration: Duration,
}

/// Sends events, stamped now.
pub(crate) struct Emit<'a>(pub(crate) &'a mpsc::UnboundedSender<RestartEvent>);

impl Emit<'_> {
    pub(crate) fn send(
        &self,
        kind: RestartEventKind,
        instance: Option<&str>,
        detail: Option<String>,
    ) {
        let mut ev = RestartEvent::now(kind, instance.map(str::to_owned));
        ev.detail = detail;
        let _ = self.0.send(ev);
    }
}

impl RestartRun {
    /// How a typed driver's run ended: its summary or error, the transcript of the commands it
    /// ran; the final event is sent.
    pub(crate) fn finished(
        res: Result<String, cli::CliError>,
        output: String,
        duration: Duration,
        events: &mpsc::UnboundedSender<RestartEvent>,
    ) -> RestartRun {
        let emit = Emit(events);
        match res {
            Ok(status) => {
                emit.send(RestartEventKind::RolloutDone, None, None);
                RestartRun {
                    completed: true,
                    status,
                    could_not_run: false,
                    output,
                    duration,
                }
            }
            Err(e) => {
                emit.send(RestartEventKind::RolloutFailed, None, Some(e.to_string()));
                RestartRun {
                    completed: false,
                    could_not_run: matches!(e, cli::CliError::CannotRun(_)),
                    status: e.to_string(),
                    output,
                    duration,
                }
            }
        }
    }
}

macro_rules! driver {
    ($ty:ty) => {
        impl RestartDriver for $ty {
            fn describe(&self) -> String {
                <$ty>::describe(self)
            }

            fn run<'a>(
                &'a self,
                events: mpsc::UnboundedSender<RestartEvent>,
            ) -> Pin<Box<dyn Future<Output = RestartRun> + Send + 'a>> {
                Box::pin(<$ty>::run(self, events))
            }
        }
    };
}

driver!(KubernetesRestart);
driver!(EcsRestart);
driver!(DockerRestart);

/// Performs a rolling restart, sending events as they happen.
pub trait RestartDriver: Send + Sync {
    /// For reports: "sandbox rolling restart", "sh -c '...'".
    fn describe(&self) -> String;

    fn run<'a>(
        &'a self,
        events: mpsc::UnboundedSender<RestartEvent>,
    ) -> Pin<Box<dyn Future<Output = RestartRun> + Send + 'a>>;
}

/// A shell command (`sh -c`), run in a directory, stopped after a timeout. Lines it prints in
/// the event protocol (`netconform-event: ...`, see [`netconform_model::restart`]) become
/// restart events; the rest is kept as output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellRestart {
    pub command: String,
    pub cwd: PathBuf,
    pub timeout: Duration,
}

impl RestartDriver for ShellRestart {
    fn describe(&self) -> String {
        format!("sh -c {:?}", self.command)
    }

    fn run<'a>(
        &'a self,
        events: mpsc::UnboundedSender<RestartEvent>,
    ) -> Pin<Box<dyn Future<Output = RestartRun> + Send + 'a>> {
        Box::pin(self.run_shell(events))
    }
}

impl ShellRestart {
    async fn run_shell(&self, events: mpsc::UnboundedSender<RestartEvent>) -> RestartRun {
        let start = Instant::now();
        let emit = |kind, instance: Option<String>, detail: Option<String>| {
            let mut ev = RestartEvent::now(kind, instance);
            ev.detail = detail;
            let _ = events.send(ev);
        };
        let spawned = Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .current_dir(&self.cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                return RestartRun {
                    completed: false,
                    status: format!("could not start sh in {}: {e}", self.cwd.display()),
                    could_not_run: true,
                    output: String::new(),
                    duration: start.elapsed(),
                };
            }
        };
        emit(RestartEventKind::RolloutBegun, None, None);
        let (lines_tx, mut lines_rx) = mpsc::unbounded_channel::<String>();
        let readers = [
            child
                .stdout
                .take()
                .map(|s| tokio::spawn(forward_lines(s, lines_tx.clone()))),
            child
                .stderr
                .take()
                .map(|s| tokio::spawn(forward_lines(s, lines_tx.clone()))),
        ];
        drop(lines_tx);
        let mut output = String::new();
        let mut take_line = |line: String| {
            if let Some(ev) = RestartEvent::parse_line(&line) {
                let _ = events.send(ev);
            }
            push_capped(&mut output, &line);
        };
        let deadline = tokio::time::Instant::now() + self.timeout;
        let waited = async {
            match tokio::time::timeout_at(deadline, child.wait()).await {
                Ok(status) => (Some(status), false),
                Err(_) => {
                    let _ = child.kill().await;
                    (Some(child.wait().await), true)
                }
            }
        };
        let mut waited = std::pin::pin!(waited);
        let (status, timed_out) = loop {
            tokio::select! {
                res = &mut waited => break res,
                Some(line) = lines_rx.recv() => take_line(line),
            }
        };
        // What the command printed last; a background child holding the pipes open gets a second.
        let grace = tokio::time::Instant::now() + Duration::from_secs(1);
        while let Ok(Some(line)) = tokio::time::timeout_at(grace, lines_rx.recv()).await {
            take_line(line);
        }
        for reader in readers.into_iter().flatten() {
            reader.abort();
        }
        let duration = start.elapsed();
        let (completed, could_not_run, status) = match status {
            _ if timed_out => (
                false,
                false,
                format!(
                    "did not finish within {} (drain.max_duration); stopped",
                    HumanDuration(self.timeout)
                ),
            ),
            Some(Ok(s)) if s.success() => (true, false, "exit status 0".to_owned()),
            // 126: not executable, 127: command not found: the restart was never attempted.
            Some(Ok(s)) if matches!(s.code(), Some(126 | 127)) => {
                (false, true, format!("{s}: the command could not be run"))
            }
            Some(Ok(s)) => (false, false, s.to_string()),
            Some(Err(e)) => (false, true, format!("could not wait for the command: {e}")),
            None => (false, true, "the command did not run".to_owned()),
        };
        emit(
            if completed {
                RestartEventKind::RolloutDone
            } else {
                RestartEventKind::RolloutFailed
            },
            None,
            (!completed).then(|| status.clone()),
        );
        RestartRun {
            completed,
            status,
            could_not_run,
            output,
            duration,
        }
    }
}

async fn forward_lines(stream: impl AsyncRead + Unpin, tx: mpsc::UnboundedSender<String>) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if tx.send(line).is_err() {
            return;
        }
    }
}

pub(crate) fn push_capped(output: &mut String, line: &str) {
    output.push_str(line);
    output.push('\n');
    if output.len() > MAX_OUTPUT {
        let mut cut = output.len() - MAX_OUTPUT;
        while !output.is_char_boundary(cut) {
            cut += 1;
        }
        output.replace_range(..cut, "");
    }
}
