//! What the load saw: each outcome recorded by worker, histograms, per-second buckets, samples of failures, merged into the result.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hdrhistogram::Histogram;
use netconform_model::FailureKind;
use netconform_model::evidence::drain::{Latency, RequestOutcome, SecondBucket};
use tokio::time::Instant;

use super::*;

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
    pub(crate) fn sum(&self, f: impl Fn(RequestOutcome) -> bool) -> u64 {
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

pub(crate) fn histogram(significant: u8) -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000, significant)
        .expect("static histogram bounds are valid")
}

/// One worker's records; merged at the end.
pub(crate) struct Recorder {
    pub(crate) scheduled: u64,
    pub(crate) counts: BTreeMap<(Lane, RequestOutcome), u64>,
    pub(crate) seconds: Vec<SecondBucket>,
    /// Latency per second, for the timeline's p99.
    pub(crate) second_latency: Vec<Histogram<u64>>,
    pub(crate) failure_buckets: BTreeMap<u64, BTreeMap<RequestOutcome, u64>>,
    pub(crate) samples: Vec<Sample>,
    pub(crate) latency: Histogram<u64>,
    pub(crate) service: Histogram<u64>,
}

impl Recorder {
    pub(crate) fn new() -> Recorder {
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

    pub(crate) fn second(&mut self, second: u64) -> Option<usize> {
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

    pub(crate) fn merge(&mut self, other: Recorder) {
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

/// When a failure happened, for tying it to a restart phase: when the refusal, reset, close
/// or error answer arrived (a slow request cut off by a replica killed seconds after it was
/// sent failed then, not when it was sent); for a timeout, when the request was sent (the
/// deadline says nothing about the target).
pub(crate) fn failed_at(outcome: RequestOutcome, sent: Instant) -> Instant {
    match outcome {
        RequestOutcome::Failed(FailureKind::ConnectTimeout)
        | RequestOutcome::Failed(FailureKind::ReadTimeout)
        | RequestOutcome::InFlightAtEnd
        | RequestOutcome::NotSentOnTime => sent,
        _ => Instant::now(),
    }
}

/// Records one request's outcome; `times` is (latency from the intended time, service time)
/// when a response came back. The request counts as sent in `due`'s second; a failure counts
/// in `failed`'s second and restart phase.
pub(crate) fn record(
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

pub(crate) fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}
