@tls @guide:load-balancer
Feature: TLS on the load balancer
  The API and the console are served over HTTPS on 443, and port 80 redirects to 443
  (Pulumi's network requirements). For both names and on every address of the load balancer:
  the certificate chain verifies against the system's roots and tls.ca_file (or tls.ca_pem),
  names the host, has at least tls.min_days_left days left (default 14), over at least
  tls.min_version (default 1.2). The evidence names subject, issuer, names, not-after and days
  left. An endpoint configured as plain http:// is not applicable, visibly, unless
  tls.required is set.

  @rec:https
  Scenario: api.{domain} presents a valid certificate on every address
    Enforces: on every address, a chain that verifies and names api.{domain}, with at least
    tls.min_days_left days left (default 14), over at least tls.min_version (default 1.2).
    Fails when: the certificate is expired, for another name, from an unknown issuer, too
    close to expiry, or the TLS version is too old.
    Then the certificate of api.{domain} is valid on every address

  @rec:https
  Scenario: app.{domain} presents a valid certificate on every address
    Enforces: on every address, a chain that verifies and names app.{domain}, with at least
    tls.min_days_left days left, over at least tls.min_version.
    Fails when: the certificate is expired, for another name, from an unknown issuer, too
    close to expiry, or the TLS version is too old.
    Then the certificate of app.{domain} is valid on every address

  @rec:http-redirect
  Scenario: Plain HTTP redirects to HTTPS on the same host
    Enforces: plain HTTP on endpoints.http_port (80) to api and app answers a redirect to
    https:// on the same host.
    Fails when: the port serves content, refuses, or redirects elsewhere.
    Then plain HTTP to api.{domain} redirects to HTTPS on the same host
    And plain HTTP to app.{domain} redirects to HTTPS on the same host
