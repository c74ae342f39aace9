@config @guide:load-balancer
Feature: The load balancer is protected and health-checks the API (configuration)
  The guide ("Load balancer configuration"): deploy an Application Load Balancer (or
  equivalent), enable deletion protection on the load balancer in production, configure health
  checks for the API service on /api/status, set the health check grace period to 120 seconds
  to allow containers to start.

  The load balancer's own attributes (describe-load-balancer-attributes, a stack export's
  enableDeletionProtection) and, for an ALB the AWS Load Balancer Controller creates, the
  Ingress annotations it is made from, or the Kubernetes Gateway API's objects and the
  controller's own resources (LoadBalancerConfiguration, TargetGroupConfiguration), merged by
  its precedence rules (AWS Load Balancer Controller, docs/guide/gateway/customization.md,
  loadbalancerconfig.md "MergingMode", targetgroupconfig.md "Configuration Resolution Order").
  Checked in the configuration [config] names; what no input covers is not checked, visibly.

  Background:
    Given the configuration exported from the deployment

  @rec:application-load-balancer
  Scenario: An Application Load Balancer fronts the API
    The load balancer in front of the API works at layer 7: its Type in `aws elbv2
    describe-load-balancers`, a stack export's loadBalancerType (or the ARN's /app/ or /net/),
    an Ingress (the AWS Load Balancer Controller makes an ALB of it; another controller is an
    HTTP proxy). The one in front of the API is the one that forwards to its target groups
    (their LoadBalancerArns) or that the api record leads to; when the inputs do not say,
    every internet-facing one is judged. An internal layer-4 balancer beside it is reported.
    Through the Gateway API (gateway.networking.k8s.io/v1), the API's route (an HTTPRoute,
    GRPCRoute, TLSRoute or TCPRoute sending to the API's Service, or for api.{domain}) and the
    GatewayClass of its Gateway: controllerName gateway.k8s.aws/alb makes an ALB,
    gateway.k8s.aws/nlb an NLB (AWS Load Balancer Controller, docs/guide/gateway/l7gateway.md
    and l4gateway.md); another implementation is named and judged on the route's kind
    (HTTPRoute and GRPCRoute route HTTP; TLSRoute and TCPRoute pass connections through: the
    Gateway API reference). An HTTP proxy in the cluster (ingress-nginx, Envoy Gateway, Traefik,
    HAProxy's or NGINX's controller, told by its image) that the API's Ingress (a class no
    cloud controller serves) or Gateway leads through is judged as the load balancer tier
    behind its Service of type LoadBalancer, whose layer-4 balancer is then no failure: the
    guide's "or equivalent" held to what the guide asks of a tier that serves the API
    ("Multi-AZ deployment", "Auto-scaling": minimum 2, "Graceful shutdown").
    The AWS Load Balancer Controller's target type must let it register targets: instance (its
    default) registers the nodes on the Service's nodePort, so the API's Service must be of type
    NodePort or LoadBalancer; ip registers the pods (docs/guide/ingress/annotations.md
    "target-type", read from the Service's annotation before the Ingress's;
    docs/guide/gateway/targetgroupconfig.md "TargetType", resolved as the TargetGroupConfigurations
    merge). A ListenerRuleConfiguration is read but judged by no rule.
    Azure: an Application Gateway ("What is Azure Application Gateway",
    https://learn.microsoft.com/azure/application-gateway/overview: a layer-7 load balancer) is
    the equivalent, so is an Ingress of the Application Gateway Ingress Controller; an Azure
    load balancer (layer 4, "What is Azure Load Balancer") straight to the API is not, nor is
    an Application Gateway of the v1 SKU (sku.tier Standard or WAF), which Microsoft retired on
    April 28, 2026 ("Migrate your Application Gateways from V1 SKU to V2 SKU by April 28, 2026",
    https://learn.microsoft.com/azure/application-gateway/v1-retirement: no support, no SLA,
    its data path blocked). Application Gateway for Containers, a Gateway of a GatewayClass with
    controllerName alb.networking.azure.io/alb-controller ("What is Application Gateway for
    Containers?",
    https://learn.microsoft.com/azure/application-gateway/for-containers/overview), and Azure
    Front Door, its endpoints from `az afd endpoint list` ("What is Azure Front Door?",
    https://learn.microsoft.com/azure/frontdoor/front-door-overview), are layer-7 equivalents;
    so is Azure Front Door (classic) (`Microsoft.Network/frontDoors`), with a warning: Microsoft
    retires it on March 31, 2027 ("Migrate Azure Front Door (classic) to Standard or Premium
    tier", https://learn.microsoft.com/azure/frontdoor/migrate-tier); so is an Application
    Gateway for Containers' frontend as `az rest` lists it
    (`Microsoft.ServiceNetworking/trafficControllers/frontends`: "Application Gateway for
    Containers components",
    https://learn.microsoft.com/azure/application-gateway/for-containers/application-gateway-for-containers-components).
    On Google Cloud a forwarding rule is the load balancer: one to a target HTTP(S) proxy
    (loadBalancingScheme EXTERNAL or EXTERNAL_MANAGED, global or regional) is an external
    Application Load Balancer; one straight to a backend service or target pool is a passthrough
    Network Load Balancer ("Load balancer types",
    https://cloud.google.com/load-balancing/docs/choosing-load-balancer). The GKE Gateway
    controller (controllerName networking.gke.io/gateway) makes of a Gateway of class
    gke-l7-global-external-managed a global external Application Load Balancer, of
    gke-l7-regional-external-managed a regional one, of gke-l7-gxlb a classic one, and of
    gke-l7-rilb a regional internal one, reported as internal (GKE, "GatewayClass capabilities",
    https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities).
    Enforces: an Application Load Balancer (or an HTTP ingress, or a Gateway with an HTTPRoute)
    in front of the API.
    Azure ("What is Azure Application Gateway",
    https://learn.microsoft.com/azure/application-gateway/overview): an Application Gateway of
    the v2 SKU (Standard_v2, WAF_v2), an Application Gateway for Containers, or a Front Door.
    Google Cloud ("Load balancer types"): the API's forwarding rule targets a target HTTP(S)
    proxy.
    Fails when: a Network or Gateway Load Balancer, a Classic Load Balancer (`aws elb
    describe-load-balancers`), a Gateway of the NLB gateway controller, a TLSRoute or TCPRoute,
    or a Kubernetes Service of type LoadBalancer (layer 4) straight to the API's pods; an
    in-cluster proxy tier with fewer than 2 replicas (or HPA minimum), no zone spread, no
    preStop hook (or a grace period that ends before its sleep), or no rule for api or app; the
    verdict says which of the two it found, and names the setting and the reason; the AWS Load
    Balancer Controller's target type instance (set or its default) with the API's Service of
    type ClusterIP.
    On Azure: an Azure load balancer
    in front of the API's scale set, or an Application Gateway of the retired v1 SKU.
    Google Cloud: a passthrough Network Load Balancer (a forwarding rule to a backend service or
    target pool) or a TCP/SSL proxy in front of the API; a route other than an HTTPRoute on a
    GKE Gateway.
    Then a layer-7 load balancer, an Application Load Balancer or equivalent, fronts the API

  @rec:deletion-protection
  Scenario: Deletion protection is on
    For a Gateway of the AWS Load Balancer Controller: deletion_protection.enabled in the
    loadBalancerAttributes of the LoadBalancerConfigurations of its GatewayClass and of the
    Gateway, merged key by key, the class's mergingMode deciding which wins (prefer-gateway-class
    by default) (AWS Load Balancer Controller, docs/guide/gateway/customization.md, "Conflict
    Resolution for LoadBalancerConfiguration").
    Azure: a CanNotDelete or ReadOnly management lock on the Application Gateway (the Front Door
    profile, the Application Gateway for Containers' traffic controller), its resource
    group or its subscription ("Lock your resources to protect your infrastructure",
    https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources: child
    scopes inherit locks), from az lock list. Azure collection writes a lock list that holds no
    lock on the gateway or its resource group as such (NetconformEmptyList, naming the command
    and the type), which reads as no lock; az's own `[]` names no type and is no input.
    Google Cloud's load balancers have no deletion protection setting (the Compute Engine API's
    forwardingRules, targetHttpsProxies, urlMaps and backendServices have none,
    https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules; Compute Engine
    offers it for VM instances only,
    https://cloud.google.com/compute/docs/instances/preventing-accidental-vm-deletion): there
    the scenario is not applicable, with that reason and source, never a pass.
    Enforces: deletion_protection.enabled is true on every load balancer.
    Azure ("Lock your
    resources to protect your infrastructure",
    https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources): a
    CanNotDelete or ReadOnly lock on the gateway or a scope above it.
    Google Cloud: not applicable, with the reason and source.
    Fails when: it is false or unset (off by default), or the load balancer is a Classic one
    (which has none); for a Gateway, the configuration the value came from is named.
    On Azure: no such lock.
    Google Cloud: never (not applicable).
    Then deletion protection is on for every load balancer

  @rec:health-check
  Scenario: The load balancer health-checks the API on /api/status
    The API's target groups (HealthCheckPath, a matcher that accepts 200), or its Ingress's
    alb.ingress.kubernetes.io/healthcheck-path and success-codes, or, behind a Gateway of the
    AWS Load Balancer Controller, the healthCheckConfig (healthCheckPath, matcher.httpCode) of
    the API Service's TargetGroupConfiguration (its most specific routeConfigurations entry
    over its defaultConfiguration), else of the Gateway-level default TargetGroupConfiguration,
    taken whole (AWS Load Balancer Controller, docs/guide/gateway/targetgroupconfig.md,
    "Configuration Resolution Order", "Route Matching Logic"); unset, the AWS defaults (/ and
    200). Another Gateway implementation's health check is its own: not checked, with what to
    export.
    Azure: the probe of the API's backend settings on the Application Gateway, its path and
    match.statusCodes; without a custom probe the default probe asks for / ("Application Gateway
    health probes overview",
    https://learn.microsoft.com/azure/application-gateway/application-gateway-probe-overview);
    for an Ingress of the Application Gateway Ingress Controller, its
    appgw.ingress.kubernetes.io/health-probe-path and health-probe-status-codes, else the pods'
    readiness probe (AGIC, "Annotations"). Behind Application Gateway for Containers (a route
    on its Gateway, or an Ingress of class azure-alb-external), the
    HealthCheckPolicy (alb.networking.azure.io/v1) that targets the API's Service
    (spec.default.http.path, match.statusCodes), else the pods' readiness probe, else /
    ("Custom health probe for Application Gateway for Containers",
    https://learn.microsoft.com/azure/application-gateway/for-containers/custom-health-probe).
    Behind Azure Front Door, the API origin group's healthProbeSettings.probePath (`az afd
    origin-group list`; for Front Door (classic), the healthProbeSettings path of the backend
    pool a routing rule forwards to, `enabledState` Disabled being no probe), which counts 200 OK healthy ("Health probes",
    https://learn.microsoft.com/azure/frontdoor/health-probes).
    On Google Cloud the API's backend service's health check (httpHealthCheck.requestPath,
    default /; it counts 200 only: "Health checks overview",
    https://cloud.google.com/load-balancing/docs/health-check-concepts). Behind a GKE Gateway,
    the HealthCheckPolicy (networking.gke.io/v1) whose spec.targetRef names the API's Service:
    spec.default.config.httpHealthCheck.requestPath, / when not set; without one the Gateway
    controller's default health check asks / (GKE, "Configure Gateway resources using
    Policies",
    https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources).
    Enforces: the API's target groups (or Ingress annotations) check /api/status and accept
    200.
    Azure ("Application Gateway health probes overview",
    https://learn.microsoft.com/azure/application-gateway/application-gateway-probe-overview):
    the API's backend settings' probe on /api/status, its status codes including 200; the
    HealthCheckPolicy of Application Gateway for Containers, or the Front Door origin group's
    probe, on /api/status.
    Google Cloud ("Health checks overview"): the API's backend service's health check asks
    /api/status; behind GKE Ingress without its gcloud output, the BackendConfig's
    healthCheck.requestPath, else the readiness probe's path, which the controller infers;
    behind a GKE Gateway, the HealthCheckPolicy's requestPath.
    Fails when: another path, or a matcher without 200.
    On Azure: another path, or the default
    probe.
    Google Cloud: another requestPath, or a TCP health check; behind a GKE Gateway, no
    HealthCheckPolicy for the API's Service.
    Then the load balancer health-checks the API on /api/status and counts 200 as healthy

  @rec:health-check
  Scenario: The API's pods are ready only when /api/status answers
    Kubernetes: a readinessProbe on /api/status (on ECS and VMs the target group's health check
    does this; not applicable there).
    Enforces: a readinessProbe on /api/status on the API's containers.
    Fails when: no readiness probe, or one on another path.
    Then the API's pods report readiness on /api/status

  @rec:health-check-grace
  Scenario: The API gets 120 seconds to start before failing health checks count
    ECS: healthCheckGracePeriodSeconds. Kubernetes: what the startup (or liveness) probe allows
    before it restarts a container; none restarts nothing. VMs: the auto-scaling group's
    HealthCheckGracePeriod, with ELB health checks (AWS: with type EC2 alone the group never
    replaces an instance whose API fails the load balancer's check).
    Azure: a scale set replaces an instance failing its health probe only with automatic repairs
    on, after their gracePeriod ("Automatic instance repairs for Azure Virtual Machine Scale
    Sets",
    https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-instance-repairs);
    off, nothing replaces a starting instance.
    On a managed instance group: autohealing on a health check, with
    autoHealingPolicies[].initialDelaySec as the grace (default 0; Compute Engine "Set up an
    application health check and autohealing",
    https://cloud.google.com/compute/docs/instance-groups/autohealing-instances-in-migs).
    Enforces: healthCheckGracePeriodSeconds >= 120 (ECS), startup/liveness probes allowing 120 s
    (Kubernetes), HealthCheckType ELB and HealthCheckGracePeriod >= 120 (VMs). Azure ("Automatic
    instance repairs for Virtual Machine Scale Sets",
    https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-instance-repairs):
    automatic repairs' gracePeriod >= 120 s when they are on.
    Google Cloud: a MIG's autohealing policy names a health check and its initialDelaySec is >=
    120.
    Fails when: a shorter grace (Pulumi's ECS installer sets 60 s), or an auto-scaling group
    that uses EC2 health checks only.
    Google Cloud: no autohealing policy, or an initialDelaySec below 120.
    Then the API gets at least 120 seconds to start before failing health checks count

  @guide:dns @rec:api-record @rec:app-record
  Scenario: The exported DNS records point api and app to the load balancer
    The guide ("DNS"): two records pointing to your load balancer, api.{domain} and
    app.{domain}. In the exported records (Route 53 record sets, a stack export's records): an
    alias or CNAME to a load balancer of the inputs (its DNS name, an Ingress's
    status.loadBalancer, a Gateway's status.addresses, which the AWS Load Balancer Controller
    sets to the load balancer's DNS name) (or dns.load_balancer), or an address of
    dns.load_balancer_addresses. The dns feature checks what resolvers answer.
    Azure DNS: an A record that is an alias of the gateway's public IP (targetResource; "Azure
    DNS alias records", https://learn.microsoft.com/azure/dns/dns-alias), an A record with its
    address, or a CNAME to its DNS name, or to a Front Door endpoint's hostName, or to an
    Application Gateway for Containers frontend's fqdn.
    Cloud DNS record sets (`gcloud dns record-sets list`): an A record's rrdatas lead to the
    load balancer when they hold its forwarding rule's IPAddress.
    Enforces: the exported records for api.{domain} and app.{domain} alias or CNAME to the load
    balancer. Azure ("Azure DNS alias records",
    https://learn.microsoft.com/azure/dns/dns-alias): an alias of the gateway's public IP, its
    address or its DNS name.
    Google Cloud: the A records for api and app hold the API's forwarding rule's IPAddress.
    Fails when: a record is missing or points elsewhere.
    Google Cloud: a record holds another address.
    Then the exported records for api.{domain} and app.{domain} point to the load balancer
