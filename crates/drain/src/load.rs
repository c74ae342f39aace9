//! The open-model load generator. Request i is due at t0 + i/rate whatever the target does;
//! requests alternate between two lanes, kept-alive connections and a new connection each.
//! Worker threads each run a single-threaded runtime with their own connections and records
//! (no lock on the hot path), merged when the load finishes. Every scheduled request gets
//! exactly one outcome.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hdrhistogram::Histogram;
use netconform_model::evidence::drain::{Latency, RequestOutcome};
use netconform_model::values::Scheme;
use netconform_model::{RestartEvent, RestartEventKind};
use netconform_net::Resolver;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until, timeout_at};

mod closed;
mod exchange;
mod plan;
mod record;

pub use closed::{ClosedLoop, closed_loop};
pub(crate) use exchange::*;
pub use plan::{Lane, LoadPlan, SlowRequests};
pub(crate) use record::*;
pub use record::{LoadResult, Progress, Sample, is_failure};

use crate::conn::{self, Stream};
use crate::http1::{self};

/// How many failures are kept with their details (all workers together).
const MAX_SAMPLES: usize = 200;
/// Failures are counted in time buckets this wide, so they can be tied to restart phases.
pub const BUCKET: Duration = Duration::from_millis(10);
/// A request whose send time has passed by more than this was not sent on time.
const LATE: Duration = Duration::from_millis(100);
/// The buffer each connection reads into (grown for big heads).
const BUFFER: usize = 8 * 1024;

/// The instances the run expects answers from.
#[derive(Default)]
struct Instances {
    /// When the rollout began: answers to requests sent before it teach which instances
    /// exist; answers to later ones are checked.
    rollout_begun: Option<std::time::Instant>,
    known: BTreeSet<String>,
}

/// What the workers share: the plan, counters for progress, the instances.
pub(crate) struct Shared {
    pub(crate) plan: LoadPlan,
    pub(crate) connector: conn::Connector,
    /// The request bytes of each lane.
    requests: [Vec<u8>; 2],
    /// The slow requests' bytes, by lane.
    slow_requests: Option<[Vec<u8>; 2]>,
    t0: std::time::Instant,
    open: AtomicUsize,
    scheduled: AtomicU64,
    ok: AtomicU64,
    not_sent: AtomicU64,
    /// Failures by outcome, for progress (failures are rare: a lock is cheap enough).
    failures: Mutex<BTreeMap<RequestOutcome, u64>>,
    instances: Mutex<Instances>,
}

impl Shared {
    /// Whether an answer from `instance` to a request due at `due` is expected: any to a
    /// request sent before the rollout began (the instance is learnt), afterwards only those
    /// learnt or started by the rollout.
    fn expects(&self, instance: &str, due: std::time::Instant) -> bool {
        let mut instances = self.instances.lock().expect("instances lock");
        match instances.rollout_begun {
            Some(begun) if due >= begun => instances.known.contains(instance),
            _ => {
                instances.known.insert(instance.to_owned());
                true
            }
        }
    }
}

/// Why a load could not start. Reads after "failed to".
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("plan the load: {0}")]
    Plan(String),
    #[error(transparent)]
    Tls(#[from] netconform_net::tls::TlsError),
    #[error("start a generator thread: {0}")]
    Thread(std::io::Error),
}

/// A running load. [`Load::finish`] stops it and returns what it saw.
pub struct Load {
    shared: Arc<Shared>,
    /// `Some(wait)`: stop scheduling, wait this long for requests in flight.
    stop: watch::Sender<Option<Duration>>,
    workers: Vec<oneshot::Receiver<Recorder>>,
}

impl Load {
    /// Starts the worker threads.
    /// Starts the load and lets it run `settle` before returning: a steady state before the
    /// restart, so failures that are not the restart's show.
    pub async fn start_steady(
        plan: LoadPlan,
        resolver: Resolver,
        settle: Duration,
    ) -> Result<Load, LoadError> {
        let load = Load::start(plan, resolver)?;
        tokio::time::sleep(settle).await;
        Ok(load)
    }

    pub fn start(plan: LoadPlan, resolver: Resolver) -> Result<Load, LoadError> {
        let workers = plan.workers.max(1);
        let shared = Arc::new(Load::start_shared(plan, resolver)?);
        let (stop, stop_rx) = watch::channel(None);
        let mut receivers = Vec::with_capacity(workers);
        for index in 0..workers {
            let (done, receiver) = oneshot::channel();
            let (shared, stop_rx) = (Arc::clone(&shared), stop_rx.clone());
            std::thread::Builder::new()
                .name(format!("netconform-load-{index}"))
                .spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    let recorder = match runtime {
                        Ok(rt) => tokio::task::LocalSet::new()
                            .block_on(&rt, worker(shared, index, workers, stop_rx)),
                        Err(_) => Recorder::new(),
                    };
                    let _ = done.send(recorder);
                })
                .map_err(LoadError::Thread)?;
            receivers.push(receiver);
        }
        Ok(Load {
            shared,
            stop,
            workers: receivers,
        })
    }

    /// What the workers share, checked.
    fn start_shared(plan: LoadPlan, resolver: Resolver) -> Result<Shared, LoadError> {
        if !(plan.rate.is_finite() && plan.rate > 0.0) {
            return Err(LoadError::Plan(format!(
                "rate {} is not above 0",
                plan.rate
            )));
        }
        if plan.max_connections == 0 {
            return Err(LoadError::Plan("max_connections is 0".into()));
        }
        let tls = match plan.endpoint.scheme {
            Scheme::Https => Some(tokio_rustls::TlsConnector::from(Arc::new(
                netconform_net::tls::client_config(&[b"http/1.1"], &plan.extra_roots)?,
            ))),
            Scheme::Http => None,
        };
        let default_port = if plan.endpoint.scheme == Scheme::Https {
            443
        } else {
            80
        };
        let host = if plan.endpoint.port == default_port {
            plan.endpoint.host.clone()
        } else {
            format!("{}:{}", plan.endpoint.host, plan.endpoint.port)
        };
        let requests = [
            http1::request(plan.path.as_str(), &host, false),
            http1::request(plan.path.as_str(), &host, true),
        ];
        if plan.slow.as_ref().is_some_and(|s| s.every == 0) {
            return Err(LoadError::Plan(
                "slow requests every 0 requests: use 1 or more".into(),
            ));
        }
        let slow_requests = plan.slow.as_ref().map(|slow| {
            [
                http1::request(slow.path.as_str(), &host, false),
                http1::request(slow.path.as_str(), &host, true),
            ]
        });
        let connector = conn::Connector {
            host: plan.endpoint.host.clone(),
            port: plan.endpoint.port,
            resolver,
            tls,
            opened: AtomicU64::new(0),
            next_addr: AtomicUsize::new(0),
        };
        Ok(Shared {
            plan,
            connector,
            requests,
            slow_requests,
            t0: std::time::Instant::now(),
            open: AtomicUsize::new(0),
            scheduled: AtomicU64::new(0),
            ok: AtomicU64::new(0),
            not_sent: AtomicU64::new(0),
            failures: Mutex::new(BTreeMap::new()),
            instances: Mutex::new(Instances::default()),
        })
    }

    /// When request 0 was due.
    pub fn t0(&self) -> std::time::Instant {
        self.shared.t0
    }

    /// Follows the rollout: once it has begun, answers come only from the instances seen so
    /// far and those it starts.
    pub fn observe(&self, event: &RestartEvent) {
        let mut instances = self.shared.instances.lock().expect("instances lock");
        match (event.kind, &event.instance) {
            (RestartEventKind::RolloutBegun, _) => instances.rollout_begun = Some(event.at),
            (RestartEventKind::InstanceStarted, Some(id)) => {
                instances.known.insert(id.clone());
            }
            _ => {}
        }
    }

    pub fn progress(&self) -> Progress {
        let shared = &self.shared;
        let failures = shared.failures.lock().expect("failures lock").clone();
        Progress {
            elapsed: shared.t0.elapsed(),
            scheduled: shared.scheduled.load(Ordering::Relaxed),
            ok: shared.ok.load(Ordering::Relaxed),
            failed: failures.values().sum(),
            not_sent_on_time: shared.not_sent.load(Ordering::Relaxed),
            failures,
        }
    }

    /// Stops the schedule, waits for requests in flight (up to the request timeout), and
    /// returns the result. Requests still in flight then are counted `in-flight-at-end`.
    pub async fn finish(self) -> LoadResult {
        let wait = self.shared.plan.request_timeout + Duration::from_millis(500);
        self.finish_within(wait).await
    }

    /// [`Load::finish`], waiting at most `wait` for the requests in flight (an interrupted
    /// run stops within a second).
    pub async fn finish_within(self, wait: Duration) -> LoadResult {
        let end = std::time::Instant::now();
        let _ = self.stop.send(Some(wait));
        let mut rec = Recorder::new();
        for worker in self.workers {
            if let Ok(part) = worker.await {
                rec.merge(part);
            }
        }
        let shared = &self.shared;
        let ms = |us: u64| us as f64 / 1000.0;
        let summary = |h: &Histogram<u64>| {
            if h.is_empty() {
                Latency::default()
            } else {
                Latency {
                    p50: ms(h.value_at_quantile(0.5)),
                    p90: ms(h.value_at_quantile(0.9)),
                    p99: ms(h.value_at_quantile(0.99)),
                    max: ms(h.max()),
                }
            }
        };
        for (bucket, hist) in rec.seconds.iter_mut().zip(&rec.second_latency) {
            if !hist.is_empty() {
                bucket.p99_ms = ms(hist.value_at_quantile(0.99));
            }
        }
        LoadResult {
            url: shared.plan.url(),
            rate: shared.plan.rate,
            expect_status: shared.plan.expect_status,
            t0: shared.t0,
            duration: end.saturating_duration_since(shared.t0),
            scheduled: rec.scheduled,
            counts: rec.counts,
            seconds: rec.seconds,
            failure_buckets: rec.failure_buckets,
            samples: rec.samples,
            latency: summary(&rec.latency),
            service: summary(&rec.service),
            connections_opened: shared.connector.opened.load(Ordering::Relaxed),
        }
    }
}

/// A worker's state on its own thread.
pub(crate) struct Local {
    shared: Arc<Shared>,
    rec: RefCell<Recorder>,
    /// Idle kept-alive connections, least recently used first: every connection keeps
    /// carrying requests, so one left behind on a draining server is found, not forgotten.
    idle: RefCell<VecDeque<(Stream, Vec<u8>)>>,
    in_flight: [std::cell::Cell<u64>; 2],
    /// This worker's share of the samples.
    max_samples: usize,
}

/// Schedules this worker's requests (every `workers`-th from `index`) until told to stop,
/// then waits for those in flight.
async fn worker(
    shared: Arc<Shared>,
    index: usize,
    workers: usize,
    mut stop: watch::Receiver<Option<Duration>>,
) -> Recorder {
    let t0 = Instant::from_std(shared.t0);
    let period = Duration::from_secs_f64(1.0 / shared.plan.rate);
    let local = Rc::new(Local {
        shared,
        rec: RefCell::new(Recorder::new()),
        idle: RefCell::new(VecDeque::new()),
        in_flight: [std::cell::Cell::new(0), std::cell::Cell::new(0)],
        max_samples: MAX_SAMPLES / workers,
    });
    let mut tasks = JoinSet::new();
    let mut i = index as u64;
    let wait = loop {
        let due = t0 + period.mul_f64(i as f64);
        if due > Instant::now() {
            tokio::select! {
                () = sleep_until(due) => {}
                _ = stop.changed() => {}
            }
        }
        if let Some(wait) = *stop.borrow() {
            break wait;
        }
        // The Load was dropped without being finished (its step was cut short): stop now.
        if stop.has_changed().is_err() {
            break Duration::ZERO;
        }
        while tasks.try_join_next().is_some() {}
        let fresh_every = local.shared.plan.fresh_every;
        let lane = if fresh_every > 0 && (i / workers as u64) % fresh_every == fresh_every - 1 {
            Lane::Fresh
        } else {
            Lane::KeepAlive
        };
        let late = Instant::now().saturating_duration_since(due);
        local.rec.borrow_mut().scheduled += 1;
        local.shared.scheduled.fetch_add(1, Ordering::Relaxed);
        if late > LATE {
            let detail = format!("{} ms late: the generator fell behind", late.as_millis());
            record(
                &local,
                due,
                due,
                lane,
                RequestOutcome::NotSentOnTime,
                None,
                Some(detail),
            );
        } else {
            let slow = local
                .shared
                .plan
                .slow
                .as_ref()
                .is_some_and(|s| i % s.every == s.every - 1);
            local.in_flight[lane as usize].set(local.in_flight[lane as usize].get() + 1);
            tasks.spawn_local(request(Rc::clone(&local), due, lane, slow));
        }
        i += workers as u64;
    };
    let deadline = Instant::now() + wait;
    while !tasks.is_empty() {
        if timeout_at(deadline, tasks.join_next()).await.is_err() {
            break;
        }
    }
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
    // Requests still waiting when the run ended: one outcome each.
    for lane in [Lane::KeepAlive, Lane::Fresh] {
        let n = local.in_flight[lane as usize].replace(0);
        if n > 0 {
            *local
                .rec
                .borrow_mut()
                .counts
                .entry((lane, RequestOutcome::InFlightAtEnd))
                .or_default() += n;
        }
    }
    local.idle.borrow_mut().clear();
    let local = Rc::try_unwrap(local)
        .ok()
        .expect("every request task has ended");
    local.rec.into_inner()
}

/// One request, from connection to whole response, recorded exactly once.
async fn request(local: Rc<Local>, due: Instant, lane: Lane, slow: bool) {
    let sent = Instant::now().max(due);
    let deadline = sent + local.shared.plan.request_timeout;
    let (outcome, detail, times) = match exchange(&local, lane, slow, deadline).await {
        Ok(answer) => {
            let times = Some((
                Instant::now().saturating_duration_since(due),
                answer.service,
            ));
            match answer
                .instance
                .filter(|i| !local.shared.expects(i, due.into_std()))
            {
                Some(stray) => (
                    RequestOutcome::WrongHost,
                    Some(format!(
                        "answered {} by {stray}, an instance the run did not expect",
                        answer.status
                    )),
                    times,
                ),
                None => (RequestOutcome::Status(answer.status), None, times),
            }
        }
        Err((outcome, detail)) => (outcome, Some(detail), None),
    };
    local.in_flight[lane as usize].set(local.in_flight[lane as usize].get().saturating_sub(1));
    // A slow request's latency is the path's, not the deployment's: left out of the figures.
    let times = times.filter(|_| !slow);
    record(
        &local,
        due,
        failed_at(outcome, sent),
        lane,
        outcome,
        times,
        detail,
    );
}
