//! The probes against the sandbox's load balancer (real TLS, real redirects, real gzip), each
//! check on its healthy and its broken side.

use std::time::Duration;

use netconform_model::evidence::Evidence;
use netconform_model::values::{Endpoint, Nameserver, Scheme};
use netconform_model::{Outcome, Verdict};
use netconform_net::{Caching, Resolver};
use netconform_probe::Target;
use netconform_probe::checks::{self, Expect};
use netconform_sandbox::{Sandbox, SandboxConfig, Variant};

struct Run {
    sandbox: Sandbox,
    api: Target,
    app: Target,
    resolver: Resolver,
}

async fn start(variant: Option<Variant>) -> Run {
    let sandbox = Sandbox::start(SandboxConfig {
        variant,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let env = sandbox.environment();
    let roots = netconform_net::tls::extra_roots(env.tls.ca_pem.as_deref(), None).unwrap();
    let target = |endpoint: Endpoint| Target {
        endpoint,
        timeout: Duration::from_secs(1),
        extra_roots: roots.clone(),
        instance_header: env.health.instance_header.clone(),
        zone_header: env.health.zone_header.clone(),
    };
    let (api, app) = (target(env.api_endpoint()), target(env.app_endpoint()));
    let resolver = Resolver::for_environment(&env.dns, Caching::On).unwrap();
    Run {
        sandbox,
        api,
        app,
        resolver,
    }
}

fn assert_fails(outcome: &Outcome, fragments: &[&str]) {
    assert_eq!(outcome.verdict, Verdict::Fail, "{outcome}");
    for f in fragments {
        assert!(
            outcome.reason.contains(f),
            "{:?} lacks {f:?}",
            outcome.reason
        );
    }
}

#[tokio::test]
async fn health_check_on_every_address_with_body_and_header_expectations() {
    let run = start(None).await;
    let ok =
        checks::check_every_address(&run.api, &run.resolver, "/api/status", &Expect::status(200))
            .await
            .unwrap();
    assert!(ok.passed(), "{ok}");
    assert_eq!(
        ok.evidence.len(),
        run.sandbox.topology().lb_addresses.len(),
        "one probe per address"
    );
    let Evidence::Http(first) = &ok.evidence[0] else {
        panic!("{:?}", ok.evidence[0])
    };
    assert!(
        first
            .instance
            .as_deref()
            .is_some_and(|i| i.contains("/api-")),
        "{first:?}"
    );
    let mut expect = Expect::status(200);
    expect.body = Some("ok".into());
    expect.headers.insert("X-Zone".into(), "zone-".into());
    assert!(
        checks::check_every_address(&run.api, &run.resolver, "/api/status", &expect)
            .await
            .unwrap()
            .passed()
    );
    expect.body_regex = Some(regex::Regex::new("^draining").unwrap());
    let bad = checks::check_every_address(&run.api, &run.resolver, "/api/status", &expect)
        .await
        .unwrap();
    assert_fails(&bad, &["the body does not match /^draining/"]);
    expect.body_regex = None;
    expect.headers.insert("x-version".into(), "1".into());
    let bad = checks::check_every_address(&run.api, &run.resolver, "/api/status", &expect)
        .await
        .unwrap();
    assert_fails(&bad, &["no x-version header"]);
}

#[tokio::test]
async fn status_500_fails_naming_every_address() {
    let run = start(Some(Variant::Status500)).await;
    let outcome =
        checks::check_every_address(&run.api, &run.resolver, "/api/status", &Expect::status(200))
            .await
            .unwrap();
    let port = run.sandbox.topology().lb_port;
    for ip in &run.sandbox.topology().lb_addresses {
        assert_fails(
            &outcome,
            &[&format!(
                "{}: answered 500",
                std::net::SocketAddr::new(*ip, port)
            )],
        );
    }
}

#[tokio::test]
async fn refused_address_and_missing_name_are_classified() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let target = Target {
        endpoint: Endpoint {
            scheme: Scheme::Http,
            host: "127.0.0.1".into(),
            port,
        },
        timeout: Duration::from_secs(1),
        extra_roots: Vec::new(),
        instance_header: None,
        zone_header: None,
    };
    let resolver = Resolver::with_servers(
        &[Nameserver("127.0.0.1:9".parse().unwrap())],
        Duration::from_secs(1),
        Caching::On,
    )
    .unwrap();
    let outcome =
        checks::check_every_address(&target, &resolver, "/api/status", &Expect::status(200))
            .await
            .unwrap();
    assert_fails(&outcome, &[&format!("127.0.0.1:{port}: connect-refused")]);

    let mut run = start(None).await;
    run.api.endpoint.host = "missing.sandbox.test".into();
    let outcome =
        checks::check_every_address(&run.api, &run.resolver, "/api/status", &Expect::status(200))
            .await
            .unwrap();
    assert_fails(
        &outcome,
        &["missing.sandbox.test does not resolve through", "NXDOMAIN"],
    );
}

#[tokio::test]
async fn certificates_are_verified_and_described() {
    let run = start(None).await;
    for target in [&run.api, &run.app] {
        let outcome = checks::check_certificate(target, &run.resolver, false)
            .await
            .unwrap();
        assert!(outcome.passed(), "{outcome}");
        let hygiene = checks::check_tls_hygiene(
            target,
            &run.resolver,
            14,
            netconform_model::environment::TlsVersion::V1_2,
            false,
        )
        .await
        .unwrap();
        assert!(hygiene.passed(), "{hygiene}");
        let Evidence::Tls(report) = &outcome.evidence[0] else {
            panic!()
        };
        assert!(report.verified);
        assert_eq!(report.version.as_deref(), Some("TLS 1.3"));
        let leaf = &report.certificates[0];
        assert_eq!(leaf.issuer, "CN=netconform sandbox CA");
        assert!(leaf.sans.contains(&"app.sandbox.test".to_owned()));
        assert!((88..=90).contains(&leaf.days_left), "{leaf:?}");
    }
    // Ninety days left is too few for a demand of a hundred; TLS 1.3 passes a 1.3 minimum.
    let short = checks::check_tls_hygiene(
        &run.api,
        &run.resolver,
        100,
        netconform_model::environment::TlsVersion::V1_3,
        false,
    )
    .await
    .unwrap();
    assert_fails(
        &short,
        &[
            "the certificate expires in",
            "fewer than tls.min_days_left (100)",
        ],
    );
    // Without the sandbox's CA the issuer is unknown.
    let mut untrusted = run.api.clone();
    untrusted.extra_roots.clear();
    let outcome = checks::check_certificate(&untrusted, &run.resolver, false)
        .await
        .unwrap();
    assert_fails(&outcome, &["tls-unknown-issuer"]);
}

#[tokio::test]
async fn bad_certificates_are_classified() {
    let expired = start(Some(Variant::ExpiredCert)).await;
    let outcome = checks::check_certificate(&expired.api, &expired.resolver, false)
        .await
        .unwrap();
    assert_fails(&outcome, &["tls-expired", "subject CN=api.sandbox.test"]);
    let Evidence::Tls(report) = &outcome.evidence[0] else {
        panic!()
    };
    assert!(report.certificates[0].days_left < 0, "{report:?}");
    let wrong = start(Some(Variant::CertMissingAppSan)).await;
    let outcome = checks::check_certificate(&wrong.app, &wrong.resolver, false)
        .await
        .unwrap();
    assert_fails(
        &outcome,
        &["tls-wrong-host", "names api.sandbox.test lb.sandbox.test,"],
    );
}

#[tokio::test]
async fn plain_http_endpoints_are_not_checked_unless_tls_is_required() {
    let mut run = start(None).await;
    run.api.endpoint.scheme = Scheme::Http;
    let outcome = checks::check_certificate(&run.api, &run.resolver, false)
        .await
        .unwrap();
    assert_eq!(outcome.verdict, Verdict::NotChecked);
    assert_eq!(
        outcome.gap.as_ref().map(|g| g.what.as_str()),
        Some("plain HTTP endpoint")
    );
    assert!(
        outcome
            .reason
            .contains("is plain HTTP: TLS is terminated elsewhere"),
        "{}",
        outcome.reason
    );
    let outcome = checks::check_certificate(&run.api, &run.resolver, true)
        .await
        .unwrap();
    assert_fails(&outcome, &["is plain HTTP, and tls.required is set"]);
}

#[tokio::test]
async fn http_redirects_to_https_on_the_same_host() {
    let run = start(None).await;
    let http_port = run.sandbox.topology().lb_http_port;
    let outcome = checks::check_redirect(&run.app, &run.resolver, http_port, false)
        .await
        .unwrap();
    assert!(outcome.passed(), "{outcome}");
    assert!(
        outcome.reason.contains(&format!(
            "301 to https://app.sandbox.test:{}/",
            run.sandbox.topology().lb_port
        )),
        "{}",
        outcome.reason
    );
    let broken = start(Some(Variant::NoHttpRedirect)).await;
    let outcome = checks::check_redirect(
        &broken.api,
        &broken.resolver,
        broken.sandbox.topology().lb_http_port,
        false,
    )
    .await
    .unwrap();
    assert_fails(&outcome, &["answered 200 instead of a redirect to HTTPS"]);
}

#[tokio::test]
async fn console_gzip_and_zones() {
    let run = start(None).await;
    assert!(
        checks::check_console(&run.app, &run.resolver)
            .await
            .unwrap()
            .passed()
    );
    assert!(
        checks::check_gzip(&run.api, &run.resolver, Some("/api/gzip"))
            .await
            .unwrap()
            .passed()
    );
    let not_gzip = checks::check_gzip(&run.api, &run.resolver, Some("/api/status"))
        .await
        .unwrap();
    assert_fails(&not_gzip, &["the response is not gzip-encoded"]);
    // Without a gzip path there is nothing to ask: not checked, saying which key to set.
    let unset = checks::check_gzip(&run.api, &run.resolver, None)
        .await
        .unwrap();
    assert_eq!(unset.verdict, Verdict::NotChecked);
    assert!(
        unset.gap.as_ref().unwrap().fix.contains("health.gzip_path"),
        "{unset:?}"
    );
    let spread = checks::check_zone_spread(&run.api, &run.resolver, "/api/status", 2, 10)
        .await
        .unwrap();
    assert!(spread.passed(), "{spread}");

    let stripped = start(Some(Variant::StripsGzip)).await;
    let outcome = checks::check_gzip(&stripped.api, &stripped.resolver, Some("/api/gzip"))
        .await
        .unwrap();
    assert_fails(
        &outcome,
        &["the body is gzip but Content-Encoding is missing"],
    );
    let single = start(Some(Variant::SingleZone)).await;
    let outcome = checks::check_zone_spread(&single.api, &single.resolver, "/api/status", 2, 10)
        .await
        .unwrap();
    assert_fails(&outcome, &["answered from 1 zone(s) (zone-a 10)"]);
}

#[tokio::test]
async fn booting_api_fails_in_a_row_at_once_but_becomes_healthy_within_the_grace() {
    let run = start(Some(Variant::Status503Then200)).await;
    let expect = Expect::status(200);
    let interval = Duration::from_millis(50);
    let in_a_row =
        checks::check_repeatedly(&run.api, &run.resolver, "/api/status", &expect, 5, interval)
            .await
            .unwrap();
    // The first probe fails, and decides: the other four are not sent.
    assert_fails(
        &in_a_row,
        &[
            "probe 1 of 5",
            "answered 503",
            "the other 4 were not sent",
            "latency p50",
        ],
    );
    assert_eq!(in_a_row.evidence.len(), 1, "every probe sent is recorded");
    let healthy = checks::check_becomes_healthy(
        &run.api,
        &run.resolver,
        "/api/status",
        &expect,
        Duration::from_secs(10),
        interval,
    )
    .await
    .unwrap();
    assert!(healthy.passed(), "{healthy}");
    assert!(
        healthy
            .reason
            .starts_with("every address answered 200 after "),
        "{}",
        healthy.reason
    );
    let again =
        checks::check_repeatedly(&run.api, &run.resolver, "/api/status", &expect, 5, interval)
            .await
            .unwrap();
    assert!(again.passed(), "{again}");

    let never = start(Some(Variant::Status500)).await;
    let outcome = checks::check_becomes_healthy(
        &never.api,
        &never.resolver,
        "/api/status",
        &expect,
        Duration::from_millis(500),
        interval,
    )
    .await
    .unwrap();
    assert_fails(
        &outcome,
        &["not healthy by the deadline, 500ms after", "answered 500"],
    );
}

#[tokio::test]
async fn tls_version_below_the_minimum_fails() {
    let run = start(Some(Variant::Tls12Only)).await;
    let v12 = checks::check_tls_hygiene(
        &run.api,
        &run.resolver,
        14,
        netconform_model::environment::TlsVersion::V1_2,
        false,
    )
    .await
    .unwrap();
    assert!(v12.passed(), "{v12}");
    assert!(v12.reason.contains("TLS 1.2 verified"), "{}", v12.reason);
    let v13 = checks::check_tls_hygiene(
        &run.api,
        &run.resolver,
        14,
        netconform_model::environment::TlsVersion::V1_3,
        false,
    )
    .await
    .unwrap();
    assert_fails(
        &v13,
        &["negotiated TLS 1.2, below tls.min_version (TLS 1.3)"],
    );
}
