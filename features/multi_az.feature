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
    Azure: an AKS node pool's availabilityZones (the node pools together in two zones, each in
    one; Microsoft, "Availability zones in AKS",
    https://learn.microsoft.com/azure/aks/availability-zones), a VM scale set's zones ("Create a
    Virtual Machine Scale Set that uses Availability Zones"): an Azure subnet spans every zone
    of its region, so zones come from the compute.
    Enforces: the API's pods, tasks or instances may run in at least two availability zones (a
    zone topology spread or anti-affinity; subnets in two zones). Azure ("Availability zones in
    AKS", "Virtual Machine Scale Sets that use Availability Zones",
    https://learn.microsoft.com/azure/aks/availability-zones): node pools in at least two zones
    together, each with availabilityZones; a scale set's zones at least two.
    Fails when: no zone spread is set, or the subnets are all in one zone; the file and path are
    named. On Azure: a node pool without availabilityZones, or node pools or a scale set in one
    zone.
    Then the API's pods or tasks are spread over at least two availability zones

  @rec:multi-az
  Scenario: The load balancer has nodes in at least two availability zones
    Azure: an Application Gateway's zones (its gateway subnet spans them), an Azure load
    balancer's frontend public IP's zones.
    Enforces: every load balancer has subnets in at least two availability zones. Azure
    ("Application Gateway v2: autoscaling and zone redundancy",
    https://learn.microsoft.com/azure/application-gateway/application-gateway-autoscaling-zone-redundant):
    the Application Gateway's zones at least two.
    Fails when: a load balancer's subnets are in one zone; its file and path are named.
    Then every load balancer has nodes in at least two availability zones

  @rec:multi-az @rec:min-instances
  Scenario: The API runs at least two instances
    The Deployment's replicas (the HPA's minReplicas when one scales it), the ECS service's
    desired count, the auto-scaling group's desired capacity (its MinSize when none is set). A
    value read live (`kubectl get`, `aws ... describe-*`) is said to be one.
    Enforces: the API's replicas (or minReplicas, the ECS desired count, the group's desired
    capacity) are at least 2.
    Fails when: the count is 1 or unset (Kubernetes default 1); the setting is named.
    Then the API runs at least two instances
