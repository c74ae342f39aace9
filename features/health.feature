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

  @rec:health-check
  Scenario: GET /api/status answers 200 on every load balancer address
    Enforces: health.path (the guide's /api/status) answers health.expect_status (200) through
    every address of the load balancer, and the body and headers expected, if any.
    Fails when: an address refuses, times out, fails TLS, or answers another status, body or
    headers; the failure is classified and the address named.
    When the health check path is requested on api.{domain} through every address it resolves to
    Then every address answers the expected status

  @grace @rec:health-check-grace
  Scenario: The API becomes healthy within the guide's health check grace period
    Enforces: the health check passes on every address within 120 seconds, the guide's health
    check grace period.
    Fails when: an address still fails at the deadline; how long each took is reported.
    Then the health check path of api.{domain} answers the expected status within 120 seconds

  @stability @rec:health-check
  Scenario: The health check passes 20 times in a row
    Probes are spaced by health.interval over the load balancer's addresses; the latencies
    (p50, p95, max) are reported.
    Enforces: 20 consecutive health checks answer the expected status.
    Fails when: any of the 20 fails (a flapping target, a bad node behind the balancer).
    Then the health check path of api.{domain} answers the expected status 20 times in a row

  @rec:app-record
  Scenario: The console answers with a page
    Enforces: GET / on app.{domain}, the web console's record, answers 200 with an HTML page
    on every address.
    Fails when: an address answers another status, or something other than HTML.
    Then GET / on app.{domain} answers with an HTML page

  @guide:multi-az @rec:multi-az
  Scenario: Requests are answered from at least two availability zones
    The guide ("Multi-AZ deployment"): spread the API over at least two zones. Seen from
    outside through health.zone_header, a response header naming the zone that answered.
    Enforces: responses come from at least health.min_zones zones (default 2); not applicable
    without health.zone_header.
    Fails when: fewer zones answer; the zones seen are named.
    Then requests to api.{domain} are answered from at least health.min_zones zones

  @rec:gzip-passthrough
  Scenario: gzip-encoded responses pass through the load balancer intact
    Pulumi's troubleshooting guide: a proxy that strips Content-Encoding: gzip garbles state.
    Enforces: a response from health.gzip_path, a path the API serves gzip-encoded, keeps its
    Content-Encoding: gzip through the load balancer; not applicable without health.gzip_path.
    Fails when: the header is stripped or the body is changed on the way.
    Then a gzip-encoded response from api.{domain} keeps its Content-Encoding
