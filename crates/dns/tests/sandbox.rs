//! The DNS checks against real DNS servers (the sandbox's, and zones of the tests' own): the
//! answers, the vantage points, and each finding on its healthy and broken side.

use std::time::{Duration, Instant};

use hickory_proto::rr::RecordType;
use netconform_dns::NameView;
use netconform_dns::checks::{
    self, check_leads_to_load_balancer, check_resolves, check_same_target,
};
use netconform_dns::query::{QueryError, query};
use netconform_dns::vantage::{self, Vantage};
use netconform_model::environment::{AddressMatch, RecordLabel};
use netconform_model::evidence::dns::VantageKind;
use netconform_model::{Environment, Verdict};
use netconform_sandbox::{Sandbox, SandboxConfig, Variant, ZoneServer};

const T: Duration = Duration::from_secs(1);

async fn sandbox(variant: Option<Variant>) -> (Sandbox, Vec<Vantage>) {
    let sandbox = Sandbox::start(SandboxConfig {
        variant,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dns = &sandbox.environment().dns;
    let mut vantages = vantage::resolvers(dns, &[]);
    vantages.extend(
        vantage::authoritative(dns, &vantages[0], sandbox.environment().domain.name(), 0, T)
            .await
            .unwrap(),
    );
    (sandbox, vantages)
}

fn env(sandbox: &Sandbox) -> &Environment {
    sandbox.environment()
}

#[tokio::test]
async fn healthy_records_resolve_and_lead_to_the_load_balancer_from_every_vantage_point() {
    let (sandbox, vantages) = sandbox(None).await;
    assert_eq!(
        vantages
            .iter()
            .filter(|v| v.kind == VantageKind::Authoritative)
            .count(),
        2
    );
    for label in [RecordLabel::Api, RecordLabel::App] {
        let view = NameView::resolve(&env(&sandbox).record(label), &vantages, T).await;
        // The whole chain is kept, TTL, rcode and AA flag included.
        let a = &view.resolutions[0];
        assert_eq!(
            (a.record_type.as_str(), a.rcode.as_deref()),
            ("A", Some("NOERROR"))
        );
        assert!(a.authoritative_answer);
        assert_eq!(a.chain.len(), 1);
        assert_eq!(
            (a.chain[0].data.as_str(), a.chain[0].ttl),
            ("lb.sandbox.test", 60)
        );
        assert_eq!(a.final_name, "lb.sandbox.test");
        assert!(check_resolves(&view, false).passed());
        let lb = env(&sandbox).load_balancer_for(label);
        let outcome = check_leads_to_load_balancer(&view, &lb, &vantages, T).await;
        assert!(outcome.passed(), "{outcome}");
    }
}

#[tokio::test]
async fn authoritative_servers_are_discovered_from_the_zone() {
    let (sandbox, _) = sandbox(None).await;
    let mut dns = env(&sandbox).dns.clone();
    dns.authoritative.clear();
    let resolver = &vantage::resolvers(&dns, &[])[0];
    let port = sandbox.topology().dns[0].port();
    let found = vantage::authoritative(&dns, resolver, env(&sandbox).domain.name(), port, T)
        .await
        .unwrap();
    let labels: Vec<&str> = found.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            format!("authoritative ns1.sandbox.test (127.0.0.31:{port})"),
            format!("authoritative ns2.sandbox.test (127.0.0.32:{port})"),
        ]
    );
    let zone = vantage::zone_apex(resolver, &env(&sandbox).api_record(), T)
        .await
        .unwrap();
    assert_eq!(zone, "sandbox.test");
}

#[tokio::test]
async fn addresses_match_all_or_any() {
    let (sandbox, vantages) = sandbox(None).await;
    let view = NameView::resolve(&env(&sandbox).api_record(), &vantages, T).await;
    let mut lb = env(&sandbox).load_balancer_for(RecordLabel::Api);
    lb.name = None;
    lb.addresses.truncate(1);
    lb.address_match = AddressMatch::All;
    let all = check_leads_to_load_balancer(&view, &lb, &vantages, T).await;
    assert_eq!(all.verdict, Verdict::Fail, "a subset is not the whole set");
    assert!(
        all.reason
            .contains("expected the load balancer's 127.0.0.11"),
        "{}",
        all.reason
    );
    lb.address_match = AddressMatch::Any;
    assert!(
        check_leads_to_load_balancer(&view, &lb, &vantages, T)
            .await
            .passed()
    );
}

#[tokio::test]
async fn record_leading_elsewhere_fails_by_name_and_by_addresses() {
    let (sandbox, vantages) = sandbox(Some(Variant::WrongLoadBalancer)).await;
    let app = NameView::resolve(&env(&sandbox).app_record(), &vantages, T).await;
    assert!(
        check_resolves(&app, true).passed(),
        "it resolves, just not to the load balancer"
    );
    let lb = env(&sandbox).load_balancer_for(RecordLabel::App);
    let outcome = check_leads_to_load_balancer(&app, &lb, &vantages, T).await;
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
    let api = NameView::resolve(&env(&sandbox).api_record(), &vantages, T).await;
    let same = check_same_target(&api, &app);
    assert_eq!(same.verdict, Verdict::Fail);
    assert!(
        same.reason
            .contains("api.sandbox.test leads to lb.sandbox.test")
            && same
                .reason
                .contains("app.sandbox.test leads to other-lb.sandbox.test"),
        "{}",
        same.reason
    );
    assert!(check_same_target(&api, &api).passed());
}

#[tokio::test]
async fn findings_pass_on_the_healthy_zone_and_fail_on_their_broken_twins() {
    let healthy = sandbox(None).await;
    for (variant, fails) in [
        (Variant::DanglingCname, "dangling"),
        (Variant::WildcardOnly, "wildcard"),
        (Variant::LongTtl, "ttl"),
        (Variant::AaaaWithoutListener, "ipv6"),
        (Variant::AuthoritativeMismatch, "agreement"),
    ] {
        for ((sandbox, vantages), broken) in
            [(&healthy, false), (&sandbox(Some(variant)).await, true)]
        {
            let e = env(sandbox);
            let api = NameView::resolve(&e.api_record(), vantages, T).await;
            let app = NameView::resolve(&e.app_record(), vantages, T).await;
            let views = [&api, &app];
            let authoritative: Vec<Vantage> = vantages
                .iter()
                .filter(|v| v.kind == VantageKind::Authoritative)
                .cloned()
                .collect();
            let outcome = match fails {
                "dangling" => checks::check_no_dangling(&views),
                "wildcard" => {
                    checks::check_wildcard(&views, e.domain.name(), &vantages[..1], T).await
                }
                "ttl" => checks::check_ttl(&views, e.dns.max_ttl.get()),
                "ipv6" => {
                    let port = e.api_endpoint().port;
                    checks::check_ipv6_listeners(&[(&api, port), (&app, port)], T).await
                }
                _ => {
                    checks::check_authoritative_agreement(
                        &views,
                        e.domain.name(),
                        &authoritative,
                        T,
                    )
                    .await
                }
            };
            let expected = if broken { Verdict::Fail } else { Verdict::Pass };
            assert_eq!(
                outcome.verdict, expected,
                "{variant} {fails} broken={broken}: {outcome}"
            );
            assert!(!outcome.evidence.is_empty(), "the answers judged are kept");
        }
    }
}

#[tokio::test]
async fn wildcard_next_to_records_of_their_own_is_reported_not_failed() {
    let zone = "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 hostmaster ( 1 3600 600 86400 60 )\n@ NS ns1\nns1 A 127.0.0.1\n\
                api CNAME lb\nlb A 192.0.2.10\n* CNAME parked\nparked A 192.0.2.99\n";
    let server = ZoneServer::start(zone).await.unwrap();
    let resolver = Vantage::new(VantageKind::Resolver, server.addr);
    let api = NameView::resolve(
        &"api.example.test".parse().unwrap(),
        std::slice::from_ref(&resolver),
        T,
    )
    .await;
    let outcome = checks::check_wildcard(
        &[&api],
        &"example.test".parse().unwrap(),
        std::slice::from_ref(&resolver),
        T,
    )
    .await;
    assert!(outcome.passed(), "{outcome}");
    assert!(outcome.reason.starts_with("a wildcard *.example.test answers random names (-> parked.example.test, 192.0.2.99), reported"), "{}", outcome.reason);
}

#[tokio::test]
async fn truncated_answers_are_asked_again_over_tcp() {
    let mut zone = String::from(
        "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 hostmaster ( 1 3600 600 86400 60 )\n@ NS ns1\nns1 A 127.0.0.1\n",
    );
    for i in 1..=60 {
        zone.push_str(&format!("big A 10.0.0.{i}\n"));
    }
    let server = ZoneServer::start(&zone).await.unwrap();
    let answer = query(server.addr, "big.example.test", RecordType::A, false, T)
        .await
        .unwrap();
    assert!(
        answer.over_tcp,
        "60 A records do not fit a 512-byte UDP answer"
    );
    assert_eq!(answer.answers.len(), 60);
}

#[tokio::test]
async fn server_errors_are_named() {
    let zone = "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 hostmaster ( 7 3600 600 86400 60 )\n@ NS ns1\nns1 A 127.0.0.1\n";
    let server = ZoneServer::start(zone).await.unwrap();
    let refused = query(server.addr, "www.other.test", RecordType::A, true, T)
        .await
        .unwrap();
    assert_eq!(refused.rcode, "REFUSED");
    let missing = query(server.addr, "nope.example.test", RecordType::A, false, T)
        .await
        .unwrap();
    assert_eq!(
        (missing.rcode.as_str(), missing.soa.clone()),
        ("NXDOMAIN", Some(("example.test".to_owned(), 7)))
    );
    let view = NameView::resolve(
        &"www.other.test".parse().unwrap(),
        &[Vantage::new(VantageKind::Resolver, server.addr)],
        T,
    )
    .await;
    assert_eq!(
        view.resolutions[0].error.as_deref(),
        Some("the server answered REFUSED")
    );
}

#[tokio::test]
async fn silent_server_times_out_and_says_after_how_long() {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let started = Instant::now();
    let res = query(
        socket.local_addr().unwrap(),
        "api.example.test",
        RecordType::A,
        true,
        Duration::from_millis(300),
    )
    .await;
    assert_eq!(res, Err(QueryError::Timeout(Duration::from_millis(300))));
    assert_eq!(res.unwrap_err().to_string(), "no answer within 300ms");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn closed_port_is_unreachable_not_a_hang() {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    drop(socket);
    let res = query(
        addr,
        "api.example.test",
        RecordType::A,
        true,
        Duration::from_secs(2),
    )
    .await;
    // Linux reports the ICMP port-unreachable on the connected socket.
    assert!(matches!(res, Err(QueryError::Unreachable(_))), "{res:?}");
}

#[tokio::test]
async fn extra_vantage_points_are_asked_and_named() {
    let (sandbox, _) = sandbox(None).await;
    let mut dns = env(&sandbox).dns.clone();
    // ns2 as an extra resolver: it answers for its own zone like one.
    dns.vantage_points = vec![netconform_model::values::Nameserver(
        sandbox.topology().dns[1],
    )];
    let vantages = vantage::resolvers(&dns, &[]);
    assert_eq!(vantages.len(), 2);
    assert_eq!(vantages[1].kind, VantageKind::VantagePoint);
    let view = NameView::resolve(&env(&sandbox).api_record(), &vantages, T).await;
    assert!(
        view.servers()
            .iter()
            .any(|s| s.starts_with("vantage point 127.0.0.32:")),
        "{:?}",
        view.servers()
    );
    assert!(check_resolves(&view, false).passed());
    // With the system resolver standing in for dns.nameservers, it is labelled as such.
    dns.nameservers.clear();
    let system = vantage::resolvers(&dns, &[sandbox.topology().dns[0]]);
    assert!(
        system[0].label.starts_with("system resolver "),
        "{}",
        system[0].label
    );
}

#[tokio::test]
async fn without_a_named_load_balancer_the_records_are_compared_and_not_checked() {
    let (sandbox, _) = sandbox(None).await;
    let vantages =
        netconform_dns::Vantages::discover(&env(&sandbox).dns, env(&sandbox).domain.name(), &[])
            .await;
    let all = vantages.all();
    let api = NameView::resolve(&env(&sandbox).api_record(), &all, T).await;
    let app = NameView::resolve(&env(&sandbox).app_record(), &all, T).await;
    let unknown = netconform_model::environment::LoadBalancerTarget {
        name: None,
        addresses: Vec::new(),
        address_match: AddressMatch::All,
    };
    // api and app agree, but whether that is the deployment's balancer is not known.
    let outcome =
        checks::check_record_leads_to(&api, &unknown, &vantages, async { app.clone() }, T).await;
    assert_eq!(outcome.verdict, Verdict::NotChecked, "{outcome}");
    assert_eq!(
        outcome.gap.as_ref().map(|g| g.what.as_str()),
        Some("no dns.load_balancer")
    );
    // Named: judged, and the other record is never resolved.
    let lb = env(&sandbox).load_balancer_for(RecordLabel::Api);
    let outcome = checks::check_record_leads_to(
        &api,
        &lb,
        &vantages,
        async { unreachable!("the other record is not needed") },
        T,
    )
    .await;
    assert!(outcome.passed(), "{outcome}");
    // DNSSEC not asked for: not applicable, whatever the zone.
    let off = netconform_dns::check_dnssec(
        netconform_model::environment::DnssecMode::Off,
        &[&env(&sandbox).api_record()],
        &vantages.resolvers,
        &[],
        T,
    )
    .await;
    assert_eq!(off.verdict, Verdict::NotApplicable, "{off}");
}
