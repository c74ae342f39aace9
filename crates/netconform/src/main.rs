//! The `netconform` binary: the command line, the cucumber World and steps, and the wiring
//! between the environment file, the sandbox, the checkers and the reports. The only crate
//! that reads process arguments or env, prints, or exits.

mod cli;
mod collect_cmd;
mod collector;
mod diff_cmd;
mod drivers;
mod embedded;
mod features;
mod merge_cmd;
mod outputs;
mod policy;
mod progress;
mod push;
mod reference;
mod sandbox_cmd;
mod signals;
mod source;
mod steps;
mod testbed_cmd;
mod verify;
mod world;
mod worst_case;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser as _;
use netconform_model::exit;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE as u8 } else { 0 });
        }
    };
    netconform_net::tls::install_default_provider();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            report_error(&format!("failed to start the async runtime: {e}"));
            return ExitCode::from(exit::INCONCLUSIVE as u8);
        }
    };
    let code = runtime.block_on(async {
        match cli.command {
            cli::Command::Verify(args) => verify::run(args).await,
            cli::Command::Sandbox(args) => sandbox_cmd::run(args).await,
            cli::Command::SandboxRestart(args) => sandbox_cmd::restart(args).await,
            cli::Command::Replica(args) => testbed_cmd::replica(args).await,
            cli::Command::TestbedImages(args) => testbed_cmd::images(args).await,
            cli::Command::Collect(args) => collect_cmd::run(args).await,
            cli::Command::Merge(args) => merge_cmd::run(&args).await,
            cli::Command::Diff(args) => diff_cmd::run(&args),
        }
    });
    runtime.shutdown_background();
    ExitCode::from(u8::try_from(code).unwrap_or(exit::INCONCLUSIVE as u8))
}

/// Set by `--quiet`: nothing on stderr but errors.
static QUIET: AtomicBool = AtomicBool::new(false);

pub(crate) fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` was given: progress and notes stay unprinted.
pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Prints a line for the user on stderr (what is happening, not the verdict), unless quiet;
/// secrets (a token in the restart command) redacted like in the reports.
#[expect(
    clippy::print_stderr,
    reason = "the binary talks to its user on stderr"
)]
pub(crate) fn note(line: &str) {
    if !quiet() {
        eprintln!("{}", netconform_model::redact::text(line));
    }
}

/// Prints an error for the user on stderr, secrets redacted.
#[expect(clippy::print_stderr, reason = "the binary reports errors on stderr")]
pub(crate) fn report_error(message: &str) {
    eprintln!("netconform: {}", netconform_model::redact::text(message));
}
