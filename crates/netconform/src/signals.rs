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

    /// Waits for the next signal and names it ("SIGINT", "SIGTERM"); `None` when none can
    /// be received.
    pub(crate) async fn next(&mut self) -> Option<&'static str> {
        let named = |got: Option<()>, name| got.map(|()| name);
        match (&mut self.interrupt, &mut self.terminate) {
            (Some(i), Some(t)) => tokio::select! {
                s = i.recv() => named(s, "SIGINT"),
                s = t.recv() => named(s, "SIGTERM"),
            },
            (Some(i), None) => named(i.recv().await, "SIGINT"),
            (None, Some(t)) => named(t.recv().await, "SIGTERM"),
            (None, None) => std::future::pending().await,
        }
    }
}
