//! A rolling restart under load, from the steady state before it to the one after: the
//! restart driver runs while the load goes on, every restart event is tied into the load's
//! phases, HAProxy's retry counters are read before and after (when the environment says
//! where), and Ctrl-C ends it early with what was measured. Returns the whole run for the
//! verdicts; shows nothing itself (the caller's [`Watch`] does).

use std::sync::Arc;
use std::time::{Duration, Instant};

use netconform_model::{HumanDuration, Outcome, RestartEvent, Stop};
use netconform_net::Resolver;
use tokio::sync::{mpsc, watch};

use crate::haproxy::{self, HaproxyCounters, StatsError};
use crate::load::{Load, LoadResult, Progress};
use crate::restart::{RestartDriver, RestartRun};
use crate::verdict;

/// How the restart runs.
#[derive(Clone)]
pub struct RestartUnderLoad {
    pub driver: Arc<dyn RestartDriver>,
    /// The restart is stopped after this and counts as not completed (`drain.max_duration`).
    pub max_duration: Duration,
    /// Load before and after the restart (`drain.settle`), so failures that are not the
    /// restart's, and late ones, show.
    pub settle: Duration,
    /// HAProxy's statistics page (`drain.haproxy_stats`), read before and after.
    pub haproxy_stats: Option<String>,
    pub stats_timeout: Duration,
    /// Becomes `Some` when the run is stopped (a signal, the run's deadline).
    pub stop: watch::Receiver<Option<Stop>>,
}

/// What a caller shows while the restart runs.
pub trait Watch {
    /// How often [`Watch::load`] is worth calling.
    fn period(&self) -> Duration;
    /// A line that stays: the driver, an event.
    fn line(&self, text: &str);
    /// The load's state, with the phase the restart is in.
    fn load(&self, progress: &Progress, phase: &str);
    /// The restart is over.
    fn finish(&self);
}

/// The restart-under-load run, for the verdicts.
pub struct DrainRun {
    /// What restarted the API (the driver's description).
    pub driver: String,
    pub restart: RestartRun,
    pub events: Vec<RestartEvent>,
    pub load: LoadResult,
    /// What HAProxy's retry counters moved by over the load (`drain.haproxy_stats`), and
    /// where they were read.
    pub haproxy: Option<Result<(String, HaproxyCounters), StatsError>>,
}

/// How the run ended.
pub enum Ended {
    Ran(Box<DrainRun>),
    /// Stopped (a signal, the run's deadline): the driver was dropped (its command killed),
    /// the load stopped; the outcome says what was measured so far.
    Interrupted(Outcome),
}

/// Runs the restart under `load` (already started, past its first settle) and finishes the
/// load after the second settle.
pub async fn restart_under_load(
    load: Load,
    how: RestartUnderLoad,
    resolver: &Resolver,
    watch: &dyn Watch,
) -> Ended {
    let before = match &how.haproxy_stats {
        Some(url) => Some(haproxy::fetch(url, resolver, how.stats_timeout).await),
        None => None,
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let describe = how.driver.describe();
    watch.line(&format!("  restart: {describe}"));
    let started = Instant::now();
    let run = how.driver.run(tx);
    let mut run = std::pin::pin!(tokio::time::timeout(how.max_duration, run));
    let mut events = Vec::new();
    let mut phase = "before the rollout".to_owned();
    let mut ticker = tokio::time::interval(watch.period());
    let mut stop = how.stop.clone();
    ticker.tick().await;
    let show = |event: &RestartEvent| {
        watch.line(&format!(
            "  t={:.2}s {event}",
            event.at.saturating_duration_since(load.t0()).as_secs_f64()
        ));
    };
    let restart = loop {
        tokio::select! {
            res = &mut run => break Some(res.unwrap_or_else(|_| RestartRun {
                completed: false,
                status: format!("did not finish within drain.max_duration ({})", HumanDuration(how.max_duration)),
                could_not_run: false,
                output: String::new(),
                duration: started.elapsed(),
            })),
            Some(event) = rx.recv() => {
                show(&event);
                phase = event.to_string();
                load.observe(&event);
                events.push(event);
            }
            _ = ticker.tick() => watch.load(&load.progress(), &phase),
            _ = stopped(&mut stop) => break None,
        }
    };
    // Events sent just before the driver finished.
    while let Ok(event) = rx.try_recv() {
        show(&event);
        load.observe(&event);
        events.push(event);
    }
    watch.finish();
    let Some(restart) = restart else {
        let load = load.finish_within(Duration::from_millis(300)).await;
        let summary = verdict::summarize(&load, &events);
        let why = how
            .stop
            .borrow()
            .map_or_else(String::new, |s| s.to_string());
        let reason = format!(
            "{why} during the restart after {:.1} s: {} requests sent, {} failed so far",
            started.elapsed().as_secs_f64(),
            summary.scheduled,
            summary.failed
        );
        return Ended::Interrupted(
            Outcome::inconclusive("the rolling restart completes", reason).with_evidence(summary),
        );
    };
    let settled = tokio::select! {
        () = tokio::time::sleep(how.settle) => None,
        stop = stopped(&mut stop) => Some(stop),
    };
    if let Some(stop) = settled {
        let load = load.finish_within(Duration::from_millis(300)).await;
        let summary = verdict::summarize(&load, &events);
        let reason = format!(
            "{stop} after the restart ({}), while the load settled for {}: {} requests sent, {} failed so far",
            restart.status,
            HumanDuration(how.settle),
            summary.scheduled,
            summary.failed
        );
        return Ended::Interrupted(
            Outcome::inconclusive("the rolling restart completes", reason).with_evidence(summary),
        );
    }
    let load = load.finish().await;
    let haproxy = match (&how.haproxy_stats, before) {
        (Some(url), Some(before)) => {
            let after = haproxy::fetch(url, resolver, how.stats_timeout).await;
            Some(
                before
                    .and_then(|before| after.map(|after| before.since(after)))
                    .map(|during| (url.clone(), during)),
            )
        }
        _ => None,
    };
    Ended::Ran(Box::new(DrainRun {
        driver: describe,
        restart,
        events,
        load,
        haproxy,
    }))
}

/// Resolves when the run is stopped; never when it cannot be (the sender is gone).
async fn stopped(stop: &mut watch::Receiver<Option<Stop>>) -> Stop {
    match stop.wait_for(Option::is_some).await.ok().and_then(|s| *s) {
        Some(stop) => stop,
        None => std::future::pending().await,
    }
}
