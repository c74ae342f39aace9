//! The control endpoint, for driving the sandbox from another process (the restart command of
//! the environment file `netconform sandbox` writes): `POST /rolling-restart` streams one line
//! per restart event, in the event protocol (`netconform-event: ...`), and ends with `done` or
//! `failed: <reason>`.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::SandboxError;
use crate::http::{Body, ChannelBody, text};
use crate::rollout::State;

/// The path that triggers a rolling restart.
pub const ROLLING_RESTART_PATH: &str = "/rolling-restart";

pub(crate) async fn serve(ip: IpAddr, state: Arc<State>) -> Result<SocketAddr, SandboxError> {
    let addr = SocketAddr::new(ip, 0);
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind {
            what: "the control endpoint",
            addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(SandboxError::Runtime)?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let state = Arc::clone(&state);
            let service = service_fn(move |req| {
                let state = Arc::clone(&state);
                async move { Ok::<_, Infallible>(handle(req, state)) }
            });
            tokio::spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(addr)
}

fn handle(req: Request<Incoming>, state: Arc<State>) -> Response<Body> {
    if req.uri().path() != ROLLING_RESTART_PATH {
        return text(
            StatusCode::NOT_FOUND,
            format!("not found; POST {ROLLING_RESTART_PATH}"),
        );
    }
    if req.method() != Method::POST {
        return text(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("POST {ROLLING_RESTART_PATH}"),
        );
    }
    let (lines, body) = mpsc::unbounded_channel::<Bytes>();
    tokio::spawn(async move {
        let (events, mut rx) = mpsc::unbounded_channel::<netconform_model::RestartEvent>();
        let forward = {
            let lines = lines.clone();
            tokio::spawn(async move {
                while let Some(ev) = rx.recv().await {
                    let _ = lines.send(Bytes::from(format!("{}\n", ev.to_line())));
                }
            })
        };
        let res = state.rolling_restart(&events).await;
        drop(events);
        let _ = forward.await;
        let last = match res {
            Ok(()) => "done\n".to_owned(),
            Err(e) => format!("failed: {e}\n"),
        };
        let _ = lines.send(Bytes::from(last));
    });
    Response::builder()
        .header(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(ChannelBody(body).boxed())
        .expect("static response parts are valid")
}
