//! Kubernetes objects, from manifests, `kubectl get -o json` Lists and a stack export's
//! `kubernetes:*` resources: Deployments and StatefulSets, HPAs, Services and Ingresses are
//! read, the Gateway API's kinds by [`super::gateway_api`]; other kinds are skipped.

mod agc;
mod gke;

use std::collections::BTreeMap;

use super::gateway_api;
use crate::formats::stack_export::Resource;
use crate::node::{Field, Node, State};
use crate::resources::Reading;
use crate::view::{
    Deployment, Hpa, Ingress, IngressClass, Input, KubeContainer, KubeService, KubeWorkload,
    PreStop, Probe, Told, ZoneRule, looks_like_api,
};

/// The annotation `kubectl apply` keeps the applied object in: the configured values of an
/// object read live.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The node labels that name a zone.
const ZONE_KEYS: [&str; 2] = [
    "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/zone",
];

/// Reads one object (a List's items one by one) into `view`. `Err` when it is not a
/// Kubernetes object at all.
pub(crate) fn read(obj: &Node<'_>, view: &mut Deployment) -> Result<(), String> {
    if !obj.is_object() {
        return Err(format!(
            "{}: not a Kubernetes object (a mapping with apiVersion and kind)",
            obj.at
        ));
    }
    let kind = obj.get("kind").opt_text().unwrap_or_default();
    if kind.is_empty() || !obj.get("apiVersion").exists() {
        return Err(format!(
            "{}: not a Kubernetes object: no {}",
            obj.at,
            if kind.is_empty() {
                "kind"
            } else {
                "apiVersion"
            }
        ));
    }
    if kind == "List" || (kind.ends_with("List") && obj.get("items").exists()) {
        for item in obj.get("items").items() {
            read(&item, view)?;
        }
        return Ok(());
    }
    let api_version = obj.get("apiVersion").opt_text().unwrap_or_default();
    if gateway_api::is_read(&api_version, &kind) {
        gateway_api::read(obj, &kind, view);
        return Ok(());
    }
    if gke::is_policy(&api_version, &kind) {
        view.gke_policies.push(gke::policy(obj, &kind));
        return Ok(());
    }
    if kind == "NodeClass" && api_version.starts_with("eks.amazonaws.com/") {
        super::node_groups::node_class(obj, view);
        return Ok(());
    }
    match kind.as_str() {
        "Deployment" | "StatefulSet" => view.workloads.push(workload(obj, &kind)),
        "HorizontalPodAutoscaler" => view.hpas.push(hpa(obj)),
        "Service" => {
            let (ns, name) = (namespace(obj), name(obj));
            view.kube_services.push(KubeService {
                subject: format!("Service {ns}/{name}"),
                namespace: ns,
                name,
                at: obj.at.clone(),
                selector: string_map(&obj.path("spec.selector")),
                service_type: obj.path("spec.type").text(),
                annotations: string_map(&obj.path("metadata.annotations")),
                status_hostnames: obj
                    .path("status.loadBalancer.ingress")
                    .items()
                    .iter()
                    .filter_map(|i| i.get("hostname").opt_text().or(i.get("ip").opt_text()))
                    .collect(),
            });
        }
        "IngressClass" => view.ingress_classes.push(IngressClass {
            name: name(obj),
            at: obj.at.clone(),
            controller: obj.path("spec.controller").opt_text(),
        }),
        "Ingress" => view.ingresses.push(ingress(obj)),
        "BackendConfig" => view.backend_configs.push(gke::backend_config(obj)),
        "HealthCheckPolicy" if api_version.starts_with(agc::GROUP) => {
            view.agc_health_policies.push(agc::health_check_policy(obj));
        }
        _ => {}
    }
    Ok(())
}

/// A stack export's `kubernetes:*` resource of a kind read: the object is its outputs (the live
/// object), its replicas the program's (its inputs).
pub(crate) fn from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    let kind = res.kind.rsplit(':').next().unwrap_or_default();
    if !matches!(
        kind,
        "Deployment"
            | "StatefulSet"
            | "HorizontalPodAutoscaler"
            | "Service"
            | "Ingress"
            | "IngressClass"
    ) && !gateway_api::KINDS.iter().any(|(_, k)| *k == kind)
        && !gke::POLICY_KINDS.contains(&kind)
        || !res.outputs.get("kind").exists()
    {
        return Ok(());
    }
    r.view.saw(Input::Kubernetes, &res.list_at);
    let before = r.view.workloads.len();
    read(&res.outputs, &mut r.view)?;
    let inputs = res.node.get("inputs");
    if r.view.workloads.len() > before && inputs.get("spec").exists() {
        let w = r.view.workloads.last_mut().expect("just read");
        w.replicas = inputs.path("spec.replicas").count();
        w.replicas_told = Told::Configured;
    }
    Ok(())
}

pub(super) fn namespace(obj: &Node<'_>) -> String {
    obj.path("metadata.namespace")
        .opt_text()
        .unwrap_or_else(|| "default".to_owned())
}

pub(super) fn name(obj: &Node<'_>) -> String {
    obj.path("metadata.name")
        .opt_text()
        .unwrap_or_else(|| "(unnamed)".to_owned())
}

fn string_map(node: &Node<'_>) -> BTreeMap<String, String> {
    node.entries()
        .into_iter()
        .filter_map(|(k, v)| v.opt_text().map(|v| (k.to_owned(), v)))
        .collect()
}

fn workload(obj: &Node<'_>, kind: &str) -> KubeWorkload {
    let (ns, name) = (namespace(obj), name(obj));
    let pod = obj.path("spec.template.spec");
    let containers: Vec<KubeContainer> = pod
        .get("containers")
        .items()
        .iter()
        .map(container)
        .collect();
    let api = looks_like_api(&name, containers.iter().map(|c| c.image.as_str()));
    let (replicas, replicas_told) = configured_replicas(obj);
    KubeWorkload {
        subject: format!("{kind} {ns}/{name}"),
        kind: kind.to_owned(),
        namespace: ns,
        name,
        at: obj.at.clone(),
        api,
        replicas,
        replicas_told,
        template_labels: string_map(&obj.path("spec.template.metadata.labels")),
        spread_at: pod.get("topologySpreadConstraints").at.clone(),
        zone_rules: zone_rules(&pod),
        grace: pod.get("terminationGracePeriodSeconds").count(),
        containers,
    }
}

/// A workload's replicas as configured: the manifest's, or, for an object read from the
/// cluster, the replicas `kubectl apply` recorded (an HPA changes the live `spec.replicas`).
fn configured_replicas(obj: &Node<'_>) -> (Field<u64>, Told) {
    let live = obj.path("metadata.resourceVersion").exists()
        || obj.path("metadata.uid").exists()
        || obj.get("status").exists();
    let replicas = obj.path("spec.replicas").count();
    if !live {
        return (replicas, Told::Configured);
    }
    let applied = obj.path("metadata.annotations").get(LAST_APPLIED);
    if let Some(text) = applied.opt_text()
        && let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let at = applied.at.clone();
        let node = Node::new(
            &doc,
            crate::node::Loc {
                file: at.file.clone(),
                path: format!("{}(JSON)", at.path),
            },
        );
        return (node.path("spec.replicas").count(), Told::Configured);
    }
    (replicas, Told::Live)
}

fn zone_rules(pod: &Node<'_>) -> Vec<ZoneRule> {
    let is_zone = |n: &Node<'_>| {
        n.get("topologyKey")
            .opt_text()
            .is_some_and(|k| ZONE_KEYS.contains(&k.as_str()))
    };
    let mut rules = Vec::new();
    for c in pod.get("topologySpreadConstraints").items() {
        if is_zone(&c) {
            let when = c
                .get("whenUnsatisfiable")
                .opt_text()
                .unwrap_or_else(|| "DoNotSchedule".to_owned());
            rules.push(ZoneRule {
                hard: when != "ScheduleAnyway",
                what: format!("topologySpreadConstraints (whenUnsatisfiable: {when})"),
                at: c.at.clone(),
            });
        }
    }
    let anti = pod.path("affinity.podAntiAffinity");
    for term in anti
        .get("requiredDuringSchedulingIgnoredDuringExecution")
        .items()
    {
        if is_zone(&term) {
            rules.push(ZoneRule {
                what: "podAntiAffinity (required)".into(),
                hard: true,
                at: term.at.clone(),
            });
        }
    }
    for term in anti
        .get("preferredDuringSchedulingIgnoredDuringExecution")
        .items()
    {
        if is_zone(&term.get("podAffinityTerm")) {
            rules.push(ZoneRule {
                what: "podAntiAffinity (preferred)".into(),
                hard: false,
                at: term.at.clone(),
            });
        }
    }
    rules
}

fn container(c: &Node<'_>) -> KubeContainer {
    KubeContainer {
        name: c.get("name").opt_text().unwrap_or_default(),
        image: c.get("image").opt_text().unwrap_or_default(),
        at: c.at.clone(),
        pre_stop: pre_stop(&c.path("lifecycle.preStop")),
        readiness: probe(&c.get("readinessProbe")),
        liveness: probe(&c.get("livenessProbe")),
        startup: probe(&c.get("startupProbe")),
    }
}

fn pre_stop(hook: &Node<'_>) -> Field<PreStop> {
    if !hook.exists() {
        return Field::unset(hook.at.clone());
    }
    if hook.get("sleep").exists() {
        return hook.path("sleep.seconds").count().map(PreStop::Sleep);
    }
    if hook.get("httpGet").exists() {
        let path = hook
            .path("httpGet.path")
            .opt_text()
            .unwrap_or_else(|| "/".into());
        return Field::set(hook.at.clone(), PreStop::Http(path));
    }
    let command = hook.path("exec.command");
    match command.texts().state {
        State::Set(words) => {
            let line = words.join(" ");
            let at = command.at.clone();
            Field::set(
                at,
                match sleep_seconds(&line) {
                    Some(n) => PreStop::Sleep(n),
                    None => PreStop::Exec(line),
                },
            )
        }
        State::Unset => Field {
            at: hook.at.clone(),
            state: State::Invalid("a preStop hook with no exec, httpGet or sleep".into()),
        },
        State::Secret => Field {
            at: command.at.clone(),
            state: State::Secret,
        },
        State::Invalid(why) => Field {
            at: command.at.clone(),
            state: State::Invalid(why),
        },
    }
}

/// The seconds of a `sleep N` in a shell command line (`sh -c "sleep 15 && ..."`).
pub(crate) fn sleep_seconds(line: &str) -> Option<u64> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '"' || c == '\'')
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).find_map(|pair| {
        (pair[0] == "sleep" || pair[0].ends_with("/sleep"))
            .then(|| pair[1].trim_end_matches('s').parse().ok())
            .flatten()
    })
}

fn probe(p: &Node<'_>) -> Field<Probe> {
    if !p.exists() {
        return Field::unset(p.at.clone());
    }
    if p.is_secret() {
        return Field {
            at: p.at.clone(),
            state: State::Secret,
        };
    }
    let kind = ["httpGet", "tcpSocket", "exec", "grpc"]
        .into_iter()
        .find(|k| p.get(k).exists())
        .unwrap_or("unknown");
    let num = |key: &str, default: u64| p.get(key).count().value().copied().unwrap_or(default);
    Field::set(
        p.at.clone(),
        Probe {
            http_path: p.path("httpGet.path").opt_text(),
            kind: kind.to_owned(),
            initial_delay: num("initialDelaySeconds", 0),
            period: num("periodSeconds", 10),
            failure_threshold: num("failureThreshold", 3),
        },
    )
}

fn hpa(obj: &Node<'_>) -> Hpa {
    let (ns, name) = (namespace(obj), name(obj));
    let spec = obj.get("spec");
    let target = spec.get("scaleTargetRef");
    let mut cpu = Field::unset(spec.get("metrics").at.clone());
    let v1 = spec.get("targetCPUUtilizationPercentage");
    if v1.exists() {
        cpu = v1.number();
    }
    for m in spec.get("metrics").items() {
        let source = match m.get("type").opt_text().as_deref() {
            Some("Resource") => m.get("resource"),
            Some("ContainerResource") => m.get("containerResource"),
            _ => continue,
        };
        if source.get("name").opt_text().as_deref() != Some("cpu") {
            continue;
        }
        // autoscaling/v2: target.averageUtilization; v2beta1: targetAverageUtilization.
        let v2 = source.path("target.averageUtilization");
        cpu = if v2.exists() {
            v2.number()
        } else {
            let beta = source.get("targetAverageUtilization");
            if beta.exists() {
                beta.number()
            } else {
                Field {
                    at: source.get("target").at.clone(),
                    state: State::Invalid(
                        "a CPU metric without an average utilization target".into(),
                    ),
                }
            }
        };
    }
    Hpa {
        subject: format!("HorizontalPodAutoscaler {ns}/{name}"),
        namespace: ns,
        at: obj.at.clone(),
        target_kind: target.get("kind").opt_text().unwrap_or_default(),
        target_name: target.get("name").opt_text().unwrap_or_default(),
        min: spec.get("minReplicas").count(),
        max: spec.get("maxReplicas").count(),
        cpu,
    }
}

fn ingress(obj: &Node<'_>) -> Ingress {
    let (ns, name) = (namespace(obj), name(obj));
    let annotations_node = obj.path("metadata.annotations");
    let annotations = string_map(&annotations_node);
    let class = obj
        .path("spec.ingressClassName")
        .opt_text()
        .or_else(|| annotations.get("kubernetes.io/ingress.class").cloned());
    let alb = class.as_deref() == Some("alb")
        || annotations
            .keys()
            .any(|k| k.starts_with("alb.ingress.kubernetes.io/"));
    let spec = obj.get("spec");
    let backend_name = |b: &Node<'_>| {
        b.path("service.name")
            .opt_text()
            .or_else(|| b.get("serviceName").opt_text())
    };
    let mut backends: Vec<String> = Vec::new();
    for b in [spec.get("defaultBackend"), spec.get("backend")] {
        backends.extend(backend_name(&b));
    }
    let mut hosts = Vec::new();
    for rule in spec.get("rules").items() {
        hosts.extend(rule.get("host").opt_text());
        for path in rule.path("http.paths").items() {
            backends.extend(backend_name(&path.get("backend")));
        }
    }
    backends.sort();
    backends.dedup();
    Ingress {
        subject: format!("Ingress {ns}/{name}"),
        namespace: ns,
        at: obj.at.clone(),
        alb,
        class,
        annotations_at: annotations_node.at.clone(),
        annotations,
        backends,
        hosts,
        status_hostnames: obj
            .path("status.loadBalancer.ingress")
            .items()
            .iter()
            .filter_map(|i| i.get("hostname").opt_text())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleep_is_found_in_pre_stop_commands() {
        assert_eq!(sleep_seconds("sleep 15"), Some(15));
        assert_eq!(
            sleep_seconds("/bin/sh -c sleep 20 && nginx -s quit"),
            Some(20)
        );
        assert_eq!(sleep_seconds("sh -c \"sleep 5s; kill -TERM 1\""), Some(5));
        assert_eq!(sleep_seconds("/usr/bin/sleep 7"), Some(7));
        assert_eq!(sleep_seconds("curl -X POST localhost/drain"), None);
        assert_eq!(sleep_seconds("sleep"), None);
    }
}
