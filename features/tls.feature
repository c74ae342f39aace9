@tls @guide:load-balancer
Feature: TLS on the load balancer
  The API and the console are served over HTTPS on 443, and port 80 redirects to 443
  (Pulumi's network requirements). For both names and on every address of the load balancer:
  the certificate chain verifies against the system's roots and tls.ca_file (or tls.ca_pem) and
  names the host. netconform's own advice (@hardening) adds a minimum TLS version and days of
  certificate left. The evidence names subject, issuer, names, not-after and days left. An
  endpoint configured as plain http:// is not checked, visibly (point the endpoints at https://
  to check it), unless tls.required is set.

  @rec:https
  Scenario: api.{domain} presents a valid certificate on every address
    Enforces: on every address, a chain that verifies and names api.{domain}.
    Fails when: the certificate is expired, for another name, or from an unknown issuer.
    Then the certificate of api.{domain} is valid on every address

  @rec:https
  Scenario: app.{domain} presents a valid certificate on every address
    Enforces: on every address, a chain that verifies and names app.{domain}.
    Fails when: the certificate is expired, for another name, or from an unknown issuer.
    Then the certificate of app.{domain} is valid on every address

  @hardening
  Scenario: TLS is recent and the certificates are not about to expire
    netconform's advice, not the guide's.
    Source: RFC 8996 retires TLS 1.0 and 1.1; a certificate that lapses fails every client at
    once, so it is renewed well before (ACME clients renew with 30 days left).
    Enforces: on every address of api and app, at least tls.min_version (default 1.2) and at
    least tls.min_days_left days of certificate left (default 14).
    Fails when: an older TLS version is negotiated, or a certificate has fewer days left.
    Then api.{domain} negotiates at least tls.min_version with tls.min_days_left days of certificate left on every address
    And app.{domain} negotiates at least tls.min_version with tls.min_days_left days of certificate left on every address

  @rec:http-redirect
  Scenario: Plain HTTP redirects to HTTPS on the same host
    Enforces: plain HTTP on endpoints.http_port (80) to api and app answers a redirect to
    https:// on the same host.
    Fails when: the port serves content, refuses, or redirects elsewhere.
    Then plain HTTP to api.{domain} redirects to HTTPS on the same host
    And plain HTTP to app.{domain} redirects to HTTPS on the same host
