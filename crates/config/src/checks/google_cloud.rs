//! Google Cloud's own documentation, for the rules that map the guide onto how Google Cloud
//! works. A finding about a Google Cloud resource cites one of these as its guideline (beside
//! the guide's line where the guide's number is kept).

/// "Multi-AZ deployment" on GKE.
pub const REGIONAL_CLUSTER: &str = "Google Cloud (GKE, \"Regional clusters\", https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters): a regional cluster runs its nodes in several zones of the region (its node locations); a zonal cluster's nodes are in one zone.";
/// "Multi-AZ deployment" on a managed instance group.
pub const REGIONAL_MIG: &str = "Google Cloud (Compute Engine, \"Regional MIGs\", https://cloud.google.com/compute/docs/instance-groups/regional-migs): a regional managed instance group spreads its VMs over the zones of its distribution policy; a zonal one keeps them in one zone.";
/// "Multi-AZ deployment": the load balancer's backends.
pub const BACKENDS_IN_ZONES: &str = "Google Cloud (\"External Application Load Balancer overview\", https://cloud.google.com/load-balancing/docs/https): the load balancer is served from Google's front ends, not from zonal nodes of the VPC; what spans zones is its backends: zonal network endpoint groups or instance groups in at least two zones.";
/// "Network architecture": where Google Cloud's load balancers are.
pub const LB_NOT_IN_SUBNETS: &str = "Google Cloud (\"External Application Load Balancer overview\", https://cloud.google.com/load-balancing/docs/https): an external load balancer's forwarding rule has an external address served by Google's front ends (the regional one's proxies run in a proxy-only subnet Google manages): it is placed in no public subnet of the VPC, and none is needed.";
/// "Network architecture": private nodes.
pub const PRIVATE_NODES: &str = "Google Cloud (GKE, \"About network isolation\", https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation): with private nodes (enablePrivateNodes) the nodes have internal IP addresses only; subnets in Google Cloud are regional and have no public or private tier of their own.";
/// "Network architecture": VMs without external addresses.
pub const NO_EXTERNAL_IP: &str = "Google Cloud (Compute Engine, \"IP addresses\", https://cloud.google.com/compute/docs/ip-addresses): a VM gets an external IPv4 address only through an access config on its network interface; an instance template without one makes VMs reachable on internal addresses only.";
/// "Network architecture": the database.
pub const CLOUD_SQL_PRIVATE_IP: &str = "Google Cloud (Cloud SQL, \"Configure private IP\", https://cloud.google.com/sql/docs/mysql/configure-private-ip): an instance with a private IP on the VPC (ipConfiguration.privateNetwork) and its public IP off (ipConfiguration.ipv4Enabled false) is reachable from the VPC only.";
/// "Network architecture": what one NAT gateway per AZ means for Cloud NAT.
pub const CLOUD_NAT: &str = "Google Cloud (\"Cloud NAT overview\", https://cloud.google.com/nat/docs/overview): Cloud NAT is a distributed, software-defined managed service configured on a Cloud Router for a region; it depends on no VM or single gateway device in a zone, so one Cloud NAT gateway per region serves every zone (the guide's \"one NAT gateway per AZ\" is met by it). What matters is that the application's subnets are among the ranges it translates (sourceSubnetworkIpRangesToNat) and that it has addresses (natIpAllocateOption AUTO_ONLY, or MANUAL_ONLY with natIps).";
/// "Network architecture": object storage without NAT.
pub const PRIVATE_GOOGLE_ACCESS: &str = "Google Cloud (\"Private Google Access\", https://cloud.google.com/vpc/docs/private-google-access; \"Access Google APIs through endpoints\", https://cloud.google.com/vpc/docs/configure-private-service-connect-apis): VMs and nodes without external addresses reach Cloud Storage on internal routes when their subnet has Private Google Access on (privateIpGoogleAccess), or through a Private Service Connect endpoint for Google APIs (a global forwarding rule with target all-apis or vpc-sc).";
/// "Auto-scaling" on a managed instance group.
pub const AUTOSCALER_CPU: &str = "Google Cloud (Compute Engine, \"Scaling based on CPU utilization\", https://cloud.google.com/compute/docs/autoscaler/scaling-cpu): the autoscaler keeps the group's average CPU at cpuUtilization.utilizationTarget (a fraction, 0.6 when not set), between minNumReplicas and maxNumReplicas.";
/// "Load balancer configuration": the layer-7 balancer.
pub const APPLICATION_LOAD_BALANCER: &str = "Google Cloud (\"Load balancer types\", https://cloud.google.com/load-balancing/docs/choosing-load-balancer): an external Application Load Balancer (loadBalancingScheme EXTERNAL or EXTERNAL_MANAGED, a forwarding rule to a target HTTP(S) proxy) is layer 7; a passthrough Network Load Balancer (a forwarding rule to a backend service or target pool) passes TCP straight to the backends.";
/// "Load balancer configuration": deletion protection.
pub const NO_DELETION_PROTECTION: &str = "Google Cloud (Compute Engine API, forwardingRules, targetHttpsProxies, urlMaps, backendServices, https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules): a Google Cloud load balancer has no deletion protection setting (Compute Engine offers one for VM instances only, https://cloud.google.com/compute/docs/instances/preventing-accidental-vm-deletion); keep compute.forwardingRules.delete from everyone but the deployment, or protect the resources in the Pulumi program (`protect: true`).";
/// "Load balancer configuration": the health check's success.
pub const HEALTH_CHECK: &str = "Google Cloud (\"Health checks overview\", https://cloud.google.com/load-balancing/docs/health-check-concepts): an HTTP health check asks requestPath (default /) and counts only 200 OK as healthy.";
/// "Load balancer configuration": the grace period on a managed instance group.
pub const AUTOHEALING: &str = "Google Cloud (Compute Engine, \"Set up an application health check and autohealing\", https://cloud.google.com/compute/docs/instance-groups/autohealing-instances-in-migs): a managed instance group recreates VMs its autohealing health check finds unhealthy, ignoring failures during initialDelaySec (default 0).";
/// "Graceful shutdown": connection draining.
pub const CONNECTION_DRAINING: &str = "Google Cloud (\"Enable connection draining\", https://cloud.google.com/load-balancing/docs/enabling-connection-draining): a backend removed from a backend service keeps its in-flight requests up to connectionDraining.drainingTimeoutSec (default 0: none); on GKE the BackendConfig's connectionDraining sets it for a Service's network endpoint group, whose endpoint goes when the pod starts terminating.";
