@config @guide:network-architecture
Feature: The network is separated into tiers, with a NAT gateway per zone (configuration)
  The guide ("Network architecture"): subnets in 2+ AZs, separated by tier: public subnets for
  load balancers and NAT gateways, private subnets for application containers, database
  subnets for database instances (no public access). Deploy one NAT gateway per AZ, and use VPC
  endpoints for object storage.

  A subnet's tier comes from its route table (0.0.0.0/0 to an internet gateway: public; to a
  NAT gateway: private; no default route: isolated, for databases), or, without route tables,
  from its tags. Checked in the configuration [config] names; what no input covers is not
  checked, visibly.

  Background:
    Given the configuration exported from the deployment

  @rec:subnets-by-tier
  Scenario: Internet-facing load balancers sit in public subnets
    The guide predates VPC Block Public Access (AWS, EC2 API VpcBlockPublicAccessOptions and
    VpcBlockPublicAccessExclusion): when `aws ec2 describe-vpc-block-public-access-options`
    (and its exclusions) is exported, a subnet routing to an internet gateway is public only
    if the account does not block ingress, or an allow-bidirectional exclusion names the
    subnet or its VPC.
    netconform collect asks for both; when a call gets no answer (refused, or an operation the
    service does not implement), the load balancer's public subnets are not checked, naming
    the action: not knowing the mode is never taken as no block.
    Azure: an internet-facing Application Gateway is reached through its public frontend IP,
    whatever its subnet's outbound access; Microsoft requires it a subnet of its own
    ("Application Gateway infrastructure configuration"); Azure Front Door is in no subnet of the
    VNet ("Reliability in Azure Front Door",
    https://learn.microsoft.com/azure/reliability/reliability-front-door): not applicable to
    it; nor is an Application Gateway for Containers frontend, an Azure-managed FQDN reaching
    the VNet through a subnet delegated to it ("Application Gateway for Containers
    components"). An Azure subnet's tier is its own
    egress ("Default outbound access",
    https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access): a
    NAT gateway attached is private, defaultOutboundAccess false without one is isolated,
    default outbound access on is public.
    Not applicable on Google Cloud: an external load balancer's forwarding rule is served by
    Google's front ends and sits in no subnet of the VPC ("External Application Load Balancer
    overview", https://cloud.google.com/load-balancing/docs/https); the verdict says so with
    that source.
    On EKS the AWS Load Balancer Controller makes the load balancer from Kubernetes objects,
    and its scheme defaults to internal (only accessible within the VPC): the API's ALB
    Ingress (`alb.ingress.kubernetes.io/scheme` and `subnets`, which one Ingress of its
    IngressGroup sets for the group; docs/guide/ingress/annotations.md) or its Gateway (the
    `scheme` and `loadBalancerSubnets` of its LoadBalancerConfigurations, merged by the
    GatewayClass's mergingMode; docs/guide/gateway/loadbalancerconfig.md,
    https://kubernetes-sigs.github.io/aws-load-balancer-controller/) is read too. An internal
    scheme written out is a deliberate private deployment: reported as a warning.
    Enforces: every internet-facing load balancer is in subnets that route 0.0.0.0/0 to an
    internet gateway (and that VPC Block Public Access, when exported, leaves reachable).
    AWS Load Balancer Controller: the API's ALB Ingress or Gateway is internet-facing and the
    subnets it names are public.
    Azure ("Application Gateway infrastructure configuration",
    https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure): an
    internet-facing Application Gateway in a subnet of its own.
    Google Cloud: not applicable, with the reason and source.
    Fails when: a load balancer sits in a private or isolated subnet, or in a public one VPC
    Block Public Access blocks (block-bidirectional or block-ingress, no allow-bidirectional
    exclusion); the subnet and its route are named. AWS Load Balancer Controller: the API's
    Ingress or Gateway sets no scheme (the controller's default, internal), or names a
    subnet that is not public.
    On Azure: the gateway's subnet shared with a node pool or scale set.
    Google Cloud: never (not applicable).
    Then every internet-facing load balancer is in public subnets

  @rec:subnets-by-tier
  Scenario: The API runs in private subnets without public addresses
    ECS: the service's subnets and assignPublicIp. Kubernetes: the node groups' subnets (pods
    take their nodes' subnets), from aws eks describe-nodegroup. With EKS Auto Mode
    (computeConfig.enabled in aws eks describe-cluster) the nodes come from node pools, not node
    groups: the subnets of their NodeClass (EKS user guide, "Create a Node Class for Amazon
    EKS", https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html), its
    status.subnets or the ids of its subnetSelectorTerms, stand for the node groups'. VMs: the
    subnets of the auto-scaling group that registers in the API's target group.
    Azure: the subnets (vnetSubnetId) of the AKS node pools, of the scale set in the API's
    backend pool: a NAT gateway attached, not Azure's default outbound access.
    Google Cloud's subnets have no tier of their own: private nodes (enablePrivateNodes, GKE
    "About network isolation",
    https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation) or instance
    templates without an access config (Compute Engine "IP addresses",
    https://cloud.google.com/compute/docs/ip-addresses) keep the API on internal addresses.
    Enforces: the API's tasks or nodes are in private subnets, with assignPublicIp off. Azure
    ("Default outbound access",
    https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access): the
    nodes' subnets have a NAT gateway (not default outbound access).
    Google Cloud (GKE "About network isolation", Compute Engine "IP addresses"): the API's node
    pools have private nodes; its MIG's instance template has no access config.
    Fails when: a task or node group is in a public subnet or gets a public IP address. On
    Azure: a node pool's or scale set's subnet without a NAT gateway whose default outbound
    access is on.
    Google Cloud: public nodes, or an access config (an external IP) on the template's network
    interface.
    Then the API's tasks or nodes are in private subnets without public IP addresses

  @rec:database-private
  Scenario: The database is not publicly accessible and sits in database subnets
    A database in subnets the API runs in fails (the tiers are not separated); one in private
    subnets with a route to the internet is reported.
    Azure: a PostgreSQL or MySQL flexible server's network.publicNetworkAccess Disabled, in the
    subnet delegated to it (VNet integration) or reached through a private endpoint (Microsoft,
    "Networking overview for Azure Database for PostgreSQL with private access"); its subnet
    without a NAT gateway and with defaultOutboundAccess false.
    Cloud SQL sits in no subnet of the VPC: its private IP is on the VPC through private
    services access (Cloud SQL "Configure private IP",
    https://cloud.google.com/sql/docs/mysql/configure-private-ip).
    Enforces: every database has PubliclyAccessible false and subnets apart from the API's.
    Azure ("Networking with private access for Azure Database for PostgreSQL",
    https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private):
    publicNetworkAccess Disabled, its delegated subnet isolated and apart from the nodes'.
    Google Cloud (Cloud SQL "Configure private IP"): settings.ipConfiguration.ipv4Enabled false
    and a privateNetwork.
    Fails when: a database is publicly accessible or shares the API's subnets. On Azure:
    publicNetworkAccess Enabled.
    Google Cloud: a public IP (ipv4Enabled true, the default) or no private network.
    Then the database is not publicly accessible and is in database subnets

  @rec:nat-per-az
  Scenario: Every availability zone has its own NAT gateway
    Each private subnet's default route goes to the NAT gateway in its own zone: a route to
    another zone's NAT gateway is cut off when that zone fails. Each NAT gateway sits in a
    public subnet (the guide's "Public subnets: ... NAT gateways"): one in a private subnet
    has no way out itself. The guide predates regional NAT gateways (AWS, VPC user guide,
    "Regional NAT gateways for automatic multi-AZ expansion"): one gateway (AvailabilityMode
    regional) that runs in every zone it serves and has no subnet of its own; it is the guide's
    NAT gateway per zone when it serves the subnet's zone (AutoProvisionZones enabled, or an
    address in that zone).
    Azure ("NAT gateway and availability zones",
    https://learn.microsoft.com/azure/nat-gateway/nat-availability-zones): a Standard NAT
    gateway is zonal, so a NAT gateway per zone is a zonal NAT gateway on each subnet whose node
    pools or scale sets run only in its zone (Microsoft's "zonal stacks"), or a zone-redundant
    StandardV2 NAT gateway.
    On Google Cloud, Cloud NAT is a regional, distributed, software-defined service on a Cloud
    Router that depends on no VM or gateway in a zone ("Cloud NAT overview",
    https://cloud.google.com/nat/docs/overview): one Cloud NAT per region meets "one NAT gateway
    per AZ" (a zone loss does not take it down); what is checked is that it translates the API's
    subnets and has addresses.
    Enforces: each private subnet's default route goes to a NAT gateway in its own zone (or a
    regional one serving that zone), and every zonal NAT gateway is in a public subnet.
    Azure ("NAT gateway and availability zones",
    https://learn.microsoft.com/azure/nat-gateway/nat-availability-zones): each private subnet's
    NAT gateway is StandardV2, or zonal and serving only compute of its zone.
    Google Cloud ("Cloud NAT overview"): every subnet the API runs in is among the ranges a
    Cloud NAT of its region translates (sourceSubnetworkIpRangesToNat), and that NAT has
    addresses (AUTO_ONLY, or MANUAL_ONLY with natIps).
    Fails when: a zone has no NAT gateway, a private subnet routes to another zone's (or to a
    regional one with AutoProvisionZones disabled and no address in its zone), or a NAT
    gateway sits in a private or isolated subnet.
    On Azure: a NAT gateway with no zone, or a
    zonal one serving node pools or a scale set in other zones.
    Google Cloud: no Cloud NAT translates an API subnet (LIST_OF_SUBNETWORKS without it), or a
    MANUAL_ONLY NAT has no natIps.
    Then every private subnet reaches the internet through a NAT gateway in its own availability zone

  @rec:storage-endpoints
  Scenario: Object storage is reached through a VPC endpoint
    The endpoint must be one the API uses: a Gateway endpoint for S3 on the route table of
    every subnet the API runs in (the endpoint's RouteTableIds, or a route to it), or an
    Interface endpoint for S3 in its VPC with private DNS on. Without the API's subnets in the
    inputs, the private subnets are judged.
    Azure ("Use private endpoints for Azure Storage",
    https://learn.microsoft.com/azure/storage/common/storage-private-endpoints; "Virtual network
    service endpoints"): a private endpoint for a storage account's blob sub-resource in the
    virtual network of the API's subnets, approved, or a Microsoft.Storage service endpoint on
    those subnets.
    On Google Cloud: Private Google Access on the API's subnets
    (https://cloud.google.com/vpc/docs/private-google-access) or a Private Service Connect
    endpoint for Google APIs
    (https://cloud.google.com/vpc/docs/configure-private-service-connect-apis).
    Enforces: every subnet the API runs in reaches S3 through a VPC endpoint. Azure ("Use
    private endpoints for Azure Storage",
    https://learn.microsoft.com/azure/storage/common/storage-private-endpoints): Blob storage
    through a private endpoint in the subnets' virtual network, resolved through the
    privatelink.blob.core.windows.net private DNS zone ("Azure Private Endpoint DNS
    configuration"), or a Microsoft.Storage service endpoint.
    Google Cloud ("Private Google Access", "Access Google APIs through endpoints"): every subnet
    the API runs in has privateIpGoogleAccess true, or its network a Private Service Connect
    endpoint for Google APIs.
    Fails when: no S3 endpoint exists in the VPC, a Gateway endpoint is on no route table of the
    API's subnets (the subnets and route tables are named), or an Interface endpoint has private
    DNS off. On Azure: neither a blob private endpoint in the virtual network nor a service
    endpoint on the subnet, or the endpoint without the privatelink.blob.core.windows.net zone
    linked.
    Google Cloud: privateIpGoogleAccess off and no such endpoint (Cloud Storage goes through the
    NAT).
    Then every subnet the API runs in reaches S3 through a VPC endpoint
