//! The health probe against the sandbox's load balancer, healthy and broken.

use std::time::Duration;

use netconform_model::Verdict;
use netconform_model::values::{Endpoint, Scheme};
use netconform_net::{Caching, Resolver};
use netconform_probe::{HealthProbe, check_every_address};
use netconform_sandbox::{Sandbox, SandboxConfig, Variant};

async fn start(variant: Option<Variant>) -> (Sandbox, HealthProbe, Resolver) {
    let sandbox = Sandbox::start(SandboxConfig {
        variant,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let env = sandbox.environment();
    let probe = HealthProbe {
        endpoint: env.api_endpoint(),
        path: env.health.path.clone(),
        expect_status: 200,
        timeout: Duration::from_secs(2),
    };
    let resolver = Resolver::for_environment(&env.dns, Caching::On).unwrap();
    (sandbox, probe, resolver)
}

#[tokio::test]
async fn healthy_every_address_answers_200_with_the_name_kept() {
    let (sandbox, probe, resolver) = start(None).await;
    let outcome = check_every_address(&probe, &resolver).await.unwrap();
    assert!(outcome.passed(), "{outcome}");
    assert_eq!(
        outcome.evidence.len(),
        sandbox.topology().lb_addresses.len()
    );
    for evidence in &outcome.evidence {
        let netconform_model::evidence::Evidence::Http(result) = evidence else {
            panic!("{evidence:?}")
        };
        assert_eq!(result.status, Some(200));
        assert!(
            result
                .instance
                .as_deref()
                .is_some_and(|i| i.contains("/api-")),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn status_500_fails_naming_every_address() {
    let (sandbox, probe, resolver) = start(Some(Variant::Status500)).await;
    let outcome = check_every_address(&probe, &resolver).await.unwrap();
    assert_eq!(outcome.verdict, Verdict::Fail);
    let port = sandbox.topology().lb_port;
    for ip in &sandbox.topology().lb_addresses {
        assert!(
            outcome.reason.contains(&format!(
                "{}: answered 500",
                std::net::SocketAddr::new(*ip, port)
            )),
            "{}",
            outcome.reason
        );
    }
}

#[tokio::test]
async fn refused_address_is_named_with_its_class() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let probe = HealthProbe {
        endpoint: Endpoint {
            scheme: Scheme::Http,
            host: "127.0.0.1".into(),
            port,
        },
        path: "/api/status".parse().unwrap(),
        expect_status: 200,
        timeout: Duration::from_secs(2),
    };
    let resolver = Resolver::with_servers(
        &[netconform_model::values::Nameserver(
            "127.0.0.1:9".parse().unwrap(),
        )],
        Duration::from_secs(1),
        Caching::On,
    )
    .unwrap();
    let outcome = check_every_address(&probe, &resolver).await.unwrap();
    assert_eq!(outcome.verdict, Verdict::Fail);
    assert!(
        outcome
            .reason
            .contains(&format!("127.0.0.1:{port}: connect-refused")),
        "{}",
        outcome.reason
    );
}

#[tokio::test]
async fn unresolvable_name_fails_with_the_dns_answer() {
    let (sandbox, mut probe, resolver) = start(None).await;
    probe.endpoint.host = "missing.sandbox.test".into();
    let outcome = check_every_address(&probe, &resolver).await.unwrap();
    assert_eq!(outcome.verdict, Verdict::Fail);
    assert!(
        outcome
            .reason
            .contains("missing.sandbox.test does not resolve through")
            && outcome.reason.contains("NXDOMAIN"),
        "{}",
        outcome.reason
    );
    drop(sandbox);
}

#[tokio::test]
async fn https_to_a_plain_http_load_balancer_is_a_tls_failure() {
    let (sandbox, mut probe, resolver) = start(None).await;
    probe.endpoint.scheme = Scheme::Https;
    let outcome = check_every_address(&probe, &resolver).await.unwrap();
    assert_eq!(outcome.verdict, Verdict::Fail);
    let port = sandbox.topology().lb_port;
    assert!(
        outcome.reason.contains(&format!("127.0.0.11:{port}: tls")),
        "{}",
        outcome.reason
    );
}
