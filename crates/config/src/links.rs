//! The joins after reading, in one place: what one file says about a resource another file
//! describes, attached once every file is read (so the order of files never matters).
//!
//! - attributes (`describe-load-balancer-attributes`, `describe-target-group-attributes`), which
//!   do not name their resource: by the ARN written beside them, else the only one there is;
//! - a stack export's routes, route table associations, main route tables and endpoint route
//!   tables, which are resources of their own there and parts of the table in the AWS CLI's
//!   output;
//! - Azure's public IPs, management locks, autoscale settings and private endpoints
//!   ([`azure`]).

pub(crate) mod azure;

pub(crate) mod gcp;

use std::collections::BTreeMap;

use crate::node::{Field, Loc, State};
use crate::view::{Deployment, LbKind, LoadBalancer, TargetGroup, ZoneAttribute};

/// Attributes that do not name their resource.
#[derive(Debug, Clone)]
pub(crate) struct Attributes {
    pub(crate) at: Loc,
    /// The ARN the user added beside `Attributes`, if any.
    pub(crate) arn: Option<String>,
    pub(crate) for_load_balancer: bool,
    /// Key -> (value, where).
    pub(crate) values: BTreeMap<String, Field<String>>,
}

/// A `0.0.0.0/0` route of its own (a stack export's): its table, and where it goes.
pub(crate) type DefaultRoute = (Option<String>, Option<(String, Loc)>);

/// What is joined once every file is read.
#[derive(Debug, Default)]
pub(crate) struct Links {
    pub(crate) attributes: Vec<Attributes>,
    pub(crate) default_routes: Vec<DefaultRoute>,
    /// (subnet, route table).
    pub(crate) associations: Vec<(String, String)>,
    /// Route tables made main.
    pub(crate) main_tables: Vec<String>,
    /// (endpoint, route table, where).
    pub(crate) endpoint_tables: Vec<(String, String, Loc)>,
    pub(crate) azure: azure::AzureLinks,
    /// Google Cloud's resources that name each other.
    pub(crate) gcp: gcp::GcpLinks,
}

impl Links {
    /// Joins everything into `view`.
    pub(crate) fn join(self, view: &mut Deployment) -> Result<(), String> {
        self.azure.join(view);
        self.gcp.join(view);
        for (table, target) in self.default_routes {
            if let Some(rt) = view
                .route_tables
                .iter_mut()
                .find(|rt| table.as_deref() == Some(rt.id.as_str()))
            {
                rt.default_route = rt.default_route.take().or(target);
            }
        }
        for (subnet, table) in self.associations {
            if let Some(rt) = view.route_tables.iter_mut().find(|rt| rt.id == table) {
                rt.subnets.push(subnet);
            }
        }
        for (endpoint, table, at) in self.endpoint_tables {
            if let Some(e) = view.vpc_endpoints.iter_mut().find(|e| e.id == endpoint) {
                if !e.route_tables.contains(&table) {
                    e.route_tables.push(table);
                }
                if e.route_tables.len() == 1 {
                    e.route_tables_at = at;
                }
            }
        }
        for table in self.main_tables {
            if let Some(rt) = view.route_tables.iter_mut().find(|rt| rt.id == table) {
                rt.main = true;
            }
        }
        for attrs in self.attributes {
            if attrs.for_load_balancer {
                attach_to_load_balancer(view, &attrs)?;
            } else {
                attach_to_target_group(view, &attrs)?;
            }
        }
        Ok(())
    }
}

fn attach_to_load_balancer(view: &mut Deployment, attrs: &Attributes) -> Result<(), String> {
    let field = attrs
        .values
        .get("deletion_protection.enabled")
        .cloned()
        .map(|f| f.map(|v| v.eq_ignore_ascii_case("true")));
    let arns = view
        .load_balancers
        .iter()
        .map(|lb| lb.arn.as_deref())
        .collect();
    let index = owner(attrs, arns, "load balancer", "LoadBalancerArn")?;
    let lb = match index {
        Some(i) => &mut view.load_balancers[i],
        None => {
            view.load_balancers.push(LoadBalancer {
                subject: format!(
                    "load balancer {}",
                    attrs
                        .arn
                        .as_deref()
                        .unwrap_or("(named by no describe-load-balancers output)")
                ),
                at: attrs.at.clone(),
                arn: attrs.arn.clone(),
                name: None,
                kind: match attrs.arn.as_deref().and_then(LbKind::from_arn) {
                    Some(k) => Field::set(attrs.at.clone(), k),
                    None => Field::unset(attrs.at.clone()),
                },
                dns_name: None,
                internet_facing: None,
                placements: Field::unset(attrs.at.clone()),
                deletion_protection: Field::unset(attrs.at.clone()),
                addresses: Vec::new(),
                attributes_read: true,
            });
            view.load_balancers.last_mut().expect("just pushed")
        }
    };
    lb.deletion_protection = field.unwrap_or_else(|| Field::unset(attrs.at.clone()));
    lb.attributes_read = true;
    let (subject, arn) = (lb.subject.clone(), lb.arn.clone());
    keep_zone_attributes(view, attrs, &subject, arn, "zonal_shift.");
    Ok(())
}

/// The attributes under `prefix` (zonal shift, target group health thresholds): read into the
/// view as they are, for the multi-AZ rules' evidence.
fn keep_zone_attributes(
    view: &mut Deployment,
    attrs: &Attributes,
    owner: &str,
    owner_arn: Option<String>,
    prefix: &str,
) {
    for (key, value) in &attrs.values {
        if key.starts_with(prefix) {
            view.zone_attributes.push(ZoneAttribute {
                owner: owner.to_owned(),
                owner_arn: owner_arn.clone(),
                key: key.clone(),
                value: value.clone(),
            });
        }
    }
}

fn attach_to_target_group(view: &mut Deployment, attrs: &Attributes) -> Result<(), String> {
    let field = attrs
        .values
        .get("deregistration_delay.timeout_seconds")
        .cloned();
    let arns = view
        .target_groups
        .iter()
        .map(|tg| tg.arn.as_deref())
        .collect();
    let index = owner(attrs, arns, "target group", "TargetGroupArn")?;
    let delay = match field {
        Some(f) => match f.value().map(|v| v.trim().parse::<u64>()) {
            Some(Ok(n)) => Field::set(f.at, n),
            Some(Err(_)) => Field {
                state: State::Invalid(format!(
                    "{:?} instead of a whole number",
                    f.value().cloned().unwrap_or_default()
                )),
                at: f.at,
            },
            None => f.map(|_| 0),
        },
        None => Field::unset(attrs.at.clone()),
    };
    match index {
        Some(i) => {
            view.target_groups[i].deregistration_delay = delay;
            view.target_groups[i].attributes_read = true;
        }
        None => view.target_groups.push(TargetGroup {
            subject: format!(
                "target group {}",
                attrs
                    .arn
                    .as_deref()
                    .unwrap_or("(named by no describe-target-groups output)")
            ),
            at: attrs.at.clone(),
            arn: attrs.arn.clone(),
            name: String::new(),
            port: None,
            load_balancers: Vec::new(),
            health_path: Field::unset(attrs.at.clone()),
            matcher: Field::unset(attrs.at.clone()),
            deregistration_delay: delay,
            attributes_read: true,
        }),
    }
    let tg = match index {
        Some(i) => &view.target_groups[i],
        None => view.target_groups.last().expect("just pushed"),
    };
    let (subject, arn) = (tg.subject.clone(), tg.arn.clone());
    keep_zone_attributes(view, attrs, &subject, arn, "target_group_health.");
    Ok(())
}

/// Which of `arns` the attributes belong to; `None`: there is none to attach to.
fn owner(
    attrs: &Attributes,
    arns: Vec<Option<&str>>,
    what: &str,
    key: &str,
) -> Result<Option<usize>, String> {
    if let Some(arn) = &attrs.arn {
        return Ok(arns.iter().position(|a| *a == Some(arn.as_str())));
    }
    match arns.len() {
        0 => Ok(None),
        1 => Ok(Some(0)),
        n => Err(format!(
            "{}: these attributes do not say which of the {n} {what}s they belong to; add \"{key}\": \"arn:...\" beside \"Attributes\" (e.g. `aws elbv2 describe-... --output json | jq --arg arn $ARN '. + {{{key}: $arn}}'`)",
            attrs.at.file
        )),
    }
}
