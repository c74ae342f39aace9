//! The DNS checks against the sandbox's real DNS server, healthy and broken.

use std::time::{Duration, Instant};

use netconform_dns::{
    LoadBalancer, NameView, check_leads_to_load_balancer, check_resolves, check_same_target,
};
use netconform_model::Verdict;
use netconform_model::values::Nameserver;
use netconform_net::{Caching, Resolver};
use netconform_sandbox::{Sandbox, SandboxConfig, Variant};

async fn sandbox(variant: Option<Variant>) -> (Sandbox, Vec<Resolver>) {
    let sandbox = Sandbox::start(SandboxConfig {
        variant,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let ns = sandbox.environment().dns.nameservers.clone();
    let resolver = Resolver::with_servers(&ns, Duration::from_secs(1), Caching::Off).unwrap();
    (sandbox, vec![resolver])
}

fn lb(sandbox: &Sandbox) -> LoadBalancer {
    let dns = &sandbox.environment().dns;
    LoadBalancer {
        name: dns.load_balancer.clone(),
        addresses: dns.load_balancer_addresses.clone(),
    }
}

#[tokio::test]
async fn healthy_records_resolve_and_lead_to_the_load_balancer() {
    let (sandbox, vantages) = sandbox(None).await;
    let env = sandbox.environment();
    for name in [env.api_record(), env.app_record()] {
        let view = NameView::resolve(&name, &vantages).await;
        // The whole chain is kept, TTLs included.
        let a = &view.resolutions[0];
        assert_eq!(a.record_type, "A");
        assert_eq!(a.chain.len(), 1);
        assert_eq!(
            (a.chain[0].data.as_str(), a.chain[0].ttl),
            ("lb.sandbox.test", 60)
        );
        assert_eq!(a.final_name, "lb.sandbox.test");
        assert!(check_resolves(&view).passed());
        let outcome = check_leads_to_load_balancer(&view, &lb(&sandbox), &vantages).await;
        assert!(outcome.passed(), "{outcome}");
        assert!(
            outcome
                .reason
                .contains("is a CNAME chain to lb.sandbox.test"),
            "{}",
            outcome.reason
        );
    }
    let api = NameView::resolve(&env.api_record(), &vantages).await;
    let app = NameView::resolve(&env.app_record(), &vantages).await;
    assert!(check_same_target(&api, &app).passed());
}

#[tokio::test]
async fn missing_record_is_nxdomain() {
    let (sandbox, vantages) = sandbox(Some(Variant::NoAppRecord)).await;
    let view = NameView::resolve(&sandbox.environment().app_record(), &vantages).await;
    let outcome = check_resolves(&view);
    assert_eq!(outcome.verdict, Verdict::Fail);
    assert!(
        outcome
            .reason
            .contains("app.sandbox.test does not resolve through 127.0.0.1:"),
        "{}",
        outcome.reason
    );
    assert!(
        outcome
            .reason
            .ends_with("NXDOMAIN (the name does not exist)"),
        "{}",
        outcome.reason
    );
    assert_eq!(
        view.resolutions[0].error.as_deref(),
        Some("NXDOMAIN (the name does not exist)")
    );
}

#[tokio::test]
async fn record_leading_elsewhere_fails_by_name_and_addresses() {
    let (sandbox, vantages) = sandbox(Some(Variant::WrongLoadBalancer)).await;
    let env = sandbox.environment();
    let app = NameView::resolve(&env.app_record(), &vantages).await;
    assert!(
        check_resolves(&app).passed(),
        "it resolves, just not to the load balancer"
    );
    let outcome = check_leads_to_load_balancer(&app, &lb(&sandbox), &vantages).await;
    assert_eq!(outcome.verdict, Verdict::Fail);
    assert!(
        outcome
            .reason
            .contains("app.sandbox.test leads to other-lb.sandbox.test, expected lb.sandbox.test"),
        "{}",
        outcome.reason
    );
    assert!(
        outcome.reason.contains("resolves to 127.0.0.13"),
        "{}",
        outcome.reason
    );
    // By name only, and by addresses only, each catches it alone.
    let by_name = LoadBalancer {
        addresses: Vec::new(),
        ..lb(&sandbox)
    };
    assert_eq!(
        check_leads_to_load_balancer(&app, &by_name, &vantages)
            .await
            .verdict,
        Verdict::Fail
    );
    let by_addresses = LoadBalancer {
        name: None,
        ..lb(&sandbox)
    };
    assert_eq!(
        check_leads_to_load_balancer(&app, &by_addresses, &vantages)
            .await
            .verdict,
        Verdict::Fail
    );
    // With no balancer configured, api and app are compared.
    let api = NameView::resolve(&env.api_record(), &vantages).await;
    let same = check_same_target(&api, &app);
    assert_eq!(same.verdict, Verdict::Fail);
    assert!(same.reason.contains("api.sandbox.test leads to lb.sandbox.test (127.0.0.11, 127.0.0.12) but app.sandbox.test leads to other-lb.sandbox.test (127.0.0.13)"), "{}", same.reason);
}

#[tokio::test]
async fn unresponsive_server_fails_within_the_timeout_and_says_so() {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let ns = Nameserver(socket.local_addr().unwrap());
    let resolver = Resolver::with_servers(&[ns], Duration::from_millis(300), Caching::Off).unwrap();
    let started = Instant::now();
    let view = NameView::resolve(&"api.example.test".parse().unwrap(), &[resolver]).await;
    let outcome = check_resolves(&view);
    assert_eq!(outcome.verdict, Verdict::Fail);
    assert!(
        outcome.reason.ends_with("no answer within 300ms"),
        "{}",
        outcome.reason
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}
