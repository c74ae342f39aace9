//! Which scenarios a run ends before their first step: the disruptive ones when the API may
//! not be restarted, those of production-only recommendations under a staging profile.

use netconform_model::environment::Profile;
use netconform_model::{Environment, Verdict};

use crate::cli::VerifyArgs;
use crate::world::StepFailure;

/// Which scenarios this run ends before their steps: the disruptive ones when the API may not
/// be restarted (skipped by policy), those of production-only recommendations under
/// `profile = "staging"` (not applicable).
#[derive(Debug, Clone)]
pub(crate) struct DisruptivePolicy {
    /// `None`: allowed; `Some(reason)`: skipped by policy, for this reason.
    skip: Option<String>,
    profile: Profile,
}

impl DisruptivePolicy {
    /// Allowed on the sandbox and the test bed (`ours`), with `--allow-disruptive`, or with `drain.enabled = true`;
    /// `Err` when allowed but above the hard caps without `--override-caps`.
    pub(crate) fn decide(
        env: &Environment,
        args: &VerifyArgs,
        ours: bool,
        source: &str,
    ) -> Result<DisruptivePolicy, String> {
        if !(ours || args.allow_disruptive || env.drain.enabled) {
            return Ok(DisruptivePolicy {
                skip: Some(format!(
                    "skipped by policy: @disruptive scenarios restart the API, and {source} does not allow it; pass --allow-disruptive or set drain.enabled = true to run them"
                )),
                profile: env.profile,
            });
        }
        let over = env.drain.over_caps();
        if !over.is_empty() && !args.override_caps {
            return Err(format!(
                "{source}: {}; lower it, or pass --override-caps if the environment can take it",
                over.join(", and ")
            ));
        }
        Ok(DisruptivePolicy {
            skip: None,
            profile: env.profile,
        })
    }

    /// Ends the scenario before its first step, as skipped by policy, when it is disruptive
    /// and not allowed, or as not applicable when every recommendation it checks is the
    /// guide's for production only and the profile is staging (the collector shows why).
    pub(crate) fn check<'a>(&self, tags: impl Iterator<Item = &'a String>) {
        let tags: Vec<&String> = tags.collect();
        let recs: Vec<_> = tags
            .iter()
            .filter_map(|t| netconform_model::recommendations::from_tag(t))
            .collect();
        if self.profile == Profile::Staging
            && !recs.is_empty()
            && recs.iter().all(|r| r.production_only)
        {
            let texts: Vec<&str> = recs.iter().map(|r| r.text).collect();
            std::panic::panic_any(StepFailure {
                verdict: Verdict::NotApplicable,
                reason: format!(
                    "does not apply: profile = \"staging\", and the guide asks this of production only ({})",
                    texts.join("; ")
                ),
                gap: None,
            });
        }
        if let Some(reason) = &self.skip
            && tags.iter().any(|t| *t == "disruptive")
        {
            std::panic::panic_any(StepFailure {
                verdict: Verdict::Skipped,
                reason: reason.clone(),
                gap: Some(netconform_model::Gap::new(
                    "rolling restart: not allowed",
                    "pass --allow-disruptive, or set drain.enabled = true in the environment file",
                )),
            });
        }
    }
}
