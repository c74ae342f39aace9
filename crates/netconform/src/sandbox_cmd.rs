//! `netconform sandbox` (run the sandbox in the foreground) and `netconform sandbox-restart`
//! (drive its rolling restart from another process).

use netconform_model::environment::{Restart, RestartDriverSpec};
use netconform_model::exit;
use netconform_sandbox::{Sandbox, SandboxConfig};

use crate::cli::{SandboxArgs, SandboxRestartArgs};
use crate::reference::ReferenceConfig;
use crate::report_error;
use crate::signals::Signals;

#[expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a foreground command talks to its user"
)]
pub(crate) async fn run(args: SandboxArgs) -> i32 {
    // The sandbox's configuration evidence, written where the environment file points to it
    // for as long as the sandbox runs.
    let reference = match ReferenceConfig::for_sandbox("sandbox", args.variant, args.exposure) {
        Ok(config) => config,
        Err((code, e)) => {
            report_error(&e);
            return code;
        }
    };
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
    match netconform_drain::follow_rollout(&args.url, |line| println!("{line}")).await {
        Ok(()) => exit::CONFORMANT,
        Err(e) => {
            report_error(&e);
            exit::NOT_CONFORMANT
        }
    }
}
