//! The Gateway API's side of "Load balancer configuration": the implementation behind the
//! API's route (its GatewayClass's `controllerName`), deletion protection and the health check
//! as the AWS Load Balancer Controller merges its LoadBalancerConfiguration and
//! TargetGroupConfiguration resources (`view::gateway_resolve`), and the deregistration delay
//! the stop sequence reports. Other implementations are judged on what the Gateway API itself
//! says (the route's kind); what they configure outside it is "not checked".

use netconform_model::guide::HEALTH_CHECK_PATH;

use super::super::{Judge, defaults, guideline};
use crate::node::{Field, State};
use crate::view::{Backend, Deployment, Gateway, GatewayImpl, Route};

/// The controller's key for deletion protection in `loadBalancerAttributes` (ELB's attribute).
const DELETION_PROTECTION: &str = "deletion_protection.enabled";
/// The target group attribute of the deregistration delay.
pub(crate) const DEREGISTRATION: &str = "deregistration_delay.timeout_seconds";
const AWS_DOCS: &str = "AWS Load Balancer Controller (docs/guide/gateway/l7gateway.md, l4gateway.md): a GatewayClass with controllerName gateway.k8s.aws/alb makes an ALB per Gateway, gateway.k8s.aws/nlb an NLB.";

/// "Gateway pulumi/pulumi (HTTPRoute pulumi/pulumi-api)".
fn subject(route: &Route, gw: &Gateway) -> String {
    format!("{} ({})", gw.subject, route.subject)
}

/// Says that a Gateway's class is not in the inputs.
fn class_missing(judge: &mut Judge, gw: &Gateway) {
    judge.missing(format!(
        "the GatewayClass {} of {} (`kubectl get gatewayclass -o json`): its controllerName tells which load balancer it makes",
        gw.class.value().map_or("(unset)", String::as_str),
        gw.subject
    ));
}

/// The load balancer in front of the API through the Gateway API: an ALB gateway passes, an
/// NLB gateway fails; another implementation passes an HTTPRoute or GRPCRoute (HTTP routing,
/// layer 7) and fails a TLSRoute or TCPRoute (passed through, layer 4). Returns whether a
/// route of the API was found.
pub(super) fn judge_application_load_balancer(
    judge: &mut Judge,
    d: &Deployment,
    expected: &str,
) -> bool {
    let g = guideline::APPLICATION_LOAD_BALANCER;
    let routes = d.api_routes();
    for route in &routes {
        if d.gateways_of(route).is_empty() {
            judge.missing(format!(
                "the Gateway {} that {} attaches to (`kubectl get gateway -A -o json`)",
                route
                    .parents
                    .iter()
                    .map(|(ns, n)| format!("{ns}/{n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                route.subject
            ));
        }
    }
    for (route, gw) in d.api_gateways() {
        let subject = subject(route, gw);
        let class = gw.class.value().cloned().unwrap_or_default();
        match d.implementation_of(gw) {
            None => class_missing(judge, gw),
            Some(GatewayImpl::AwsAlb) => judge.ok(
                AWS_DOCS,
                &subject,
                &gw.class.at,
                format!(
                    "class {class} (controllerName gateway.k8s.aws/alb): the AWS Load Balancer Controller makes an Application Load Balancer of it"
                ),
                expected,
            ),
            Some(GatewayImpl::Gke) => {
                super::gke_gateway::judge_class(judge, route, gw, &subject, expected);
            }
            Some(GatewayImpl::AwsNlb) => judge.error(
                AWS_DOCS,
                &subject,
                &gw.class.at,
                format!(
                    "class {class} (controllerName gateway.k8s.aws/nlb): the AWS Load Balancer Controller makes a Network Load Balancer of it (layer 4): no HTTP health checks per request, no host routing"
                ),
                expected,
            ),
            Some(GatewayImpl::AzureAgc) => {
                super::super::azure::judge_agc_route(judge, &subject, gw, route, expected);
            }
            Some(other) if route.is_http() => judge.ok(
                g,
                &subject,
                &route.at,
                format!("a {} on {other}: HTTP routing, layer 7", route.kind),
                expected,
            ),
            Some(other) => judge.error(
                g,
                &subject,
                &route.at,
                format!(
                    "a {} on {other}: the connection is passed through by {}, layer 4",
                    route.kind,
                    if route.kind == "TLSRoute" { "SNI" } else { "port" }
                ),
                expected,
            ),
        }
    }
    !routes.is_empty()
}

/// Deletion protection on the load balancer of every Gateway the AWS Load Balancer Controller
/// runs, as its LoadBalancerConfigurations merge. Returns whether one was judged.
pub(super) fn judge_deletion_protection(judge: &mut Judge, d: &Deployment) -> bool {
    let g = guideline::DELETION_PROTECTION;
    let expected = format!(
        "{DELETION_PROTECTION}=true in the loadBalancerAttributes of its LoadBalancerConfiguration"
    );
    let mut any = false;
    for gw in &d.gateways {
        match d.implementation_of(gw) {
            Some(i) if i.is_aws() => {}
            Some(_) => continue,
            None => {
                if d.api_gateways()
                    .iter()
                    .any(|(_, api)| std::ptr::eq(*api, gw))
                {
                    class_missing(judge, gw);
                }
                continue;
            }
        }
        any = true;
        let Some(resolved) = d.lb_attribute(gw, DELETION_PROTECTION) else {
            judge.error(
                g,
                &gw.subject,
                &d.lb_attributes_at(gw),
                "not set (the controller creates the load balancer without deletion protection)",
                &expected,
            );
            continue;
        };
        let field = &resolved.attribute.value;
        match field.value() {
            Some(v) if v.eq_ignore_ascii_case("true") => judge.ok(
                g,
                &gw.subject,
                &field.at,
                format!("{DELETION_PROTECTION}=true (from {})", resolved.from),
                &expected,
            ),
            Some(v) => judge.error(
                g,
                &gw.subject,
                &field.at,
                format!("{DELETION_PROTECTION}={v} (from {})", resolved.from),
                &expected,
            ),
            None => judge.unreadable(g, &gw.subject, field),
        }
    }
    any
}

/// The health check of the API's target groups behind an AWS Load Balancer Controller
/// Gateway: path /api/status and a matcher that accepts 200 (`healthCheckConfig` as the
/// controller resolves it; unset, the AWS defaults). Another implementation's health check is
/// its own: not checked. Returns whether a route of the API was found on a Gateway.
pub(super) fn judge_health_check(
    judge: &mut Judge,
    d: &Deployment,
    path_expected: &str,
    code_expected: &str,
    accepts: impl Fn(&String) -> bool,
) -> bool {
    let g = guideline::HEALTH_CHECK;
    let pairs = d.api_gateways();
    for (route, gw) in &pairs {
        let alb = match d.implementation_of(gw) {
            Some(GatewayImpl::AwsAlb) => true,
            Some(GatewayImpl::AwsNlb) => false,
            Some(GatewayImpl::Gke) => {
                super::gke_gateway::judge_health(judge, d, route, gw, path_expected);
                continue;
            }
            Some(GatewayImpl::AzureAgc) => {
                super::super::azure::judge_agc_probe(judge, d, route, gw);
                continue;
            }
            Some(other) => {
                judge.missing(format!(
                    "the health check of {} ({other}): the Gateway API has no health check field; export the implementation's own policy (the API pods' readinessProbe is checked apart)",
                    gw.subject
                ));
                continue;
            }
            None => {
                class_missing(judge, gw);
                continue;
            }
        };
        for b in &route.backends {
            let layers = d.tg_layers(b, route, gw);
            let (health, from) = match layers.health() {
                Some((h, from)) => (
                    (h.path.clone(), h.http_code.clone()),
                    format!(" from {from}"),
                ),
                None => {
                    let at = layers.at.key("healthCheckConfig");
                    ((Field::unset(at.clone()), Field::unset(at)), String::new())
                }
            };
            let subject = format!("{}{from}", backend_subject(b, route, gw));
            // An ALB's HTTP target group checks `/` for 200 unless told; an NLB's checks TCP.
            let default = |v: &str| alb.then(|| (v.to_owned(), "AWS"));
            judge.value(
                g,
                &subject,
                &health.0,
                default(defaults::HEALTH_CHECK_PATH),
                path_expected,
                |p| p == HEALTH_CHECK_PATH,
            );
            judge.value(
                g,
                &subject,
                &health.1,
                default(defaults::HEALTH_CHECK_MATCHER),
                code_expected,
                &accepts,
            );
        }
    }
    !pairs.is_empty()
}

/// "the target group of Service pulumi/pulumi-api-service (HTTPRoute pulumi/pulumi-api on
/// Gateway pulumi/pulumi)".
pub(super) fn backend_subject(b: &Backend, route: &Route, gw: &Gateway) -> String {
    format!(
        "the target group of Service {}/{} ({} on {})",
        b.namespace, b.name, route.subject, gw.subject
    )
}

/// The deregistration delay of the API's target group behind an AWS Load Balancer Controller
/// Gateway in `namespace`, as the controller resolves its TargetGroupConfigurations: the
/// subject, and the value (unset: the AWS default applies). None without such a Gateway.
pub(crate) fn api_deregistration_delay(
    d: &Deployment,
    namespace: &str,
) -> Option<(String, Field<u64>)> {
    for (route, gw) in d.api_gateways() {
        if !d.implementation_of(gw).is_some_and(|i| i.is_aws()) {
            continue;
        }
        let Some(b) = route.backends.iter().find(|b| b.namespace == namespace) else {
            continue;
        };
        let layers = d.tg_layers(b, route, gw);
        let subject = backend_subject(b, route, gw);
        let Some(resolved) = layers.attribute(DEREGISTRATION) else {
            return Some((
                subject,
                Field::unset(layers.at.key("targetGroupAttributes")),
            ));
        };
        let field = &resolved.attribute.value;
        let at = field.at.clone();
        let value = match &field.state {
            State::Set(text) => match text.trim().parse::<u64>() {
                Ok(n) => Field::set(at, n),
                Err(_) => Field {
                    at,
                    state: State::Invalid(format!("{DEREGISTRATION}={text} is not a whole number")),
                },
            },
            State::Unset => Field::unset(at),
            State::Secret => Field {
                at,
                state: State::Secret,
            },
            State::Invalid(why) => Field {
                at,
                state: State::Invalid(why.clone()),
            },
        };
        return Some((format!("{subject} from {}", resolved.from), value));
    }
    None
}
