//! Google Cloud's load balancers, from `gcloud compute ... list --format=json` and a stack
//! export's `gcp:compute/*` resources (the same camelCase fields, read case-insensitively): a
//! forwarding rule is the load balancer (its kind from its target), a backend service the
//! target group, and the proxies, URL maps, health checks and network endpoint groups between
//! them are left to [`crate::links::gcp`] to join. Field names: the Compute Engine API v1
//! reference (<https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules>,
//! `backendServices`, `healthChecks`, `urlMaps`, `targetHttpsProxies`, `networkEndpointGroups`).

use crate::formats::stack_export::Resource;
use crate::links::gcp::{BackendLink, RuleLink, reference};
use crate::node::{Field, Node, State};
use crate::resources::Reading;
use crate::view::{Input, LbKind, LoadBalancer, TargetGroup, VpcEndpoint, gcp_name, gcp_ref};

/// A resource's name and its reference (its self link from `projects/`, else its name).
fn identity(n: &Node<'_>, fallback: &str) -> (String, String) {
    let name = n
        .get_ci("name")
        .opt_text()
        .unwrap_or_else(|| fallback.to_owned());
    let link = reference(&n.get_ci("selfLink")).unwrap_or_else(|| name.clone());
    (name, link)
}

/// What a forwarding rule's target makes it: a proxy to HTTP(S) is an Application Load
/// Balancer, a TCP or SSL proxy, a target pool or a backend service a Network Load Balancer.
fn kind_of_target(target: &Node<'_>, backend: &Node<'_>) -> Field<LbKind> {
    let Some(t) = target.opt_text() else {
        return match backend.opt_text() {
            Some(_) => Field::set(backend.at.clone(), LbKind::GcpNetwork),
            None => Field::unset(target.at.clone()),
        };
    };
    let kind = if t.contains("targetHttpProxies/") || t.contains("targetHttpsProxies/") {
        Some(LbKind::GcpApplication)
    } else if ["targetTcpProxies/", "targetSslProxies/", "targetPools/"]
        .iter()
        .any(|k| t.contains(k))
    {
        Some(LbKind::GcpNetwork)
    } else {
        None
    };
    match kind {
        Some(k) => Field::set(target.at.clone(), k),
        None => Field {
            at: target.at.clone(),
            state: State::Invalid(format!(
                "target {t:?} is no load balancer proxy or target pool"
            )),
        },
    }
}

/// One forwarding rule, either format: a load balancer, or a Private Service Connect
/// endpoint for Google APIs (target `all-apis` or `vpc-sc`).
fn forwarding_rule(n: &Node<'_>, subject: String, r: &mut Reading) {
    let (name, link) = identity(n, &subject);
    let target = n.get_ci("target");
    let backend = n.get_ci("backendService");
    if let Some(t) = target
        .opt_text()
        .filter(|t| t == "all-apis" || t == "vpc-sc")
    {
        r.view.vpc_endpoints.push(VpcEndpoint {
            id: name,
            at: n.at.clone(),
            service: format!("Google APIs ({t})"),
            kind: Some("PrivateServiceConnect".to_owned()),
            vpc: reference(&n.get_ci("network")),
            state: None,
            route_tables: Vec::new(),
            route_tables_at: n.at.clone(),
            private_dns: Field::unset(n.at.clone()),
            subnet: None,
        });
        return;
    }
    let scheme = n.get_ci("loadBalancingScheme").opt_text();
    r.links.gcp.rules.push(RuleLink {
        rule: link.clone(),
        target: reference(&target).or_else(|| reference(&backend)),
    });
    r.view.load_balancers.push(LoadBalancer {
        subject,
        at: n.at.clone(),
        arn: Some(link),
        name: Some(name),
        dns_name: None,
        internet_facing: scheme.map(|s| s.starts_with("EXTERNAL")),
        placements: Field::unset(n.at.key("target")),
        kind: kind_of_target(&target, &backend),
        deletion_protection: Field::unset(n.at.clone()),
        addresses: n.get_ci("IPAddress").opt_text().into_iter().collect(),
        attributes_read: true,
    });
}

/// `gcloud compute forwarding-rules list`: one rule.
pub(crate) fn forwarding_rule_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    forwarding_rule(n, format!("forwarding rule {name}"), r);
    Ok(())
}

/// `gcp:compute/globalForwardingRule:GlobalForwardingRule`, `.../forwardingRule:ForwardingRule`.
pub(crate) fn forwarding_rule_from_stack(
    res: &Resource<'_>,
    r: &mut Reading,
) -> Result<(), String> {
    r.view.saw(Input::GcpForwardingRules, &res.list_at);
    forwarding_rule(&res.outputs, res.subject("forwarding rule"), r);
    Ok(())
}

/// A target HTTP(S) proxy: its URL map.
fn proxy(n: &Node<'_>, r: &mut Reading) {
    let (_, link) = identity(n, "");
    r.links
        .gcp
        .proxies
        .insert(link, reference(&n.get_ci("urlMap")));
}

/// `gcloud compute target-https-proxies list`, `target-http-proxies list`: one proxy.
pub(crate) fn proxy_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    proxy(n, r);
    Ok(())
}

/// `gcp:compute/targetHttpsProxy:TargetHttpsProxy`, `targetHttpProxy:TargetHttpProxy`.
pub(crate) fn proxy_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpTargetHttpsProxies, &res.list_at);
    r.view.saw(Input::GcpTargetHttpProxies, &res.list_at);
    proxy(&res.outputs, r);
    Ok(())
}

/// A URL map: every backend service it routes to (its default, its path matchers').
fn url_map(n: &Node<'_>, r: &mut Reading) {
    let (_, link) = identity(n, "");
    let mut services: Vec<String> = Vec::new();
    let mut add = |node: Node<'_>| {
        if let Some(s) = reference(&node)
            && !services.contains(&s)
        {
            services.push(s);
        }
    };
    add(n.get_ci("defaultService"));
    for m in n.get_ci("pathMatchers").items() {
        add(m.get_ci("defaultService"));
        for rule in m.get_ci("pathRules").items() {
            add(rule.get_ci("service"));
        }
        for rule in m.get_ci("routeRules").items() {
            add(rule.get_ci("service"));
        }
    }
    r.links.gcp.url_maps.insert(link, services);
}

/// `gcloud compute url-maps list`: one URL map.
pub(crate) fn url_map_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    url_map(n, r);
    Ok(())
}

/// `gcp:compute/uRLMap:URLMap`, `regionUrlMap:RegionUrlMap`.
pub(crate) fn url_map_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpUrlMaps, &res.list_at);
    url_map(&res.outputs, r);
    Ok(())
}

/// A backend service, as a target group: its connection draining timeout is what a target
/// group's deregistration delay is ("Enabling connection draining").
fn backend_service(n: &Node<'_>, subject: String, r: &mut Reading) {
    let (name, link) = identity(n, &subject);
    // gcloud: `connectionDraining.drainingTimeoutSec`; the provider: `connectionDrainingTimeoutSec`.
    let nested = n.path_ci("connectionDraining.drainingTimeoutSec");
    let draining = if nested.exists() {
        nested
    } else {
        n.get_ci("connectionDrainingTimeoutSec")
    };
    let backends = n.get_ci("backends");
    let health_checks = n.get_ci("healthChecks");
    r.links.gcp.backends.push(BackendLink {
        service: link.clone(),
        groups: backends
            .items()
            .iter()
            .filter_map(|b| reference(&b.get_ci("group")))
            .collect(),
        groups_at: backends.at.clone(),
        health_checks: health_checks
            .text_list()
            .iter()
            .map(|h| gcp_ref(h))
            .collect(),
        health_checks_at: health_checks.at.clone(),
    });
    r.view.target_groups.push(TargetGroup {
        subject,
        at: n.at.clone(),
        arn: Some(link),
        name,
        port: n.get_ci("port").count().value().copied(),
        load_balancers: Vec::new(),
        health_path: Field::unset(health_checks.at.clone()),
        matcher: Field::unset(health_checks.at.clone()),
        attributes_read: draining.exists(),
        deregistration_delay: draining.count(),
    });
}

/// `gcloud compute backend-services list`: one backend service.
pub(crate) fn backend_service_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    backend_service(n, format!("backend service {name}"), r);
    Ok(())
}

/// `gcp:compute/backendService:BackendService`, `regionBackendService:RegionBackendService`.
pub(crate) fn backend_service_from_stack(
    res: &Resource<'_>,
    r: &mut Reading,
) -> Result<(), String> {
    r.view.saw(Input::GcpBackendServices, &res.list_at);
    backend_service(&res.outputs, res.subject("backend service"), r);
    Ok(())
}

/// A health check's request path: HTTP, HTTPS and HTTP/2 ones have one (default `/`); a TCP,
/// SSL or gRPC one does not look at a path.
fn health_check(n: &Node<'_>, r: &mut Reading) {
    let (name, link) = identity(n, "");
    let nested = ["httpHealthCheck", "httpsHealthCheck", "http2HealthCheck"]
        .iter()
        .map(|k| n.get_ci(k))
        .find(Node::exists);
    let path = match nested {
        Some(h) => h.get_ci("requestPath").text(),
        None => Field {
            at: n.get_ci("type").at.clone(),
            state: State::Invalid(format!(
                "health check {name} is of type {} (no request path: it does not ask /api/status)",
                n.get_ci("type")
                    .opt_text()
                    .unwrap_or_else(|| "unknown".into())
            )),
        },
    };
    let path = match path.state {
        State::Unset => Field::set(path.at, "/".to_owned()),
        _ => path,
    };
    let type_at = n.get_ci("type").at.clone();
    let entry = (path, type_at);
    r.links
        .gcp
        .health_checks
        .insert(link.clone(), entry.clone());
    r.links
        .gcp
        .health_checks
        .insert(gcp_name(&link).to_owned(), entry);
}

/// `gcloud compute health-checks list`: one health check.
pub(crate) fn health_check_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    health_check(n, r);
    Ok(())
}

/// `gcp:compute/healthCheck:HealthCheck`, `regionHealthCheck:RegionHealthCheck`.
pub(crate) fn health_check_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpHealthChecks, &res.list_at);
    health_check(&res.outputs, r);
    Ok(())
}

/// A network endpoint group: its zone (GKE makes one per zone for a Service with the NEG
/// annotation).
fn neg(n: &Node<'_>, r: &mut Reading) {
    let (_, link) = identity(n, "");
    let zone = n.get_ci("zone").opt_text().map(|z| gcp_name(&z).to_owned());
    r.links.gcp.negs.insert(link, zone);
}

/// `gcloud compute network-endpoint-groups list`: one group.
pub(crate) fn neg_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    neg(n, r);
    Ok(())
}

/// `gcp:compute/networkEndpointGroup:NetworkEndpointGroup`.
pub(crate) fn neg_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpNetworkEndpointGroups, &res.list_at);
    neg(&res.outputs, r);
    Ok(())
}
