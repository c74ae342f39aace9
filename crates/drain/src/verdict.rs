//! Verdicts over a load and a restart: did the restart complete, did every request succeed,
//! is every request accounted for. Failures are tied to the restart phase they fell in.

use std::collections::BTreeMap;
use std::time::Duration;

use netconform_model::evidence::drain::{
    DrainSummary, FailureSample, PhaseEvent, PhaseFailures, RequestOutcome, RestartSummary,
    SecondBucket,
};
use netconform_model::{HumanDuration, Outcome, RestartEvent, RestartEventKind, Verdict};

use crate::haproxy::HaproxyCounters;
use crate::load::{BUCKET, LoadResult};
use crate::restart::RestartRun;

/// A stretch of time between two restart events, named for an operator.
#[derive(Debug, Clone, PartialEq)]
struct Phase {
    name: String,
    from: Duration,
    to: Duration,
}

fn phase_name(event: Option<&RestartEvent>) -> String {
    let Some(event) = event else {
        return "before the restart".into();
    };
    let who = event.instance.as_deref().unwrap_or("the deployment");
    match event.kind {
        RestartEventKind::RolloutBegun => "after the rollout began".into(),
        RestartEventKind::InstanceStarted => format!("while {who} was starting"),
        RestartEventKind::InstanceHealthy => format!("after {who} became healthy"),
        RestartEventKind::InstanceStopping => format!("while {who} was stopping"),
        RestartEventKind::InstanceExited => format!("after {who} exited"),
        RestartEventKind::RolloutDone => "after the rollout".into(),
        RestartEventKind::RolloutFailed => "after the rollout failed".into(),
    }
}

/// The phases the events cut the run into, on the load's clock.
fn phases(result: &LoadResult, events: &[RestartEvent]) -> Vec<Phase> {
    let offset = |e: &RestartEvent| e.at.saturating_duration_since(result.t0);
    let mut sorted: Vec<&RestartEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    let mut phases = Vec::with_capacity(sorted.len() + 1);
    let mut from = Duration::ZERO;
    let mut opened_by = None;
    for event in sorted {
        let at = offset(event);
        phases.push(Phase {
            name: phase_name(opened_by),
            from,
            to: at,
        });
        from = at;
        opened_by = Some(event);
    }
    phases.push(Phase {
        name: phase_name(opened_by),
        from,
        to: result.duration.max(from),
    });
    phases
}

fn phase_index(phases: &[Phase], at: Duration) -> usize {
    phases.iter().rposition(|p| p.from <= at).unwrap_or(0)
}

/// The per-second timeline, each second with its failures by outcome.
fn timeline(result: &LoadResult) -> Vec<SecondBucket> {
    let mut seconds = result.seconds.clone();
    let per_second = Duration::from_secs(1).as_nanos() / BUCKET.as_nanos();
    for (slot, outcomes) in &result.failure_buckets {
        let second = u128::from(*slot) / per_second;
        let Some(bucket) = usize::try_from(second)
            .ok()
            .and_then(|i| seconds.get_mut(i))
        else {
            continue;
        };
        for (outcome, n) in outcomes {
            *bucket.failures.entry(outcome.name()).or_default() += n;
        }
    }
    seconds
}

/// The evidence of a drain run: counts, timeline, failures by phase.
pub fn summarize(result: &LoadResult, events: &[RestartEvent]) -> DrainSummary {
    let phases = phases(result, events);
    let mut by_phase: BTreeMap<usize, BTreeMap<String, u64>> = BTreeMap::new();
    for (slot, outcomes) in &result.failure_buckets {
        let at = BUCKET * u32::try_from(*slot).unwrap_or(u32::MAX);
        let entry = by_phase.entry(phase_index(&phases, at)).or_default();
        for (outcome, n) in outcomes {
            *entry.entry(outcome.name()).or_default() += n;
        }
    }
    let secs = |d: Duration| (d.as_secs_f64() * 1000.0).round() / 1000.0;
    let duration_s = result.duration.as_secs_f64();
    let mut outcomes = BTreeMap::new();
    for (outcome, n) in result.by_outcome() {
        outcomes.insert(outcome.name(), n);
    }
    DrainSummary {
        url: result.url.clone(),
        expect_status: result.expect_status,
        target_rate: result.rate,
        scheduled: result.scheduled,
        outcomes,
        ok: result.ok(),
        failed: result.failed(),
        not_sent_on_time: result.not_sent_on_time(),
        duration_s: secs(result.duration),
        achieved_rate: if duration_s > 0.0 {
            (result.accounted() - result.not_sent_on_time()) as f64 / duration_s
        } else {
            0.0
        },
        connections_opened: result.connections_opened,
        latency_ms: result.latency,
        service_ms: result.service,
        lanes: {
            let mut lanes: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
            for ((lane, outcome), n) in &result.counts {
                *lanes
                    .entry(lane.name().to_owned())
                    .or_default()
                    .entry(outcome.name())
                    .or_default() += n;
            }
            lanes
        },
        timeline: timeline(result),
        failure_samples: result
            .samples
            .iter()
            .map(|s| FailureSample {
                at_s: secs(s.at),
                outcome: s.outcome.name(),
                phase: phases[phase_index(&phases, s.at)].name.clone(),
                detail: s
                    .detail
                    .clone()
                    .map(|d| format!("{} lane: {d}", s.lane.name())),
            })
            .collect(),
        failures_by_phase: by_phase
            .into_iter()
            .map(|(i, outcomes)| PhaseFailures {
                phase: phases[i].name.clone(),
                from_s: secs(phases[i].from),
                to_s: secs(phases[i].to),
                outcomes,
            })
            .collect(),
        events: {
            let mut evs: Vec<PhaseEvent> = events
                .iter()
                .map(|e| PhaseEvent {
                    at_s: secs(e.at.saturating_duration_since(result.t0)),
                    kind: e.kind,
                    instance: e.instance.clone(),
                    detail: e.detail.clone(),
                })
                .collect();
            evs.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
            evs
        },
    }
}

/// The evidence of a restart.
pub fn restart_summary(driver: &str, run: &RestartRun) -> RestartSummary {
    RestartSummary {
        driver: driver.to_owned(),
        completed: run.completed,
        status: run.status.clone(),
        duration_s: run.duration.as_secs_f64(),
        output: run.output.clone(),
    }
}

/// The restart completed. A restart that could not be attempted is inconclusive.
pub fn judge_restart(driver: &str, run: &RestartRun, events: &[RestartEvent]) -> Outcome {
    let check = "the rolling restart completes".to_owned();
    let replaced = events
        .iter()
        .filter(|e| e.kind == RestartEventKind::InstanceExited)
        .count();
    let (verdict, reason) = if run.completed {
        let what = if replaced > 0 {
            format!(", {replaced} instances replaced")
        } else {
            String::new()
        };
        (
            Verdict::Pass,
            format!(
                "{driver} completed in {:.1} s{what}",
                run.duration.as_secs_f64()
            ),
        )
    } else if run.could_not_run {
        (
            Verdict::Inconclusive,
            format!("the restart could not be run ({driver}): {}", run.status),
        )
    } else {
        (
            Verdict::Fail,
            format!("the restart did not complete ({driver}): {}", run.status),
        )
    };
    Outcome::new(check, verdict, reason).with_evidence(restart_summary(driver, run))
}

fn describe_counts(outcomes: &BTreeMap<String, u64>) -> String {
    let mut parts: Vec<(u64, String)> = outcomes
        .iter()
        .map(|(name, n)| (*n, describe_outcome_name(name)))
        .collect();
    parts.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    parts
        .into_iter()
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_outcome_name(name: &str) -> String {
    if let Some(code) = name.strip_prefix("status-") {
        return format!("answered {code}");
    }
    name.replace('-', " ")
}

/// No more than `max_failed` requests failed; the failures are named by kind and phase.
pub fn judge_requests(summary: &DrainSummary, max_failed: u64) -> Outcome {
    let check = format!("at most {max_failed} requests fail during the restart");
    let verdict = if summary.failed > max_failed {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    let reason = if summary.failed == 0 {
        format!(
            "all {} requests to {} were served through the restart (p99 {:.1} ms)",
            summary.ok, summary.url, summary.latency_ms.p99
        )
    } else {
        let failures: BTreeMap<String, u64> = summary
            .outcomes
            .iter()
            .filter(|(name, _)| {
                **name != RequestOutcome::NotSentOnTime.name()
                    && **name != RequestOutcome::Status(summary.expect_status).name()
            })
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        let phases: Vec<String> = summary
            .failures_by_phase
            .iter()
            .map(|p| {
                format!(
                    "{} {} (t={:.2} s-{:.2} s)",
                    describe_counts(&p.outcomes),
                    p.phase,
                    p.from_s,
                    p.to_s
                )
            })
            .collect();
        format!(
            "{} of {} requests failed during the restart (max_failed = {max_failed}): {}; {}",
            summary.failed,
            summary.scheduled,
            describe_counts(&failures),
            phases.join(", ")
        )
    };
    Outcome::new(check, verdict, reason).with_evidence(summary.clone())
}

/// No request failed at a server and was retried by the load balancer: a retry hides the
/// failure from the client (and sends a non-idempotent request, a POST, twice). `during` is
/// what HAProxy's counters moved by over the load; `url` where they were read;
/// `client_failed` the requests that failed at the client.
/// The restart's requests: none failed beyond `max_failed`, and (when HAProxy's counters were
/// read) none the load balancer hid by retrying it.
pub fn judge_drain(run: &crate::run::DrainRun, max_failed: u64) -> Vec<Outcome> {
    let summary = summarize(&run.load, &run.events);
    let mut outcomes = vec![judge_requests(&summary, max_failed)];
    match &run.haproxy {
        Some(Ok((url, during))) => outcomes.push(judge_masked(url, *during, summary.failed)),
        Some(Err(e)) => outcomes.push(Outcome::inconclusive(
            "the load balancer retried no request during the restart",
            format!("failed to {e}; check drain.haproxy_stats"),
        )),
        None => {}
    }
    outcomes
}

pub fn judge_masked(url: &str, during: HaproxyCounters, client_failed: u64) -> Outcome {
    let check = "the load balancer retried no request during the restart".to_owned();
    if during.retries == 0 && during.redispatches == 0 {
        return Outcome::pass(
            check,
            format!(
                "HAProxy counted no retry and no redispatch over {} backends ({url})",
                during.backends
            ),
        );
    }
    Outcome::fail(
        check,
        format!(
            "{} failed at the client, but HAProxy retried {} and redispatched {} during the restart ({url}): failures were masked by retries; a server dropped requests, and a non-idempotent one (a POST) would have been sent twice",
            match client_failed {
                0 => "no request".to_owned(),
                1 => "1 request".to_owned(),
                n => format!("{n} requests"),
            },
            during.retries,
            during.redispatches
        ),
    )
}

/// Every scheduled request has exactly one outcome, and the generator kept its schedule
/// (otherwise no verdict either way).
pub fn judge_accounting(result: &LoadResult) -> Outcome {
    let check = "every scheduled request is accounted for".to_owned();
    let accounted = result.accounted();
    if accounted != result.scheduled {
        return Outcome::inconclusive(
            check,
            format!(
                "the generator lost track of requests: {accounted} outcomes for {} scheduled",
                result.scheduled
            ),
        );
    }
    let late = result.not_sent_on_time();
    if late > 0 {
        let why = result
            .samples
            .iter()
            .find(|s| s.outcome == RequestOutcome::NotSentOnTime)
            .and_then(|s| s.detail.clone())
            .unwrap_or_default();
        return Outcome::inconclusive(
            check,
            format!(
                "the generator could not hold {} req/s: {late} of {} requests not sent on time ({why})",
                result.rate, result.scheduled
            ),
        );
    }
    Outcome::pass(
        check,
        format!(
            "{} requests scheduled at {} req/s over {}, {} outcomes recorded",
            result.scheduled,
            result.rate,
            HumanDuration(Duration::from_millis(
                u64::try_from(result.duration.as_millis()).unwrap_or(u64::MAX)
            )),
            accounted
        ),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::{Duration, Instant};

    use netconform_model::{FailureKind, RestartEvent, RestartEventKind, Verdict};

    use super::*;
    use crate::load::{Lane, LoadResult};

    fn event(t0: Instant, ms: u64, kind: RestartEventKind, instance: &str) -> RestartEvent {
        RestartEvent {
            at: t0 + Duration::from_millis(ms),
            kind,
            instance: Some(instance.to_owned()),
            detail: None,
        }
    }

    #[test]
    fn failures_are_tied_to_the_phase_they_fell_in() {
        let t0 = Instant::now();
        let mut counts = BTreeMap::new();
        counts.insert((Lane::KeepAlive, RequestOutcome::Status(200)), 90);
        counts.insert((Lane::Fresh, RequestOutcome::Status(502)), 7);
        counts.insert(
            (
                Lane::Fresh,
                RequestOutcome::Failed(FailureKind::ConnectRefused),
            ),
            3,
        );
        let mut failure_buckets = BTreeMap::new();
        // 5 x 502 at 1.20 s, 2 x 502 and 3 refused at 1.70 s (10 ms buckets).
        failure_buckets.insert(120, BTreeMap::from([(RequestOutcome::Status(502), 5)]));
        failure_buckets.insert(
            170,
            BTreeMap::from([
                (RequestOutcome::Status(502), 2),
                (RequestOutcome::Failed(FailureKind::ConnectRefused), 3),
            ]),
        );
        let result = LoadResult {
            url: "http://api.sandbox.test/api/status".into(),
            rate: 50.0,
            expect_status: 200,
            t0,
            duration: Duration::from_secs(2),
            scheduled: 100,
            counts,
            seconds: (0..2)
                .map(|second| SecondBucket {
                    second,
                    sent: 50,
                    ok: if second == 1 { 40 } else { 50 },
                    failed: if second == 1 { 10 } else { 0 },
                    ..SecondBucket::default()
                })
                .collect(),
            failure_buckets,
            samples: Vec::new(),
            latency: Default::default(),
            service: Default::default(),
            connections_opened: 50,
        };
        let events = [
            event(t0, 1000, RestartEventKind::InstanceStopping, "zone-a/api-1"),
            event(t0, 1500, RestartEventKind::InstanceExited, "zone-a/api-1"),
        ];
        let summary = summarize(&result, &events);
        let phases: Vec<(&str, u64)> = summary
            .failures_by_phase
            .iter()
            .map(|p| (p.phase.as_str(), p.outcomes.values().sum()))
            .collect();
        assert_eq!(
            phases,
            [
                ("while zone-a/api-1 was stopping", 5),
                ("after zone-a/api-1 exited", 5)
            ]
        );
        let outcome = judge_requests(&summary, 0);
        assert_eq!(outcome.verdict, Verdict::Fail);
        assert_eq!(
            outcome.reason,
            "10 of 100 requests failed during the restart (max_failed = 0): 7 answered 502, 3 connect refused; \
             5 answered 502 while zone-a/api-1 was stopping (t=1.00 s-1.50 s), 3 connect refused, 2 answered 502 after zone-a/api-1 exited (t=1.50 s-2.00 s)"
        );
        assert_eq!(judge_accounting(&result).verdict, Verdict::Pass);
        // The timeline carries each second's failures by kind, adding up to its count.
        assert!(summary.timeline[0].failures.is_empty());
        assert_eq!(
            summary.timeline[1].failures,
            BTreeMap::from([
                ("connect-refused".to_owned(), 3),
                ("status-502".to_owned(), 7)
            ])
        );
        assert_eq!(
            summary.timeline[1].failures.values().sum::<u64>(),
            summary.timeline[1].failed
        );
    }

    #[test]
    fn retries_at_the_load_balancer_are_failures_it_masked() {
        let url = "http://10.0.0.5:8404/stats;csv";
        let none = HaproxyCounters {
            retries: 0,
            redispatches: 0,
            backends: 2,
        };
        let outcome = judge_masked(url, none, 0);
        assert_eq!(outcome.verdict, Verdict::Pass);
        assert_eq!(
            outcome.reason,
            "HAProxy counted no retry and no redispatch over 2 backends (http://10.0.0.5:8404/stats;csv)"
        );
        let retried = HaproxyCounters {
            retries: 8,
            redispatches: 17,
            backends: 2,
        };
        let outcome = judge_masked(url, retried, 0);
        assert_eq!(outcome.verdict, Verdict::Fail);
        assert!(
            outcome.reason.starts_with(
                "no request failed at the client, but HAProxy retried 8 and redispatched 17 during the restart (http://10.0.0.5:8404/stats;csv): failures were masked by retries"
            ),
            "{}",
            outcome.reason
        );
        let redispatched_only = HaproxyCounters {
            retries: 0,
            redispatches: 1,
            backends: 1,
        };
        assert_eq!(
            judge_masked(url, redispatched_only, 1).verdict,
            Verdict::Fail
        );
        assert!(
            judge_masked(url, redispatched_only, 1)
                .reason
                .starts_with("1 request failed")
        );
    }
}
