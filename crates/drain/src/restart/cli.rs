//! Running a CLI (kubectl, aws, docker) from a driver: one command at a time, its output kept
//! in a transcript, JSON answers parsed.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use super::push_capped;

/// Why a command did not give what the driver needed. Displays as the sentence a verdict
/// quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CliError {
    /// The program is not there or cannot run: the restart was never attempted.
    CannotRun(String),
    /// It ran and failed, or answered something unreadable.
    Failed(String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::CannotRun(s) | CliError::Failed(s) => f.write_str(s),
        }
    }
}

/// A CLI with fixed leading arguments (`kubectl --context x -n y`), and the transcript of what
/// it was asked and answered.
pub(crate) struct Cli {
    pub(crate) program: String,
    pub(crate) prefix: Vec<String>,
    pub(crate) timeout: Duration,
    pub(crate) transcript: String,
}

impl Cli {
    pub(crate) fn new(program: &str, prefix: Vec<String>) -> Cli {
        Cli {
            program: program.to_owned(),
            prefix,
            timeout: Duration::from_secs(60),
            transcript: String::new(),
        }
    }

    /// Runs `program prefix.. args..`; its stdout when it exits 0.
    pub(crate) async fn run(&mut self, args: &[&str]) -> Result<String, CliError> {
        let shown = std::iter::once(self.program.as_str())
            .chain(self.prefix.iter().map(String::as_str))
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        push_capped(&mut self.transcript, &format!("$ {shown}"));
        let spawned = Command::new(&self.program)
            .args(&self.prefix)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .output();
        let out = match tokio::time::timeout(self.timeout, spawned).await {
            Err(_) => {
                return Err(CliError::Failed(format!(
                    "`{shown}` did not finish within {:?}",
                    self.timeout
                )));
            }
            Ok(Err(e)) => {
                return Err(CliError::CannotRun(format!(
                    "cannot run {}: {e}",
                    self.program
                )));
            }
            Ok(Ok(out)) => out,
        };
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        for line in stdout.lines().chain(stderr.lines()).take(40) {
            push_capped(&mut self.transcript, line);
        }
        if out.status.success() {
            Ok(stdout)
        } else if matches!(out.status.code(), Some(126 | 127)) {
            Err(CliError::CannotRun(format!(
                "`{shown}` could not be run ({}): {}",
                out.status,
                stderr.trim()
            )))
        } else {
            Err(CliError::Failed(format!(
                "`{shown}` failed ({}): {}",
                out.status,
                stderr.trim()
            )))
        }
    }

    /// [`Cli::run`], its stdout read as JSON.
    pub(crate) async fn json(&mut self, args: &[&str]) -> Result<serde_json::Value, CliError> {
        let text = self.run(args).await?;
        serde_json::from_str(&text).map_err(|e| {
            CliError::Failed(format!(
                "`{} {}` did not answer JSON: {e}",
                self.program,
                args.join(" ")
            ))
        })
    }
}
