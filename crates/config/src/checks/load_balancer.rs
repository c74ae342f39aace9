//! "Load balancer configuration": a layer-7 load balancer in front of the API, deletion protection, the health check on /api/status, the
//! pods' readiness, the grace period before health checks count (the Gateway API's side in
//! `gateway`, an HTTP proxy tier in the cluster in `proxy`, a managed instance group's
//! autohealing in `gcp`); and ("DNS") the exported records for api and app pointing at the
//! load balancer (`dns`).

mod gcp;

use netconform_model::Outcome;
use netconform_model::guide::{
    HEALTH_CHECK_GRACE_PERIOD, HEALTH_CHECK_PATH, HEALTHY_STATUS, Section,
};

use super::azure::{is_scale_set, judge_scale_set_grace};
mod dns;
mod gateway;
mod gke_gateway;
mod proxy;
mod target_type;

pub use dns::{check_dns_records, check_dns_records_of};

pub(crate) use gateway::api_deregistration_delay;
pub(crate) use gcp::{backend_config_of, behind_gke_ingress};
pub(crate) use gke_gateway::{
    gke_gateway_services, gke_load_balancers_inapplicable, service_subject as gke_service_subject,
};
pub(crate) use target_type::api_target_type;

use super::shutdown::api_containers;
use super::{Judge, defaults, google_cloud, guideline, judged_load_balancers, no_api, platform};
use crate::node::{Field, State};
use crate::view::{Deployment, Ingress, Input, LbKind, LoadBalancer, dns_key};

const LB_ATTRIBUTES: &str = "alb.ingress.kubernetes.io/load-balancer-attributes";
const HEALTHCHECK_PATH: &str = "alb.ingress.kubernetes.io/healthcheck-path";
const SUCCESS_CODES: &str = "alb.ingress.kubernetes.io/success-codes";
const GROUP_NAME: &str = "alb.ingress.kubernetes.io/group.name";

/// The load balancer in front of the API works at layer 7: an Application Load Balancer, an
/// Ingress (the AWS Load Balancer Controller makes an ALB of it; another controller is an HTTP
/// proxy), never a Network, Gateway or Classic Load Balancer or a Service of type
/// LoadBalancer.
pub fn check_application_load_balancer(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "an Application Load Balancer fronts the API",
        Section::LoadBalancer,
    );
    let g = guideline::APPLICATION_LOAD_BALANCER;
    let expected = "an Application Load Balancer (or another layer-7 balancer)";
    let tier = d.proxy_tier();
    let fronting = proxy::fronting(tier.as_ref());
    let attributed = d.api_load_balancers();
    let lbs: Vec<_> = if attributed.is_empty() {
        if !d.load_balancers.is_empty() {
            judge.inapplicable(
                "the inputs do not tie a load balancer to the API (no target group's LoadBalancerArns, no api record): every internet-facing one is judged",
            );
        }
        d.load_balancers
            .iter()
            .filter(|lb| lb.internet_facing != Some(false))
            .collect()
    } else {
        attributed
    };
    for lb in lbs {
        judge_kind(&mut judge, d, lb, &fronting, expected);
    }
    for s in d.api_services() {
        if !s.classic_load_balancers.is_empty() {
            judge.error(
                g,
                &s.subject,
                &s.at.key("loadBalancers"),
                format!(
                    "registers with Classic Load Balancer {}",
                    s.classic_load_balancers.join(", ")
                ),
                expected,
            );
        }
    }
    for ing in d.api_ingresses() {
        let actual = if ing.alb {
            "an Ingress of the AWS Load Balancer Controller: it makes an Application Load Balancer"
                .to_owned()
        } else if let Some(azure) = super::azure::ingress_balancer(d, ing) {
            azure.to_owned()
        } else {
            format!(
                "an Ingress (class {}): an HTTP proxy, layer 7",
                ing.class.as_deref().unwrap_or("default")
            )
        };
        judge.ok(g, &ing.subject, &ing.at, actual, expected);
    }
    let gateways = gateway::judge_application_load_balancer(&mut judge, d, expected);
    target_type::judge_target_types(&mut judge, d);
    if let Some(tier) = &tier {
        proxy::judge_proxy_tier(&mut judge, d, tier);
    }
    for svc in d.api_kube_services() {
        if svc.service_type.value().map(String::as_str) == Some("LoadBalancer") {
            judge.error(
                g,
                &svc.subject,
                &svc.service_type.at,
                "type LoadBalancer: a layer-4 balancer (on EKS, a Network Load Balancer) straight to the API's pods, no HTTP proxy in between",
                "an Ingress (ALB) in front of the API; its Service of type ClusterIP or NodePort",
            );
        }
    }
    if d.load_balancers.is_empty()
        && d.ingresses.is_empty()
        && !gateways
        && !d
            .api_kube_services()
            .iter()
            .any(|s| s.service_type.value().map(String::as_str) == Some("LoadBalancer"))
        && d.api_services()
            .all(|s| s.classic_load_balancers.is_empty())
    {
        judge.no_input(d, "the load balancer", Input::LoadBalancers);
    }
    judge.finish()
}

/// One load balancer's kind: layer 7 passes; layer 4 in front of an in-cluster proxy tier
/// (`fronting`: its Service's load balancer) passes, the tier being judged apart; otherwise
/// layer 3 or 4 fails (an internal one is only reported).
fn judge_kind(
    judge: &mut Judge,
    d: &Deployment,
    lb: &LoadBalancer,
    fronting: &std::collections::BTreeSet<String>,
    expected: &str,
) {
    let g = guideline::APPLICATION_LOAD_BALANCER;
    match &lb.kind.state {
        State::Set(kind @ LbKind::FrontDoorClassic) => judge.warn(
            super::azure::FRONT_DOOR_CLASSIC_RETIRING,
            &lb.subject,
            &lb.kind.at,
            format!("{kind}, retired by Microsoft on March 31, 2027"),
            expected,
        ),
        State::Set(kind) if kind.is_layer7() => {
            judge.ok(g, &lb.subject, &lb.kind.at, kind.to_string(), expected)
        }
        State::Set(kind)
            if lb
                .dns_name
                .as_deref()
                .is_some_and(|n| fronting.contains(&dns_key(n))) =>
        {
            judge.ok(
                proxy::PROXY_TIER,
                &lb.subject,
                &lb.kind.at,
                format!("{kind} in front of an HTTP proxy in the cluster (its Service's load balancer): the proxy tier is judged as the load balancer"),
                expected,
            )
        }
        State::Set(kind) => {
            let why = match kind {
                LbKind::Classic => {
                    "the previous generation: no host rules for api and app, no deletion protection"
                }
                LbKind::Gateway => "it forwards packets to appliances, not HTTP to the API",
                LbKind::GcpNetwork => google_cloud::APPLICATION_LOAD_BALANCER,
                LbKind::ApplicationGatewayV1 => {
                    "retired by Microsoft on April 28, 2026: no support, no SLA, its data path blocked (Standard_v2 or WAF_v2 is the Application Gateway to deploy)"
                }
                _ => {
                    "it passes TCP through: no HTTP health checks per request, no host routing, no HTTP/2 to clients"
                }
            };
            let actual = format!("{kind}: {why}");
            let g = if *kind == LbKind::ApplicationGatewayV1 {
                super::azure::APPGW_V1_RETIRED
            } else {
                g
            };
            if lb.internet_facing == Some(false) {
                judge.warn(
                    g,
                    &lb.subject,
                    &lb.kind.at,
                    format!("internal, {actual}"),
                    expected,
                );
            } else {
                judge.error(g, &lb.subject, &lb.kind.at, actual, expected);
            }
        }
        State::Unset => judge.missing(format!(
            "the type of {} (`Type` in {})",
            lb.subject,
            judge.source(d, Input::LoadBalancers)
        )),
        _ => judge.unreadable(g, &lb.subject, &lb.kind),
    }
}

/// Deletion protection on every load balancer (and every ALB an ingress creates).
pub fn check_deletion_protection(d: &Deployment) -> Outcome {
    let mut judge = Judge::new("deletion protection is on", Section::LoadBalancer);
    for lb in judged_load_balancers(&mut judge, d) {
        if lb.kind.value().is_some_and(|k| k.is_gcp()) {
            judge.inapplicable(format!(
                "{} is a Google Cloud load balancer, which has no deletion protection: {}",
                lb.subject,
                google_cloud::NO_DELETION_PROTECTION
            ));
            continue;
        }
        if lb.kind.value() == Some(&LbKind::Classic) {
            judge.error(
                guideline::DELETION_PROTECTION,
                &lb.subject,
                &lb.at,
                "a Classic Load Balancer, which has no deletion protection",
                "true (an Application Load Balancer)",
            );
            continue;
        }
        match &lb.deletion_protection.state {
            State::Unset if !d.has(Input::LoadBalancerAttributes) => judge.no_input(
                d,
                &format!("the attributes of {}", lb.subject),
                Input::LoadBalancerAttributes,
            ),
            State::Unset if !lb.attributes_read => judge.missing(format!(
                "the attributes of {}: no attributes file names it ({})",
                lb.subject,
                judge.source(d, Input::LoadBalancerAttributes)
            )),
            State::Unset => judge.error(
                guideline::DELETION_PROTECTION,
                &lb.subject,
                &lb.deletion_protection.at,
                "not set (off by default)",
                "true",
            ),
            _ => {
                judge.value(
                    guideline::DELETION_PROTECTION,
                    &lb.subject,
                    &lb.deletion_protection,
                    None,
                    "true",
                    |on| *on,
                );
            }
        }
    }
    for ing in d.ingresses.iter().filter(|i| i.alb) {
        let attr = ing.attribute(LB_ATTRIBUTES, "deletion_protection.enabled");
        let expected = format!("{LB_ATTRIBUTES}: deletion_protection.enabled=true");
        let on = |i: &Ingress| {
            i.attribute(LB_ATTRIBUTES, "deletion_protection.enabled")
                .value()
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        };
        if on(ing) {
            judge.ok(
                guideline::DELETION_PROTECTION,
                &ing.subject,
                &attr.at,
                "deletion_protection.enabled=true",
                expected,
            );
            continue;
        }
        // Ingresses of one group share their load balancer and merge its attributes.
        let group = ing.annotation(GROUP_NAME).value().cloned();
        let sibling = group.as_ref().and_then(|g| {
            d.ingresses.iter().find(|other| {
                other.alb && other.annotation(GROUP_NAME).value() == Some(g) && on(other)
            })
        });
        match sibling {
            Some(other) => judge.ok(
                guideline::DELETION_PROTECTION,
                &ing.subject,
                &attr.at,
                format!("set by {} of the same group", other.subject),
                expected,
            ),
            None => judge.error(
                guideline::DELETION_PROTECTION,
                &ing.subject,
                &attr.at,
                match attr.value() {
                    Some(v) => format!("deletion_protection.enabled={v}"),
                    None => "not set (the controller creates the ALB without deletion protection)"
                        .to_owned(),
                },
                expected,
            ),
        }
    }
    let gateways = gateway::judge_deletion_protection(&mut judge, d);
    let gke = gke_load_balancers_inapplicable(&mut judge, d, |gw| {
        format!(
            "{} is made a Google Cloud load balancer by the GKE Gateway controller, which has no deletion protection: {}",
            gw.subject,
            google_cloud::NO_DELETION_PROTECTION
        )
    });
    if d.load_balancers.is_empty() && !d.ingresses.iter().any(|i| i.alb) && !gateways && !gke {
        judge.no_input(d, "the load balancer", Input::LoadBalancers);
    }
    judge.finish()
}

/// Whether an ELBv2 matcher ("200", "200-299", "200,202") accepts `code`.
pub(super) fn matcher_accepts(matcher: &str, code: u16) -> bool {
    matcher.split(',').any(|part| {
        let part = part.trim();
        match part.split_once('-') {
            Some((lo, hi)) => matches!((lo.trim().parse::<u16>(), hi.trim().parse::<u16>()), (Ok(lo), Ok(hi)) if lo <= code && code <= hi),
            None => part.parse::<u16>() == Ok(code),
        }
    })
}

/// The load balancer health-checks the API on /api/status and counts 200 as healthy.
pub fn check_health_check_path(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the load balancer health-checks /api/status",
        Section::LoadBalancer,
    );
    let path_expected = format!("{HEALTH_CHECK_PATH:?}");
    let code_expected = format!("codes including {HEALTHY_STATUS}");
    let is_path = |p: &String| p == HEALTH_CHECK_PATH;
    let accepts = |m: &String| matcher_accepts(m, HEALTHY_STATUS);
    let groups = d.api_target_groups();
    for tg in &groups {
        judge.value(
            guideline::HEALTH_CHECK,
            &tg.subject,
            &tg.health_path,
            Some((defaults::HEALTH_CHECK_PATH.to_owned(), "ELB")),
            &path_expected,
            is_path,
        );
        judge.value(
            guideline::HEALTH_CHECK,
            &tg.subject,
            &tg.matcher,
            Some((defaults::HEALTH_CHECK_MATCHER.to_owned(), "ELB")),
            &code_expected,
            accepts,
        );
    }
    let ingresses: Vec<&Ingress> = d.api_ingresses().into_iter().filter(|i| i.alb).collect();
    for ing in &ingresses {
        judge.value(
            guideline::HEALTH_CHECK,
            &ing.subject,
            &ing.annotation(HEALTHCHECK_PATH),
            Some((
                defaults::HEALTH_CHECK_PATH.to_owned(),
                "AWS Load Balancer Controller",
            )),
            &path_expected,
            is_path,
        );
        judge.value(
            guideline::HEALTH_CHECK,
            &ing.subject,
            &ing.annotation(SUCCESS_CODES),
            Some((
                defaults::HEALTH_CHECK_MATCHER.to_owned(),
                "AWS Load Balancer Controller",
            )),
            &code_expected,
            accepts,
        );
    }
    let agic = super::azure::judge_agic_probe(&mut judge, d)
        | super::azure::judge_agc_ingress_probe(&mut judge, d);
    let gateways =
        gateway::judge_health_check(&mut judge, d, &path_expected, &code_expected, accepts);
    if groups.is_empty()
        && ingresses.is_empty()
        && !agic
        && !gateways
        && !gcp::judged_otherwise(&mut judge, d)
    {
        if !d.target_groups.is_empty() {
            let tg = &d.target_groups[0];
            judge.undecided(
                guideline::HEALTH_CHECK,
                &tg.subject,
                &tg.at,
                "none of the target groups is the API's (registered by an API ECS service, named api, or on port 8080)",
            );
        } else if d.ingresses.iter().any(|i| !i.alb) && d.api_workloads().next().is_some() {
            judge.missing(
                "the API's ingress is not an AWS Load Balancer Controller one: its health check is the controller's own",
            );
        } else {
            let ingress = if d.denied.contains_key(&Input::Kubernetes) {
                format!("the Ingress: {}", judge.source(d, Input::Kubernetes))
            } else {
                "or the Ingress".to_owned()
            };
            judge.missing(format!(
                "no target group, ALB ingress or Gateway route of the API in the inputs ({}, {ingress})",
                judge.source(d, Input::TargetGroups)
            ));
        }
    }
    judge.finish()
}

/// The API's pods report readiness on /api/status (Kubernetes).
pub fn check_readiness_probe(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the API's pods report readiness on /api/status",
        Section::LoadBalancer,
    );
    let expected = format!("a readinessProbe with httpGet path {HEALTH_CHECK_PATH:?}");
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        for c in api_containers(w) {
            let subject = format!("container {} of {}", c.name, w.subject);
            match &c.readiness.state {
                State::Set(p) if p.http_path.as_deref() == Some(HEALTH_CHECK_PATH) => judge.ok(
                    guideline::HEALTH_CHECK,
                    &subject,
                    &c.readiness.at,
                    format!("httpGet {HEALTH_CHECK_PATH}"),
                    &expected,
                ),
                State::Set(p) => judge.error(
                    guideline::HEALTH_CHECK,
                    &subject,
                    &c.readiness.at,
                    match &p.http_path {
                        Some(path) => format!("httpGet {path}"),
                        None => format!("a {} probe", p.kind),
                    },
                    &expected,
                ),
                State::Unset => judge.error(
                    guideline::HEALTH_CHECK,
                    &subject,
                    &c.readiness.at,
                    "not set (the pod receives traffic as soon as it starts)",
                    &expected,
                ),
                State::Secret | State::Invalid(_) => {
                    judge.unreadable(guideline::HEALTH_CHECK, &subject, &c.readiness)
                }
            }
        }
    }
    if !any {
        if d.api_services().next().is_some() || !d.api_groups().is_empty() {
            judge.inapplicable("the API runs on ECS or VMs, not in Kubernetes pods: the target group's health check decides readiness there");
        } else {
            no_api(&mut judge, d);
        }
    }
    judge.finish()
}

/// The API gets 120 s to start before failing health checks count: the ECS service's grace
/// period; on Kubernetes, what a liveness (or startup) probe allows before it restarts.
pub fn check_startup_grace(d: &Deployment) -> Outcome {
    let mut judge = Judge::new("the API gets 120 s to start", Section::LoadBalancer);
    let want = HEALTH_CHECK_GRACE_PERIOD.as_secs();
    let expected = format!(">= {want}");
    let mut any = false;
    for s in d.api_services() {
        any = true;
        judge.value(
            guideline::HEALTH_CHECK_GRACE,
            &s.subject,
            &s.grace,
            Some((defaults::ECS_HEALTH_CHECK_GRACE, "ECS")),
            &expected,
            |g| *g >= want,
        );
    }
    for g in d.api_groups() {
        any = true;
        if is_scale_set(g) {
            judge_scale_set_grace(&mut judge, g);
            continue;
        }
        if d.on_gcp() {
            gcp::mig_startup_grace(&mut judge, g, want);
            continue;
        }
        let uses_elb = |t: &String| t.split(',').any(|t| t.trim().eq_ignore_ascii_case("ELB"));
        judge.value(
            platform::ASG_ELB_HEALTH,
            &g.subject,
            &g.health_check_type,
            Some(("EC2".to_owned(), "EC2 Auto Scaling")),
            "ELB (the load balancer's health check on /api/status replaces failing instances)",
            uses_elb,
        );
        judge.value(
            guideline::HEALTH_CHECK_GRACE,
            &g.subject,
            &g.health_check_grace,
            Some((defaults::ASG_HEALTH_CHECK_GRACE, "EC2 Auto Scaling")),
            &expected,
            |n| *n >= want,
        );
    }
    for w in d.api_workloads() {
        any = true;
        for c in api_containers(w) {
            let subject = format!("container {} of {}", c.name, w.subject);
            let probe: &Field<_> = if c.startup.is_unset() {
                &c.liveness
            } else {
                &c.startup
            };
            match &probe.state {
                State::Unset => judge.ok(
                    guideline::HEALTH_CHECK_GRACE,
                    &subject,
                    &c.liveness.at,
                    "no liveness probe: nothing restarts a container that is still starting",
                    &expected,
                ),
                State::Set(p) => {
                    let actual = format!(
                        "restarted after {} s of failing probes (initialDelaySeconds {} + periodSeconds {} x failureThreshold {})",
                        p.budget(),
                        p.initial_delay,
                        p.period,
                        p.failure_threshold
                    );
                    if p.budget() >= want {
                        judge.ok(
                            guideline::HEALTH_CHECK_GRACE,
                            &subject,
                            &probe.at,
                            actual,
                            &expected,
                        );
                    } else {
                        judge.error(
                            guideline::HEALTH_CHECK_GRACE,
                            &subject,
                            &probe.at,
                            actual,
                            &expected,
                        );
                    }
                }
                State::Secret | State::Invalid(_) => {
                    judge.unreadable(guideline::HEALTH_CHECK_GRACE, &subject, probe)
                }
            }
        }
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}

#[cfg(test)]
mod tests {
    use super::matcher_accepts;

    #[test]
    fn matchers() {
        assert!(matcher_accepts("200", 200));
        assert!(matcher_accepts("200-299", 200));
        assert!(matcher_accepts("204, 200", 200));
        assert!(!matcher_accepts("201-299", 200));
        assert!(!matcher_accepts("301", 200));
        assert!(!matcher_accepts("x", 200));
    }
}
