//! The load balancer the AWS Load Balancer Controller makes for the API, as its Kubernetes
//! objects configure it: its scheme and the subnets it is told to use, from an Ingress's
//! annotations (`alb.ingress.kubernetes.io/scheme` and `subnets`, one Ingress of its
//! IngressGroup setting them for the group) or a Gateway's LoadBalancerConfigurations
//! (`scheme`, `loadBalancerSubnets`, merged as the controller merges them). Both schemes
//! default to internal: a load balancer with private addresses only.

use super::super::{Judge, guideline, platform};
use super::{blocked, tier_name};
use crate::node::{Field, Loc, State};
use crate::view::{Deployment, Gateway, Ingress, Tier};

const SCHEME: &str = "alb.ingress.kubernetes.io/scheme";
const SUBNETS: &str = "alb.ingress.kubernetes.io/subnets";
const GROUP_NAME: &str = "alb.ingress.kubernetes.io/group.name";

/// A setting as the controller resolves it (its field, and " (from ...)" naming where it
/// comes from when that is not the subject itself), or where it would be written.
type Resolved<T> = Result<(Field<T>, String), Loc>;

/// Judges the scheme, and the subnets it names, of every load balancer the controller makes
/// for the API (an ALB Ingress, a Gateway of class `gateway.k8s.aws/alb` or `nlb`). Returns
/// whether one was judged.
pub(super) fn judge_controller_load_balancers(judge: &mut Judge, d: &Deployment) -> bool {
    let mut any = false;
    for ing in d.api_ingresses().into_iter().filter(|i| i.alb) {
        any = true;
        let members = group_members(d, ing);
        let scheme = group_setting(&members, ing, SCHEME);
        let subnets = group_setting(&members, ing, SUBNETS).map(|(f, from)| {
            let list = f.map(|text| {
                text.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            });
            (list, from)
        });
        judge_one(judge, d, &ing.subject, scheme, subnets, false);
    }
    let mut seen: Vec<&Gateway> = Vec::new();
    for (_, gw) in d.api_gateways() {
        if seen.iter().any(|g| std::ptr::eq(*g, gw))
            || !d.implementation_of(gw).is_some_and(|i| i.is_aws())
        {
            continue;
        }
        seen.push(gw);
        any = true;
        let from = |from: String| format!(" (from {from})");
        let scheme = d
            .lb_field(gw, "scheme", |c| &c.scheme)
            .map(|(f, by)| (f.clone(), from(by)));
        let subnets = d
            .lb_field(gw, "loadBalancerSubnets", |c| &c.subnets)
            .map(|(f, by)| (f.clone(), from(by)));
        judge_one(judge, d, &gw.subject, scheme, subnets, true);
    }
    any
}

/// The ALB Ingresses of `ing`'s IngressGroup (`group.name`), itself first.
fn group_members<'a>(d: &'a Deployment, ing: &'a Ingress) -> Vec<&'a Ingress> {
    let group = ing.annotation(GROUP_NAME).value().cloned();
    let mut members = vec![ing];
    if let Some(group) = group {
        members.extend(d.ingresses.iter().filter(|o| {
            o.alb && !std::ptr::eq(*o, ing) && o.annotation(GROUP_NAME).value() == Some(&group)
        }));
    }
    members
}

/// An exclusive annotation of an IngressGroup: the first member's that sets it.
fn group_setting(members: &[&Ingress], ing: &Ingress, name: &str) -> Resolved<String> {
    members
        .iter()
        .map(|m| (m, m.annotation(name)))
        .find(|(_, f)| !f.is_unset())
        .map(|(m, f)| {
            let from = if std::ptr::eq(*m, ing) {
                String::new()
            } else {
                format!(" (from {}, of its IngressGroup)", m.subject)
            };
            (f, from)
        })
        .ok_or_else(|| ing.annotation(name).at)
}

/// One load balancer: internet-facing passes (and its named subnets must be public); internal
/// as written is reported; unset is the controller's default, internal, and fails.
fn judge_one(
    judge: &mut Judge,
    d: &Deployment,
    subject: &str,
    scheme: Resolved<String>,
    subnets: Resolved<Vec<String>>,
    listed: bool,
) {
    let expected =
        "internet-facing (api.{domain} and app.{domain} lead clients on the internet to it)";
    let (field, from) = match scheme {
        Ok(found) => found,
        Err(at) => {
            judge.error(
                platform::LBC_SCHEME,
                subject,
                &at,
                "scheme not set: the controller's default is internal, a load balancer with private addresses only: clients on the internet cannot reach api.{domain}",
                expected,
            );
            return;
        }
    };
    match &field.state {
        State::Set(s) if s == "internet-facing" => judge.ok(
            guideline::PUBLIC_TIER,
            subject,
            &field.at,
            format!("internet-facing{from}"),
            expected,
        ),
        State::Set(s) if s == "internal" => {
            judge.warn(
                guideline::PUBLIC_TIER,
                subject,
                &field.at,
                format!(
                    "internal{from}, as written: reachable from its VPC and the networks joined to it only"
                ),
                expected,
            );
            return;
        }
        State::Set(s) => {
            judge.undecided(
                platform::LBC_SCHEME,
                subject,
                &field.at,
                format!("scheme {s} is neither internet-facing nor internal"),
            );
            return;
        }
        _ => {
            judge.unreadable(platform::LBC_SCHEME, subject, &field);
            return;
        }
    }
    let Ok((subnets, from)) = subnets else {
        // Discovered by the controller: the load balancer's own subnets are judged from
        // describe-load-balancers.
        return;
    };
    let State::Set(ids) = &subnets.state else {
        judge.unreadable(guideline::PUBLIC_TIER, subject, &subnets);
        return;
    };
    for (i, id) in ids.iter().enumerate() {
        let at = if listed {
            subnets.at.index(i).key("identifier")
        } else {
            subnets.at.clone()
        };
        judge_subnet(judge, d, subject, id, &at, &from);
    }
}

/// One subnet named for an internet-facing load balancer (by ID or Name tag): public passes.
fn judge_subnet(judge: &mut Judge, d: &Deployment, subject: &str, id: &str, at: &Loc, from: &str) {
    let Some(subnet) = d
        .subnets
        .iter()
        .find(|s| s.id == id || s.tags.get("Name").is_some_and(|n| n == id))
    else {
        judge.missing(format!(
            "subnet {id} that {subject} names: not among the subnets read (`aws ec2 describe-subnets`)"
        ));
        return;
    };
    let tier = d.tier(&subnet.id);
    let named = if subnet.id == id {
        id.to_owned()
    } else {
        format!("{id} ({})", subnet.id)
    };
    match tier.tier {
        Some(Tier::Public) => match blocked(d, &subnet.id) {
            Some(why) => judge.error(
                platform::BLOCK_PUBLIC_ACCESS,
                subject,
                at,
                format!("{named}{from}: public ({}), but {why}", tier.how),
                "a public subnet the internet can reach",
            ),
            None => judge.ok(
                guideline::PUBLIC_TIER,
                subject,
                at,
                format!("{named}{from}: public ({})", tier.how),
                "a public subnet",
            ),
        },
        Some(t) => judge.error(
            guideline::PUBLIC_TIER,
            subject,
            at,
            format!(
                "{named}{from}: {} ({}): clients on the internet cannot reach it",
                tier_name(t),
                tier.how
            ),
            "a public subnet (its default route to an internet gateway)",
        ),
        None => judge.missing(format!("the tier of {named}: {}", tier.how)),
    }
}
