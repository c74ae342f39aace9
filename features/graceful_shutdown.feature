@config @guide:graceful-shutdown
Feature: The API's shutdown settings let it finish in-flight requests (configuration)
  The guide ("Graceful shutdown"): set the container stop timeout to at least 120 seconds;
  Kubernetes: terminationGracePeriodSeconds 130 on the API pod spec; ECS: a deregistration
  delay on the target group and stopTimeout on the container definition; preStop hooks
  (Kubernetes) or lifecycle hooks (ECS) to drain connections before shutdown.

  The platforms do not stop a task or a pod the same way, so each is held to its own
  sequence, as its vendor documents it. ECS (AWS: "Task lifecycle", "Connection draining")
  takes a stopping task out of its target groups and waits the deregistration delay *before*
  it sends SIGTERM; stopTimeout counts from SIGTERM: the two run one after the other, in no
  order to hold. Kubernetes ("Pod lifecycle: termination of Pods") runs the preStop hook
  first and counts terminationGracePeriodSeconds from its start; behind the AWS Load Balancer
  Controller the target group's deregistration starts at the same moment (AWS: EKS best
  practices guide, "Load balancing"), so neither waits for the other. EC2 Auto Scaling drains
  an instance from its target groups, then holds it in a termination lifecycle hook. A
  restart under load (rolling_restart.feature) shows the result; these scenarios find the
  setting before a scale-in does. Unset values count as their platform default (ECS
  stopTimeout 30 s, Kubernetes grace 30 s, ELB deregistration delay 300 s, lifecycle hook
  heartbeat 3600 s). Each scenario names the platforms whose rules it applied.

  Background:
    Given the configuration exported from the deployment

  @rec:stop-timeout @rec:termination-grace-period @rec:in-flight-requests
  Scenario: The API's containers get at least 120 seconds to stop
    ECS: stopTimeout of the API's containers at least 120 s; on Fargate at most 120 s too
    (AWS: its maximum), so exactly 120. Kubernetes: terminationGracePeriodSeconds at least
    130 s. VMs: the stop timeout lives in the instances' launch template or container runtime,
    which no export shows: not checked, visibly. On Google Cloud a managed instance group's
    VMs get, when deleted, the graceful shutdown their instance template enables
    (scheduling.gracefulShutdown.enabled; maxDuration, 10 minutes when not set, at most an
    hour), which holds the container's stop; without it Compute Engine allows the guest OS only
    a short time before forcing it off, and the container's own timeout is in the VM's startup
    script: not checked, saying so (Compute Engine, "Graceful shutdown overview",
    https://cloud.google.com/compute/docs/instances/graceful-shutdown-overview, which also lists
    the limits on the VMs it applies to).
    Enforces: ECS stopTimeout >= 120 s (120 s on Fargate); Kubernetes
    terminationGracePeriodSeconds >= 130 s. Google Cloud ("Graceful shutdown overview"): a
    managed instance group's template enables graceful shutdown with a maxDuration of at least
    120 s.
    Fails when: the setting is lower or unset (platform default 30 s), or above 120 s on
    Fargate (ECS refuses the task definition); the file and path are named. Google Cloud: a
    graceful shutdown maxDuration below 120 s.
    Then every API container gets at least 120 seconds to stop

  @rec:drain-hooks @rec:ecs-deregistration @rec:scale-in-draining
  Scenario: The API drains connections before it stops
    Kubernetes: a preStop hook on the API's containers that waits while the load balancer
    deregisters the pod. ECS and VMs: a deregistration delay configured on the API's target
    groups (unset is the AWS default of 300 s: the guide asks for it to be configured).
    An ECS service deployed blue/green (deploymentConfiguration.strategy BLUE_GREEN) registers
    its tasks in its target group or its alternate one (advancedConfiguration
    alternateTargetGroupArn) deployment by deployment, so both are the API's target groups
    (AWS, ECS developer guide, "Amazon ECS blue/green deployments",
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html).
    Azure: the Application Gateway's backend settings for the API's pool, connectionDraining
    enabled with drainTimeoutInSec ("Application Gateway backend settings",
    https://learn.microsoft.com/azure/application-gateway/configuration-http-settings#connection-draining:
    off unless enabled); on AKS, the Application Gateway Ingress Controller's annotations on the
    API's Ingress, appgw.ingress.kubernetes.io/connection-draining "true" and
    connection-draining-timeout (default 30 s; off by default: "Annotations for Application
    Gateway Ingress Controller",
    https://learn.microsoft.com/azure/application-gateway/ingress-controller-annotations#connection-draining).
    On Google Cloud the backend service's connection draining
    (connectionDraining.drainingTimeoutSec, default 0; "Enable connection draining",
    https://cloud.google.com/load-balancing/docs/enabling-connection-draining), set on GKE for
    the API's Service by the BackendConfig its cloud.google.com/backend-config annotation names
    (GKE Ingress, spec.connectionDraining.drainingTimeoutSec, "Ingress configuration on Google
    Cloud", https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration) or by
    the GCPBackendPolicy whose spec.targetRef names it (GKE Gateway,
    spec.default.connectionDraining.drainingTimeoutSec, "Configure Gateway resources using
    Policies",
    https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources): a
    terminating pod's endpoint leaves the network endpoint group as its preStop hook starts,
    and only draining lets its in-flight requests finish. A Service whose Ingress turns network
    endpoint groups off (cloud.google.com/neg '{"ingress": false}') is reached through the
    nodes' instance groups and kube-proxy, so draining applies to nodes, not pods: said, not
    judged (GKE, "Container-native load balancing",
    https://cloud.google.com/kubernetes-engine/docs/concepts/container-native-load-balancing).
    Enforces: a preStop hook that waits (Kubernetes); a deregistration delay set and above 0 on
    the API's target groups (ECS, VMs). Azure ("Application Gateway backend settings",
    https://learn.microsoft.com/azure/application-gateway/configuration-http-settings#connection-draining):
    connectionDraining enabled on the API's backend settings; on AKS, the API's AGIC Ingress
    annotated connection-draining "true".
    Google Cloud ("Enable connection draining"): the API's backend services drain for more than
    0 s (a MIG); on GKE the API Service's BackendConfig or GCPBackendPolicy sets a
    drainingTimeoutSec above 0.
    Fails when: no preStop hook, a preStop hook that returns at once (`true`, `sleep 0`, an
    echo), or a deregistration delay unset or 0. On Azure: connectionDraining disabled or
    absent, or an AGIC Ingress without connection-draining "true".
    Google Cloud: drainingTimeoutSec 0 (draining off), or on GKE no BackendConfig or
    GCPBackendPolicy that sets it (GKE's default 0).
    Then the API drains connections before it stops

  @rec:termination-grace-period @rec:ecs-deregistration @rec:in-flight-requests
  Scenario: The stop sequence leaves the API its stop timeout
    Kubernetes: the app gets terminationGracePeriodSeconds minus the preStop sleep after
    SIGTERM, which must be at least the guide's 120 s stop timeout (the guide's own 130 s
    leaves room for a 10 s sleep); the deregistration delay runs beside the hook and is
    reported, in no order with it (a target that has drained before the hook ends is the safer
    setup); behind a Gateway of the AWS Load Balancer Controller it is the
    deregistration_delay.timeout_seconds of the API Service's TargetGroupConfiguration
    targetGroupAttributes, merged key by key over the Gateway-level default
    (docs/guide/gateway/targetgroupconfig.md). With the controller's target type instance
    (its default; targetgroupconfig.md "TargetType") the nodes are the targets: a stopping pod
    is never deregistered but leaves the Service's endpoints, which the report says instead.
    ECS: shown as its sequence and worst case ("drain up to 300 s, then SIGTERM, then
    up to 120 s: up to 420 s per task"); on Fargate Spot a warning when the two-minute
    interruption notice cannot hold the drain and the stop (AWS: Spot termination notices).
    Blue/green on ECS changes when the old tasks stop, not how: they keep serving until
    production traffic has moved and the bake time (bakeTimeInMinutes) has ended, then each
    drains through its target group's deregistration delay and stops; the strategy and bake
    time are shown beside the sequence.
    VMs: the drain, then the termination hook, with their worst case.
    On GKE the network endpoint group's connection draining starts with the pod's termination,
    beside the preStop hook, and is reported (the backend service's, or the BackendConfig's or
    GCPBackendPolicy's of the API's Service); on a managed instance group, draining is the one
    timer before Google Cloud deletes the VM.
    On AKS behind the Application Gateway Ingress Controller, AGIC takes the terminating pod out
    of the gateway's backend pool while its preStop sleep runs, and the gateway's connection
    draining (the Ingress's connection-draining-timeout) runs from then, beside the hook; the
    pod is killed when terminationGracePeriodSeconds ends ("Minimizing Downtime During
    Deployments",
    https://azure.github.io/application-gateway-kubernetes-ingress/how-tos/minimize-downtime-during-deployments/:
    a preStop sleep, connection draining, a grace period longer than the sleep).
    Enforces: Kubernetes terminationGracePeriodSeconds - preStop sleep >= 120 s; no ordering
    between a deregistration delay and a stop timeout or preStop hook on any platform. Azure
    (AGIC): the connection draining timeout within terminationGracePeriodSeconds.
    Google Cloud ("Enable connection draining"): a MIG's largest drainingTimeoutSec is at least
    120 s.
    Fails when: the grace period leaves the app less than 120 s after its preStop sleep; the
    grace period and the hook are named. On Azure: an AGIC Ingress's connection draining
    outlasts the pod's grace period (the pod is killed while the gateway still drains it).
    Google Cloud: a MIG's backend services drain for less than 120 s.
    Then the stop sequence leaves the API its stop timeout after SIGTERM

  @rec:drain-hooks @rec:scale-in-draining
  Scenario: Instances are drained before an auto-scaling group terminates them
    The guide's lifecycle hooks (ECS) and graceful draining on scale-in. An EC2 auto-scaling
    group that runs the API (it registers in the API's target group) or its ECS container
    instances has a termination lifecycle hook (autoscaling:EC2_INSTANCE_TERMINATING) whose
    heartbeat is at least the stop timeout, or the ECS capacity provider has managedDraining
    ENABLED (AWS: "Managed instance draining"). Fargate tasks and Kubernetes pods have no
    instances of the API's to hook: not applicable, saying why.
    Azure: the scale set's terminate notification
    (virtualMachineProfile.scheduledEventsProfile.terminateNotificationProfile; "Terminate
    notification for Azure Virtual Machine Scale Set instances",
    https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-terminate-notification)
    with notBeforeTimeout at least the stop timeout.
    Compute Engine has no lifecycle hook: Google Cloud delays a managed instance group's
    deletions (autoscaling, updates, resizes) by the largest connection draining timeout of its
    backend services ("Enable connection draining",
    https://cloud.google.com/load-balancing/docs/enabling-connection-draining).
    Enforces: a termination lifecycle hook with a heartbeat >= 120 s (the stop timeout) on the
    API's auto-scaling groups, or managedDraining ENABLED on its capacity providers. Azure
    ("Terminate notification for Virtual Machine Scale Set instances",
    https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-terminate-notification):
    a terminate notification enabled with notBeforeTimeout >= 120 s.
    Google Cloud: the largest connectionDraining.drainingTimeoutSec of a MIG's backend services
    is at least 120 s.
    Fails when: no termination hook, a heartbeat shorter than the stop timeout, or managed
    draining DISABLED without a hook of one's own. On Azure: no terminate notification.
    Google Cloud: it is shorter, or 0 (draining off).
    Then the API's instances are drained before they terminate
