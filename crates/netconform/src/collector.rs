//! The cucumber writer: turns the run's events into a [`RunReport`], taking each step's check
//! outcomes from the [`Context`], and prints live progress on stderr. How the verdicts roll
//! up is model's (`netconform_model::rollup`).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use cucumber::{Event, Writer, cli, event, gherkin, parser};
use netconform_model::{Gap, ScenarioResult, StepResult, Verdict, rollup};

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
                    result.verdict = rollup::scenario_verdict(&result.steps);
                    if result.verdict == Verdict::NotChecked {
                        result.gap = rollup::first_gap(&result.steps);
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
        let verdict = rollup::step_verdict(verdict, &outcomes);
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
