//! The features built into the binary, so `netconform verify` runs from anywhere.

use std::path::{Path, PathBuf};

use netconform_model::{EnvError, Environment};

use crate::embedded::EmbeddedDir;

/// Every feature file of the repository's `features/` directory (a test keeps the list whole),
/// in the order they run and are listed: what a client sees first (DNS, the load balancer's
/// TLS, the health check, the rolling restart), then the exported configuration in the
/// guide's section order (Multi-AZ, network, auto-scaling, graceful shutdown, load balancer).
pub(crate) const BUILT_IN: [(&str, &str); 9] = [
    ("dns.feature", include_str!("../../../features/dns.feature")),
    ("tls.feature", include_str!("../../../features/tls.feature")),
    (
        "health.feature",
        include_str!("../../../features/health.feature"),
    ),
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

/// A scenario as a waiver names it: its name and its tags (the feature's and its own, without
/// `@`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScenarioName {
    pub(crate) name: String,
    pub(crate) tags: Vec<String>,
}

/// Reads a feature text by hand, line by line: tag lines (`@a @b`) gather into the pending
/// tags, `Feature:` takes them as the feature's; every other line (trimmed) goes to `line`
/// with the feature's tags and the pending ones (which a `Scenario:` line takes).
pub(crate) fn each_line(text: &str, mut line: impl FnMut(&[String], &mut Vec<String>, &str)) {
    let mut feature_tags: Vec<String> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for text in text.lines().map(str::trim) {
        if text.starts_with('@') {
            pending.extend(
                text.split_whitespace()
                    .filter_map(|t| t.strip_prefix('@'))
                    .map(str::to_owned),
            );
        } else if text.starts_with("Feature:") {
            feature_tags = std::mem::take(&mut pending);
        } else {
            line(&feature_tags, &mut pending, text);
        }
    }
}

/// The scenarios of feature texts (tags, `Feature:`, `Scenario:` lines).
pub(crate) fn scenarios<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<ScenarioName> {
    let mut out = Vec::new();
    for text in texts {
        each_line(text, |feature_tags, pending, line| {
            if let Some(name) = line
                .strip_prefix("Scenario:")
                .or_else(|| line.strip_prefix("Scenario Outline:"))
            {
                let mut tags = feature_tags.to_vec();
                tags.append(pending);
                out.push(ScenarioName {
                    name: name.trim().to_owned(),
                    tags,
                });
            }
        });
    }
    out
}

/// A directory of feature files: the one `--features` names, or the built-in features written
/// out for the run (removed when dropped).
pub(crate) enum FeatureDir {
    Given(PathBuf),
    BuiltIn(EmbeddedDir),
}

impl FeatureDir {
    /// `dir` when given, else the built-in features written to a fresh temporary directory,
    /// numbered so they run in BUILT_IN's order (cucumber reads a directory by name).
    pub(crate) fn prepare(dir: Option<&Path>) -> std::io::Result<FeatureDir> {
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("{} is not a directory of .feature files", dir.display()),
                ));
            }
            return Ok(FeatureDir::Given(dir.to_owned()));
        }
        let numbered = BUILT_IN
            .iter()
            .enumerate()
            .map(|(i, (name, text))| (format!("{:02}-{name}", i + 1), *text));
        EmbeddedDir::write("features", numbered).map(FeatureDir::BuiltIn)
    }

    pub(crate) fn path(&self) -> &Path {
        match self {
            FeatureDir::Given(path) => path,
            FeatureDir::BuiltIn(dir) => dir.path(),
        }
    }

    /// The texts of its feature files.
    pub(crate) fn texts(&self) -> std::io::Result<Vec<String>> {
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(self.path())? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "feature") {
                texts.push(std::fs::read_to_string(path)?);
            }
        }
        Ok(texts)
    }

    /// The scenarios of its feature files.
    pub(crate) fn scenarios(&self) -> std::io::Result<Vec<ScenarioName>> {
        Ok(scenarios(self.texts()?.iter().map(String::as_str)))
    }
}

/// Each waiver names a scenario of the features, or a recommendation one of them checks;
/// else it is an environment-file error at the waiver's place.
pub(crate) fn check_waivers(
    env: &Environment,
    known: &[ScenarioName],
    file: &Path,
) -> Result<(), EnvError> {
    for w in &env.waivers {
        if known.iter().any(|s| w.matches(&s.name, &s.tags)) {
            continue;
        }
        let message = match (&w.scenario, &w.recommendation) {
            (Some(name), _) => {
                let close: Vec<&str> = known
                    .iter()
                    .map(|s| s.name.as_str())
                    .filter(|n| {
                        let (a, b) = (n.to_ascii_lowercase(), name.to_ascii_lowercase());
                        a.contains(&b) || b.contains(&a)
                    })
                    .take(3)
                    .collect();
                format!(
                    "the [[waiver]] names scenario {name:?}, which no feature has; name it as its `Scenario:` line does{}",
                    if close.is_empty() {
                        " (`netconform verify` lists them)".to_owned()
                    } else {
                        format!(
                            ", e.g. {}",
                            close
                                .iter()
                                .map(|c| format!("{c:?}"))
                                .collect::<Vec<_>>()
                                .join(" or ")
                        )
                    }
                )
            }
            (None, Some(id)) => format!(
                "the [[waiver]] names recommendation {id:?}, which no scenario checks yet (docs/conformance.md lists those that are checked)"
            ),
            (None, None) => "the [[waiver]] names nothing".to_owned(),
        };
        return Err(EnvError {
            file: file.to_owned(),
            position: w.position,
            message,
        });
    }
    Ok(())
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

    #[test]
    fn scenarios_are_named_with_their_feature_s_tags() {
        let all = super::scenarios(super::BUILT_IN.iter().map(|(_, t)| *t));
        let deletion = all
            .iter()
            .find(|s| s.name == "Deletion protection is on")
            .unwrap();
        assert!(deletion.tags.contains(&"config".to_owned()), "{deletion:?}");
        assert!(
            deletion
                .tags
                .contains(&"rec:deletion-protection".to_owned()),
            "{deletion:?}"
        );
        assert_eq!(
            all.first().unwrap().name,
            "api.{domain} leads to the load balancer"
        );
    }
}
