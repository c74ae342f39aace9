//! Application Gateway for Containers (`Microsoft.ServiceNetworking`), from az's REST passthrough
//! (`az rest --method get --url .../trafficControllers`, `.../frontends`, `.../associations`:
//! the `alb` extension's `az network alb` commands are not in azure-cli's core) and a stack
//! export's azure-native resources of the same kinds.
//!
//! Each frontend is a load balancer of kind `ApplicationGatewayForContainers` answering on its
//! `fqdn` (what the api and app CNAME records lead to), its id under its traffic controller's,
//! so a lock on the controller (or its resource group) protects it. Its routing, probes and
//! draining are the Kubernetes objects' (Gateway, HTTPRoute, HealthCheckPolicy): the readers of
//! `kubernetes::agc` and the Gateway API's.

use crate::formats::az_cli::Arm;
use crate::resources::Reading;
use crate::view::{Input, LbKind};

/// A traffic controller: the frontends and associations read apart say what the checks ask.
pub(crate) fn traffic_controller_from_az(_res: &Arm<'_>, _r: &mut Reading) -> Result<(), String> {
    Ok(())
}

/// A frontend of an Application Gateway for Containers: public, reached at its `fqdn`, served
/// by a gateway Azure places (zone redundant where the region has zones).
pub(crate) fn frontend_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::LoadBalancers, &res.list_at);
    let controller = res.parent_named("trafficControllers");
    r.view
        .load_balancers
        .push(super::front_door::placed_by_azure(
            res,
            format!(
                "frontend {} of Application Gateway for Containers {controller}",
                res.name
            ),
            res.node.arm("fqdn").opt_text(),
            LbKind::ApplicationGatewayForContainers,
        ));
    Ok(())
}

/// An association: the subnet (delegated to `Microsoft.ServiceNetworking/trafficControllers`)
/// through which the gateway reaches the pods; collection follows it to the VNet.
pub(crate) fn association_from_az(_res: &Arm<'_>, _r: &mut Reading) -> Result<(), String> {
    Ok(())
}
