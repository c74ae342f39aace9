@health @guide:load-balancer
Feature: The API health check answers through the load balancer
  The guide ("Load balancer configuration"): configure health checks for the API service on
  the /api/status endpoint. Pulumi documents no body for it; its installers expect 200.

  The request goes to every address api.{domain} resolves to, one at a time, with the name
  kept for Host and SNI, so one bad load balancer node cannot hide behind a good one.
  health.path (default /api/status) and health.expect_status (default 200) set what is asked
  and what must come back.

  Scenario: GET /api/status answers 200 on every load balancer address
    When the health check path is requested on api.{domain} through every address it resolves to
    Then every address answers the expected status
