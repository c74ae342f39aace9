//! `netconform sandbox` (run the sandbox in the foreground), `netconform sandbox-restart`
//! (drive its rolling restart from another process), and the sandbox's restart driver for
//! `verify`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use netconform_drain::{RestartDriver, RestartRun};
use netconform_model::environment::{Restart, RestartDriverSpec};
use netconform_model::{RestartEvent, exit};
use netconform_sandbox::{Sandbox, SandboxConfig};
use tokio::sync::mpsc;

use crate::cli::{SandboxArgs, SandboxRestartArgs};
use crate::reference::ReferenceConfig;
use crate::report_error;

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

#[expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a foreground command talks to its user"
)]
pub(crate) async fn run(args: SandboxArgs) -> i32 {
    let config = SandboxConfig {
        variant: args.variant,
        ..SandboxConfig::default()
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            report_error(&format!("failed to {e}"));
            return exit::INCONCLUSIVE;
        }
    };
    let mut env = sandbox.environment().clone();
    env.drain.restart = Some(Restart::Driver(RestartDriverSpec::Sandbox {
        url: sandbox.rolling_restart_url(),
    }));
    // The sandbox's configuration evidence, written where the environment file points to it
    // for as long as the sandbox runs.
    let reference = match ReferenceConfig::write(
        "sandbox",
        args.variant == Some(netconform_sandbox::Variant::StockEksConfig),
    ) {
        Ok(config) => config,
        Err(e) => {
            report_error(&format!(
                "failed to write the sandbox's reference configuration: {e}"
            ));
            return exit::INCONCLUSIVE;
        }
    };
    reference.apply(&mut env);
    let text = format!(
        "# The netconform sandbox{}; valid while `netconform sandbox` runs.\n{}",
        args.variant
            .map(|v| format!(", broken on purpose: {v} ({})", v.description()))
            .unwrap_or_default(),
        env.to_toml()
    );
    match &args.env_out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                report_error(&format!("failed to write {}: {e}", path.display()));
                return exit::USAGE;
            }
            eprintln!(
                "wrote {}; verify it with: netconform verify --env {}",
                path.display(),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    // Listen before saying it runs: a Ctrl-C right after the line must stop it cleanly.
    let mut signals = Signals::listen();
    eprintln!("sandbox running: {}; Ctrl-C stops it", sandbox.topology());
    signals.next().await;
    eprintln!("sandbox stopped");
    drop(sandbox);
    drop(reference);
    if let Some(path) = &args.env_out {
        let _ = std::fs::remove_file(path);
    }
    exit::CONFORMANT
}

/// POSTs to the sandbox's rolling-restart URL and copies its event lines to stdout. Exits 0
/// when the rollout is done, 1 when it failed.
#[expect(
    clippy::print_stdout,
    reason = "the event lines are this command's output"
)]
pub(crate) async fn restart(args: SandboxRestartArgs) -> i32 {
    match follow_rollout(&args.url, |line| println!("{line}")).await {
        Ok(()) => exit::CONFORMANT,
        Err(e) => {
            report_error(&e);
            exit::NOT_CONFORMANT
        }
    }
}

/// POSTs to a running sandbox's rolling-restart URL and hands each line of its answer to
/// `on_line`; `Err` says why the rollout did not complete.
async fn follow_rollout(url: &str, mut on_line: impl FnMut(&str)) -> Result<(), String> {
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

/// Ctrl-C (SIGINT) and SIGTERM, listened to from when [`Signals::listen`] is called.
pub(crate) struct Signals {
    interrupt: Option<tokio::signal::unix::Signal>,
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    pub(crate) fn listen() -> Signals {
        use tokio::signal::unix::{SignalKind, signal};
        Signals {
            interrupt: signal(SignalKind::interrupt()).ok(),
            terminate: signal(SignalKind::terminate()).ok(),
        }
    }

    /// Waits for the next signal; false when none can be received.
    pub(crate) async fn next(&mut self) -> bool {
        match (&mut self.interrupt, &mut self.terminate) {
            (Some(i), Some(t)) => tokio::select! {
                s = i.recv() => s.is_some(),
                s = t.recv() => s.is_some(),
            },
            (Some(i), None) => i.recv().await.is_some(),
            (None, Some(t)) => t.recv().await.is_some(),
            (None, None) => std::future::pending().await,
        }
    }
}
