//! Discovery over gcloud, from the domain to the deployment's resources in one Google Cloud
//! project, each list filtered to the deployment before it is written: the Cloud DNS zone of
//! `{domain}` and its api/app records -> the forwarding rules on their addresses -> target
//! proxies -> URL maps -> backend services -> network endpoint groups or managed instance
//! groups (with their autoscalers, templates and health checks) -> the GKE cluster on their
//! network -> the network, its subnets, Cloud Routers (with Cloud NAT) and addresses -> the
//! Cloud SQL instance on it. The call runner, what each call needs and where its answer goes,
//! is `gcp::run`; one gcloud call, `gcp::gcloud`.

pub mod gcloud;
mod run;

use std::collections::BTreeSet;
use std::path::Path;

use netconform_model::Environment;
use serde_json::Value;

use crate::manifest::Manifest;
use crate::{CollectError, denied};

pub use gcloud::Gcloud;
pub use run::{CALLS, GcpCall};
use run::{GcpRun, call};

/// A reference as compared: from `projects/` on (hosts and API versions differ), else as is.
fn key(url: &str) -> String {
    let url = url.trim();
    url.find("projects/")
        .map_or_else(|| url.to_owned(), |i| url[i..].to_owned())
}

/// The last part of a reference: its resource's name.
fn name(url: &str) -> &str {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or(url)
}

fn text<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    path.split('.')
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// The references `v` holds at `path`, as [`key`]s.
fn refs(v: &Value, path: &str) -> Option<String> {
    text(v, path).map(key)
}

/// What discovery has found so far.
#[derive(Default)]
struct Found {
    addresses: BTreeSet<String>,
    rules: BTreeSet<String>,
    targets: BTreeSet<String>,
    services: BTreeSet<String>,
    groups: BTreeSet<String>,
    health_checks: BTreeSet<String>,
    templates: BTreeSet<String>,
    /// Network names.
    networks: BTreeSet<String>,
}

/// The deployment's configuration from the project, into `out` (created); the manifest of
/// what was done is returned (the caller writes it beside). `on_line` shows progress.
pub async fn collect_gcp(
    env: &Environment,
    cli: &Gcloud,
    out: &Path,
    started_at: String,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Manifest, CollectError> {
    std::fs::create_dir_all(out).map_err(|e| CollectError::Write {
        path: out.display().to_string(),
        why: e.to_string(),
    })?;
    let domain = env.domain.to_string();
    let mut run = GcpRun {
        cli,
        out,
        manifest: Manifest {
            account: cli.project.clone(),
            ..Manifest::new(&domain, started_at)
        },
        on_line,
        denied: Default::default(),
    };
    let mut found = Found::default();
    // The load balancer's addresses the environment names, beside the records'.
    found.addresses.extend(
        env.dns
            .load_balancer_addresses
            .iter()
            .map(ToString::to_string),
    );
    records(&mut run, &domain, &mut found).await?;
    // What cannot be filtered to the deployment is not written: an empty list would say
    // "there is none", where the truth is "not read".
    if found.addresses.is_empty() {
        (run.on_line)(
            "  no api or app record (nor dns.load_balancer_addresses) gives the load balancer's address: the load balancer, its backends and network are not collected",
        );
    } else {
        let rules = load_balancer(&mut run, &mut found).await?;
        if backends(&mut run, &mut found).await? {
            network(&mut run, &mut found, rules).await?;
        } else {
            (run.on_line)(
                "  the backend services were not read: their backends, the cluster and the network are not collected",
            );
        }
    }
    if !run.denied.denied.is_empty() {
        denied::write(out, &run.denied, &mut run.manifest)?;
    }
    Ok(run.manifest)
}

/// The Cloud DNS zone of `domain` and its api and app records: the addresses they hold.
async fn records(
    run: &mut GcpRun<'_>,
    domain: &str,
    found: &mut Found,
) -> Result<(), CollectError> {
    let plain = |n: &str| n.trim_end_matches('.').to_ascii_lowercase();
    let (_, zones) = run
        .list(
            call("dns managed-zones"),
            &[],
            "the Cloud DNS zones, for the one of the domain",
        )
        .await;
    // Refused or failed: the manifest (and denied.json) say so.
    let Some(zones) = zones else { return Ok(()) };
    let zone = zones
        .into_iter()
        .filter_map(|z| {
            let dns = plain(text(&z, "dnsName")?);
            let fits = domain == dns || domain.ends_with(&format!(".{dns}"));
            fits.then(|| (dns.len(), text(&z, "name").map(str::to_owned)))
        })
        .max()
        .and_then(|(_, n)| n);
    let Some(zone) = zone else {
        (run.on_line)(&format!(
            "  no Cloud DNS zone of {domain} in the project: the records are not collected"
        ));
        return Ok(());
    };
    let wanted = [format!("api.{domain}"), format!("app.{domain}")];
    let (at, sets) = run
        .list(
            call("dns record-sets"),
            &["--zone".to_owned(), zone.clone()],
            format!("the api and app records in zone {zone}"),
        )
        .await;
    let Some(sets) = sets else { return Ok(()) };
    let total = sets.len();
    let kept: Vec<Value> = sets
        .into_iter()
        .filter(|r| text(r, "name").is_some_and(|n| wanted.contains(&plain(n))))
        .collect();
    for r in &kept {
        found
            .addresses
            .extend(list(r, "rrdatas").filter_map(Value::as_str).map(plain));
    }
    run.write(at, "record-sets.json", kept, total)
}

/// The forwarding rules on the records' addresses, their proxies and URL maps: the backend
/// services they route to. Returns every forwarding rule read (the Private Service Connect
/// endpoints among them are kept once the network is known).
async fn load_balancer(
    run: &mut GcpRun<'_>,
    found: &mut Found,
) -> Result<Option<(usize, Vec<Value>)>, CollectError> {
    let (rules_at, rules) = run
        .list(
            call("compute forwarding-rules"),
            &[],
            "the forwarding rules, for those on the records' addresses",
        )
        .await;
    for r in rules.iter().flatten() {
        if text(r, "IPAddress").is_some_and(|ip| found.addresses.contains(ip)) {
            found.rules.extend(refs(r, "selfLink"));
            found.targets.extend(refs(r, "target"));
            found.services.extend(refs(r, "backendService"));
        }
    }
    let mut maps = BTreeSet::new();
    for (which, file) in [
        ("compute target-https-proxies", "target-https-proxies.json"),
        ("compute target-http-proxies", "target-http-proxies.json"),
    ] {
        let (at, proxies) = run
            .list(
                call(which),
                &[],
                "the target proxies of the forwarding rules",
            )
            .await;
        if let Some(proxies) = proxies {
            let total = proxies.len();
            let kept: Vec<Value> = proxies
                .into_iter()
                .filter(|p| refs(p, "selfLink").is_some_and(|l| found.targets.contains(&l)))
                .collect();
            maps.extend(kept.iter().filter_map(|p| refs(p, "urlMap")));
            run.write(at, file, kept, total)?;
        }
    }
    let (at, url_maps) = run
        .list(call("compute url-maps"), &[], "the URL maps of the proxies")
        .await;
    if let Some(url_maps) = url_maps {
        let total = url_maps.len();
        let kept: Vec<Value> = url_maps
            .into_iter()
            .filter(|m| refs(m, "selfLink").is_some_and(|l| maps.contains(&l)))
            .collect();
        for m in &kept {
            found.services.extend(refs(m, "defaultService"));
            for pm in list(m, "pathMatchers") {
                found.services.extend(refs(pm, "defaultService"));
                found
                    .services
                    .extend(list(pm, "pathRules").filter_map(|r| refs(r, "service")));
            }
        }
        run.write(at, "url-maps.json", kept, total)?;
    }
    Ok(rules.map(|r| (rules_at, r)))
}

/// The backend services, their health checks and backends: network endpoint groups, managed
/// instance groups (gcloud adds their autoscalers) and their instance templates. Whether the
/// backend services were read (without them nothing after can be told the deployment's).
async fn backends(run: &mut GcpRun<'_>, found: &mut Found) -> Result<bool, CollectError> {
    let (at, services) = run
        .list(
            call("compute backend-services"),
            &[],
            "the backend services the URL maps route to",
        )
        .await;
    let Some(services) = services else {
        return Ok(false);
    };
    {
        let total = services.len();
        let kept: Vec<Value> = services
            .into_iter()
            .filter(|s| refs(s, "selfLink").is_some_and(|l| found.services.contains(&l)))
            .collect();
        for s in &kept {
            found
                .groups
                .extend(list(s, "backends").filter_map(|b| refs(b, "group")));
            found
                .health_checks
                .extend(list(s, "healthChecks").filter_map(Value::as_str).map(key));
        }
        run.write(at, "backend-services.json", kept, total)?;
    }
    let (at, negs) = run
        .list(
            call("compute network-endpoint-groups"),
            &[],
            "the network endpoint groups behind the backend services",
        )
        .await;
    if let Some(negs) = negs {
        let total = negs.len();
        let kept: Vec<Value> = negs
            .into_iter()
            .filter(|n| refs(n, "selfLink").is_some_and(|l| found.groups.contains(&l)))
            .collect();
        found.networks.extend(
            kept.iter()
                .filter_map(|n| text(n, "network"))
                .map(|n| name(n).to_owned()),
        );
        run.write(at, "network-endpoint-groups.json", kept, total)?;
    }
    let (at, migs) = run
        .list(
            call("compute instance-groups managed"),
            &[],
            "the managed instance groups behind the backend services, with their autoscalers",
        )
        .await;
    if let Some(migs) = migs {
        let total = migs.len();
        let kept: Vec<Value> = migs
            .into_iter()
            .filter(|m| refs(m, "instanceGroup").is_some_and(|g| found.groups.contains(&g)))
            .collect();
        for m in &kept {
            found.templates.extend(refs(m, "instanceTemplate"));
            found
                .health_checks
                .extend(list(m, "autoHealingPolicies").filter_map(|p| refs(p, "healthCheck")));
        }
        run.write(at, "instance-groups-managed.json", kept, total)?;
    }
    let (at, checks) = run
        .list(
            call("compute health-checks"),
            &[],
            "the health checks of the backend services and groups",
        )
        .await;
    if let Some(checks) = checks {
        let total = checks.len();
        let kept: Vec<Value> = checks
            .into_iter()
            .filter(|c| refs(c, "selfLink").is_some_and(|l| found.health_checks.contains(&l)))
            .collect();
        run.write(at, "health-checks.json", kept, total)?;
    }
    let (at, templates) = run
        .list(
            call("compute instance-templates"),
            &[],
            "the instance templates of the groups",
        )
        .await;
    if let Some(templates) = templates {
        let total = templates.len();
        let kept: Vec<Value> = templates
            .into_iter()
            .filter(|t| refs(t, "selfLink").is_some_and(|l| found.templates.contains(&l)))
            .collect();
        for t in &kept {
            let nics = t
                .get("properties")
                .map_or(&Value::Null, |p| p)
                .get("networkInterfaces");
            found.networks.extend(
                nics.and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|n| text(n, "network"))
                    .map(|n| name(n).to_owned()),
            );
        }
        run.write(at, "instance-templates.json", kept, total)?;
    }
    Ok(true)
}

/// Keeps of `all` (its call at `at`) what `keep` says, and writes it as `file`.
fn keep_write(
    run: &mut GcpRun<'_>,
    at: usize,
    file: &str,
    all: Vec<Value>,
    keep: impl Fn(&Value) -> bool,
) -> Result<Vec<Value>, CollectError> {
    let total = all.len();
    let kept: Vec<Value> = all.into_iter().filter(|v| keep(v)).collect();
    run.write(at, file, kept.clone(), total)?;
    Ok(kept)
}

/// The GKE cluster on the backends' network, the network, its subnets, routers (Cloud NAT) and
/// addresses, the Cloud SQL instance on it; then the forwarding rules (the deployment's, and
/// the Private Service Connect endpoints for Google APIs on its network).
async fn network(
    run: &mut GcpRun<'_>,
    found: &mut Found,
    rules: Option<(usize, Vec<Value>)>,
) -> Result<(), CollectError> {
    let on_network =
        |n: Option<&str>, found: &Found| n.is_some_and(|n| found.networks.contains(name(n)));
    let (at, clusters) = run
        .list(
            call("container clusters"),
            &[],
            "the GKE clusters, for the one on the deployment's network",
        )
        .await;
    if let Some(clusters) = clusters {
        keep_write(run, at, "clusters.json", clusters, |c| {
            on_network(
                text(c, "networkConfig.network").or(text(c, "network")),
                found,
            )
        })?;
    }
    let (at, networks) = run
        .list(call("compute networks"), &[], "the deployment's network")
        .await;
    if let Some(networks) = networks {
        keep_write(run, at, "networks.json", networks, |n| {
            text(n, "name").is_some_and(|n| found.networks.contains(n))
        })?;
    }
    let (at, subnets) = run
        .list(
            call("compute networks subnets"),
            &[],
            "the subnets of the deployment's network",
        )
        .await;
    if let Some(subnets) = subnets {
        keep_write(run, at, "networks-subnets.json", subnets, |s| {
            on_network(text(s, "network"), found)
        })?;
    }
    let (at, routers) = run
        .list(
            call("compute routers"),
            &[],
            "the Cloud Routers (and their Cloud NAT) of the deployment's network",
        )
        .await;
    if let Some(routers) = routers {
        keep_write(run, at, "routers.json", routers, |r| {
            on_network(text(r, "network"), found)
        })?;
    }
    let (at, addresses) = run
        .list(
            call("compute addresses"),
            &[],
            "the addresses of the deployment's forwarding rules",
        )
        .await;
    if let Some(addresses) = addresses {
        keep_write(run, at, "addresses.json", addresses, |a| {
            text(a, "address").is_some_and(|ip| found.addresses.contains(ip))
                || list(a, "users")
                    .filter_map(Value::as_str)
                    .any(|u| found.rules.contains(&key(u)))
        })?;
    }
    let (at, instances) = run
        .list(
            call("sql instances"),
            &[],
            "the Cloud SQL instances, for those on the deployment's network",
        )
        .await;
    if let Some(instances) = instances {
        keep_write(run, at, "sql-instances.json", instances, |i| {
            on_network(text(i, "settings.ipConfiguration.privateNetwork"), found)
        })?;
    }
    if let Some((at, rules)) = rules {
        keep_write(run, at, "forwarding-rules.json", rules, |r| {
            refs(r, "selfLink").is_some_and(|l| found.rules.contains(&l))
                || (matches!(text(r, "target"), Some("all-apis" | "vpc-sc"))
                    && on_network(text(r, "network"), found))
        })?;
    }
    Ok(())
}
