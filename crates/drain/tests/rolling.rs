//! The false-positive bar: the healthy sandbox goes through 20 rolling restarts in a row under
//! load with zero failed requests, every request accounted for; behind a pass-through
//! balancer too. And its broken twin there: replicas that never say `Connection: close` while
//! draining leave kept-alive clients on a connection that is reset under them.

use std::time::Duration;

use netconform_drain::{Load, LoadPlan, verdict};
use netconform_model::evidence::drain::DrainSummary;
use netconform_model::restart::RestartEventKind;
use netconform_net::{Caching, Resolver};
use netconform_sandbox::{Sandbox, SandboxConfig, Variant};
use tokio::sync::mpsc;

/// Runs `rounds` rolling restarts under the environment's load; one summary per round, each
/// checked to account for every request.
async fn restarts(config: SandboxConfig, rounds: u32) -> Vec<DrainSummary> {
    let sandbox = Sandbox::start(config).await.unwrap();
    let env = sandbox.environment();
    let plan = LoadPlan {
        endpoint: env.api_endpoint(),
        path: env.health.path.clone(),
        expect_status: 200,
        rate: env.drain.rate.per_second(),
        request_timeout: env.drain.request_timeout.get(),
        max_connections: 256,
        extra_roots: netconform_net::tls::extra_roots(env.tls.ca_pem.as_deref(), None).unwrap(),
        instance_header: env.health.instance_header.clone(),
        workers: 1,
        fresh_every: 2,
        slow: None,
    };
    let resolver = Resolver::for_environment(&env.dns, Caching::On).unwrap();
    let mut summaries = Vec::new();
    for round in 1..=rounds {
        let load = Load::start(plan.clone(), resolver.clone()).unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (tx, mut rx) = mpsc::unbounded_channel();
        sandbox
            .rolling_restart(tx)
            .await
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        tokio::time::sleep(Duration::from_millis(200)).await;
        let result = load.finish().await;
        let mut events = Vec::new();
        while let Ok(ev) = rx.try_recv() {
            events.push(ev);
        }
        assert!(
            verdict::judge_accounting(&result).passed(),
            "round {round}: {:?}",
            result.counts
        );
        let summary = verdict::summarize(&result, &events);
        assert!(
            summary.ok > 100,
            "round {round}: only {} requests",
            summary.ok
        );
        summaries.push(summary);
    }
    summaries
}

fn assert_nothing_failed(summaries: &[DrainSummary]) {
    for (round, summary) in summaries.iter().enumerate() {
        let outcome = verdict::judge_requests(summary, 0);
        assert!(outcome.passed(), "round {}: {}", round + 1, outcome.reason);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_sandbox_drops_nothing_in_20_restarts_in_a_row() {
    assert_nothing_failed(&restarts(SandboxConfig::default(), 20).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_replicas_behind_a_pass_through_balancer_drop_nothing() {
    let config = SandboxConfig {
        pass_through: true,
        ..SandboxConfig::default()
    };
    assert_nothing_failed(&restarts(config, 5).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keepalive_leak_resets_kept_alive_requests_once_the_replica_is_gone() {
    let config = SandboxConfig {
        variant: Some(Variant::KeepaliveLeak),
        ..SandboxConfig::default()
    };
    for (round, summary) in restarts(config, 3).await.iter().enumerate() {
        let round = round + 1;
        assert!(summary.failed > 0, "round {round}: nothing failed");
        // Only kept-alive requests fail, and only as resets.
        let fresh_failed: u64 = summary.lanes["fresh-connection"]
            .iter()
            .filter(|(kind, _)| kind.as_str() != "status-200")
            .map(|(_, n)| n)
            .sum();
        assert_eq!(fresh_failed, 0, "round {round}: {:?}", summary.lanes);
        assert_eq!(
            summary.outcomes.get("reset"),
            Some(&summary.failed),
            "round {round}: {:?}",
            summary.outcomes
        );
        // Never before the first replica has exited.
        let first_exit = summary
            .events
            .iter()
            .find(|e| e.kind == RestartEventKind::InstanceExited)
            .map(|e| e.at_s)
            .expect("an exit event");
        for phase in &summary.failures_by_phase {
            assert!(
                phase.to_s > first_exit,
                "round {round}: failures in {} before any replica exited",
                phase.phase
            );
        }
    }
}
