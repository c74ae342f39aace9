//! `netconform verify`: load the environment (or start the sandbox), run the features, write
//! the reports, print the verdict.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::{World as _, WriterExt as _, cli as cucumber_cli};
use futures::FutureExt as _;
use netconform_drain::RestartDriver;
use netconform_model::environment::Profile;
use netconform_model::values::Date;
use netconform_model::{
    EnvError, Environment, RunReport, Verdict, exit, run::REPORT_SCHEMA_VERSION,
};
use netconform_net::{Caching, Resolver};
use netconform_sandbox::{Sandbox, SandboxConfig};
use rustls::pki_types::CertificateDer;

use crate::cli::{Format, VerifyArgs};
use crate::collector::Collector;
use crate::features::FeatureDir;
use crate::reference::ReferenceConfig;
use crate::report_error;
use crate::world::{Context, NetWorld, StepFailure};

pub(crate) async fn run(args: VerifyArgs) -> i32 {
    let started = Instant::now();
    let started_at = rfc3339_utc(SystemTime::now());
    crate::set_quiet(args.quiet);
    let tags = match args.tags.as_deref().map(str::parse::<TagOperation>) {
        None => None,
        Some(Ok(op)) => Some(op),
        Some(Err(e)) => {
            report_error(&format!(
                "--tags {:?} is not a tag expression ({e}); write tags with their @, e.g. '@dns' or 'not @disruptive'",
                args.tags.unwrap_or_default()
            ));
            return exit::USAGE;
        }
    };
    let broken = match args.broken() {
        Ok(broken) => broken,
        Err(message) => {
            report_error(&format!("--break: {message}"));
            return exit::USAGE;
        }
    };
    let sandbox_variant = match broken {
        crate::cli::Broken::Sandbox(v) => v,
        crate::cli::Broken::Testbed(_) => None,
    };
    let features = match FeatureDir::prepare(args.features.as_deref()) {
        Ok(dir) => dir,
        Err(e) => {
            report_error(&format!("failed to prepare the features: {e}"));
            return exit::USAGE;
        }
    };

    // The environment: a file, the container test bed, or the built-in sandbox.
    let mut sandbox = None;
    let mut reference = None;
    let mut testbed = None;
    let (env, source) = match &args.env {
        None if args.testbed => match crate::testbed_cmd::start(match broken {
            crate::cli::Broken::Testbed(v) => v,
            crate::cli::Broken::Sandbox(_) => None,
        })
        .await
        {
            Ok(bed) => {
                let env = bed.environment().clone();
                testbed = Some(bed);
                (env, "the container test bed".to_owned())
            }
            Err(code) => return code,
        },
        Some(path) => match load_environment(path) {
            Ok(env) => (env, path.display().to_string()),
            Err(message) => {
                report_error(&message);
                return exit::USAGE;
            }
        },
        None => {
            let config = SandboxConfig {
                variant: sandbox_variant,
                ..SandboxConfig::default()
            };
            match Sandbox::start(config).await {
                Ok(s) => {
                    let mut env = s.environment().clone();
                    // The sandbox's configuration evidence: the reference corpus.
                    match ReferenceConfig::write(
                        "verify",
                        sandbox_variant == Some(netconform_sandbox::Variant::StockEksConfig),
                    ) {
                        Ok(config) => {
                            config.apply(&mut env);
                            reference = Some(config);
                        }
                        Err(e) => {
                            report_error(&format!(
                                "failed to write the sandbox's reference configuration: {e}"
                            ));
                            return exit::INCONCLUSIVE;
                        }
                    }
                    sandbox = Some(Arc::new(s));
                    (env, "the built-in sandbox".to_owned())
                }
                Err(e) => {
                    report_error(&format!("failed to {e}"));
                    return exit::INCONCLUSIVE;
                }
            }
        }
    };

    // Every waiver names a scenario or recommendation of the features.
    if let Some(path) = &args.env {
        match features.scenarios() {
            Ok(known) => {
                if let Err(e) = check_waivers(&env, &known, path) {
                    report_error(&e.to_string());
                    return exit::USAGE;
                }
            }
            Err(e) => {
                report_error(&format!("failed to read the features: {e}"));
                return exit::USAGE;
            }
        }
    }

    // Disruptive scenarios run against the sandbox and the test bed, or when the environment
    // or the command line allows them; within the hard caps unless told otherwise.
    let ours = sandbox.is_some() || testbed.is_some();
    let policy = match DisruptivePolicy::decide(&env, &args, ours, &source) {
        Ok(policy) => policy,
        Err(message) => {
            report_error(&message);
            return exit::USAGE;
        }
    };
    let strict = args.strict || env.strict;
    let waivers = env.waivers.clone();
    let tls_roots = match tls_roots(&env, &source) {
        Ok(roots) => roots,
        Err(message) => {
            report_error(&message);
            return exit::USAGE;
        }
    };
    let (interrupter, interrupt) = tokio::sync::watch::channel(false);
    let ctx = match context(env, source, sandbox.clone(), tls_roots, interrupt) {
        Ok(ctx) => Arc::new(ctx),
        Err(message) => {
            report_error(&message);
            return exit::INCONCLUSIVE;
        }
    };
    if let Some(s) = &sandbox {
        let broken = s
            .variant()
            .map(|v| format!(" (broken: {v}, {})", v.description()));
        crate::note(&format!(
            "sandbox{}: {}",
            broken.unwrap_or_default(),
            s.topology()
        ));
    }

    // Ctrl-C: long steps stop and the rest of the run ends inconclusive; the report is still
    // written. A second Ctrl-C exits at once (removing the test bed first).
    let teardown = testbed.as_ref().map(netconform_testbed::Testbed::teardown);
    tokio::spawn({
        let interrupter = interrupter;
        async move {
            let mut signals = crate::signals::Signals::listen();
            if signals.next().await {
                crate::note(
                    "\ninterrupted: stopping the load and the restart, then writing the report (Ctrl-C again to quit now)",
                );
                let _ = interrupter.send(true);
                if signals.next().await {
                    if let Some(teardown) = &teardown {
                        teardown.now();
                    }
                    std::process::exit(exit::INCONCLUSIVE);
                }
            }
        }
    });
    let (collector, collected) = Collector::new(Arc::clone(&ctx));
    let hook_ctx = Arc::clone(&ctx);
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

    let collected = std::mem::take(&mut *collected.lock().expect("collector lock"));
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
        interrupted: *ctx.interrupt.borrow(),
        duration_s: started.elapsed().as_secs_f64(),
        strict,
        expired_waivers: Vec::new(),
    };
    report.apply_waivers(&waivers, today());
    netconform_model::redact::report(&mut report);
    drop(sandbox);
    drop(reference);
    drop(testbed);
    finish(&report, &args)
}

/// Each waiver names a scenario of the features, or a recommendation one of them checks;
/// else it is an environment-file error at the waiver's place.
fn check_waivers(
    env: &Environment,
    known: &[crate::features::ScenarioName],
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

/// Today, in UTC: the last day a waiver with that `until` holds.
fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_unix_seconds(secs)
}

/// Which scenarios this run ends before their steps: the disruptive ones when the API may not
/// be restarted (skipped by policy), those of production-only recommendations under
/// `profile = "staging"` (not applicable).
#[derive(Debug, Clone)]
struct DisruptivePolicy {
    /// `None`: allowed; `Some(reason)`: skipped by policy, for this reason.
    skip: Option<String>,
    profile: Profile,
}

impl DisruptivePolicy {
    /// Allowed on the sandbox and the test bed (`ours`), with `--allow-disruptive`, or with `drain.enabled = true`;
    /// `Err` when allowed but above the hard caps without `--override-caps`.
    fn decide(
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
    fn check<'a>(&self, tags: impl Iterator<Item = &'a String>) {
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

/// `time` as RFC 3339 in UTC, to the second: "2026-11-20T10:00:00Z".
fn rfc3339_utc(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let rem = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_unix_seconds(secs),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Reads and checks an environment file; the error is the message to print.
pub(crate) fn load_environment(path: &Path) -> Result<Environment, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "failed to read the environment file {}: {e}; pass an existing TOML file (see envs/example.toml)",
            path.display()
        )
    })?;
    Environment::from_toml(&text, path).map_err(|e| {
        format!("{e}\n  (the environment file's keys are described in docs/environment.md)")
    })
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
    interrupt: tokio::sync::watch::Receiver<bool>,
) -> Result<Context, String> {
    let resolver =
        Resolver::for_environment(&env.dns, Caching::On).map_err(|e| format!("failed to {e}"))?;
    let restart: Option<Arc<dyn RestartDriver>> = match (&sandbox, &env.drain.restart) {
        (Some(sandbox), _) => Some(Arc::new(crate::drivers::SandboxRestart(Arc::clone(
            sandbox,
        )))),
        (None, Some(restart)) => Some(crate::drivers::for_environment(restart, &env)),
        (None, None) => None,
    };
    Ok(Context {
        env,
        source,
        resolver,
        dns: tokio::sync::OnceCell::new(),
        tls_roots,
        interrupt,
        views: Mutex::new(BTreeMap::new()),
        restart,
        outcomes: Mutex::new(Vec::new()),
        config: std::sync::OnceLock::new(),
    })
}

/// Writes the reports, prints the summary (or report.json), returns the exit code.
#[expect(clippy::print_stdout, reason = "the verdict is the command's output")]
fn finish(report: &RunReport, args: &VerifyArgs) -> i32 {
    let color = std::io::stdout().is_terminal();
    let out = match (args.format, args.quiet) {
        (Format::Json, _) => netconform_report::json(report),
        (Format::Text, false) => netconform_report::console(report, color),
        (Format::Text, true) => netconform_report::console_quiet(report, color),
    };
    print!("{out}");
    if let Some(dir) = args.report_dir.as_deref() {
        let written = std::fs::create_dir_all(dir).and_then(|()| {
            write_atomic(&dir.join("report.json"), &netconform_report::json(report))?;
            write_atomic(&dir.join("junit.xml"), &netconform_report::junit(report))?;
            if let Some(sarif) = netconform_report::sarif(report) {
                write_atomic(&dir.join("netconform.sarif"), &sarif)?;
            }
            write_atomic(&dir.join("report.html"), &netconform_report::html(report))
        });
        if let Err(e) = written {
            report_error(&format!(
                "failed to write the reports into {}: {e}",
                dir.display()
            ));
            return exit::INCONCLUSIVE;
        }
    }
    report.exit_code()
}

/// Writes `path` whole or not at all: a temporary file in the same directory, then a rename.
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    #[test]
    fn timestamps_are_rfc3339_utc() {
        for (secs, expected) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_795_176_000, "2026-11-20T12:00:00Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
        ] {
            let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(super::rfc3339_utc(time), expected, "{secs}");
        }
    }
}
