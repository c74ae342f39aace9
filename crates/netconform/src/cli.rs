//! The command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use netconform_model::HumanDuration;
use netconform_sandbox::Variant;

use crate::reference::Exposure;

/// Proves a self-hosted Pulumi Cloud deployment is wired the way the networking guide says:
/// DNS, health checks through the load balancer, and rolling restarts that drop no request.
///
/// Exit codes: 0 conformant (scenarios skipped by policy are shown, not failed), 1 not
/// conformant, 2 usage or environment-file error (nothing was checked), 3 inconclusive (the
/// tool could not measure).
#[derive(Debug, Parser)]
#[command(name = "netconform", version)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the conformance features against an environment (the built-in sandbox without
    /// --env) and print a verdict per scenario.
    Verify(VerifyArgs),
    /// Run the sandbox deployment in the foreground and write an environment file pointing at
    /// it, for `verify --env` from another terminal. Stops on Ctrl-C.
    Sandbox(SandboxArgs),
    /// Trigger a rolling restart of a running sandbox and print its events (the restart
    /// command of the environment file `netconform sandbox` writes).
    #[command(hide = true)]
    SandboxRestart(SandboxRestartArgs),
    /// Run one API replica in the foreground (what the container test bed runs in each API
    /// container); SIGTERM stops it.
    #[command(hide = true)]
    Replica(ReplicaArgs),
    /// Read the deployment's configuration from the live AWS account (through the AWS CLI,
    /// with your credentials) and the cluster (through kubectl), scoped to it from the
    /// domain, into files `[config] aws` and `kubernetes` read, with collected.json listing
    /// every call. Prints the [config] lines to use.
    Collect(CollectArgs),
    /// Merge the reports of several vantage points (a run per zone, per runner) into one:
    /// every scenario shows each vantage point's verdict and evidence, and passes only when
    /// it passes from every vantage point that ran it. Exit codes as for verify.
    Merge(MergeArgs),
    /// What changed between two runs of one environment (two report.json files): per
    /// scenario newly failing, fixed, failing for a different reason, newly not checked (and
    /// why), and the evidence that moved (DNS answers and TTLs, addresses, certificates,
    /// settings, the rolling restart's failures and p99); timings are never a change. Exit
    /// codes: 0 no new failure, 1 a new failure, 2 the reports do not compare or cannot be
    /// read.
    Diff(DiffArgs),
    /// Make the container test bed's image when it is missing (what `cargo xtask images`
    /// runs).
    #[command(hide = true)]
    TestbedImages(TestbedImagesArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CollectArgs {
    /// The environment file: its domain (and dns.load_balancer) start the discovery; its
    /// config.collect says what to read (default: the AWS account), config.region,
    /// config.profile and config.aws_cli how to call the AWS CLI, config.context,
    /// config.namespace and config.kubectl how to call kubectl.
    #[arg(long, value_name = "FILE")]
    pub(crate) env: PathBuf,
    /// Where to write: DIR/aws/*.json, DIR/kubernetes/objects.json and DIR/collected.json.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct TestbedImagesArgs {
    /// Only say whether the image exists: exit 0 when it does, 1 when it is missing (3 when
    /// Docker cannot be reached).
    #[arg(long)]
    pub(crate) check: bool,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Environment file to verify (TOML, see docs/environment.md). Without it, the built-in
    /// sandbox deployment is started and verified.
    #[arg(long, value_name = "FILE")]
    pub(crate) env: Option<PathBuf>,
    /// Break the built-in sandbox (or, with --testbed, the test bed) on purpose, to watch a
    /// check fail; only without --env.
    #[arg(long = "break", value_name = "VARIANT", conflicts_with = "env")]
    pub(crate) broken: Option<String>,
    /// How the built-in sandbox's exported configuration exposes the API: ingress (an Ingress
    /// of the AWS Load Balancer Controller, the default) or gateway-api (the Kubernetes
    /// Gateway API with the controller's ALB gateway); only without --env and --testbed.
    #[arg(long, value_enum, value_name = "HOW", conflicts_with_all = ["env", "testbed"])]
    pub(crate) exposure: Option<Exposure>,
    /// Verify the container test bed instead (real HAProxy, BIND and API containers in
    /// Docker, see docs/testbed.md); it is torn down at the end.
    #[arg(long, conflicts_with = "env")]
    pub(crate) testbed: bool,
    /// Run only the scenarios whose tags match this expression, e.g. '@dns' or
    /// 'not @disruptive'.
    #[arg(long, value_name = "EXPR")]
    pub(crate) tags: Option<String>,
    #[command(flatten)]
    pub(crate) out: Outputs,
    /// Where this run is made from, named in report.json (`vantage`) so `netconform merge`
    /// can put runs from several zones or runners side by side. Default: the host name.
    #[arg(long, value_name = "NAME")]
    pub(crate) vantage: Option<String>,
    /// Run the @disruptive scenarios (the rolling restart) against an environment file whose
    /// drain.enabled is not true; without either they are reported as skipped by policy. The
    /// built-in sandbox always runs them.
    #[arg(long)]
    pub(crate) allow_disruptive: bool,
    /// Accept a drain.rate above 500 req/s or a drain.max_duration above 30m (the hard caps).
    #[arg(long)]
    pub(crate) override_caps: bool,
    /// Every scenario must run: one not checked for want of an input, or skipped by policy,
    /// fails the run (exit 1). Scenarios that do not apply to the deployment by its nature
    /// stay not applicable. Also `strict = true` in the environment file.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Read the features from this directory instead of the ones built into the binary.
    #[arg(long, value_name = "DIR")]
    pub(crate) features: Option<PathBuf>,
    /// Bound the whole run (e.g. 10m): what is still running then is cut short, what has not
    /// run is not run, both inconclusive with that reason; the reports are written. Also
    /// `timeout` in the environment file; this flag wins.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) timeout: Option<HumanDuration>,
    /// Compare the run, as it ends, with an earlier run's report.json of this environment:
    /// the summary and every report say what changed since (new failures, fixed, known).
    /// Also `baseline` in the environment file; this flag wins.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// A missing baseline file is a first run, not an error: the run says so and compares with
    /// nothing (for a scheduled run that keeps its last report as the next one's baseline).
    /// An unreadable baseline, or one of another environment, still stops the run. Also
    /// `baseline_optional = true` in the environment file.
    #[arg(long)]
    pub(crate) baseline_optional: bool,
    /// Which failures fail the run: any (the default), or only those the baseline did not
    /// have (new: the others are shown as known, and junit.xml marks them skipped with the
    /// reason). A failure is known only when its scenario, subject and reason match the
    /// baseline's. Without a baseline every failure fails the run. Waivers still apply and
    /// expire.
    #[arg(long, value_enum, default_value_t = FailOn::Any, value_name = "WHICH")]
    pub(crate) fail_on: FailOn,
}

/// Which failures fail a run compared with a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FailOn {
    Any,
    New,
}

impl From<FailOn> for netconform_model::diff::baseline::FailOn {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Any => Self::Any,
            FailOn::New => Self::New,
        }
    }
}

/// Where a run's verdict goes: stdout, the report files, metrics.
#[derive(Debug, Args)]
pub(crate) struct Outputs {
    /// Write junit.xml, report.json and report.html (and netconform.sarif when there are
    /// configuration findings) into this directory (each whole or not at all: a temporary
    /// file, then a rename).
    #[arg(long, value_name = "DIR")]
    pub(crate) report_dir: Option<PathBuf>,
    /// What goes to stdout: the summary for people (text; colours on a terminal only), or
    /// report.json for scripts (json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Nothing on stderr but errors; with --format text, stdout has only the failures, the
    /// scenarios skipped by policy and the verdict.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Write the run as Prometheus text exposition into FILE (whole or not at all), for
    /// node_exporter's textfile collector: a gauge per scenario, the run's start, duration
    /// and verdict, certificate expiry per address, restart failures by kind.
    #[arg(long, value_name = "FILE")]
    pub(crate) metrics: Option<PathBuf>,
    /// Push the same metrics to a Prometheus Pushgateway at URL (e.g.
    /// http://pushgateway:9091), grouped by job netconform, the environment and the vantage
    /// point; each run replaces its group.
    #[arg(long, value_name = "URL")]
    pub(crate) push: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// The report.json of each vantage point (`verify --vantage NAME --report-dir DIR`, or
    /// `verify --format json` output): of one environment, made by this netconform version.
    #[arg(required = true, value_name = "REPORT")]
    pub(crate) reports: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) out: Outputs,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The earlier run's report.json (`verify --report-dir DIR`, or `--format json` output).
    #[arg(value_name = "OLD")]
    pub(crate) old: PathBuf,
    /// The later run's report.json, of the same environment and netconform version.
    #[arg(value_name = "NEW")]
    pub(crate) new: PathBuf,
    /// Write diff.json (layout: docs/diff.schema.json) into this directory.
    #[arg(long, value_name = "DIR")]
    pub(crate) report_dir: Option<PathBuf>,
    /// What goes to stdout: the changes for people (text), or diff.json (json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

/// What `verify` prints on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// Break the sandbox on purpose.
    #[arg(long = "break", value_name = "VARIANT", value_parser = parse_variant)]
    pub(crate) variant: Option<Variant>,
    /// How the sandbox's exported configuration exposes the API: ingress (an Ingress of the
    /// AWS Load Balancer Controller, the default) or gateway-api (the Kubernetes Gateway API
    /// with the controller's ALB gateway).
    #[arg(long, value_enum, value_name = "HOW")]
    pub(crate) exposure: Option<Exposure>,
    /// Write the environment file here (default: print it).
    #[arg(long, value_name = "FILE")]
    pub(crate) env_out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SandboxRestartArgs {
    /// The sandbox's rolling-restart URL.
    pub(crate) url: String,
}

fn parse_variant(text: &str) -> Result<Variant, String> {
    text.parse()
}

/// What `--break` breaks: the sandbox, or with `--testbed` the test bed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Broken {
    Sandbox(Option<Variant>),
    Testbed(Option<netconform_testbed::Variant>),
}

impl VerifyArgs {
    /// The deployment `--break` names, read as the sandbox's or (with `--testbed`) the test
    /// bed's variant; `Err` is the message (an unknown variant, with the list).
    pub(crate) fn broken(&self) -> Result<Broken, String> {
        let Some(name) = &self.broken else {
            return Ok(if self.testbed {
                Broken::Testbed(None)
            } else {
                Broken::Sandbox(None)
            });
        };
        if self.testbed {
            name.parse().map(|v| Broken::Testbed(Some(v))).map_err(|e| {
                if name.parse::<Variant>().is_ok() {
                    format!("{name} is a variant of the built-in sandbox, not of the test bed: drop --testbed")
                } else {
                    e
                }
            })
        } else {
            name.parse().map(|v| Broken::Sandbox(Some(v))).map_err(|e| {
                if name.parse::<netconform_testbed::Variant>().is_ok() {
                    format!("{name} is a variant of the test bed: add --testbed")
                } else {
                    e
                }
            })
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct ReplicaArgs {
    /// What the x-instance header says.
    #[arg(long)]
    pub(crate) id: String,
    /// What the x-zone header says.
    #[arg(long)]
    pub(crate) zone: String,
    #[arg(long, default_value = "0.0.0.0:8080")]
    pub(crate) listen: SocketAddr,
    /// Answer HAProxy's agent check here: `ready up`, then `drain` from SIGTERM on.
    #[arg(long)]
    pub(crate) agent: Option<SocketAddr>,
    /// On SIGTERM, keep serving this long (answering `Connection: close`, the agent saying
    /// `drain`) before failing /api/status, finishing in-flight requests and exiting.
    #[arg(long, default_value = "1500ms", value_parser = parse_duration)]
    pub(crate) drain_delay: HumanDuration,
    /// Exit at once on SIGTERM, dropping in-flight requests (no graceful shutdown).
    #[arg(long)]
    pub(crate) exit_on_sigterm: bool,
}

fn parse_duration(text: &str) -> Result<HumanDuration, String> {
    HumanDuration::parse(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod fuzz {
    //! The command line never panics: any sequence of the real flags, subcommands and
    //! values of any shape parses or is a usage error clap explains (256 cases; set
    //! PROPTEST_CASES for more).

    use clap::Parser as _;
    use proptest::prelude::*;

    use super::{Cli, Command};

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "verify",
                "sandbox",
                "sandbox-restart",
                "replica",
                "testbed-images",
                "--env",
                "--break",
                "--testbed",
                "--tags",
                "--report-dir",
                "--format",
                "--quiet",
                "-q",
                "--allow-disruptive",
                "--override-caps",
                "--strict",
                "--features",
                "--timeout",
                "--check",
                "--write",
                "--help",
                "--version",
                "json",
                "text",
                "@dns",
                "not @disruptive",
                "(",
                "10m",
                "0s",
                "99999999999999999999h",
                "status-500",
                "no-app-record",
                "dns-app-missing",
                "-",
                "--",
                "=",
            ])
            .prop_map(str::to_owned),
            "[ -~]{0,12}",
            "\\PC{0,8}",
        ]
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn any_arguments_parse_or_are_a_usage_error(args in prop::collection::vec(word(), 0..8)) {
            let argv = std::iter::once("netconform".to_owned()).chain(args);
            match Cli::try_parse_from(argv) {
                Ok(cli) => {
                    if let Command::Verify(verify) = &cli.command {
                        // What verify checks before it runs: --break names a variant.
                        let _ = verify.broken();
                    }
                }
                Err(e) => {
                    let text = e.to_string();
                    prop_assert!(!text.is_empty());
                }
            }
        }
    }
}
