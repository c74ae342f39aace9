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
    Not applicable on Google Cloud: an external load balancer's forwarding rule is served by
    Google's front ends and sits in no subnet of the VPC ("External Application Load Balancer
    overview", https://cloud.google.com/load-balancing/docs/https); the verdict says so with
    that source.
    Enforces: every internet-facing load balancer is in subnets that route 0.0.0.0/0 to an
    internet gateway.
    Google Cloud: not applicable, with the reason and source.
    Fails when: a load balancer sits in a private or isolated subnet; the subnet and its
    route are named.
    Google Cloud: never (not applicable).
    Then every internet-facing load balancer is in public subnets

  @rec:subnets-by-tier
  Scenario: The API runs in private subnets without public addresses
    ECS: the service's subnets and assignPublicIp. Kubernetes: the node groups' subnets (pods
    take their nodes' subnets), from aws eks describe-nodegroup. VMs: the subnets of the
    auto-scaling group that registers in the API's target group.
    Google Cloud's subnets have no tier of their own: private nodes (enablePrivateNodes, GKE
    "About network isolation",
    https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation) or instance
    templates without an access config (Compute Engine "IP addresses",
    https://cloud.google.com/compute/docs/ip-addresses) keep the API on internal addresses.
    Enforces: the API's tasks or nodes are in private subnets, with assignPublicIp off.
    Google Cloud (GKE "About network isolation", Compute Engine "IP addresses"): the API's node
    pools have private nodes; its MIG's instance template has no access config.
    Fails when: a task or node group is in a public subnet or gets a public IP address.
    Google Cloud: public nodes, or an access config (an external IP) on the template's network
    interface.
    Then the API's tasks or nodes are in private subnets without public IP addresses

  @rec:database-private
  Scenario: The database is not publicly accessible and sits in database subnets
    A database in subnets the API runs in fails (the tiers are not separated); one in private
    subnets with a route to the internet is reported.
    Cloud SQL sits in no subnet of the VPC: its private IP is on the VPC through private
    services access (Cloud SQL "Configure private IP",
    https://cloud.google.com/sql/docs/mysql/configure-private-ip).
    Enforces: every database has PubliclyAccessible false and subnets apart from the API's.
    Google Cloud (Cloud SQL "Configure private IP"): settings.ipConfiguration.ipv4Enabled false
    and a privateNetwork.
    Fails when: a database is publicly accessible or shares the API's subnets.
    Google Cloud: a public IP (ipv4Enabled true, the default) or no private network.
    Then the database is not publicly accessible and is in database subnets

  @rec:nat-per-az
  Scenario: Every availability zone has its own NAT gateway
    Each private subnet's default route goes to the NAT gateway in its own zone: a route to
    another zone's NAT gateway is cut off when that zone fails. Each NAT gateway sits in a
    public subnet (the guide's "Public subnets: ... NAT gateways"): one in a private subnet
    has no way out itself.
    On Google Cloud, Cloud NAT is a regional, distributed, software-defined service on a Cloud
    Router that depends on no VM or gateway in a zone ("Cloud NAT overview",
    https://cloud.google.com/nat/docs/overview): one Cloud NAT per region meets "one NAT gateway
    per AZ" (a zone loss does not take it down); what is checked is that it translates the API's
    subnets and has addresses.
    Enforces: each private subnet's default route goes to a NAT gateway in its own zone, and
    every NAT gateway is in a public subnet.
    Google Cloud ("Cloud NAT overview"): every subnet the API runs in is among the ranges a
    Cloud NAT of its region translates (sourceSubnetworkIpRangesToNat), and that NAT has
    addresses (AUTO_ONLY, or MANUAL_ONLY with natIps).
    Fails when: a zone has no NAT gateway, a private subnet routes to another zone's, or a NAT
    gateway sits in a private or isolated subnet.
    Google Cloud: no Cloud NAT translates an API subnet (LIST_OF_SUBNETWORKS without it), or a
    MANUAL_ONLY NAT has no natIps.
    Then every private subnet reaches the internet through a NAT gateway in its own availability zone

  @rec:storage-endpoints
  Scenario: Object storage is reached through a VPC endpoint
    The endpoint must be one the API uses: a Gateway endpoint for S3 on the route table of
    every subnet the API runs in (the endpoint's RouteTableIds, or a route to it), or an
    Interface endpoint for S3 in its VPC with private DNS on. Without the API's subnets in the
    inputs, the private subnets are judged.
    On Google Cloud: Private Google Access on the API's subnets
    (https://cloud.google.com/vpc/docs/private-google-access) or a Private Service Connect
    endpoint for Google APIs
    (https://cloud.google.com/vpc/docs/configure-private-service-connect-apis).
    Enforces: every subnet the API runs in reaches S3 through a VPC endpoint.
    Google Cloud ("Private Google Access", "Access Google APIs through endpoints"): every subnet
    the API runs in has privateIpGoogleAccess true, or its network a Private Service Connect
    endpoint for Google APIs.
    Fails when: no S3 endpoint exists in the VPC, a Gateway endpoint is on no route table of
    the API's subnets (the subnets and route tables are named), or an Interface endpoint has
    private DNS off.
    Google Cloud: privateIpGoogleAccess off and no such endpoint (Cloud Storage goes through the
    NAT).
    Then every subnet the API runs in reaches S3 through a VPC endpoint
