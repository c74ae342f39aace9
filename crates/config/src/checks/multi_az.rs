//! "Multi-AZ deployment": the API spread over zones, the load balancer in several zones, at
//! least two instances.

use std::collections::BTreeSet;

use netconform_model::Outcome;
use netconform_model::guide::{MIN_AVAILABILITY_ZONES, MIN_INSTANCES, Section};

mod zone_features;

use super::azure::{AKS_ZONES, VMSS_ZONES, is_scale_set};
use super::{Judge, defaults, google_cloud, guideline, judged_load_balancers, no_api};
use crate::node::{Field, Loc, State};
use crate::view::{Deployment, Input};
use zone_features::{
    judge_distribution, judge_rebalancing, note_target_group_health, note_zonal_shift,
};

/// The zones of `subnets`, or the subnets whose zone no input gives.
pub(super) fn zones(d: &Deployment, subnets: &[String]) -> Result<BTreeSet<String>, Vec<String>> {
    let unknown: Vec<String> = subnets
        .iter()
        .filter(|s| d.zone_of(s).is_none())
        .cloned()
        .collect();
    if unknown.is_empty() {
        Ok(subnets
            .iter()
            .filter_map(|s| d.zone_of(s).map(str::to_owned))
            .collect())
    } else {
        Err(unknown)
    }
}

fn list(zones: &BTreeSet<String>) -> String {
    zones.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// Judges that `subnets` span at least two zones.
fn judge_subnet_zones(
    judge: &mut Judge,
    d: &Deployment,
    guideline: &str,
    subject: &str,
    subnets: &Field<Vec<String>>,
) {
    match &subnets.state {
        State::Set(ids) if !ids.is_empty() => match zones(d, ids) {
            Ok(z) => {
                let actual = format!(
                    "{} subnet(s) in {} zone(s): {}",
                    ids.len(),
                    z.len(),
                    list(&z)
                );
                let expected = format!("subnets in at least {MIN_AVAILABILITY_ZONES} zones");
                if z.len() >= MIN_AVAILABILITY_ZONES as usize {
                    judge.ok(guideline, subject, &subnets.at, actual, expected);
                } else {
                    judge.error(guideline, subject, &subnets.at, actual, expected);
                }
            }
            Err(unknown) => judge.missing(format!(
                "no zone for {} of {subject} ({})",
                unknown.join(", "),
                judge.source(d, Input::Subnets)
            )),
        },
        State::Set(_) | State::Unset => judge.error(
            guideline,
            subject,
            &subnets.at,
            "no subnets",
            format!("subnets in at least {MIN_AVAILABILITY_ZONES} zones"),
        ),
        State::Secret | State::Invalid(_) => judge.unreadable(guideline, subject, subnets),
    }
}

/// The API's pods or tasks are spread over at least two zones.
pub fn check_api_zones(d: &Deployment) -> Outcome {
    let mut judge = Judge::new("the API spans two availability zones", Section::MultiAz);
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        let expected =
            "a topologySpreadConstraints entry or pod anti-affinity on topology.kubernetes.io/zone";
        if w.zone_rules.is_empty() {
            judge.error(
                guideline::SPREAD_KUBERNETES,
                &w.subject,
                &w.spread_at,
                "not set (no zone spread constraint or zone anti-affinity: every pod may land in one zone)",
                expected,
            );
        }
        for rule in &w.zone_rules {
            if rule.hard {
                judge.ok(
                    guideline::SPREAD_KUBERNETES,
                    &w.subject,
                    &rule.at,
                    rule.what.clone(),
                    expected,
                );
            } else {
                judge.warn(
                    guideline::SPREAD_KUBERNETES,
                    &w.subject,
                    &rule.at,
                    format!("{}: a preference the scheduler may ignore", rule.what),
                    "a rule the scheduler must honour (DoNotSchedule, or required anti-affinity)",
                );
            }
        }
        judge_node_groups(&mut judge, d);
    }
    for s in d.api_services() {
        any = true;
        judge_subnet_zones(&mut judge, d, guideline::SPREAD_ECS, &s.subject, &s.subnets);
        judge_rebalancing(&mut judge, d, s);
    }
    for g in d.api_groups() {
        any = true;
        if is_scale_set(g) {
            judge_zone_list(&mut judge, VMSS_ZONES, &g.subject, &g.zones_at, &g.zones);
        } else if d.on_gcp() {
            // A managed instance group: its zones are its distribution policy's (its subnets
            // are regional).
            judge_zone_list(
                &mut judge,
                google_cloud::REGIONAL_MIG,
                &g.subject,
                &g.zones_at,
                &g.zones,
            );
        } else if g.subnets.is_unset() && !g.zones.is_empty() {
            judge_zone_list(
                &mut judge,
                guideline::SPREAD_VMS,
                &g.subject,
                &g.zones_at,
                &g.zones,
            );
        } else {
            judge_subnet_zones(&mut judge, d, guideline::SPREAD_VMS, &g.subject, &g.subnets);
            judge_distribution(&mut judge, d, g);
        }
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}

/// Judges that `zones` (a group's own, where its subnets span every zone: an Azure scale set's,
/// a managed instance group's distribution policy, a GKE cluster's node locations) are at
/// least two.
fn judge_zone_list(judge: &mut Judge, guideline: &str, subject: &str, at: &Loc, zones: &[String]) {
    let zones: BTreeSet<String> = zones.iter().cloned().collect();
    let expected = format!("at least {MIN_AVAILABILITY_ZONES} zones");
    if zones.len() >= MIN_AVAILABILITY_ZONES as usize {
        judge.ok(
            guideline,
            subject,
            at,
            format!("{} zone(s): {}", zones.len(), list(&zones)),
            expected,
        );
    } else if zones.is_empty() {
        judge.error(
            guideline,
            subject,
            at,
            "no zones: its instances are in no zone",
            expected,
        );
    } else {
        judge.error(
            guideline,
            subject,
            at,
            format!("{} zone(s): {}", zones.len(), list(&zones)),
            expected,
        );
    }
}

/// The node groups: by their subnets' zones (EKS), or by their own (AKS node pools, whose
/// subnet spans every zone: together at least two zones, each pool in a zone; a GKE cluster's
/// or node pool's locations: at least two each, its subnet being regional).
fn judge_node_groups(judge: &mut Judge, d: &Deployment) {
    let own: Vec<_> = d
        .node_groups
        .iter()
        .filter(|ng| !ng.zones.is_unset())
        .collect();
    let all: BTreeSet<String> = own
        .iter()
        .flat_map(|ng| ng.zones.value().cloned().unwrap_or_default())
        .collect();
    let expected = format!("node pools in at least {MIN_AVAILABILITY_ZONES} zones together");
    for ng in &d.node_groups {
        if d.on_gcp() && !ng.zones.is_unset() {
            // Named zones (a GKE cluster's node locations): its subnet is regional.
            match &ng.zones.state {
                State::Set(zones) => judge_zone_list(
                    judge,
                    google_cloud::REGIONAL_CLUSTER,
                    &ng.subject,
                    &ng.zones.at,
                    zones,
                ),
                _ => judge.unreadable(google_cloud::REGIONAL_CLUSTER, &ng.subject, &ng.zones),
            }
            continue;
        }
        let State::Set(zones) = &ng.zones.state else {
            if ng.zones.is_unset()
                && ng.subnets.value().is_some_and(|s| {
                    s.iter()
                        .any(|s| d.subnet(s).is_some_and(|s| s.egress.is_some()))
                })
            {
                judge.error(
                    AKS_ZONES,
                    &ng.subject,
                    &ng.zones.at,
                    "no availabilityZones: its nodes are in no zone",
                    expected.clone(),
                );
                continue;
            }
            if !ng.zones.is_unset() {
                judge.unreadable(AKS_ZONES, &ng.subject, &ng.zones);
                continue;
            }
            judge_subnet_zones(judge, d, guideline::TWO_ZONES, &ng.subject, &ng.subnets);
            continue;
        };
        let actual = format!(
            "zone(s) {}; the node pools together: {}",
            if zones.is_empty() {
                "none".to_owned()
            } else {
                zones.join(", ")
            },
            list(&all)
        );
        if zones.is_empty() || all.len() < MIN_AVAILABILITY_ZONES as usize {
            judge.error(
                AKS_ZONES,
                &ng.subject,
                &ng.zones.at,
                actual,
                expected.clone(),
            );
        } else {
            judge.ok(
                AKS_ZONES,
                &ng.subject,
                &ng.zones.at,
                actual,
                expected.clone(),
            );
        }
    }
}

/// Every load balancer has nodes in at least two zones.
pub fn check_load_balancer_zones(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the load balancer spans two availability zones",
        Section::MultiAz,
    );
    if d.load_balancers.is_empty() {
        if d.has(Input::LoadBalancers) {
            judge.missing("no load balancer in the inputs");
        } else {
            judge.no_input(d, "the load balancer", Input::LoadBalancers);
        }
    }
    for lb in judged_load_balancers(&mut judge, d) {
        if lb.kind.value().is_some_and(|k| k.is_gcp()) {
            gcp_backend_zones(&mut judge, d, lb);
            continue;
        }
        if let Some((what, why)) = super::azure::placed_by_azure(lb) {
            judge.inapplicable(format!(
                "{} is {what}, in no zone of the deployment's: {why}",
                lb.subject
            ));
            continue;
        }
        note_zonal_shift(&mut judge, d, lb);
        let expected = format!("nodes in at least {MIN_AVAILABILITY_ZONES} zones");
        match &lb.placements.state {
            State::Set(placements) => {
                let mut zones = BTreeSet::new();
                let mut unknown = Vec::new();
                for p in placements {
                    match p.zone.clone().or_else(|| {
                        p.subnet
                            .as_deref()
                            .and_then(|s| d.zone_of(s))
                            .map(str::to_owned)
                    }) {
                        Some(z) => {
                            zones.insert(z);
                        }
                        None => unknown.push(p.subnet.clone().unwrap_or_default()),
                    }
                }
                if !unknown.is_empty() {
                    judge.missing(format!(
                        "no zone for {} of {} ({})",
                        unknown.join(", "),
                        lb.subject,
                        judge.source(d, Input::Subnets)
                    ));
                    continue;
                }
                let actual = format!("{} zone(s): {}", zones.len(), list(&zones));
                if zones.len() >= MIN_AVAILABILITY_ZONES as usize {
                    judge.ok(
                        guideline::SUBNETS_IN_ZONES,
                        &lb.subject,
                        &lb.placements.at,
                        actual,
                        expected,
                    );
                } else {
                    judge.error(
                        guideline::SUBNETS_IN_ZONES,
                        &lb.subject,
                        &lb.placements.at,
                        actual,
                        expected,
                    );
                }
            }
            State::Unset => judge.missing(format!(
                "no subnets of {} in the inputs ({})",
                lb.subject,
                judge.source(d, Input::LoadBalancers)
            )),
            State::Secret | State::Invalid(_) => {
                judge.unreadable(guideline::SUBNETS_IN_ZONES, &lb.subject, &lb.placements)
            }
        }
    }
    note_target_group_health(&mut judge, d);
    judge.finish()
}

/// A Google Cloud load balancer: the zones of each of its backend services' backends (it has
/// no zonal nodes of its own; its placements name the backend service as their `subnet`).
fn gcp_backend_zones(judge: &mut Judge, d: &Deployment, lb: &crate::view::LoadBalancer) {
    match &lb.placements.state {
        State::Set(placements) => {
            let services: BTreeSet<&str> = placements
                .iter()
                .filter_map(|p| p.subnet.as_deref())
                .collect();
            for service in services {
                let zones: Vec<String> = placements
                    .iter()
                    .filter(|p| p.subnet.as_deref() == Some(service))
                    .filter_map(|p| p.zone.clone())
                    .collect();
                judge_zone_list(
                    judge,
                    google_cloud::BACKENDS_IN_ZONES,
                    &format!(
                        "backend service {} of {}",
                        crate::view::gcp_name(service),
                        lb.subject
                    ),
                    &d.target_groups
                        .iter()
                        .find(|tg| tg.arn.as_deref() == Some(service))
                        .map_or_else(|| lb.placements.at.clone(), |tg| tg.at.key("backends")),
                    &zones,
                );
            }
        }
        State::Unset => judge.missing(format!(
            "the backends of {}: its proxy, URL map or backend services are in no input (export `gcloud compute target-https-proxies list`, `url-maps list`, `backend-services list` with --format=json)",
            lb.subject
        )),
        State::Secret | State::Invalid(_) => {
            judge.unreadable(google_cloud::BACKENDS_IN_ZONES, &lb.subject, &lb.placements)
        }
    }
}

/// The API runs at least two instances: replicas (or the HPA's minimum), desired count.
pub fn check_api_replicas(d: &Deployment) -> Outcome {
    let mut judge = Judge::new("the API runs at least two instances", Section::MultiAz);
    let expected = format!(">= {MIN_INSTANCES}");
    let enough = |n: &u64| *n >= u64::from(MIN_INSTANCES);
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        let hpas = d.hpas_of(w);
        if hpas.is_empty() {
            judge.value(
                guideline::MIN_INSTANCES,
                &w.subject,
                &w.replicas,
                Some((defaults::KUBERNETES_REPLICAS, "Kubernetes")),
                &expected,
                enough,
            );
        }
        for hpa in hpas {
            judge.value(
                guideline::MIN_INSTANCES,
                &format!("{} scaling {}", hpa.subject, w.subject),
                &hpa.min,
                Some((defaults::KUBERNETES_REPLICAS, "Kubernetes")),
                &expected,
                enough,
            );
        }
    }
    for s in d.api_services() {
        any = true;
        judge.value(
            guideline::MIN_INSTANCES,
            &s.subject,
            &s.desired,
            None,
            &expected,
            enough,
        );
    }
    for g in d.api_groups() {
        any = true;
        // What the group runs: its desired capacity, else (not set) its minimum.
        let field = if g.desired.is_unset() {
            &g.min
        } else {
            &g.desired
        };
        judge.value(
            guideline::MIN_INSTANCES,
            &g.subject,
            field,
            None,
            &format!(
                "{expected}{}",
                if g.desired.is_unset() {
                    ""
                } else {
                    g.desired_told.note()
                }
            ),
            enough,
        );
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}
