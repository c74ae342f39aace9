//! The corpus under tests/data, through the real loader: the conformant sets pass every check
//! that applies to them; each broken file fails exactly its check, with the finding pointing at
//! the setting; the stock installers' settings fail with the expected findings.

mod common;

use std::borrow::Cow;
use std::path::Path;

use common::*;
use netconform_config::{Deployment, checks, load};
use netconform_model::Verdict;
use netconform_model::environment::ConfigSettings;
use netconform_model::evidence::config::FindingStatus;

/// A set under tests/data ("eks", "ecs") with the files of `<case>/` (a directory under
/// tests/data) in place of their namesakes (or beside them). Kubernetes files are those under
/// `kubernetes/`, the rest is AWS output; `stack*.json` are stack exports.
fn load_set(set: &str, case: Option<&str>) -> Deployment {
    let base = data().join(set);
    let mut chosen: Vec<String> = files(&base)
        .into_iter()
        .filter(|f| f.ends_with(".json") || f.ends_with(".yaml"))
        .map(|f| format!("{set}/{f}"))
        .collect();
    if let Some(dir) = case {
        let replacing = files(&data().join(dir));
        assert!(!replacing.is_empty(), "no files in tests/data/{dir}");
        for f in replacing {
            let plain = format!("{set}/{f}");
            chosen.retain(|c| *c != plain);
            chosen.push(format!("{dir}/{f}"));
        }
    }
    let mut settings = ConfigSettings::default();
    for f in chosen {
        let glob = f.parse().unwrap();
        if f.contains("/kubernetes/") {
            settings.kubernetes.push(glob);
        } else if f.rsplit('/').next().unwrap().starts_with("stack") {
            settings.pulumi_stack_export.push(glob);
        } else {
            settings.aws.push(glob);
        }
    }
    load(&settings, &data()).unwrap_or_else(|e| panic!("{set} {case:?}: failed to {e}"))
}

/// Loads the files given, relative to tests/data.
fn load_files(kubernetes: &[&str], aws: &[&str], stacks: &[&str]) -> Deployment {
    let settings = ConfigSettings {
        kubernetes: kubernetes.iter().map(|f| f.parse().unwrap()).collect(),
        aws: aws.iter().map(|f| f.parse().unwrap()).collect(),
        pulumi_stack_export: stacks.iter().map(|f| f.parse().unwrap()).collect(),
        ..ConfigSettings::default()
    };
    load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"))
}

/// The conformant sets, one per platform, each written the way its vendor recommends: EKS
/// with the AWS Load Balancer Controller, ECS on Fargate, ECS on EC2 with managed draining,
/// VMs on EC2 auto-scaling groups; EKS exposed through the Gateway API with the controller's
/// ALB gateway controller.
/// ingress-nginx (an HTTP proxy in the cluster) behind a Network Load Balancer, as its chart
/// sets it up for high availability.
const SETS: [&str; 6] = ["eks", "ecs", "ecs-ec2", "vms", "gateway", "ingress-nginx"];

/// The conformant set's verdicts: pass, except the checks that do not apply to the platform
/// (pods and Fargate tasks have no instances to hook; readiness probes are Kubernetes'; no
/// input gives the container stop timeout on VMs).
fn baseline(set: &str, check: &str) -> Verdict {
    match (set, check) {
        ("ecs" | "ecs-ec2" | "vms" | "stack", "readiness") => Verdict::NotApplicable,
        ("eks" | "gateway" | "ingress-nginx" | "ecs" | "stack", "instances") => {
            Verdict::NotApplicable
        }
        // ingress-nginx health-checks its backends through the pods' readiness: its own, not
        // read (the readiness probe scenario checks the API's).
        ("ingress-nginx", "health-check") => Verdict::NotChecked,
        // No input gives the container stop timeout on the instances: a gap, not the nature.
        ("vms", "stop-timeout") => Verdict::NotChecked,
        _ => Verdict::Pass,
    }
}

#[test]
fn conformant_sets_pass_every_check_that_applies() {
    for set in SETS {
        let d = load_set(set, None);
        check_all(set, &d, &[], |c| baseline(set, c));
    }
}

/// Each broken file (under `broken/<set>/<case>/`, in place of its namesake in the set) and
/// the one check it fails, with the error finding's `file: path` and a fragment of the reason.
const BROKEN: &[(&str, &str, Expect)] = &[
    (
        "eks",
        "no-zone-spread",
        fail(
            "api-zones",
            "broken/eks/no-zone-spread/kubernetes/deployment.yaml: spec.template.spec.topologySpreadConstraints",
            "topologySpreadConstraints = not set",
        ),
    ),
    (
        "ecs",
        "service-one-zone",
        fail(
            "api-zones",
            "broken/ecs/service-one-zone/services.json: services[0].networkConfiguration.awsvpcConfiguration.subnets",
            "1 subnet(s) in 1 zone(s): us-east-1a, expected subnets in at least 2 zones (ECS service pulumi-api)",
        ),
    ),
    (
        "ecs",
        "load-balancer-one-zone",
        fail(
            "lb-zones",
            "broken/ecs/load-balancer-one-zone/load-balancers.json: LoadBalancers[0].AvailabilityZones",
            "1 zone(s): us-east-1a",
        ),
    ),
    (
        "ecs",
        "one-task",
        fail(
            "replicas",
            "broken/ecs/one-task/services.json: services[0].desiredCount",
            "desiredCount = 1, expected >= 2",
        ),
    ),
    (
        "ecs",
        "load-balancer-in-private-subnets",
        fail(
            "lb-public",
            "broken/ecs/load-balancer-in-private-subnets/load-balancers.json: LoadBalancers[0].AvailabilityZones[0]",
            "subnet-app-a: private (route table rtb-app-a sends 0.0.0.0/0 to nat-a)",
        ),
    ),
    (
        "ecs",
        "public-ip",
        fail(
            "api-private",
            "broken/ecs/public-ip/services.json: services[0].networkConfiguration.awsvpcConfiguration.assignPublicIp",
            "assignPublicIp = true",
        ),
    ),
    (
        "eks",
        "nodes-in-public-subnets",
        fail(
            "api-private",
            "broken/eks/nodes-in-public-subnets/aws/nodegroup.json: nodegroup.subnets[0]",
            "subnet-pub-a: public (route table rtb-public sends 0.0.0.0/0 to igw-pulumi)",
        ),
    ),
    (
        "ecs",
        "public-database",
        fail(
            "database",
            "broken/ecs/public-database/db-instances.json: DBInstances[0].PubliclyAccessible",
            "PubliclyAccessible = true, expected false",
        ),
    ),
    (
        "ecs",
        "cross-zone-nat",
        fail(
            "nat",
            "broken/ecs/cross-zone-nat/route-tables.json: RouteTables[3].Routes[1].NatGatewayId",
            "routes to nat-a in us-east-1a: another zone's NAT gateway",
        ),
    ),
    (
        "ecs",
        "no-s3-endpoint",
        fail(
            "s3-endpoint",
            "broken/ecs/no-s3-endpoint/vpc-endpoints.json: VpcEndpoints",
            "no S3 endpoint (endpoints: com.amazonaws.us-east-1.ecr.api)",
        ),
    ),
    (
        "ecs",
        "cpu-80",
        fail(
            "cpu",
            "broken/ecs/cpu-80/scaling-policies.json: ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration.TargetValue",
            "TargetValue = 80, expected 50-60 %",
        ),
    ),
    (
        "eks",
        "hpa-cpu-80",
        fail(
            "cpu",
            "broken/eks/hpa-cpu-80/kubernetes/hpa.yaml: spec.metrics[0].resource.target.averageUtilization",
            "averageUtilization = 80",
        ),
    ),
    (
        "ecs",
        "max-too-low",
        fail(
            "bounds",
            "broken/ecs/max-too-low/scalable-targets.json: ScalableTargets[0].MaxCapacity",
            "MaxCapacity = 6, expected >= 12 (4 x desiredCount 3 (the live value; autoscaling may have raised it",
        ),
    ),
    (
        "eks",
        "hpa-max-6",
        fail(
            "bounds",
            "broken/eks/hpa-max-6/kubernetes/hpa.yaml: spec.maxReplicas",
            "maxReplicas = 6, expected >= 12 (4 x 3 desired)",
        ),
    ),
    (
        "ecs",
        "stop-timeout-90",
        fail(
            "stop-timeout",
            "broken/ecs/stop-timeout-90/task-definition.json: taskDefinition.containerDefinitions[0].stopTimeout",
            "stopTimeout = 90, expected 120 (the guide's minimum, Fargate's maximum)",
        ),
    ),
    (
        "eks",
        "grace-100",
        fail(
            "stop-timeout",
            "broken/eks/grace-100/kubernetes/deployment.yaml: spec.template.spec.terminationGracePeriodSeconds",
            "terminationGracePeriodSeconds = 100, expected >= 130",
        ),
    ),
    (
        "eks",
        "no-pre-stop",
        fail(
            "drain",
            "broken/eks/no-pre-stop/kubernetes/deployment.yaml: spec.template.spec.containers[0].lifecycle.preStop",
            "preStop = not set",
        ),
    ),
    (
        "ecs",
        "no-deregistration-delay",
        fail(
            "drain",
            "broken/ecs/no-deregistration-delay/target-group-attributes-api.json: Attributes[1].Value",
            "Attributes[1].Value = 0, expected set, above 0",
        ),
    ),
    (
        "eks",
        "pre-stop-eats-stop-timeout",
        fail(
            "timeline",
            "broken/eks/pre-stop-eats-stop-timeout/kubernetes/deployment.yaml: spec.template.spec.terminationGracePeriodSeconds",
            "preStop sleep 30 s (broken/eks/pre-stop-eats-stop-timeout/kubernetes/deployment.yaml: spec.template.spec.containers[0].lifecycle.preStop.exec.command) runs first; SIGTERM comes after it, SIGKILL at terminationGracePeriodSeconds 140 s: the app gets 110 s after SIGTERM",
        ),
    ),
    (
        "eks",
        "pre-stop-noop",
        fail(
            "drain",
            "broken/eks/pre-stop-noop/kubernetes/deployment.yaml: spec.template.spec.containers[0].lifecycle.preStop.exec.command",
            "exec \"/bin/sh -c true\": returns at once",
        ),
    ),
    (
        "ecs",
        "fargate-stop-timeout-300",
        fail(
            "stop-timeout",
            "broken/ecs/fargate-stop-timeout-300/task-definition.json: taskDefinition.containerDefinitions[0].stopTimeout",
            "stopTimeout = 300: above Fargate's maximum of 120 s, so ECS refuses this task definition",
        ),
    ),
    (
        "ecs-ec2",
        "managed-draining-off",
        fail(
            "instances",
            "broken/ecs-ec2/managed-draining-off/lifecycle-hooks.json: LifecycleHooks",
            "no termination lifecycle hook",
        ),
    ),
    (
        "ecs-ec2",
        "termination-hook-60",
        fail(
            "instances",
            "broken/ecs-ec2/termination-hook-60/lifecycle-hooks.json: LifecycleHooks[0].HeartbeatTimeout",
            "HeartbeatTimeout = 60, expected a lifecycle hook on autoscaling:EC2_INSTANCE_TERMINATING with a heartbeat of at least 120 s",
        ),
    ),
    (
        "vms",
        "no-termination-hook",
        fail(
            "instances",
            "broken/vms/no-termination-hook/lifecycle-hooks.json: LifecycleHooks",
            "no termination lifecycle hook: a scale-in terminates the instance right after its deregistration delay",
        ),
    ),
    (
        "vms",
        "termination-hook-60",
        fail(
            "instances",
            "broken/vms/termination-hook-60/lifecycle-hooks.json: LifecycleHooks[0].HeartbeatTimeout",
            "HeartbeatTimeout = 60",
        ),
    ),
    (
        "vms",
        "one-zone",
        fail(
            "api-zones",
            "broken/vms/one-zone/auto-scaling-groups.json: AutoScalingGroups[0].VPCZoneIdentifier",
            "1 subnet(s) in 1 zone(s): us-east-1a, expected subnets in at least 2 zones (auto-scaling group pulumi-api)",
        ),
    ),
    (
        "vms",
        "one-instance",
        fail(
            "replicas",
            "broken/vms/one-instance/auto-scaling-groups.json: AutoScalingGroups[0].DesiredCapacity",
            "DesiredCapacity = 1, expected >= 2 (the live value",
        ),
    ),
    (
        "vms",
        "min-1",
        fail(
            "bounds",
            "broken/vms/min-1/auto-scaling-groups.json: AutoScalingGroups[0].MinSize",
            "MinSize = 1, expected >= 2",
        ),
    ),
    (
        "vms",
        "max-too-low",
        fail(
            "bounds",
            "broken/vms/max-too-low/auto-scaling-groups.json: AutoScalingGroups[0].MaxSize",
            "MaxSize = 8, expected >= 12 (4 x DesiredCapacity 3 (the live value",
        ),
    ),
    (
        "vms",
        "cpu-80",
        fail(
            "cpu",
            "broken/vms/cpu-80/scaling-policies.json: ScalingPolicies[0].TargetTrackingConfiguration.TargetValue",
            "TargetValue = 80, expected 50-60 %",
        ),
    ),
    (
        "vms",
        "public-subnets",
        fail(
            "api-private",
            "broken/vms/public-subnets/auto-scaling-groups.json: AutoScalingGroups[0].VPCZoneIdentifier[0]",
            "subnet-pub-a: public (route table rtb-public sends 0.0.0.0/0 to igw-pulumi)",
        ),
    ),
    (
        "vms",
        "ec2-health-check",
        fail(
            "startup-grace",
            "broken/vms/ec2-health-check/auto-scaling-groups.json: AutoScalingGroups[0].HealthCheckType",
            "HealthCheckType = EC2, expected ELB",
        ),
    ),
    (
        "vms",
        "health-check-grace-0",
        fail(
            "startup-grace",
            "broken/vms/health-check-grace-0/auto-scaling-groups.json: AutoScalingGroups[0].HealthCheckGracePeriod",
            "HealthCheckGracePeriod = 0, expected >= 120",
        ),
    ),
    (
        "ecs",
        "network-load-balancer",
        fail(
            "alb",
            "broken/ecs/network-load-balancer/load-balancers.json: LoadBalancers[0].Type",
            "a Network Load Balancer (layer 4): it passes TCP through",
        ),
    ),
    (
        "eks",
        "api-service-load-balancer",
        fail(
            "alb",
            "broken/eks/api-service-load-balancer/kubernetes/ingress.yaml: spec.type",
            "type LoadBalancer: a layer-4 balancer",
        ),
    ),
    (
        "ecs",
        "nat-in-private-subnet",
        fail(
            "nat",
            "broken/ecs/nat-in-private-subnet/nat-gateways.json: NatGateways[1].SubnetId",
            "subnet-app-b: private (route table rtb-app-b sends 0.0.0.0/0 to nat-b): the NAT gateway itself has no route to the internet",
        ),
    ),
    (
        "ecs",
        "s3-endpoint-unused",
        fail(
            "s3-endpoint",
            "broken/ecs/s3-endpoint-unused/vpc-endpoints.json: VpcEndpoints[0].RouteTableIds",
            "vpce-s3 (com.amazonaws.us-east-1.s3, Gateway) is on route tables rtb-db, which these subnets the API runs in do not use: subnet-app-a (route table rtb-app-a), subnet-app-b (route table rtb-app-b)",
        ),
    ),
    (
        "ecs",
        "s3-interface-without-private-dns",
        fail(
            "s3-endpoint",
            "broken/ecs/s3-interface-without-private-dns/vpc-endpoints.json: VpcEndpoints[0].PrivateDnsEnabled",
            "vpce-s3-if (com.amazonaws.us-east-1.s3, Interface) without private DNS",
        ),
    ),
    (
        "ecs",
        "no-deletion-protection",
        fail(
            "deletion-protection",
            "broken/ecs/no-deletion-protection/load-balancer-attributes.json: Attributes[1].Value",
            "Attributes[1].Value = false, expected true (load balancer pulumi-lb)",
        ),
    ),
    (
        "eks",
        "no-deletion-protection",
        fail(
            "deletion-protection",
            "broken/eks/no-deletion-protection/kubernetes/ingress.yaml: metadata.annotations[\"alb.ingress.kubernetes.io/load-balancer-attributes\"]",
            "= deletion_protection.enabled=false",
        ),
    ),
    (
        "ecs",
        "health-check-root",
        fail(
            "health-check",
            "broken/ecs/health-check-root/target-groups.json: TargetGroups[0].HealthCheckPath",
            "HealthCheckPath = /, expected \"/api/status\" (target group pulumi-api)",
        ),
    ),
    (
        "eks",
        "health-check-root",
        fail(
            "health-check",
            "broken/eks/health-check-root/kubernetes/ingress.yaml: metadata.annotations[\"alb.ingress.kubernetes.io/healthcheck-path\"]",
            "= /, expected \"/api/status\"",
        ),
    ),
    (
        "eks",
        "readiness-healthz",
        fail(
            "readiness",
            "broken/eks/readiness-healthz/kubernetes/deployment.yaml: spec.template.spec.containers[0].readinessProbe",
            "readinessProbe = httpGet /healthz",
        ),
    ),
    (
        "ecs",
        "grace-60",
        fail(
            "startup-grace",
            "broken/ecs/grace-60/services.json: services[0].healthCheckGracePeriodSeconds",
            "healthCheckGracePeriodSeconds = 60, expected >= 120",
        ),
    ),
    (
        "eks",
        "liveness-kills-early",
        fail(
            "startup-grace",
            "broken/eks/liveness-kills-early/kubernetes/deployment.yaml: spec.template.spec.containers[0].livenessProbe",
            "restarted after 30 s of failing probes",
        ),
    ),
    (
        "ecs",
        "record-elsewhere",
        fail(
            "dns",
            "broken/ecs/record-elsewhere/records.json: ResourceRecordSets[2]",
            "-> other-lb-9988776655.us-east-1.elb.amazonaws.com, expected the load balancer (pulumi-lb-1122334455.us-east-1.elb.amazonaws.com)",
        ),
    ),
    (
        "eks",
        "no-app-record",
        fail(
            "dns",
            "broken/eks/no-app-record/aws/records.json: ResourceRecordSets",
            "no A, AAAA or CNAME record for app.sandbox.test",
        ),
    ),
    (
        "gateway",
        "nlb-gateway-class",
        fail(
            "alb",
            "broken/gateway/nlb-gateway-class/kubernetes/gateway.yaml: spec.gatewayClassName",
            "class aws-alb (controllerName gateway.k8s.aws/nlb): the AWS Load Balancer Controller makes a Network Load Balancer of it (layer 4)",
        ),
    ),
    (
        "gateway",
        "no-deletion-protection",
        fail(
            "deletion-protection",
            "broken/gateway/no-deletion-protection/kubernetes/gateway.yaml: spec.loadBalancerAttributes[0].value",
            "deletion_protection.enabled=false (from LoadBalancerConfiguration pulumi/pulumi (the Gateway's))",
        ),
    ),
    (
        "gateway",
        "no-load-balancer-attributes",
        fail(
            "deletion-protection",
            "broken/gateway/no-load-balancer-attributes/kubernetes/gateway.yaml: spec.loadBalancerAttributes",
            "not set (the controller creates the load balancer without deletion protection)",
        ),
    ),
    (
        "gateway",
        "class-wins-deletion-protection",
        fail(
            "deletion-protection",
            "broken/gateway/class-wins-deletion-protection/kubernetes/gateway.yaml: spec.loadBalancerAttributes[0].value",
            "deletion_protection.enabled=false (from LoadBalancerConfiguration kube-system/platform-defaults (the GatewayClass's))",
        ),
    ),
    (
        "gateway",
        "health-check-root",
        fail(
            "health-check",
            "broken/gateway/health-check-root/kubernetes/gateway.yaml: spec.defaultConfiguration.healthCheckConfig.healthCheckPath",
            "= /, expected \"/api/status\" (the target group of Service pulumi/pulumi-api-service (HTTPRoute pulumi/pulumi-api on Gateway pulumi/pulumi) from TargetGroupConfiguration pulumi/pulumi-api)",
        ),
    ),
    (
        "gateway",
        "health-check-302",
        fail(
            "health-check",
            "broken/gateway/health-check-302/kubernetes/gateway.yaml: spec.defaultConfiguration.healthCheckConfig.matcher.httpCode",
            "= 302, expected codes including 200",
        ),
    ),
    (
        "gateway",
        "route-overrides-health-check",
        fail(
            "health-check",
            "broken/gateway/route-overrides-health-check/kubernetes/gateway.yaml: spec.routeConfigurations[0].targetGroupProps.healthCheckConfig.healthCheckPath",
            "= /healthz, expected \"/api/status\"",
        ),
    ),
    (
        "gateway",
        "scheme-unset",
        fail(
            "lb-public",
            "broken/gateway/scheme-unset/kubernetes/gateway.yaml: spec.scheme",
            "scheme not set: the controller's default is internal, a load balancer with private addresses only: clients on the internet cannot reach api.{domain}",
        ),
    ),
    (
        "gateway",
        "private-subnets",
        fail(
            "lb-public",
            "broken/gateway/private-subnets/kubernetes/gateway.yaml: spec.loadBalancerSubnets[1].identifier",
            "pulumi-private-us-east-1b (subnet-app-b) (from LoadBalancerConfiguration pulumi/pulumi (the Gateway's)): private",
        ),
    ),
    (
        "eks",
        "scheme-unset",
        fail(
            "lb-public",
            "broken/eks/scheme-unset/kubernetes/ingress.yaml: metadata.annotations[\"alb.ingress.kubernetes.io/scheme\"]",
            "scheme not set: the controller's default is internal",
        ),
    ),
    (
        "gateway",
        "target-type-instance",
        fail(
            "alb",
            "broken/gateway/target-type-instance/kubernetes/gateway.yaml: spec.defaultConfiguration.targetType",
            "instance (the controller's default): the controller registers the nodes on the Service's nodePort, and Service pulumi/pulumi-api-service is of type ClusterIP, which has none",
        ),
    ),
    (
        "eks",
        "target-type-instance",
        fail(
            "alb",
            "broken/eks/target-type-instance/kubernetes/ingress.yaml: metadata.annotations[\"alb.ingress.kubernetes.io/target-type\"]",
            "instance (the controller's default): the controller registers the nodes on the Service's nodePort, and Service pulumi/pulumi-api-service is of type ClusterIP",
        ),
    ),
    (
        "gateway",
        "deregistration-delay-unreadable",
        inconclusive(
            "timeline",
            "deregistration_delay.timeout_seconds=ten is not a whole number",
        ),
    ),
    (
        "ingress-nginx",
        "proxy-one-replica",
        fail(
            "alb",
            "broken/ingress-nginx/proxy-one-replica/kubernetes/ingress-nginx.yaml: spec.replicas",
            "spec.replicas = 1, expected >= 2 (Deployment ingress-nginx/ingress-nginx-controller (ingress-nginx, an HTTP proxy in the cluster))",
        ),
    ),
    (
        "ingress-nginx",
        "proxy-no-zone-spread",
        fail(
            "alb",
            "broken/ingress-nginx/proxy-no-zone-spread/kubernetes/ingress-nginx.yaml: spec.template.spec.topologySpreadConstraints",
            "no zone spread",
        ),
    ),
    (
        "ingress-nginx",
        "proxy-no-pre-stop",
        fail(
            "alb",
            "broken/ingress-nginx/proxy-no-pre-stop/kubernetes/ingress-nginx.yaml: spec.template.spec.containers[0].lifecycle.preStop",
            "no preStop hook: the proxy stops while the load balancer still sends it connections",
        ),
    ),
    (
        "ingress-nginx",
        "proxy-grace-before-sleep",
        fail(
            "alb",
            "broken/ingress-nginx/proxy-grace-before-sleep/kubernetes/ingress-nginx.yaml: spec.template.spec.terminationGracePeriodSeconds",
            "terminationGracePeriodSeconds 20 s ends before the preStop sleep of 30 s",
        ),
    ),
    (
        "ingress-nginx",
        "proxy-no-app-route",
        fail(
            "alb",
            "ingress-nginx/kubernetes/ingress-nginx.yaml",
            "no Ingress rule or route for app.{domain} through it",
        ),
    ),
    (
        // Blue/green: the alternate target group holds the tasks every other deployment.
        "ecs",
        "blue-green-alternate-no-drain",
        fail(
            "drain",
            "broken/ecs/blue-green-alternate-no-drain/target-group-attributes-api-green.json: Attributes[1].Value",
            "Attributes[1].Value = 0, expected set, above 0",
        ),
    ),
    (
        "ecs",
        "regional-nat-missing-zone",
        fail(
            "nat",
            "broken/ecs/regional-nat-missing-zone/route-tables.json: RouteTables[3].Routes[1].NatGatewayId",
            "routes to nat-regional, regional with AutoProvisionZones disabled and no address in us-east-1b (its zones: us-east-1a)",
        ),
    ),
];

/// Broken files that break a second rule by their nature: a grace period below the guide's
/// 130 s also leaves the app less than 120 s after the preStop sleep.
const ALSO: &[(&str, &str, Expect)] = &[(
    "eks",
    "grace-100",
    fail(
        "timeline",
        "broken/eks/grace-100/kubernetes/deployment.yaml: spec.template.spec.terminationGracePeriodSeconds",
        "SIGKILL at terminationGracePeriodSeconds 100 s: the app gets 80 s after SIGTERM",
    ),
)];

#[test]
fn each_broken_file_fails_exactly_its_check() {
    for (set, case, expected) in BROKEN {
        let d = load_set(set, Some(&format!("broken/{set}/{case}")));
        let mut all: Vec<&Expect> = vec![expected];
        all.extend(
            ALSO.iter()
                .filter(|(s, c, _)| s == set && c == case)
                .map(|(_, _, e)| e),
        );
        let what = format!("{set}/{case}");
        for check in CHECKS {
            let got = run(check, &d);
            match all.iter().find(|e| e.check == check) {
                Some(want) => assert_expected(&what, &got, want),
                None => assert_eq!(
                    got.verdict,
                    baseline(set, check),
                    "{what}: {check} should stay {:?}: {}",
                    baseline(set, check),
                    got.reason
                ),
            }
        }
    }
}

#[test]
fn every_check_has_a_broken_file_and_every_broken_file_a_case() {
    for check in CHECKS {
        assert!(
            BROKEN.iter().any(|(_, _, e)| e.check == check),
            "no broken corpus file fails {check}: a check that cannot fail is a defect"
        );
    }
    for set in SETS {
        for entry in std::fs::read_dir(data().join("broken").join(set)).unwrap() {
            let case = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                BROKEN.iter().any(|(s, c, _)| *s == set && *c == case),
                "tests/data/broken/{set}/{case} is in no expectation"
            );
        }
    }
}

/// Every check not listed: pass for those in `passing`, not applicable by the deployment's
/// nature for those in `by_nature` (a readiness probe on ECS, the instances of Fargate tasks
/// and pods), else not checked (no input).
fn otherwise(
    passing: &'static [&'static str],
    by_nature: &'static [&'static str],
) -> impl Fn(&str) -> Verdict {
    move |c| {
        if passing.contains(&c) {
            Verdict::Pass
        } else if by_nature.contains(&c) {
            Verdict::NotApplicable
        } else {
            Verdict::NotChecked
        }
    }
}

/// On ECS: readiness probes are Kubernetes', Fargate tasks have no instances to hook.
const ECS_NATURE: &[&str] = &["readiness", "instances"];
/// On Kubernetes: pods have no instances of the API's to hook.
const PODS_NATURE: &[&str] = &["instances"];

#[test]
fn conformant_stack_export_passes_every_check_that_applies() {
    // Its containerDefinitions is a secret exported with --show-secrets, with lowercase keys.
    let d = load_files(&[], &[], &["stack/conformant.json"]);
    check_all("stack/conformant.json", &d, &[], |c| baseline("stack", c));
}

#[test]
fn a_kubectl_list_reads_like_the_manifests() {
    let list = load_files(&["kubernetes/list.json"], &[], &[]);
    let manifests = load_files(&["eks/kubernetes/*.yaml"], &[], &[]);
    for check in CHECKS {
        let (a, b) = (run(check, &list), run(check, &manifests));
        assert_eq!(a.verdict, b.verdict, "{check}: {} / {}", a.reason, b.reason);
        assert_eq!(findings(&a).len(), findings(&b).len(), "{check}");
    }
    let spread = run("api-zones", &list);
    assert_eq!(
        findings(&spread)[0].path,
        "items[0].spec.template.spec.topologySpreadConstraints[0]",
        "paths in a List start at its item"
    );
}

/// The ECS installer (ecs-hosted/ts/application) as it deploys by default: min 1 task, CPU
/// target 65 %, grace 60 s, no stopTimeout, no deregistration delay, no deletion protection.
/// Its VPC, database and DNS live in other stacks: those checks are not applicable.
#[test]
fn stock_ecs_installer_fails_on_each_setting_the_guide_changes() {
    let d = load_files(&[], &[], &["stack/stock-ecs.json"]);
    let expected = [
        fail(
            "cpu",
            "stack/stock-ecs.json: deployment.resources[10].outputs.targetTrackingScalingPolicyConfiguration.targetValue",
            "targetValue = 65, expected 50-60 %",
        ),
        fail(
            "bounds",
            "stack/stock-ecs.json: deployment.resources[9].outputs.minCapacity",
            "maxCapacity = 6, expected >= 12 (4 x desiredCount 3)",
        ),
        fail(
            "stop-timeout",
            "stack/stock-ecs.json: deployment.resources[7].outputs.containerDefinitions(JSON)[0].stopTimeout",
            "stopTimeout = not set (ECS default 30), expected 120 (the guide's minimum, Fargate's maximum)",
        ),
        fail(
            "drain",
            "stack/stock-ecs.json: deployment.resources[4].inputs.deregistrationDelay",
            "deregistrationDelay = not set (AWS default 300 s)",
        ),
        // ECS drains, then stops: the sequence is shown with its worst case, never ordered.
        pass(
            "timeline",
            "drain up to 300 s (deregistration delay 300 s (not set: AWS default)), then SIGTERM, then up to 30 s (stop timeout 30 s (not set: ECS default)) before SIGKILL: up to 330 s per task",
        ),
        fail(
            "deletion-protection",
            "stack/stock-ecs.json: deployment.resources[2].outputs.enableDeletionProtection",
            "deployment.resources[3].outputs.enableDeletionProtection = false, expected true (load balancer pulumi-console-lb",
        ),
        fail(
            "startup-grace",
            "stack/stock-ecs.json: deployment.resources[8].outputs.healthCheckGracePeriodSeconds",
            "healthCheckGracePeriodSeconds = 60, expected >= 120",
        ),
    ];
    check_all(
        "stock-ecs",
        &d,
        &expected,
        otherwise(&["replicas", "health-check", "alb"], ECS_NATURE),
    );
}

/// A failure whose finding's place is computed.
fn fail_at(check: &'static str, at: String, reason: &'static str) -> Expect {
    Expect {
        at: Cow::Owned(at),
        ..fail(check, "", reason)
    }
}

/// The EKS installer's Kubernetes objects (90-pulumi-service): replicas 1, no probes, no
/// terminationGracePeriodSeconds, no preStop, ALBs without deletion protection.
const STOCK_EKS_KUBERNETES: [(&str, &str, &str); 9] = [
    (
        "api-zones",
        "spec.template.spec.topologySpreadConstraints",
        "topologySpreadConstraints = not set",
    ),
    (
        "replicas",
        "spec.replicas",
        "spec.replicas = 1, expected >= 2",
    ),
    ("cpu", "", "no HorizontalPodAutoscaler targets it"),
    (
        "bounds",
        "",
        "no HorizontalPodAutoscaler targets it: it never scales",
    ),
    (
        "stop-timeout",
        "spec.template.spec.terminationGracePeriodSeconds",
        "terminationGracePeriodSeconds = not set (Kubernetes default 30), expected >= 130",
    ),
    (
        "drain",
        "spec.template.spec.containers[0].lifecycle.preStop",
        "preStop = not set",
    ),
    (
        "timeline",
        "spec.template.spec.terminationGracePeriodSeconds",
        "no preStop sleep: SIGTERM at once, SIGKILL at terminationGracePeriodSeconds 30 s (not set: Kubernetes default): the app gets 30 s",
    ),
    (
        "deletion-protection",
        "metadata.annotations[\"alb.ingress.kubernetes.io/load-balancer-attributes\"]",
        "not set (the controller creates the ALB without deletion protection), expected alb.ingress.kubernetes.io/load-balancer-attributes: deletion_protection.enabled=true (Ingress pulumi-service/pulumi-console-ingress)",
    ),
    (
        "readiness",
        "spec.template.spec.containers[0].readinessProbe",
        "readinessProbe = not set",
    ),
];

fn stock_eks_expectations(at: impl Fn(&str, &str) -> String) -> Vec<Expect> {
    STOCK_EKS_KUBERNETES
        .iter()
        .map(|(check, path, reason)| fail_at(check, at(check, path), reason))
        .collect()
}

#[test]
fn stock_eks_installer_manifests_fail_on_each_setting_the_guide_changes() {
    let d = load_files(&["kubernetes/stock-eks.yaml"], &[], &[]);
    let expected = stock_eks_expectations(|_, path| {
        if path.is_empty() {
            "kubernetes/stock-eks.yaml".to_owned()
        } else {
            format!("kubernetes/stock-eks.yaml: {path}")
        }
    });
    check_all(
        "stock-eks.yaml",
        &d,
        &expected,
        otherwise(&["health-check", "startup-grace", "alb"], PODS_NATURE),
    );
}

#[test]
fn stock_eks_installer_stack_fails_the_same_and_lacks_the_s3_endpoint() {
    // 02-networking (awsx: a NAT per zone, no endpoint), 20-database (Aurora in the private
    // subnets: reported, not failed), 90-pulumi-service, with Route 53 CNAMEs to the ingresses.
    let d = load_files(&[], &[], &["stack/stock-eks.json"]);
    let mut expected = stock_eks_expectations(|check, path| {
        let resource = match check {
            "deletion-protection" => 35,
            _ => 32,
        };
        // The program's replicas are in the inputs; the outputs are the live object.
        let part = if check == "replicas" {
            "inputs"
        } else {
            "outputs"
        };
        if path.is_empty() {
            format!("stack/stock-eks.json: deployment.resources[{resource}].{part}")
        } else {
            format!("stack/stock-eks.json: deployment.resources[{resource}].{part}.{path}")
        }
    });
    expected.push(fail(
        "s3-endpoint",
        "stack/stock-eks.json: deployment.resources",
        "no S3 endpoint (endpoints: none)",
    ));
    expected.push(pass(
        "database",
        "warning: stack/stock-eks.json: deployment.resources[5].outputs = subnet-app-a: private, with a route to the internet",
    ));
    check_all(
        "stock-eks.json",
        &d,
        &expected,
        otherwise(
            &["health-check", "startup-grace", "nat", "dns", "alb"],
            PODS_NATURE,
        ),
    );
}

#[test]
fn a_secret_container_definition_is_not_checked() {
    let d = load_files(&[], &[], &["stack/secret-container-definitions.json"]);
    let secret = "deployment.resources[6].outputs.containerDefinitions: cannot check: a secret; export with `pulumi stack export --show-secrets` to check it";
    check_all(
        "secret",
        &d,
        &[
            inconclusive("stop-timeout", secret),
            inconclusive("timeline", secret),
        ],
        otherwise(
            &[
                "replicas",
                "cpu",
                "bounds",
                "drain",
                "deletion-protection",
                "alb",
                "health-check",
                "startup-grace",
            ],
            ECS_NATURE,
        ),
    );
}

#[test]
fn a_stack_export_with_a_broken_network_fails_each_network_check() {
    let d = load_files(&[], &[], &["stack/broken-network.json"]);
    let f = "stack/broken-network.json: deployment.resources";
    let at = |tail: &str| format!("{f}{tail}");
    check_all(
        "broken-network",
        &d,
        &[
            fail_at(
                "lb-public",
                at("[30].outputs.subnets[0]"),
                "subnet-app-a: private",
            ),
            fail_at(
                "database",
                at("[29].outputs.publiclyAccessible"),
                "publiclyAccessible = true",
            ),
            fail_at(
                "nat",
                at("[21].outputs.natGatewayId"),
                "routes to nat-a in us-east-1a",
            ),
            fail_at("s3-endpoint", at(""), "no S3 endpoint"),
            fail_at(
                "dns",
                at("[39].outputs"),
                "-> other-lb-9988776655.us-east-1.elb.amazonaws.com",
            ),
        ],
        |c| baseline("stack", c),
    );
}

#[test]
fn a_target_group_without_its_attributes_file_is_not_checked_not_failed() {
    // The console's attributes are there, the API's are not: its delay is unknown, not the
    // AWS default.
    let files: Vec<String> = files(&data().join("ecs"))
        .into_iter()
        .filter(|f| f != "target-group-attributes-api.json")
        .map(|f| format!("ecs/{f}"))
        .collect();
    let aws: Vec<&str> = files.iter().map(String::as_str).collect();
    let d = load_files(&[], &aws, &[]);
    let expected = [
        Expect {
            verdict: Verdict::NotChecked,
            ..fail(
                "drain",
                "",
                "not checked: the attributes of target group pulumi-api: no attributes file names it",
            )
        },
        Expect {
            verdict: Verdict::NotChecked,
            ..fail(
                "timeline",
                "",
                "not checked: the stop sequence of ECS service pulumi-api: the deregistration delay of its target groups (`aws elbv2 describe-target-group-attributes`)",
            )
        },
    ];
    check_all("ecs without the API's attributes", &d, &expected, |c| {
        baseline("ecs", c)
    });
}

#[test]
fn an_input_collection_was_denied_is_not_checked_naming_the_action() {
    // Collection was refused the target groups' attributes: denied.json says so, and the
    // checks that need them say which action, not "no input" (and never pass or fail).
    let mut files: Vec<String> = files(&data().join("ecs"))
        .into_iter()
        .filter(|f| !f.starts_with("target-group-attributes"))
        .map(|f| format!("ecs/{f}"))
        .collect();
    files.push("denied/denied.json".into());
    let aws: Vec<&str> = files.iter().map(String::as_str).collect();
    let d = load_files(&[], &aws, &[]);
    let expected = [
        Expect {
            verdict: Verdict::NotChecked,
            ..fail(
                "drain",
                "",
                "not checked: AccessDenied for elasticloadbalancing:DescribeTargetGroupAttributes (the attributes of target group pulumi-api)",
            )
        },
        Expect {
            verdict: Verdict::NotChecked,
            ..fail(
                "timeline",
                "",
                "not checked: the stop sequence of ECS service pulumi-api: the deregistration delay of its target groups (AccessDenied for elasticloadbalancing:DescribeTargetGroupAttributes)",
            )
        },
    ];
    check_all("ecs, its attributes denied", &d, &expected, |c| {
        baseline("ecs", c)
    });
    for outcome in [
        checks::check_drain_hook(&d),
        checks::check_shutdown_timeline(&d),
    ] {
        let gap = outcome.gap.expect("a gap");
        assert_eq!(
            gap.what, "collection was denied elasticloadbalancing:DescribeTargetGroupAttributes",
            "{gap:?}"
        );
    }
}

#[test]
fn a_denied_file_naming_an_unknown_command_is_refused() {
    let err = netconform_config::read_aws_text(
        r#"{"NetconformDenied": [{"Feeds": "aws s3 ls", "Action": "s3:ListBucket"}]}"#,
        "denied.json",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("\"aws s3 ls\" is not a command netconform reads the output of"),
        "{err}"
    );
}

#[test]
fn fargate_spot_is_a_warning_that_the_notice_must_hold_drain_and_stop() {
    // FARGATE_SPOT beside FARGATE: an interruption gives two minutes, the API's drain (300 s)
    // and stop (120 s) take up to 420 s. Reported, not failed (AWS: Spot termination notices).
    let d = load_set("ecs", Some("warning/ecs/fargate-spot"));
    let warned = pass(
        "timeline",
        "(warning: warning/ecs/fargate-spot/services.json: services[0].capacityProviderStrategy = FARGATE_SPOT in the capacity provider strategy: an interruption gives 120 s of notice, and drain and stop take up to 420 s",
    );
    check_all("ecs/fargate-spot", &d, &[warned], |c| baseline("ecs", c));
}

#[test]
fn a_zone_spread_that_is_only_preferred_passes_with_a_warning() {
    let d = load_set("eks", Some("warning/eks/spread-preferred"));
    let warned = pass(
        "api-zones",
        "(warning: warning/eks/spread-preferred/kubernetes/deployment.yaml: spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0] = podAntiAffinity (preferred): a preference the scheduler may ignore",
    );
    check_all("eks/spread-preferred", &d, &[warned], |c| {
        baseline("eks", c)
    });
}

#[test]
fn a_stack_export_of_vms_on_an_auto_scaling_group_passes_every_check_that_applies() {
    // aws:autoscaling/group:Group (registered in the API's target group, hooks inline),
    // policy:Policy on ASGAverageCPUUtilization, behind an ALB.
    let d = load_files(&[], &[], &["stack/vms.json"]);
    check_all("stack/vms.json", &d, &[], |c| match c {
        "readiness" => Verdict::NotApplicable,
        "stop-timeout" => Verdict::NotChecked,
        _ => Verdict::Pass,
    });
    let bounds = run("bounds", &d);
    assert!(
        bounds
            .reason
            .contains("maxSize = 12, expected >= 12 (4 x DesiredCapacity 3)"),
        "the configured desired capacity, not said to be live: {}",
        bounds.reason
    );
}

/// The VM stack with one setting replaced, read through the stack export reader.
fn vms_stack_with(from: &str, to: &str) -> Deployment {
    let text = std::fs::read_to_string(data().join("stack/vms.json")).unwrap();
    assert!(text.contains(from), "stack/vms.json has no {from:?}");
    // Inputs and outputs alike, as the program would have set it.
    netconform_config::read_stack_export_text(&text.replace(from, to), "stack/vms.json").unwrap()
}

#[test]
fn a_stack_export_of_vms_fails_each_rule_it_breaks() {
    let cases = [
        (
            "\"heartbeatTimeout\": 300",
            "\"heartbeatTimeout\": 60",
            fail(
                "instances",
                "stack/vms.json: deployment.resources[35].outputs.initialLifecycleHooks[0].heartbeatTimeout",
                "heartbeatTimeout = 60",
            ),
        ),
        (
            "\"targetValue\": 55.0",
            "\"targetValue\": 75.0",
            fail(
                "cpu",
                "stack/vms.json: deployment.resources[36].outputs.targetTrackingConfiguration.targetValue",
                "targetValue = 75, expected 50-60 %",
            ),
        ),
        (
            "\"healthCheckType\": \"ELB\"",
            "\"healthCheckType\": \"EC2\"",
            fail(
                "startup-grace",
                "stack/vms.json: deployment.resources[35].outputs.healthCheckType",
                "healthCheckType = EC2, expected ELB",
            ),
        ),
    ];
    for (from, to, expected) in cases {
        let d = vms_stack_with(from, to);
        check_all(&format!("vms {to}"), &d, &[expected], |c| match c {
            "readiness" => Verdict::NotApplicable,
            "stop-timeout" => Verdict::NotChecked,
            _ => Verdict::Pass,
        });
    }
}

#[test]
fn a_classic_load_balancer_is_no_application_load_balancer_and_has_no_deletion_protection() {
    let d = load_files(&[], &["classic/load-balancers.json"], &[]);
    assert_expected(
        "classic",
        &run("alb", &d),
        &fail(
            "alb",
            "classic/load-balancers.json: LoadBalancerDescriptions[0]",
            "a Classic Load Balancer (previous generation): the previous generation",
        ),
    );
    assert_expected(
        "classic",
        &run("deletion-protection", &d),
        &fail(
            "deletion-protection",
            "classic/load-balancers.json: LoadBalancerDescriptions[0]",
            "a Classic Load Balancer, which has no deletion protection",
        ),
    );
}

#[test]
fn a_live_object_is_judged_on_the_replicas_kubectl_applied_else_says_it_is_live() {
    // The List's Deployment was read from the cluster: its HPA has raised spec.replicas to 5;
    // kubectl's last-applied-configuration says 3, the baseline the maximum is held to.
    let list = load_files(&["kubernetes/list.json"], &[], &[]);
    let bounds = run("bounds", &list);
    assert_eq!(bounds.verdict, Verdict::Pass, "{}", bounds.reason);
    assert!(
        bounds.reason.contains("expected >= 12 (4 x 3 desired)"),
        "{}",
        bounds.reason
    );
    // Without the annotation only the live value is known: it is used, and said to be live.
    let text = std::fs::read_to_string(data().join("kubernetes/list.json")).unwrap();
    let stripped = text.replacen(
        "\"kubectl.kubernetes.io/last-applied-configuration\"",
        "\"example.com/not-last-applied\"",
        1,
    );
    let live = netconform_config::read_kubernetes_text(&stripped, "kubernetes/list.json").unwrap();
    let bounds = run("bounds", &live);
    assert_expected(
        "live",
        &bounds,
        &fail(
            "bounds",
            "kubernetes/list.json: items[2].spec.maxReplicas",
            "maxReplicas = 12, expected >= 20 (4 x 5 desired (the live value; autoscaling may have raised it",
        ),
    );
}

#[test]
fn findings_carry_the_line_and_column_of_their_setting() {
    // deployment.yaml line 29: `      terminationGracePeriodSeconds: 100`, the value at col 38.
    let d = load_set("eks", Some("broken/eks/grace-100"));
    let mut outcome = run("stop-timeout", &d);
    d.locate(&mut outcome);
    let error = findings(&outcome)
        .into_iter()
        .find(|f| f.status == FindingStatus::Error)
        .cloned()
        .unwrap();
    let text =
        std::fs::read_to_string(data().join("broken/eks/grace-100/kubernetes/deployment.yaml"))
            .unwrap();
    let line = text.lines().nth(error.line.unwrap() - 1).unwrap();
    assert_eq!(
        &line[error.column.unwrap() - 1..],
        "100",
        "{error:?} points at {line:?}"
    );
    // In AWS CLI output (JSON) too.
    let d = load_set("ecs", Some("broken/ecs/no-deletion-protection"));
    let mut outcome = run("deletion-protection", &d);
    d.locate(&mut outcome);
    let error = findings(&outcome)
        .into_iter()
        .find(|f| f.status == FindingStatus::Error)
        .cloned()
        .unwrap();
    let text = std::fs::read_to_string(
        data().join("broken/ecs/no-deletion-protection/load-balancer-attributes.json"),
    )
    .unwrap();
    let line = text.lines().nth(error.line.unwrap() - 1).unwrap();
    assert!(
        line[error.column.unwrap() - 1..].starts_with("\"false\""),
        "{error:?} points at {line:?}"
    );
}

#[test]
fn the_records_lead_to_the_load_balancer_a_gateway_status_names() {
    let k8s = [
        "gateway/kubernetes/deployment.yaml",
        "gateway/kubernetes/gateway.yaml",
    ];
    let d = load_files(&k8s, &["gateway/aws/records.json"], &[]);
    let got = run("dns", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason
            .contains("k8s-pulumi-pulumi-5e6f7a8b9c-1234567890.us-east-1.elb.amazonaws.com"),
        "{}",
        got.reason
    );
    let d = load_files(
        &[
            "gateway/kubernetes/deployment.yaml",
            "gateway-status/elsewhere.yaml",
        ],
        &["gateway/aws/records.json"],
        &[],
    );
    assert_expected(
        "gateway-status/elsewhere",
        &run("dns", &d),
        &fail(
            "dns",
            "gateway/aws/records.json: ResourceRecordSets[2]",
            "expected the load balancer (k8s-pulumi-other-0f0f0f0f0f-9988776655.us-east-1.elb.amazonaws.com)",
        ),
    );
}

#[test]
fn the_stop_sequence_reports_the_deregistration_delay_of_the_gateway_target_group() {
    let d = load_set("gateway", None);
    let got = run("timeline", &d);
    let drain = findings(&got)
        .into_iter()
        .find(|f| f.actual.starts_with("deregistration delay"))
        .unwrap_or_else(|| panic!("no deregistration delay in {:#?}", got.evidence));
    assert_eq!(
        format!("{}: {}", drain.file, drain.path),
        "gateway/kubernetes/gateway.yaml: spec.defaultConfiguration.targetGroupAttributes[0].value"
    );
    assert!(
        drain
            .actual
            .contains("deregistration delay 10 s runs beside the preStop sleep 20 s"),
        "{}",
        drain.actual
    );
}

#[test]
fn another_gateway_implementation_is_named_and_judged_on_its_route() {
    let d = load_set("gateway", Some("gateway-envoy"));
    let alb = run("alb", &d);
    assert_eq!(alb.verdict, Verdict::Pass, "{}", alb.reason);
    assert!(
        alb.reason.contains("a HTTPRoute on Envoy Gateway (a proxy in the cluster)")
            && alb.reason.contains(
                "type LoadBalancer in front of Envoy (Envoy Gateway), an HTTP proxy in the cluster (HTTPRoute pulumi/pulumi-api on Gateway pulumi/eg): judged as the load balancer tier"
            ),
        "{}",
        alb.reason
    );
    // Its health check is Envoy Gateway's own: not checked, saying what to export.
    let health = run("health-check", &d);
    assert_eq!(health.verdict, Verdict::NotChecked, "{}", health.reason);
    assert!(
        health
            .reason
            .contains("Envoy Gateway (a proxy in the cluster)"),
        "{}",
        health.reason
    );
}

#[test]
fn the_recorded_clusters_gateway_deployment_passes_as_kubectl_prints_it() {
    // What `kubectl get -o json` prints for the Gateway API deployment of the recorded cluster
    // (namespace pulumi-gw behind the shared Gateway gateway-system/platform): the same rules
    // hold as for the manifests, read from Lists of live objects.
    // The objects collection keeps (tests/kubectl.rs of netconform-collect): the namespace's,
    // and, of the cluster-wide lists, what its routes lead to (not another team's route, nor
    // the internal Gateway no route of the API attaches to, nor the Envoy Gateway deployment's
    // Gateway, routes and class in pulumi-eg).
    let cluster = netconform_testkit::kubectl::CLUSTER;
    let mut items: Vec<serde_json::Value> = Vec::new();
    for entry in std::fs::read_dir(cluster).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let around = name.starts_with("all-") && name.contains(".gateway.");
        if !(name.starts_with("pulumi-gw-") || around) {
            continue;
        }
        let list: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for item in list["items"].as_array().unwrap() {
            let (ns, n) = (&item["metadata"]["namespace"], &item["metadata"]["name"]);
            let kept = !around
                || (ns != "pulumi-gw"
                    && ns != "shop"
                    && ns != "pulumi-eg"
                    && n != "internal"
                    && n != "aws-nlb"
                    && n != "eg");
            if kept {
                items.push(item.clone());
            }
        }
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("gw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("objects.json");
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items});
    std::fs::write(&file, serde_json::to_string_pretty(&list).unwrap()).unwrap();
    let d = load_files(&[file.to_str().unwrap()], &[], &[]);
    for check in ["alb", "deletion-protection", "health-check", "timeline"] {
        let got = run(check, &d);
        assert_eq!(got.verdict, Verdict::Pass, "{check}: {}", got.reason);
    }
    let alb = run("alb", &d);
    assert!(
        alb.reason
            .contains("Gateway gateway-system/platform (HTTPRoute pulumi-gw/pulumi-api)"),
        "{}",
        alb.reason
    );
    let dp = run("deletion-protection", &d);
    assert!(
        dp.reason
            .contains("from LoadBalancerConfiguration gateway-system/platform (the Gateway's)"),
        "{}",
        dp.reason
    );
}

#[test]
fn a_regional_nat_gateway_serves_every_zone_without_a_subnet_of_its_own() {
    // AWS, VPC user guide, "Regional NAT gateways for automatic multi-AZ expansion".
    let d = load_set("ecs", Some("regional-nat"));
    let got = run("nat", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason
            .contains("routes to nat-regional, regional with AutoProvisionZones enabled: it runs in us-east-1b"),
        "{}",
        got.reason
    );
    check_all("ecs/regional-nat", &d, &[], |c| baseline("ecs", c));
}

#[test]
fn a_tcp_route_to_the_api_is_layer_4_whatever_the_implementation() {
    // The Gateway API reference: a TCPRoute forwards connections by port, no HTTP routing.
    let d = load_set("gateway", Some("gateway-tcproute"));
    assert_expected(
        "gateway-tcproute",
        &run("alb", &d),
        &fail(
            "alb",
            "gateway-tcproute/kubernetes/gateway.yaml",
            "a TCPRoute on Envoy Gateway (a proxy in the cluster): the connection is passed through by port, layer 4",
        ),
    );
}

#[test]
fn vpc_block_public_access_keeps_the_internet_from_a_public_load_balancer_unless_excluded() {
    // AWS, EC2 API: VpcBlockPublicAccessOptions, VpcBlockPublicAccessExclusion.
    let with = |extra: &[&str]| {
        let mut aws: Vec<String> = files(&data().join("ecs"))
            .into_iter()
            .filter(|f| f.ends_with(".json"))
            .map(|f| format!("ecs/{f}"))
            .collect();
        aws.extend(extra.iter().map(|f| format!("block-public-access/{f}")));
        let aws: Vec<&str> = aws.iter().map(String::as_str).collect();
        load_files(&[], &aws, &[])
    };
    let blocked = run("lb-public", &with(&["block-ingress.json"]));
    assert_expected(
        "block-ingress",
        &blocked,
        &fail(
            "lb-public",
            "ecs/load-balancers.json: LoadBalancers[0].AvailabilityZones[0]",
            "but VPC Block Public Access is block-ingress and no allow-bidirectional exclusion names subnet-pub-a or its VPC",
        ),
    );
    // An allow-egress exclusion lets no connection in.
    let egress = run(
        "lb-public",
        &with(&["block-ingress.json", "exclusion-egress.json"]),
    );
    assert_eq!(egress.verdict, Verdict::Fail, "{}", egress.reason);
    let excluded = run(
        "lb-public",
        &with(&["block-ingress.json", "exclusion-vpc.json"]),
    );
    assert_eq!(excluded.verdict, Verdict::Pass, "{}", excluded.reason);
}

#[test]
fn ecs_availability_zone_rebalancing_disabled_is_a_warning_not_a_failure() {
    // AWS, ECS developer guide, "Balancing an Amazon ECS service across Availability Zones":
    // rebalancing evens the tasks out after a zone's disruption; the guide asks for the
    // subnets in several zones, which the service has.
    let d = load_set("ecs", None);
    let zones = run("api-zones", &d);
    assert!(
        findings(&zones)
            .iter()
            .any(|f| f.status == FindingStatus::Conforms
                && f.path == "services[0].availabilityZoneRebalancing"
                && f.actual.starts_with("ENABLED")),
        "{zones:#?}"
    );
    let d = load_set("ecs", Some("warning/ecs/az-rebalancing-disabled"));
    let warned = pass(
        "api-zones",
        "(warning: warning/ecs/az-rebalancing-disabled/services.json: services[0].availabilityZoneRebalancing = DISABLED: after a zone's disruption the tasks ECS replaced in the other zones stay there until the next deployment",
    );
    check_all("ecs/az-rebalancing-disabled", &d, &[warned], |c| {
        baseline("ecs", c)
    });
}

#[test]
fn a_stack_exports_availability_zone_rebalancing_is_read() {
    let text = std::fs::read_to_string(data().join("stack/conformant.json")).unwrap();
    let from = "\"healthCheckGracePeriodSeconds\": 120,";
    assert!(text.contains(from));
    let to =
        "\"healthCheckGracePeriodSeconds\": 120, \"availabilityZoneRebalancing\": \"DISABLED\",";
    let d =
        netconform_config::read_stack_export_text(&text.replace(from, to), "stack/conformant.json")
            .unwrap();
    let got = run("api-zones", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason
            .contains("availabilityZoneRebalancing = DISABLED"),
        "{}",
        got.reason
    );
}

/// The api-zones finding of a group's Availability Zone distribution strategy.
fn distribution_finding(got: &netconform_model::Outcome) -> Option<(FindingStatus, String)> {
    findings(got)
        .into_iter()
        .find(|f| {
            f.path
                .to_lowercase()
                .ends_with("capacitydistributionstrategy")
        })
        .map(|f| (f.status, f.actual.clone()))
}

#[test]
fn an_auto_scaling_groups_zone_distribution_is_shown_and_balanced_only_warns_without_capacity() {
    // AWS, EC2 Auto Scaling user guide, "Auto Scaling group Availability Zone distribution".
    let d = load_set("vms", None);
    let got = run("api-zones", &d);
    assert_eq!(
        distribution_finding(&got),
        Some((
            FindingStatus::Conforms,
            "balanced-best-effort: launches that fail in a zone go to the group's other zones"
                .to_owned()
        )),
        "{got:#?}"
    );
    // balanced-only with 3 instances over 2 zones: a zone's failure leaves 1 elsewhere.
    let d = load_set("vms", Some("warning/vms/az-balanced-only"));
    let warned = pass(
        "api-zones",
        "(warning: warning/vms/az-balanced-only/auto-scaling-groups.json: AutoScalingGroups[0].AvailabilityZoneDistribution.CapacityDistributionStrategy = balanced-only: when a zone fails the group keeps launching into it; 1 of its 3 instance(s) stay in the other zones, under the guide's 2",
    );
    check_all("vms/az-balanced-only", &d, &[warned], |c| {
        baseline("vms", c)
    });
    // With 4 instances, 2 stay: what AWS calls enough capacity in the remaining zones.
    let d = vms_stack_with(
        "\"healthCheckGracePeriod\": 120,",
        "\"healthCheckGracePeriod\": 120, \"availabilityZoneDistribution\": {\"capacityDistributionStrategy\": \"balanced-only\"},",
    );
    let got = run("api-zones", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    let (status, actual) = distribution_finding(&got).expect("the stack's strategy is read");
    assert_eq!(status, FindingStatus::Warning, "{actual}");
    let text = std::fs::read_to_string(data().join("stack/vms.json")).unwrap();
    let four = text
        .replace("\"desiredCapacity\": 3,", "\"desiredCapacity\": 4,")
        .replace(
            "\"healthCheckGracePeriod\": 120,",
            "\"healthCheckGracePeriod\": 120, \"availabilityZoneDistribution\": {\"capacityDistributionStrategy\": \"balanced-only\"},",
        );
    let d = netconform_config::read_stack_export_text(&four, "stack/vms.json").unwrap();
    let got = run("api-zones", &d);
    assert_eq!(
        distribution_finding(&got).map(|(s, _)| s),
        Some(FindingStatus::Conforms),
        "{got:#?}"
    );
    // Reservations first: the even spread comes second.
    let d = vms_stack_with(
        "\"healthCheckGracePeriod\": 120,",
        "\"healthCheckGracePeriod\": 120, \"availabilityZoneDistribution\": {\"capacityDistributionStrategy\": \"reservations-then-balanced\"},",
    );
    let got = run("api-zones", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert_eq!(
        distribution_finding(&got).map(|(s, _)| s),
        Some(FindingStatus::Warning)
    );
}

/// The `eks/` set with EKS Auto Mode instead of its managed node group: `aws eks
/// describe-cluster` with `computeConfig.enabled`, and the NodeClass `kubectl get
/// nodeclasses.eks.amazonaws.com -o json` prints (`node_class`: a directory under tests/data
/// holding `kubernetes/nodeclasses.json`, or none).
fn eks_auto_mode(node_class: Option<&str>) -> Deployment {
    let aws: Vec<String> = files(&data().join("eks/aws"))
        .into_iter()
        .filter(|f| f != "nodegroup.json")
        .map(|f| format!("eks/aws/{f}"))
        .chain(["eks-auto/aws/cluster.json".to_owned()])
        .collect();
    let kubernetes: Vec<String> = files(&data().join("eks/kubernetes"))
        .into_iter()
        .map(|f| format!("eks/kubernetes/{f}"))
        .chain(node_class.map(|dir| format!("{dir}/kubernetes/nodeclasses.json")))
        .collect();
    let aws: Vec<&str> = aws.iter().map(String::as_str).collect();
    let kubernetes: Vec<&str> = kubernetes.iter().map(String::as_str).collect();
    load_files(&kubernetes, &aws, &[])
}

#[test]
fn eks_auto_mode_judges_the_node_class_subnets() {
    // AWS: EKS user guide, "Create a Node Class for Amazon EKS"; CloudFormation
    // AWS::EKS::Cluster ComputeConfig. No managed node group: the NodeClass places the nodes.
    let d = eks_auto_mode(Some("eks-auto"));
    let private = run("api-private", &d);
    assert!(
        private.reason.contains("subnet-app-a: private")
            && private.reason.contains("(EKS Auto Mode NodeClass default)"),
        "{}",
        private.reason
    );
    check_all("eks-auto", &d, &[], |c| baseline("eks", c));
    // A NodeClass that places nodes in a public subnet (which also keeps their S3 traffic off
    // the gateway endpoint of the application subnets' route tables).
    let d = eks_auto_mode(Some("broken/eks-auto/nodeclass-public-subnet"));
    check_all(
        "eks-auto/nodeclass-public-subnet",
        &d,
        &[
            fail(
                "api-private",
                "broken/eks-auto/nodeclass-public-subnet/kubernetes/nodeclasses.json: items[0].status.subnets[0]",
                "subnet-pub-a: public",
            ),
            fail(
                // By its nature: the public subnet's route table has no S3 endpoint.
                "s3-endpoint",
                "eks/aws/vpc-endpoints.json: VpcEndpoints[0].RouteTableIds",
                "which these subnets the API runs in do not use: subnet-pub-a (route table rtb-public)",
            ),
        ],
        |c| baseline("eks", c),
    );
    // Auto Mode without its NodeClass: not checked, naming what to export.
    let d = eks_auto_mode(None);
    let got = run("api-private", &d);
    assert_eq!(got.verdict, Verdict::NotChecked, "{}", got.reason);
    assert!(
        got.reason.contains(
            "EKS cluster pulumi runs its nodes with EKS Auto Mode (computeConfig.enabled): no input for its NodeClass"
        ) && got
            .reason
            .contains("kubectl get nodeclasses.eks.amazonaws.com -o json"),
        "{}",
        got.reason
    );
}

#[test]
fn an_ecs_blue_green_service_drains_through_both_its_target_groups() {
    // AWS, ECS developer guide, "Amazon ECS blue/green deployments"; ECS API
    // DeploymentConfiguration (strategy, bakeTimeInMinutes), AdvancedConfiguration.
    let d = load_set("ecs", Some("ecs-blue-green"));
    check_all("ecs-blue-green", &d, &[], |c| baseline("ecs", c));
    let timeline = run("timeline", &d);
    let blue_green = findings(&timeline)
        .into_iter()
        .find(|f| f.path == "services[0].deploymentConfiguration.strategy")
        .unwrap_or_else(|| panic!("{timeline:#?}"));
    assert_eq!(blue_green.status, FindingStatus::Conforms);
    assert!(
        blue_green.actual.starts_with(
            "BLUE_GREEN with a bake time of 10 min: the old tasks keep serving until production traffic has moved and the bake time has ended, then each drains up to 300 s"
        ),
        "{}",
        blue_green.actual
    );
    // The alternate target group is judged like the primary one.
    let drain = run("drain", &d);
    assert!(
        findings(&drain).iter().any(|f| f.file
            == "ecs-blue-green/target-group-attributes-api-green.json"
            && f.status == FindingStatus::Conforms),
        "{drain:#?}"
    );
}

#[test]
fn zonal_shift_and_target_group_health_thresholds_are_shown_not_judged() {
    // AWS, ELB: "Enable zonal shift for your Application Load Balancer", "Target group health".
    let notes = |got: &netconform_model::Outcome| -> Vec<String> {
        got.evidence
            .iter()
            .filter_map(|e| match e {
                netconform_model::evidence::Evidence::Note { text } => Some(text.clone()),
                _ => None,
            })
            .collect()
    };
    let d = load_set("ecs", None);
    let got = run("lb-zones", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    let shown = notes(&got);
    assert!(
        shown.iter().any(|n| n.starts_with(
            "load balancer pulumi-lb: zonal shift enabled (ecs/load-balancer-attributes.json: Attributes[4].Value = true)"
        )),
        "{shown:#?}"
    );
    assert!(
        shown.iter().any(|n| n.contains(
            "target group pulumi-api: target_group_health.dns_failover.minimum_healthy_targets.count = 1 (ecs/target-group-attributes-api.json: Attributes[5].Value)"
        )),
        "{shown:#?}"
    );
    // Off (the default) is shown, and passes: no rule of the guide asks for it.
    let text = std::fs::read_to_string(data().join("ecs/load-balancer-attributes.json"))
        .unwrap()
        .replace(
            "\"zonal_shift.config.enabled\", \"Value\": \"true\"",
            "\"zonal_shift.config.enabled\", \"Value\": \"false\"",
        );
    let dir = std::env::temp_dir().join(format!("netconform-zonal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("load-balancer-attributes.json"), text).unwrap();
    let mut aws: Vec<String> = files(&data().join("ecs"))
        .into_iter()
        .filter(|f| f != "load-balancer-attributes.json")
        .map(|f| data().join("ecs").join(f).display().to_string())
        .collect();
    aws.push(
        dir.join("load-balancer-attributes.json")
            .display()
            .to_string(),
    );
    let aws: Vec<&str> = aws.iter().map(String::as_str).collect();
    let d = load_files(&[], &aws, &[]);
    let got = run("lb-zones", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        notes(&got)
            .iter()
            .any(|n| n.contains("load balancer pulumi-lb: zonal shift not enabled")),
        "{:#?}",
        notes(&got)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stack_exports_zonal_shift_is_read() {
    // aws:lb/loadBalancer:LoadBalancer's enableZonalShift (zonal_shift.config.enabled).
    let text = std::fs::read_to_string(data().join("stack/conformant.json")).unwrap();
    let text = text.replace(
        "\"enableDeletionProtection\": true,",
        "\"enableDeletionProtection\": true, \"enableZonalShift\": true,",
    );
    let d = netconform_config::read_stack_export_text(&text, "stack/conformant.json").unwrap();
    let got = run("lb-zones", &d);
    assert!(
        got.evidence.iter().any(|e| matches!(
            e,
            netconform_model::evidence::Evidence::Note { text } if text.contains("zonal shift enabled")
        )),
        "{got:#?}"
    );
}

#[test]
fn vpc_block_public_access_collection_could_not_read_is_a_gap_not_no_block() {
    // What collection writes when the service does not answer the call (moto 5.2 does not
    // implement it): the public-subnet rule cannot say the internet reaches the load
    // balancer, so it is not checked, naming the action; never judged as "no block".
    let mut aws: Vec<String> = files(&data().join("ecs"))
        .into_iter()
        .filter(|f| f.ends_with(".json"))
        .map(|f| format!("ecs/{f}"))
        .collect();
    aws.push("denied/failed-block-public-access.json".into());
    let aws: Vec<&str> = aws.iter().map(String::as_str).collect();
    let d = load_files(&[], &aws, &[]);
    let expected = [Expect {
        verdict: Verdict::NotChecked,
        ..fail(
            "lb-public",
            "",
            "not checked: whether VPC Block Public Access keeps the internet from subnet-pub-a (load balancer pulumi-lb is public by its routes): collection's call for ec2:DescribeVpcBlockPublicAccessOptions failed (failed (exit 255): Unable to parse response",
        )
    }];
    check_all("ecs, block public access failed", &d, &expected, |c| {
        baseline("ecs", c)
    });
    let gap = run("lb-public", &d).gap.expect("a gap");
    assert!(
        gap.what
            .starts_with("collection's call for ec2:DescribeVpcBlockPublicAccessOptions failed"),
        "{gap:?}"
    );
    // The mode blocks ingress and the exclusions could not be read: whether one exempts the
    // subnet is not known either.
    let mut blocked: Vec<&str> = aws.clone();
    blocked.retain(|f| *f != "denied/failed-block-public-access.json");
    blocked.push("block-public-access/block-ingress.json");
    blocked.push("denied/failed-block-public-access-exclusions.json");
    let got = run("lb-public", &load_files(&[], &blocked, &[]));
    assert_eq!(got.verdict, Verdict::NotChecked, "{}", got.reason);
    assert!(
        got.reason
            .contains("collection's call for ec2:DescribeVpcBlockPublicAccessExclusions failed"),
        "{}",
        got.reason
    );
    // The same deployment with the options and exclusions read decides as before.
    let mut with: Vec<&str> = aws.clone();
    with.retain(|f| *f != "denied/failed-block-public-access.json");
    with.push("block-public-access/block-ingress.json");
    with.push("block-public-access/exclusion-vpc.json");
    assert_eq!(
        run("lb-public", &load_files(&[], &with, &[])).verdict,
        Verdict::Pass
    );
}

#[test]
fn a_stack_exports_eks_cluster_says_whether_auto_mode_runs_its_nodes() {
    // aws:eks/cluster:Cluster's computeConfig (the provider's shape of the EKS API's).
    let text = r#"{"version": 3, "deployment": {"manifest": {"time": "2026-11-20T10:02:11Z", "magic": "", "version": "v3.200.0"}, "resources": [
        {"urn": "urn:pulumi:prod::selfhosted-eks::aws:eks/cluster:Cluster::pulumi", "custom": true, "type": "aws:eks/cluster:Cluster", "id": "pulumi",
         "inputs": {"name": "pulumi"},
         "outputs": {"name": "pulumi", "arn": "arn:aws:eks:us-east-1:123456789012:cluster/pulumi",
                     "computeConfig": {"enabled": true, "nodePools": ["general-purpose", "system"], "nodeRoleArn": "arn:aws:iam::123456789012:role/pulumi-eks-auto-node"},
                     "vpcConfig": {"subnetIds": ["subnet-app-a", "subnet-app-b"]}}}
    ]}}"#;
    let d = netconform_config::read_stack_export_text(text, "stack.json").unwrap();
    let cluster = &d.eks_clusters[0];
    assert_eq!(cluster.auto_mode.value(), Some(&true));
    assert_eq!(cluster.node_pools, ["general-purpose", "system"]);
    assert_eq!(
        cluster.subject,
        "EKS cluster pulumi (aws:eks/cluster:Cluster)"
    );
}

#[test]
fn instance_targets_with_a_node_port_service_pass_and_the_stop_sequence_says_the_nodes_are_the_targets()
 {
    // The controller's instance mode as documented: the nodes on the Service's nodePort.
    let d = load_set("gateway", Some("gateway-instance"));
    check_all("gateway-instance", &d, &[], |c| baseline("gateway", c));
    let conforms = |check: &str, actual: &str| {
        let outcome = run(check, &d);
        assert!(
            findings(&outcome)
                .iter()
                .any(|f| f.status == FindingStatus::Conforms
                    && f.actual.starts_with(actual)
                    && f.file == "gateway-instance/kubernetes/gateway.yaml"),
            "{check}: no finding {actual:?}: {outcome:#?}"
        );
    };
    conforms(
        "alb",
        "instance (from TargetGroupConfiguration kube-system/platform-target-groups, the default of LoadBalancerConfiguration kube-system/platform-defaults): the nodes are the targets, on the nodePort of Service pulumi/pulumi-api-service (type NodePort)",
    );
    conforms(
        "timeline",
        "target type instance: the nodes are the targets, so the deregistration delay runs when a node leaves",
    );
}

#[test]
fn a_stack_exports_target_group_health_thresholds_are_read() {
    // aws:lb/targetGroup:TargetGroup's targetGroupHealth, the provider's shape of the
    // target_group_health.* attributes (ELB, "Target group health").
    let text = std::fs::read_to_string(data().join("stack/conformant.json")).unwrap();
    let from = "\"deregistrationDelay\": 60,";
    assert_eq!(text.matches(from).count(), 1);
    let to = "\"deregistrationDelay\": 60, \"targetGroupHealth\": {\"dnsFailover\": {\"minimumHealthyTargetsCount\": \"2\", \"minimumHealthyTargetsPercentage\": \"off\"}, \"unhealthyStateRouting\": {\"minimumHealthyTargetsCount\": 1, \"minimumHealthyTargetsPercentage\": \"off\"}},";
    let d =
        netconform_config::read_stack_export_text(&text.replace(from, to), "stack/conformant.json")
            .unwrap();
    let got = run("lb-zones", &d);
    let notes: Vec<String> = got
        .evidence
        .iter()
        .filter_map(|e| match e {
            netconform_model::evidence::Evidence::Note { text } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n
                .contains("target_group_health.dns_failover.minimum_healthy_targets.count = 2")),
        "{notes:#?}"
    );
}
