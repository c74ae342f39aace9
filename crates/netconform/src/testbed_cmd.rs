//! The container test bed's commands: `netconform replica` (one API replica in the
//! foreground, what each API container of the bed runs).

use std::net::SocketAddr;

use clap::Args;
use netconform_model::{HumanDuration, exit};
use netconform_sandbox::{StandaloneReplica, StandaloneStop};

use crate::report_error;

#[derive(Debug, Args)]
pub(crate) struct ReplicaArgs {
    /// What the x-instance header says.
    #[arg(long)]
    pub(crate) id: String,
    /// What the x-zone header says.
    #[arg(long)]
    pub(crate) zone: String,
    #[arg(long, default_value = "0.0.0.0:8080")]
    pub(crate) listen: SocketAddr,
    /// Answer HAProxy's agent check here: `ready up`, then `drain` from SIGTERM on.
    #[arg(long)]
    pub(crate) agent: Option<SocketAddr>,
    /// On SIGTERM, keep serving this long (answering `Connection: close`, the agent saying
    /// `drain`) before failing /api/status, finishing in-flight requests and exiting.
    #[arg(long, default_value = "1500ms", value_parser = parse_duration)]
    pub(crate) drain_delay: HumanDuration,
    /// Exit at once on SIGTERM, dropping in-flight requests (no graceful shutdown).
    #[arg(long)]
    pub(crate) exit_on_sigterm: bool,
}

fn parse_duration(text: &str) -> Result<HumanDuration, String> {
    HumanDuration::parse(text).map_err(|e| e.to_string())
}

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
    let mut signals = crate::sandbox_cmd::Signals::listen();
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
