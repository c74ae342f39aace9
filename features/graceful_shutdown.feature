@config @guide:graceful-shutdown
Feature: The API's shutdown settings let it finish in-flight requests (configuration)
  The guide ("Graceful shutdown"): set the container stop timeout to at least 120 seconds;
  Kubernetes: terminationGracePeriodSeconds 130 on the API pod spec; ECS: a deregistration
  delay on the target group and stopTimeout on the container definition; preStop hooks
  (Kubernetes) or lifecycle hooks (ECS) to drain connections before shutdown.

  The timings only work together: the preStop sleep keeps the pod serving while the load
  balancer stops sending to it, the load balancer's deregistration delay lets in-flight
  requests finish, the stop timeout must outlast it, and Kubernetes must not kill the pod
  before. A restart under load (rolling_restart.feature) shows the result; these scenarios find
  the setting before a scale-in does. Unset values count as their platform default (ECS
  stopTimeout 30 s, Kubernetes grace 30 s, ELB deregistration delay 300 s).

  Background:
    Given the configuration exported from the deployment

  @rec:stop-timeout @rec:termination-grace-period @rec:in-flight-requests
  Scenario: The API's containers get at least 120 seconds to stop
    ECS: stopTimeout of the API's containers at least 120 s. Kubernetes:
    terminationGracePeriodSeconds at least 130 s.
    Enforces: ECS stopTimeout >= 120 s; Kubernetes terminationGracePeriodSeconds >= 130 s.
    Fails when: the setting is lower or unset (platform default 30 s); the file and path are
    named.
    Then every API container gets at least 120 seconds to stop

  @rec:drain-hooks @rec:ecs-deregistration @rec:scale-in-draining
  Scenario: The API drains connections before it stops
    Kubernetes: a preStop hook on the API's containers. ECS: a deregistration delay set on the
    API's target groups (above 0).
    Enforces: a preStop hook on the API's containers (Kubernetes) or a deregistration delay
    above 0 (ECS).
    Fails when: no preStop hook, or a deregistration delay of 0.
    Then the API drains connections before it stops

  @rec:ecs-deregistration @rec:termination-grace-period @rec:in-flight-requests
  Scenario: The shutdown timings fit together
    One timeline per API workload, over the layers it has: preStop sleep < deregistration delay
    <= stop timeout < terminationGracePeriodSeconds. The pair out of order is named with both
    places. A grace period that leaves the app less than the guide's 120 s after its preStop
    sleep is reported as a warning (the guide's own 130 s leaves room for a 10 s sleep).
    Enforces: preStop sleep < deregistration delay <= stop timeout <
    terminationGracePeriodSeconds.
    Fails when: a pair is out of order; both settings and their places are named.
    Then the API's shutdown timings fit together
