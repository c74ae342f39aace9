@config @guide:multi-az
Feature: The API and its load balancer span availability zones (configuration)
  The guide ("Multi-AZ deployment"): deploy compute resources across at least two availability
  zones. Kubernetes: spread pods across AZs using pod anti-affinity or topology spread
  constraints. ECS/Fargate: launch tasks across multiple subnets in different AZs. VMs: use
  auto-scaling groups spanning multiple AZs. The checklist adds at least two replicas.

  Checked in the configuration the environment's [config] names (Kubernetes manifests, AWS
  describe output, Pulumi stack exports), not through the load balancer: a zone outage is when a
  client would find out. Every finding names the file, the setting's path and the value the
  guide expects. What no input covers is not checked, visibly; without [config] these scenarios
  are not applicable.

  Background:
    Given the configuration exported from the deployment

  @rec:multi-az
  Scenario: The API is spread over at least two availability zones
    A topologySpreadConstraints entry or a pod anti-affinity on topology.kubernetes.io/zone,
    the node groups' subnets in two zones; an ECS service's subnets in two zones; the subnets
    (VPCZoneIdentifier) of an auto-scaling group that registers in the API's target group in
    two zones. A spread that is only preferred (ScheduleAnyway, preferred anti-affinity) passes
    with a warning, shown in every report: the scheduler may ignore it when a zone is full.
    An ECS service whose subnets span zones with availabilityZoneRebalancing DISABLED passes
    with a warning too (AWS, ECS developer guide, "Balancing an Amazon ECS service across
    Availability Zones",
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html): after
    a zone's disruption its tasks stay uneven until the next deployment; ENABLED (the default
    for new services) is shown in the evidence. The guide asks for the subnets, so neither fails.
    An EC2 auto-scaling group's Availability Zone distribution strategy is shown in the evidence
    (AWS, EC2 Auto Scaling user guide, "Auto Scaling group Availability Zone distribution",
    https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html):
    both balanced strategies keep the group in every enabled zone, so neither fails; balanced-only
    keeps launching into a failed zone, and warns when the other zones would hold fewer than two
    of its instances; reservations-then-balanced, which fills reservations before spreading,
    warns.
    Azure: an AKS node pool's availabilityZones (the node pools together in two zones, each in
    one; Microsoft, "Availability zones in AKS",
    https://learn.microsoft.com/azure/aks/availability-zones), a VM scale set's zones ("Create a
    Virtual Machine Scale Set that uses Availability Zones"): an Azure subnet spans every zone
    of its region, so zones come from the compute.
    On Google Cloud a subnet spans its region, so zones are named instead: a GKE cluster's node
    locations (GKE, "Regional clusters",
    https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters) and a managed
    instance group's distribution policy (Compute Engine, "Regional MIGs",
    https://cloud.google.com/compute/docs/instance-groups/regional-migs).
    Enforces: the API's pods, tasks or instances may run in at least two availability zones (a
    zone topology spread or anti-affinity; subnets in two zones). Azure ("Availability zones in
    AKS", "Virtual Machine Scale Sets that use Availability Zones",
    https://learn.microsoft.com/azure/aks/availability-zones): node pools in at least two zones
    together, each with availabilityZones; a scale set's zones at least two.
    Google Cloud (GKE "Regional clusters", Compute Engine "Regional MIGs"): the node pool's
    locations or the MIG's distributionPolicy.zones name at least two zones.
    Fails when: no zone spread is set, or the subnets are all in one zone; the file and path are
    named. On Azure: a node pool without availabilityZones, or node pools or a scale set in one
    zone.
    Google Cloud: a zonal cluster or node pool, or a MIG in one zone.
    Then the API's pods or tasks are spread over at least two availability zones

  @rec:multi-az
  Scenario: The load balancer has nodes in at least two availability zones
    Azure: an Application Gateway's zones (its gateway subnet spans them), an Azure load
    balancer's frontend public IP's zones. Azure Front Door is global, served from Microsoft's
    edge and resilient to zone outages by design ("Reliability in Azure Front Door",
    https://learn.microsoft.com/azure/reliability/reliability-front-door): not applicable to it.
    Nor to an Application Gateway for Containers frontend: Azure deploys the gateway highly
    available, zone redundant in regions with zones ("Reliability in Azure Application Gateway
    for Containers", https://learn.microsoft.com/azure/reliability/reliability-app-gateway-containers).
    A Google Cloud load balancer has no zonal nodes: it is served from Google's front ends
    ("External Application Load Balancer overview",
    https://cloud.google.com/load-balancing/docs/https); what spans zones is each backend
    service's backends, zonal network endpoint groups or instance groups.
    Enforces: every load balancer has subnets in at least two availability zones. Azure
    ("Application Gateway v2: autoscaling and zone redundancy",
    https://learn.microsoft.com/azure/application-gateway/application-gateway-autoscaling-zone-redundant):
    the Application Gateway's zones at least two.
    Google Cloud ("External Application Load Balancer overview"): each backend service behind
    the API's forwarding rule has backends in at least two zones.
    AWS: a load balancer's zonal shift (zonal_shift.config.enabled, ELB "Enable zonal shift for
    your Application Load Balancer",
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-zonal-shift.html)
    and the API's target groups' health thresholds (target_group_health.*, ELB "Target group
    health",
    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health.html)
    are shown in the evidence, not judged: the guide asks for neither.
    Fails when: a load balancer's subnets are in one zone; its file and path are named.
    Google Cloud: a backend service's network endpoint groups or instance groups are in one
    zone.
    Then every load balancer has nodes in at least two availability zones

  @rec:multi-az @rec:min-instances
  Scenario: The API runs at least two instances
    The Deployment's replicas (the HPA's minReplicas when one scales it), the ECS service's
    desired count, the auto-scaling group's desired capacity (its MinSize when none is set). A
    value read live (`kubectl get`, `aws ... describe-*`) is said to be one.
    On Google Cloud a managed instance group's targetSize.
    Enforces: the API's replicas (or minReplicas, the ECS desired count, the group's desired
    capacity) are at least 2.
    Google Cloud: a managed instance group's targetSize is at least 2.
    Fails when: the count is 1 or unset (Kubernetes default 1); the setting is named.
    Google Cloud: a targetSize of 1.
    Then the API runs at least two instances
