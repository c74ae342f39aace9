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

  @rec:api-record
  Scenario: api.{domain} leads to the load balancer
    Enforces: api.{domain} resolves at every resolver, vantage point and authoritative server,
    and leads to the load balancer: its CNAME chain ends at dns.load_balancer, or its addresses
    match dns.load_balancer_addresses.
    Fails when: the record is missing anywhere (or has no AAAA while the balancer has IPv6), or
    its chain or addresses lead elsewhere.
    When api.{domain} is resolved from every vantage point
    Then it resolves from every vantage point
    And it leads to the load balancer

  @rec:app-record
  Scenario: app.{domain} leads to the load balancer
    Enforces: app.{domain} resolves at every resolver, vantage point and authoritative server,
    and leads to the load balancer (dns.load_balancer or dns.load_balancer_addresses, or its
    [dns.records.app] override).
    Fails when: the record is missing anywhere, or its chain or addresses lead elsewhere.
    When app.{domain} is resolved from every vantage point
    Then it resolves from every vantage point
    And it leads to the load balancer

  @rec:api-record @rec:app-record
  Scenario: The authoritative servers agree with each other and with the resolvers
    A stale secondary answers some clients with old records.
    Enforces: every authoritative server gives the same records and SOA serial, and every
    resolver the same chain and addresses.
    Fails when: a server has other records, TTLs or SOA serial, or a resolver another chain.
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then the authoritative servers and the resolvers agree

  @rec:api-record @rec:app-record
  Scenario: No CNAME in the records' chains dangles
    A CNAME to a deleted load balancer name lets whoever registers that name serve your users.
    Enforces: every CNAME in the chains of api and app ends at a name that exists.
    Fails when: a chain ends at a name that does not exist (NXDOMAIN: a takeover risk).
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then no CNAME in their chains points to a name that does not exist

  @hardening
  Scenario: No wildcard stands in for the records
    netconform's advice, not the guide's. A wildcard *.{domain} answers for a record that was
    deleted, hiding its absence.
    Source: RFC 4592 (a wildcard answers for every name that has no records of its own).
    Enforces: api and app are records of their own, not a wildcard's answers (a wildcard beside
    them is only reported).
    Fails when: api or app is answered by a wildcard.
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then no wildcard answers in their place

  @hardening
  Scenario: The records' TTLs let a load balancer change reach clients quickly
    netconform's advice, not the guide's.
    Source: common practice for records in front of a load balancer, whose addresses change
    (Route 53 answers alias records with a 60 s TTL).
    Enforces: no TTL in the chains of api and app above dns.max_ttl (default 5 minutes).
    Fails when: a TTL is above dns.max_ttl; the record and the TTL are named.
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then no TTL in their chains is above dns.max_ttl

  @hardening
  Scenario: Every IPv6 address the records publish has a listener
    netconform's advice, not the guide's. An AAAA record without a listener breaks IPv6
    clients, or slows every connection by a fallback to IPv4.
    Source: RFC 8305 (Happy Eyeballs: clients try IPv6 first, and wait on an address that does
    not answer). Not applicable when no AAAA record is published.
    Enforces: every AAAA address of api and app accepts connections on the endpoint's port.
    Fails when: an AAAA address refuses or times out.
    When api.{domain} and app.{domain} are resolved from every vantage point
    Then every AAAA address accepts connections on the endpoint's port

  @hardening
  Scenario: The records validate with DNSSEC
    netconform's advice, not the guide's. Asked through each resolver by a validating client,
    from the trust anchors: the root's, or dns.trust_anchors for a private zone.
    Source: RFC 4033-4035 (DNS Security Extensions), for a zone its owner signs.
    Enforces: with dns.dnssec = "validate", every answer for api and app is signed and
    validates (not applicable when dns.dnssec is "off", the default).
    Fails when: an answer is bogus, or unsigned.
    Then api.{domain} and app.{domain} validate with DNSSEC from every resolver
