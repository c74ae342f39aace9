//! The built-in sandbox's configuration evidence: the conformant EKS corpus of netconform-config
//! (`crates/config/tests/data/eks`), built into the binary and written out for the run, so
//! `netconform verify` checks configuration with no setup. The sandbox is a reference
//! deployment; this is the configuration such a deployment exports.

use std::path::Path;

use netconform_model::Environment;
use netconform_model::environment::ConfigSettings;

use crate::embedded::EmbeddedDir;

/// Every file of `crates/config/tests/data/eks` (a test keeps the list whole).
pub(crate) const FILES: [(&str, &str); 13] = [
    (
        "kubernetes/deployment.yaml",
        include_str!("../../config/tests/data/eks/kubernetes/deployment.yaml"),
    ),
    (
        "kubernetes/hpa.yaml",
        include_str!("../../config/tests/data/eks/kubernetes/hpa.yaml"),
    ),
    (
        "kubernetes/ingress.yaml",
        include_str!("../../config/tests/data/eks/kubernetes/ingress.yaml"),
    ),
    (
        "kubernetes/console.yaml",
        include_str!("../../config/tests/data/eks/kubernetes/console.yaml"),
    ),
    (
        "aws/subnets.json",
        include_str!("../../config/tests/data/eks/aws/subnets.json"),
    ),
    (
        "aws/route-tables.json",
        include_str!("../../config/tests/data/eks/aws/route-tables.json"),
    ),
    (
        "aws/nat-gateways.json",
        include_str!("../../config/tests/data/eks/aws/nat-gateways.json"),
    ),
    (
        "aws/vpc-endpoints.json",
        include_str!("../../config/tests/data/eks/aws/vpc-endpoints.json"),
    ),
    (
        "aws/db-instances.json",
        include_str!("../../config/tests/data/eks/aws/db-instances.json"),
    ),
    (
        "aws/nodegroup.json",
        include_str!("../../config/tests/data/eks/aws/nodegroup.json"),
    ),
    (
        "aws/load-balancers.json",
        include_str!("../../config/tests/data/eks/aws/load-balancers.json"),
    ),
    (
        "aws/load-balancer-attributes.json",
        include_str!("../../config/tests/data/eks/aws/load-balancer-attributes.json"),
    ),
    (
        "aws/records.json",
        include_str!("../../config/tests/data/eks/aws/records.json"),
    ),
];

/// The `stock-eks-config` variant's manifests: Pulumi's stock EKS installer, in place of
/// the conformant ones (the AWS side stays).
const STOCK_EKS: (&str, &str) = (
    "kubernetes/stock-eks.yaml",
    include_str!("../../config/tests/data/kubernetes/stock-eks.yaml"),
);

/// The reference configuration written to a fresh temporary directory, removed when dropped.
pub(crate) struct ReferenceConfig {
    dir: EmbeddedDir,
}

impl ReferenceConfig {
    /// Writes the files; `purpose` names the directory ("verify", "sandbox"). With
    /// `stock_eks`, the Kubernetes manifests are the stock installer's.
    pub(crate) fn write(purpose: &str, stock_eks: bool) -> std::io::Result<ReferenceConfig> {
        let files = FILES
            .into_iter()
            .filter(|(name, _)| !(stock_eks && name.starts_with("kubernetes/")));
        let files = files.chain(stock_eks.then_some(STOCK_EKS));
        EmbeddedDir::write(&format!("{purpose}-config"), files).map(|dir| ReferenceConfig { dir })
    }

    /// `[config]` naming the files, by absolute path (the environment file of `netconform
    /// sandbox` may live anywhere).
    pub(crate) fn settings(&self) -> ConfigSettings {
        let dir = escape(self.dir.path());
        let glob = |pattern: String| pattern.parse().expect("a valid pattern");
        ConfigSettings {
            kubernetes: vec![glob(format!("{dir}/kubernetes/*.yaml"))],
            aws: vec![glob(format!("{dir}/aws/*.json"))],
            pulumi_stack_export: Vec::new(),
        }
    }

    /// Gives `env` this configuration.
    pub(crate) fn apply(&self, env: &mut Environment) {
        env.config = self.settings();
    }
}

/// A directory as a glob matching itself: `*`, `?`, `[` and `]` in brackets.
fn escape(dir: &Path) -> String {
    dir.to_string_lossy()
        .chars()
        .map(|c| match c {
            '*' | '?' | '[' | ']' => format!("[{c}]"),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_of_the_eks_corpus_is_built_in() {
        let root = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../config/tests/data/eks"
        ));
        let mut on_disk = Vec::new();
        for dir in ["kubernetes", "aws"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                on_disk.push(format!("{dir}/{name}"));
            }
        }
        on_disk.sort();
        let mut built_in: Vec<String> = super::FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        built_in.sort();
        assert_eq!(
            on_disk, built_in,
            "add the corpus's files to reference::FILES"
        );
    }

    #[test]
    fn special_characters_of_the_directory_are_escaped() {
        assert_eq!(
            super::escape(std::path::Path::new("/tmp/a[1]*?")),
            "/tmp/a[[]1[]][*][?]"
        );
    }
}
