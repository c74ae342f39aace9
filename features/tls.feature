@tls @guide:load-balancer
Feature: TLS on the load balancer
  The API and the console are served over HTTPS on 443, and port 80 redirects to 443
  (Pulumi's network requirements). For both names and on every address of the load balancer:
  the certificate chain verifies against the system's roots and tls.ca_file (or tls.ca_pem),
  names the host, has at least tls.min_days_left days left (default 14), over at least
  tls.min_version (default 1.2). The evidence names subject, issuer, names, not-after and days
  left. An endpoint configured as plain http:// is not applicable, visibly, unless
  tls.required is set.

  Scenario: api.{domain} presents a valid certificate on every address
    Then the certificate of api.{domain} is valid on every address

  Scenario: app.{domain} presents a valid certificate on every address
    Then the certificate of app.{domain} is valid on every address

  Scenario: Plain HTTP redirects to HTTPS on the same host
    Then plain HTTP to api.{domain} redirects to HTTPS on the same host
    And plain HTTP to app.{domain} redirects to HTTPS on the same host
