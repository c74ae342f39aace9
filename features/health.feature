@health @guide:load-balancer
Feature: The API health check answers through the load balancer
  The guide ("Load balancer configuration"): configure health checks for the API service on
  the /api/status endpoint, with a health check grace period of 120 seconds. Pulumi documents
  no body for it; its installers expect 200.

  Every request goes to each address api.{domain} resolves to, one at a time, with the name
  kept for Host and SNI, so one bad load balancer node cannot hide behind a good one.
  health.path (default /api/status), health.expect_status (default 200), and optionally
  health.expect_body, health.expect_body_regex and health.expect_headers set what is asked and
  what must come back. Failures are classified: DNS, connection refused, connection timeout,
  TLS (expired, wrong host, unknown issuer, version), read timeout, HTTP status.

  Scenario: GET /api/status answers 200 on every load balancer address
    When the health check path is requested on api.{domain} through every address it resolves to
    Then every address answers the expected status

  @grace
  Scenario: The API becomes healthy within the guide's health check grace period
    Then the health check path of api.{domain} answers the expected status within 120 seconds

  @stability
  Scenario: The health check passes 20 times in a row
    Probes are spaced by health.interval over the load balancer's addresses; the latencies
    (p50, p95, max) are reported.
    Then the health check path of api.{domain} answers the expected status 20 times in a row

  Scenario: The console answers with a page
    Then GET / on app.{domain} answers with an HTML page

  @guide:multi-az
  Scenario: Requests are answered from at least two availability zones
    The guide ("Multi-AZ deployment"): spread the API over at least two zones. Seen from
    outside through health.zone_header, a response header naming the zone that answered; not
    applicable without it.
    Then requests to api.{domain} are answered from at least health.min_zones zones

  Scenario: gzip-encoded responses pass through the load balancer intact
    Pulumi's troubleshooting guide: a proxy that strips Content-Encoding: gzip garbles state.
    Checked on health.gzip_path, a path the API serves gzip-encoded; not applicable without it.
    Then a gzip-encoded response from api.{domain} keeps its Content-Encoding
