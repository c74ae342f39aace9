//! A closed loop, for the benchmarks: connections that send again as soon as an answer is whole.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use netconform_net::Resolver;
use tokio::io::AsyncWriteExt;
use tokio::time::{Instant, timeout_at};

use super::*;
use crate::http1::{self, ReadError};

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
