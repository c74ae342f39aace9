@config @guide:auto-scaling
Feature: The API scales on CPU within the guide's bounds (configuration)
  The guide ("Auto-scaling"): scale the API on CPU utilization with a target of 50-60 % average
  CPU, at least 2 instances (for HA across AZs), at most 4x the desired count (to handle burst
  traffic).

  Kubernetes: the HorizontalPodAutoscaler that targets the API's Deployment (autoscaling/v2
  Resource metric on cpu, or v1's targetCPUUtilizationPercentage). ECS: the service's scalable
  target and its target-tracking policy on ECSServiceAverageCPUUtilization. VMs: the
  auto-scaling group that registers in the API's target group and its target-tracking policy
  on ASGAverageCPUUtilization. Checked in the configuration [config] names; what no input
  covers is not checked, visibly.

  Background:
    Given the configuration exported from the deployment

  @rec:cpu-target
  Scenario: The API scales on CPU at a 50-60 % target
    Azure: the autoscale setting of the scale set in the API's backend pool ("Best practices for
    autoscale",
    https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-best-practices). Azure
    autoscale has rules, not a target: the threshold of its scale-out rule on Percentage CPU
    stands for the target.
    On a managed instance group: its autoscaler's cpuUtilization.utilizationTarget, a fraction
    (0.6 when unset) read as a percentage (Compute Engine "Scaling based on CPU utilization",
    https://cloud.google.com/compute/docs/autoscaler/scaling-cpu).
    Enforces: the API's autoscaler targets average CPU utilization between 50 and 60 %. Azure
    ("Best practices for autoscale",
    https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-best-practices): the
    scale-out rule on Percentage CPU at a threshold of 50-60 %.
    Google Cloud (Compute Engine "Scaling based on CPU utilization"): the MIG autoscaler's
    utilizationTarget is 0.5-0.6.
    Fails when: no CPU autoscaling, or a target outside 50-60 % (Pulumi's ECS installer sets 65
    %). On Azure: no autoscale setting with a scale-out rule on Percentage CPU, or its threshold
    outside 50-60 %.
    Google Cloud: another utilizationTarget, or no CPU target.
    Then the API scales on average CPU utilization with a target between 50 and 60 %

  @rec:min-instances @rec:max-instances
  Scenario: The API keeps two instances and can grow to four times its desired count
    The desired count is the configured baseline, not a value autoscaling has raised: the
    manifest's replicas (or kubectl's last-applied-configuration of an object read live), a
    stack export's inputs, the group's desired capacity (its MinSize when none is set). When
    only a live value is given (describe-services, describe-auto-scaling-groups, a live object
    without last-applied-configuration) the finding says that is the value used.
    Azure: the autoscale profile's capacity (minimum, maximum), its default capacity as the
    desired count.
    On a managed instance group: its autoscaler's minNumReplicas and maxNumReplicas against the
    group's targetSize.
    Enforces: the autoscaler's minimum is at least 2 and its maximum at least 4 times the
    desired count. Azure ("Autoscale settings",
    https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings):
    capacity minimum >= 2, maximum >= 4 x default.
    Google Cloud: the MIG autoscaler's minNumReplicas >= 2 and maxNumReplicas >= 4 x targetSize.
    Fails when: the minimum is below 2 (Pulumi's ECS installer sets 1) or the maximum below 4x.
    Google Cloud: minNumReplicas below 2 or maxNumReplicas below 4x.
    Then the API scales between at least 2 instances and at least 4 times its desired count
