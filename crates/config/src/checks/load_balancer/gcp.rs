//! "Load balancer configuration" on a Google Cloud managed instance group: autohealing on the
//! API's health check stands for the load balancer's health check replacing instances, and its
//! initial delay is the grace period; a refused list of backend services named as such.

use super::super::{Judge, google_cloud, guideline};
use crate::node::State;
use crate::view::{Deployment, Input};

/// Whether collection was refused the target groups (on Google Cloud, the backend services):
/// then the check says so, naming the permission, instead of guessing from what is left.
pub(super) fn target_groups_denied(judge: &mut Judge, d: &Deployment) -> bool {
    let denied = d.denied.contains_key(&d.counterpart(Input::TargetGroups));
    if denied {
        judge.missing(format!(
            "the API's target groups: {}",
            judge.source(d, Input::TargetGroups)
        ));
    }
    denied
}

/// A managed instance group: autohealing on a health check, its initial delay the grace.
pub(super) fn mig_startup_grace(judge: &mut Judge, g: &crate::view::AutoScalingGroup, want: u64) {
    match &g.health_check_type.state {
        State::Set(check) => judge.ok(
            google_cloud::AUTOHEALING,
            &g.subject,
            &g.health_check_type.at,
            format!("autohealing on {check}"),
            "an autohealing policy on the API's health check",
        ),
        _ => judge.error(
            google_cloud::AUTOHEALING,
            &g.subject,
            &g.health_check_type.at,
            "no autohealing policy: a VM whose API fails is never replaced",
            "an autohealing policy on the API's health check",
        ),
    }
    judge.value(
        guideline::HEALTH_CHECK_GRACE,
        &g.subject,
        &g.health_check_grace,
        Some((0, "Compute Engine")),
        &format!(">= {want} (autoHealingPolicies[].initialDelaySec)"),
        |n| *n >= want,
    );
}
