//! The built-in sandbox's own rollout as a restart driver. The environment file's drivers
//! (`drain.restart`, a running `netconform sandbox`'s among them) are netconform-drain's
//! (`netconform_drain::environment`); this one needs the sandbox, which drain must not depend on.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use netconform_drain::{RestartDriver, RestartRun};
use netconform_model::RestartEvent;
use netconform_sandbox::Sandbox;
use tokio::sync::mpsc;

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
