//! Discovery over the Azure CLI, from the domain to the deployment's resources, each list
//! filtered to the deployment before it is written: the Azure DNS zone of `{domain}` and its
//! api/app records lead to public IPs, the public IPs to the Application Gateway (or load
//! balancer) whose frontends they are, its backend pools to the scale sets registered in them
//! and the AKS clusters whose ingress controller runs it, those to their subnets' VNets, the
//! VNets to their NAT gateways, private endpoints (and the private DNS zones they resolve
//! through) and databases, the gateway's resource group
//! to its locks (`discover`). A record may lead to an edge in front instead (`edge`): an Azure
//! Front Door (Standard/Premium) endpoint, whose routes, origin groups and origins lead on to
//! the gateway's public IP, or an Application Gateway for Containers frontend, whose
//! associations' subnets lead to the VNet and the AKS cluster in it. Their commands are
//! extensions' in azure-cli (`az afd`, `az network alb`), so they are read with core
//! `az rest` from ARM's REST API, the subscription in the URL (`rest`: a list and its pages).
//! The call runner is `run`, the CLI `cli`.

mod cli;
mod discover;
mod edge;
mod rest;
mod run;

use std::path::Path;

use netconform_model::Environment;
use netconform_model::inputs::Input;

use crate::manifest::Manifest;
use crate::{CollectError, denied};

pub use cli::AzCli;
pub use run::Command;
use run::Run;

const fn command(
    words: &'static [&'static str],
    action: &'static str,
    feeds: Option<Input>,
    reads: &'static str,
) -> Command {
    Command {
        words,
        action,
        feeds,
        reads,
    }
}

pub(crate) const ACCOUNT: Command =
    command(&["account", "show"], "", None, "the subscription az uses");
pub(crate) const ZONES: Command = command(
    &["network", "dns", "zone", "list"],
    "Microsoft.Network/dnszones/read",
    Some(Input::Records),
    "the Azure DNS zone of the domain",
);
pub(crate) const A_RECORDS: Command = command(
    &["network", "dns", "record-set", "a", "list"],
    "Microsoft.Network/dnszones/A/read",
    Some(Input::Records),
    "the api and app A records",
);
pub(crate) const CNAME_RECORDS: Command = command(
    &["network", "dns", "record-set", "cname", "list"],
    "Microsoft.Network/dnszones/CNAME/read",
    Some(Input::Records),
    "the api and app CNAME records",
);
pub(crate) const PUBLIC_IPS: Command = command(
    &["network", "public-ip", "list"],
    "Microsoft.Network/publicIPAddresses/read",
    Some(Input::LoadBalancers),
    "the public IPs the records lead to, and the gateway whose frontend each is",
);
pub(crate) const GATEWAYS: Command = command(
    &["network", "application-gateway", "list"],
    "Microsoft.Network/applicationGateways/read",
    Some(Input::LoadBalancers),
    "the Application Gateway: kind, zones, subnet, backend settings, probes, draining",
);
pub(crate) const LOAD_BALANCERS: Command = command(
    &["network", "lb", "list"],
    "Microsoft.Network/loadBalancers/read",
    Some(Input::LoadBalancers),
    "an Azure load balancer the records lead to: kind, probes",
);
pub(crate) const SCALE_SETS: Command = command(
    &["vmss", "list"],
    "Microsoft.Compute/virtualMachineScaleSets/read",
    Some(Input::AutoScalingGroups),
    "the scale sets in the gateway's backend pools: zones, subnets, repairs, terminate notification",
);
pub(crate) const AUTOSCALE: Command = command(
    &["monitor", "autoscale", "list"],
    "Microsoft.Insights/autoscalesettings/read",
    Some(Input::GroupPolicies),
    "the scale sets' autoscale settings: CPU rule, bounds",
);
pub(crate) const CLUSTERS: Command = command(
    &["aks", "list"],
    "Microsoft.ContainerService/managedClusters/read",
    Some(Input::NodeGroups),
    "the AKS cluster whose ingress controller runs the gateway: node pools' zones and subnets",
);
pub(crate) const VNETS: Command = command(
    &["network", "vnet", "list"],
    "Microsoft.Network/virtualNetworks/read",
    Some(Input::Subnets),
    "the VNets of the gateway and the compute: subnets' tiers, NAT gateways, delegations, service endpoints",
);
pub(crate) const NAT_GATEWAYS: Command = command(
    &["network", "nat", "gateway", "list"],
    "Microsoft.Network/natGateways/read",
    Some(Input::NatGateways),
    "the NAT gateways of those subnets: zones, SKU",
);
pub(crate) const PRIVATE_ENDPOINTS: Command = command(
    &["network", "private-endpoint", "list"],
    "Microsoft.Network/privateEndpoints/read",
    Some(Input::VpcEndpoints),
    "the private endpoints in those VNets: Blob storage",
);
pub(crate) const PRIVATE_DNS: Command = command(
    &["network", "private-dns", "zone", "list"],
    "Microsoft.Network/privateDnsZones/read",
    Some(Input::VpcEndpoints),
    "the private DNS zones the private endpoints resolve through: privatelink.blob.core.windows.net",
);
pub(crate) const POSTGRES: Command = command(
    &["postgres", "flexible-server", "list"],
    "Microsoft.DBforPostgreSQL/flexibleServers/read",
    Some(Input::Databases),
    "the PostgreSQL servers in those VNets: public network access",
);
pub(crate) const MYSQL: Command = command(
    &["mysql", "flexible-server", "list"],
    "Microsoft.DBforMySQL/flexibleServers/read",
    Some(Input::Databases),
    "the MySQL servers in those VNets: public network access",
);
pub(crate) const LOCKS: Command = command(
    &["lock", "list"],
    "Microsoft.Authorization/locks/read",
    Some(Input::LoadBalancerAttributes),
    "the locks on the gateway, the Front Door profile or AGC and their resource groups: deletion protection",
);

pub(crate) const FRONT_DOOR_PROFILES: Command = command(
    &["rest"],
    "Microsoft.Cdn/profiles/read",
    Some(Input::LoadBalancers),
    "the Front Door (Standard/Premium) profile whose endpoint the records lead to",
);
pub(crate) const FRONT_DOOR_ENDPOINTS: Command = command(
    &["rest"],
    "Microsoft.Cdn/profiles/afdendpoints/read",
    Some(Input::LoadBalancers),
    "the Front Door endpoint the api and app records lead to: its host name",
);
pub(crate) const FRONT_DOOR_ROUTES: Command = command(
    &["rest"],
    "Microsoft.Cdn/profiles/afdendpoints/routes/read",
    Some(Input::LoadBalancers),
    "the endpoint's routes: protocols, HTTPS redirect, the origin group each forwards to",
);
pub(crate) const FRONT_DOOR_ORIGIN_GROUPS: Command = command(
    &["rest"],
    "Microsoft.Cdn/profiles/origingroups/read",
    Some(Input::LoadBalancers),
    "the routes' origin groups: the health probe",
);
pub(crate) const FRONT_DOOR_ORIGINS: Command = command(
    &["rest"],
    "Microsoft.Cdn/profiles/origingroups/origins/read",
    Some(Input::LoadBalancers),
    "the origins behind Front Door: the host names that lead on to the gateway",
);
pub(crate) const FRONT_DOORS_CLASSIC: Command = command(
    &["rest"],
    "Microsoft.Network/frontDoors/read",
    Some(Input::LoadBalancers),
    "the Front Door (classic) the records lead to: its frontend endpoints, backend pools (the backends that lead on to the gateway), health probes, routing rules",
);
pub(crate) const AGC_CONTROLLERS: Command = command(
    &["rest"],
    "Microsoft.ServiceNetworking/trafficControllers/read",
    Some(Input::LoadBalancers),
    "the Application Gateway for Containers whose frontend the records lead to",
);
pub(crate) const AGC_FRONTENDS: Command = command(
    &["rest"],
    "Microsoft.ServiceNetworking/trafficControllers/frontends/read",
    Some(Input::LoadBalancers),
    "the AGC frontend the api and app records lead to: its FQDN",
);
pub(crate) const AGC_ASSOCIATIONS: Command = command(
    &["rest"],
    "Microsoft.ServiceNetworking/trafficControllers/associations/read",
    Some(Input::Subnets),
    "the AGC associations: the subnet (and so the VNet) the controller runs in",
);

/// Every command collection may run, for the role its permissions are held to.
pub const COMMANDS: [Command; 26] = [
    ACCOUNT,
    ZONES,
    A_RECORDS,
    CNAME_RECORDS,
    PUBLIC_IPS,
    GATEWAYS,
    LOAD_BALANCERS,
    SCALE_SETS,
    AUTOSCALE,
    CLUSTERS,
    VNETS,
    NAT_GATEWAYS,
    PRIVATE_ENDPOINTS,
    PRIVATE_DNS,
    POSTGRES,
    MYSQL,
    LOCKS,
    FRONT_DOOR_PROFILES,
    FRONT_DOOR_ENDPOINTS,
    FRONT_DOOR_ROUTES,
    FRONT_DOOR_ORIGIN_GROUPS,
    FRONT_DOOR_ORIGINS,
    FRONT_DOORS_CLASSIC,
    AGC_CONTROLLERS,
    AGC_FRONTENDS,
    AGC_ASSOCIATIONS,
];

/// The deployment's configuration from the subscription, into `out` (created); the manifest
/// of what was done is returned (the caller writes it beside). `on_line` shows progress;
/// `started_at` is the RFC 3339 time it began.
pub async fn collect_azure(
    env: &Environment,
    cli: &AzCli,
    out: &Path,
    started_at: String,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Manifest, CollectError> {
    std::fs::create_dir_all(out).map_err(|e| CollectError::Write {
        path: out.display().to_string(),
        why: e.to_string(),
    })?;
    let domain = env.domain.to_string();
    let mut run = Run {
        cli,
        out,
        manifest: Manifest::new(&domain, started_at),
        on_line,
        denied: Default::default(),
    };
    let (_, account) = run.call(&ACCOUNT, &[], ACCOUNT.reads).await;
    Run::fatal(&account)?;
    run.manifest.account = account
        .ok()
        .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_owned));
    discover::deployment(&mut run, &domain, env.config.resource_group.as_deref()).await?;
    if !run.denied.denied.is_empty() {
        // The checks that need what a refused call reads say "not checked:
        // AuthorizationFailed for <action>" instead of "no input".
        denied::write(out, &run.denied, &mut run.manifest)?;
    }
    Ok(run.manifest)
}
