//! Removing a run: its id, the labels every object of it carries, and the guard that removes
//! a start that fails or is cancelled.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::TestbedConfig;
use crate::docker::{self, HOST_LABEL, PID_LABEL, RUN_LABEL, remove_run};

/// Removes one run's containers, networks and files; cheap to clone, safe to call more than
/// once, blocking (for Drop and signal handlers).
#[derive(Debug, Clone)]
pub struct Teardown {
    docker: String,
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
            docker: config.docker.clone(),
            dir: config.work_dir.join(format!("netconform-testbed-{run}")),
            run,
        }
    }

    /// The run's id, the value of its [`RUN_LABEL`].
    pub fn run_id(&self) -> &str {
        &self.run
    }

    /// Removes everything of the run now. Returns what could not be removed.
    pub fn now(&self) -> Vec<String> {
        let left = remove_run(&self.docker, &self.run);
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

/// The labels every container and network of the run carries, as `docker` options.
pub(crate) fn labels(teardown: &Teardown) -> Vec<String> {
    vec![
        "--label".into(),
        format!("{RUN_LABEL}={}", teardown.run_id()),
        "--label".into(),
        format!("{PID_LABEL}={}", std::process::id()),
        "--label".into(),
        format!("{HOST_LABEL}={}", docker::host_name()),
    ]
}
