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
    /// `pulumi stack export` output (version 3): a file, or a list of files or globs (the
    /// installers split a deployment over several stacks).
    #[serde(
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub pulumi_stack_export: Vec<PathGlob>,
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
        self.kubernetes.is_empty() && self.aws.is_empty() && self.pulumi_stack_export.is_empty()
    }
}
