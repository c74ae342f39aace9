@disruptive @drain @guide:graceful-shutdown
Feature: A rolling restart of the API drops no request
  The guide ("Graceful shutdown"): when scaling in or deploying updates, containers finish
  in-flight requests: stop timeout of at least 120 s, terminationGracePeriodSeconds 130,
  preStop hooks or deregistration delay to drain connections, and ("Load balancer
  configuration") health checks that take a stopping instance out of rotation.

  Requests go out at drain.rate on a fixed schedule, half on kept-alive connections and half
  on a new connection each, while drain.restart (or the sandbox's own rollout) replaces every
  instance. Every request is counted by outcome (answered with its status, refused, reset,
  closed before a response, timed out, ...) and every failure is tied to the restart phase it
  fell in: when the refusal, reset, close or error answer came (a long request cut off by a
  stop fails at the stop), or for a timeout when the request was sent. The guide's bar is zero failed requests (drain.max_failed = 0). With drain.slow_path,
  every drain.slow_every-th request is a long one, in flight across the stops; with
  drain.haproxy_stats, requests HAProxy retried or redispatched count as failures it masked.

  @rec:in-flight-requests @rec:scale-in-draining
  Scenario: No request fails while the API is restarted one instance at a time
    Enforces: zero failed requests (drain.max_failed = 0, the guide's bar) at drain.rate while
    every instance is replaced, every request accounted for, and the restart complete within
    drain.max_duration.
    Fails when: any request fails (counted by kind: refused, reset, closed before a response,
    502, 503, 504, timeout, and by restart phase), the counts do not add up, or the restart
    does not complete. Against an environment file it runs only with drain.enabled = true or
    --allow-disruptive; otherwise it is skipped by policy, visibly.
    Given the health check path of api.{domain} is requested at the configured rate
    When the API is restarted one instance at a time
    Then every request sent is accounted for
    And no request fails
    And the restart completes
