//! The reference configuration: the conformant EKS corpus (`tests/data/eks`: Kubernetes
//! manifests and AWS describe output, written the way AWS and Kubernetes recommend), the same
//! deployment exposed through the Gateway API (`tests/data/gateway`) and the stock
//! installer's manifests, built into the crate that checks them. The binary writes
//! them out for the built-in sandbox, so `netconform verify` checks configuration with no
//! setup; the corpus tests read the same files from disk.

/// Every file of `crates/config/tests/data/eks` (a test keeps the list whole).
pub const EKS: [(&str, &str); 13] = [
    (
        "kubernetes/deployment.yaml",
        include_str!("../tests/data/eks/kubernetes/deployment.yaml"),
    ),
    (
        "kubernetes/hpa.yaml",
        include_str!("../tests/data/eks/kubernetes/hpa.yaml"),
    ),
    (
        "kubernetes/ingress.yaml",
        include_str!("../tests/data/eks/kubernetes/ingress.yaml"),
    ),
    (
        "kubernetes/console.yaml",
        include_str!("../tests/data/eks/kubernetes/console.yaml"),
    ),
    (
        "aws/subnets.json",
        include_str!("../tests/data/eks/aws/subnets.json"),
    ),
    (
        "aws/route-tables.json",
        include_str!("../tests/data/eks/aws/route-tables.json"),
    ),
    (
        "aws/nat-gateways.json",
        include_str!("../tests/data/eks/aws/nat-gateways.json"),
    ),
    (
        "aws/vpc-endpoints.json",
        include_str!("../tests/data/eks/aws/vpc-endpoints.json"),
    ),
    (
        "aws/db-instances.json",
        include_str!("../tests/data/eks/aws/db-instances.json"),
    ),
    (
        "aws/nodegroup.json",
        include_str!("../tests/data/eks/aws/nodegroup.json"),
    ),
    (
        "aws/load-balancers.json",
        include_str!("../tests/data/eks/aws/load-balancers.json"),
    ),
    (
        "aws/load-balancer-attributes.json",
        include_str!("../tests/data/eks/aws/load-balancer-attributes.json"),
    ),
    (
        "aws/records.json",
        include_str!("../tests/data/eks/aws/records.json"),
    ),
];

/// Every file of `crates/config/tests/data/gateway`: the EKS deployment exposed through the
/// Kubernetes Gateway API with the AWS Load Balancer Controller's ALB gateway controller
/// instead of an Ingress (a test keeps the list whole).
pub const GATEWAY: [(&str, &str); 13] = [
    (
        "kubernetes/console.yaml",
        include_str!("../tests/data/gateway/kubernetes/console.yaml"),
    ),
    (
        "kubernetes/deployment.yaml",
        include_str!("../tests/data/gateway/kubernetes/deployment.yaml"),
    ),
    (
        "kubernetes/gateway.yaml",
        include_str!("../tests/data/gateway/kubernetes/gateway.yaml"),
    ),
    (
        "kubernetes/hpa.yaml",
        include_str!("../tests/data/gateway/kubernetes/hpa.yaml"),
    ),
    (
        "aws/db-instances.json",
        include_str!("../tests/data/gateway/aws/db-instances.json"),
    ),
    (
        "aws/load-balancer-attributes.json",
        include_str!("../tests/data/gateway/aws/load-balancer-attributes.json"),
    ),
    (
        "aws/load-balancers.json",
        include_str!("../tests/data/gateway/aws/load-balancers.json"),
    ),
    (
        "aws/nat-gateways.json",
        include_str!("../tests/data/gateway/aws/nat-gateways.json"),
    ),
    (
        "aws/nodegroup.json",
        include_str!("../tests/data/gateway/aws/nodegroup.json"),
    ),
    (
        "aws/records.json",
        include_str!("../tests/data/gateway/aws/records.json"),
    ),
    (
        "aws/route-tables.json",
        include_str!("../tests/data/gateway/aws/route-tables.json"),
    ),
    (
        "aws/subnets.json",
        include_str!("../tests/data/gateway/aws/subnets.json"),
    ),
    (
        "aws/vpc-endpoints.json",
        include_str!("../tests/data/gateway/aws/vpc-endpoints.json"),
    ),
];

/// The `stock-eks-config` variant's manifests: Pulumi's stock EKS installer, in place of
/// the conformant ones (the AWS side stays).
pub const STOCK_EKS: (&str, &str) = (
    "kubernetes/stock-eks.yaml",
    include_str!("../tests/data/kubernetes/stock-eks.yaml"),
);

#[cfg(test)]
mod tests {
    /// The files of `tests/data/<set>`, sorted.
    fn on_disk(set: &str) -> Vec<String> {
        let root =
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data")).join(set);
        let mut on_disk = Vec::new();
        for dir in ["kubernetes", "aws"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                on_disk.push(format!("{dir}/{name}"));
            }
        }
        on_disk.sort();
        on_disk
    }

    fn built_in(files: &[(&str, &str)]) -> Vec<String> {
        let mut names: Vec<String> = files.iter().map(|(n, _)| (*n).to_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn every_file_of_the_eks_corpus_is_built_in() {
        assert_eq!(
            on_disk("eks"),
            built_in(&super::EKS),
            "add the corpus's files to reference::EKS"
        );
    }

    #[test]
    fn every_file_of_the_gateway_corpus_is_built_in() {
        assert_eq!(
            on_disk("gateway"),
            built_in(&super::GATEWAY),
            "add the corpus's files to reference::GATEWAY"
        );
    }
}
