//! HTTP proxies that run in the cluster in front of the API (ingress-nginx, Envoy Gateway's
//! Envoy, Traefik, HAProxy's and NGINX's controllers): which workloads they are (by their
//! image), the Services of type LoadBalancer in front of them, and whether the API's traffic
//! goes through them (its Ingress of a class no cloud controller serves, or its route on a
//! Gateway an in-cluster implementation runs). A layer-4 balancer in front of such a tier is
//! the guide's "equivalent" of an Application Load Balancer only when the tier itself is
//! highly available and drains: the checks judge it as the load balancer.

use super::joins::image_repository;
use super::{Deployment, GatewayImpl, KubeService, KubeWorkload};

/// The proxies netconform knows, by the repository of their image (its last parts), each as
/// its project publishes it.
const PROXIES: &[(&str, &str)] = &[
    // kubernetes/ingress-nginx: registry.k8s.io/ingress-nginx/controller.
    ("ingress-nginx/controller", "ingress-nginx"),
    // Envoy Gateway's data plane: docker.io/envoyproxy/envoy.
    ("envoyproxy/envoy", "Envoy (Envoy Gateway)"),
    // Traefik: docker.io/traefik (the official image) or traefik/traefik.
    ("traefik", "Traefik"),
    // HAProxy Technologies: haproxytech/kubernetes-ingress.
    (
        "haproxytech/kubernetes-ingress",
        "HAProxy Kubernetes Ingress Controller",
    ),
    // F5 NGINX Ingress Controller: nginx/nginx-ingress.
    ("nginx/nginx-ingress", "F5 NGINX Ingress Controller"),
    // NGINX Gateway Fabric's data plane: ghcr.io/nginx/nginx-gateway-fabric/nginx.
    ("nginx-gateway-fabric/nginx", "NGINX Gateway Fabric"),
];

/// The IngressClass controllers of cloud load balancers: an Ingress of theirs is no proxy in
/// the cluster (the AWS Load Balancer Controller's, GKE's and Application Gateway's).
const CLOUD_INGRESS_CONTROLLERS: &[&str] = &[
    "ingress.k8s.aws/alb",
    "k8s.io/ingress-gce",
    "azure/application-gateway",
    "alb.networking.azure.io/alb-controller",
];

/// The Ingress classes a cloud load balancer's controller serves without an IngressClass
/// object: `alb` (AWS Load Balancer Controller), `gce` and `gce-internal` (GKE Ingress, "GKE
/// Ingress for Application Load Balancers",
/// https://cloud.google.com/kubernetes-engine/docs/concepts/ingress), and
/// `azure-application-gateway` (Application Gateway Ingress Controller,
/// https://azure.github.io/application-gateway-kubernetes-ingress/) and `azure-alb-external`
/// (Application Gateway for Containers' ALB Controller,
/// https://learn.microsoft.com/azure/application-gateway/for-containers/overview).
const CLOUD_INGRESS_CLASSES: &[&str] = &[
    "alb",
    "gce",
    "gce-internal",
    "azure-application-gateway",
    "azure-alb-external",
];

/// The proxy an image is, if it is one.
pub fn proxy_of_image(image: &str) -> Option<&'static str> {
    let repo = image_repository(image);
    PROXIES
        .iter()
        .find(|(suffix, _)| repo == *suffix || repo.ends_with(&format!("/{suffix}")))
        .map(|(_, name)| *name)
}

/// A proxy workload and the Services of type LoadBalancer in front of it.
#[derive(Debug, Clone)]
pub struct Proxy<'a> {
    pub name: &'static str,
    pub workload: &'a KubeWorkload,
    pub services: Vec<&'a KubeService>,
}

/// The in-cluster proxy tier the API's traffic goes through.
#[derive(Debug, Clone)]
pub struct ProxyTier<'a> {
    /// How the API's traffic reaches it: "Ingress pulumi/pulumi-api (class nginx)".
    pub via: Vec<String>,
    /// The proxy workloads of the inputs.
    pub proxies: Vec<Proxy<'a>>,
    /// The hosts the API's and the console's Ingresses or routes through it serve.
    pub hosts: Vec<String>,
}

impl Deployment {
    /// Whether an Ingress class is served by a cloud load balancer's controller (the class
    /// `alb`, `gce`, `gce-internal` or `azure-application-gateway`, or an IngressClass whose
    /// controller is one).
    fn cloud_class(&self, class: Option<&str>) -> bool {
        let Some(class) = class else { return false };
        CLOUD_INGRESS_CLASSES.contains(&class)
            || self.ingress_classes.iter().any(|c| {
                c.name == class
                    && c.controller
                        .as_deref()
                        .is_some_and(|ctl| CLOUD_INGRESS_CONTROLLERS.contains(&ctl))
            })
    }

    /// The in-cluster proxy tier in front of the API, when its traffic goes through one.
    pub fn proxy_tier(&self) -> Option<ProxyTier<'_>> {
        let mut via = Vec::new();
        let mut hosts = Vec::new();
        let api_ingresses = self.api_ingresses();
        let classes: Vec<Option<&str>> = api_ingresses
            .iter()
            .filter(|i| !i.alb && !self.cloud_class(i.class.as_deref()))
            .map(|i| {
                via.push(format!(
                    "{} (class {})",
                    i.subject,
                    i.class.as_deref().unwrap_or("default")
                ));
                i.class.as_deref()
            })
            .collect();
        for ing in &self.ingresses {
            if classes.contains(&ing.class.as_deref()) && !ing.alb {
                hosts.extend(ing.hosts.iter().cloned());
            }
        }
        let mut gateways = Vec::new();
        for (route, gw) in self.api_gateways() {
            if matches!(self.implementation_of(gw), Some(GatewayImpl::InCluster(_))) {
                via.push(format!("{} on {}", route.subject, gw.subject));
                gateways.push(gw);
            }
        }
        for route in &self.routes {
            if self
                .gateways_of(route)
                .iter()
                .any(|g| gateways.iter().any(|w| std::ptr::eq(*w, *g)))
            {
                hosts.extend(route.hostnames.iter().cloned());
            }
        }
        if via.is_empty() {
            return None;
        }
        hosts.sort();
        hosts.dedup();
        let proxies = self
            .workloads
            .iter()
            .filter_map(|w| {
                let name = w.containers.iter().find_map(|c| proxy_of_image(&c.image))?;
                let services = self
                    .kube_services
                    .iter()
                    .filter(|s| s.is_load_balancer() && s.selects(w))
                    .collect();
                Some(Proxy {
                    name,
                    workload: w,
                    services,
                })
            })
            .collect();
        Some(ProxyTier {
            via,
            proxies,
            hosts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::proxy_of_image;

    #[test]
    fn proxies_are_told_by_their_image() {
        assert_eq!(
            proxy_of_image("registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:abc"),
            Some("ingress-nginx")
        );
        assert_eq!(
            proxy_of_image("docker.io/envoyproxy/envoy:distroless-v1.35.0"),
            Some("Envoy (Envoy Gateway)")
        );
        assert_eq!(proxy_of_image("traefik:v3.4"), Some("Traefik"));
        assert_eq!(proxy_of_image("pulumi/service:1"), None);
        assert_eq!(proxy_of_image("example.com/not-traefik:1"), None);
    }
}
