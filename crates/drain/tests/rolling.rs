//! The false-positive bar: the healthy sandbox goes through 20 rolling restarts in a row under
//! load with zero failed requests, every request accounted for.

use std::time::Duration;

use netconform_drain::{Load, LoadPlan, verdict};
use netconform_net::{Caching, Resolver};
use netconform_sandbox::{Sandbox, SandboxConfig};
use tokio::sync::mpsc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_sandbox_drops_nothing_in_20_restarts_in_a_row() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
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
    };
    let resolver = Resolver::for_environment(&env.dns, Caching::On).unwrap();
    for round in 1..=20 {
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
        let outcome = verdict::judge_requests(&summary, 0);
        assert!(outcome.passed(), "round {round}: {}", outcome.reason);
        assert!(
            summary.ok > 100,
            "round {round}: only {} requests",
            summary.ok
        );
    }
}
