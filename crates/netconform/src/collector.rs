//! The cucumber writer: turns the run's events into a [`RunReport`], taking each step's check
//! outcomes from the [`Context`], and prints live progress on stderr.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use cucumber::{Event, Writer, cli, event, gherkin, parser};
use netconform_model::{Gap, ScenarioResult, StepResult, Verdict};

use crate::world::{Context, NetWorld, StepFailure};

/// What the run produced, shared with the caller (the writer cannot be read back through
/// cucumber's wrappers).
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub(crate) scenarios: Vec<ScenarioResult>,
    pub(crate) errors: Vec<String>,
}

/// The scenario being collected.
struct Current {
    result: ScenarioResult,
    /// Its feature's name and its line: with a step's line, the key of that step's outcomes.
    key: (String, usize),
    /// Index of the next step to report.
    next: usize,
    started: Instant,
}

pub(crate) struct Collector {
    ctx: Arc<Context>,
    out: Arc<Mutex<Collected>>,
    current: Option<Current>,
    step_started: Instant,
}

impl Collector {
    pub(crate) fn new(ctx: Arc<Context>) -> (Collector, Arc<Mutex<Collected>>) {
        let out = Arc::new(Mutex::new(Collected::default()));
        let collector = Collector {
            ctx,
            out: Arc::clone(&out),
            current: None,
            step_started: Instant::now(),
        };
        (collector, out)
    }

    fn on_scenario(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        ev: event::Scenario<NetWorld>,
    ) {
        use event::{Hook, Scenario};
        match ev {
            Scenario::Started => {
                progress(&format!("{} / {}", feature.name, scenario.name));
                // Every step starts as skipped: cucumber sends nothing for steps after a failure.
                let background = feature
                    .background
                    .iter()
                    .chain(rule.and_then(|r| r.background.as_ref()))
                    .flat_map(|b| b.steps.iter());
                let steps = background
                    .chain(scenario.steps.iter())
                    .map(|s| StepResult {
                        keyword: s.keyword.trim().to_owned(),
                        text: s.value.clone(),
                        verdict: Verdict::Skipped,
                        reason: None,
                        outcomes: Vec::new(),
                        duration_s: 0.0,
                    })
                    .collect();
                let tags = feature
                    .tags
                    .iter()
                    .chain(rule.iter().flat_map(|r| r.tags.iter()))
                    .chain(scenario.tags.iter())
                    .cloned()
                    .collect();
                let result = ScenarioResult {
                    feature: feature.name.clone(),
                    name: scenario.name.clone(),
                    tags,
                    verdict: Verdict::Skipped,
                    steps,
                    duration_s: 0.0,
                    gap: None,
                    waiver: None,
                    vantages: Vec::new(),
                };
                self.current = Some(Current {
                    result,
                    key: (feature.name.clone(), scenario.position.line),
                    next: 0,
                    started: Instant::now(),
                });
            }
            Scenario::Step(step, ev) | Scenario::Background(step, ev) => self.on_step(&step, ev),
            Scenario::Hook(kind, Hook::Failed(_, info)) => {
                if let Some(current) = &mut self.current {
                    let (verdict, reason, gap) = describe(&info);
                    match verdict {
                        // Not run on purpose (by policy), or not for this profile: it says why.
                        Verdict::Skipped | Verdict::NotApplicable => {
                            progress(&format!("  {verdict}: {reason}"));
                            current.result.gap = gap;
                            for step in &mut current.result.steps {
                                step.verdict = verdict;
                            }
                            if let Some(step) = current.result.steps.get_mut(current.next) {
                                step.reason = Some(reason);
                            }
                        }
                        _ => {
                            if let Some(step) = current.result.steps.get_mut(current.next) {
                                step.verdict = Verdict::Inconclusive;
                                step.reason = Some(format!("the {kind:?} hook failed: {reason}"));
                            }
                        }
                    }
                }
            }
            Scenario::Hook(..) | Scenario::Log(_) => {}
            Scenario::Finished => {
                if let Some(Current {
                    mut result,
                    started,
                    ..
                }) = self.current.take()
                {
                    result.duration_s = started.elapsed().as_secs_f64();
                    result.verdict = scenario_verdict(&result.steps);
                    if result.verdict == Verdict::NotChecked {
                        result.gap = first_gap(&result.steps);
                    }
                    progress(&format!("  => {}\n", result.verdict));
                    self.out
                        .lock()
                        .expect("collector lock")
                        .scenarios
                        .push(result);
                }
            }
        }
    }

    fn on_step(&mut self, step: &gherkin::Step, ev: event::Step<NetWorld>) {
        use event::{Step, StepError};
        if matches!(ev, Step::Started) {
            self.step_started = Instant::now();
            return;
        }
        let (verdict, reason) = match ev {
            Step::Started => unreachable!("handled above"),
            Step::Passed(..) => (Verdict::Pass, None),
            Step::Skipped => (
                Verdict::Fail,
                Some("no step definition matches this step".to_owned()),
            ),
            Step::Failed(_, _, _, StepError::Panic(info)) => {
                let (verdict, reason, _) = describe(&info);
                (verdict, Some(reason))
            }
            Step::Failed(_, _, _, StepError::NotFound) => (
                Verdict::Fail,
                Some(
                    "no step definition matches this step (check the feature's wording)".to_owned(),
                ),
            ),
            Step::Failed(_, _, _, e) => (Verdict::Fail, Some(e.to_string())),
        };
        let outcomes = match &self.current {
            Some(current) => {
                let key = (current.key.0.clone(), current.key.1, step.position.line);
                let mut all = self.ctx.outcomes.lock().expect("outcomes lock");
                let (mine, others) = std::mem::take(&mut *all)
                    .into_iter()
                    .partition(|(k, _)| *k == key);
                *all = others;
                mine.into_iter().map(|(_, o)| o).collect()
            }
            None => Vec::new(),
        };
        // A passed step that judged nothing: not checked when a check lacked an input, not
        // applicable when none applied.
        let verdict = if verdict == Verdict::Pass && !outcomes.is_empty() {
            let judged = |v: Verdict| !matches!(v, Verdict::NotApplicable | Verdict::NotChecked);
            if outcomes.iter().any(|o| judged(o.verdict)) {
                verdict
            } else if outcomes.iter().any(|o| o.verdict == Verdict::NotChecked) {
                Verdict::NotChecked
            } else {
                Verdict::NotApplicable
            }
        } else {
            verdict
        };
        let label = match verdict {
            Verdict::Pass => "ok",
            Verdict::Fail => "FAIL",
            Verdict::Inconclusive => "INCONCLUSIVE",
            Verdict::NotChecked => "not checked",
            Verdict::NotApplicable => "n/a",
            Verdict::Skipped | Verdict::Waived => "-",
        };
        let mut line = format!("  {label:<4} {} {}", step.keyword.trim(), step.value);
        if let Some(reason) = &reason {
            line.push_str(&format!("\n       {reason}"));
        } else if let Some(o) = outcomes.last() {
            line.push_str(&format!("\n       {}", o.reason));
        }
        progress(&line);
        if let Some(current) = &mut self.current {
            if let Some(slot) = current.result.steps.get_mut(current.next) {
                slot.verdict = verdict;
                slot.reason = reason;
                slot.outcomes = outcomes;
                slot.duration_s = self.step_started.elapsed().as_secs_f64();
            }
            current.next += 1;
        }
    }
}

/// A scenario fails if a step failed, is inconclusive if one was, passes if every step passed.
/// It is not checked when a step could not judge for want of an input (what it did judge may
/// have passed: the scenario as a whole was not shown), and not applicable when every step
/// that judged something was not applicable: a step that only set the scene (passed, no
/// outcome: "Given the configuration exported from the deployment") does not make it a pass.
fn scenario_verdict(steps: &[StepResult]) -> Verdict {
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
fn first_gap(steps: &[StepResult]) -> Option<Gap> {
    steps
        .iter()
        .flat_map(|s| s.outcomes.iter())
        .find_map(|o| o.gap.clone())
}

/// A step's panic payload as a verdict: our [`StepFailure`], or a bug in netconform (any other
/// panic), which is no verdict about the deployment.
fn describe(info: &event::Info) -> (Verdict, String, Option<Gap>) {
    let bug = |detail: &str| {
        (
            Verdict::Inconclusive,
            format!("netconform failed unexpectedly (please report it){detail}"),
            None,
        )
    };
    if let Some(f) = info.downcast_ref::<StepFailure>() {
        (f.verdict, f.reason.clone(), f.gap.clone())
    } else if let Some(s) = info.downcast_ref::<String>() {
        bug(&format!(": {s}"))
    } else if let Some(s) = info.downcast_ref::<&'static str>() {
        bug(&format!(": {s}"))
    } else {
        bug("")
    }
}

impl Writer<NetWorld> for Collector {
    type Cli = cli::Empty;

    async fn handle_event(
        &mut self,
        ev: parser::Result<Event<event::Cucumber<NetWorld>>>,
        _cli: &Self::Cli,
    ) {
        use event::{Cucumber, Feature, Rule};
        match ev.map(Event::into_inner) {
            Err(e) => self
                .out
                .lock()
                .expect("collector lock")
                .errors
                .push(e.to_string()),
            Ok(Cucumber::Feature(f, Feature::Scenario(sc, ev))) => {
                self.on_scenario(&f, None, &sc, ev.event)
            }
            Ok(Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, ev)))) => {
                self.on_scenario(&f, Some(&r), &sc, ev.event)
            }
            Ok(_) => {}
        }
    }
}

/// Live progress on stderr (silent with `--quiet`).
fn progress(line: &str) {
    crate::note(line);
}

#[cfg(test)]
mod tests {
    use netconform_model::{Outcome, StepResult, Verdict};

    use super::scenario_verdict;

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
    }
}
