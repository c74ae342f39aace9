//! The open-model load generator.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use netconform_model::evidence::drain::{Latency, RequestOutcome, SecondBucket};
use netconform_model::values::{Endpoint, HttpPath, Scheme};
use netconform_net::Resolver;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until, timeout_at};

/// How many failures are kept with their details.
const MAX_SAMPLES: usize = 200;
/// Failures are counted in time buckets this wide, so they can be tied to restart phases.
pub const BUCKET: Duration = Duration::from_millis(10);
/// A request whose send time has passed by more than this was not sent on time.
const LATE: Duration = Duration::from_millis(100);

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
}

impl LoadPlan {
    pub fn url(&self) -> String {
        self.endpoint.url(self.path.as_str())
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
    /// Intended send time, from the start of the load.
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

struct Recorder {
    counts: BTreeMap<(Lane, RequestOutcome), u64>,
    seconds: Vec<SecondBucket>,
    failure_buckets: BTreeMap<u64, BTreeMap<RequestOutcome, u64>>,
    samples: Vec<Sample>,
    latency: Histogram<u64>,
    service: Histogram<u64>,
}

/// The instances the run expects answers from: those seen before the rollout began, and
/// those the rollout started.
#[derive(Default)]
struct Instances {
    /// When the rollout began: answers to requests sent before it teach which instances
    /// exist; answers to later ones are checked.
    rollout_begun: Option<std::time::Instant>,
    known: std::collections::BTreeSet<String>,
}

struct Shared {
    plan: LoadPlan,
    resolver: Resolver,
    tls: Option<tokio_rustls::TlsConnector>,
    host_header: String,
    t0: Instant,
    idle: Mutex<Vec<SendRequest<Empty<Bytes>>>>,
    open: Arc<AtomicUsize>,
    opened: AtomicU64,
    next_addr: AtomicUsize,
    in_flight: [AtomicU64; 2],
    rec: Mutex<Recorder>,
    instances: Mutex<Instances>,
}

/// Why a load could not start. Reads after "failed to".
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("plan the load: {0}")]
    Plan(String),
    #[error(transparent)]
    Tls(#[from] netconform_net::tls::TlsError),
}

/// A running load. [`Load::finish`] stops it and returns what it saw.
pub struct Load {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    scheduler: tokio::task::JoinHandle<(u64, JoinSet<()>)>,
}

impl Load {
    /// Starts sending on the current runtime.
    pub fn start(plan: LoadPlan, resolver: Resolver) -> Result<Load, LoadError> {
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
        let host_header = if plan.endpoint.port == default_port {
            plan.endpoint.host.clone()
        } else {
            format!("{}:{}", plan.endpoint.host, plan.endpoint.port)
        };
        let histogram = || {
            Histogram::new_with_bounds(1, 3_600_000_000, 3)
                .expect("static histogram bounds are valid")
        };
        let shared = Arc::new(Shared {
            plan,
            resolver,
            tls,
            host_header,
            t0: Instant::now(),
            idle: Mutex::new(Vec::new()),
            open: Arc::new(AtomicUsize::new(0)),
            opened: AtomicU64::new(0),
            next_addr: AtomicUsize::new(0),
            in_flight: [AtomicU64::new(0), AtomicU64::new(0)],
            rec: Mutex::new(Recorder {
                counts: BTreeMap::new(),
                seconds: Vec::new(),
                failure_buckets: BTreeMap::new(),
                samples: Vec::new(),
                latency: histogram(),
                service: histogram(),
            }),
            instances: Mutex::new(Instances::default()),
        });
        let (stop, stop_rx) = watch::channel(false);
        let scheduler = tokio::spawn(schedule(Arc::clone(&shared), stop_rx));
        Ok(Load {
            shared,
            stop,
            scheduler,
        })
    }

    /// When request 0 was due.
    pub fn t0(&self) -> std::time::Instant {
        self.shared.t0.into_std()
    }

    /// Follows the rollout: once it has begun, answers come only from the instances seen so
    /// far and those it starts.
    pub fn observe(&self, event: &netconform_model::RestartEvent) {
        let mut instances = self.shared.instances.lock().expect("instances lock");
        match (event.kind, &event.instance) {
            (netconform_model::RestartEventKind::RolloutBegun, _) => {
                instances.rollout_begun = Some(event.at)
            }
            (netconform_model::RestartEventKind::InstanceStarted, Some(id)) => {
                instances.known.insert(id.clone());
            }
            _ => {}
        }
    }

    pub fn progress(&self) -> Progress {
        let expect = self.shared.plan.expect_status;
        let rec = self.shared.rec.lock().expect("recorder lock");
        let mut progress = Progress {
            elapsed: self.shared.t0.elapsed(),
            scheduled: 0,
            ok: 0,
            failed: 0,
            not_sent_on_time: 0,
            failures: BTreeMap::new(),
        };
        for ((_, outcome), n) in &rec.counts {
            progress.scheduled += n;
            if *outcome == RequestOutcome::Status(expect) {
                progress.ok += n;
            } else if *outcome == RequestOutcome::NotSentOnTime {
                progress.not_sent_on_time += n;
            } else {
                progress.failed += n;
                *progress.failures.entry(*outcome).or_default() += n;
            }
        }
        progress.scheduled += self
            .shared
            .in_flight
            .iter()
            .map(|n| n.load(Ordering::Relaxed))
            .sum::<u64>();
        progress
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
        let _ = self.stop.send(true);
        let end = Instant::now();
        let (scheduled, mut tasks) = self.scheduler.await.unwrap_or_default();
        let deadline = Instant::now() + wait;
        while !tasks.is_empty() {
            match timeout_at(deadline, tasks.join_next()).await {
                Ok(_) => {}
                Err(_) => break,
            }
        }
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        let shared = &self.shared;
        let mut rec = shared.rec.lock().expect("recorder lock");
        for (lane, in_flight) in [Lane::KeepAlive, Lane::Fresh]
            .into_iter()
            .zip(&shared.in_flight)
        {
            let n = in_flight.swap(0, Ordering::SeqCst);
            if n > 0 {
                *rec.counts
                    .entry((lane, RequestOutcome::InFlightAtEnd))
                    .or_default() += n;
            }
        }
        shared.idle.lock().expect("idle lock").clear();
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
        let (latency, service) = (summary(&rec.latency), summary(&rec.service));
        LoadResult {
            url: shared.plan.url(),
            rate: shared.plan.rate,
            expect_status: shared.plan.expect_status,
            t0: shared.t0.into_std(),
            duration: end.saturating_duration_since(shared.t0),
            scheduled,
            counts: rec.counts.clone(),
            seconds: std::mem::take(&mut rec.seconds),
            failure_buckets: std::mem::take(&mut rec.failure_buckets),
            samples: std::mem::take(&mut rec.samples),
            latency,
            service,
            connections_opened: shared.opened.load(Ordering::Relaxed),
        }
    }
}

/// Sends request i at t0 + i/rate until told to stop. Returns how many were scheduled and the
/// requests still running.
async fn schedule(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) -> (u64, JoinSet<()>) {
    let period = Duration::from_secs_f64(1.0 / shared.plan.rate);
    let mut tasks = JoinSet::new();
    let mut i: u64 = 0;
    loop {
        let due = shared.t0 + period.mul_f64(i as f64);
        if due > Instant::now() {
            tokio::select! {
                () = sleep_until(due) => {}
                _ = stop.changed() => {}
            }
        }
        if *stop.borrow() {
            return (i, tasks);
        }
        while tasks.try_join_next().is_some() {}
        let lane = if i.is_multiple_of(2) {
            Lane::KeepAlive
        } else {
            Lane::Fresh
        };
        let late = Instant::now().saturating_duration_since(due);
        if late > LATE {
            record(
                &shared,
                due,
                lane,
                RequestOutcome::NotSentOnTime,
                None,
                Some(format!(
                    "{} ms late: the generator fell behind",
                    late.as_millis()
                )),
            );
        } else {
            shared.in_flight[lane as usize].fetch_add(1, Ordering::SeqCst);
            tasks.spawn(request(Arc::clone(&shared), due, lane));
        }
        i += 1;
    }
}

/// One request, from connection to whole response, recorded exactly once.
async fn request(shared: Arc<Shared>, due: Instant, lane: Lane) {
    let deadline = Instant::now().max(due) + shared.plan.request_timeout;
    let (outcome, detail, times) = match exchange(&shared, lane, deadline).await {
        Ok(answer) => {
            let times = Some((
                Instant::now().saturating_duration_since(due),
                answer.service,
            ));
            match answer.instance.filter(|i| !shared.expects(i, due)) {
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
    shared.in_flight[lane as usize].fetch_sub(1, Ordering::SeqCst);
    record(&shared, due, lane, outcome, times, detail);
}

impl Shared {
    /// Whether an answer from `instance` to a request due at `due` is expected: any to a
    /// request sent before the rollout began (the instance is learnt), afterwards only those
    /// learnt or started by the rollout.
    fn expects(&self, instance: &str, due: Instant) -> bool {
        let mut instances = self.instances.lock().expect("instances lock");
        match instances.rollout_begun {
            Some(begun) if due.into_std() >= begun => instances.known.contains(instance),
            _ => {
                instances.known.insert(instance.to_owned());
                true
            }
        }
    }
}

/// Records one request's outcome; `times` is (latency from the intended time, service time)
/// when a response came back.
fn record(
    shared: &Shared,
    due: Instant,
    lane: Lane,
    outcome: RequestOutcome,
    times: Option<(Duration, Duration)>,
    detail: Option<String>,
) {
    let at = due.saturating_duration_since(shared.t0);
    let expect = shared.plan.expect_status;
    let mut rec = shared.rec.lock().expect("recorder lock");
    *rec.counts.entry((lane, outcome)).or_default() += 1;
    let second = at.as_secs();
    let index = usize::try_from(second).unwrap_or(usize::MAX);
    if rec.seconds.len() <= index && index < 1_000_000 {
        let from = rec.seconds.len() as u64;
        rec.seconds.extend((from..=second).map(|s| SecondBucket {
            second: s,
            ..SecondBucket::default()
        }));
    }
    if let Some(bucket) = rec.seconds.get_mut(index) {
        bucket.sent += 1;
        if outcome == RequestOutcome::Status(expect) {
            bucket.ok += 1;
        } else if is_failure(outcome, expect) {
            bucket.failed += 1;
        }
    }
    if let Some((latency, service)) = times {
        let us = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1);
        rec.latency.saturating_record(us(latency));
        rec.service.saturating_record(us(service));
    }
    if is_failure(outcome, expect) {
        let slot = (at.as_nanos() / BUCKET.as_nanos()) as u64;
        *rec.failure_buckets
            .entry(slot)
            .or_default()
            .entry(outcome)
            .or_default() += 1;
    }
    if outcome != RequestOutcome::Status(expect) && rec.samples.len() < MAX_SAMPLES {
        rec.samples.push(Sample {
            at,
            lane,
            outcome,
            detail,
        });
    }
}

type Failure = (RequestOutcome, String);

/// Gets a connection, sends the request, reads the whole response.
/// A whole response.
struct Answer {
    status: u16,
    /// From sending the request to the whole response.
    service: Duration,
    /// The instance header's value, when configured and present.
    instance: Option<String>,
}

async fn exchange(shared: &Shared, lane: Lane, deadline: Instant) -> Result<Answer, Failure> {
    let (mut sender, reused) = match lane {
        Lane::KeepAlive => match checkout(shared) {
            Some(sender) => (sender, true),
            None => (connect(shared, deadline).await?, false),
        },
        Lane::Fresh => (connect(shared, deadline).await?, false),
    };
    let mut req = hyper::Request::get(shared.plan.path.as_str())
        .header(http::header::HOST, &shared.host_header)
        .header(
            http::header::USER_AGENT,
            concat!("netconform/", env!("CARGO_PKG_VERSION")),
        );
    if lane == Lane::Fresh {
        req = req.header(http::header::CONNECTION, "close");
    }
    let req = req
        .body(Empty::<Bytes>::new())
        .expect("request parts are valid");
    let on = if reused {
        " on a reused connection"
    } else {
        ""
    };
    let sent = Instant::now();
    let res = match timeout_at(deadline, sender.send_request(req)).await {
        Err(_) => {
            return Err((
                RequestOutcome::ReadTimeout,
                format!("no response within the request timeout{on}"),
            ));
        }
        Ok(Err(e)) => return Err(classify_http(&e, on)),
        Ok(Ok(res)) => res,
    };
    let status = res.status().as_u16();
    let instance = shared
        .plan
        .instance_header
        .as_deref()
        .and_then(|h| res.headers().get(h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let closing = res
        .headers()
        .get(http::header::CONNECTION)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
    match timeout_at(deadline, res.into_body().collect()).await {
        Err(_) => {
            return Err((
                RequestOutcome::ReadTimeout,
                format!("status {status} but the body did not arrive in time{on}"),
            ));
        }
        Ok(Err(e)) => return Err(classify_http(&e, on)),
        Ok(Ok(_)) => {}
    }
    if lane == Lane::KeepAlive && !closing && !sender.is_closed() {
        shared.idle.lock().expect("idle lock").push(sender);
    }
    Ok(Answer {
        status,
        service: sent.elapsed(),
        instance,
    })
}

/// An idle kept-alive connection that still looks open.
fn checkout(shared: &Shared) -> Option<SendRequest<Empty<Bytes>>> {
    let mut idle = shared.idle.lock().expect("idle lock");
    while let Some(sender) = idle.pop() {
        if !sender.is_closed() && sender.is_ready() {
            return Some(sender);
        }
    }
    None
}

/// Resolves (through the configured resolver, whose cache honours TTLs), connects, and
/// shakes hands, within the connection cap.
async fn connect(shared: &Shared, deadline: Instant) -> Result<SendRequest<Empty<Bytes>>, Failure> {
    let cap = shared.plan.max_connections;
    let Some(slot) = Slot::take(&shared.open, cap) else {
        return Err((
            RequestOutcome::NotSentOnTime,
            format!("all {cap} connections busy (drain.max_connections)"),
        ));
    };
    let host = &shared.plan.endpoint.host;
    let ips = match timeout_at(deadline, shared.resolver.lookup_ips(host)).await {
        Err(_) => {
            return Err((
                RequestOutcome::DnsError,
                format!("{host}: no answer within the request timeout"),
            ));
        }
        Ok(Err(e)) => return Err((RequestOutcome::DnsError, format!("{host}: {e}"))),
        Ok(Ok(ips)) if ips.is_empty() => {
            return Err((RequestOutcome::DnsError, format!("{host}: no addresses")));
        }
        Ok(Ok(ips)) => ips,
    };
    let ip = ips[shared.next_addr.fetch_add(1, Ordering::Relaxed) % ips.len()];
    let addr = SocketAddr::new(ip, shared.plan.endpoint.port);
    let stream = match timeout_at(deadline, TcpStream::connect(addr)).await {
        Err(_) => {
            return Err((
                RequestOutcome::ConnectTimeout,
                format!("connecting to {addr}"),
            ));
        }
        Ok(Err(e)) => return Err(classify_connect(&e, addr)),
        Ok(Ok(stream)) => stream,
    };
    let _ = stream.set_nodelay(true);
    shared.opened.fetch_add(1, Ordering::Relaxed);
    let sender = match &shared.tls {
        None => handshake(stream, slot, deadline, addr).await?,
        Some(tls) => {
            let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| {
                (
                    RequestOutcome::TlsError,
                    format!("{host} is not a valid TLS server name: {e}"),
                )
            })?;
            let stream = match timeout_at(deadline, tls.connect(name, stream)).await {
                Err(_) => {
                    return Err((
                        RequestOutcome::ConnectTimeout,
                        format!("TLS handshake with {addr}"),
                    ));
                }
                Ok(Err(e)) => {
                    return Err((RequestOutcome::TlsError, format!("TLS with {addr}: {e}")));
                }
                Ok(Ok(stream)) => stream,
            };
            handshake(stream, slot, deadline, addr).await?
        }
    };
    Ok(sender)
}

async fn handshake<S>(
    stream: S,
    slot: Slot,
    deadline: Instant,
    addr: SocketAddr,
) -> Result<SendRequest<Empty<Bytes>>, Failure>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = match timeout_at(
        deadline,
        hyper::client::conn::http1::handshake(TokioIo::new(stream)),
    )
    .await
    {
        Err(_) => {
            return Err((
                RequestOutcome::ConnectTimeout,
                format!("HTTP handshake with {addr}"),
            ));
        }
        Ok(Err(e)) => return Err(classify_http(&e, "")),
        Ok(Ok(pair)) => pair,
    };
    // The connection holds its slot until its task ends.
    tokio::spawn(async move {
        let _ = conn.await;
        drop(slot);
    });
    Ok(sender)
}

/// One of the `max_connections` slots, released when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>, cap: usize) -> Option<Slot> {
        if open.fetch_add(1, Ordering::SeqCst) >= cap {
            open.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

fn classify_connect(e: &std::io::Error, addr: SocketAddr) -> Failure {
    use std::io::ErrorKind;
    let detail = format!("connecting to {addr}: {e}");
    let outcome = match e.kind() {
        ErrorKind::ConnectionRefused => RequestOutcome::ConnectRefused,
        ErrorKind::ConnectionReset => RequestOutcome::Reset,
        ErrorKind::TimedOut => RequestOutcome::ConnectTimeout,
        // Out of local ports or file descriptors: the generator's fault, not the target's.
        ErrorKind::AddrNotAvailable | ErrorKind::AddrInUse => RequestOutcome::NotSentOnTime,
        _ if e.raw_os_error() == Some(24) => RequestOutcome::NotSentOnTime,
        _ => RequestOutcome::OtherError,
    };
    (outcome, detail)
}

fn classify_http(e: &hyper::Error, on: &str) -> Failure {
    use std::io::ErrorKind;
    let mut detail = e.to_string();
    if let Some(source) = e.source() {
        detail = format!("{detail}: {source}");
    }
    detail.push_str(on);
    let outcome = match io_kind(e) {
        Some(ErrorKind::ConnectionReset | ErrorKind::BrokenPipe | ErrorKind::ConnectionAborted) => {
            RequestOutcome::Reset
        }
        _ if e.is_incomplete_message() || e.is_canceled() || e.is_closed() => {
            RequestOutcome::ClosedBeforeResponse
        }
        _ if e.is_timeout() => RequestOutcome::ReadTimeout,
        _ => RequestOutcome::OtherError,
    };
    (outcome, detail)
}
