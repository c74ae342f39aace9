//! The Gateway API's joins: the API's routes (by the Services they send to, or by hostname),
//! their Gateways and GatewayClasses, and what the AWS Load Balancer Controller makes of them
//! under its own precedence rules (its docs, `docs/guide/gateway/`):
//!
//! - a LoadBalancerConfiguration on the GatewayClass and one on the Gateway are merged, the
//!   class's `mergingMode` deciding which wins a key both set (`prefer-gateway-class`, the
//!   default, or `prefer-gateway`); `loadBalancerAttributes` merge key by key
//!   (customization.md, "Conflict Resolution for LoadBalancerConfiguration");
//! - a target group's properties come from the Service's TargetGroupConfiguration (its most
//!   specific matching route configuration over its default configuration), then the
//!   Gateway-level default TargetGroupConfigurations the two LoadBalancerConfigurations name
//!   (merged by the same `mergingMode`); `healthCheckConfig` is taken whole from the first
//!   that sets it, `targetGroupAttributes` key by key (targetgroupconfig.md, "Configuration
//!   Resolution Order", "GatewayClass + Gateway Default TGC Merging").

use std::collections::BTreeSet;

use super::joins::{dns_key, looks_like_api};
use super::{
    Attribute, Backend, Deployment, Gateway, GatewayClass, GatewayImpl, LbConfig, Route, TgConfig,
    TgHealth, TgProps,
};
use crate::node::{Field, Loc};

/// A resolved setting of a load balancer or target group and where it came from.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    pub attribute: &'a Attribute,
    /// "LoadBalancerConfiguration pulumi/pulumi (the Gateway's)".
    pub from: String,
}

/// The target group properties that apply to one backend of one route behind one Gateway,
/// highest precedence first, each with where it comes from.
#[derive(Debug, Clone)]
pub struct TgLayers<'a> {
    pub layers: Vec<(&'a TgProps, String)>,
    /// Where a setting none of them makes would be written: the Service's
    /// TargetGroupConfiguration, else the route's backendRef.
    pub at: Loc,
}

impl<'a> TgLayers<'a> {
    /// The health check: the first layer's that sets one, whole.
    pub fn health(&self) -> Option<(&'a TgHealth, &str)> {
        self.layers
            .iter()
            .find_map(|(p, from)| p.health.as_ref().map(|h| (h, from.as_str())))
    }

    /// A target group attribute: the first layer's that sets the key.
    pub fn attribute(&self, key: &str) -> Option<Resolved<'a>> {
        self.layers.iter().find_map(|(p, from)| {
            p.attributes
                .iter()
                .find(|a| a.key == key)
                .map(|a| Resolved {
                    attribute: a,
                    from: from.clone(),
                })
        })
    }
}

impl Deployment {
    /// Every DNS name (and public address) a load balancer is known by: those of the load
    /// balancers read (an Azure gateway's public IPs, a forwarding rule's IP), and those
    /// Ingresses' and Gateways' statuses give.
    pub fn load_balancer_names(&self) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self
            .load_balancers
            .iter()
            .flat_map(|lb| lb.dns_name.iter().chain(&lb.addresses))
            .map(|n| dns_key(n))
            .collect();
        names.extend(
            self.gateways
                .iter()
                .flat_map(|g| g.addresses.iter())
                .map(|h| dns_key(h)),
        );
        names.extend(
            self.ingresses
                .iter()
                .flat_map(|i| i.status_hostnames.iter())
                .map(|h| dns_key(h)),
        );
        names
    }

    /// The GatewayClass a Gateway names, when it was read.
    pub fn gateway_class_of(&self, gw: &Gateway) -> Option<&GatewayClass> {
        let name = gw.class.value()?;
        self.gateway_classes.iter().find(|c| c.name == *name)
    }

    /// What runs a Gateway, when its GatewayClass was read.
    pub fn implementation_of(&self, gw: &Gateway) -> Option<GatewayImpl> {
        let class = self.gateway_class_of(gw)?;
        class
            .controller
            .value()
            .map(|c| GatewayImpl::from_controller(c))
    }

    /// The Gateways a route attaches to, among those read.
    pub fn gateways_of(&self, route: &Route) -> Vec<&Gateway> {
        self.gateways
            .iter()
            .filter(|g| {
                route
                    .parents
                    .iter()
                    .any(|(ns, name)| *ns == g.namespace && *name == g.name)
            })
            .collect()
    }

    /// The routes that lead to the API: a backend Service selecting an API workload (without
    /// workloads read, a Service named for the API), or a hostname `api.*` of their own or of
    /// the listener they attach to.
    pub fn api_routes(&self) -> Vec<&Route> {
        self.routes
            .iter()
            .filter(|r| {
                let by_backend = r.backends.iter().any(|b| {
                    self.api_workloads().any(|w| {
                        w.namespace == b.namespace && self.service_selects(&b.namespace, &b.name, w)
                    }) || (self.workloads.is_empty() && looks_like_api(&b.name, std::iter::empty()))
                });
                let by_host = r.hostnames.iter().any(|h| h.starts_with("api."))
                    || (r.hostnames.is_empty()
                        && self.gateways_of(r).iter().any(|g| {
                            g.listeners.iter().any(|l| {
                                l.hostname.as_deref().is_some_and(|h| h.starts_with("api."))
                            })
                        }));
                by_backend || by_host
            })
            .collect()
    }

    /// The API's routes with each Gateway they attach to.
    pub fn api_gateways(&self) -> Vec<(&Route, &Gateway)> {
        self.api_routes()
            .into_iter()
            .flat_map(|r| self.gateways_of(r).into_iter().map(move |g| (r, g)))
            .collect()
    }

    fn lb_config(&self, namespace: &str, name: &str) -> Option<&LbConfig> {
        self.lb_configs
            .iter()
            .find(|c| c.namespace == namespace && c.name == name)
    }

    /// The LoadBalancerConfigurations of a Gateway, highest precedence first, each with its
    /// role: the GatewayClass's (its `parametersRef`, in the namespace it names) and the
    /// Gateway's (`spec.infrastructure.parametersRef`, in the Gateway's namespace), ordered by
    /// the class's `mergingMode`.
    pub fn lb_configs_of(&self, gw: &Gateway) -> Vec<(&LbConfig, String)> {
        let class = self
            .gateway_class_of(gw)
            .and_then(|c| c.params.as_ref())
            .filter(|p| p.is_lb_config())
            .and_then(|p| self.lb_config(p.namespace.as_deref().unwrap_or("default"), &p.name));
        let own = gw
            .params
            .as_ref()
            .filter(|p| p.is_lb_config())
            .and_then(|p| self.lb_config(&gw.namespace, &p.name));
        let prefer_gateway = class
            .and_then(|c| c.merging_mode.value())
            .is_some_and(|m| m == "prefer-gateway");
        let mut out: Vec<(&LbConfig, String)> = Vec::new();
        let class = class.map(|c| (c, format!("{} (the GatewayClass's)", c.subject)));
        let own = own.map(|c| (c, format!("{} (the Gateway's)", c.subject)));
        if prefer_gateway {
            out.extend(own);
            out.extend(class);
        } else {
            out.extend(class);
            out.extend(own);
        }
        out
    }

    /// A load balancer attribute of a Gateway as the controller merges it.
    pub fn lb_attribute(&self, gw: &Gateway, key: &str) -> Option<Resolved<'_>> {
        self.lb_configs_of(gw).into_iter().find_map(|(c, from)| {
            c.attribute(key)
                .map(|attribute| Resolved { attribute, from })
        })
    }

    /// A top-level field of a Gateway's LoadBalancerConfigurations as the controller merges
    /// them (`scheme`, `loadBalancerSubnets`): the first that sets it, in precedence order,
    /// with where it comes from. Unset in all, where it would be written: the Gateway's own
    /// configuration, else its class's, else the Gateway's `spec.infrastructure`.
    pub fn lb_field<T>(
        &self,
        gw: &Gateway,
        key: &str,
        field: impl Fn(&LbConfig) -> &Field<T>,
    ) -> Result<(&Field<T>, String), Loc> {
        let configs = self.lb_configs_of(gw);
        if let Some(&(c, ref from)) = configs.iter().find(|(c, _)| !field(c).is_unset()) {
            return Ok((field(c), from.clone()));
        }
        Err(configs
            .iter()
            .find(|(_, from)| from.ends_with("(the Gateway's)"))
            .or(configs.first())
            .map_or_else(
                || gw.at.keys("spec.infrastructure"),
                |(c, _)| c.at.keys(&format!("spec.{key}")),
            ))
    }

    /// Where a load balancer attribute of a Gateway none sets would be written: the Gateway's
    /// own LoadBalancerConfiguration, else its class's, else the Gateway's
    /// `spec.infrastructure`.
    pub fn lb_attributes_at(&self, gw: &Gateway) -> Loc {
        let configs = self.lb_configs_of(gw);
        configs
            .iter()
            .find(|(_, from)| from.ends_with("(the Gateway's)"))
            .or(configs.first())
            .map_or_else(
                || gw.at.keys("spec.infrastructure"),
                |(c, _)| c.attributes_at.clone(),
            )
    }

    /// The target group properties for `backend` of `route` behind `gw`, highest precedence
    /// first.
    pub fn tg_layers(&self, backend: &Backend, route: &Route, gw: &Gateway) -> TgLayers<'_> {
        let mut layers: Vec<(&TgProps, String)> = Vec::new();
        let service = self.tg_configs.iter().find(|t| {
            t.namespace == backend.namespace
                && t.target
                    .as_ref()
                    .is_some_and(|(kind, name)| kind == "Service" && *name == backend.name)
        });
        let at = service.map_or_else(|| backend.at.clone(), |t| t.default.at.clone());
        if let Some(t) = service {
            push_tg_config(&mut layers, t, route, "", true);
        }
        // Only the winning default's route configurations count (targetgroupconfig.md).
        let mut first_default = true;
        for (lb, _) in self.lb_configs_of(gw) {
            let default = lb.default_tg_config.as_deref().and_then(|name| {
                self.tg_configs
                    .iter()
                    .find(|t| t.namespace == lb.namespace && t.name == name && t.target.is_none())
            });
            if let Some(t) = default {
                push_tg_config(
                    &mut layers,
                    t,
                    route,
                    &format!(", the default of {}", lb.subject),
                    first_default,
                );
                first_default = false;
            }
        }
        TgLayers { layers, at }
    }
}

/// A TargetGroupConfiguration's properties for `route`: its most specific matching route
/// configuration (kind, namespace and name; kind and namespace; kind), then its default.
fn push_tg_config<'a>(
    layers: &mut Vec<(&'a TgProps, String)>,
    t: &'a TgConfig,
    route: &Route,
    role: &str,
    with_routes: bool,
) {
    let specificity = |rc: &crate::view::RouteTgProps| -> Option<u8> {
        if rc.kind != route.kind {
            return None;
        }
        match (&rc.namespace, &rc.name) {
            (Some(ns), Some(name)) if *ns == route.namespace && *name == route.name => Some(3),
            (Some(ns), None) if *ns == route.namespace => Some(2),
            (None, Some(name)) if *name == route.name => Some(2),
            (None, None) => Some(1),
            _ => None,
        }
    };
    if let Some(rc) = t
        .routes
        .iter()
        .filter(|_| with_routes)
        .filter_map(|rc| specificity(rc).map(|s| (s, rc)))
        .max_by_key(|(s, _)| *s)
        .map(|(_, rc)| rc)
    {
        layers.push((
            &rc.props,
            format!(
                "{} (its configuration for {}{role})",
                t.subject, route.subject
            ),
        ));
    }
    layers.push((&t.default, format!("{}{role}", t.subject)));
}
