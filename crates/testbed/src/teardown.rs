//! Removing a run: its id, the removal of everything labelled with it (on drop, Ctrl-C, a
//! panic), and the guard that removes a start that fails or is cancelled.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::TestbedConfig;
use crate::docker::remove_run;

/// Removes one run's containers, networks and files; cheap to clone, safe to call more than
/// once, blocking (for Drop and signal handlers).
#[derive(Debug, Clone)]
pub struct Teardown {
    run: String,
    dir: PathBuf,
}

impl Teardown {
    /// A new run: its id and the place of its files.
    pub fn new(config: &TestbedConfig) -> Teardown {
        static RUNS: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let run = format!(
            "{}-{}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::Relaxed),
            nanos % 10_000
        );
        Teardown {
            dir: config.work_dir.join(format!("netconform-testbed-{run}")),
            run,
        }
    }

    /// The run's id, the value of its [`RUN_LABEL`](crate::RUN_LABEL).
    pub fn run_id(&self) -> &str {
        &self.run
    }

    /// Removes everything of the run now. Returns what could not be removed. Calls at once
    /// (the run ending while a second Ctrl-C exits) take turns: the later one waits for the
    /// earlier to finish, then finds what is left, so the process never exits mid-removal.
    pub fn now(&self) -> Vec<String> {
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let left = remove_run(&self.run);
        let _ = std::fs::remove_dir_all(&self.dir);
        left
    }

    /// Where the run's files are.
    pub(crate) fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    pub(crate) fn name(&self, part: &str) -> String {
        format!("nc-{}-{part}", self.run)
    }
}

/// Tears a run down when dropped, unless disarmed: a start that fails or is cancelled
/// (Ctrl-C while it runs) leaves nothing.
pub(crate) struct Guard(pub(crate) Option<Teardown>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(t) = self.0.take() {
            t.now();
        }
    }
}
