//! The generator's connections: resolved through the configured resolver (its cache honours
//! TTLs, so a load balancer's address change is followed), TCP, TLS when the endpoint is
//! HTTPS, each failure classified.

use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use netconform_model::evidence::drain::RequestOutcome;
use netconform_model::{FailureKind, TlsFailure};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

use netconform_net::Resolver;
use netconform_net::failure::{self, Stage};

/// A failed request: its outcome and what happened.
pub(crate) type Failure = (RequestOutcome, String);

/// A connection, plain or TLS.
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => s.get_ref().0,
        }
    }

    /// Whether the peer has closed (or sent something unasked) while the connection sat idle:
    /// such a connection is not reused, as an HTTP client's pool would not.
    pub(crate) fn closed_while_idle(&self) -> bool {
        let mut byte = [0u8; 1];
        let mut buf = ReadBuf::new(&mut byte);
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        !matches!(self.tcp().poll_peek(&mut cx, &mut buf), Poll::Pending)
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// How the load reaches the endpoint: its name through the run's resolver, its addresses in
/// turn, TLS when it is https. Counts the connections it opens.
pub(crate) struct Connector {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) resolver: Resolver,
    pub(crate) tls: Option<tokio_rustls::TlsConnector>,
    pub(crate) opened: std::sync::atomic::AtomicU64,
    pub(crate) next_addr: std::sync::atomic::AtomicUsize,
}

impl Connector {
    /// Resolves the endpoint's name, connects to one of its addresses (round-robin), and
    /// shakes hands (TLS) within `deadline`.
    pub(crate) async fn connect(&self, deadline: Instant) -> Result<Stream, Failure> {
        connect(self, deadline).await
    }
}

async fn connect(shared: &Connector, deadline: Instant) -> Result<Stream, Failure> {
    let host = &shared.host;
    let ips = match timeout_at(deadline, shared.resolver.lookup_ips(host)).await {
        Err(_) => {
            return Err((
                RequestOutcome::Failed(FailureKind::DnsError),
                format!("{host}: no answer within the request timeout"),
            ));
        }
        Ok(Err(e)) => {
            return Err((
                RequestOutcome::Failed(FailureKind::DnsError),
                format!("{host}: {e}"),
            ));
        }
        Ok(Ok(ips)) if ips.is_empty() => {
            return Err((
                RequestOutcome::Failed(FailureKind::DnsError),
                format!("{host}: no addresses"),
            ));
        }
        Ok(Ok(ips)) => ips,
    };
    let ip = ips[shared
        .next_addr
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        % ips.len()];
    let addr = SocketAddr::new(ip, shared.port);
    let stream = match timeout_at(deadline, TcpStream::connect(addr)).await {
        Err(_) => {
            return Err((
                RequestOutcome::Failed(FailureKind::ConnectTimeout),
                format!("connecting to {addr}"),
            ));
        }
        Ok(Err(e)) => return Err(classify_connect(&e, addr)),
        Ok(Ok(stream)) => stream,
    };
    let _ = stream.set_nodelay(true);
    shared
        .opened
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let Some(tls) = &shared.tls else {
        return Ok(Stream::Plain(stream));
    };
    let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| {
        (
            RequestOutcome::Failed(FailureKind::Tls(TlsFailure::Handshake)),
            format!("{host} is not a valid TLS server name: {e}"),
        )
    })?;
    match timeout_at(deadline, tls.connect(name, stream)).await {
        Err(_) => Err((
            RequestOutcome::Failed(FailureKind::ConnectTimeout),
            format!("TLS handshake with {addr}"),
        )),
        Ok(Err(e)) => Err((
            failure::io(&e, Stage::Exchange).into(),
            format!("TLS with {addr}: {e}"),
        )),
        Ok(Ok(stream)) => Ok(Stream::Tls(Box::new(stream))),
    }
}

fn classify_connect(e: &std::io::Error, addr: SocketAddr) -> Failure {
    use std::io::ErrorKind;
    let detail = format!("connecting to {addr}: {e}");
    let outcome = match e.kind() {
        // Out of local ports or file descriptors: the generator's fault, not the target's.
        ErrorKind::AddrNotAvailable | ErrorKind::AddrInUse => RequestOutcome::NotSentOnTime,
        _ if e.raw_os_error() == Some(24) => RequestOutcome::NotSentOnTime,
        _ => failure::io(e, Stage::Connect).into(),
    };
    (outcome, detail)
}
