//! The discovery chain, each step a filter of one az list to what the step before found (the
//! edge in front of the gateway, Front Door or AGC, in [`super::edge`]).

use std::collections::BTreeSet;

use serde_json::Value;

use super::edge::{self, Edge};
use super::run::{Command, Run};
use super::{
    A_RECORDS, AUTOSCALE, CLUSTERS, CNAME_RECORDS, GATEWAYS, LOAD_BALANCERS, LOCKS, MYSQL,
    NAT_GATEWAYS, POSTGRES, PRIVATE_DNS, PRIVATE_ENDPOINTS, PUBLIC_IPS, SCALE_SETS, VNETS, ZONES,
};
use crate::CollectError;

/// Resource ids as compared: lowercase (ARM ids are case-insensitive), no trailing slash.
pub(super) type Ids = BTreeSet<String>;

pub(super) fn key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

pub(super) fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, k| v.get(*k))
        .and_then(Value::as_str)
}

fn list<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    list_at(v, &[k])
}

/// The array at `path` (`["properties", "backendPools"]`), empty when there is none.
pub(super) fn list_at<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    path.iter()
        .try_fold(v, |v, k| v.get(*k))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The ids of `{ "id": ... }` references under `k`.
fn refs(v: &Value, k: &str) -> Vec<String> {
    list(v, k)
        .iter()
        .filter_map(|r| text(r, &["id"]))
        .map(key)
        .collect()
}

/// The part of `id` before `/<marker>/` (its parent resource), lowercase.
pub(super) fn parent(id: &str, marker: &str) -> String {
    let id = key(id);
    id.find(&format!("/{marker}/"))
        .map_or(id.clone(), |i| id[..i].to_owned())
}

/// The resource group an id is in.
fn group_of(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let at = lower.find("/resourcegroups/")? + "/resourcegroups/".len();
    id[at..].split('/').next().map(str::to_owned)
}

/// `-g <group>` when collection is held to one.
fn scoped(group: Option<&str>) -> Vec<&str> {
    group.map_or_else(Vec::new, |g| vec!["-g", g])
}

/// [`keep`], and when the list answered but held none of the deployment's resources of type
/// `kind`, says so in `file` ([`Run::write_none`]): for the lists whose "none" the checks judge
/// (no lock is no deletion protection, no private endpoint is none for Blob storage), not
/// those discovery merely did not lead to.
async fn keep_or_none(
    run: &mut Run<'_>,
    c: &Command,
    args: &[&str],
    file: &str,
    kind: &str,
    keep: impl Fn(&Value) -> bool,
) -> Result<Vec<Value>, CollectError> {
    let Some((at, kept, total)) = listed(run, c, args, keep).await else {
        return Ok(Vec::new());
    };
    if kept.is_empty() {
        run.write_none(at, file, kind, total)?;
    } else {
        run.write(at, file, kept.clone(), total)?;
    }
    Ok(kept)
}

/// Lists with `c` and keeps what `keep` says: the call's place in the manifest, what was kept
/// and how many were listed; `None` when the call gave no list (refused or failed: recorded).
async fn listed(
    run: &mut Run<'_>,
    c: &Command,
    args: &[&str],
    keep: impl Fn(&Value) -> bool,
) -> Option<(usize, Vec<Value>, usize)> {
    let (at, answer) = run.call(c, args, c.reads).await;
    let Ok(Value::Array(items)) = answer else {
        return None;
    };
    let total = items.len();
    Some((at, items.into_iter().filter(|v| keep(v)).collect(), total))
}

/// Lists with `c`, keeps what `keep` says, writes it as `file` (when anything is kept).
async fn keep(
    run: &mut Run<'_>,
    c: &Command,
    args: &[&str],
    file: &str,
    keep: impl Fn(&Value) -> bool,
) -> Result<Vec<Value>, CollectError> {
    let Some((at, kept, total)) = listed(run, c, args, keep).await else {
        return Ok(Vec::new());
    };
    if !kept.is_empty() {
        run.write(at, file, kept.clone(), total)?;
    }
    Ok(kept)
}

/// The whole chain.
pub(super) async fn deployment(
    run: &mut Run<'_>,
    domain: &str,
    group: Option<&str>,
) -> Result<(), CollectError> {
    let Some(leads) = records(run, domain, group).await? else {
        (run.on_line)(&format!(
            "  no Azure DNS zone of the subscription holds {domain}: nothing leads to the deployment"
        ));
        return Ok(());
    };
    let mut leads = leads;
    let edge = edge::edge(run, &leads, group).await?;
    leads.values.extend(edge.origins.iter().cloned());
    let frontends = public_ips(run, &leads, group).await?;
    let front: Vec<String> = frontends.into_iter().collect();
    let (gateways, pools, subnets) = balancers(run, &front, group).await?;
    let mut subnets = subnets;
    subnets.extend(compute(run, &gateways, &pools, &edge, group).await?);
    subnets.extend(edge.subnets.iter().cloned());
    network(run, &subnets, group).await?;
    let owners: Vec<String> = gateways.iter().chain(&edge.owners).cloned().collect();
    locks(run, &owners).await
}

/// The locks on `owners` (the gateway, the Front Door profile, the traffic controller) and on
/// their resource groups (or the subscription), listed in each of those groups and written
/// together; none of them is written as none ([`Run::write_none`]): no deletion protection.
async fn locks(run: &mut Run<'_>, owners: &[String]) -> Result<(), CollectError> {
    let scopes: Ids = owners
        .iter()
        .flat_map(|o| [key(o), parent(o, "providers")])
        .collect();
    let groups: Ids = owners.iter().filter_map(|o| group_of(o)).collect();
    let mut kept = Vec::new();
    let mut total = 0;
    let mut last = None;
    for g in groups {
        let Some((at, locks, listed)) = listed(run, &LOCKS, &["-g", &g], |l| {
            let scope = parent(
                text(l, &["id"]).unwrap_or_default(),
                "providers/microsoft.authorization/locks",
            );
            scopes.contains(&scope) || !scope.contains("/resourcegroups/")
        })
        .await
        else {
            continue;
        };
        for l in locks {
            if !kept.contains(&l) {
                kept.push(l);
            }
        }
        total += listed;
        last = Some(at);
    }
    match last {
        Some(at) if kept.is_empty() => {
            run.write_none(at, "locks.json", "Microsoft.Authorization/locks", total)
        }
        Some(at) => run.write(at, "locks.json", kept, total),
        None => Ok(()),
    }
}

/// What the api and app records lead to: public IP (or Front Door endpoint) ids (aliases),
/// addresses, names (lowercase).
pub(super) struct Leads {
    pub(super) ids: Ids,
    pub(super) values: Ids,
}

/// The zone holding `domain` (the longest), and its api and app record sets.
async fn records(
    run: &mut Run<'_>,
    domain: &str,
    group: Option<&str>,
) -> Result<Option<Leads>, CollectError> {
    let (_, answer) = run.call(&ZONES, &scoped(group), ZONES.reads).await;
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let zone = answer.ok().and_then(|zones| {
        zones
            .as_array()?
            .iter()
            .filter_map(|z| {
                Some((
                    text(z, &["name"])?.to_ascii_lowercase(),
                    text(z, &["id"])?.to_owned(),
                ))
            })
            .filter(|(name, _)| domain == *name || domain.ends_with(&format!(".{name}")))
            .max_by_key(|(name, _)| name.len())
    });
    let Some((zone, zone_id)) = zone else {
        return Ok(None);
    };
    let zone_group = group_of(&zone_id).unwrap_or_default();
    let rest = domain
        .strip_suffix(&zone)
        .unwrap_or_default()
        .trim_end_matches('.');
    let labels: Vec<String> = ["api", "app"]
        .iter()
        .map(|l| {
            if rest.is_empty() {
                (*l).to_owned()
            } else {
                format!("{l}.{rest}")
            }
        })
        .collect();
    let wanted = |r: &Value| {
        text(r, &["name"]).is_some_and(|n| labels.iter().any(|l| l.eq_ignore_ascii_case(n)))
    };
    let args = ["-g", zone_group.as_str(), "-z", zone.as_str()];
    let mut kept = keep(run, &A_RECORDS, &args, "records-a.json", wanted).await?;
    kept.extend(keep(run, &CNAME_RECORDS, &args, "records-cname.json", wanted).await?);
    let mut leads = Leads {
        ids: Ids::new(),
        values: Ids::new(),
    };
    for r in &kept {
        leads
            .ids
            .extend(text(r, &["targetResource", "id"]).map(key));
        for a in ["ARecords", "aRecords"].iter().flat_map(|k| list(r, k)) {
            leads
                .values
                .extend(text(a, &["ipv4Address"]).map(str::to_owned));
        }
        for c in ["CNAMERecord", "cnameRecord"] {
            leads.values.extend(
                text(r, &[c, "cname"]).map(|n| n.trim_end_matches('.').to_ascii_lowercase()),
            );
        }
    }
    Ok(Some(leads))
}

/// The public IPs the records lead to; what each is the frontend of.
async fn public_ips(
    run: &mut Run<'_>,
    leads: &Leads,
    group: Option<&str>,
) -> Result<Ids, CollectError> {
    let kept = keep(run, &PUBLIC_IPS, &scoped(group), "public-ips.json", |ip| {
        text(ip, &["id"]).is_some_and(|i| leads.ids.contains(&key(i)))
            || text(ip, &["ipAddress"]).is_some_and(|a| leads.values.contains(a))
            || text(ip, &["dnsSettings", "fqdn"])
                .is_some_and(|f| leads.values.contains(&f.to_ascii_lowercase()))
    })
    .await?;
    Ok(kept
        .iter()
        .filter_map(|ip| text(ip, &["ipConfiguration", "id"]))
        .map(|c| parent(c, "frontendipconfigurations"))
        .collect())
}

/// The gateways and load balancers whose frontends those are: their ids, backend pools and
/// subnets.
async fn balancers(
    run: &mut Run<'_>,
    owners: &[String],
    group: Option<&str>,
) -> Result<(Vec<String>, Ids, Ids), CollectError> {
    let owned = |v: &Value| text(v, &["id"]).is_some_and(|i| owners.contains(&key(i)));
    let gateways = keep(
        run,
        &GATEWAYS,
        &scoped(group),
        "application-gateways.json",
        owned,
    )
    .await?;
    let lbs = keep(
        run,
        &LOAD_BALANCERS,
        &scoped(group),
        "load-balancers.json",
        owned,
    )
    .await?;
    let mut pools = Ids::new();
    let mut subnets = Ids::new();
    for b in gateways.iter().chain(&lbs) {
        pools.extend(refs(b, "backendAddressPools"));
    }
    for g in &gateways {
        subnets.extend(
            list(g, "gatewayIPConfigurations")
                .iter()
                .filter_map(|c| text(c, &["subnet", "id"]))
                .map(key),
        );
    }
    let ids = gateways
        .iter()
        .filter_map(|g| text(g, &["id"]))
        .map(key)
        .collect();
    Ok((ids, pools, subnets))
}

/// The scale sets in the pools (with their autoscale settings) and the AKS clusters whose
/// ingress controller runs a gateway, or with a node pool in the VNet of an AGC association
/// (AGC's ALB Controller runs in the cluster): the subnets they run in.
async fn compute(
    run: &mut Run<'_>,
    gateways: &[String],
    pools: &Ids,
    edge: &Edge,
    group: Option<&str>,
) -> Result<Ids, CollectError> {
    let configs = |v: &Value| -> Vec<Value> {
        let nics = v
            .get("virtualMachineProfile")
            .and_then(|p| p.get("networkProfile"))
            .map_or(&[][..], |n| list(n, "networkInterfaceConfigurations"));
        nics.iter()
            .flat_map(|n| list(n, "ipConfigurations").to_vec())
            .collect()
    };
    let sets = keep(run, &SCALE_SETS, &scoped(group), "scale-sets.json", |v| {
        configs(v).iter().any(|c| {
            refs(c, "applicationGatewayBackendAddressPools")
                .iter()
                .chain(&refs(c, "loadBalancerBackendAddressPools"))
                .any(|p| pools.contains(p))
        })
    })
    .await?;
    let mut subnets = Ids::new();
    let set_ids: Ids = sets
        .iter()
        .filter_map(|s| text(s, &["id"]))
        .map(key)
        .collect();
    for s in &sets {
        subnets.extend(
            configs(s)
                .iter()
                .filter_map(|c| text(c, &["subnet", "id"]))
                .map(key),
        );
    }
    let set_groups: Ids = set_ids.iter().filter_map(|s| group_of(s)).collect();
    let mut settings = Vec::new();
    let mut last = None;
    for g in set_groups {
        let (at, answer) = run.call(&AUTOSCALE, &["-g", &g], AUTOSCALE.reads).await;
        if let Ok(Value::Array(items)) = answer {
            settings.extend(items.into_iter().filter(|a| {
                text(a, &["targetResourceUri"]).is_some_and(|t| set_ids.contains(&key(t)))
            }));
            last = Some(at);
        }
    }
    if let (Some(at), false) = (last, settings.is_empty()) {
        let n = settings.len();
        run.write(at, "autoscale-settings.json", settings, n)?;
    }
    let agc_vnets = edge.vnets();
    let clusters = keep(run, &CLUSTERS, &scoped(group), "clusters.json", |c| {
        let agic = ["effectiveApplicationGatewayId", "applicationGatewayId"]
            .iter()
            .any(|k| {
                text(
                    c,
                    &["addonProfiles", "ingressApplicationGateway", "config", k],
                )
                .is_some_and(|g| gateways.contains(&key(g)))
            });
        agic || list(c, "agentPoolProfiles").iter().any(|p| {
            text(p, &["vnetSubnetId"]).is_some_and(|s| agc_vnets.contains(&parent(s, "subnets")))
        })
    })
    .await?;
    for c in &clusters {
        subnets.extend(
            list(c, "agentPoolProfiles")
                .iter()
                .filter_map(|p| text(p, &["vnetSubnetId"]))
                .map(key),
        );
    }
    Ok(subnets)
}

/// The VNets of those subnets, their NAT gateways, private endpoints and databases.
async fn network(
    run: &mut Run<'_>,
    subnets: &Ids,
    group: Option<&str>,
) -> Result<(), CollectError> {
    let vnet_ids: Ids = subnets.iter().map(|s| parent(s, "subnets")).collect();
    let in_vnets = |id: Option<&str>| id.is_some_and(|i| vnet_ids.contains(&parent(i, "subnets")));
    let vnets = keep(run, &VNETS, &scoped(group), "vnets.json", |v| {
        text(v, &["id"]).is_some_and(|i| vnet_ids.contains(&key(i)))
    })
    .await?;
    let nats: Ids = vnets
        .iter()
        .flat_map(|v| list(v, "subnets").to_vec())
        .filter_map(|s| text(&s, &["natGateway", "id"]).map(key))
        .collect();
    keep(
        run,
        &NAT_GATEWAYS,
        &scoped(group),
        "nat-gateways.json",
        |n| text(n, &["id"]).is_some_and(|i| nats.contains(&key(i))),
    )
    .await?;
    let endpoints = keep_or_none(
        run,
        &PRIVATE_ENDPOINTS,
        &scoped(group),
        "private-endpoints.json",
        "Microsoft.Network/privateEndpoints",
        |e| in_vnets(text(e, &["subnet", "id"])),
    )
    .await?;
    if !endpoints.is_empty() {
        keep_or_none(
            run,
            &PRIVATE_DNS,
            &scoped(group),
            "private-dns-zones.json",
            "Microsoft.Network/privateDnsZones",
            |z| {
                text(z, &["name"])
                    .is_some_and(|n| n.to_ascii_lowercase().starts_with("privatelink."))
            },
        )
        .await?;
    }
    let targets: Ids = endpoints
        .iter()
        .flat_map(|e| list(e, "privateLinkServiceConnections").to_vec())
        .filter_map(|c| text(&c, &["privateLinkServiceId"]).map(key))
        .collect();
    let database = |d: &Value| {
        in_vnets(text(d, &["network", "delegatedSubnetResourceId"]))
            || text(d, &["id"]).is_some_and(|i| targets.contains(&key(i)))
    };
    keep(
        run,
        &POSTGRES,
        &scoped(group),
        "postgres-servers.json",
        database,
    )
    .await?;
    keep(run, &MYSQL, &scoped(group), "mysql-servers.json", database).await?;
    Ok(())
}
