Feature: DNS propagation after a change
  A scenario of a user's own, run with --features: right after a DNS change the plain step
  fails, the waiting step passes once the change is visible.

  Scenario: app.{domain} resolves at once
    When app.{domain} is resolved from every vantage point
    Then it resolves from every vantage point

  Scenario: app.{domain} leads to the load balancer within a deadline
    Then within 3 seconds app.{domain} leads to the load balancer
