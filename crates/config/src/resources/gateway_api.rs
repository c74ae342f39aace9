//! Gateway API objects (`gateway.networking.k8s.io`: GatewayClass, Gateway, HTTPRoute,
//! GRPCRoute, TLSRoute, TCPRoute) and the AWS Load Balancer Controller's (`gateway.k8s.aws`:
//! LoadBalancerConfiguration, TargetGroupConfiguration, ListenerRuleConfiguration), from
//! manifests, `kubectl get -o json` Lists and a stack export's `kubernetes:*` resources (which
//! [`super::kubernetes`] hands here). Field names as the Gateway API's CRDs (v1) and the
//! controller's CRDs (`config/crd/gateway/gateway-crds.yaml`) spell them.

use crate::node::{Field, Node};
use crate::view::{
    AWS_GROUP, Attribute, Backend, Deployment, GATEWAY_GROUP, Gateway, GatewayClass, LbConfig,
    Listener, ListenerRuleConfig, ParamsRef, Route, RouteTgProps, TgConfig, TgHealth, TgProps,
};

/// The kinds read here, by API group.
pub(crate) const KINDS: [(&str, &str); 9] = [
    (GATEWAY_GROUP, "GatewayClass"),
    (GATEWAY_GROUP, "Gateway"),
    (GATEWAY_GROUP, "HTTPRoute"),
    (GATEWAY_GROUP, "GRPCRoute"),
    (GATEWAY_GROUP, "TLSRoute"),
    (GATEWAY_GROUP, "TCPRoute"),
    (AWS_GROUP, "LoadBalancerConfiguration"),
    (AWS_GROUP, "TargetGroupConfiguration"),
    (AWS_GROUP, "ListenerRuleConfiguration"),
];

/// Whether `kind` of `api_version` (`gateway.networking.k8s.io/v1`) is read here. An Istio
/// `networking.istio.io` Gateway is another kind of thing and is not.
pub(crate) fn is_read(api_version: &str, kind: &str) -> bool {
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    KINDS.iter().any(|(g, k)| *g == group && *k == kind)
}

/// Reads one object of a kind [`is_read`] accepts into `view`.
pub(crate) fn read(obj: &Node<'_>, kind: &str, view: &mut Deployment) {
    let (ns, name) = (
        super::kubernetes::namespace(obj),
        super::kubernetes::name(obj),
    );
    let subject = format!("{kind} {ns}/{name}");
    let spec = obj.get("spec");
    match kind {
        "GatewayClass" => view.gateway_classes.push(GatewayClass {
            subject: format!("GatewayClass {name}"),
            name,
            at: obj.at.clone(),
            controller: spec.get("controllerName").text(),
            params: params_ref(&spec.get("parametersRef")),
        }),
        "Gateway" => view.gateways.push(Gateway {
            subject,
            namespace: ns,
            name,
            at: obj.at.clone(),
            class: spec.get("gatewayClassName").text(),
            params: params_ref(&spec.path("infrastructure.parametersRef")),
            listeners: spec.get("listeners").items().iter().map(listener).collect(),
            addresses: obj
                .path("status.addresses")
                .items()
                .iter()
                .filter_map(|a| a.get("value").opt_text())
                .collect(),
        }),
        "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute" => {
            view.routes.push(route(obj, kind, ns, name, subject));
        }
        "LoadBalancerConfiguration" => view.lb_configs.push(LbConfig {
            subject,
            namespace: ns,
            name,
            at: obj.at.clone(),
            scheme: spec.get("scheme").text(),
            subnets: subnet_identifiers(&spec.get("loadBalancerSubnets")),
            merging_mode: spec.get("mergingMode").text(),
            attributes: attributes(&spec.get("loadBalancerAttributes")),
            attributes_at: spec.get("loadBalancerAttributes").at.clone(),
            default_tg_config: spec.path("defaultTargetGroupConfiguration.name").opt_text(),
        }),
        "TargetGroupConfiguration" => {
            let target = spec.get("targetReference");
            view.tg_configs.push(TgConfig {
                subject,
                namespace: ns,
                name,
                at: obj.at.clone(),
                target: target.get("name").opt_text().map(|n| {
                    let kind = target.get("kind").opt_text();
                    (kind.unwrap_or_else(|| "Service".to_owned()), n)
                }),
                default: props(&spec.get("defaultConfiguration")),
                routes: spec
                    .get("routeConfigurations")
                    .items()
                    .iter()
                    .map(|rc| {
                        let id = rc.get("routeIdentifier");
                        RouteTgProps {
                            kind: id.get("kind").opt_text().unwrap_or_default(),
                            namespace: id.get("namespace").opt_text(),
                            name: id.get("name").opt_text(),
                            props: props(&rc.get("targetGroupProps")),
                        }
                    })
                    .collect(),
            });
        }
        "ListenerRuleConfiguration" => view.listener_rule_configs.push(ListenerRuleConfig {
            subject,
            namespace: ns,
            name,
            at: obj.at.clone(),
            actions: spec
                .get("actions")
                .items()
                .iter()
                .filter_map(|a| a.get("type").opt_text())
                .collect(),
        }),
        _ => {}
    }
}

/// `loadBalancerSubnets`: each entry's `identifier` (a subnet ID or name).
fn subnet_identifiers(list: &Node<'_>) -> Field<Vec<String>> {
    if !list.exists() {
        return Field::unset(list.at.clone());
    }
    let ids = list
        .items()
        .iter()
        .filter_map(|s| s.get("identifier").opt_text())
        .collect();
    Field::set(list.at.clone(), ids)
}

fn params_ref(node: &Node<'_>) -> Option<ParamsRef> {
    let name = node.get("name").opt_text()?;
    Some(ParamsRef {
        group: node.get("group").opt_text().unwrap_or_default(),
        kind: node.get("kind").opt_text().unwrap_or_default(),
        name,
        namespace: node.get("namespace").opt_text(),
        at: node.at.clone(),
    })
}

fn listener(l: &Node<'_>) -> Listener {
    Listener {
        name: l.get("name").opt_text().unwrap_or_default(),
        protocol: l.get("protocol").opt_text().unwrap_or_default(),
        port: l.get("port").count().value().copied(),
        hostname: l.get("hostname").opt_text(),
        at: l.at.clone(),
    }
}

fn route(obj: &Node<'_>, kind: &str, ns: String, name: String, subject: String) -> Route {
    let spec = obj.get("spec");
    let in_ns = |n: &Node<'_>| n.get("namespace").opt_text().unwrap_or_else(|| ns.clone());
    let parents = spec
        .get("parentRefs")
        .items()
        .iter()
        .filter(|p| {
            p.get("kind").opt_text().is_none_or(|k| k == "Gateway")
                && p.get("group").opt_text().is_none_or(|g| g == GATEWAY_GROUP)
        })
        .filter_map(|p| Some((in_ns(p), p.get("name").opt_text()?)))
        .collect();
    let mut backends = Vec::new();
    for rule in spec.get("rules").items() {
        for b in rule.get("backendRefs").items() {
            let service = b.get("kind").opt_text().is_none_or(|k| k == "Service")
                && b.get("group").opt_text().is_none_or(|g| g.is_empty());
            if let (true, Some(name)) = (service, b.get("name").opt_text()) {
                backends.push(Backend {
                    namespace: in_ns(&b),
                    name,
                    at: b.at.clone(),
                });
            }
        }
    }
    Route {
        subject,
        kind: kind.to_owned(),
        namespace: ns,
        name,
        at: obj.at.clone(),
        parents,
        hostnames: spec.get("hostnames").text_list(),
        backends,
    }
}

fn attributes(list: &Node<'_>) -> Vec<Attribute> {
    list.items()
        .iter()
        .filter_map(|a| {
            Some(Attribute {
                key: a.get("key").opt_text()?,
                value: a.get("value").text(),
            })
        })
        .collect()
}

fn props(node: &Node<'_>) -> TgProps {
    let health = node.get("healthCheckConfig");
    TgProps {
        at: node.at.clone(),
        target_type: node.get("targetType").text(),
        health: health.exists().then(|| TgHealth {
            at: health.at.clone(),
            path: health.get("healthCheckPath").text(),
            http_code: health.path("matcher.httpCode").text(),
        }),
        attributes: attributes(&node.get("targetGroupAttributes")),
    }
}

/// A value as a field, for tests of the readers.
#[cfg(test)]
fn shown(f: &crate::node::Field<String>) -> Option<&str> {
    f.value().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Loc;

    fn read_yaml(text: &str) -> Deployment {
        let mut view = Deployment::default();
        let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(text).unwrap();
        let file: std::sync::Arc<str> = std::sync::Arc::from("t.yaml");
        for doc in &docs {
            super::super::kubernetes::read(&Node::new(doc, Loc::new(&file, "")), &mut view)
                .unwrap();
        }
        view
    }

    #[test]
    fn an_istio_gateway_is_not_a_gateway_api_one() {
        assert!(is_read("gateway.networking.k8s.io/v1", "Gateway"));
        assert!(is_read("gateway.networking.k8s.io/v1beta1", "HTTPRoute"));
        assert!(!is_read("networking.istio.io/v1", "Gateway"));
        assert!(is_read(
            "gateway.k8s.aws/v1beta1",
            "TargetGroupConfiguration"
        ));
    }

    #[test]
    fn routes_keep_their_parents_hostnames_and_services() {
        let d = read_yaml(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: ns}\nspec:\n  parentRefs: [{name: gw, namespace: infra}, {kind: Service, name: mesh}]\n  hostnames: [api.example.com]\n  rules:\n    - backendRefs: [{name: api, port: 80}, {group: example.com, kind: Bucket, name: b}]\n",
        );
        let r = &d.routes[0];
        assert_eq!(r.parents, vec![("infra".to_owned(), "gw".to_owned())]);
        assert_eq!(r.hostnames, vec!["api.example.com"]);
        assert_eq!(r.backends.len(), 1);
        assert_eq!(
            (
                r.backends[0].namespace.as_str(),
                r.backends[0].name.as_str()
            ),
            ("ns", "api")
        );
        assert_eq!(r.backends[0].at.path, "spec.rules[0].backendRefs[0]");
    }

    #[test]
    fn target_group_configurations_keep_defaults_and_route_props() {
        let d = read_yaml(
            "apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata: {name: t, namespace: ns}\nspec:\n  targetReference: {name: api}\n  defaultConfiguration:\n    healthCheckConfig: {healthCheckPath: /api/status, matcher: {httpCode: '200'}}\n    targetGroupAttributes: [{key: deregistration_delay.timeout_seconds, value: '10'}]\n  routeConfigurations:\n    - routeIdentifier: {kind: HTTPRoute, namespace: ns}\n      targetGroupProps: {targetType: ip}\n",
        );
        let t = &d.tg_configs[0];
        assert_eq!(t.target, Some(("Service".to_owned(), "api".to_owned())));
        let health = t.default.health.as_ref().unwrap();
        assert_eq!(shown(&health.path), Some("/api/status"));
        assert_eq!(shown(&health.http_code), Some("200"));
        assert_eq!(
            t.default.attributes[0].key,
            "deregistration_delay.timeout_seconds"
        );
        assert_eq!(t.routes[0].namespace.as_deref(), Some("ns"));
        assert_eq!(shown(&t.routes[0].props.target_type), Some("ip"));
    }
}
