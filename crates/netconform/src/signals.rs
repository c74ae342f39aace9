//! Ctrl-C (SIGINT) and SIGTERM, for the commands that run until they are stopped.

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
