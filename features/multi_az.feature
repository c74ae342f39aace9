@config @guide:multi-az
Feature: The API and its load balancer span availability zones (configuration)
  The guide ("Multi-AZ deployment"): deploy compute resources across at least two availability
  zones. Kubernetes: spread pods across AZs using pod anti-affinity or topology spread
  constraints. ECS/Fargate: launch tasks across multiple subnets in different AZs. The
  checklist adds at least two replicas.

  Checked in the configuration the environment's [config] names (Kubernetes manifests, AWS
  describe output, Pulumi stack exports), not through the load balancer: a zone outage is when a
  client would find out. Every finding names the file, the setting's path and the value the
  guide expects. What no input covers is not checked, visibly; without [config] these scenarios
  are not applicable.

  Background:
    Given the configuration exported from the deployment

  Scenario: The API is spread over at least two availability zones
    A topologySpreadConstraints entry or a pod anti-affinity on topology.kubernetes.io/zone
    (a preference the scheduler may ignore is reported), the node groups' subnets in two zones;
    an ECS service's subnets in two zones.
    Then the API's pods or tasks are spread over at least two availability zones

  Scenario: The load balancer has nodes in at least two availability zones
    Then every load balancer has nodes in at least two availability zones

  Scenario: The API runs at least two instances
    The Deployment's replicas (the HPA's minReplicas when one scales it), the ECS service's
    desired count.
    Then the API runs at least two instances
