//! The built-in sandbox's configuration evidence: netconform-config's reference corpus
//! (`netconform_config::reference`, the conformant EKS set, exposed through an Ingress or,
//! with `--exposure gateway-api`, through the Gateway API), written out for the run, so
//! `netconform verify` checks configuration with no setup. The sandbox is a reference
//! deployment; this is the configuration such a deployment exports.

use std::path::Path;

use netconform_config::reference::{EKS, GATEWAY, STOCK_EKS};
use netconform_model::environment::ConfigSettings;
use netconform_model::{Environment, exit};

use crate::embedded::EmbeddedDir;

/// How the reference configuration exposes the API (`--exposure`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Exposure {
    /// An Ingress of the AWS Load Balancer Controller (the `eks` corpus).
    #[default]
    Ingress,
    /// The Kubernetes Gateway API with the controller's ALB gateway (the `gateway` corpus).
    GatewayApi,
}

/// The reference configuration written to a fresh temporary directory, removed when dropped.
pub(crate) struct ReferenceConfig {
    dir: EmbeddedDir,
}

impl ReferenceConfig {
    /// Writes the files; `purpose` names the directory ("verify", "sandbox"). With
    /// `stock_eks`, the Kubernetes manifests are the stock installer's; `exposure` picks the
    /// corpus (the stock installer's manifests are an Ingress's: they go with the `eks` one).
    pub(crate) fn write(
        purpose: &str,
        stock_eks: bool,
        exposure: Exposure,
    ) -> std::io::Result<ReferenceConfig> {
        let corpus: &[(&str, &str)] = match exposure {
            Exposure::Ingress => &EKS,
            Exposure::GatewayApi => &GATEWAY,
        };
        let files = corpus
            .iter()
            .copied()
            .filter(|(name, _)| !(stock_eks && name.starts_with("kubernetes/")));
        let files = files.chain(stock_eks.then_some(STOCK_EKS));
        EmbeddedDir::write(&format!("{purpose}-config"), files).map(|dir| ReferenceConfig { dir })
    }

    /// The reference configuration of a sandbox run broken by `variant` (the stock EKS
    /// installer's manifests for `stock-eks-config`), exposed as `exposure` says. `Err` is
    /// the exit code and the message: a usage error when the two do not go together.
    pub(crate) fn for_sandbox(
        purpose: &str,
        variant: Option<netconform_sandbox::Variant>,
        exposure: Option<Exposure>,
    ) -> Result<ReferenceConfig, (i32, String)> {
        let stock = variant == Some(netconform_sandbox::Variant::StockEksConfig);
        let exposure = exposure.unwrap_or_default();
        if stock && exposure != Exposure::Ingress {
            return Err((
                exit::USAGE,
                "--break stock-eks-config exports the stock installer's Ingress manifests: drop --exposure".to_owned(),
            ));
        }
        ReferenceConfig::write(purpose, stock, exposure).map_err(|e| {
            (
                exit::INCONCLUSIVE,
                format!("failed to write the sandbox's reference configuration: {e}"),
            )
        })
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
            ..ConfigSettings::default()
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
    fn special_characters_of_the_directory_are_escaped() {
        assert_eq!(
            super::escape(std::path::Path::new("/tmp/a[1]*?")),
            "/tmp/a[[]1[]][*][?]"
        );
    }
}
