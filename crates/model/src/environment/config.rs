//! `[config]`: the exported configuration the configuration checks read.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::values::PathGlob;

/// `[config]`: files exported from the deployment, read by the configuration checks. Any
/// subset may be given; what no file covers is reported as not checked.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigSettings {
    /// Kubernetes manifests (multi-document YAML) or `kubectl get ... -o json` output.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kubernetes: Vec<PathGlob>,
    /// AWS CLI describe output (JSON): ECS, ELBv2, application autoscaling, EC2, EKS, RDS,
    /// Route 53. `ecs` is accepted as another name for it.
    #[serde(alias = "ecs", skip_serializing_if = "Vec::is_empty")]
    pub aws: Vec<PathGlob>,
    /// Google Cloud CLI output (JSON): each file is what one `gcloud ... --format=json`
    /// command prints (forwarding rules, proxies, URL maps, backend services, health checks,
    /// network endpoint groups, managed instance groups, autoscalers, instance templates,
    /// networks, subnets, routers, addresses, `gcloud container clusters describe`, `gcloud sql
    /// instances list`, `gcloud dns record-sets list`), told by its content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gcp: Vec<PathGlob>,
    /// `pulumi stack export` output (version 3): a file, or a list of files or globs (the
    /// installers split a deployment over several stacks).
    #[serde(
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub pulumi_stack_export: Vec<PathGlob>,
    /// Azure CLI output (JSON, `az ... -o json`): application gateways, load balancers, public
    /// IPs, virtual networks, NAT gateways, private endpoints, AKS clusters and node pools, VM
    /// scale sets, autoscale settings, flexible servers, management locks, DNS record sets.
    /// Each file is what one command prints, told by its resources' `type`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub azure: Vec<PathGlob>,
    /// Read the configuration from the live deployment before verifying: `aws` (through the
    /// AWS CLI, with the user's credentials), `kubernetes` (through kubectl, with the user's
    /// kubeconfig), `azure` (through the Azure CLI, with its login), `gcp` (through gcloud,
    /// with its login). The files go into the report directory's `collected/` and are checked
    /// as if listed in `aws`, `kubernetes`, `azure` and `gcp`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub collect: Vec<CollectFrom>,
    /// The AWS region collection asks (else the CLI's own: `AWS_REGION`, its profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The AWS CLI profile collection uses (else `AWS_PROFILE`, or the default chain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The AWS CLI program (default `aws` on PATH).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_cli: Option<String>,
    /// The namespace Kubernetes collection reads (else the one of the Ingress whose host is
    /// `api.{domain}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The kubeconfig context Kubernetes collection uses (else kubectl's current one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The kubectl program (default `kubectl` on PATH).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubectl: Option<String>,
    /// The Azure subscription collection reads (else az's default one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription: Option<String>,
    /// The resource group Azure collection lists in (else the whole subscription).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    /// The Azure CLI program (default `az` on PATH).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub az_cli: Option<String>,
    /// The Google Cloud project `collect = ["gcp"]` reads (else gcloud's own: `core/project`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The gcloud program (default `gcloud` on PATH).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gcloud: Option<String>,
}

/// Where `[config] collect` reads the configuration from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CollectFrom {
    /// The AWS account, through the AWS CLI.
    Aws,
    /// The cluster, through kubectl.
    Kubernetes,
    /// The Azure subscription, through the Azure CLI.
    Azure,
    /// The Google Cloud project, through the gcloud CLI.
    Gcp,
}

impl<'de> Deserialize<'de> for CollectFrom {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.as_str() {
            "aws" => Ok(CollectFrom::Aws),
            "kubernetes" => Ok(CollectFrom::Kubernetes),
            "azure" => Ok(CollectFrom::Azure),
            "gcp" => Ok(CollectFrom::Gcp),
            other => Err(serde::de::Error::custom(format!(
                "collect from {other:?}? the sources are: \"aws\", \"kubernetes\", \"azure\", \"gcp\""
            ))),
        }
    }
}

/// A path pattern or a list of them.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PathGlob>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Vec<PathGlob>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a path, or a list of paths")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<PathGlob>, E> {
            v.parse().map(|one| vec![one]).map_err(E::custom)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            seq: A,
        ) -> Result<Vec<PathGlob>, A::Error> {
            Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
        }
    }
    d.deserialize_any(Visitor)
}

impl ConfigSettings {
    /// Whether no input is named: the configuration scenarios are not checked.
    pub fn is_empty(&self) -> bool {
        self.kubernetes.is_empty()
            && self.aws.is_empty()
            && self.azure.is_empty()
            && self.gcp.is_empty()
            && self.pulumi_stack_export.is_empty()
            && self.collect.is_empty()
    }
}
