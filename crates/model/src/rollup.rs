//! How a scenario's verdict is rolled up: a step's from the check outcomes it recorded
//! ([`step_verdict`]), a scenario's from its steps' ([`scenario_verdict`]), and the gap a
//! scenario not checked reports ([`first_gap`]). Across vantage points, [`crate::merge::combine`]
//! takes over; across the run, [`crate::RunReport::verdict`].

use crate::outcome::{Gap, Outcome, Verdict};
use crate::run::StepResult;

/// A step's verdict from how it ran (`ran`: passed, or the verdict that ended it) and the
/// check outcomes it recorded. A passed step that judged nothing is not checked when a check
/// lacked an input, not applicable when none applied; a step that recorded no outcome (it set
/// the scene) keeps its own verdict.
pub fn step_verdict(ran: Verdict, outcomes: &[Outcome]) -> Verdict {
    if ran != Verdict::Pass || outcomes.is_empty() {
        return ran;
    }
    let judged = |v: Verdict| !matches!(v, Verdict::NotApplicable | Verdict::NotChecked);
    if outcomes.iter().any(|o| judged(o.verdict)) {
        ran
    } else if outcomes.iter().any(|o| o.verdict == Verdict::NotChecked) {
        Verdict::NotChecked
    } else {
        Verdict::NotApplicable
    }
}

/// A scenario fails if a step failed, is inconclusive if one was, passes if every step passed.
/// It is not checked when a step could not judge for want of an input (what it did judge may
/// have passed: the scenario as a whole was not shown), and not applicable when every step
/// that judged something was not applicable: a step that only set the scene (passed, no
/// outcome: "Given the configuration exported from the deployment") does not make it a pass.
pub fn scenario_verdict(steps: &[StepResult]) -> Verdict {
    let has = |v| steps.iter().any(|s| s.verdict == v);
    let all = |f: &dyn Fn(Verdict) -> bool| !steps.is_empty() && steps.iter().all(|s| f(s.verdict));
    let setting_the_scene = |s: &StepResult| s.verdict == Verdict::Pass && s.outcomes.is_empty();
    let judged: Vec<&StepResult> = steps.iter().filter(|s| !setting_the_scene(s)).collect();
    if has(Verdict::Fail) {
        Verdict::Fail
    } else if has(Verdict::Inconclusive) {
        Verdict::Inconclusive
    } else if all(&|v| v == Verdict::Skipped) {
        Verdict::Skipped
    } else if has(Verdict::NotChecked) {
        Verdict::NotChecked
    } else if !judged.is_empty() && judged.iter().all(|s| s.verdict == Verdict::NotApplicable) {
        // Nothing of it applies to this environment (it says why).
        Verdict::NotApplicable
    } else if all(&|v| matches!(v, Verdict::Pass | Verdict::NotApplicable)) {
        Verdict::Pass
    } else {
        Verdict::Skipped
    }
}

/// The gap of the first check that lacked an input.
pub fn first_gap(steps: &[StepResult]) -> Option<Gap> {
    steps
        .iter()
        .flat_map(|s| s.outcomes.iter())
        .find_map(|o| o.gap.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(verdict: Verdict, judged: bool) -> StepResult {
        StepResult {
            keyword: "Then".into(),
            text: "a step".into(),
            verdict,
            reason: None,
            outcomes: if judged {
                vec![Outcome::new("check", verdict, "why")]
            } else {
                Vec::new()
            },
            duration_s: 0.0,
        }
    }

    #[test]
    fn a_scene_setting_step_does_not_turn_not_applicable_into_pass() {
        use Verdict::*;
        let check = |steps: &[(Verdict, bool)], want: Verdict| {
            let steps: Vec<StepResult> = steps.iter().map(|(v, j)| step(*v, *j)).collect();
            assert_eq!(scenario_verdict(&steps), want, "{steps:?}");
        };
        check(&[(Pass, false), (NotApplicable, true)], NotApplicable);
        check(&[(Pass, false), (Pass, true)], Pass);
        check(&[(Pass, false), (NotApplicable, true), (Pass, true)], Pass);
        check(&[(Pass, false)], Pass);
        check(&[(Pass, false), (Fail, true)], Fail);
        check(&[(Inconclusive, false), (Skipped, false)], Inconclusive);
        check(&[(NotApplicable, true)], NotApplicable);
        // A step that lacked an input leaves the scenario not checked, whatever else passed.
        check(&[(Pass, false), (NotChecked, true)], NotChecked);
        check(&[(Pass, true), (NotChecked, true)], NotChecked);
        check(&[(NotApplicable, true), (NotChecked, true)], NotChecked);
        check(&[(NotChecked, true), (Fail, true)], Fail);
        // Ended before its first step, by policy.
        check(&[(Skipped, false), (Skipped, false)], Skipped);
        // No step at all shows nothing.
        check(&[], Skipped);
    }

    #[test]
    fn a_passed_step_is_what_its_checks_judged() {
        use Verdict::*;
        let check = |ran: Verdict, outcomes: &[Verdict], want: Verdict| {
            let outcomes: Vec<Outcome> = outcomes
                .iter()
                .map(|v| Outcome::new("check", *v, "why"))
                .collect();
            assert_eq!(step_verdict(ran, &outcomes), want, "{ran} {outcomes:?}");
        };
        // Setting the scene: no outcome, its own verdict.
        check(Pass, &[], Pass);
        check(Pass, &[Pass], Pass);
        check(Pass, &[NotApplicable, Pass], Pass);
        check(Pass, &[NotApplicable], NotApplicable);
        check(Pass, &[NotApplicable, NotChecked], NotChecked);
        check(Pass, &[NotChecked, Pass], Pass);
        // A step that ended otherwise keeps the verdict that ended it.
        check(Fail, &[NotApplicable], Fail);
        check(Inconclusive, &[], Inconclusive);
        check(Skipped, &[NotChecked], Skipped);
    }

    #[test]
    fn the_first_gap_is_the_first_checks_that_lacked_an_input() {
        let mut first = step(Verdict::NotChecked, true);
        first.outcomes[0].gap = Some(Gap::new("no [config]", "add it"));
        let mut second = step(Verdict::NotChecked, true);
        second.outcomes[0].gap = Some(Gap::new("no load balancer", "name it"));
        let steps = [step(Verdict::Pass, true), first, second];
        assert_eq!(
            first_gap(&steps).map(|g| g.what),
            Some("no [config]".into())
        );
        assert_eq!(first_gap(&steps[..1]), None);
    }
}
