//! Microsoft's documentation, for the rules that hold an Azure setting to how Azure behaves
//! (the citations of [`super::platform`], for Azure), and what the Azure rules share.

use netconform_model::guide::{HEALTH_CHECK_GRACE_PERIOD, HEALTH_CHECK_PATH, HEALTHY_STATUS};

use super::shutdown::api_containers;
use super::{Judge, guideline};
use crate::node::{Field, State};
use crate::view::{AutoScalingGroup, Deployment, GroupKind, Ingress};

pub const NAT_ZONES: &str = "Azure (\"NAT gateway and availability zones\", https://learn.microsoft.com/azure/nat-gateway/nat-availability-zones): a Standard NAT gateway is zonal, in one zone or in \"no zone\" (a zone Azure picks); zone resilience takes one zonal NAT gateway per zone, each serving the VMs of its own zone (zonal stacks), or a zone-redundant StandardV2 NAT gateway.";
pub const DEFAULT_OUTBOUND: &str = "Azure (\"Default outbound access\", https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access): a subnet without a NAT gateway or another explicit way out gives its VMs an implicit public address, unless defaultOutboundAccess is false (a private subnet).";
pub const BLOB_ENDPOINT: &str = "Azure (\"Use private endpoints for Azure Storage\", https://learn.microsoft.com/azure/storage/common/storage-private-endpoints; \"Virtual network service endpoints\", https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview): a private endpoint for the storage account's blob sub-resource in the virtual network, or a Microsoft.Storage service endpoint on the subnet.";
pub const PRIVATE_DNS: &str = "Azure (\"Azure Private Endpoint DNS configuration\", https://learn.microsoft.com/azure/private-link/private-endpoint-dns): a client reaches a storage account's private endpoint only when the account's name resolves to it, through the privatelink.blob.core.windows.net private DNS zone linked to its virtual network.";
pub const AKS_ZONES: &str = "Azure (\"Availability zones in AKS\", https://learn.microsoft.com/azure/aks/availability-zones): a node pool's availabilityZones places its nodes; without them the pool is in no zone.";
pub const VMSS_ZONES: &str = "Azure (\"Create a Virtual Machine Scale Set that uses Availability Zones\", https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-use-availability-zones): zones lists the zones the scale set spreads its instances over.";
pub const AUTOSCALE_RULES: &str = "Azure (\"Best practices for autoscale\", https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-best-practices): a scale set scales by rules, out when Percentage CPU goes above a threshold, in below another; its profile's minimum, maximum and default capacity bound it.";
pub const AUTOMATIC_REPAIRS: &str = "Azure (\"Automatic instance repairs for Azure Virtual Machine Scale Sets\", https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-instance-repairs): an instance failing its health probe is replaced only with automatic repairs on, and not before gracePeriod (PT10M to PT90M) after it changed state.";
pub const TERMINATE_NOTIFICATION: &str = "Azure (\"Terminate notification for Azure Virtual Machine Scale Set instances\", https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-terminate-notification): with terminateNotificationProfile enabled a scale set announces an instance's deletion as a scheduled event and waits notBeforeTimeout (5 to 15 minutes) before deleting it: Azure's termination hook.";
pub const CONNECTION_DRAINING: &str = "Azure (\"Application Gateway backend settings\", https://learn.microsoft.com/azure/application-gateway/configuration-http-settings#connection-draining): connection draining lets a backend removed from the pool finish its requests for drainTimeoutInSec (1 to 3600 s); it is off unless enabled.";
pub const MANAGEMENT_LOCKS: &str = "Azure (\"Lock your resources to protect your infrastructure\", https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources): a CanNotDelete or ReadOnly lock on a resource, or on its resource group or subscription (locks are inherited), stops its deletion.";
pub const APPGW_V1_RETIRED: &str = "Azure (\"Migrate your Application Gateways from V1 SKU to V2 SKU by April 28, 2026\", https://learn.microsoft.com/azure/application-gateway/v1-retirement; \"Frequently asked questions about Application Gateway V1 retirement\", https://learn.microsoft.com/azure/application-gateway/retirement-faq): the V1 SKU (tiers Standard and WAF) was deprecated on April 28, 2023 and retired on April 28, 2026: no support, no SLA, its data path blocked and its resources deleted; Standard_v2 or WAF_v2 is the Application Gateway to deploy.";
pub const FRONT_DOOR_CLASSIC_RETIRING: &str = "Azure (\"Migrate Azure Front Door (classic) to Standard or Premium tier\", https://learn.microsoft.com/azure/frontdoor/migrate-tier): Azure Front Door (classic) will be retired on March 31, 2027; its profiles are to be migrated to Azure Front Door Standard or Premium before then.";
pub const AGIC_PROBE: &str = "Azure (Application Gateway Ingress Controller, \"Annotations\", https://azure.github.io/application-gateway-kubernetes-ingress/annotations/): appgw.ingress.kubernetes.io/health-probe-path and health-probe-status-codes set the gateway's probe for the backend; without them AGIC takes the path from the pods' readiness probe (else their liveness probe, else /) and counts 200-399 healthy.";

const AGIC_PROBE_PATH: &str = "appgw.ingress.kubernetes.io/health-probe-path";
const AGIC_PROBE_CODES: &str = "appgw.ingress.kubernetes.io/health-probe-status-codes";

/// An Ingress the Application Gateway Ingress Controller serves: its class, or its annotations.
pub(crate) fn is_agic(i: &Ingress) -> bool {
    i.class.as_deref() == Some("azure-application-gateway")
        || i.annotations
            .keys()
            .any(|k| k.starts_with("appgw.ingress.kubernetes.io/"))
}

/// The probe AGIC gives the API's backend: the annotations, else the API's readiness (then
/// liveness) probe path, else `/`; and its status codes, else 200-399. Judged like a target
/// group's health check; whether any AGIC ingress of the API was judged.
pub(crate) fn judge_agic_probe(judge: &mut Judge, d: &Deployment) -> bool {
    let mut any = false;
    for ing in d.api_ingresses().into_iter().filter(|i| is_agic(i)) {
        any = true;
        let mut path = ing.annotation(AGIC_PROBE_PATH);
        if path.is_unset() {
            let probes = d
                .api_workloads()
                .filter(|w| w.namespace == ing.namespace)
                .flat_map(|w| api_containers(w))
                .flat_map(|c| [&c.readiness, &c.liveness]);
            path = probes
                .filter_map(|p| match &p.state {
                    State::Set(probe) => {
                        probe.http_path.clone().map(|h| Field::set(p.at.clone(), h))
                    }
                    _ => None,
                })
                .next()
                .unwrap_or_else(|| Field::set(path.at.clone(), "/".to_owned()));
        }
        let mut codes = ing.annotation(AGIC_PROBE_CODES);
        if codes.is_unset() {
            codes = Field::set(codes.at.clone(), "200-399".to_owned());
        }
        judge.value(
            AGIC_PROBE,
            &ing.subject,
            &path,
            None,
            &format!("{HEALTH_CHECK_PATH:?}"),
            |p| p == HEALTH_CHECK_PATH,
        );
        judge.value(
            guideline::HEALTH_CHECK,
            &ing.subject,
            &codes,
            None,
            &format!("codes including {HEALTHY_STATUS}"),
            |m| super::load_balancer::matcher_accepts(m, HEALTHY_STATUS),
        );
    }
    any
}
pub const GATEWAY_SUBNET: &str = "Azure (\"Application Gateway infrastructure configuration\", https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure): an Application Gateway needs a subnet of its own; clients reach it through its frontend public IP, whatever the subnet's outbound access.";

/// An internet-facing Application Gateway in an Azure subnet: clients reach it through its
/// public frontend, so its subnet's tier is not the question; the subnet must be its own (no
/// node pool or scale set in it). Whether it judged the placement.
pub(crate) fn judge_gateway_subnet(
    judge: &mut Judge,
    d: &Deployment,
    lb: &crate::view::LoadBalancer,
    subnet: &str,
    at: &crate::node::Loc,
) -> bool {
    let azure = d.subnet(subnet).is_some_and(|s| s.egress.is_some());
    if !azure
        || !matches!(
            lb.kind.value(),
            Some(
                crate::view::LbKind::ApplicationGateway | crate::view::LbKind::ApplicationGatewayV1
            )
        )
    {
        return false;
    }
    let name = subnet.rsplit('/').next().unwrap_or(subnet);
    let expected = "a subnet of its own, reached through its public frontend IP";
    let others = compute_in_subnet(d, subnet);
    if others.is_empty() {
        judge.ok(
            GATEWAY_SUBNET,
            &lb.subject,
            at,
            format!("{name}: its own, reached through its public frontend IP"),
            expected,
        );
    } else {
        let who: Vec<&str> = others.iter().map(|(w, _)| w.as_str()).collect();
        judge.error(
            GATEWAY_SUBNET,
            &lb.subject,
            at,
            format!("{name}: shared with {}", who.join(", ")),
            expected,
        );
    }
    true
}

/// The metric Azure autoscale reads a scale set's CPU from
/// (https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachinescalesets-metrics).
pub const CPU_METRIC: &str = "Percentage CPU";

/// The zones of the compute that runs in subnet `subnet`: (what it is, its zones, empty for
/// none), for each AKS node pool and scale set there.
pub(crate) fn compute_in_subnet(d: &Deployment, subnet: &str) -> Vec<(String, Vec<String>)> {
    let here = |ids: Option<&Vec<String>>| {
        ids.is_some_and(|ids| ids.iter().any(|s| s.eq_ignore_ascii_case(subnet)))
    };
    let mut out: Vec<(String, Vec<String>)> = d
        .node_groups
        .iter()
        .filter(|ng| here(ng.subnets.value()))
        .map(|ng| {
            (
                ng.subject.clone(),
                ng.zones.value().cloned().unwrap_or_default(),
            )
        })
        .collect();
    out.extend(
        d.groups
            .iter()
            .filter(|g| here(g.subnets.value()))
            .map(|g| (g.subject.clone(), g.zones.clone())),
    );
    out
}

/// Whether a group is an Azure scale set.
pub(crate) fn is_scale_set(g: &AutoScalingGroup) -> bool {
    g.kind == GroupKind::AzureScaleSet
}

/// A scale set: nothing replaces a starting instance without automatic repairs; with them,
/// not before their grace period.
pub(crate) fn judge_scale_set_grace(judge: &mut Judge, g: &AutoScalingGroup) {
    let want = HEALTH_CHECK_GRACE_PERIOD.as_secs();
    let expected = format!(">= {want}");
    if g.health_check_type.value().map(String::as_str) == Some("repairs") {
        judge.value(
            AUTOMATIC_REPAIRS,
            &g.subject,
            &g.health_check_grace,
            None,
            &expected,
            |n| *n >= want,
        );
    } else {
        judge.ok(
            AUTOMATIC_REPAIRS,
            &g.subject,
            &g.health_check_type.at,
            "automatic repairs off: nothing replaces an instance that is still starting",
            &expected,
        );
    }
}

pub const AGIC_DRAINING: &str = "Azure (Application Gateway Ingress Controller, \"Annotations\", https://learn.microsoft.com/azure/application-gateway/ingress-controller-annotations#connection-draining; \"Minimizing Downtime During Deployments\", https://azure.github.io/application-gateway-kubernetes-ingress/how-tos/minimize-downtime-during-deployments/): appgw.ingress.kubernetes.io/connection-draining \"true\" turns on the gateway's connection draining for the Ingress's backends, connection-draining-timeout seconds long (default 30); it is off by default. AGIC takes a terminating pod out of the backend pool while its preStop sleep runs; terminationGracePeriodSeconds must outlast the sleep.";

const AGIC_DRAINING_ON: &str = "appgw.ingress.kubernetes.io/connection-draining";
const AGIC_DRAINING_TIMEOUT: &str = "appgw.ingress.kubernetes.io/connection-draining-timeout";
/// AGIC's connection draining timeout when the annotation does not say.
const AGIC_DRAINING_DEFAULT: u64 = 30;

/// The connection draining AGIC gives an Ingress's backends, in seconds: 0 when off (the
/// annotation unset or "false"), the timeout annotation (else 30) when on.
pub(crate) fn agic_draining(ing: &Ingress) -> Field<u64> {
    let on = ing.annotation(AGIC_DRAINING_ON);
    let invalid = |at: crate::node::Loc, why: String| Field {
        at,
        state: State::Invalid(why),
    };
    match on.value().map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("false") => Field::set(on.at.clone(), 0),
        Some("true") => {
            let timeout = ing.annotation(AGIC_DRAINING_TIMEOUT);
            match timeout.value() {
                None => Field::set(on.at.clone(), AGIC_DRAINING_DEFAULT),
                Some(text) => match text.trim().parse::<u64>() {
                    Ok(n) => Field::set(timeout.at.clone(), n),
                    Err(_) => invalid(
                        timeout.at.clone(),
                        format!(
                            "{AGIC_DRAINING_TIMEOUT}: {text:?} is not a whole number of seconds"
                        ),
                    ),
                },
            }
        }
        Some(_) => invalid(
            on.at.clone(),
            format!(
                "{AGIC_DRAINING_ON}: {:?} is not \"true\" or \"false\"",
                on.value().cloned().unwrap_or_default()
            ),
        ),
    }
}

/// The API's AGIC Ingresses drain their backends: connection draining on, above 0 s. Whether
/// any was judged.
pub(crate) fn judge_agic_draining(judge: &mut Judge, d: &Deployment) -> bool {
    let expected = format!("{AGIC_DRAINING_ON}: \"true\" (a timeout above 0 s)");
    let mut any = false;
    for ing in d.api_ingresses().into_iter().filter(|i| is_agic(i)) {
        any = true;
        let drain = agic_draining(ing);
        match drain.value() {
            Some(0) => judge.error(
                AGIC_DRAINING,
                &ing.subject,
                &drain.at,
                "connection draining off (not set, or \"false\"): the gateway cuts the pod's in-flight requests when AGIC takes it out of the backend pool",
                &expected,
            ),
            Some(n) => judge.ok(
                AGIC_DRAINING,
                &ing.subject,
                &drain.at,
                format!("connection draining on, {n} s"),
                &expected,
            ),
            None => judge.unreadable(AGIC_DRAINING, &ing.subject, &drain),
        }
    }
    any
}

pub const AGC_LAYER7: &str = "Azure (\"What is Application Gateway for Containers?\", https://learn.microsoft.com/azure/application-gateway/for-containers/overview): a GatewayClass with controllerName alb.networking.azure.io/alb-controller (the ALB Controller's azure-alb-external) makes each Gateway a frontend of an Application Gateway for Containers, Azure's application (layer 7) load balancer for AKS, outside the cluster.";
pub const AGC_PROBE: &str = "Azure (\"Custom health probe for Application Gateway for Containers\", https://learn.microsoft.com/azure/application-gateway/for-containers/custom-health-probe): the gateway probes a backend Service's pods as the HealthCheckPolicy (alb.networking.azure.io/v1) targeting that Service says (spec.default.http.path, match.statusCodes); without one, as the pods' readiness probe; without that, GET /.";

/// The API's route on an Application Gateway for Containers: its HTTP routing is the
/// gateway's, layer 7.
pub(crate) fn judge_agc_route(
    judge: &mut Judge,
    subject: &str,
    gw: &crate::view::Gateway,
    route: &crate::view::Route,
    expected: &str,
) {
    let class = gw.class.value().cloned().unwrap_or_default();
    let actual = format!(
        "class {class} (controllerName alb.networking.azure.io/alb-controller): an Application Gateway for Containers {} the {}",
        if route.is_http() {
            "routes HTTP to the API: layer 7, for"
        } else {
            "passes connections through: layer 4, for"
        },
        route.kind
    );
    if route.is_http() {
        judge.ok(AGC_LAYER7, subject, &gw.class.at, actual, expected);
    } else {
        judge.error(AGC_LAYER7, subject, &route.at, actual, expected);
    }
}

/// The probe an Application Gateway for Containers sends to the pods of each of the route's
/// Services: the HealthCheckPolicy targeting it, else the API pods' readiness probe, else `/`.
pub(crate) fn judge_agc_probe(
    judge: &mut Judge,
    d: &Deployment,
    route: &crate::view::Route,
    gw: &crate::view::Gateway,
) {
    for b in &route.backends {
        let subject = format!(
            "the backend Service {}/{} ({} on {})",
            b.namespace, b.name, route.subject, gw.subject
        );
        judge_agc_service_probe(judge, d, &subject, (&b.namespace, &b.name), &b.at);
    }
}

/// What an Ingress of an Azure controller makes, for the load balancer check: AGIC programs an
/// Application Gateway, the ALB Controller an Application Gateway for Containers; None for
/// another class.
pub(crate) fn ingress_balancer(d: &Deployment, ing: &Ingress) -> Option<&'static str> {
    if is_agic(ing) {
        Some(
            "an Ingress of the Application Gateway Ingress Controller: it programs an Application Gateway (layer 7)",
        )
    } else if is_agc_ingress(d, ing) {
        Some(
            "an Ingress of Application Gateway for Containers (class azure-alb-external): Azure's layer-7 load balancer, outside the cluster",
        )
    } else {
        None
    }
}

/// Whether an Ingress is Application Gateway for Containers' (class `azure-alb-external`, or a
/// class whose IngressClass names the ALB Controller).
fn is_agc_ingress(d: &Deployment, ing: &Ingress) -> bool {
    let class = ing.class.as_deref().unwrap_or_default();
    class == AGC_INGRESS_CLASS
        || d.ingress_classes.iter().any(|c| {
            c.name == class
                && c.controller
                    .as_deref()
                    .is_some_and(|n| n.starts_with("alb.networking.azure.io/"))
        })
}

/// The Ingress class of Application Gateway for Containers' ALB Controller
/// ("Quickstart: Create Application Gateway for Containers managed by ALB Controller").
const AGC_INGRESS_CLASS: &str = "azure-alb-external";

/// The API's Ingresses of Application Gateway for Containers (class `azure-alb-external`, or a
/// class whose IngressClass names the ALB Controller): the probe of each backend Service, as for
/// a route. Whether any was judged.
pub(crate) fn judge_agc_ingress_probe(judge: &mut Judge, d: &Deployment) -> bool {
    let mut any = false;
    for ing in d.api_ingresses() {
        if !is_agc_ingress(d, ing) {
            continue;
        }
        any = true;
        for service in &ing.backends {
            let subject = format!(
                "the backend Service {}/{service} ({})",
                ing.namespace, ing.subject
            );
            judge_agc_service_probe(judge, d, &subject, (&ing.namespace, service), &ing.at);
        }
    }
    any
}

/// The probe Application Gateway for Containers sends to the pods of Service `service`
/// (namespace, name): its HealthCheckPolicy, else the API pods' readiness probe, else `/`.
fn judge_agc_service_probe(
    judge: &mut Judge,
    d: &Deployment,
    subject: &str,
    service: (&str, &str),
    at: &crate::node::Loc,
) {
    let path_expected = format!("{HEALTH_CHECK_PATH:?}");
    let code_expected = format!("codes including {HEALTHY_STATUS}");
    let policy = d.agc_health_policies.iter().find(|p| {
        let (kind, ns, name) = &p.target;
        kind == "Service" && ns == service.0 && name == service.1
    });
    let (path, codes, from) = match policy {
        Some(p) => (p.path.clone(), p.codes.clone(), p.subject.clone()),
        None => {
            let readiness = d
                .api_workloads()
                .filter(|w| w.namespace == service.0)
                .flat_map(|w| api_containers(w))
                .find_map(|c| match &c.readiness.state {
                    State::Set(p) => p
                        .http_path
                        .clone()
                        .map(|h| Field::set(c.readiness.at.clone(), h)),
                    _ => None,
                });
            match readiness {
                // A readiness probe counts 200-399 as ready (Kubernetes' httpGet).
                Some(path) => (
                    path.clone(),
                    Field::set(path.at.clone(), "200-399".to_owned()),
                    "the pods' readiness probe (no HealthCheckPolicy targets the Service)"
                        .to_owned(),
                ),
                None => (
                    Field::set(at.clone(), "/".to_owned()),
                    Field::set(at.clone(), "200-399".to_owned()),
                    "the default probe (no HealthCheckPolicy, no readiness probe)".to_owned(),
                ),
            }
        }
    };
    let subject = format!("{subject} from {from}");
    judge.value(AGC_PROBE, &subject, &path, None, &path_expected, |p| {
        p == HEALTH_CHECK_PATH
    });
    if codes.is_unset() {
        judge.warn(
            AGC_PROBE,
            &subject,
            &codes.at,
            "match.statusCodes not set: which codes the probe counts healthy is not documented",
            &code_expected,
        );
    } else {
        judge.value(
            guideline::HEALTH_CHECK,
            &subject,
            &codes,
            None,
            &code_expected,
            |m| super::load_balancer::matcher_accepts(m, HEALTHY_STATUS),
        );
    }
}

pub const FRONT_DOOR_GLOBAL: &str = "Azure (\"Reliability in Azure Front Door\", https://learn.microsoft.com/azure/reliability/reliability-front-door): Front Door is a global service served from Microsoft's edge locations, resilient to zone and region outages by design; its endpoints are in no subnet and no zone of the deployment's.";

pub const AGC_PLACED_BY_AZURE: &str = "Azure (\"Application Gateway for Containers components\", https://learn.microsoft.com/azure/application-gateway/for-containers/application-gateway-for-containers-components): a frontend is the entry point of client traffic, a unique Azure-managed FQDN (private IP addresses are not supported), reaching the VNet through an association, a subnet delegated to it; (\"Reliability in Azure Application Gateway for Containers\", https://learn.microsoft.com/azure/reliability/reliability-app-gateway-containers): it is always deployed highly available, zone redundant in regions with availability zones. Its frontends are in no subnet and no zone of the deployment's.";

/// An Azure load balancer placed by Azure itself (a Front Door endpoint, global; a frontend of
/// an Application Gateway for Containers, zone redundant), in no subnet and no zone of the
/// deployment's: what it is and the source to cite; None for one the deployment places.
pub(crate) fn placed_by_azure(
    lb: &crate::view::LoadBalancer,
) -> Option<(&'static str, &'static str)> {
    match lb.kind.value() {
        Some(crate::view::LbKind::FrontDoor | crate::view::LbKind::FrontDoorClassic) => {
            Some(("global, served from Microsoft's edge", FRONT_DOOR_GLOBAL))
        }
        Some(crate::view::LbKind::ApplicationGatewayForContainers) => Some((
            "an Azure-managed frontend, placed across zones by Azure",
            AGC_PLACED_BY_AZURE,
        )),
        _ => None,
    }
}
