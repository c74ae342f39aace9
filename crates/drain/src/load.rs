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
use netconform_model::evidence::drain::{Latency, RequestOutcome, SecondBucket};
use netconform_model::values::{Endpoint, HttpPath, Scheme};
use netconform_model::{RestartEvent, RestartEventKind};
use netconform_net::Resolver;
use tokio::io::AsyncWriteExt;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until, timeout_at};

use crate::conn::{self, Failure, Stream};
use crate::http1::{self, ReadError};

/// How many failures are kept with their details (all workers together).
const MAX_SAMPLES: usize = 200;
/// Failures are counted in time buckets this wide, so they can be tied to restart phases.
pub const BUCKET: Duration = Duration::from_millis(10);
/// A request whose send time has passed by more than this was not sent on time.
const LATE: Duration = Duration::from_millis(100);
/// The buffer each connection reads into (grown for big heads).
const BUFFER: usize = 8 * 1024;

/// What to send.
#[derive(Debug, Clone)]
pub struct LoadPlan {
    pub endpoint: Endpoint,
    pub path: HttpPath,
    /// The status that counts as served.
    pub expect_status: u16,
    /// Requests per second, both lanes together.
    pub rate: f64,
    /// Time allowed for one request, connection included.
    pub request_timeout: Duration,
    /// Connections open at once, both lanes together; past it requests are not sent on time.
    pub max_connections: usize,
    /// CA certificates trusted beside the system's (the environment's own CA).
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    /// A response header naming the instance that answered: with it, an answer from an
    /// instance the run did not expect is a failure ([`RequestOutcome::WrongHost`]).
    pub instance_header: Option<String>,
    /// Generator threads (one per core at most is useful); each sends every n-th request.
    pub workers: usize,
    /// Every n-th request goes on a new connection (the rest on kept-alive ones); 0: none.
    /// New connections cost a local port each for a minute (TIME_WAIT): a few hundred a
    /// second is what a machine sustains.
    pub fresh_every: u64,
    /// Long requests mixed in: every n-th request goes to a slow path instead.
    pub slow: Option<SlowRequests>,
}

/// Requests that take a while (a long API call), so some are in flight across every stop.
/// They count like the others; their latency is left out of the latency figures.
#[derive(Debug, Clone)]
pub struct SlowRequests {
    pub path: HttpPath,
    /// Every n-th request (n >= 1).
    pub every: u64,
}

impl LoadPlan {
    pub fn url(&self) -> String {
        self.endpoint.url(self.path.as_str())
    }

    /// The load an environment asks for: its `[drain]` through the API endpoint, on its
    /// health path.
    pub fn for_environment(
        env: &netconform_model::Environment,
        extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    ) -> LoadPlan {
        let drain = &env.drain;
        LoadPlan {
            endpoint: env.api_endpoint(),
            path: env.health.path.clone(),
            expect_status: env.health.expect_status.0,
            rate: drain.rate.per_second(),
            request_timeout: drain.request_timeout.get(),
            max_connections: usize::try_from(drain.max_connections).unwrap_or(usize::MAX),
            extra_roots,
            instance_header: env.health.instance_header.clone(),
            workers: drain.workers,
            fresh_every: drain.fresh_every,
            slow: drain.slow_path.clone().map(|path| SlowRequests {
                path,
                every: drain.slow_every,
            }),
        }
    }
}

/// How a request travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lane {
    /// Reuses kept-alive connections (what browsers and the Pulumi CLI do).
    KeepAlive,
    /// A new connection per request, closed after it.
    Fresh,
}

impl Lane {
    pub fn name(self) -> &'static str {
        match self {
            Lane::KeepAlive => "keep-alive",
            Lane::Fresh => "fresh-connection",
        }
    }
}

/// A failure kept with its details.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// When it failed, from the start of the load: when the refusal, reset, close or error
    /// answer came; for a timeout (and a request not sent on time), when it was due.
    pub at: Duration,
    pub lane: Lane,
    pub outcome: RequestOutcome,
    pub detail: Option<String>,
}

/// A live view of a running load.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub elapsed: Duration,
    pub scheduled: u64,
    pub ok: u64,
    pub failed: u64,
    pub not_sent_on_time: u64,
    /// Failures by outcome.
    pub failures: BTreeMap<RequestOutcome, u64>,
}

/// Everything a finished load saw.
#[derive(Debug, Clone)]
pub struct LoadResult {
    pub url: String,
    pub rate: f64,
    pub expect_status: u16,
    /// When request 0 was due: every time in the result counts from here.
    pub t0: std::time::Instant,
    pub duration: Duration,
    pub scheduled: u64,
    pub counts: BTreeMap<(Lane, RequestOutcome), u64>,
    pub seconds: Vec<SecondBucket>,
    /// Failures (not `not-sent-on-time`) per [`BUCKET`]-wide slot, by outcome.
    pub failure_buckets: BTreeMap<u64, BTreeMap<RequestOutcome, u64>>,
    pub samples: Vec<Sample>,
    pub latency: Latency,
    /// From sending to the whole response.
    pub service: Latency,
    pub connections_opened: u64,
}

impl LoadResult {
    fn sum(&self, f: impl Fn(RequestOutcome) -> bool) -> u64 {
        self.counts
            .iter()
            .filter(|((_, o), _)| f(*o))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn ok(&self) -> u64 {
        self.sum(|o| o == RequestOutcome::Status(self.expect_status))
    }

    pub fn not_sent_on_time(&self) -> u64 {
        self.sum(|o| o == RequestOutcome::NotSentOnTime)
    }

    pub fn failed(&self) -> u64 {
        self.sum(|o| is_failure(o, self.expect_status))
    }

    /// Requests by outcome, lanes merged.
    pub fn by_outcome(&self) -> BTreeMap<RequestOutcome, u64> {
        let mut map = BTreeMap::new();
        for ((_, o), n) in &self.counts {
            *map.entry(*o).or_default() += n;
        }
        map
    }

    /// Sum of every outcome count: must equal `scheduled`.
    pub fn accounted(&self) -> u64 {
        self.counts.values().sum()
    }
}

/// Whether an outcome is a failure of the target (not of the generator, not a success).
pub fn is_failure(outcome: RequestOutcome, expect_status: u16) -> bool {
    outcome != RequestOutcome::Status(expect_status) && outcome != RequestOutcome::NotSentOnTime
}

fn histogram(significant: u8) -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000, significant)
        .expect("static histogram bounds are valid")
}

/// One worker's records; merged at the end.
struct Recorder {
    scheduled: u64,
    counts: BTreeMap<(Lane, RequestOutcome), u64>,
    seconds: Vec<SecondBucket>,
    /// Latency per second, for the timeline's p99.
    second_latency: Vec<Histogram<u64>>,
    failure_buckets: BTreeMap<u64, BTreeMap<RequestOutcome, u64>>,
    samples: Vec<Sample>,
    latency: Histogram<u64>,
    service: Histogram<u64>,
}

impl Recorder {
    fn new() -> Recorder {
        Recorder {
            scheduled: 0,
            counts: BTreeMap::new(),
            seconds: Vec::new(),
            second_latency: Vec::new(),
            failure_buckets: BTreeMap::new(),
            samples: Vec::new(),
            latency: histogram(3),
            service: histogram(3),
        }
    }

    fn second(&mut self, second: u64) -> Option<usize> {
        let index = usize::try_from(second).ok().filter(|i| *i < 1_000_000)?;
        while self.seconds.len() <= index {
            let s = self.seconds.len() as u64;
            self.seconds.push(SecondBucket {
                second: s,
                ..SecondBucket::default()
            });
            self.second_latency.push(histogram(2));
        }
        Some(index)
    }

    fn merge(&mut self, other: Recorder) {
        self.scheduled += other.scheduled;
        for (k, n) in other.counts {
            *self.counts.entry(k).or_default() += n;
        }
        for (bucket, hist) in other.seconds.into_iter().zip(other.second_latency) {
            if let Some(i) = self.second(bucket.second) {
                let mine = &mut self.seconds[i];
                mine.sent += bucket.sent;
                mine.ok += bucket.ok;
                mine.failed += bucket.failed;
                let _ = self.second_latency[i].add(&hist);
            }
        }
        for (slot, outcomes) in other.failure_buckets {
            let mine = self.failure_buckets.entry(slot).or_default();
            for (o, n) in outcomes {
                *mine.entry(o).or_default() += n;
            }
        }
        let room = MAX_SAMPLES.saturating_sub(self.samples.len());
        self.samples.extend(other.samples.into_iter().take(room));
        let _ = self.latency.add(&other.latency);
        let _ = self.service.add(&other.service);
    }
}

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
struct Local {
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

/// When a failure happened, for tying it to a restart phase: when the refusal, reset, close
/// or error answer arrived (a slow request cut off by a replica killed seconds after it was
/// sent failed then, not when it was sent); for a timeout, when the request was sent (the
/// deadline says nothing about the target).
fn failed_at(outcome: RequestOutcome, sent: Instant) -> Instant {
    match outcome {
        RequestOutcome::ConnectTimeout
        | RequestOutcome::ReadTimeout
        | RequestOutcome::InFlightAtEnd
        | RequestOutcome::NotSentOnTime => sent,
        _ => Instant::now(),
    }
}

/// Records one request's outcome; `times` is (latency from the intended time, service time)
/// when a response came back. The request counts as sent in `due`'s second; a failure counts
/// in `failed`'s second and restart phase.
fn record(
    local: &Local,
    due: Instant,
    failed: Instant,
    lane: Lane,
    outcome: RequestOutcome,
    times: Option<(Duration, Duration)>,
    detail: Option<String>,
) {
    let shared = &local.shared;
    let at = due.into_std().saturating_duration_since(shared.t0);
    let failed_at = failed.into_std().saturating_duration_since(shared.t0);
    let expect = shared.plan.expect_status;
    let ok = outcome == RequestOutcome::Status(expect);
    let failed = is_failure(outcome, expect);
    if ok {
        shared.ok.fetch_add(1, Ordering::Relaxed);
    } else if failed {
        *shared
            .failures
            .lock()
            .expect("failures lock")
            .entry(outcome)
            .or_default() += 1;
    } else {
        shared.not_sent.fetch_add(1, Ordering::Relaxed);
    }
    let mut rec = local.rec.borrow_mut();
    *rec.counts.entry((lane, outcome)).or_default() += 1;
    if let Some(i) = rec.second(at.as_secs()) {
        let bucket = &mut rec.seconds[i];
        bucket.sent += 1;
        if ok {
            bucket.ok += 1;
        }
        if let Some((latency, _)) = times {
            rec.second_latency[i].saturating_record(micros(latency));
        }
    }
    if failed && let Some(i) = rec.second(failed_at.as_secs()) {
        rec.seconds[i].failed += 1;
    }
    if let Some((latency, service)) = times {
        rec.latency.saturating_record(micros(latency));
        rec.service.saturating_record(micros(service));
    }
    if failed {
        let slot = (failed_at.as_nanos() / BUCKET.as_nanos()) as u64;
        *rec.failure_buckets
            .entry(slot)
            .or_default()
            .entry(outcome)
            .or_default() += 1;
    }
    if !ok && rec.samples.len() < local.max_samples {
        rec.samples.push(Sample {
            at: failed_at,
            lane,
            outcome,
            detail,
        });
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}

/// A whole response.
struct Answer {
    status: u16,
    /// From sending the request to the whole response.
    service: Duration,
    /// The instance header's value, when configured and present.
    instance: Option<String>,
}

/// One of the `max_connections` slots, released when dropped.
struct Slot(Arc<Shared>);

impl Slot {
    fn take(shared: &Arc<Shared>) -> Option<Slot> {
        let cap = shared.plan.max_connections;
        if shared.open.fetch_add(1, Ordering::SeqCst) >= cap {
            shared.open.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(Arc::clone(shared)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Gets a connection (an idle kept-alive one, or a new one within the cap), sends the
/// request, reads the whole response.
async fn exchange(
    local: &Local,
    lane: Lane,
    slow: bool,
    deadline: Instant,
) -> Result<Answer, Failure> {
    let shared = &local.shared;
    let reused = if lane == Lane::KeepAlive {
        checkout(local)
    } else {
        None
    };
    let is_reused = reused.is_some();
    let (mut stream, mut buf, slot) = match reused {
        Some((stream, buf, slot)) => (stream, buf, slot),
        None => {
            let cap = shared.plan.max_connections;
            let Some(slot) = Slot::take(shared) else {
                return Err((
                    RequestOutcome::NotSentOnTime,
                    format!("all {cap} connections busy (drain.max_connections)"),
                ));
            };
            (
                shared.connector.connect(deadline).await?,
                vec![0u8; BUFFER],
                slot,
            )
        }
    };
    let on = if is_reused {
        " on a reused connection"
    } else {
        ""
    };
    let sent = Instant::now();
    let bytes = match &shared.slow_requests {
        Some(slow_requests) if slow => &slow_requests[lane as usize],
        _ => &shared.requests[lane as usize],
    };
    match timeout_at(deadline, stream.write_all(bytes)).await {
        Err(_) => {
            return Err((
                RequestOutcome::ReadTimeout,
                format!("could not send within the request timeout{on}"),
            ));
        }
        Ok(Err(e)) => return Err(io_failure(&e, "sending", on)),
        Ok(Ok(())) => {}
    }
    let response = match timeout_at(
        deadline,
        http1::read_response(
            &mut stream,
            &mut buf,
            shared.plan.instance_header.as_deref(),
        ),
    )
    .await
    {
        Err(_) => {
            return Err((
                RequestOutcome::ReadTimeout,
                format!("no whole response within the request timeout{on}"),
            ));
        }
        Ok(Err(ReadError::Closed { got_head })) => {
            let what = if got_head {
                "in the middle of the response"
            } else {
                "before a response"
            };
            return Err((
                RequestOutcome::ClosedBeforeResponse,
                format!("the connection closed {what}{on}"),
            ));
        }
        Ok(Err(ReadError::Io(e))) => return Err(io_failure(&e, "reading", on)),
        Ok(Err(ReadError::Malformed(why))) => {
            return Err((RequestOutcome::OtherError, format!("{why}{on}")));
        }
        Ok(Ok(response)) => response,
    };
    if lane == Lane::KeepAlive && !response.close {
        local.idle.borrow_mut().push_back((stream, buf));
        // The slot goes with the idle connection.
        std::mem::forget(slot);
    }
    Ok(Answer {
        status: response.status,
        service: sent.elapsed(),
        instance: response.instance,
    })
}

/// An idle kept-alive connection the peer has not closed, with its slot.
fn checkout(local: &Local) -> Option<(Stream, Vec<u8>, Slot)> {
    let mut idle = local.idle.borrow_mut();
    while let Some((stream, buf)) = idle.pop_front() {
        // The slot was kept while the connection sat idle.
        let slot = Slot(Arc::clone(&local.shared));
        if !stream.closed_while_idle() {
            return Some((stream, buf, slot));
        }
    }
    None
}

fn io_failure(e: &std::io::Error, doing: &str, on: &str) -> Failure {
    use std::io::ErrorKind;
    let outcome = match e.kind() {
        ErrorKind::ConnectionReset | ErrorKind::BrokenPipe | ErrorKind::ConnectionAborted => {
            RequestOutcome::Reset
        }
        ErrorKind::UnexpectedEof => RequestOutcome::ClosedBeforeResponse,
        ErrorKind::InvalidData => RequestOutcome::TlsError,
        _ => RequestOutcome::OtherError,
    };
    (outcome, format!("{doing}: {e}{on}"))
}

/// What a closed loop measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClosedLoop {
    pub completed: u64,
    pub failed: u64,
    pub elapsed: Duration,
    /// Latency of the completed requests (from write to whole response), 99th percentile,
    /// recorded per request as the open model records it.
    pub p99: Duration,
}

/// Closed loop, for benchmarks: `connections` kept-alive connections each send a request as
/// soon as the previous answer is whole, for `duration`, on the current thread.
pub async fn closed_loop(
    plan: LoadPlan,
    resolver: Resolver,
    connections: usize,
    duration: Duration,
) -> Result<ClosedLoop, LoadError> {
    let load = Load::start_shared(plan, resolver)?;
    let shared = Arc::new(load);
    let started = Instant::now();
    let end = started + duration;
    let local = tokio::task::LocalSet::new();
    let counts = Rc::new((std::cell::Cell::new(0u64), std::cell::Cell::new(0u64)));
    let latency = Rc::new(RefCell::new(histogram(2)));
    for _ in 0..connections {
        let (shared, counts, latency) =
            (Arc::clone(&shared), Rc::clone(&counts), Rc::clone(&latency));
        local.spawn_local(async move {
            let mut buf = vec![0u8; BUFFER];
            let mut stream = None;
            while Instant::now() < end {
                let deadline = Instant::now() + shared.plan.request_timeout;
                if stream.is_none() {
                    match shared.connector.connect(deadline).await {
                        Ok(s) => stream = Some(s),
                        Err(_) => {
                            counts.1.set(counts.1.get() + 1);
                            continue;
                        }
                    }
                }
                let Some(s) = stream.as_mut() else { continue };
                let sent = Instant::now();
                let done = async {
                    s.write_all(&shared.requests[0])
                        .await
                        .map_err(ReadError::Io)?;
                    http1::read_response(s, &mut buf, None).await
                };
                match timeout_at(deadline, done).await {
                    Ok(Ok(res)) => {
                        if res.status == shared.plan.expect_status {
                            counts.0.set(counts.0.get() + 1);
                            latency
                                .borrow_mut()
                                .saturating_record(micros(sent.elapsed()));
                        } else {
                            counts.1.set(counts.1.get() + 1);
                        }
                        if res.close {
                            stream = None;
                        }
                    }
                    _ => {
                        counts.1.set(counts.1.get() + 1);
                        stream = None;
                    }
                }
            }
        });
    }
    local.await;
    Ok(ClosedLoop {
        completed: counts.0.get(),
        failed: counts.1.get(),
        elapsed: started.elapsed(),
        p99: Duration::from_micros(latency.borrow().value_at_quantile(0.99)),
    })
}
