//! The cucumber World: what one scenario knows, and the run-wide [`Context`] it is given.

use std::fmt;
use std::sync::{Arc, Mutex};

use cucumber::gherkin::Step;

use netconform_dns::NameView;
use netconform_drain::{Load, LoadResult, RestartDriver, RestartRun};
use netconform_model::{Environment, Outcome, RestartEvent, Verdict};
use netconform_net::Resolver;

/// What every scenario of a run shares.
pub(crate) struct Context {
    pub(crate) env: Environment,
    /// Where the environment came from, for messages: a file path or "the built-in sandbox".
    pub(crate) source: String,
    /// The configured resolver, caching by TTL, for probes and the load generator.
    pub(crate) resolver: Resolver,
    /// The DNS checks' vantage points: each configured resolver alone (or the system's), no
    /// cache.
    pub(crate) vantages: Vec<Resolver>,
    /// What performs a rolling restart, when the environment says how.
    pub(crate) restart: Option<Arc<dyn RestartDriver>>,
    /// Check outcomes by the step that judged them, until the collector takes them.
    pub(crate) outcomes: Mutex<Vec<(StepKey, Outcome)>>,
}

/// Which step of which scenario: their lines in the feature file (and the file's feature
/// name, as lines repeat across files).
pub(crate) type StepKey = (String, usize, usize);

/// Why a step stopped: a failed or inconclusive check. Raised with `panic_any`, read back by
/// the collector.
#[derive(Debug, Clone)]
pub(crate) struct StepFailure {
    pub(crate) verdict: Verdict,
    pub(crate) reason: String,
}

/// The result of the restart-under-load step, for the steps that judge it.
pub(crate) struct DrainRun {
    pub(crate) driver: String,
    pub(crate) restart: RestartRun,
    pub(crate) events: Vec<RestartEvent>,
    pub(crate) load: LoadResult,
}

#[derive(cucumber::World)]
#[world(init = Self::new)]
pub(crate) struct NetWorld {
    ctx: Option<Arc<Context>>,
    /// The running scenario's feature name and line, to key outcomes.
    scenario: (String, usize),
    /// The name the last DNS step resolved ("it").
    pub(crate) resolved: Option<NameView>,
    /// The outcome of the last probe step, judged by the next Then.
    pub(crate) probed: Option<Outcome>,
    /// Load started by a Given step, finished by the restart step.
    pub(crate) load: Option<Load>,
    pub(crate) drain: Option<DrainRun>,
}

impl fmt::Debug for NetWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetWorld")
            .field(
                "resolved",
                &self.resolved.as_ref().map(|v| v.name.to_string()),
            )
            .field("load", &self.load.is_some())
            .field("drain", &self.drain.is_some())
            .finish()
    }
}

impl NetWorld {
    fn new() -> NetWorld {
        NetWorld {
            ctx: None,
            scenario: (String::new(), 0),
            resolved: None,
            probed: None,
            load: None,
            drain: None,
        }
    }

    pub(crate) fn start(&mut self, ctx: Arc<Context>, feature: &str, scenario_line: usize) {
        self.ctx = Some(ctx);
        self.scenario = (feature.to_owned(), scenario_line);
    }

    pub(crate) fn ctx(&self) -> Arc<Context> {
        match &self.ctx {
            Some(ctx) => Arc::clone(ctx),
            None => {
                inconclusive("the scenario started without its context (a netconform bug)".into())
            }
        }
    }

    /// Records a check's outcome for the report, as `step`'s; a failed or inconclusive one ends
    /// the step.
    pub(crate) fn judge(&self, step: &Step, outcome: Outcome) {
        let (verdict, reason) = (outcome.verdict, outcome.reason.clone());
        let key = (self.scenario.0.clone(), self.scenario.1, step.position.line);
        self.ctx()
            .outcomes
            .lock()
            .expect("outcomes lock")
            .push((key, outcome));
        if matches!(verdict, Verdict::Fail | Verdict::Inconclusive) {
            std::panic::panic_any(StepFailure { verdict, reason });
        }
    }
}

/// Ends the step as inconclusive: the tool could not measure.
pub(crate) fn inconclusive(reason: String) -> ! {
    std::panic::panic_any(StepFailure {
        verdict: Verdict::Inconclusive,
        reason,
    })
}
