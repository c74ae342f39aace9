//! AWS CLI output (JSON, as the CLI prints it): each file is the output of one describe or
//! list command, told by its top-level key, whose value goes to the reader of its resource.

use crate::node::Node;
use crate::resources::{
    Reading, autoscaling, databases, denied, dns_records, ecs, load_balancers, network, node_groups,
};

/// A reader of one top-level key's output.
type Reader = fn(&Node<'_>, &mut Reading) -> Result<(), String>;

/// An output this reads: its top-level key, whether that key holds one object (else a list),
/// the command that prints it (for messages) and its reader.
struct Output {
    key: &'static str,
    object: bool,
    command: &'static str,
    reader: Reader,
}

const fn list(key: &'static str, command: &'static str, reader: Reader) -> Output {
    Output {
        key,
        object: false,
        command,
        reader,
    }
}

const fn object(key: &'static str, command: &'static str, reader: Reader) -> Output {
    Output {
        key,
        object: true,
        command,
        reader,
    }
}

/// Every output read, in the order its keys are looked for in a document.
const OUTPUTS: [Output; 22] = [
    object(
        "VpcBlockPublicAccessOptions",
        "aws ec2 describe-vpc-block-public-access-options",
        network::block_public_access_from_cli,
    ),
    list(
        "VpcBlockPublicAccessExclusions",
        "aws ec2 describe-vpc-block-public-access-exclusions",
        network::bpa_exclusions_from_cli,
    ),
    list(
        "services",
        "aws ecs describe-services",
        ecs::services_from_cli,
    ),
    object(
        "taskDefinition",
        "describe-task-definition",
        ecs::task_definition_from_cli,
    ),
    list(
        "LoadBalancers",
        "aws elbv2 describe-load-balancers",
        load_balancers::from_cli,
    ),
    list(
        "LoadBalancerDescriptions",
        "aws elb describe-load-balancers",
        load_balancers::classic_from_cli,
    ),
    list(
        "capacityProviders",
        "describe-capacity-providers",
        ecs::capacity_providers_from_cli,
    ),
    list(
        "AutoScalingGroups",
        "aws autoscaling describe-auto-scaling-groups",
        autoscaling::groups_from_cli,
    ),
    list(
        "LifecycleHooks",
        "aws autoscaling describe-lifecycle-hooks",
        autoscaling::hooks_from_cli,
    ),
    list(
        "Attributes",
        "aws elbv2 describe-*-attributes",
        load_balancers::attributes_from_cli,
    ),
    list(
        "TargetGroups",
        "aws elbv2 describe-target-groups",
        load_balancers::target_groups_from_cli,
    ),
    list(
        "ScalableTargets",
        "aws application-autoscaling describe-scalable-targets",
        autoscaling::scalable_targets_from_cli,
    ),
    list(
        "ScalingPolicies",
        "aws application-autoscaling describe-scaling-policies, or aws autoscaling describe-policies",
        autoscaling::policies_from_cli,
    ),
    list(
        "Subnets",
        "aws ec2 describe-subnets",
        network::subnets_from_cli,
    ),
    list(
        "NatGateways",
        "aws ec2 describe-nat-gateways",
        network::nat_gateways_from_cli,
    ),
    list(
        "RouteTables",
        "aws ec2 describe-route-tables",
        network::route_tables_from_cli,
    ),
    list(
        "VpcEndpoints",
        "aws ec2 describe-vpc-endpoints",
        network::endpoints_from_cli,
    ),
    list(
        "DBInstances",
        "aws rds describe-db-instances",
        databases::from_cli,
    ),
    object(
        "nodegroup",
        "aws eks describe-nodegroup",
        node_groups::from_cli,
    ),
    object(
        "cluster",
        "aws eks describe-cluster",
        node_groups::cluster_from_cli,
    ),
    list(
        "ResourceRecordSets",
        "aws route53 list-resource-record-sets",
        dns_records::from_cli,
    ),
    list(
        netconform_model::inputs::DeniedCalls::KEY,
        "denied.json of `netconform collect`",
        denied::from_cli,
    ),
];

/// The outputs read, by top-level key, for messages.
fn known() -> String {
    OUTPUTS
        .iter()
        .map(|o| format!("{} ({})", o.key, o.command))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads one file's document. `Err` when it is not an output this reads.
pub(crate) fn read(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    if !doc.is_object() {
        return Err(format!(
            "{}: not AWS CLI output (a JSON object); expected one of: {}",
            doc.at,
            known()
        ));
    }
    let mut read_any = false;
    for output in &OUTPUTS {
        let value = doc.get_ci(output.key);
        if value.exists() && (!output.object || value.is_object()) {
            (output.reader)(doc, r)?;
            read_any = true;
        }
    }
    if read_any {
        return Ok(());
    }
    let keys: Vec<&str> = doc.entries().iter().map(|(k, _)| *k).collect();
    Err(format!(
        "{}: not an output netconform reads (top-level keys: {}); expected one of: {}",
        doc.at,
        if keys.is_empty() {
            "none".to_owned()
        } else {
            keys.join(", ")
        },
        known()
    ))
}
