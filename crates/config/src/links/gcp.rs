//! Google Cloud's joins: a load balancer there is a chain of resources, each in its own list
//! (forwarding rule -> target proxy -> URL map -> backend services -> network endpoint groups or
//! instance groups, a health check beside), and a managed instance group's bounds are on its
//! autoscaler. Joined here once every file is read: the forwarding rule's backends' zones, the
//! backend service's health check and load balancers, the group's backend services and
//! bounds, its instance template's addresses and subnets.

use std::collections::BTreeMap;

use crate::node::{Field, Loc, State};
use crate::view::{Deployment, Placement, VmShutdown, gcp_name, gcp_ref, gcp_zone};

/// A forwarding rule read as a load balancer.
#[derive(Debug, Clone)]
pub(crate) struct RuleLink {
    /// Its load balancer's `arn` (its self link, from `projects/`).
    pub(crate) rule: String,
    /// Its target proxy or (passthrough) backend service.
    pub(crate) target: Option<String>,
}

/// A backend service read as a target group.
#[derive(Debug, Clone)]
pub(crate) struct BackendLink {
    pub(crate) service: String,
    /// Its backends' groups (network endpoint groups, instance groups).
    pub(crate) groups: Vec<String>,
    pub(crate) groups_at: Loc,
    pub(crate) health_checks: Vec<String>,
    pub(crate) health_checks_at: Loc,
}

/// A managed instance group's parts in other lists.
#[derive(Debug, Clone)]
pub(crate) struct GroupLink {
    pub(crate) manager: String,
    /// The instance group it manages (what backend services name).
    pub(crate) instance_group: Option<String>,
    pub(crate) template: Option<String>,
}

/// An instance template: whether its instances get external addresses, and their subnets.
#[derive(Debug, Clone)]
pub(crate) struct TemplateLink {
    pub(crate) template: String,
    /// "instance template pulumi-api-20261101".
    pub(crate) subject: String,
    pub(crate) public_ip: Field<bool>,
    pub(crate) subnets: Field<Vec<String>>,
    /// `scheduling.gracefulShutdown.enabled` and `.maxDuration.seconds`.
    pub(crate) graceful_shutdown: (Field<bool>, Field<u64>),
}

/// An autoscaler's bounds, for the group it targets.
#[derive(Debug, Clone)]
pub(crate) struct BoundsLink {
    pub(crate) target: String,
    pub(crate) min: Field<u64>,
    pub(crate) max: Field<u64>,
}

/// What Google Cloud's lists say about each other.
#[derive(Debug, Default)]
pub(crate) struct GcpLinks {
    pub(crate) rules: Vec<RuleLink>,
    /// Target proxy -> its URL map.
    pub(crate) proxies: BTreeMap<String, Option<String>>,
    /// URL map -> the backend services it routes to.
    pub(crate) url_maps: BTreeMap<String, Vec<String>>,
    pub(crate) backends: Vec<BackendLink>,
    /// Health check -> its request path, and where its type is written.
    pub(crate) health_checks: BTreeMap<String, (Field<String>, Loc)>,
    /// Network endpoint group -> its zone.
    pub(crate) negs: BTreeMap<String, Option<String>>,
    pub(crate) groups: Vec<GroupLink>,
    pub(crate) templates: Vec<TemplateLink>,
    pub(crate) bounds: Vec<BoundsLink>,
}

/// A Google Cloud HTTP health check succeeds on `200 OK` only ("Health checks overview",
/// success criteria for HTTP, HTTPS and HTTP/2).
const GCP_HEALTHY_CODES: &str = "200";

impl GcpLinks {
    /// Joins everything into `view`.
    pub(crate) fn join(self, view: &mut Deployment) {
        self.join_groups(view);
        self.join_backends(view);
        self.join_rules(view);
    }

    /// The zones a backend group is in: its reference's, a network endpoint group's, or a
    /// regional managed instance group's distribution.
    fn zones_of_group(&self, view: &Deployment, group: &str) -> Vec<String> {
        if let Some(z) = gcp_zone(group) {
            return vec![z.to_owned()];
        }
        if let Some(Some(z)) = self.negs.get(group) {
            return vec![z.clone()];
        }
        self.groups
            .iter()
            .filter(|g| g.instance_group.as_deref() == Some(group))
            .filter_map(|g| {
                view.groups
                    .iter()
                    .find(|a| a.arn.as_deref() == Some(&g.manager))
            })
            .flat_map(|a| a.zones.clone())
            .collect()
    }

    /// Each backend service's health check path, and the groups it sends to.
    fn join_backends(&self, view: &mut Deployment) {
        for b in &self.backends {
            let Some(tg) = view
                .target_groups
                .iter_mut()
                .find(|t| t.arn.as_deref() == Some(&b.service))
            else {
                continue;
            };
            let hc = b.health_checks.first();
            match hc.and_then(|h| self.health_checks.get(h)) {
                Some((path, type_at)) => {
                    tg.health_path = path.clone();
                    tg.matcher = Field::set(type_at.clone(), GCP_HEALTHY_CODES.to_owned());
                }
                None if hc.is_some() && self.health_checks.is_empty() => {
                    let why = format!(
                        "its health check {} is in no input (export `gcloud compute health-checks list --format=json`)",
                        gcp_name(hc.map_or("", String::as_str))
                    );
                    tg.health_path = invalid(&b.health_checks_at, &why);
                    tg.matcher = invalid(&b.health_checks_at, &why);
                }
                None if hc.is_some() => {
                    let why = format!(
                        "its health check {} is not among the health checks read",
                        gcp_name(hc.map_or("", String::as_str))
                    );
                    tg.health_path = invalid(&b.health_checks_at, &why);
                    tg.matcher = invalid(&b.health_checks_at, &why);
                }
                None => {
                    tg.health_path = Field::unset(b.health_checks_at.clone());
                }
            }
        }
        for g in &self.groups {
            let Some(ig) = g.instance_group.as_deref() else {
                continue;
            };
            let services: Vec<String> = self
                .backends
                .iter()
                .filter(|b| b.groups.iter().any(|x| x == ig))
                .map(|b| b.service.clone())
                .collect();
            if let Some(a) = view
                .groups
                .iter_mut()
                .find(|a| a.arn.as_deref() == Some(&g.manager))
            {
                a.target_groups.extend(services);
            }
        }
    }

    /// Each managed instance group's bounds (its autoscaler's) and template.
    fn join_groups(&self, view: &mut Deployment) {
        for g in &self.groups {
            let Some(a) = view
                .groups
                .iter_mut()
                .find(|a| a.arn.as_deref() == Some(&g.manager))
            else {
                continue;
            };
            if let Some(b) = self.bounds.iter().find(|b| b.target == g.manager) {
                a.min = b.min.clone();
                a.max = b.max.clone();
            }
            if let Some(t) = g
                .template
                .as_deref()
                .and_then(|t| self.templates.iter().find(|x| x.template == t))
            {
                a.public_ip = t.public_ip.clone();
                a.subnets = t.subnets.clone();
                view.vm_shutdowns.push(VmShutdown {
                    group: g.manager.clone(),
                    template: t.subject.clone(),
                    enabled: t.graceful_shutdown.0.clone(),
                    max_duration: t.graceful_shutdown.1.clone(),
                });
            }
        }
    }

    /// Each forwarding rule's backends: their zones as its placements (each placement's
    /// `subnet` the backend service it is reached through, so a check can judge each backend
    /// service's zones), it as their load balancer.
    fn join_rules(&self, view: &mut Deployment) {
        for rule in &self.rules {
            let services = self.services_of(rule);
            let mut placements: Vec<Placement> = Vec::new();
            let mut at = None;
            for s in &services {
                if let Some(tg) = view
                    .target_groups
                    .iter_mut()
                    .find(|t| t.arn.as_deref() == Some(s.as_str()))
                    && !tg.load_balancers.contains(&rule.rule)
                {
                    tg.load_balancers.push(rule.rule.clone());
                }
                let Some(b) = self.backends.iter().find(|b| b.service == *s) else {
                    continue;
                };
                at.get_or_insert_with(|| b.groups_at.clone());
                for g in &b.groups {
                    for z in self.zones_of_group(view, g) {
                        let p = Placement {
                            subnet: Some(s.clone()),
                            zone: Some(z),
                        };
                        if !placements.contains(&p) {
                            placements.push(p);
                        }
                    }
                }
            }
            if let (Some(at), Some(lb)) = (
                at,
                view.load_balancers
                    .iter_mut()
                    .find(|lb| lb.arn.as_deref() == Some(&rule.rule)),
            ) {
                lb.placements = Field::set(at, placements);
            }
        }
    }

    /// The backend services a forwarding rule reaches: through its proxy's URL map, or its
    /// own (a passthrough rule's).
    fn services_of(&self, rule: &RuleLink) -> Vec<String> {
        let Some(target) = rule.target.as_deref() else {
            return Vec::new();
        };
        match self.proxies.get(target) {
            Some(Some(map)) => self
                .url_maps
                .get(map)
                .cloned()
                .unwrap_or_else(|| vec![map.clone()]),
            Some(None) => Vec::new(),
            None => vec![target.to_owned()],
        }
    }
}

fn invalid<T>(at: &Loc, why: &str) -> Field<T> {
    Field {
        at: at.clone(),
        state: State::Invalid(why.to_owned()),
    }
}

/// A reference as the joins compare it.
pub(crate) fn reference(node: &crate::node::Node<'_>) -> Option<String> {
    node.opt_text().map(|s| gcp_ref(&s))
}
