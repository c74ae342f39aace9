//! The contract between collection and the configuration readers: the kinds of input the
//! configuration checks read ([`Input`]), each with the command that exports it, and the record
//! of a collection call that was refused ([`Denied`], written as `denied.json` by `netconform
//! collect` and read back by the readers). Both sides use these types; neither parses the
//! other's prose.

use serde::{Deserialize, Serialize};

/// A kind of input. Whether a kind was read decides between "none exists" (a finding) and "not
/// checked: no input for it".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Input {
    Kubernetes,
    EcsServices,
    TaskDefinitions,
    LoadBalancers,
    LoadBalancerAttributes,
    TargetGroups,
    TargetGroupAttributes,
    ScalableTargets,
    ScalingPolicies,
    Subnets,
    NatGateways,
    RouteTables,
    VpcEndpoints,
    Databases,
    NodeGroups,
    Records,
    ClassicLoadBalancers,
    AutoScalingGroups,
    GroupPolicies,
    LifecycleHooks,
    CapacityProviders,
    GcpForwardingRules,
    GcpTargetHttpsProxies,
    GcpTargetHttpProxies,
    GcpUrlMaps,
    GcpBackendServices,
    GcpHealthChecks,
    GcpNetworkEndpointGroups,
    GcpInstanceGroupManagers,
    GcpAutoscalers,
    GcpInstanceTemplates,
    GcpNetworks,
    GcpSubnets,
    GcpRouters,
    GcpAddresses,
    GkeClusters,
    CloudSqlInstances,
    CloudDnsRecords,
    BlockPublicAccess,
    BlockPublicAccessExclusions,
    EksClusters,
}

impl Input {
    /// Every kind.
    pub const ALL: [Input; 41] = [
        Input::Kubernetes,
        Input::EcsServices,
        Input::TaskDefinitions,
        Input::LoadBalancers,
        Input::LoadBalancerAttributes,
        Input::TargetGroups,
        Input::TargetGroupAttributes,
        Input::ScalableTargets,
        Input::ScalingPolicies,
        Input::Subnets,
        Input::NatGateways,
        Input::RouteTables,
        Input::VpcEndpoints,
        Input::Databases,
        Input::NodeGroups,
        Input::Records,
        Input::ClassicLoadBalancers,
        Input::AutoScalingGroups,
        Input::GroupPolicies,
        Input::LifecycleHooks,
        Input::CapacityProviders,
        Input::GcpForwardingRules,
        Input::GcpTargetHttpsProxies,
        Input::GcpTargetHttpProxies,
        Input::GcpUrlMaps,
        Input::GcpBackendServices,
        Input::GcpHealthChecks,
        Input::GcpNetworkEndpointGroups,
        Input::GcpInstanceGroupManagers,
        Input::GcpAutoscalers,
        Input::GcpInstanceTemplates,
        Input::GcpNetworks,
        Input::GcpSubnets,
        Input::GcpRouters,
        Input::GcpAddresses,
        Input::GkeClusters,
        Input::CloudSqlInstances,
        Input::CloudDnsRecords,
        Input::BlockPublicAccess,
        Input::BlockPublicAccessExclusions,
        Input::EksClusters,
    ];

    /// The command whose output provides it (`aws elbv2 describe-target-groups`): how a
    /// [`Denied`] record names it.
    pub fn command(self) -> &'static str {
        match self {
            Input::Kubernetes => "kubectl get",
            Input::EcsServices => "aws ecs describe-services",
            Input::TaskDefinitions => "aws ecs describe-task-definition",
            Input::LoadBalancers => "aws elbv2 describe-load-balancers",
            Input::LoadBalancerAttributes => "aws elbv2 describe-load-balancer-attributes",
            Input::TargetGroups => "aws elbv2 describe-target-groups",
            Input::TargetGroupAttributes => "aws elbv2 describe-target-group-attributes",
            Input::ScalableTargets => "aws application-autoscaling describe-scalable-targets",
            Input::ScalingPolicies => "aws application-autoscaling describe-scaling-policies",
            Input::Subnets => "aws ec2 describe-subnets",
            Input::NatGateways => "aws ec2 describe-nat-gateways",
            Input::RouteTables => "aws ec2 describe-route-tables",
            Input::VpcEndpoints => "aws ec2 describe-vpc-endpoints",
            Input::Databases => "aws rds describe-db-instances",
            Input::NodeGroups => "aws eks describe-nodegroup",
            Input::Records => "aws route53 list-resource-record-sets",
            Input::ClassicLoadBalancers => "aws elb describe-load-balancers",
            Input::AutoScalingGroups => "aws autoscaling describe-auto-scaling-groups",
            Input::GroupPolicies => "aws autoscaling describe-policies",
            Input::LifecycleHooks => "aws autoscaling describe-lifecycle-hooks",
            Input::CapacityProviders => "aws ecs describe-capacity-providers",
            Input::GcpForwardingRules => "gcloud compute forwarding-rules list",
            Input::GcpTargetHttpsProxies => "gcloud compute target-https-proxies list",
            Input::GcpTargetHttpProxies => "gcloud compute target-http-proxies list",
            Input::GcpUrlMaps => "gcloud compute url-maps list",
            Input::GcpBackendServices => "gcloud compute backend-services list",
            Input::GcpHealthChecks => "gcloud compute health-checks list",
            Input::GcpNetworkEndpointGroups => "gcloud compute network-endpoint-groups list",
            Input::GcpInstanceGroupManagers => "gcloud compute instance-groups managed list",
            Input::GcpAutoscalers => "gcloud compute instance-groups managed list (autoscalers)",
            Input::GcpInstanceTemplates => "gcloud compute instance-templates list",
            Input::GcpNetworks => "gcloud compute networks list",
            Input::GcpSubnets => "gcloud compute networks subnets list",
            Input::GcpRouters => "gcloud compute routers list",
            Input::GcpAddresses => "gcloud compute addresses list",
            Input::GkeClusters => "gcloud container clusters describe",
            Input::CloudSqlInstances => "gcloud sql instances list",
            Input::CloudDnsRecords => "gcloud dns record-sets list",
            Input::BlockPublicAccess => "aws ec2 describe-vpc-block-public-access-options",
            Input::BlockPublicAccessExclusions => {
                "aws ec2 describe-vpc-block-public-access-exclusions"
            }
            Input::EksClusters => "aws eks describe-cluster",
        }
    }

    /// What to export to provide it, for messages.
    pub fn source(self) -> String {
        match self {
            Input::Kubernetes => {
                "Kubernetes manifests or `kubectl get deploy,hpa,pdb,svc,ingress -o json` (and `kubectl get gatewayclass,gateway,httproute -A -o json` for the Gateway API)"
                    .to_owned()
            }
            Input::GkeClusters => {
                "`gcloud container clusters describe` (or `clusters list`), `--format=json`"
                    .to_owned()
            }
            other if other.is_gcp() => format!("`{} --format=json`", other.command()),
            other => format!("`{}`", other.command()),
        }
    }

    /// Whether the input is Google Cloud's (`gcloud ... --format=json`).
    pub fn is_gcp(self) -> bool {
        self.command().starts_with("gcloud ")
    }

    /// The kind the checks ask for that this Google Cloud input provides: a forwarding rule and
    /// its proxy stand for a load balancer, a backend service for a target group and its
    /// attributes (its connection draining is on it), a managed instance group for an
    /// auto-scaling group. Each kind stands for itself otherwise.
    pub fn stands_for(self) -> &'static [Input] {
        match self {
            Input::GcpForwardingRules => &[Input::LoadBalancers, Input::LoadBalancerAttributes],
            Input::GcpBackendServices => &[Input::TargetGroups, Input::TargetGroupAttributes],
            Input::GcpInstanceGroupManagers => &[Input::AutoScalingGroups],
            Input::GcpAutoscalers => &[Input::GroupPolicies],
            Input::GcpSubnets => &[Input::Subnets],
            Input::GcpRouters => &[Input::NatGateways],
            Input::GkeClusters => &[Input::NodeGroups],
            Input::CloudSqlInstances => &[Input::Databases],
            Input::CloudDnsRecords => &[Input::Records],
            _ => &[],
        }
    }

    /// The Google Cloud input that provides `self` (what to export for it on Google Cloud).
    pub fn on_gcp(self) -> Option<Input> {
        Input::ALL
            .into_iter()
            .find(|i| i.is_gcp() && i.stands_for().first() == Some(&self))
            .or(match self {
                Input::LoadBalancerAttributes => Some(Input::GcpForwardingRules),
                Input::TargetGroupAttributes => Some(Input::GcpBackendServices),
                Input::VpcEndpoints => Some(Input::GcpSubnets),
                Input::RouteTables => Some(Input::GcpSubnets),
                _ => None,
            })
    }

    /// On Azure, the az command whose output provides this kind (`az ... -o json`) and the
    /// Azure RBAC action it needs: what messages name on an Azure deployment. None for a kind
    /// Azure has no counterpart of (ECS, Classic Load Balancers, VPC Block Public Access).
    pub fn on_azure(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Input::LoadBalancers | Input::TargetGroups | Input::TargetGroupAttributes => (
                "az network application-gateway list",
                "Microsoft.Network/applicationGateways/read",
            ),
            Input::LoadBalancerAttributes => ("az lock list", "Microsoft.Authorization/locks/read"),
            Input::Subnets | Input::RouteTables => (
                "az network vnet list",
                "Microsoft.Network/virtualNetworks/read",
            ),
            Input::NatGateways => (
                "az network nat gateway list",
                "Microsoft.Network/natGateways/read",
            ),
            Input::VpcEndpoints => (
                "az network private-endpoint list",
                "Microsoft.Network/privateEndpoints/read",
            ),
            Input::Databases => (
                "az postgres flexible-server list",
                "Microsoft.DBforPostgreSQL/flexibleServers/read",
            ),
            Input::NodeGroups => (
                "az aks show",
                "Microsoft.ContainerService/managedClusters/read",
            ),
            Input::Records => (
                "az network dns record-set a list",
                "Microsoft.Network/dnszones/A/read",
            ),
            Input::AutoScalingGroups | Input::LifecycleHooks => (
                "az vmss list",
                "Microsoft.Compute/virtualMachineScaleSets/read",
            ),
            Input::GroupPolicies => (
                "az monitor autoscale list",
                "Microsoft.Insights/autoscalesettings/read",
            ),
            _ => return None,
        })
    }

    /// The kind whose command is `command`.
    pub fn of_command(command: &str) -> Option<Input> {
        let command = command.trim();
        Input::ALL.into_iter().find(|i| i.command() == command)
    }
}

impl From<Input> for String {
    fn from(input: Input) -> String {
        input.command().to_owned()
    }
}

impl TryFrom<String> for Input {
    type Error = String;

    fn try_from(command: String) -> Result<Input, String> {
        Input::of_command(&command)
            .ok_or_else(|| format!("{command:?} is not a command netconform reads the output of"))
    }
}

/// The name of the file collection writes its [`DeniedCalls`] to, beside the outputs.
pub const DENIED_FILE: &str = "denied.json";

/// A collection call that was refused: what it would have fed, the permission refused (an IAM
/// action, a Kubernetes RBAC verb and resource), and the command that was run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denied {
    #[serde(rename = "Feeds")]
    pub feeds: Input,
    #[serde(rename = "Action")]
    pub action: String,
    #[serde(rename = "Command", default)]
    pub command: String,
}

/// A collection call that got no answer for another reason than a refusal (the service
/// failed, or does not implement the operation: an emulator, a partition without the feature):
/// what it would have fed, the action, the command and what it said. Its input is a gap named
/// with its action, never taken as "none".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failed {
    #[serde(rename = "Feeds")]
    pub feeds: Input,
    #[serde(rename = "Action")]
    pub action: String,
    #[serde(rename = "Command", default)]
    pub command: String,
    #[serde(rename = "Message", default)]
    pub message: String,
}

/// `denied.json`: every refused call of one collection, one record per input and action, and
/// the calls that failed otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeniedCalls {
    #[serde(rename = "NetconformDenied")]
    pub denied: Vec<Denied>,
    #[serde(
        rename = "NetconformFailed",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub failed: Vec<Failed>,
}

impl DeniedCalls {
    /// The key that tells the file apart from the CLI outputs beside it.
    pub const KEY: &'static str = "NetconformDenied";

    /// Records a failed `call` unless the same input already failed the same action.
    pub fn record_failure(&mut self, call: Failed) {
        if !self
            .failed
            .iter()
            .any(|d| d.feeds == call.feeds && d.action == call.action)
        {
            self.failed.push(call);
        }
    }

    /// Whether there is anything to write.
    pub fn is_empty(&self) -> bool {
        self.denied.is_empty() && self.failed.is_empty()
    }

    /// Records `call` unless the same input was already refused the same action.
    pub fn record(&mut self, call: Denied) {
        if !self
            .denied
            .iter()
            .any(|d| d.feeds == call.feeds && d.action == call.action)
        {
            self.denied.push(call);
        }
    }
}

/// What Azure collection writes in place of an az list that found none of the deployment's
/// resources: az prints `[]` for every list command that finds nothing, which cannot tell the
/// reader which kind is absent; this names the command and the resource type, so "none exists"
/// is read as such (a lock list with no lock is no deletion protection, not "no input").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyList {
    #[serde(rename = "NetconformEmptyList")]
    pub list: EmptyListOf,
}

/// The az list that found none: the command run, the resource type it lists, and how many it
/// listed that were not the deployment's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyListOf {
    #[serde(rename = "Command")]
    pub command: String,
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(rename = "Listed", default)]
    pub listed: usize,
}

impl EmptyList {
    /// The key that tells the file apart from az's own outputs beside it.
    pub const KEY: &'static str = "NetconformEmptyList";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_round_trips_through_its_command() {
        for input in Input::ALL {
            assert_eq!(Input::of_command(input.command()), Some(input));
            let text = serde_json::to_string(&input).unwrap();
            assert_eq!(serde_json::from_str::<Input>(&text).unwrap(), input);
        }
        assert!(serde_json::from_str::<Input>("\"aws ec2 describe-instances\"").is_err());
    }

    #[test]
    fn a_denied_record_is_written_once_per_input_and_action() {
        let call = |command: &str| Denied {
            feeds: Input::TargetGroupAttributes,
            action: "elasticloadbalancing:DescribeTargetGroupAttributes".into(),
            command: command.into(),
        };
        let mut calls = DeniedCalls::default();
        calls.record(call(
            "aws elbv2 describe-target-group-attributes --target-group-arn a",
        ));
        calls.record(call(
            "aws elbv2 describe-target-group-attributes --target-group-arn b",
        ));
        assert_eq!(calls.denied.len(), 1);
        let text = serde_json::to_string(&calls).unwrap();
        assert!(text.contains(r#""Feeds":"aws elbv2 describe-target-group-attributes""#));
        assert_eq!(serde_json::from_str::<DeniedCalls>(&text).unwrap(), calls);
    }
}
