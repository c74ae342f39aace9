//! The configuration files the bed's containers read: HAProxy's, BIND's and the zone file.
//! Each variant is a difference in one of them (or in a command line, see `lib.rs`).

use std::fmt::Write as _;
use std::net::IpAddr;

use crate::{Timing, Variant};

/// Where the bed's files are mounted in the containers (read-only).
pub(crate) const MOUNT: &str = "/testbed";
/// The API replicas' port, and their agent's.
pub(crate) const API_PORT: u16 = 8080;
pub(crate) const AGENT_PORT: u16 = 8081;
/// HAProxy's statistics page (plain HTTP).
pub(crate) const STATS_PORT: u16 = 8404;
pub(crate) const STATS_PATH: &str = "/stats;csv";

fn ms(d: std::time::Duration) -> String {
    format!("{}ms", d.as_millis())
}

/// HAProxy's configuration: TLS termination on 443 with the bed's certificate, a redirect
/// from 80, round-robin over the replicas (found through Docker's DNS, as their addresses
/// change when they restart) with ALB-like health checks scaled down, HAProxy's agent check
/// for the replicas' drain, and the statistics page.
pub(crate) fn haproxy_cfg(
    replicas: &[(&str, String)],
    timing: &Timing,
    variant: Option<Variant>,
) -> String {
    let mut cfg = String::new();
    let _ = write!(
        cfg,
        "# netconform test bed{}\n\
         global\n  \
           log stdout format raw local0 info\n  \
           stats socket /tmp/haproxy.sock mode 600 level admin\n\
         \n\
         defaults\n  \
           mode http\n  \
           log global\n  \
           option httplog\n  \
           option dontlognull\n  \
           timeout connect {connect_timeout}\n  \
           timeout client 30s\n  \
           timeout server 30s\n  \
           timeout check {check_timeout}\n\
         \n\
         resolvers docker\n  \
           nameserver docker 127.0.0.11:53\n  \
           timeout resolve 200ms\n  \
           timeout retry 200ms\n  \
           hold valid 1s\n  \
           hold nx 1s\n  \
           hold obsolete 1s\n\
         \n\
         frontend web\n  \
           bind :443 ssl crt {MOUNT}/lb.pem alpn http/1.1\n  \
           bind :80\n  \
           http-request redirect scheme https code 301 unless {{ ssl_fc }}\n  \
           default_backend api\n\
         \n\
         backend api\n  \
           balance roundrobin\n",
        variant
            .map(|v| format!(" (broken: {v})"))
            .unwrap_or_default(),
        check_timeout = ms(timing.check_timeout),
        connect_timeout = ms(timing.connect_timeout),
    );
    if variant == Some(Variant::HaproxyRetriesMask) {
        cfg.push_str("  retries 3\n  retry-on all-retryable-errors\n  option redispatch 1\n");
    }
    let resolve = "resolvers docker init-addr last,libc,none";
    if variant == Some(Variant::HaproxyNoHealthcheck) {
        let _ = writeln!(cfg, "  default-server {resolve}");
    } else {
        let path = if variant == Some(Variant::HaproxyWrongCheckPath) {
            "/health"
        } else {
            netconform_model::guide::HEALTH_CHECK_PATH
        };
        let _ = write!(
            cfg,
            "  option httpchk GET {path}\n  \
               http-check expect status 200\n  \
               default-server inter {inter} fastinter {inter} downinter {inter} rise {rise} fall {fall} \
             agent-check agent-port {AGENT_PORT} agent-inter {agent} {resolve}\n",
            inter = ms(timing.check_interval),
            rise = timing.healthy_threshold,
            fall = timing.unhealthy_threshold,
            agent = ms(timing.agent_interval),
        );
    }
    let check = if variant == Some(Variant::HaproxyNoHealthcheck) {
        ""
    } else {
        " check"
    };
    for (server, host) in replicas {
        let _ = writeln!(cfg, "  server {server} {host}:{API_PORT}{check}");
    }
    let _ = write!(
        cfg,
        "\n\
         listen stats\n  \
           bind :{STATS_PORT}\n  \
           stats enable\n  \
           stats uri {}\n",
        STATS_PATH.trim_end_matches(";csv")
    );
    cfg
}

/// Where BIND keeps the zone: a copy it may write beside (the signed zone, its journal, the
/// keys), as the mount is read-only.
pub(crate) const ZONE_COPY: &str = "/tmp/zone.db";

/// BIND's configuration: authoritative only, for the bed's zone, which it signs (DNSSEC, its
/// default policy: one ECDSA P-256 key, NSEC).
pub(crate) fn named_conf(zone: &str) -> String {
    format!(
        "options {{\n  \
           directory \"/tmp\";\n  \
           pid-file none;\n  \
           listen-on {{ any; }};\n  \
           listen-on-v6 {{ none; }};\n  \
           recursion no;\n  \
           allow-query {{ any; }};\n  \
           allow-transfer {{ any; }};\n  \
           dnssec-validation no;\n\
         }};\n\
         zone \"{zone}\" {{\n  \
           type primary;\n  \
           file \"{ZONE_COPY}\";\n  \
           dnssec-policy default;\n  \
           inline-signing yes;\n\
         }};\n"
    )
}

/// The zone: SOA and NS (ns1, the DNS container), the load balancer's name with HAProxy's
/// address, api and app as CNAMEs to it.
pub(crate) fn zone_file(
    zone: &str,
    dns_ip: IpAddr,
    lb_ip: IpAddr,
    ttl: u32,
    variant: Option<Variant>,
) -> String {
    let rtype = |ip: IpAddr| if ip.is_ipv4() { "A" } else { "AAAA" };
    let mut text = format!(
        "$TTL {ttl}\n\
         $ORIGIN {zone}.\n\
         @   IN SOA ns1 hostmaster 2026010101 3600 600 86400 {ttl}\n\
         @   IN NS  ns1\n\
         ns1 IN {} {dns_ip}\n\
         lb  IN {} {lb_ip}\n\
         api IN CNAME lb\n",
        rtype(dns_ip),
        rtype(lb_ip),
    );
    if variant != Some(Variant::NoAppRecord) {
        text.push_str("app IN CNAME lb\n");
    }
    text
}

/// The trust anchor of the zone, from BIND's key files (`K<zone>.+013+<tag>.key`): the
/// key-signing key's DNSKEY record, its key on one line.
pub(crate) fn trust_anchor(key_files: &str) -> Option<String> {
    key_files
        .lines()
        .filter(|l| !l.starts_with(';'))
        .find_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words.iter().position(|w| *w == "DNSKEY")?;
            (words.get(at + 1) == Some(&"257") && words.len() > at + 4)
                .then(|| format!("{} {}", words[..at + 4].join(" "), words[at + 4..].concat()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(variant: Option<Variant>) -> String {
        let replicas = [
            ("zone-a", "nc-1-zone-a".to_owned()),
            ("zone-b", "nc-1-zone-b".to_owned()),
        ];
        haproxy_cfg(&replicas, &Timing::default(), variant)
    }

    #[test]
    fn healthy_haproxy_checks_the_guides_path_with_an_agent_and_no_retry_on_errors() {
        let text = cfg(None);
        assert!(
            text.contains("  option httpchk GET /api/status\n"),
            "{text}"
        );
        assert!(text.contains(
            "default-server inter 400ms fastinter 400ms downinter 400ms rise 3 fall 2 agent-check agent-port 8081 agent-inter 400ms resolvers docker"
        ), "{text}");
        assert!(
            text.contains("  server zone-a nc-1-zone-a:8080 check\n"),
            "{text}"
        );
        assert!(text.contains("bind :443 ssl crt /testbed/lb.pem alpn http/1.1"));
        assert!(text.contains("http-request redirect scheme https code 301 unless { ssl_fc }"));
        assert!(text.contains("  stats uri /stats\n"));
        assert!(!text.contains("retry-on"));
        assert!(!text.contains("redispatch"));
    }

    #[test]
    fn each_haproxy_variant_is_one_difference() {
        let healthy = cfg(None);
        let diff = |variant| {
            let text = cfg(Some(variant));
            let removed: Vec<String> = healthy
                .lines()
                .filter(|l| !text.lines().any(|m| m == *l))
                .map(str::to_owned)
                .collect();
            let added: Vec<String> = text
                .lines()
                .filter(|l| !healthy.lines().any(|m| m == *l))
                .map(str::to_owned)
                .collect();
            (removed, added)
        };
        let (removed, added) = diff(Variant::HaproxyWrongCheckPath);
        assert_eq!(
            removed,
            ["# netconform test bed", "  option httpchk GET /api/status"]
        );
        assert_eq!(
            added,
            [
                "# netconform test bed (broken: haproxy-wrong-check-path)",
                "  option httpchk GET /health"
            ]
        );
        let (_, added) = diff(Variant::HaproxyRetriesMask);
        assert_eq!(
            added[1..],
            [
                "  retries 3",
                "  retry-on all-retryable-errors",
                "  option redispatch 1"
            ]
        );
        let text = cfg(Some(Variant::HaproxyNoHealthcheck));
        assert!(!text.contains("httpchk"), "{text}");
        assert!(!text.contains("agent-check"), "{text}");
        assert!(
            text.contains("  server zone-a nc-1-zone-a:8080\n"),
            "{text}"
        );
    }

    #[test]
    fn the_trust_anchor_is_the_key_signing_key_on_one_line() {
        let files = "; This is a key-signing key, keyid 46796, for testbed.test.\n\
            ; Created: 20261126123517 (Thu Nov 26 12:35:17 2026)\n\
            testbed.test. 3600 IN DNSKEY 257 3 13 6vyAYIrZBCtZd67R ZMrZH5py56Jv==\n";
        assert_eq!(
            trust_anchor(files).as_deref(),
            Some("testbed.test. 3600 IN DNSKEY 257 3 13 6vyAYIrZBCtZd67RZMrZH5py56Jv==")
        );
        assert_eq!(
            trust_anchor("testbed.test. 3600 IN DNSKEY 256 3 13 abc\n"),
            None
        );
        assert_eq!(trust_anchor(""), None);
    }

    #[test]
    fn zone_leads_api_and_app_to_the_load_balancer() {
        let dns: IpAddr = "172.18.0.4".parse().unwrap();
        let lb: IpAddr = "172.18.0.5".parse().unwrap();
        let text = zone_file("testbed.test", dns, lb, 60, None);
        assert_eq!(
            text,
            "$TTL 60\n$ORIGIN testbed.test.\n\
             @   IN SOA ns1 hostmaster 2026010101 3600 600 86400 60\n\
             @   IN NS  ns1\n\
             ns1 IN A 172.18.0.4\n\
             lb  IN A 172.18.0.5\n\
             api IN CNAME lb\n\
             app IN CNAME lb\n"
        );
        let missing = zone_file("testbed.test", dns, lb, 60, Some(Variant::NoAppRecord));
        assert!(!missing.contains("app IN"));
        assert!(missing.contains("api IN CNAME lb"));
    }
}
