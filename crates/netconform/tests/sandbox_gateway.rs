//! The built-in sandbox with its configuration evidence exposed through the Kubernetes Gateway
//! API (`--exposure gateway-api`: netconform-config's `gateway` corpus, the AWS Load Balancer
//! Controller's ALB gateway) is as conformant as with its Ingress: every configuration
//! scenario passes (but the instances one, which does not apply to pods), for the Gateway's
//! reasons.

mod common;

use common::*;

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
