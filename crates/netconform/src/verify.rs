//! `netconform verify`: open the environment's source (a file, the sandbox or the test bed,
//! `source`), settle what it allows (`policy`, the waivers), run the features, write the
//! reports, print the verdict.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::{World as _, WriterExt as _, cli as cucumber_cli};
use futures::FutureExt as _;
use netconform_drain::RestartDriver;
use netconform_model::dates::{Date, rfc3339_utc};
use netconform_model::merge::Part;
use netconform_model::{Environment, RunReport, Stop, exit, run::REPORT_SCHEMA_VERSION};
use netconform_net::{Caching, Resolver};
use netconform_sandbox::Sandbox;
use netconform_testbed::Teardown;
use rustls::pki_types::CertificateDer;
use tokio::sync::watch;

use crate::cli::{Broken, VerifyArgs};
use crate::collector::{Collected, Collector};
use crate::features::{FeatureDir, check_waivers};
use crate::policy::DisruptivePolicy;
use crate::report_error;
use crate::source::Source;
use crate::world::{Context, NetWorld};

pub(crate) async fn run(args: VerifyArgs) -> i32 {
    let started = Instant::now();
    let started_at = rfc3339_utc(SystemTime::now());
    crate::set_quiet(args.out.quiet);
    let (tags, broken) = match usage(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            report_error(&message);
            return exit::USAGE;
        }
    };
    let features = match FeatureDir::prepare(args.features.as_deref()) {
        Ok(dir) => dir,
        Err(e) => {
            report_error(&format!("failed to prepare the features: {e}"));
            return exit::USAGE;
        }
    };
    let (source, mut env) = match Source::open(&args, broken).await {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    // `[config] collect`: the configuration read from the live account first; the files
    // stay in the report directory (the evidence holds what was judged), else until the end.
    let _collected =
        match crate::collect_cmd::before_verify(&mut env, args.out.report_dir.as_deref()).await {
            Ok(dir) => dir,
            Err(message) => {
                report_error(&message);
                return exit::INCONCLUSIVE;
            }
        };
    let (policy, tls_roots) = match settle(&args, &source, &env, &features) {
        Ok(settled) => settled,
        Err(message) => {
            report_error(&message);
            return exit::USAGE;
        }
    };
    let baseline = match read_baseline(&args, &env) {
        Ok(baseline) => baseline,
        Err(message) => {
            report_error(&message);
            return exit::USAGE;
        }
    };
    let strict = args.strict || env.strict;
    let waivers = env.waivers.clone();
    let limit = args
        .timeout
        .map(|t| t.get())
        .or(env.timeout.map(|t| t.get()));
    let (stopper, stop) = watch::channel(None);
    let ctx = match context(env, source.name(), source.sandbox(), tls_roots, stop) {
        Ok(ctx) => Arc::new(ctx),
        Err(message) => {
            report_error(&message);
            return exit::INCONCLUSIVE;
        }
    };
    let stopper = Arc::new(stopper);
    on_signals(Arc::clone(&stopper), source.teardown());
    on_deadline(Arc::clone(&stopper), limit);
    if let Ok(texts) = features.texts() {
        crate::worst_case::announce(&ctx.env, &texts, limit);
    }
    let collected = run_features(&ctx, policy, tags, &features).await;
    let mut report = RunReport {
        schema_version: REPORT_SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        started_at,
        environment: ctx.env.display_name(),
        domain: ctx.env.domain.to_string(),
        source: ctx.source.clone(),
        settings: netconform_model::redact::environment(&ctx.env),
        scenarios: collected.scenarios,
        errors: collected.errors,
        interrupted: ctx.stopped().is_some(),
        stopped: ctx.stopped().map(|s| s.to_string()),
        duration_s: started.elapsed().as_secs_f64(),
        strict,
        expired_waivers: Vec::new(),
        vantage: Some(vantage(args.vantage.as_deref())),
        vantages: Vec::new(),
        baseline: None,
    };
    report.apply_waivers(&waivers, Date::of(SystemTime::now()));
    netconform_model::redact::report(&mut report);
    // After redaction: the baseline's report was redacted when it was written.
    if let Some(part) = &baseline
        && let Err(why) = report.compare_with(part, args.fail_on.into())
    {
        report
            .errors
            .push(format!("the baseline does not compare: {why}"));
    }
    // Ends the sandbox, or removes the test bed, before the verdict is printed.
    drop(source);
    crate::outputs::finish(&report, &args.out).await
}

/// The baseline report, read before the run (`--baseline`, else the environment file's
/// `baseline`, relative to the file), so a missing or unreadable one stops the run at once;
/// with `--baseline-optional` (`baseline_optional`) a missing one is a first run, said so.
fn read_baseline(args: &VerifyArgs, env: &Environment) -> Result<Option<Part>, String> {
    let optional = args.baseline_optional || env.baseline_optional;
    let path = match (&args.baseline, &env.baseline) {
        (Some(given), _) => given.clone(),
        (None, Some(named)) => env.resolve_path(named),
        (None, None) if optional => {
            return Err(
                "--baseline-optional (baseline_optional) names no baseline: give --baseline FILE or baseline = \"...\" in the environment file".to_owned(),
            );
        }
        (None, None) => return Ok(None),
    };
    if optional && !path.exists() {
        crate::note(&format!(
            "no baseline yet: {} does not exist, so this run compares with nothing (a first run); its report.json can be the next run's baseline",
            path.display()
        ));
        return Ok(None);
    }
    crate::merge_cmd::read(&path).map(Some)
}

/// The run's vantage point: `--vantage`, else the host name (`localhost` when unknown).
fn vantage(given: Option<&str>) -> String {
    if let Some(name) = given {
        return name.to_owned();
    }
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// The command line's own errors: `--tags` that is no tag expression, `--break` naming no
/// variant (of the sandbox, or with `--testbed` of the test bed).
fn usage(args: &VerifyArgs) -> Result<(Option<TagOperation>, Broken), String> {
    let tags = match args.tags.as_deref().map(str::parse::<TagOperation>) {
        None => None,
        Some(Ok(op)) => Some(op),
        Some(Err(e)) => {
            return Err(format!(
                "--tags {:?} is not a tag expression ({e}); write tags with their @, e.g. '@dns' or 'not @disruptive'",
                args.tags.clone().unwrap_or_default()
            ));
        }
    };
    let broken = args
        .broken()
        .map_err(|message| format!("--break: {message}"))?;
    Ok((tags, broken))
}

/// What the environment allows, checked before anything runs: every waiver names a scenario
/// or recommendation of the features, the disruptive scenarios' policy and caps, the CAs to
/// trust. `Err` is a usage error.
fn settle(
    args: &VerifyArgs,
    source: &Source,
    env: &Environment,
    features: &FeatureDir,
) -> Result<(DisruptivePolicy, Vec<CertificateDer<'static>>), String> {
    if let Some(path) = source.file() {
        let known = features
            .scenarios()
            .map_err(|e| format!("failed to read the features: {e}"))?;
        check_waivers(env, &known, path).map_err(|e| e.to_string())?;
    }
    // Disruptive scenarios run against the sandbox and the test bed, or when the environment
    // or the command line allows them; within the hard caps unless told otherwise.
    let name = source.name();
    let policy = DisruptivePolicy::decide(env, args, source.ours(), &name)?;
    let roots = tls_roots(env, &name)?;
    Ok((policy, roots))
}

/// Ctrl-C and SIGTERM stop the run: the step in flight is cut short, the rest is not run,
/// the reports are written. A second signal exits at once (removing the test bed first).
fn on_signals(stopper: Arc<watch::Sender<Option<Stop>>>, teardown: Option<Teardown>) {
    tokio::spawn(async move {
        let mut signals = crate::signals::Signals::listen();
        if let Some(name) = signals.next().await {
            crate::note(&format!(
                "\ninterrupted ({name}): stopping what runs, then writing the reports (Ctrl-C again to quit now)"
            ));
            stop(&stopper, Stop::Signal(name));
            if signals.next().await.is_some() {
                if let Some(teardown) = &teardown {
                    teardown.now();
                }
                std::process::exit(exit::INCONCLUSIVE);
            }
        }
    });
}

/// The run-wide deadline (`--timeout`, `timeout`): reached, it stops the run as a signal
/// does, and what was cut off is inconclusive with that reason.
fn on_deadline(stopper: Arc<watch::Sender<Option<Stop>>>, limit: Option<Duration>) {
    let Some(limit) = limit else { return };
    tokio::spawn(async move {
        tokio::time::sleep(limit).await;
        if stop(&stopper, Stop::Deadline(limit)) {
            crate::note(&format!(
                "\n{}: stopping what runs, then writing the reports",
                Stop::Deadline(limit)
            ));
        }
    });
}

/// Stops the run for `why`, unless it was stopped already; whether it was this call.
fn stop(stopper: &watch::Sender<Option<Stop>>, why: Stop) -> bool {
    stopper.send_if_modified(|stop| {
        let first = stop.is_none();
        if first {
            *stop = Some(why);
        }
        first
    })
}

/// Runs the features, one scenario at a time in file order, and collects what they found.
async fn run_features(
    ctx: &Arc<Context>,
    policy: DisruptivePolicy,
    tags: Option<TagOperation>,
    features: &FeatureDir,
) -> Collected {
    let (collector, collected) = Collector::new(Arc::clone(ctx));
    let hook_ctx = Arc::clone(ctx);
    let opts = cucumber_cli::Opts::<_, _, _, cucumber_cli::Empty> {
        tags_filter: tags,
        ..Default::default()
    };
    NetWorld::cucumber()
        .max_concurrent_scenarios(1)
        // File order, always (cucumber would otherwise run @serial scenarios first).
        .which_scenario(|_, _, _| cucumber::ScenarioType::Concurrent)
        .before(move |feature, rule, scenario, world| {
            world.start(Arc::clone(&hook_ctx), &feature.name, scenario.position.line);
            let tags = feature
                .tags
                .iter()
                .chain(rule.iter().flat_map(|r| r.tags.iter()))
                .chain(scenario.tags.iter());
            policy.check(tags);
            async {}.boxed_local()
        })
        .with_writer(collector.normalized())
        .fail_on_skipped()
        .with_cli(opts)
        .run(features.path())
        .await;
    std::mem::take(&mut *collected.lock().expect("collector lock"))
}

/// The CA certificates the environment trusts beside the system's.
fn tls_roots(env: &Environment, source: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let file = env.tls.ca_file.as_ref().map(|f| env.resolve_path(f));
    netconform_net::tls::extra_roots(env.tls.ca_pem.as_deref(), file.as_deref()).map_err(|e| {
        format!("{source}: [tls] failed to {e}; point tls.ca_file at a PEM file of CA certificates")
    })
}

fn context(
    env: Environment,
    source: String,
    sandbox: Option<Arc<Sandbox>>,
    tls_roots: Vec<CertificateDer<'static>>,
    stop: watch::Receiver<Option<Stop>>,
) -> Result<Context, String> {
    let resolver =
        Resolver::for_environment(&env.dns, Caching::On).map_err(|e| format!("failed to {e}"))?;
    let restart: Option<Arc<dyn RestartDriver>> = match (&sandbox, &env.drain.restart) {
        (Some(sandbox), _) => Some(Arc::new(crate::drivers::SandboxRestart(Arc::clone(
            sandbox,
        )))),
        (None, Some(restart)) => Some(netconform_drain::restart_driver(restart, &env)),
        (None, None) => None,
    };
    Ok(Context {
        env,
        source,
        resolver,
        dns: tokio::sync::OnceCell::new(),
        tls_roots,
        stop,
        views: Mutex::new(BTreeMap::new()),
        restart,
        outcomes: Mutex::new(Vec::new()),
        config: std::sync::OnceLock::new(),
    })
}
