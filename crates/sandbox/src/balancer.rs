//! The load balancer: listens on one or more addresses, routes round-robin to the registered
//! targets its active health checks find healthy (interval and thresholds like an ALB's, in
//! milliseconds), stops routing to a target being deregistered, fails open when no target is
//! healthy, and never retries: a backend failure reaches the client as 502/504.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::HeaderValue;
use http::header::{self, HeaderName};
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::http::{Body, full, text};

/// Header the load balancer puts on the responses it makes itself (its fingerprint).
pub const LB_SERVER: &str = "netconform-sandbox-lb";

/// Health-check settings, like an ALB target group's, scaled down to milliseconds.
#[derive(Debug, Clone)]
pub struct HealthCheck {
    pub path: String,
    pub interval: Duration,
    pub timeout: Duration,
    /// Consecutive successes before a target receives traffic.
    pub healthy_threshold: u32,
    /// Consecutive failures before a target stops receiving traffic.
    pub unhealthy_threshold: u32,
    /// Only check that the target accepts TCP connections (an NLB's default, a Kubernetes
    /// tcpSocket probe): a target that accepts but is not ready passes.
    pub tcp_only: bool,
}

impl HealthCheck {
    /// Longest time from a target starting to fail until no new request goes to it.
    pub fn detection_time(&self) -> Duration {
        (self.interval + self.timeout) * self.unhealthy_threshold
    }
}

struct Target {
    id: String,
    addr: SocketAddr,
    healthy: AtomicBool,
    /// Cleared when the target is being deregistered: no new request goes to it.
    routable: AtomicBool,
    checker: JoinHandle<()>,
}

struct Inner {
    targets: Mutex<Vec<Arc<Target>>>,
    next: AtomicUsize,
    client: Client<HttpConnector, Full<Bytes>>,
    check: HealthCheck,
    backend_timeout: Duration,
}

/// A running load balancer.
#[derive(Clone)]
pub(crate) struct Balancer {
    inner: Arc<Inner>,
}

impl Balancer {
    /// Starts serving on every listener.
    /// Starts serving HTTPS on `https` and plain HTTP on `http`.
    pub(crate) fn start(
        https: Vec<TcpListener>,
        http: Vec<TcpListener>,
        front: Front,
        check: HealthCheck,
        backend_timeout: Duration,
    ) -> Balancer {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(backend_timeout));
        let client = Client::builder(TokioExecutor::new())
            .retry_canceled_requests(false)
            .pool_idle_timeout(Duration::from_secs(30))
            .build(connector);
        let inner = Arc::new(Inner {
            targets: Mutex::new(Vec::new()),
            next: AtomicUsize::new(0),
            client,
            check,
            backend_timeout,
        });
        for listener in https {
            tokio::spawn(serve_https(listener, Arc::clone(&inner), front.clone()));
        }
        for listener in http {
            tokio::spawn(serve_http(listener, Arc::clone(&inner), front.clone()));
        }
        Balancer { inner }
    }

    /// Adds a target; it receives traffic once its health checks pass.
    pub(crate) fn register(&self, id: &str, addr: SocketAddr) {
        let target = Arc::new_cyclic(|weak: &std::sync::Weak<Target>| Target {
            id: id.to_owned(),
            addr,
            healthy: AtomicBool::new(false),
            routable: AtomicBool::new(true),
            checker: tokio::spawn(check_loop(weak.clone(), self.inner.check.clone())),
        });
        self.inner.targets.lock().expect("lock").push(target);
    }

    /// Starts deregistering a target (ALB "draining"): no new request goes to it; requests
    /// in flight finish.
    pub(crate) fn drain(&self, id: &str) {
        for t in self.inner.targets.lock().expect("lock").iter() {
            if t.id == id {
                t.routable.store(false, Ordering::SeqCst);
            }
        }
    }

    /// Removes a target altogether.
    pub(crate) fn deregister(&self, id: &str) {
        let mut targets = self.inner.targets.lock().expect("lock");
        targets.retain(|t| {
            if t.id == id {
                t.checker.abort();
            }
            t.id != id
        });
    }

    pub(crate) fn is_healthy(&self, id: &str) -> bool {
        self.inner
            .targets
            .lock()
            .expect("lock")
            .iter()
            .any(|t| t.id == id && t.healthy.load(Ordering::SeqCst))
    }

    /// Waits until the target is healthy, or `timeout`. Returns whether it became healthy.
    pub(crate) async fn wait_healthy(&self, id: &str, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.is_healthy(id) {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

impl Inner {
    /// Round-robin over healthy targets that are not draining; over all of those when none is
    /// healthy (an ALB fails open).
    fn pick(&self) -> Option<Arc<Target>> {
        let targets = self.targets.lock().expect("lock");
        let routable: Vec<&Arc<Target>> = targets
            .iter()
            .filter(|t| t.routable.load(Ordering::SeqCst))
            .collect();
        let healthy: Vec<&Arc<Target>> = routable
            .iter()
            .copied()
            .filter(|t| t.healthy.load(Ordering::SeqCst))
            .collect();
        let pool = if healthy.is_empty() {
            routable
        } else {
            healthy
        };
        if pool.is_empty() {
            return None;
        }
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        Some(Arc::clone(pool[n % pool.len()]))
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        for t in self.targets.lock().expect("lock").iter() {
            t.checker.abort();
        }
    }
}

async fn check_loop(target: std::sync::Weak<Target>, check: HealthCheck) {
    let (mut successes, mut failures) = (0u32, 0u32);
    let mut ticks = tokio::time::interval(check.interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(target) = target.upgrade() else {
            return;
        };
        let ok = if check.tcp_only {
            tokio::time::timeout(check.timeout, TcpStream::connect(target.addr))
                .await
                .is_ok_and(|c| c.is_ok())
        } else {
            tokio::time::timeout(check.timeout, probe(target.addr, &check.path))
                .await
                .unwrap_or(false)
        };
        if ok {
            successes += 1;
            failures = 0;
            if successes >= check.healthy_threshold {
                target.healthy.store(true, Ordering::SeqCst);
            }
        } else {
            failures += 1;
            successes = 0;
            if failures >= check.unhealthy_threshold {
                target.healthy.store(false, Ordering::SeqCst);
            }
        }
    }
}

/// One health check on a fresh connection: healthy when the answer is 2xx.
async fn probe(addr: SocketAddr, path: &str) -> bool {
    let Ok(stream) = TcpStream::connect(addr).await else {
        return false;
    };
    let Ok((mut send, conn)) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
    else {
        return false;
    };
    let conn = tokio::spawn(conn);
    let req = Request::get(path)
        .header(header::HOST, addr.to_string())
        .header(header::CONNECTION, "close")
        .header(header::USER_AGENT, "netconform-sandbox-lb-health")
        .body(Empty::<Bytes>::new())
        .expect("static request parts are valid");
    let ok = match send.send_request(req).await {
        Ok(res) => {
            let ok = res.status().is_success();
            let _ = res.into_body().collect().await;
            ok
        }
        Err(_) => false,
    };
    conn.abort();
    ok
}

/// How the load balancer's listeners behave.
#[derive(Clone)]
pub(crate) struct Front {
    pub(crate) tls: TlsAcceptor,
    /// The HTTPS port, for redirects.
    pub(crate) https_port: u16,
    /// Plain HTTP redirects to HTTPS (else it is served like HTTPS).
    pub(crate) redirect: bool,
    /// Drop `Content-Encoding` from responses (a misconfigured proxy).
    pub(crate) strip_encoding: bool,
    /// HTTPS connections go, once TLS is done, to one target each, byte for byte.
    pub(crate) pass_through: bool,
}

/// Accepts HTTPS connections: TLS, then HTTP/1.1 proxied to the targets.
async fn serve_https(listener: TcpListener, inner: Arc<Inner>, front: Front) {
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (inner, front) = (Arc::clone(&inner), front.clone());
        tokio::spawn(async move {
            let Ok(stream) = front.tls.accept(stream).await else {
                return;
            };
            if front.pass_through {
                pass_through(stream, &inner).await;
                return;
            }
            let service = service_fn(move |req| {
                let (inner, front) = (Arc::clone(&inner), front.clone());
                async move { Ok::<_, Infallible>(proxy(req, peer, &inner, &front).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Relays one client connection to one target (a layer-4 balancer). When the target closes
/// the connection the client is not told (it sees no FIN, as behind an NLB or a Service whose
/// endpoint is gone): its next request on the connection is reset. A client that was told
/// `Connection: close` has left by then. A close while a request is unanswered resets the
/// client at once.
async fn pass_through(mut client: TlsStream<TcpStream>, inner: &Inner) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let reset = |client: TlsStream<TcpStream>| {
        let _ = client.get_ref().0.set_zero_linger();
        drop(client);
    };
    let Some(target) = inner.pick() else {
        return reset(client);
    };
    let Ok(Ok(mut backend)) =
        tokio::time::timeout(inner.backend_timeout, TcpStream::connect(target.addr)).await
    else {
        return reset(client);
    };
    let _ = backend.set_nodelay(true);
    let (mut from_client, mut from_backend) = (vec![0u8; 16 * 1024], vec![0u8; 16 * 1024]);
    let mut backend_open = true;
    // Client bytes went to the target and no answer has come back yet.
    let mut awaiting = false;
    loop {
        tokio::select! {
            read = client.read(&mut from_client) => match read {
                Ok(0) | Err(_) => {
                    let _ = backend.shutdown().await;
                    let _ = client.shutdown().await;
                    return;
                }
                Ok(n) => {
                    if !backend_open || backend.write_all(&from_client[..n]).await.is_err() {
                        return reset(client);
                    }
                    awaiting = true;
                }
            },
            read = backend.read(&mut from_backend), if backend_open => match read {
                Ok(0) | Err(_) if awaiting => return reset(client),
                Ok(0) | Err(_) => backend_open = false,
                Ok(n) => {
                    awaiting = false;
                    if client.write_all(&from_backend[..n]).await.is_err()
                        || client.flush().await.is_err()
                    {
                        return;
                    }
                }
            },
        }
    }
}

/// Accepts plain HTTP connections: a redirect to HTTPS on the same host, or (broken) the
/// same service as HTTPS.
async fn serve_http(listener: TcpListener, inner: Arc<Inner>, front: Front) {
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (inner, front) = (Arc::clone(&inner), front.clone());
        let service = service_fn(move |req| {
            let (inner, front) = (Arc::clone(&inner), front.clone());
            async move {
                let res = if front.redirect {
                    redirect(&req, front.https_port)
                } else {
                    proxy(req, peer, &inner, &front).await
                };
                Ok::<_, Infallible>(res)
            }
        });
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// `301` to the same host and path over HTTPS.
fn redirect(req: &Request<Incoming>, https_port: u16) -> Response<Body> {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let location = if https_port == 443 {
        format!("https://{host}{path}")
    } else {
        format!("https://{host}:{https_port}{path}")
    };
    let mut res = text(
        StatusCode::MOVED_PERMANENTLY,
        format!("moved to {location}"),
    );
    if let Ok(v) = location.parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::SERVER, HeaderValue::from_static(LB_SERVER));
    res
}

const HOP_BY_HOP: [HeaderName; 6] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

fn lb_error(status: StatusCode, why: String) -> Response<Body> {
    let mut res = text(status, format!("{status} from the load balancer: {why}"));
    res.headers_mut()
        .insert(header::SERVER, HeaderValue::from_static(LB_SERVER));
    res
}

async fn proxy(
    req: Request<Incoming>,
    peer: SocketAddr,
    inner: &Inner,
    front: &Front,
) -> Response<Body> {
    let Some(target) = inner.pick() else {
        return lb_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "no registered targets".into(),
        );
    };
    let (mut parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return lb_error(StatusCode::BAD_REQUEST, format!("reading the request: {e}")),
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    parts.uri = match format!("http://{}{path}", target.addr).parse() {
        Ok(uri) => uri,
        Err(e) => return lb_error(StatusCode::BAD_REQUEST, format!("bad request target: {e}")),
    };
    for h in &HOP_BY_HOP {
        parts.headers.remove(h);
    }
    if let Ok(v) = peer.ip().to_string().parse() {
        parts.headers.insert("x-forwarded-for", v);
    }
    let forwarded = Request::from_parts(parts, Full::new(body));
    let exchange = async {
        let res = inner.client.request(forwarded).await?;
        let (parts, body) = res.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((parts, body))
    };
    match tokio::time::timeout(inner.backend_timeout, exchange).await {
        Ok(Ok((mut parts, body))) => {
            for h in &HOP_BY_HOP {
                parts.headers.remove(h);
            }
            if front.strip_encoding {
                parts.headers.remove(header::CONTENT_ENCODING);
            }
            Response::from_parts(parts, full(body))
        }
        Ok(Err(e)) => lb_error(
            StatusCode::BAD_GATEWAY,
            format!("target {} failed: {}", target.id, chain(&*e)),
        ),
        Err(_) => lb_error(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "target {} did not answer within {:?}",
                target.id, inner.backend_timeout
            ),
        ),
    }
}

/// An error with its sources, "a: b: c".
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
