//! The result of a whole run: every scenario and step with its verdict and evidence, what was
//! and was not checked ([`Coverage`]), the waivers that held. Built by the binary, rendered by
//! the report crate.

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::environment::Waiver;
use crate::evidence::Evidence;
use crate::exit;
use crate::{Gap, Verdict};

/// Version of the `report.json` layout (`docs/report.schema.json`). 2 added `tool_version`,
/// `started_at`, `source`, `settings` and the timeline's failures by kind; 3 added the
/// `not-checked` and `waived` verdicts, gaps, waivers, `strict`, `profile` and `coverage`; 4
/// added `vantage` (where a run was made from) and, in a merged report, `vantages` and each
/// scenario's verdict per vantage point; 5 added `baseline` (the comparison with a baseline run,
/// `verify --baseline`).
pub const REPORT_SCHEMA_VERSION: u32 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub schema_version: u32,
    /// The netconform version that made the report.
    pub tool_version: String,
    /// When the run began, RFC 3339 in UTC.
    pub started_at: String,
    /// The environment's display name ("sandbox" for the built-in one).
    pub environment: String,
    pub domain: String,
    /// Where the environment came from: a file's path, or "the built-in sandbox".
    pub source: String,
    /// The environment as verified, every default filled in, secrets redacted
    /// ([`crate::redact`]).
    pub settings: toml::Table,
    pub scenarios: Vec<ScenarioResult>,
    /// Problems that stopped features from running at all (parse errors).
    pub errors: Vec<String>,
    /// Whether the run was cut short (a signal, or the run's timeout).
    pub interrupted: bool,
    /// What cut it short: "interrupted (SIGINT)", "cut off by the run's timeout (10m)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    pub duration_s: f64,
    /// Every scenario had to run (`--strict`, `strict = true`): one not checked or skipped by
    /// policy fails the run.
    #[serde(default)]
    pub strict: bool,
    /// Waivers whose `until` has passed: each fails the run, saying so.
    #[serde(default)]
    pub expired_waivers: Vec<String>,
    /// Where the run was made from (`--vantage`, default the host name): a zone, a runner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vantage: Option<String>,
    /// A merged report (`netconform merge`): the vantage points merged, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vantages: Vec<String>,
    /// Compared with a baseline (`--baseline`, `baseline = "..."`): what changed since, which
    /// failures are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::diff::baseline::Baseline>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub feature: String,
    pub name: String,
    /// Tags without the `@`, e.g. "dns", "guide:dns".
    pub tags: Vec<String>,
    pub verdict: Verdict,
    pub steps: Vec<StepResult>,
    pub duration_s: f64,
    /// Not checked, or skipped by policy: what was missing, and how the next run checks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Gap>,
    /// Waived: the waiver that holds its failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverNote>,
    /// A merged report: the verdict from each vantage point that ran the scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vantages: Vec<VantageVerdict>,
}

/// One vantage point's verdict on a scenario, in a merged report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VantageVerdict {
    pub vantage: String,
    pub verdict: Verdict,
    /// Its first reason, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The waiver a failed scenario is held under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverNote {
    pub owner: String,
    pub reason: String,
    pub until: String,
    /// `scenario "..."` or `recommendation <id>`.
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    /// "Given", "When", "Then", "And".
    pub keyword: String,
    pub text: String,
    pub verdict: Verdict,
    /// Why it failed or was inconclusive.
    pub reason: Option<String>,
    /// The checks the step ran, with their evidence.
    pub outcomes: Vec<crate::Outcome>,
    pub duration_s: f64,
}

impl ScenarioResult {
    /// The first reason a step gave for failing, if any.
    pub fn reason(&self) -> Option<&str> {
        self.steps.iter().find_map(|s| s.reason.as_deref())
    }

    /// Every piece of evidence the scenario's steps gathered.
    pub fn evidence(&self) -> impl Iterator<Item = &Evidence> {
        self.steps
            .iter()
            .flat_map(|s| s.outcomes.iter().flat_map(|o| o.evidence.iter()))
    }

    /// Whether it is the tool's own advice (`@hardening`), not one of the guide's
    /// requirements.
    pub fn is_hardening(&self) -> bool {
        self.tags.iter().any(|t| t == HARDENING_TAG)
    }

    /// Why it does not apply, or what its checks concluded: the reasons of its outcomes.
    pub fn outcome_reasons(&self) -> Vec<&str> {
        self.steps
            .iter()
            .flat_map(|s| s.outcomes.iter().map(|o| o.reason.as_str()))
            .collect()
    }
}

/// The tag of a scenario that is the tool's advice, not the guide's (without `@`).
pub const HARDENING_TAG: &str = "hardening";

/// The scenarios that share one reason for not being checked, and how to check them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapCount {
    pub what: String,
    pub fix: String,
    pub scenarios: Vec<String>,
}

/// What the run checked and what it did not, by reason: the scope of its verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub scenarios: usize,
    pub passed: usize,
    pub failed: usize,
    pub inconclusive: usize,
    pub waived: usize,
    /// Not applicable by the deployment's nature: not a gap.
    pub not_applicable: usize,
    /// Not checked for want of an input, by reason.
    pub not_checked: Vec<GapCount>,
    /// Skipped by policy, by reason.
    pub skipped_by_policy: Vec<GapCount>,
    /// Whether every scenario that applies was checked.
    pub complete: bool,
}

impl Coverage {
    pub fn not_checked_count(&self) -> usize {
        self.not_checked.iter().map(|g| g.scenarios.len()).sum()
    }

    pub fn skipped_count(&self) -> usize {
        self.skipped_by_policy
            .iter()
            .map(|g| g.scenarios.len())
            .sum()
    }
}

/// Adds `scenario` to the group of `gap` in `groups`, in first-seen order.
fn count_in(groups: &mut Vec<GapCount>, gap: &Gap, scenario: &str) {
    match groups.iter_mut().find(|g| g.what == gap.what) {
        Some(g) => g.scenarios.push(scenario.to_owned()),
        None => groups.push(GapCount {
            what: gap.what.clone(),
            fix: gap.fix.clone(),
            scenarios: vec![scenario.to_owned()],
        }),
    }
}

impl RunReport {
    /// What was and was not checked.
    pub fn coverage(&self) -> Coverage {
        let mut c = Coverage {
            scenarios: self.scenarios.len(),
            ..Coverage::default()
        };
        let unknown = |why: &str| Gap::new(why, "see the scenario's reason");
        for s in &self.scenarios {
            match s.verdict {
                Verdict::Pass => c.passed += 1,
                Verdict::Fail => c.failed += 1,
                Verdict::Inconclusive => c.inconclusive += 1,
                Verdict::Waived => c.waived += 1,
                Verdict::NotApplicable => c.not_applicable += 1,
                Verdict::NotChecked => count_in(
                    &mut c.not_checked,
                    s.gap.as_ref().unwrap_or(&unknown("not checked")),
                    &s.name,
                ),
                Verdict::Skipped => count_in(
                    &mut c.skipped_by_policy,
                    s.gap.as_ref().unwrap_or(&unknown("skipped")),
                    &s.name,
                ),
            }
        }
        c.complete = c.not_checked.is_empty() && c.skipped_by_policy.is_empty();
        c
    }

    /// The whole run's verdict: fail if any scenario failed or a waiver expired (or, strict,
    /// when a scenario was not checked or skipped), else inconclusive if any was, else pass (a
    /// run with no scenario is inconclusive: nothing was shown).
    pub fn verdict(&self) -> Verdict {
        let has = |v| self.scenarios.iter().any(|s| s.verdict == v);
        if !self.errors.is_empty()
            || self.scenarios.iter().any(|s| self.fails_run(s))
            || !self.expired_waivers.is_empty()
            || (self.strict && !self.coverage().complete)
        {
            Verdict::Fail
        } else if self.interrupted || has(Verdict::Inconclusive) || self.scenarios.is_empty() {
            Verdict::Inconclusive
        } else {
            Verdict::Pass
        }
    }

    /// The process exit code for this run.
    pub fn exit_code(&self) -> i32 {
        if !self.errors.is_empty() {
            return exit::USAGE;
        }
        match self.verdict() {
            Verdict::Fail => exit::NOT_CONFORMANT,
            Verdict::Inconclusive => exit::INCONCLUSIVE,
            _ => exit::CONFORMANT,
        }
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.scenarios
            .iter()
            .filter(|s| s.verdict == verdict)
            .count()
    }

    /// Holds each failed scenario a waiver names under it, as [`Verdict::Waived`], while the
    /// waiver lasts (`today` is its last day); a waiver past its `until` is listed in
    /// [`RunReport::expired_waivers`], which fails the run.
    pub fn apply_waivers(&mut self, waivers: &[Waiver], today: Date) {
        for w in waivers {
            let expired = w.until < today;
            if expired {
                self.expired_waivers.push(format!(
                    "the waiver of {} (owner {}) expired on {}: {}; fix the failure, or renew the waiver with a new `until`",
                    w.target(),
                    w.owner,
                    w.until,
                    w.reason
                ));
                continue;
            }
            for s in &mut self.scenarios {
                if s.verdict == Verdict::Fail && w.matches(&s.name, &s.tags) {
                    s.verdict = Verdict::Waived;
                    s.waiver = Some(WaiverNote {
                        owner: w.owner.clone(),
                        reason: w.reason.clone(),
                        until: w.until.to_string(),
                        target: w.target(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Outcome;

    fn scenario(name: &str, verdict: Verdict, gap: Option<Gap>, tags: &[&str]) -> ScenarioResult {
        ScenarioResult {
            feature: "f".into(),
            name: name.into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            verdict,
            steps: vec![StepResult {
                keyword: "Then".into(),
                text: "x".into(),
                verdict,
                reason: None,
                outcomes: vec![Outcome::new("c", verdict, "r")],
                duration_s: 0.0,
            }],
            duration_s: 0.0,
            gap,
            waiver: None,
            vantages: Vec::new(),
        }
    }

    fn report(scenarios: Vec<ScenarioResult>) -> RunReport {
        RunReport {
            schema_version: REPORT_SCHEMA_VERSION,
            tool_version: "0".into(),
            started_at: "2026-12-01T00:00:00Z".into(),
            environment: "e".into(),
            domain: "d".into(),
            source: "s".into(),
            settings: toml::Table::new(),
            scenarios,
            errors: Vec::new(),
            interrupted: false,
            stopped: None,
            duration_s: 0.0,
            strict: false,
            expired_waivers: Vec::new(),
            vantage: None,
            vantages: Vec::new(),
            baseline: None,
        }
    }

    fn no_config() -> Option<Gap> {
        Some(Gap::new("no [config]", "name exported files in [config]"))
    }

    #[test]
    fn coverage_counts_what_was_not_checked_by_reason() {
        let r = report(vec![
            scenario("a", Verdict::Pass, None, &[]),
            scenario("b", Verdict::NotChecked, no_config(), &[]),
            scenario("c", Verdict::NotChecked, no_config(), &[]),
            scenario("d", Verdict::NotApplicable, None, &[]),
            scenario(
                "e",
                Verdict::Skipped,
                Some(Gap::new(
                    "rolling restart: not allowed",
                    "--allow-disruptive",
                )),
                &[],
            ),
        ]);
        let c = r.coverage();
        assert_eq!((c.passed, c.not_applicable), (1, 1));
        assert_eq!(c.not_checked.len(), 1);
        assert_eq!(c.not_checked[0].scenarios, ["b", "c"]);
        assert_eq!(c.skipped_count(), 1);
        assert!(!c.complete);
        assert_eq!(r.verdict(), Verdict::Pass, "not checked is not a failure");
        let strict = RunReport {
            strict: true,
            ..r.clone()
        };
        assert_eq!(
            strict.verdict(),
            Verdict::Fail,
            "strict: every scenario must run"
        );
        assert_eq!(strict.exit_code(), exit::NOT_CONFORMANT);
        // Not applicable by nature is no gap, even when strict.
        let nature = RunReport {
            strict: true,
            ..report(vec![
                scenario("a", Verdict::Pass, None, &[]),
                scenario("d", Verdict::NotApplicable, None, &[]),
            ])
        };
        assert_eq!(nature.verdict(), Verdict::Pass);
        assert!(nature.coverage().complete);
    }

    fn waiver(scenario: Option<&str>, rec: Option<&str>, until: &str) -> Waiver {
        Waiver {
            scenario: scenario.map(str::to_owned),
            recommendation: rec.map(str::to_owned),
            owner: "platform-team".into(),
            reason: "ALB replaced in January".into(),
            until: until.parse().unwrap(),
            position: None,
        }
    }

    #[test]
    fn a_waiver_holds_its_failures_until_it_expires() {
        let today: Date = "2026-12-01".parse().unwrap();
        let failing = || {
            report(vec![
                scenario(
                    "Deletion protection is on",
                    Verdict::Fail,
                    None,
                    &["rec:deletion-protection"],
                ),
                scenario("other", Verdict::Fail, None, &["rec:https"]),
            ])
        };
        let mut r = failing();
        r.apply_waivers(
            &[waiver(None, Some("deletion-protection"), "2027-01-31")],
            today,
        );
        assert_eq!(r.scenarios[0].verdict, Verdict::Waived);
        assert_eq!(r.scenarios[0].waiver.as_ref().unwrap().until, "2027-01-31");
        assert_eq!(
            r.scenarios[1].verdict,
            Verdict::Fail,
            "another scenario is not waived"
        );
        // The last day still holds.
        let mut r = report(vec![scenario("x", Verdict::Fail, None, &[])]);
        r.apply_waivers(&[waiver(Some("x"), None, "2026-12-01")], today);
        assert_eq!(r.verdict(), Verdict::Pass);
        assert_eq!(r.coverage().waived, 1);
        // Expired: the failure stays, and the waiver itself fails the run, even over a pass.
        let mut r = report(vec![scenario("x", Verdict::Pass, None, &[])]);
        r.apply_waivers(&[waiver(Some("x"), None, "2026-11-30")], today);
        assert_eq!(r.verdict(), Verdict::Fail);
        assert!(
            r.expired_waivers[0].contains("expired on 2026-11-30"),
            "{:?}",
            r.expired_waivers
        );
    }

    #[test]
    fn dates_are_calendar_days() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix_seconds(1_796_083_200).to_string(),
            "2026-12-01"
        );
        assert!("2027-02-29".parse::<Date>().is_err());
        assert!("2028-02-29".parse::<Date>().is_ok());
        assert!("2027-1-31".parse::<Date>().is_err());
    }
}
