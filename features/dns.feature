@dns @guide:dns
Feature: DNS records lead to the load balancer
  The guide ("DNS"): configure two DNS records pointing to your load balancer,
  api.{domain} for CLI and API access and app.{domain} for web console access.

  Every record is asked for (A and AAAA) at every vantage point: the resolvers in
  dns.nameservers (the system's when none is set), the extra resolvers in dns.vantage_points,
  and the zone's authoritative servers (dns.authoritative, or found from the zone's NS
  records), those with recursion off. The evidence keeps every answer: the whole CNAME chain
  with its TTLs, the response code, the AA flag, the time taken.

  After a DNS change, a scenario of your own can wait for it with
  "Then within 5 minutes api.{domain} leads to the load balancer": it asks again with
  backoff until the deadline and says how long it took. The scenarios below do not wait.

  Scenario: api.{domain} leads to the load balancer
    When api.{domain} is resolved from every vantage point
    Then it resolves from every vantage point
    And it leads to the load balancer

  Scenario: app.{domain} leads to the load balancer
    When app.{domain} is resolved from every vantage point
    Then it resolves from every vantage point
    And it leads to the load balancer

  Scenario: The authoritative servers agree with each other and with the resolvers
    A stale secondary answers some clients with old records: every authoritative server must
    give the same records and SOA serial, and every resolver the same chain and addresses.
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then the authoritative servers and the resolvers agree

  Scenario: No CNAME in the records' chains dangles
    A CNAME to a deleted load balancer name lets whoever registers that name serve your users.
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then no CNAME in their chains points to a name that does not exist

  Scenario: No wildcard stands in for the records
    A wildcard *.{domain} answers for a record that was deleted, hiding its absence. A wildcard
    is reported; it fails the scenario only when api or app is answered by it.
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then no wildcard answers in their place

  Scenario: The records' TTLs let a load balancer change reach clients quickly
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then no TTL in their chains is above dns.max_ttl

  Scenario: Every IPv6 address the records publish has a listener
    An AAAA record without a listener breaks IPv6 clients, or slows every connection by a
    fallback to IPv4.
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then every AAAA address accepts connections on the endpoint's port

  Scenario: The records validate with DNSSEC
    With dns.dnssec = "validate", every answer for api and app, asked through each resolver by
    a validating client, must be signed and validate from the trust anchors: the root's, or
    dns.trust_anchors for a private zone. A bogus answer is a failure; so is an unsigned one.
    Not applicable when dns.dnssec is "off" (the default).
    Then api.{domain} and app.{domain} validate with DNSSEC from every resolver
