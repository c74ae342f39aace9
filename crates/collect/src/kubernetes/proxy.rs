//! The HTTP proxy tier in front of the API when it runs in another namespace (ingress-nginx in
//! `ingress-nginx`, Envoy Gateway's Envoy in `envoy-gateway-system`): the configuration's proxy
//! check reads its Deployment, the Service of type LoadBalancer in front of it and its
//! HorizontalPodAutoscaler. It is found by address: the API namespace's Ingress of a class no
//! cloud controller serves, or its Gateway of an in-cluster implementation, carries in its
//! status the address of the load balancer in front of the proxy (ingress-nginx's
//! `--publish-service`; Envoy Gateway's Gateway `status.addresses`), which is that Service's
//! `status.loadBalancer.ingress`. The Services are listed once at the cluster scope and the
//! matching ones kept; in each proxy namespace the Deployments and HPAs are listed and only
//! those the Service selects (and the HPAs scaling them) kept.
//!
//! A list refused here leaves out the proxy tier alone, whole (its Deployment without its HPA
//! would read as "no HPA"): the proxy check then says what it lacks, the refused call is named
//! in the manifest and on stderr, and the API's own objects are still written (an identity
//! with the namespace's Role only, as before, keeps every other scenario).

use std::time::Instant;

use serde_json::Value;

use super::{Kubectl, record};
use crate::CollectError;
use crate::command::CallError;
use crate::manifest::Manifest;

/// The Services, listed at the cluster scope to find the proxy's.
pub(super) const SERVICES: &str = "services";

/// The kinds listed in a proxy's namespace.
pub const PROXY_KINDS: [&str; 2] = ["deployments.apps", "horizontalpodautoscalers.autoscaling"];

/// Ingress classes a cloud load balancer's controller serves (netconform-config's
/// `view::proxies` keeps the same list): their Ingresses have no proxy in the cluster.
const CLOUD_CLASSES: &[&str] = &["alb", "gce", "gce-internal", "azure-application-gateway"];

/// The GatewayClass `controllerName`s of implementations whose proxies run in the cluster
/// (netconform-config's `view::gateway_api` names them): Envoy Gateway, NGINX Gateway Fabric,
/// Traefik, HAProxy's controller, Istio.
const IN_CLUSTER_CONTROLLERS: &[&str] = &[
    "gateway.envoyproxy.io/gatewayclass-controller",
    "gateway.nginx.org/nginx-gateway-controller",
    "traefik.io/gateway-controller",
    "haproxy.org/gateway-controller",
    "istio.io/gateway-controller",
];

fn namespace(obj: &Value) -> &str {
    obj["metadata"]["namespace"].as_str().unwrap_or("default")
}

fn is(obj: &Value, kind: &str) -> bool {
    obj["kind"].as_str() == Some(kind)
}

fn plain(address: &str) -> String {
    address.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether an Ingress goes through a proxy in the cluster: a class no cloud controller serves,
/// and none of the AWS Load Balancer Controller's annotations.
fn through_proxy(ing: &Value) -> bool {
    let meta = &ing["metadata"]["annotations"];
    let class = ing["spec"]["ingressClassName"]
        .as_str()
        .or_else(|| meta["kubernetes.io/ingress.class"].as_str());
    let alb = meta.as_object().is_some_and(|m| {
        m.keys()
            .any(|k| k.starts_with("alb.ingress.kubernetes.io/"))
    });
    !alb && !class.is_some_and(|c| CLOUD_CLASSES.contains(&c))
}

/// The addresses of the load balancers in front of the in-cluster proxies the namespace's
/// Ingresses and Gateways (`items`, with what is around them) go through.
fn proxy_addresses(items: &[Value]) -> Vec<String> {
    let mut found = Vec::new();
    for ing in items
        .iter()
        .filter(|o| is(o, "Ingress") && through_proxy(o))
    {
        for lb in ing["status"]["loadBalancer"]["ingress"]
            .as_array()
            .into_iter()
            .flatten()
        {
            found.extend(lb["hostname"].as_str().or(lb["ip"].as_str()).map(plain));
        }
    }
    let in_cluster = |class: &str| {
        items.iter().any(|c| {
            is(c, "GatewayClass")
                && c["metadata"]["name"] == class
                && c["spec"]["controllerName"]
                    .as_str()
                    .is_some_and(|n| IN_CLUSTER_CONTROLLERS.contains(&n))
        })
    };
    for gw in items.iter().filter(|o| {
        is(o, "Gateway")
            && o["spec"]["gatewayClassName"]
                .as_str()
                .is_some_and(&in_cluster)
    }) {
        for a in gw["status"]["addresses"].as_array().into_iter().flatten() {
            found.extend(a["value"].as_str().map(plain));
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Whether a Service of type LoadBalancer has one of `addresses`.
fn fronts(svc: &Value, addresses: &[String]) -> bool {
    svc["spec"]["type"] == "LoadBalancer"
        && svc["status"]["loadBalancer"]["ingress"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|lb| lb["hostname"].as_str().or(lb["ip"].as_str()))
            .any(|a| addresses.contains(&plain(a)))
}

/// Whether a Service's selector picks a Deployment's pods.
fn selects(svc: &Value, deployment: &Value) -> bool {
    let Some(selector) = svc["spec"]["selector"].as_object() else {
        return false;
    };
    let labels = &deployment["spec"]["template"]["metadata"]["labels"];
    !selector.is_empty() && selector.iter().all(|(k, v)| labels[k] == *v)
}

/// One `kubectl get`, recorded; `None` when it was refused.
async fn list(
    kubectl: &Kubectl,
    manifest: &mut Manifest,
    args: Vec<String>,
    action: String,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Option<Vec<Value>>, CollectError> {
    let started = Instant::now();
    let answer = kubectl.get(&args).await;
    let scope = format!("the HTTP proxy in front of the API ({})", args[0]);
    let command = format!("kubectl get {} -o json", args.join(" "));
    let (_, answer) = record(
        manifest,
        &args,
        action,
        scope,
        &answer,
        started.elapsed(),
        on_line,
    );
    match answer {
        Ok(list) => Ok(Some(list["items"].as_array().cloned().unwrap_or_default())),
        Err(CallError::Denied { .. }) => {
            on_line(&format!(
                "  {command}: refused; the HTTP proxy in front of the API is not collected (ci/kubernetes/rbac.yaml: netconform-find-namespace, netconform-read-proxy)"
            ));
            Ok(None)
        }
        Err(e @ CallError::Missing { .. }) => Err(CollectError::Cli(e)),
        Err(e) => Err(CollectError::Discovery(format!(
            "read the HTTP proxy in front of the API ({command}): {e}"
        ))),
    }
}

/// The proxy tier's objects outside `api_namespace`, when the namespace's Ingresses or
/// Gateways (`items`) go through a proxy in the cluster; no call otherwise.
pub(super) async fn read_proxy_tier(
    kubectl: &Kubectl,
    manifest: &mut Manifest,
    api_namespace: &str,
    items: &[Value],
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Vec<Value>, CollectError> {
    let mut kept = Vec::new();
    let addresses = proxy_addresses(items);
    if addresses.is_empty() {
        return Ok(kept);
    }
    let Some(services) = list(
        kubectl,
        manifest,
        vec![SERVICES.to_owned(), "--all-namespaces".to_owned()],
        format!("list {SERVICES} at the cluster scope"),
        on_line,
    )
    .await?
    else {
        return Ok(kept);
    };
    let fronting: Vec<Value> = services
        .into_iter()
        .filter(|s| namespace(s) != api_namespace && fronts(s, &addresses))
        .collect();
    let mut namespaces: Vec<String> = fronting.iter().map(|s| namespace(s).to_owned()).collect();
    namespaces.sort();
    namespaces.dedup();
    for ns in namespaces {
        on_line(&format!(
            "  the HTTP proxy in front of the API: namespace {ns}"
        ));
        let mut listed: Vec<Vec<Value>> = Vec::new();
        for kind in PROXY_KINDS {
            let args = vec![kind.to_owned(), "-n".to_owned(), ns.clone()];
            let action = format!("list {kind} in namespace {ns}");
            listed.extend(list(kubectl, manifest, args, action, on_line).await?);
        }
        if listed.len() < PROXY_KINDS.len() {
            continue;
        }
        let services: Vec<&Value> = fronting.iter().filter(|s| namespace(s) == ns).collect();
        let deployments: Vec<Value> = listed[0]
            .iter()
            .filter(|d| services.iter().any(|s| selects(s, d)))
            .cloned()
            .collect();
        let hpas = listed[1].iter().filter(|h| {
            let target = &h["spec"]["scaleTargetRef"];
            target["kind"] == "Deployment"
                && deployments
                    .iter()
                    .any(|d| d["metadata"]["name"] == target["name"])
        });
        kept.extend(services.into_iter().cloned());
        kept.extend(deployments.iter().cloned());
        kept.extend(hpas.cloned());
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_ingresses_through_a_proxy_in_the_cluster_lead_to_one() {
        let lb = json!({"loadBalancer": {"ingress": [{"hostname": "NLB.example.com."}]}});
        let items = vec![
            json!({"kind": "Ingress", "spec": {"ingressClassName": "nginx"}, "status": lb}),
            json!({"kind": "Ingress", "spec": {"ingressClassName": "alb"},
                "status": {"loadBalancer": {"ingress": [{"hostname": "alb.example.com"}]}}}),
            json!({"kind": "Ingress", "metadata": {"annotations": {"alb.ingress.kubernetes.io/scheme": "internet-facing"}},
                "status": {"loadBalancer": {"ingress": [{"hostname": "other.example.com"}]}}}),
        ];
        assert_eq!(proxy_addresses(&items), ["nlb.example.com"]);
    }

    #[test]
    fn a_gateway_leads_to_a_proxy_when_its_class_runs_one_in_the_cluster() {
        let items = vec![
            json!({"kind": "GatewayClass", "metadata": {"name": "eg"},
                "spec": {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller"}}),
            json!({"kind": "GatewayClass", "metadata": {"name": "aws-alb"},
                "spec": {"controllerName": "gateway.k8s.aws/alb"}}),
            json!({"kind": "Gateway", "spec": {"gatewayClassName": "eg"},
                "status": {"addresses": [{"type": "Hostname", "value": "envoy.example.com"}]}}),
            json!({"kind": "Gateway", "spec": {"gatewayClassName": "aws-alb"},
                "status": {"addresses": [{"type": "Hostname", "value": "alb.example.com"}]}}),
        ];
        assert_eq!(proxy_addresses(&items), ["envoy.example.com"]);
    }
}
