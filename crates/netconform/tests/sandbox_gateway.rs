//! The built-in sandbox with its configuration evidence exposed through the Kubernetes Gateway
//! API (`--exposure gateway-api`: netconform-config's `gateway` corpus, the AWS Load Balancer
//! Controller's ALB gateway) is as conformant as with its Ingress: every configuration
//! scenario passes (but the instances one, which does not apply to pods), for the Gateway's
//! reasons.

mod common;

use common::*;

/// The configuration scenarios a `--tags @config` run has.
const CONFIG: [&str; 20] = [
    "The API scales on CPU at a 50-60 % target",
    "The API keeps two instances and can grow to four times its desired count",
    "The API's containers get at least 120 seconds to stop",
    "The API drains connections before it stops",
    "The stop sequence leaves the API its stop timeout",
    "Deletion protection is on",
    "The load balancer health-checks the API on /api/status",
    "The API's pods are ready only when /api/status answers",
    "The API gets 120 seconds to start before failing health checks count",
    "The exported DNS records point api and app to the load balancer",
    "The API is spread over at least two availability zones",
    "The load balancer has nodes in at least two availability zones",
    "The API runs at least two instances",
    "Internet-facing load balancers sit in public subnets",
    "The API runs in private subnets without public addresses",
    "The database is not publicly accessible and sits in database subnets",
    "Every availability zone has its own NAT gateway",
    "Object storage is reached through a VPC endpoint",
    "An Application Load Balancer fronts the API",
    INSTANCES,
];

const INSTANCES: &str = "Instances are drained before an auto-scaling group terminates them";

#[test]
fn the_gateway_api_variant_is_conformant_on_every_configuration_scenario() {
    let run = verify(
        "sandbox-gateway-api-config",
        &["--exposure", "gateway-api", "--tags", "@config"],
    );
    assert_verdicts(&run, &CONFIG, &[(INSTANCES, &[NOT_APPLICABLE])]);
    // Judged from the Gateway API's objects, not an Ingress.
    for (scenario, fragment) in [
        (
            "An Application Load Balancer fronts the API",
            "class aws-alb (controllerName gateway.k8s.aws/alb)",
        ),
        (
            "Deletion protection is on",
            "from LoadBalancerConfiguration pulumi/pulumi (the Gateway's)",
        ),
        (
            "The load balancer health-checks the API on /api/status",
            "from TargetGroupConfiguration pulumi/pulumi-api",
        ),
        (
            "Internet-facing load balancers sit in public subnets",
            "Gateway pulumi/pulumi",
        ),
    ] {
        let (_, reason) = run.scenario(scenario);
        assert!(reason.contains(fragment), "{scenario}: {reason}");
    }
}

#[test]
fn the_stock_installer_has_no_gateway_api_variant() {
    assert_usage_errors(&[(
        vec!["--break", "stock-eks-config", "--exposure", "gateway-api"],
        "drop --exposure",
    )]);
}
