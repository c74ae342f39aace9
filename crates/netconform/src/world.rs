//! The cucumber World: what one scenario knows, and the run-wide [`Context`] it is given.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use cucumber::gherkin::Step;
use rustls::pki_types::CertificateDer;

use netconform_config::Deployment;
use netconform_dns::{NameView, Vantages};
use netconform_drain::{Load, RestartDriver};
use netconform_model::environment::RecordLabel;
use netconform_model::{Environment, Outcome, Stop, Verdict};
use netconform_net::Resolver;

/// What every scenario of a run shares.
pub(crate) struct Context {
    pub(crate) env: Environment,
    /// Where the environment came from, for messages: a file path or "the built-in sandbox".
    pub(crate) source: String,
    /// The configured resolver, caching by TTL, for probes and the load generator.
    pub(crate) resolver: Resolver,
    /// The DNS checks' vantage points, found on first use.
    pub(crate) dns: tokio::sync::OnceCell<Vantages>,
    /// The records as resolved once in this run, shared by the DNS scenarios.
    pub(crate) views: Mutex<BTreeMap<RecordLabel, NameView>>,
    /// CA certificates trusted beside the system's (`tls.ca_pem`, `tls.ca_file`).
    pub(crate) tls_roots: Vec<CertificateDer<'static>>,
    /// What performs a rolling restart, when the environment says how.
    pub(crate) restart: Option<Arc<dyn RestartDriver>>,
    /// Becomes `Some` on Ctrl-C, SIGTERM or the run's deadline: the step in flight is cut
    /// short, the rest of the run is not run; both are inconclusive.
    pub(crate) stop: tokio::sync::watch::Receiver<Option<Stop>>,
    /// Check outcomes by the step that judged them, until the collector takes them.
    pub(crate) outcomes: Mutex<Vec<(StepKey, Outcome)>>,
    /// The exported configuration (`[config]`), read on first use: none without `[config]`,
    /// the message when a file could not be read.
    pub(crate) config: OnceLock<Result<Option<Deployment>, String>>,
}

impl Context {
    /// What stopped the run, if it was stopped.
    pub(crate) fn stopped(&self) -> Option<Stop> {
        *self.stop.borrow()
    }

    /// `work`, unless the run is stopped first: then `work` is dropped (what it had in flight
    /// is cancelled) and the step ends inconclusive, saying it was cut short and why.
    pub(crate) async fn bounded<T>(&self, work: impl Future<Output = T>) -> T {
        let started = Instant::now();
        let mut stop = self.stop.clone();
        let stopped = async move {
            match stop.wait_for(Option::is_some).await.ok().and_then(|s| *s) {
                Some(stop) => stop,
                // The run's signal task is gone: nothing can stop it any more.
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            stop = stopped => inconclusive(stop.cut_short(started.elapsed())),
            out = work => out,
        }
    }

    /// The DNS vantage points, found on first use (discovery asks the resolvers).
    pub(crate) async fn dns_vantages(&self) -> &Vantages {
        self.dns
            .get_or_init(|| Vantages::for_environment(&self.env))
            .await
    }

    /// `label`'s record as resolved in this run (resolved now if it was not yet).
    pub(crate) async fn resolve(&self, label: RecordLabel) -> NameView {
        if let Some(view) = self.views.lock().expect("views lock").get(&label) {
            return view.clone();
        }
        let view = self.resolve_fresh(label).await;
        self.views
            .lock()
            .expect("views lock")
            .insert(label, view.clone());
        view
    }

    /// `label`'s record resolved now, from every vantage point.
    pub(crate) async fn resolve_fresh(&self, label: RecordLabel) -> NameView {
        let vantages = self.dns_vantages().await;
        if vantages.resolvers.is_empty() {
            inconclusive(
                "no resolver to ask: /etc/resolv.conf names none; set dns.nameservers".into(),
            );
        }
        NameView::resolve(
            &self.env.record(label),
            &vantages.all(),
            self.env.dns.timeout.get(),
        )
        .await
    }

    /// `label`'s endpoint as a probe target.
    pub(crate) fn target(&self, label: RecordLabel) -> netconform_probe::Target {
        netconform_probe::Target::for_environment(&self.env, label, self.tls_roots.clone())
    }

    /// The exported configuration `[config]` names, read once: `Ok(None)` without `[config]`,
    /// `Err` (the message, naming the file) when it could not be read.
    pub(crate) fn config(&self) -> &Result<Option<Deployment>, String> {
        self.config.get_or_init(|| {
            if self.env.config.is_empty() {
                return Ok(None);
            }
            netconform_config::load(&self.env.config, &self.env.base_dir)
                .map(Some)
                .map_err(|e| format!("{}: [config] failed to {e}", self.source))
        })
    }

    /// A record resolved earlier in this run.
    pub(crate) fn view(&self, label: RecordLabel) -> NameView {
        match self.views.lock().expect("views lock").get(&label) {
            Some(view) => view.clone(),
            None => inconclusive(format!(
                "{} was not resolved before this step",
                self.env.record(label)
            )),
        }
    }
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
    /// A scenario ended before its steps by policy (skipped) or by the profile (not
    /// applicable): what keeps it from running, and how to run it.
    pub(crate) gap: Option<netconform_model::Gap>,
}

#[derive(cucumber::World)]
#[world(init = Self::new)]
pub(crate) struct NetWorld {
    ctx: Option<Arc<Context>>,
    /// The running scenario's feature name and line, to key outcomes.
    scenario: (String, usize),
    /// The records the last DNS step resolved ("it", "their").
    pub(crate) resolved: Vec<RecordLabel>,
    /// The outcome of the last probe step, judged by the next Then.
    pub(crate) probed: Option<Outcome>,
    /// Load started by a Given step, finished by the restart step.
    pub(crate) load: Option<Load>,
    pub(crate) drain: Option<netconform_drain::DrainRun>,
}

impl fmt::Debug for NetWorld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetWorld")
            .field("resolved", &self.resolved)
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
            resolved: Vec::new(),
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
            Some(ctx) => match ctx.stopped() {
                Some(stop) => inconclusive(stop.not_run()),
                None => Arc::clone(ctx),
            },
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
        self.ctx
            .as_ref()
            .expect("a judged step has its context")
            .outcomes
            .lock()
            .expect("outcomes lock")
            .push((key, outcome));
        if matches!(verdict, Verdict::Fail | Verdict::Inconclusive) {
            std::panic::panic_any(StepFailure {
                verdict,
                reason,
                gap: None,
            });
        }
    }
}

/// Ends the step as inconclusive: the tool could not measure.
pub(crate) fn inconclusive(reason: String) -> ! {
    std::panic::panic_any(StepFailure {
        verdict: Verdict::Inconclusive,
        reason,
        gap: None,
    })
}
