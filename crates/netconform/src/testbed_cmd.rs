//! The container test bed's commands: `netconform replica` (one API replica in the
//! foreground, what each API container of the bed runs).

use netconform_model::exit;
use netconform_sandbox::{StandaloneReplica, StandaloneStop};

use crate::cli::{ReplicaArgs, TestbedImagesArgs};
use crate::report_error;

pub(crate) async fn replica(args: ReplicaArgs) -> i32 {
    let config = StandaloneReplica {
        id: args.id,
        zone: args.zone,
        listen: args.listen,
        agent: args.agent,
        on_stop: if args.exit_on_sigterm {
            StandaloneStop::ExitAtOnce
        } else {
            StandaloneStop::Graceful {
                drain_delay: args.drain_delay.get(),
            }
        },
    };
    // Listen before serving: a SIGTERM right after the start must stop it as configured.
    let mut signals = crate::signals::Signals::listen();
    let replica = match config.bind().await {
        Ok(r) => r,
        Err(e) => {
            report_error(&format!("failed to {e}"));
            return exit::INCONCLUSIVE;
        }
    };
    crate::note(&format!(
        "replica serving on {}{}",
        replica.addr,
        replica
            .agent_addr
            .map(|a| format!(", agent on {a}"))
            .unwrap_or_default()
    ));
    let how = replica
        .run_until(async {
            signals.next().await;
        })
        .await;
    crate::note(&format!("replica stopped: {how}"));
    exit::CONFORMANT
}

/// The docker CLI the bed's rolling restart (the docker restart driver) runs.
const DOCKER: &str = "docker";

/// Makes the test bed's image when it is missing; 0 when it exists (made or not). With
/// `--check`, only says whether it exists (1: missing).
pub(crate) async fn images(args: TestbedImagesArgs) -> i32 {
    if args.check {
        return match netconform_testbed::images::exists_in_docker().await {
            Ok(true) => exit::CONFORMANT,
            Ok(false) => exit::NOT_CONFORMANT,
            Err(e) => {
                report_error(&format!("failed to {e}"));
                exit::INCONCLUSIVE
            }
        };
    }
    match ensure_image().await {
        Ok(()) => exit::CONFORMANT,
        Err(message) => {
            report_error(&message);
            exit::INCONCLUSIVE
        }
    }
}

async fn ensure_image() -> Result<(), String> {
    let image = netconform_testbed::images::IMAGE;
    if netconform_testbed::images::exists_in_docker()
        .await
        .map_err(|e| format!("failed to {e}"))?
    {
        crate::note(&format!("testbed image {image} exists"));
        return Ok(());
    }
    let mirror = netconform_testbed::images::find_mirror(std::path::Path::new("/etc/apt"))
        .map_err(|e| format!("failed to {e}"))?;
    crate::note(&format!(
        "testbed image {image} is missing: making it with mmdebstrap ({} {}, {}) and docker import",
        mirror.uri,
        mirror.suite,
        netconform_testbed::images::PACKAGES.join(", ")
    ));
    let started = std::time::Instant::now();
    netconform_testbed::images::build(&mirror, &std::env::temp_dir(), |line| {
        crate::note(&format!("  {line}"));
    })
    .await
    .map_err(|e| format!("failed to {e}"))?;
    crate::note(&format!(
        "testbed image {image} made in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Starts the container test bed for `verify --testbed` (making its image first when it is
/// missing); `Err(exit code)` when it cannot, after saying why. A Ctrl-C while it starts
/// removes what was started.
pub(crate) async fn start(
    variant: Option<netconform_testbed::Variant>,
) -> Result<netconform_testbed::Testbed, i32> {
    use netconform_testbed::{Teardown, Testbed, TestbedConfig};
    let mut signals = crate::signals::Signals::listen();
    if let Err(message) = ensure_image().await {
        report_error(&message);
        return Err(exit::INCONCLUSIVE);
    }
    let replica_exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            report_error(&format!(
                "failed to find the netconform binary to run as the API replica: {e}"
            ));
            return Err(exit::INCONCLUSIVE);
        }
    };
    let config = TestbedConfig {
        variant,
        timing: netconform_testbed::Timing::default(),
        replica_exe,
        work_dir: std::env::temp_dir(),
        docker: DOCKER.to_owned(),
    };
    let teardown = Teardown::new(&config);
    crate::note(&format!(
        "starting the container test bed (run {}{})",
        teardown.run_id(),
        variant
            .map(|v| format!(", broken: {v}, {}", v.description()))
            .unwrap_or_default()
    ));
    let started = std::time::Instant::now();
    tokio::select! {
        res = Testbed::start(config, teardown.clone()) => match res {
            Ok(bed) => {
                crate::note(&format!(
                    "testbed running after {:.1} s: {}",
                    started.elapsed().as_secs_f64(),
                    bed.topology()
                ));
                Ok(bed)
            }
            Err(e) => {
                report_error(&format!("failed to {e}"));
                Err(exit::INCONCLUSIVE)
            }
        },
        _ = signals.next() => {
            // The start is dropped here; this removes what it had made.
            teardown.now();
            report_error("interrupted while the test bed was starting; removed it");
            Err(exit::INCONCLUSIVE)
        }
    }
}
