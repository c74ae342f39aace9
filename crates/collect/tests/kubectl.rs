//! Kubernetes collection through kubectl against recorded API answers (no cluster can run
//! where the tests do): netconform-testkit's fake kubectl answers from its recorded cluster, the objects as
//! `kubectl get -o json` prints them for the conformant EKS deployment, beside another team's
//! Ingress. The namespace comes from the Ingress serving `api.{domain}`; what is written is
//! that namespace's objects, one List.

use std::path::{Path, PathBuf};

use netconform_collect::{CollectError, Kubectl, Manifest, collect_kubernetes};
use netconform_model::Environment;
use netconform_testkit::kubectl::{CLUSTER, FakeCluster};
use serde_json::Value;

/// A directory under the target dir, emptied first, with a fake cluster in it.
struct Case {
    dir: PathBuf,
    cluster: FakeCluster,
}

impl Case {
    fn new(name: &str) -> Case {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("kubectl-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cluster = FakeCluster::new(&dir);
        Case { dir, cluster }
    }

    fn kubectl(&self, context: Option<&str>) -> Kubectl {
        let mut kubectl = Kubectl::new(context.map(str::to_owned));
        kubectl.program = self.cluster.kubectl().display().to_string();
        kubectl
    }

    fn forbid(&self, kind: &str) {
        self.cluster.forbid(kind);
    }

    fn calls(&self) -> String {
        self.cluster.calls()
    }

    fn out(&self) -> PathBuf {
        self.dir.join("out")
    }

    /// The collected List, `objects.json`.
    fn objects(&self) -> Value {
        let text = std::fs::read_to_string(self.out().join("objects.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// What netconform-config reads from the collected List, as `[config] kubernetes` would.
    fn read_back(&self) -> netconform_config::Deployment {
        let settings = netconform_model::environment::ConfigSettings {
            kubernetes: vec!["objects.json".parse().unwrap()],
            ..Default::default()
        };
        netconform_config::load(&settings, &self.out()).unwrap()
    }

    async fn collect(
        &self,
        domain: &str,
        kubectl: &Kubectl,
        namespace: Option<&str>,
    ) -> Result<Manifest, CollectError> {
        let env = Environment::new(domain.parse().unwrap());
        collect_kubernetes(
            &env,
            kubectl,
            namespace,
            &self.out(),
            "2026-12-01T00:00:00Z".into(),
            &|_| {},
        )
        .await
    }
}

fn kinds_and_names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{} {}/{}",
                o["kind"].as_str().unwrap(),
                o["metadata"]["namespace"].as_str().unwrap(),
                o["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn the_api_namespace_is_found_from_its_ingress_and_only_it_is_written() {
    let case = Case::new("found");
    let kubectl = case.kubectl(Some("prod"));
    let manifest = case.collect("sandbox.test", &kubectl, None).await.unwrap();
    assert_eq!(manifest.namespace.as_deref(), Some("pulumi"));
    assert_eq!(manifest.context.as_deref(), Some("prod"));
    assert_eq!(manifest.files, ["objects.json"]);
    let list: Value = case.objects();
    assert_eq!(list["kind"], "List");
    assert_eq!(
        kinds_and_names(&list),
        [
            "Deployment pulumi/pulumi-console",
            "Deployment pulumi/pulumi-api",
            "HorizontalPodAutoscaler pulumi/pulumi-api",
            "PodDisruptionBudget pulumi/pulumi-api",
            "Service pulumi/pulumi-console-service",
            "Service pulumi/pulumi-api-service",
            "Ingress pulumi/pulumi-console",
            "Ingress pulumi/pulumi-api",
            "TargetGroupBinding pulumi/k8s-pulumi-pulumi-conso-90cf3f9bcc",
            "TargetGroupBinding pulumi/k8s-pulumi-pulumi-api-s-021c19d396",
        ],
        "the deployment's objects, not shop/storefront"
    );
    // Two cluster-wide lists to find the namespace (Ingresses, HTTPRoutes), then one list per
    // kind in it, each with the context; no Gateway API route in it, so nothing around it;
    // last, EKS Auto Mode's NodeClasses (cluster-scoped), which this cluster has not.
    let calls = case.calls();
    assert!(
        calls.starts_with(
            "--context prod get ingresses.networking.k8s.io --all-namespaces -o json\n--context prod get httproutes.gateway.networking.k8s.io --all-namespaces -o json\n"
        ),
        "{calls}"
    );
    assert_eq!(calls.lines().count(), 2 + 18 + 1, "{calls}");
    assert!(
        calls
            .lines()
            .skip(2)
            .take(18)
            .all(|c| c.starts_with("--context prod get ") && c.ends_with(" -n pulumi -o json")),
        "{calls}"
    );
    assert_eq!(
        calls.lines().last(),
        Some("--context prod get nodeclasses.eks.amazonaws.com --all-namespaces -o json")
    );
    assert!(manifest.denied().is_empty());
    for call in &manifest.calls {
        // The recorded cluster (EKS) has no GRPCRoute, TLSRoute, TCPRoute or
        // ListenerRuleConfiguration resource type, nor GKE's: absent, no gap.
        let absent = (call.command.contains(".gateway")
            || call.command.contains(".cloud.google.com")
            || call.command.contains(".networking.gke.io")
            || call.command.contains("nodeclasses.eks.amazonaws.com"))
            && call.result.starts_with("absent");
        assert!(call.result.starts_with("ok") || absent, "{call:?}");
        assert!(call.action.starts_with("list "), "{call:?}");
    }
}

#[tokio::test]
async fn a_namespace_given_is_read_listing_nothing_cluster_wide_but_the_node_classes() {
    // The namespace's kinds, then EKS Auto Mode's NodeClasses, which exist only at the cluster
    // scope (an identity with the namespace's Role alone is refused them: they are left out,
    // nothing else; see a_refused_node_class_list_leaves_out_the_node_classes_alone).
    let case = Case::new("given");
    let manifest = case
        .collect("sandbox.test", &case.kubectl(None), Some("pulumi"))
        .await
        .unwrap();
    assert_eq!(manifest.calls.len(), 18 + 1);
    let calls = case.calls();
    let cluster_wide: Vec<&str> = calls
        .lines()
        .filter(|c| c.contains("--all-namespaces"))
        .collect();
    assert_eq!(
        cluster_wide,
        ["get nodeclasses.eks.amazonaws.com --all-namespaces -o json"],
        "{calls}"
    );
    assert!(!case.calls().contains("--context"), "{}", case.calls());
}

#[tokio::test]
async fn a_forbidden_kind_leaves_the_objects_unwritten_and_names_the_permission() {
    let case = Case::new("forbidden");
    case.forbid("horizontalpodautoscalers.autoscaling");
    let manifest = case
        .collect("sandbox.test", &case.kubectl(None), None)
        .await
        .unwrap();
    assert_eq!(
        manifest.denied(),
        [(
            "list horizontalpodautoscalers.autoscaling in namespace pulumi",
            "the API's horizontalpodautoscalers.autoscaling in pulumi"
        )]
    );
    // Not the other objects without their HPA: that would read as "no HPA".
    assert!(!case.out().join("objects.json").exists());
    let denied: Value =
        serde_json::from_str(&std::fs::read_to_string(case.out().join("denied.json")).unwrap())
            .unwrap();
    assert_eq!(denied["NetconformDenied"][0]["Feeds"], "kubectl get");
    assert_eq!(
        denied["NetconformDenied"][0]["Action"],
        "list horizontalpodautoscalers.autoscaling in namespace pulumi"
    );
}

#[tokio::test]
async fn a_cluster_without_the_load_balancer_controller_is_no_gap() {
    // No TargetGroupBinding resource type: answered as kubectl does, recorded as absent.
    let case = Case::new("no-crd");
    let answers = case.dir.join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    for entry in std::fs::read_dir(CLUSTER).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let crd = name.contains("targetgroupbindings") || name.contains(".gateway.");
        if name.ends_with(".json") && !crd {
            std::fs::copy(&path, answers.join(&name)).unwrap();
        }
    }
    let mut kubectl = case.kubectl(None);
    kubectl.program = case
        .cluster
        .kubectl_from("kubectl-no-crd", &answers)
        .display()
        .to_string();
    let manifest = case.collect("sandbox.test", &kubectl, None).await.unwrap();
    assert!(case.out().join("objects.json").exists());
    let tgb = manifest
        .calls
        .iter()
        .find(|c| c.command.contains("targetgroupbindings"))
        .unwrap();
    assert!(tgb.result.starts_with("absent"), "{tgb:?}");
    // Nor is a cluster without the Gateway API's CRDs.
    let routes = manifest
        .calls
        .iter()
        .filter(|c| c.command.contains(".gateway."))
        .collect::<Vec<_>>();
    assert_eq!(routes.len(), 1 + 8, "{routes:#?}");
    assert!(
        routes.iter().all(|c| c.result.starts_with("absent")),
        "{routes:#?}"
    );
    assert!(manifest.denied().is_empty());
}

#[tokio::test]
async fn no_ingress_for_the_api_says_to_set_the_namespace() {
    let case = Case::new("no-ingress");
    let result = case.collect("other.test", &case.kubectl(None), None).await;
    let err = result.unwrap_err().to_string();
    assert!(
        err.contains(
            "no Ingress or HTTPRoute in the cluster has a rule for api.other.test; set config.namespace"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_forbidden_cluster_list_says_to_set_the_namespace() {
    let case = Case::new("no-cluster-list");
    case.forbid("ingresses.networking.k8s.io");
    let result = case
        .collect("sandbox.test", &case.kubectl(None), None)
        .await;
    let err = result.unwrap_err().to_string();
    assert!(
        err.contains("list ingresses.networking.k8s.io at the cluster scope")
            && err.ends_with("set config.namespace"),
        "{err}"
    );
}

#[tokio::test]
async fn a_missing_kubectl_is_one_clear_error() {
    let case = Case::new("missing");
    let mut kubectl = Kubectl::new(None);
    kubectl.program = "/nonexistent/kubectl".into();
    let result = case.collect("sandbox.test", &kubectl, None).await;
    let err = result.unwrap_err().to_string();
    assert!(
        err.starts_with("/nonexistent/kubectl is not on PATH")
            && err.contains("install kubectl")
            && err.contains("config.kubectl"),
        "{err}"
    );
}

#[test]
fn the_shipped_rbac_allows_exactly_what_collection_lists() {
    // Every (group, resource) collection lists is in the Role (the cluster-wide Ingress list
    // in the ClusterRole), with get and list only; nothing else is granted.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ci/kubernetes/rbac.yaml"),
    )
    .unwrap();
    let docs: Vec<Value> = serde_saphyr::from_multiple(&text).unwrap();
    let rules = |kind: &str, name: &str| -> Vec<(String, String, Vec<String>)> {
        docs.iter()
            .filter(|d| d["kind"] == kind && (name.is_empty() || d["metadata"]["name"] == name))
            .flat_map(|d| d["rules"].as_array().unwrap().clone())
            .flat_map(|rule| {
                let verbs: Vec<String> = rule["verbs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect();
                let groups = rule["apiGroups"].as_array().unwrap().clone();
                let resources = rule["resources"].as_array().unwrap().clone();
                groups
                    .into_iter()
                    .flat_map(move |g| {
                        let verbs = verbs.clone();
                        resources.clone().into_iter().map(move |r| {
                            (
                                g.as_str().unwrap().to_owned(),
                                r.as_str().unwrap().to_owned(),
                                verbs.clone(),
                            )
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let group_resource = |kind: &str| match kind.split_once('.') {
        Some((resource, group)) => (group.to_owned(), resource.to_owned()),
        None => (String::new(), kind.to_owned()),
    };
    // The API's namespace (netconform-read) and the HTTP proxy's (netconform-read-proxy).
    for (role, kinds) in [
        (
            "netconform-read",
            &netconform_collect::kubernetes::KINDS[..],
        ),
        (
            "netconform-read-proxy",
            &netconform_collect::kubernetes::PROXY_KINDS[..],
        ),
    ] {
        let granted = rules("Role", role);
        let mut wanted: Vec<(String, String)> = kinds.iter().map(|k| group_resource(k)).collect();
        wanted.sort();
        let mut got: Vec<(String, String)> = granted
            .iter()
            .map(|(g, r, _)| (g.clone(), r.clone()))
            .collect();
        got.sort();
        assert_eq!(got, wanted, "{role}");
        for (group, resource, verbs) in &granted {
            assert_eq!(verbs, &["get", "list"], "{group}/{resource}");
        }
    }
    assert_eq!(
        rules("Role", "").len(),
        netconform_collect::kubernetes::KINDS.len()
            + netconform_collect::kubernetes::PROXY_KINDS.len(),
        "no other Role"
    );
    let mut cluster: Vec<(String, String, Vec<String>)> = rules("ClusterRole", "");
    cluster.sort();
    let mut wanted: Vec<(String, String, Vec<String>)> =
        netconform_collect::kubernetes::CLUSTER_KINDS
            .iter()
            .map(|kind| {
                let (group, resource) = group_resource(kind);
                (group, resource, vec!["list".to_owned()])
            })
            .collect();
    wanted.sort();
    assert_eq!(cluster, wanted);
}

#[tokio::test]
async fn the_api_namespace_is_found_from_its_http_route_and_its_shared_gateway_is_kept() {
    // pulumi-gw serves gateway.test through a Gateway shared with another team's route, in
    // gateway-system, whose class's LoadBalancerConfiguration lives in kube-system.
    let case = Case::new("gateway");
    let manifest = case
        .collect("gateway.test", &case.kubectl(None), None)
        .await
        .unwrap();
    assert_eq!(manifest.namespace.as_deref(), Some("pulumi-gw"));
    let list: Value = case.objects();
    let names = kinds_and_names_any(&list);
    for wanted in [
        "HTTPRoute pulumi-gw/pulumi-api",
        "HTTPRoute pulumi-gw/pulumi-console",
        "TargetGroupConfiguration pulumi-gw/pulumi-api",
        "Gateway gateway-system/platform",
        "GatewayClass /aws-alb",
        "LoadBalancerConfiguration kube-system/platform-defaults",
        "LoadBalancerConfiguration gateway-system/platform",
        "TargetGroupConfiguration kube-system/platform-target-groups",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} not in {names:#?}"
        );
    }
    for unwanted in ["storefront", "internal", "aws-nlb"] {
        assert!(
            !names.iter().any(|n| n.contains(unwanted)),
            "{unwanted} in {names:#?}"
        );
    }
    let calls = case.calls();
    let mut around: Vec<&str> = calls
        .lines()
        .filter(|c| c.contains("--all-namespaces"))
        .map(|c| c.split_whitespace().nth(1).unwrap())
        .collect();
    // The four around the namespace go at once, in any order; then the NodeClasses.
    around[2..].sort();
    assert_eq!(
        around,
        [
            "ingresses.networking.k8s.io",
            "httproutes.gateway.networking.k8s.io",
            "gatewayclasses.gateway.networking.k8s.io",
            "gateways.gateway.networking.k8s.io",
            "loadbalancerconfigurations.gateway.k8s.aws",
            "nodeclasses.eks.amazonaws.com",
            "targetgroupconfigurations.gateway.k8s.aws",
        ]
    );
}

#[tokio::test]
async fn a_forbidden_gateway_class_list_is_denied_not_a_partial_set() {
    let case = Case::new("gateway-forbidden");
    case.forbid("gatewayclasses.gateway.networking.k8s.io");
    let manifest = case
        .collect("gateway.test", &case.kubectl(None), None)
        .await
        .unwrap();
    assert_eq!(
        manifest.denied(),
        [(
            "list gatewayclasses.gateway.networking.k8s.io at the cluster scope",
            "the gatewayclasses.gateway.networking.k8s.io the API's routes lead to"
        )]
    );
    assert!(!case.out().join("objects.json").exists());
}

/// Like [`kinds_and_names`], for cluster-scoped objects too (no namespace: empty).
fn kinds_and_names_any(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{} {}/{}",
                o["kind"].as_str().unwrap(),
                o["metadata"]["namespace"].as_str().unwrap_or_default(),
                o["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn the_http_proxy_in_another_namespace_is_read_there_and_only_it() {
    // pulumi-nginx serves nginx.test through ingress-nginx, which runs in ingress-nginx behind
    // a Service of type LoadBalancer whose NLB the Ingresses' status names; beside it, the
    // chart's default backend and admission Service, and another team's NLB Service in shop.
    let case = Case::new("proxy");
    let manifest = case
        .collect("nginx.test", &case.kubectl(None), None)
        .await
        .unwrap();
    assert_eq!(manifest.namespace.as_deref(), Some("pulumi-nginx"));
    assert!(manifest.denied().is_empty());
    let list: Value = case.objects();
    let names = kinds_and_names(&list);
    let proxy: Vec<&String> = names
        .iter()
        .filter(|n| !n.contains(" pulumi-nginx/"))
        .collect();
    assert_eq!(
        proxy,
        [
            "Service ingress-nginx/ingress-nginx-controller",
            "Deployment ingress-nginx/ingress-nginx-controller",
            "HorizontalPodAutoscaler ingress-nginx/ingress-nginx-controller",
        ],
        "only the proxy's objects: {names:#?}"
    );
    let calls = case.calls();
    let outside: Vec<&str> = calls
        .lines()
        .filter(|c| !c.contains(" -n pulumi-nginx "))
        .collect();
    assert_eq!(
        outside,
        [
            "get ingresses.networking.k8s.io --all-namespaces -o json",
            "get httproutes.gateway.networking.k8s.io --all-namespaces -o json",
            "get services --all-namespaces -o json",
            "get deployments.apps -n ingress-nginx -o json",
            "get horizontalpodautoscalers.autoscaling -n ingress-nginx -o json",
            "get nodeclasses.eks.amazonaws.com --all-namespaces -o json",
        ]
    );
    // What config makes of it: the proxy tier judged as the load balancer, which it could
    // not be without these objects ("not checked: the HTTP proxy behind ...").
    let d = case.read_back();
    let outcome = netconform_config::checks::check_application_load_balancer(&d);
    assert_eq!(
        outcome.verdict,
        netconform_model::Verdict::Pass,
        "{}",
        outcome.reason
    );
    assert!(
        outcome
            .reason
            .contains("Deployment ingress-nginx/ingress-nginx-controller (ingress-nginx, an HTTP proxy in the cluster)"),
        "{}",
        outcome.reason
    );
}

#[tokio::test]
async fn an_ingress_of_the_load_balancer_controller_lists_no_services() {
    // The eks deployment's Ingresses are the ALB's: no proxy in the cluster, no Service list.
    let case = Case::new("no-proxy");
    case.collect("sandbox.test", &case.kubectl(None), None)
        .await
        .unwrap();
    assert!(!case.calls().contains("get services --all-namespaces"));
}

#[tokio::test]
async fn a_refused_service_list_leaves_out_the_proxy_alone() {
    // An identity with the namespace's Role only: the API's objects are written, the proxy
    // tier is not (config then says what it lacks), and the refusal is named.
    let case = Case::new("proxy-forbidden");
    case.cluster.forbid_in("services", "all");
    let manifest = case
        .collect("nginx.test", &case.kubectl(None), Some("pulumi-nginx"))
        .await
        .unwrap();
    let list: Value = case.objects();
    let names = kinds_and_names(&list);
    assert!(
        names.iter().all(|n| n.contains(" pulumi-nginx/")),
        "{names:#?}"
    );
    assert_eq!(
        manifest.denied(),
        [(
            "list services at the cluster scope",
            "the HTTP proxy in front of the API (services)"
        )]
    );
    assert!(!case.out().join("denied.json").exists());
    let d = case.read_back();
    let outcome = netconform_config::checks::check_application_load_balancer(&d);
    assert_eq!(
        outcome.verdict,
        netconform_model::Verdict::NotChecked,
        "{}",
        outcome.reason
    );
    assert!(
        outcome.reason.contains("the HTTP proxy behind"),
        "{}",
        outcome.reason
    );
}

#[tokio::test]
async fn envoy_gateway_s_proxy_is_read_in_its_own_namespace() {
    // pulumi-eg serves eg.test through its Gateway of class eg (Envoy Gateway), whose Envoy
    // Deployment and Service of type LoadBalancer Envoy Gateway runs in envoy-gateway-system,
    // beside its own controller.
    let case = Case::new("envoy");
    let manifest = case
        .collect("eg.test", &case.kubectl(None), None)
        .await
        .unwrap();
    assert_eq!(manifest.namespace.as_deref(), Some("pulumi-eg"));
    let list: Value = case.objects();
    let names = kinds_and_names_any(&list);
    let proxy: Vec<&String> = names
        .iter()
        .filter(|n| n.contains("envoy-gateway-system/"))
        .collect();
    assert_eq!(
        proxy,
        [
            "Service envoy-gateway-system/envoy-pulumi-eg-eg-3c1a9f20",
            "Deployment envoy-gateway-system/envoy-pulumi-eg-eg-3c1a9f20",
        ],
        "{names:#?}"
    );
    assert!(names.iter().any(|n| n == "GatewayClass /eg"), "{names:#?}");
    let d = case.read_back();
    let outcome = netconform_config::checks::check_application_load_balancer(&d);
    assert_eq!(
        outcome.verdict,
        netconform_model::Verdict::Pass,
        "{}",
        outcome.reason
    );
    assert!(
        outcome.reason.contains("Envoy (Envoy Gateway)"),
        "{}",
        outcome.reason
    );
}

/// kubectl against the recorded cluster with EKS Auto Mode's NodeClasses added (the
/// `eks-auto` set of the config corpus, as `kubectl get nodeclasses.eks.amazonaws.com -o json`
/// prints them), its answers in the case's directory.
fn auto_mode_kubectl(case: &Case) -> Kubectl {
    let answers = case.dir.join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    for entry in std::fs::read_dir(CLUSTER).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, answers.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../config/tests/data/eks-auto/kubernetes/nodeclasses.json"),
        answers.join("all-nodeclasses.eks.amazonaws.com.json"),
    )
    .unwrap();
    let mut kubectl = Kubectl::new(None);
    kubectl.program = case
        .cluster
        .kubectl_from("kubectl-auto", &answers)
        .display()
        .to_string();
    kubectl
}

#[tokio::test]
async fn eks_auto_mode_s_node_classes_are_collected_with_the_api_s_objects() {
    // EKS user guide, "Create a Node Class for Amazon EKS": on Auto Mode the NodeClass's
    // subnets place the nodes; the private-subnet rule reads them from the collected List.
    let case = Case::new("auto-mode");
    let kubectl = auto_mode_kubectl(&case);
    let manifest = case.collect("sandbox.test", &kubectl, None).await.unwrap();
    assert!(manifest.denied().is_empty());
    let list: Value = case.objects();
    let node_classes: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "NodeClass")
        .collect();
    assert!(!node_classes.is_empty(), "{list:#}");
    assert!(
        node_classes.iter().all(|n| n["apiVersion"]
            .as_str()
            .unwrap()
            .starts_with("eks.amazonaws.com/")),
        "{node_classes:#?}"
    );
    // What config makes of them: the NodeClass is read as what places the nodes.
    let d = case.read_back();
    assert!(
        d.node_groups
            .iter()
            .any(|g| g.subject.starts_with("EKS Auto Mode NodeClass ")),
        "the collected NodeClasses are read as what places the nodes: {:#?}",
        d.node_groups
    );
}

#[tokio::test]
async fn a_refused_node_class_list_leaves_out_the_node_classes_alone() {
    let case = Case::new("auto-mode-refused");
    let kubectl = auto_mode_kubectl(&case);
    case.cluster
        .forbid_in("nodeclasses.eks.amazonaws.com", "all");
    let manifest = case.collect("sandbox.test", &kubectl, None).await.unwrap();
    // The API's objects are written; the refusal is in the manifest, and no gap for the rest
    // (no denied.json: the private-subnet rule alone lacks the NodeClasses, and says so).
    assert_eq!(
        manifest.denied(),
        [(
            "list nodeclasses.eks.amazonaws.com at the cluster scope",
            "EKS Auto Mode's NodeClasses, whose subnets place the nodes"
        )]
    );
    assert!(!case.out().join("denied.json").exists());
    let refused = manifest
        .calls
        .iter()
        .find(|c| c.command.contains("nodeclasses.eks.amazonaws.com"))
        .expect("the NodeClass call is recorded");
    assert!(refused.result.starts_with("denied"), "{refused:?}");
    let list: Value = case.objects();
    let kinds: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"Deployment") && !kinds.contains(&"NodeClass"),
        "{kinds:?}"
    );
}
