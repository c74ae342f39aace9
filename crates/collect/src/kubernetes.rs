//! Discovery over kubectl, with the user's kubeconfig (its context, auth plugins, IRSA or Pod
//! Identity through `aws eks get-token`): the API's namespace from the Ingress or HTTPRoute
//! whose host is `api.{domain}` (or `config.namespace`), then that namespace's Deployments,
//! StatefulSets, HPAs, PDBs, Services, Ingresses, TargetGroupBindings, Gateway API objects and
//! GKE's BackendConfigs, HealthCheckPolicies and GCPBackendPolicies, with what its routes lead
//! to elsewhere ([`gateway`]) and the HTTP proxy in front of it when that runs in another
//! namespace ([`proxy`]), and EKS Auto Mode's NodeClasses ([`node_classes`]), written as one
//! `kubectl get -o json` List, the file `[config] kubernetes` reads.

mod gateway;
mod node_classes;
mod proxy;

pub use proxy::PROXY_KINDS;

use std::path::Path;
use std::time::{Duration, Instant};

use netconform_model::Environment;
use serde_json::{Value, json};

use crate::CollectError;
use crate::aws::plain;
use crate::command::{CallError, json_of, run, said};
use netconform_model::inputs::{Denied, DeniedCalls, Input};

use crate::denied::{self, DENIED_FILE};
use crate::manifest::{Call, Manifest};

/// The kinds read in the API's namespace, as kubectl names them (resource.group). The AWS
/// Load Balancer Controller's TargetGroupBindings, the Gateway API's kinds and GKE's own (a
/// BackendConfig, the GKE Gateway controller's HealthCheckPolicy and GCPBackendPolicy, which
/// live in their Service's namespace) may not exist in a cluster: then they are left out.
pub const KINDS: [&str; 18] = [
    "deployments.apps",
    "statefulsets.apps",
    "horizontalpodautoscalers.autoscaling",
    "poddisruptionbudgets.policy",
    "services",
    "ingresses.networking.k8s.io",
    "targetgroupbindings.elbv2.k8s.aws",
    "gateways.gateway.networking.k8s.io",
    "httproutes.gateway.networking.k8s.io",
    "grpcroutes.gateway.networking.k8s.io",
    "tlsroutes.gateway.networking.k8s.io",
    "tcproutes.gateway.networking.k8s.io",
    "loadbalancerconfigurations.gateway.k8s.aws",
    "targetgroupconfigurations.gateway.k8s.aws",
    "listenerruleconfigurations.gateway.k8s.aws",
    "backendconfigs.cloud.google.com",
    "healthcheckpolicies.networking.gke.io",
    "gcpbackendpolicies.networking.gke.io",
];

/// The kinds listed at the cluster scope: the Ingresses and HTTPRoutes that tell the API's
/// namespace, what the namespace's routes lead to elsewhere ([`gateway::AROUND`]), and the
/// Services that tell the namespace of an HTTP proxy in front of the API ([`proxy`]), and EKS
/// Auto Mode's NodeClasses ([`node_classes`]), which are cluster-scoped.
pub const CLUSTER_KINDS: [&str; 8] = [
    "ingresses.networking.k8s.io",
    gateway::ROUTES,
    gateway::AROUND[0],
    gateway::AROUND[1],
    gateway::AROUND[2],
    gateway::AROUND[3],
    proxy::SERVICES,
    node_classes::NODE_CLASSES,
];

/// A kind only kept as evidence: no check reads it, so its denial is no gap (a cluster
/// without the AWS Load Balancer Controller has no TargetGroupBinding resource).
const EVIDENCE_ONLY: &str = "targetgroupbindings.elbv2.k8s.aws";

/// Whether a kind's absence from the cluster (its CRD not installed) means none.
fn optional(kind: &str) -> bool {
    kind == EVIDENCE_ONLY || gateway::is_gateway_kind(kind) || is_gke_kind(kind)
}

/// Whether a kind is GKE's own (`cloud.google.com`, `networking.gke.io`): only a GKE cluster
/// has it.
fn is_gke_kind(kind: &str) -> bool {
    kind.ends_with(".cloud.google.com") || kind.ends_with(".networking.gke.io")
}

/// The file the objects go into.
pub const OBJECTS_FILE: &str = "objects.json";

/// How to run kubectl.
#[derive(Debug, Clone)]
pub struct Kubectl {
    /// The program (`kubectl` on PATH by default).
    pub program: String,
    pub context: Option<String>,
    /// Time allowed for one call.
    pub timeout: Duration,
}

impl Kubectl {
    pub fn new(context: Option<String>) -> Kubectl {
        Kubectl {
            program: "kubectl".into(),
            context,
            timeout: Duration::from_secs(60),
        }
    }

    /// `kubectl [--context C] get <args> -o json`.
    async fn get(&self, args: &[String]) -> Result<Value, CallError> {
        let mut all = Vec::new();
        if let Some(context) = &self.context {
            all.extend(["--context".to_owned(), context.clone()]);
        }
        all.push("get".to_owned());
        all.extend(args.iter().cloned());
        all.extend(["-o".to_owned(), "json".to_owned()]);
        let output = run(&self.program, &all, self.timeout, self.timeout).await?;
        if output.status.success() {
            return json_of(&output.stdout);
        }
        let message = said(&output.stderr);
        if let Some(action) = forbidden(&message) {
            return Err(CallError::Denied { action, message });
        }
        Err(CallError::Failed {
            code: output.status.code().unwrap_or(-1),
            message,
        })
    }
}

/// The RBAC permission a Forbidden answer names: `Error from server (Forbidden):
/// deployments.apps is forbidden: User "x" cannot list resource "deployments" in API group
/// "apps" in the namespace "pulumi"` -> `list deployments.apps in namespace pulumi`.
pub fn forbidden(message: &str) -> Option<String> {
    if !message.contains("(Forbidden)") {
        return None;
    }
    let quoted = |after: &str| -> Option<String> {
        let rest = &message[message.find(after)? + after.len()..];
        let rest = rest.strip_prefix('"')?;
        Some(rest[..rest.find('"')?].to_owned())
    };
    let verb = message
        .split("cannot ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or("get");
    let resource = quoted("resource ").unwrap_or_else(|| "(a resource)".into());
    let group = quoted("API group ").unwrap_or_default();
    let scope = match quoted("the namespace ") {
        Some(ns) => format!(" in namespace {ns}"),
        None => " at the cluster scope".to_owned(),
    };
    let kind = if group.is_empty() {
        resource
    } else {
        format!("{resource}.{group}")
    };
    Some(format!("{verb} {kind}{scope}"))
}

/// Whether kubectl said the cluster has no such resource (a CRD not installed).
fn no_such_kind(error: &CallError) -> bool {
    matches!(error, CallError::Failed { message, .. } if message.contains("doesn't have a resource type"))
}

/// The namespaces of the Ingresses with a rule for `host`, in the order listed.
fn namespaces_serving(ingresses: &Value, host: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for ingress in ingresses["items"].as_array().into_iter().flatten() {
        let serves = ingress["spec"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["host"].as_str())
            .any(|h| plain(h) == host);
        let ns = ingress["metadata"]["namespace"]
            .as_str()
            .unwrap_or("default")
            .to_owned();
        if serves && !found.contains(&ns) {
            found.push(ns);
        }
    }
    found
}

/// One call, recorded in `manifest`.
async fn call(
    kubectl: &Kubectl,
    manifest: &mut Manifest,
    args: Vec<String>,
    action: String,
    scope: String,
    on_line: &(dyn Fn(&str) + Sync),
) -> (usize, Result<Value, CallError>) {
    let started = Instant::now();
    let answer = kubectl.get(&args).await;
    let elapsed = started.elapsed();
    record(manifest, &args, action, scope, &answer, elapsed, on_line)
}

fn record(
    manifest: &mut Manifest,
    args: &[String],
    action: String,
    scope: String,
    answer: &Result<Value, CallError>,
    elapsed: Duration,
    on_line: &(dyn Fn(&str) + Sync),
) -> (usize, Result<Value, CallError>) {
    let command = format!("kubectl get {} -o json", args.join(" "));
    let result = match answer {
        Ok(_) => "ok".to_owned(),
        Err(e @ CallError::Denied { .. }) => format!("denied: {e}"),
        Err(e) if no_such_kind(e) => "absent: the cluster has no such resource type".to_owned(),
        Err(e) => format!("failed: {e}"),
    };
    if answer.is_err() {
        on_line(&format!("  {command}: {result}"));
    }
    manifest.calls.push(Call {
        command,
        action,
        scope,
        result,
        file: None,
        elapsed_ms: elapsed.as_secs_f64() * 1000.0,
    });
    (manifest.calls.len() - 1, answer.clone())
}

/// The API's objects from the cluster into `out` (created); the manifest of what was done is
/// returned (as [`crate::collect_aws`] does; `started_at` is the RFC 3339 time it began).
/// The namespace is `namespace` or the one whose Ingress serves `api.{domain}`. A kind the
/// identity may not list leaves the whole input not checked (no partial objects: a missing
/// HPA would read as "none"), written as `denied.json`; a call that fails stops collection
/// with the reason.
pub async fn collect_kubernetes(
    env: &Environment,
    kubectl: &Kubectl,
    namespace: Option<&str>,
    out: &Path,
    started_at: String,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Manifest, CollectError> {
    std::fs::create_dir_all(out).map_err(|e| CollectError::Write {
        path: out.display().to_string(),
        why: e.to_string(),
    })?;
    let mut manifest = Manifest {
        context: kubectl.context.clone(),
        ..Manifest::new(&env.domain.to_string(), started_at)
    };
    let namespace = match namespace {
        Some(ns) => ns.to_owned(),
        None => {
            let api = format!("api.{}", plain(&env.domain.to_string()));
            find_namespace(kubectl, &mut manifest, &api, on_line).await?
        }
    };
    on_line(&format!("  the API's namespace: {namespace}"));
    manifest.namespace = Some(namespace.clone());
    let mut read = read_kinds(kubectl, &mut manifest, &namespace, on_line).await?;
    if read.denied.denied.is_empty() {
        let around = gateway::read_around(kubectl, &mut manifest, &read.items, on_line).await?;
        read.items.extend(around.items);
        for d in around.denied.denied {
            read.denied.record(d);
        }
    }
    if read.denied.denied.is_empty() {
        let tier = proxy::read_proxy_tier(kubectl, &mut manifest, &namespace, &read.items, on_line)
            .await?;
        read.items.extend(tier);
        let node_classes = node_classes::read_node_classes(kubectl, &mut manifest, on_line).await?;
        read.items.extend(node_classes);
    }
    if !read.denied.denied.is_empty() {
        denied::write(out, &read.denied, &mut manifest)?;
        on_line(&format!(
            "  {DENIED_FILE}: {} kinds denied; no objects written (a partial set would read as missing objects)",
            read.denied.denied.len()
        ));
        return Ok(manifest);
    }
    write_objects(out, &mut manifest, read, &namespace, on_line)?;
    Ok(manifest)
}

/// The namespace of the one Ingress or HTTPRoute serving `api` (`api.{domain}`), found by
/// listing both in every namespace (a cluster without the Gateway API has no HTTPRoutes);
/// none or several is an error saying to set `config.namespace`.
async fn find_namespace(
    kubectl: &Kubectl,
    manifest: &mut Manifest,
    api: &str,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<String, CollectError> {
    let mut found: Vec<String> = Vec::new();
    for kind in [CLUSTER_KINDS[0], gateway::ROUTES] {
        let (_, answer) = call(
            kubectl,
            manifest,
            vec![kind.into(), "--all-namespaces".into()],
            format!("list {kind} at the cluster scope"),
            format!("the namespace of the {kind} serving {api}"),
            on_line,
        )
        .await;
        let list = match answer {
            Ok(list) => list,
            Err(e) if kind == gateway::ROUTES && no_such_kind(&e) => continue,
            Err(e @ CallError::Missing { .. }) => return Err(CollectError::Cli(e)),
            Err(e) => {
                return Err(CollectError::Discovery(format!(
                    "find the API's namespace (the {kind} serving {api}): {e}; set config.namespace"
                )));
            }
        };
        let serving = if kind == gateway::ROUTES {
            gateway::namespaces_routing(&list, api)
        } else {
            namespaces_serving(&list, api)
        };
        for ns in serving {
            if !found.contains(&ns) {
                found.push(ns);
            }
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(CollectError::Discovery(format!(
            "find the API's namespace: no Ingress or HTTPRoute in the cluster has a rule for {api}; set config.namespace"
        ))),
        many => Err(CollectError::Discovery(format!(
            "find the API's namespace: Ingresses or HTTPRoutes in {} all serve {api}; set config.namespace to the deployment's",
            many.join(", ")
        ))),
    }
}

/// What the kinds of the API's namespace gave: their objects, the kinds denied (as
/// `denied.json` entries), and the first call's place in the manifest.
struct Kinds {
    items: Vec<Value>,
    denied: DeniedCalls,
    first: Option<usize>,
}

/// Every kind of [`KINDS`] in `namespace`, at once (kubectl makes one request each), each
/// call recorded. A denied kind is noted, the optional kind's failure only shown; any other
/// failure stops collection.
async fn read_kinds(
    kubectl: &Kubectl,
    manifest: &mut Manifest,
    namespace: &str,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Kinds, CollectError> {
    let answers = futures::future::join_all(KINDS.iter().map(|kind| {
        let args = vec![(*kind).to_owned(), "-n".to_owned(), namespace.to_owned()];
        async move {
            let started = Instant::now();
            let answer = kubectl.get(&args).await;
            (args, answer, started.elapsed())
        }
    }))
    .await;
    let mut read = Kinds {
        items: Vec::new(),
        denied: DeniedCalls::default(),
        first: None,
    };
    for (kind, (args, answer, elapsed)) in KINDS.iter().zip(answers) {
        let (at, answer) = record(
            manifest,
            &args,
            format!("list {kind} in namespace {namespace}"),
            format!("the API's {kind} in {namespace}"),
            &answer,
            elapsed,
            on_line,
        );
        read.first.get_or_insert(at);
        match answer {
            Ok(list) => read
                .items
                .extend(list["items"].as_array().into_iter().flatten().cloned()),
            Err(CallError::Denied { action, .. }) if *kind != EVIDENCE_ONLY => {
                let command = format!("kubectl get {kind} -n {namespace} -o json");
                read.denied.record(Denied {
                    feeds: Input::Kubernetes,
                    action,
                    command,
                });
            }
            Err(e @ CallError::Missing { .. }) => return Err(CollectError::Cli(e)),
            Err(e) if optional(kind) && no_such_kind(&e) => {}
            Err(e) if *kind == EVIDENCE_ONLY => {
                on_line(&format!(
                    "  {kind}: {e} (only kept as evidence: no check reads it)"
                ));
            }
            Err(e) => {
                return Err(CollectError::Discovery(format!(
                    "read the {kind} of namespace {namespace}: {e}"
                )));
            }
        }
    }
    Ok(read)
}

/// Writes the objects read as one `kubectl get -o json` List, [`OBJECTS_FILE`], noted on the
/// first call.
fn write_objects(
    out: &Path,
    manifest: &mut Manifest,
    read: Kinds,
    namespace: &str,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<(), CollectError> {
    let count = read.items.len();
    let list = json!({
        "apiVersion": "v1",
        "kind": "List",
        "metadata": { "resourceVersion": "" },
        "items": read.items,
    });
    crate::write_json(&out.join(OBJECTS_FILE), &list)?;
    manifest.files.push(OBJECTS_FILE.to_owned());
    let kept = format!("ok: {count} objects of namespace {namespace}");
    if let Some(call) = read.first.and_then(|at| manifest.calls.get_mut(at)) {
        call.file = Some(OBJECTS_FILE.to_owned());
        call.result = kept.clone();
    }
    on_line(&format!("  {OBJECTS_FILE}: {count} objects of {namespace}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_names_the_permission() {
        assert_eq!(
            forbidden(
                r#"Error from server (Forbidden): horizontalpodautoscalers.autoscaling is forbidden: User "system:serviceaccount:ops:netconform" cannot list resource "horizontalpodautoscalers" in API group "autoscaling" in the namespace "pulumi""#
            )
            .as_deref(),
            Some("list horizontalpodautoscalers.autoscaling in namespace pulumi")
        );
        assert_eq!(
            forbidden(
                r#"Error from server (Forbidden): services is forbidden: User "jane" cannot list resource "services" in API group "" in the namespace "pulumi""#
            )
            .as_deref(),
            Some("list services in namespace pulumi")
        );
        assert_eq!(
            forbidden(
                r#"Error from server (Forbidden): ingresses.networking.k8s.io is forbidden: User "jane" cannot list resource "ingresses" in API group "networking.k8s.io" at the cluster scope"#
            )
            .as_deref(),
            Some("list ingresses.networking.k8s.io at the cluster scope")
        );
        assert_eq!(
            forbidden("error: You must be logged in to the server"),
            None
        );
    }

    #[test]
    fn the_namespace_is_the_one_serving_the_api_host() {
        let list = json!({"items": [
            {"metadata": {"namespace": "shop"}, "spec": {"rules": [{"host": "shop.example.org"}]}},
            {"metadata": {"namespace": "pulumi"}, "spec": {"rules": [{"host": "API.example.com."}]}},
            {"metadata": {"namespace": "pulumi"}, "spec": {"rules": [{"host": "app.example.com"}]}},
        ]});
        assert_eq!(namespaces_serving(&list, "api.example.com"), ["pulumi"]);
        assert!(namespaces_serving(&list, "api.other.test").is_empty());
    }
}
