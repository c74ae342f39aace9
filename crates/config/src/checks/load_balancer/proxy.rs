//! An HTTP proxy in the cluster (ingress-nginx, Envoy Gateway, Traefik, HAProxy's or NGINX's
//! controller) behind a Service of type LoadBalancer, judged as the load balancer tier: a
//! layer-4 balancer in front of it is the guide's "equivalent" of an Application Load
//! Balancer only when the proxy tier is itself highly available and drains, and routes api and
//! app (`view::proxies` tells the tier).

use std::collections::BTreeSet;

use super::super::shutdown::{describe_pre_stop, pre_stop_does_nothing};
use super::super::{Judge, defaults};
use crate::node::{Field, State};
use crate::view::{Deployment, PreStop, ProxyTier, dns_key};

/// Where the rule comes from: the guide's "or equivalent", held to what it asks of the tier
/// that serves the API (its multi-AZ, minimum-instances and graceful-shutdown sections).
pub(super) const PROXY_TIER: &str = "Guide (\"Load balancer configuration\": an Application Load Balancer or equivalent; \"Multi-AZ deployment\", \"Auto-scaling\": minimum 2, \"Graceful shutdown\"): a layer-4 balancer in front of an HTTP proxy in the cluster is the equivalent when the proxy tier is spread over zones, runs at least two replicas, drains before it stops and routes api and app.";

/// The DNS names of the load balancers in front of the proxy tier (its Services' statuses).
pub(super) fn fronting(tier: Option<&ProxyTier<'_>>) -> BTreeSet<String> {
    tier.into_iter()
        .flat_map(|t| t.proxies.iter())
        .flat_map(|p| p.services.iter())
        .flat_map(|s| s.status_hostnames.iter())
        .map(|h| dns_key(h))
        .collect()
}

/// Judges the proxy tier the API's traffic goes through.
pub(super) fn judge_proxy_tier(judge: &mut Judge, d: &Deployment, tier: &ProxyTier<'_>) {
    let via = tier.via.join(", ");
    if tier.proxies.is_empty() {
        judge.missing(format!(
            "the HTTP proxy behind {via}: its Deployment and its Service of type LoadBalancer (`kubectl get deploy,svc,hpa -n <the proxy's namespace> -o json`)"
        ));
        return;
    }
    for p in &tier.proxies {
        let w = p.workload;
        let subject = format!("{} ({}, an HTTP proxy in the cluster)", w.subject, p.name);
        for svc in &p.services {
            judge.ok(
                PROXY_TIER,
                &svc.subject,
                &svc.service_type.at,
                format!(
                    "type LoadBalancer in front of {}, an HTTP proxy in the cluster ({via}): judged as the load balancer tier",
                    p.name
                ),
                "a layer-7 tier in front of the API",
            );
        }
        judge_replicas(judge, d, &subject, p.workload);
        match w.zone_rules.first() {
            Some(rule) => judge.ok(
                PROXY_TIER,
                &subject,
                &rule.at,
                rule.what.clone(),
                "spread over zones",
            ),
            None => judge.error(
                PROXY_TIER,
                &subject,
                &w.spread_at,
                "no zone spread (topologySpreadConstraints or podAntiAffinity on a zone key)",
                "spread over zones",
            ),
        }
        judge_drain(judge, &subject, p.workload);
    }
    let at = tier.proxies[0].workload.at.clone();
    for label in ["api", "app"] {
        let prefix = format!("{label}.");
        match tier.hosts.iter().find(|h| h.starts_with(&prefix)) {
            Some(host) => judge.ok(
                PROXY_TIER,
                &format!("the proxy tier ({via})"),
                &at,
                format!("routes {host}"),
                format!("a rule for {label}.{{domain}}"),
            ),
            None => judge.error(
                PROXY_TIER,
                &format!("the proxy tier ({via})"),
                &at,
                format!("no Ingress rule or route for {label}.{{domain}} through it"),
                format!("a rule for {label}.{{domain}}"),
            ),
        }
    }
}

/// At least two replicas, or an HPA minimum of two.
fn judge_replicas(judge: &mut Judge, d: &Deployment, subject: &str, w: &crate::view::KubeWorkload) {
    let hpas = d.hpas_of(w);
    let field = match hpas.first() {
        Some(h) => &h.min,
        None => &w.replicas,
    };
    judge.value(
        PROXY_TIER,
        subject,
        field,
        Some((defaults::KUBERNETES_REPLICAS, "Kubernetes")),
        ">= 2",
        |n| *n >= 2,
    );
}

/// A preStop hook that waits (or a shutdown delay the proxy runs) and a grace period longer
/// than it, so connections drain before the proxy stops.
fn judge_drain(judge: &mut Judge, subject: &str, w: &crate::view::KubeWorkload) {
    let expected = "a preStop hook that waits while the load balancer deregisters the pod, within terminationGracePeriodSeconds";
    let grace = w
        .grace
        .value()
        .copied()
        .unwrap_or(defaults::KUBERNETES_GRACE);
    for c in &w.containers {
        if crate::view::proxy_of_image(&c.image).is_none() {
            continue;
        }
        match &c.pre_stop.state {
            State::Set(p) if pre_stop_does_nothing(p) => judge.error(
                PROXY_TIER,
                subject,
                &c.pre_stop.at,
                format!("{}: returns at once", describe_pre_stop(p)),
                expected,
            ),
            State::Set(PreStop::Sleep(n)) if *n >= grace => judge.error(
                PROXY_TIER,
                subject,
                &w.grace.at,
                format!(
                    "terminationGracePeriodSeconds {grace} s ends before the preStop sleep of {n} s: the proxy is killed while it drains"
                ),
                expected,
            ),
            State::Set(p) => judge.ok(
                PROXY_TIER,
                subject,
                &c.pre_stop.at,
                format!(
                    "{}, terminationGracePeriodSeconds {grace} s",
                    describe_pre_stop(p)
                ),
                expected,
            ),
            State::Unset => judge.error(
                PROXY_TIER,
                subject,
                &c.pre_stop.at,
                "no preStop hook: the proxy stops while the load balancer still sends it connections",
                expected,
            ),
            _ => judge.unreadable(PROXY_TIER, subject, &c.pre_stop as &Field<PreStop>),
        }
    }
}
