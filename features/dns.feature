@dns @guide:dns
Feature: DNS records lead to the load balancer
  The guide ("DNS"): configure two DNS records pointing to your load balancer,
  api.{domain} for CLI and API access and app.{domain} for web console access.

  Each record is resolved (A and AAAA) through every resolver in dns.nameservers, or the
  system resolver when none is set. Its CNAME chain must reach dns.load_balancer, and its
  addresses must be dns.load_balancer_addresses, when those are set; when neither is set,
  api and app must lead to the same place. The evidence keeps every answer with its TTL.

  Scenario: api.{domain} leads to the load balancer
    When api.{domain} is resolved through every configured resolver
    Then it resolves to at least one address
    And it leads to the load balancer

  Scenario: app.{domain} leads to the load balancer
    When app.{domain} is resolved through every configured resolver
    Then it resolves to at least one address
    And it leads to the load balancer
