//! An API replica: answers `/api/status`, a slow endpoint and the console page, tags every
//! response with its instance and zone, and shuts down gracefully when told to stop (unless its
//! variant says otherwise): it keeps serving through a drain delay (a Kubernetes preStop
//! sleep, an ECS deregistration delay) while the load balancer stops routing to it, answering
//! with `Connection: close` from the stop on so kept-alive clients reconnect elsewhere, then
//! fails `/api/status`, closes idle keep-alive connections, finishes in-flight requests and
//! exits; past the stop timeout it is killed.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::{Instant, sleep_until};

use crate::http::{Body, full, text};
use netconform_model::guide::HEALTH_CHECK_PATH as STATUS_PATH;
use netconform_replica::{
    AGENT_DRAIN, AGENT_READY, GZIP_PATH, GZIP_TEXT, INSTANCE_HEADER, SLOW_PATH, ZONE_HEADER,
};

/// Longest hold the slow endpoint grants.
const SLOW_MAX: Duration = Duration::from_secs(60);

/// How a replica behaves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Behaviour {
    /// Status `/api/status` answers while serving normally.
    pub(crate) status: u16,
    /// `/api/status` answers 503 for this long after the replica starts (still booting).
    pub(crate) booting_for: Duration,
    /// `/api/status` answers only after this long.
    pub(crate) status_delay: Duration,
    /// `/api/status` keeps answering 200 while the replica drains.
    pub(crate) healthy_while_draining: bool,
    /// A kept-alive connection idle longer than this is dropped, unanswered, when the next
    /// request arrives on it (a backend keep-alive timeout shorter than the load balancer's).
    pub(crate) idle_close: Option<Duration>,
    /// Answers with `Connection: close` from the stop on (else kept-alive clients stay on
    /// the connection until the replica closes it under them).
    pub(crate) close_when_stopping: bool,
    pub(crate) on_stop: OnStop,
}

/// What a replica does when told to stop.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OnStop {
    /// Keep serving for `drain_delay`, then fail health checks, close keep-alive connections,
    /// finish in-flight requests and exit; killed if all that takes longer than
    /// `stop_timeout` (counted from the stop, as `terminationGracePeriodSeconds` counts the
    /// preStop hook).
    Graceful {
        drain_delay: Duration,
        stop_timeout: Duration,
    },
    /// Exit at once, dropping every connection (no SIGTERM handler).
    ExitAtOnce,
}

/// How a replica ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Drained and exited by itself.
    Drained,
    /// Still had connections at the stop timeout and was killed.
    Killed { open_connections: usize },
    /// Exited at once on stop.
    AtOnce { open_connections: usize },
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exit::Drained => f.write_str("drained and exited"),
            Exit::Killed { open_connections } => {
                write!(
                    f,
                    "killed at the stop timeout with {open_connections} connections open"
                )
            }
            Exit::AtOnce { open_connections } => {
                write!(
                    f,
                    "exited at once on stop, dropping {open_connections} connections"
                )
            }
        }
    }
}

struct Shared {
    id: String,
    zone: String,
    behaviour: Behaviour,
    started: Instant,
    /// Told to stop: in the drain delay or draining.
    stopping: AtomicBool,
    /// Past the drain delay: failing health checks, closing connections.
    draining: AtomicBool,
}

fn gzipped() -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(GZIP_TEXT.as_bytes());
    encoder.finish().unwrap_or_default()
}

/// A running replica.
pub(crate) struct Replica {
    pub(crate) id: String,
    pub(crate) addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Exit>,
}

impl Replica {
    /// Binds `ip:0` and starts serving.
    pub(crate) async fn start(
        id: String,
        zone: &str,
        ip: IpAddr,
        behaviour: Behaviour,
    ) -> std::io::Result<Replica> {
        let listener = TcpListener::bind(SocketAddr::new(ip, 0)).await?;
        let (replica, _) = Replica::serve(listener, id, zone, behaviour)?;
        Ok(replica)
    }

    /// Starts serving on `listener`; also gives the state an agent reads.
    fn serve(
        listener: TcpListener,
        id: String,
        zone: &str,
        behaviour: Behaviour,
    ) -> std::io::Result<(Replica, Arc<Shared>)> {
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            id: id.clone(),
            zone: zone.to_owned(),
            behaviour,
            started: Instant::now(),
            stopping: AtomicBool::new(false),
            draining: AtomicBool::new(false),
        });
        let (stop, stop_rx) = oneshot::channel();
        let task = tokio::spawn(run(
            listener,
            Arc::clone(&shared),
            stop_rx,
            behaviour.on_stop,
        ));
        Ok((
            Replica {
                id,
                addr,
                stop,
                task,
            },
            shared,
        ))
    }

    /// Tells the replica to stop and waits until it has exited.
    pub(crate) async fn stop(self) -> Exit {
        let _ = self.stop.send(());
        self.task.await.unwrap_or(Exit::AtOnce {
            open_connections: 0,
        })
    }
}

async fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: oneshot::Receiver<()>,
    on_stop: OnStop,
) -> Exit {
    let graceful = GracefulShutdown::new();
    let mut conns = JoinSet::new();
    // Serve until told to stop.
    accept_until(&listener, &shared, &graceful, &mut conns, async {
        let _ = stop.await;
    })
    .await;
    shared.stopping.store(true, Ordering::SeqCst);
    match on_stop {
        OnStop::ExitAtOnce => {
            let open_connections = conns.len();
            conns.abort_all();
            Exit::AtOnce { open_connections }
        }
        OnStop::Graceful {
            drain_delay,
            stop_timeout,
        } => {
            let now = Instant::now();
            let deadline = now + stop_timeout;
            // The preStop sleep: serve as usual while the load balancer stops routing here.
            accept_until(
                &listener,
                &shared,
                &graceful,
                &mut conns,
                sleep_until((now + drain_delay).min(deadline)),
            )
            .await;
            // SIGTERM: fail health checks, stop accepting.
            shared.draining.store(true, Ordering::SeqCst);
            drop(listener);
            // Close idle keep-alive connections, let in-flight requests finish.
            tokio::select! {
                () = graceful.shutdown() => Exit::Drained,
                () = sleep_until(deadline) => {
                    let open_connections = conns.len();
                    conns.abort_all();
                    Exit::Killed { open_connections }
                }
            }
        }
    }
}

/// Accepts and serves connections until `until` completes.
async fn accept_until(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    graceful: &GracefulShutdown,
    conns: &mut JoinSet<()>,
    until: impl Future<Output = ()>,
) {
    let mut until = std::pin::pin!(until);
    loop {
        tokio::select! {
            () = &mut until => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let shared = Arc::clone(shared);
                    // When this connection last finished a response (None: never).
                    let last = Arc::new(std::sync::Mutex::new(None::<Instant>));
                    let service = service_fn(move |req| {
                        let (shared, last) = (Arc::clone(&shared), Arc::clone(&last));
                        async move {
                            let idle = last.lock().expect("connection lock").map(|t| t.elapsed());
                            if let (Some(limit), Some(idle)) = (shared.behaviour.idle_close, idle)
                                && idle > limit
                            {
                                // Past our keep-alive timeout: drop the connection unanswered.
                                return Err(IdleClosed);
                            }
                            let res = handle(req, &shared).await;
                            *last.lock().expect("connection lock") = Some(Instant::now());
                            Ok(res)
                        }
                    });
                    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                    let conn = graceful.watch(conn);
                    conns.spawn(async move {
                        let _ = conn.await;
                    });
                }
                // Out of file descriptors or similar: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

/// A kept-alive connection idle past the keep-alive timeout: the server drops it.
#[derive(Debug)]
struct IdleClosed;

impl std::fmt::Display for IdleClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection idle past the keep-alive timeout")
    }
}

impl std::error::Error for IdleClosed {}

async fn handle(req: Request<Incoming>, shared: &Shared) -> Response<Body> {
    let draining = shared.draining.load(Ordering::SeqCst);
    let booting = shared.started.elapsed() < shared.behaviour.booting_for;
    let mut res = match req.uri().path() {
        STATUS_PATH if draining && !shared.behaviour.healthy_while_draining => text(StatusCode::SERVICE_UNAVAILABLE, "draining"),
        // Not ready yet: everything answers 503.
        _ if booting => text(StatusCode::SERVICE_UNAVAILABLE, "starting"),
        STATUS_PATH => {
            tokio::time::sleep(shared.behaviour.status_delay).await;
            let status = StatusCode::from_u16(shared.behaviour.status).unwrap_or(StatusCode::OK);
            text(status, if status.is_success() { "ok" } else { "unhealthy" })
        }
        GZIP_PATH => Response::builder()
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::CONTENT_ENCODING, "gzip")
            .body(full(gzipped()))
            .expect("static response parts are valid"),
        SLOW_PATH => {
            let ms = req
                .uri()
                .query()
                .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("ms=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1000);
            tokio::time::sleep(Duration::from_millis(ms).min(SLOW_MAX)).await;
            text(StatusCode::OK, format!("slept {ms} ms"))
        }
        "/" | "/index.html" => Response::builder()
            .header(http::header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(full(format!(
                "<!doctype html><title>Pulumi Cloud (netconform sandbox)</title><p>console served by {}</p>\n",
                shared.id
            )))
            .expect("static response parts are valid"),
        _ => text(StatusCode::NOT_FOUND, "not found"),
    };
    let headers = res.headers_mut();
    if let Ok(v) = shared.id.parse() {
        headers.insert(INSTANCE_HEADER, v);
    }
    if let Ok(v) = shared.zone.parse() {
        headers.insert(ZONE_HEADER, v);
    }
    if shared.behaviour.close_when_stopping && shared.stopping.load(Ordering::SeqCst) {
        // Tell keep-alive clients (the load balancer, or the client itself through a
        // pass-through balancer) not to reuse this connection.
        headers.insert(
            http::header::CONNECTION,
            http::HeaderValue::from_static("close"),
        );
    }
    res
}

/// One replica on its own, outside the sandbox: what `netconform replica` runs inside a
/// container of the test bed, with the sandbox's replica behaviour.
#[derive(Debug, Clone)]
pub struct StandaloneReplica {
    /// What `x-instance` says.
    pub id: String,
    /// What `x-zone` says.
    pub zone: String,
    pub listen: SocketAddr,
    /// Where to answer HAProxy's agent check (`agent-check`): `ready up` while serving,
    /// `drain` from the stop on. A load balancer that learns about instances only from checks
    /// (no orchestrator deregisters them, as ECS does with an ALB) is told this way to send no
    /// new request to a stopping replica while it still answers them.
    pub agent: Option<SocketAddr>,
    pub on_stop: StandaloneStop,
}

/// What a standalone replica does when told to stop (SIGTERM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandaloneStop {
    /// Answer `Connection: close` and serve for `drain_delay` (the agent says `drain`), then
    /// fail `/api/status`, stop accepting, finish in-flight requests and exit. Whoever runs
    /// the replica kills it at its stop timeout (`docker stop -t`).
    Graceful { drain_delay: Duration },
    /// Exit at once, dropping every connection (no SIGTERM handler).
    ExitAtOnce,
}

/// A standalone replica, listening (see [`StandaloneReplica::bind`]).
pub struct BoundReplica {
    /// Where it serves HTTP.
    pub addr: SocketAddr,
    /// Where its agent answers.
    pub agent_addr: Option<SocketAddr>,
    replica: Replica,
    agent: Option<JoinHandle<()>>,
}

impl StandaloneReplica {
    /// Binds the listeners and starts serving.
    pub async fn bind(self) -> Result<BoundReplica, crate::SandboxError> {
        let bind = |what, addr| move |source| crate::SandboxError::Bind { what, addr, source };
        let listener = TcpListener::bind(self.listen)
            .await
            .map_err(bind("the replica", self.listen))?;
        let agent = match self.agent {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(bind("the replica's agent", addr))?,
            ),
            None => None,
        };
        let agent_addr = match &agent {
            Some(l) => Some(
                l.local_addr()
                    .map_err(bind("the replica's agent", self.listen))?,
            ),
            None => None,
        };
        let on_stop = match self.on_stop {
            StandaloneStop::ExitAtOnce => OnStop::ExitAtOnce,
            // The stop timeout is the runner's (docker stop -t kills the process).
            StandaloneStop::Graceful { drain_delay } => OnStop::Graceful {
                drain_delay,
                stop_timeout: Duration::from_secs(24 * 3600),
            },
        };
        let behaviour = Behaviour {
            status: 200,
            booting_for: Duration::ZERO,
            status_delay: Duration::ZERO,
            healthy_while_draining: false,
            idle_close: None,
            close_when_stopping: true,
            on_stop,
        };
        let (replica, shared) = Replica::serve(listener, self.id, &self.zone, behaviour)
            .map_err(bind("the replica", self.listen))?;
        Ok(BoundReplica {
            addr: replica.addr,
            agent_addr,
            agent: agent.map(|listener| tokio::spawn(answer_agent(listener, shared))),
            replica,
        })
    }
}

impl BoundReplica {
    /// Serves until `stop` completes, then shuts down as configured. Returns how the replica
    /// ended ("drained and exited", ...).
    pub async fn run_until(self, stop: impl Future<Output = ()>) -> String {
        stop.await;
        let exit = self.replica.stop().await;
        if let Some(agent) = self.agent {
            agent.abort();
        }
        exit.to_string()
    }
}

/// HAProxy's agent protocol: one line per connection, then close.
async fn answer_agent(listener: TcpListener, shared: Arc<Shared>) {
    use tokio::io::AsyncWriteExt as _;
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let word = if shared.stopping.load(Ordering::SeqCst) {
            AGENT_DRAIN
        } else {
            AGENT_READY
        };
        let _ = stream.write_all(word.as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}
