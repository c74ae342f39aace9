//! The features built into the binary, so `netconform verify` runs from anywhere.

use std::path::{Path, PathBuf};

/// Every feature file of the repository's `features/` directory (a test keeps the list whole).
pub(crate) const BUILT_IN: [(&str, &str); 9] = [
    ("dns.feature", include_str!("../../../features/dns.feature")),
    (
        "health.feature",
        include_str!("../../../features/health.feature"),
    ),
    ("tls.feature", include_str!("../../../features/tls.feature")),
    (
        "rolling_restart.feature",
        include_str!("../../../features/rolling_restart.feature"),
    ),
    (
        "multi_az.feature",
        include_str!("../../../features/multi_az.feature"),
    ),
    (
        "network.feature",
        include_str!("../../../features/network.feature"),
    ),
    (
        "autoscaling.feature",
        include_str!("../../../features/autoscaling.feature"),
    ),
    (
        "graceful_shutdown.feature",
        include_str!("../../../features/graceful_shutdown.feature"),
    ),
    (
        "load_balancer.feature",
        include_str!("../../../features/load_balancer.feature"),
    ),
];

/// A directory holding the built-in features, removed when dropped.
pub(crate) struct FeatureDir {
    path: PathBuf,
    owned: bool,
}

impl FeatureDir {
    /// `dir` when given, else the built-in features written to a fresh temporary directory.
    pub(crate) fn prepare(dir: Option<&Path>) -> std::io::Result<FeatureDir> {
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("{} is not a directory of .feature files", dir.display()),
                ));
            }
            return Ok(FeatureDir {
                path: dir.to_owned(),
                owned: false,
            });
        }
        let path = std::env::temp_dir().join(format!("netconform-features-{}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        for (name, text) in BUILT_IN {
            std::fs::write(path.join(name), text)?;
        }
        Ok(FeatureDir { path, owned: true })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FeatureDir {
    fn drop(&mut self) {
        if self.owned {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_feature_file_is_built_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../features");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".feature"))
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = super::BUILT_IN
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        built_in.sort();
        assert_eq!(
            on_disk, built_in,
            "add new feature files to features::BUILT_IN"
        );
    }
}
