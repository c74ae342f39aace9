//! One request: a connection from the idle pool or a new one within the cap, the request written, the whole response read, every failure classified.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use netconform_model::FailureKind;
use netconform_model::evidence::drain::RequestOutcome;
use netconform_net::failure::{self, Stage};
use tokio::io::AsyncWriteExt;
use tokio::time::{Instant, timeout_at};

use super::*;
use crate::conn::{Failure, Stream};
use crate::http1::{self, ReadError};

/// A whole response.
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// From sending the request to the whole response.
    pub(crate) service: Duration,
    /// The instance header's value, when configured and present.
    pub(crate) instance: Option<String>,
}

/// One of the `max_connections` slots, released when dropped.
pub(crate) struct Slot(pub(crate) Arc<Shared>);

impl Slot {
    pub(crate) fn take(shared: &Arc<Shared>) -> Option<Slot> {
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
pub(crate) async fn exchange(
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
                RequestOutcome::Failed(FailureKind::ReadTimeout),
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
                RequestOutcome::Failed(FailureKind::ReadTimeout),
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
                RequestOutcome::Failed(FailureKind::ClosedBeforeResponse),
                format!("the connection closed {what}{on}"),
            ));
        }
        Ok(Err(ReadError::Io(e))) => return Err(io_failure(&e, "reading", on)),
        Ok(Err(ReadError::Malformed(why))) => {
            return Err((
                RequestOutcome::Failed(FailureKind::OtherError),
                format!("{why}{on}"),
            ));
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
pub(crate) fn checkout(local: &Local) -> Option<(Stream, Vec<u8>, Slot)> {
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

pub(crate) fn io_failure(e: &std::io::Error, doing: &str, on: &str) -> Failure {
    (
        failure::io(e, Stage::Exchange).into(),
        format!("{doing}: {e}{on}"),
    )
}
