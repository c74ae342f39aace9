//! The Gateway API's objects collection needs beyond the API's namespace: the HTTPRoutes that
//! tell the namespace (hostname `api.{domain}`), and, once the namespace's routes are read, the
//! Gateways they attach to in other namespaces (a shared Gateway in `gateway-system` is the
//! common layout), their GatewayClasses (cluster-scoped) and the AWS Load Balancer
//! Controller's LoadBalancerConfigurations a class or a Gateway names, with the default
//! TargetGroupConfigurations those name (AWS Load Balancer Controller,
//! docs/guide/gateway/customization.md: a GatewayClass's LoadBalancerConfiguration lives in
//! the namespace its `parametersRef` names). Each is listed once at the cluster scope and only
//! the objects the API's routes lead to are kept. A cluster without the CRDs has none: no gap.

use std::time::Instant;

use serde_json::Value;

use super::{Kubectl, no_such_kind, record};
use crate::CollectError;
use crate::aws::plain;
use crate::command::CallError;
use crate::manifest::Manifest;
use netconform_model::inputs::{Denied, DeniedCalls, Input};

/// Whether a kind (resource.group) is the Gateway API's or the AWS Load Balancer
/// Controller's gateway kinds: a cluster without their CRDs has none.
pub(super) fn is_gateway_kind(kind: &str) -> bool {
    kind.ends_with(".gateway.networking.k8s.io") || kind.ends_with(".gateway.k8s.aws")
}

/// The HTTPRoutes listed at the cluster scope to find the API's namespace.
pub(super) const ROUTES: &str = "httproutes.gateway.networking.k8s.io";

/// The kinds listed at the cluster scope for what the namespace's routes lead to.
pub(super) const AROUND: [&str; 4] = [
    "gatewayclasses.gateway.networking.k8s.io",
    "gateways.gateway.networking.k8s.io",
    "loadbalancerconfigurations.gateway.k8s.aws",
    "targetgroupconfigurations.gateway.k8s.aws",
];

/// The namespaces of the HTTPRoutes whose `spec.hostnames` has `host`, in the order listed.
pub(super) fn namespaces_routing(routes: &Value, host: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for route in routes["items"].as_array().into_iter().flatten() {
        let serves = route["spec"]["hostnames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|h| plain(h) == host);
        let ns = namespace(route).to_owned();
        if serves && !found.contains(&ns) {
            found.push(ns);
        }
    }
    found
}

fn namespace(obj: &Value) -> &str {
    obj["metadata"]["namespace"].as_str().unwrap_or("default")
}

fn name(obj: &Value) -> &str {
    obj["metadata"]["name"].as_str().unwrap_or_default()
}

fn is(obj: &Value, kind: &str) -> bool {
    obj["kind"].as_str() == Some(kind)
}

/// An object's `(kind, namespace, name)`, to keep each once.
fn key(obj: &Value) -> (String, String, String) {
    (
        obj["kind"].as_str().unwrap_or_default().to_owned(),
        namespace(obj).to_owned(),
        name(obj).to_owned(),
    )
}

/// What the API's routes lead to outside its namespace: the objects to add, and the kinds
/// denied.
pub(super) struct Around {
    pub(super) items: Vec<Value>,
    pub(super) denied: DeniedCalls,
}

/// Lists [`AROUND`] at the cluster scope when `items` (the namespace's objects) hold a
/// Gateway API route or Gateway, and keeps what they lead to.
pub(super) async fn read_around(
    kubectl: &Kubectl,
    manifest: &mut Manifest,
    items: &[Value],
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Around, CollectError> {
    let mut around = Around {
        items: Vec::new(),
        denied: DeniedCalls::default(),
    };
    let routes = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "Gateway"];
    if !items.iter().any(|o| routes.iter().any(|k| is(o, k))) {
        return Ok(around);
    }
    let answers = futures::future::join_all(AROUND.iter().map(|kind| {
        let args = vec![(*kind).to_owned(), "--all-namespaces".to_owned()];
        async move {
            let started = Instant::now();
            let answer = kubectl.get(&args).await;
            (args, answer, started.elapsed())
        }
    }))
    .await;
    let mut listed: Vec<Value> = Vec::new();
    for (kind, (args, answer, elapsed)) in AROUND.iter().zip(answers) {
        let (_, answer) = record(
            manifest,
            &args,
            format!("list {kind} at the cluster scope"),
            format!("the {kind} the API's routes lead to"),
            &answer,
            elapsed,
            on_line,
        );
        match answer {
            Ok(list) => listed.extend(list["items"].as_array().into_iter().flatten().cloned()),
            Err(CallError::Denied { action, .. }) => around.denied.record(Denied {
                feeds: Input::Kubernetes,
                action,
                command: format!("kubectl get {kind} --all-namespaces -o json"),
            }),
            Err(e) if no_such_kind(&e) => {}
            Err(e @ CallError::Missing { .. }) => return Err(CollectError::Cli(e)),
            Err(e) => {
                return Err(CollectError::Discovery(format!(
                    "read the {kind} the API's routes lead to: {e}"
                )));
            }
        }
    }
    around.items = led_to(items, &listed);
    Ok(around)
}

/// The objects of `listed` that `items` lead to and lack: the Gateways their routes attach to,
/// the GatewayClasses of every Gateway, the LoadBalancerConfigurations those name and the
/// default TargetGroupConfigurations of these.
fn led_to(items: &[Value], listed: &[Value]) -> Vec<Value> {
    let have: Vec<_> = items.iter().map(key).collect();
    let mut kept: Vec<Value> = Vec::new();
    let keep = |obj: &Value, kept: &mut Vec<Value>| {
        let k = key(obj);
        if !have.contains(&k) && !kept.iter().any(|o| key(o) == k) {
            kept.push(obj.clone());
        }
    };
    let find = |kind: &str, ns: Option<&str>, n: &str| -> Option<&Value> {
        listed
            .iter()
            .find(|o| is(o, kind) && name(o) == n && ns.is_none_or(|ns| namespace(o) == ns))
    };
    let mut gateways: Vec<Value> = items.iter().filter(|o| is(o, "Gateway")).cloned().collect();
    for route in items.iter().filter(|o| o["spec"]["parentRefs"].is_array()) {
        for parent in route["spec"]["parentRefs"].as_array().into_iter().flatten() {
            if parent["kind"].as_str().is_some_and(|k| k != "Gateway") {
                continue;
            }
            let ns = parent["namespace"].as_str().unwrap_or(namespace(route));
            if let Some(gw) = parent["name"]
                .as_str()
                .and_then(|n| find("Gateway", Some(ns), n))
            {
                keep(gw, &mut kept);
                gateways.push(gw.clone());
            }
        }
    }
    let mut configs: Vec<(String, String)> = Vec::new();
    for gw in &gateways {
        let class = gw["spec"]["gatewayClassName"]
            .as_str()
            .and_then(|n| find("GatewayClass", None, n));
        if let Some(class) = class {
            keep(class, &mut kept);
            let p = &class["spec"]["parametersRef"];
            if p["kind"] == "LoadBalancerConfiguration" {
                let ns = p["namespace"].as_str().unwrap_or("default");
                configs.extend(p["name"].as_str().map(|n| (ns.to_owned(), n.to_owned())));
            }
        }
        let p = &gw["spec"]["infrastructure"]["parametersRef"];
        if p["kind"] == "LoadBalancerConfiguration" {
            let ns = namespace(gw).to_owned();
            configs.extend(p["name"].as_str().map(|n| (ns, n.to_owned())));
        }
    }
    for (ns, n) in configs {
        let Some(lbc) = find("LoadBalancerConfiguration", Some(&ns), &n) else {
            continue;
        };
        keep(lbc, &mut kept);
        if let Some(tgc) = lbc["spec"]["defaultTargetGroupConfiguration"]["name"]
            .as_str()
            .and_then(|t| find("TargetGroupConfiguration", Some(&ns), t))
        {
            keep(tgc, &mut kept);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_namespace_is_the_one_whose_route_has_the_api_host() {
        let list = json!({"items": [
            {"metadata": {"namespace": "shop"}, "spec": {"hostnames": ["shop.example.org"]}},
            {"metadata": {"namespace": "pulumi"}, "spec": {"hostnames": ["API.example.com."]}},
        ]});
        assert_eq!(namespaces_routing(&list, "api.example.com"), ["pulumi"]);
        assert!(namespaces_routing(&list, "api.other.test").is_empty());
    }

    #[test]
    fn only_what_the_routes_lead_to_is_kept() {
        let route = json!({"kind": "HTTPRoute", "metadata": {"namespace": "app", "name": "r"},
            "spec": {"parentRefs": [{"name": "shared", "namespace": "gw"}]}});
        let listed = vec![
            json!({"kind": "Gateway", "metadata": {"namespace": "gw", "name": "shared"},
                "spec": {"gatewayClassName": "alb"}}),
            json!({"kind": "Gateway", "metadata": {"namespace": "gw", "name": "other"},
                "spec": {"gatewayClassName": "alb"}}),
            json!({"kind": "GatewayClass", "metadata": {"name": "alb"},
                "spec": {"parametersRef": {"kind": "LoadBalancerConfiguration", "name": "c", "namespace": "kube-system"}}}),
            json!({"kind": "LoadBalancerConfiguration", "metadata": {"namespace": "kube-system", "name": "c"},
                "spec": {"defaultTargetGroupConfiguration": {"name": "t"}}}),
            json!({"kind": "TargetGroupConfiguration", "metadata": {"namespace": "kube-system", "name": "t"}}),
            json!({"kind": "TargetGroupConfiguration", "metadata": {"namespace": "kube-system", "name": "u"}}),
        ];
        let kept: Vec<String> = led_to(&[route], &listed)
            .iter()
            .map(|o| {
                format!(
                    "{} {}/{}",
                    o["kind"].as_str().unwrap(),
                    namespace(o),
                    name(o)
                )
            })
            .collect();
        assert_eq!(
            kept,
            [
                "Gateway gw/shared",
                "GatewayClass default/alb",
                "LoadBalancerConfiguration kube-system/c",
                "TargetGroupConfiguration kube-system/t"
            ]
        );
    }
}
