//! The built-in sandbox's configuration evidence: netconform-config's reference corpus
//! (`netconform_config::reference`, the conformant EKS set), written out for the run, so
//! `netconform verify` checks configuration with no setup. The sandbox is a reference
//! deployment; this is the configuration such a deployment exports.

use std::path::Path;

use netconform_config::reference::{EKS, STOCK_EKS};
use netconform_model::Environment;
use netconform_model::environment::ConfigSettings;

use crate::embedded::EmbeddedDir;

/// The reference configuration written to a fresh temporary directory, removed when dropped.
pub(crate) struct ReferenceConfig {
    dir: EmbeddedDir,
}

impl ReferenceConfig {
    /// Writes the files; `purpose` names the directory ("verify", "sandbox"). With
    /// `stock_eks`, the Kubernetes manifests are the stock installer's.
    pub(crate) fn write(purpose: &str, stock_eks: bool) -> std::io::Result<ReferenceConfig> {
        let files = EKS
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
