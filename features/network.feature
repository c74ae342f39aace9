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
    Enforces: every internet-facing load balancer is in subnets that route 0.0.0.0/0 to an
    internet gateway (and that VPC Block Public Access, when exported, leaves reachable).
    Fails when: a load balancer sits in a private or isolated subnet, or in a public one VPC
    Block Public Access blocks (block-bidirectional or block-ingress, no allow-bidirectional
    exclusion); the subnet and its route are named.
    Then every internet-facing load balancer is in public subnets

  @rec:subnets-by-tier
  Scenario: The API runs in private subnets without public addresses
    ECS: the service's subnets and assignPublicIp. Kubernetes: the node groups' subnets (pods
    take their nodes' subnets), from aws eks describe-nodegroup. VMs: the subnets of the
    auto-scaling group that registers in the API's target group.
    Enforces: the API's tasks or nodes are in private subnets, with assignPublicIp off.
    Fails when: a task or node group is in a public subnet or gets a public IP address.
    Then the API's tasks or nodes are in private subnets without public IP addresses

  @rec:database-private
  Scenario: The database is not publicly accessible and sits in database subnets
    A database in subnets the API runs in fails (the tiers are not separated); one in private
    subnets with a route to the internet is reported.
    Enforces: every database has PubliclyAccessible false and subnets apart from the API's.
    Fails when: a database is publicly accessible or shares the API's subnets.
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
    Enforces: each private subnet's default route goes to a NAT gateway in its own zone (or a
    regional one serving that zone), and every zonal NAT gateway is in a public subnet.
    Fails when: a zone has no NAT gateway, a private subnet routes to another zone's (or to a
    regional one with AutoProvisionZones disabled and no address in its zone), or a NAT
    gateway sits in a private or isolated subnet.
    Then every private subnet reaches the internet through a NAT gateway in its own availability zone

  @rec:storage-endpoints
  Scenario: Object storage is reached through a VPC endpoint
    The endpoint must be one the API uses: a Gateway endpoint for S3 on the route table of
    every subnet the API runs in (the endpoint's RouteTableIds, or a route to it), or an
    Interface endpoint for S3 in its VPC with private DNS on. Without the API's subnets in the
    inputs, the private subnets are judged.
    Enforces: every subnet the API runs in reaches S3 through a VPC endpoint.
    Fails when: no S3 endpoint exists in the VPC, a Gateway endpoint is on no route table of
    the API's subnets (the subnets and route tables are named), or an Interface endpoint has
    private DNS off.
    Then every subnet the API runs in reaches S3 through a VPC endpoint
