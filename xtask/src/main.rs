//! `cargo xtask`: the project's tasks, in Rust (matklad's cargo-xtask).
//!
//! - `verify [ARGS]`: build the netconform binary (release) and run `netconform verify ARGS`;
//!   with no `--env` that verifies the built-in sandbox, with `--testbed` the container test
//!   bed (its image made first when it is missing, as `images` does).
//! - `collect ARGS`, `merge ARGS`, `diff ARGS`, `sandbox ARGS`: `netconform
//!   collect|merge|diff|sandbox ARGS`,
//!   built as `verify` builds it. Every task that builds netconform builds it as
//!   `cargo build --release -p netconform` does, with what `cargo run` set for xtask removed
//!   from the inner cargo's environment, so the two share one build.
//! - `test`: the project's tests (release profile, so they share the build with `verify`),
//!   after installing what they need that is missing (Debian packages: the test image's
//!   busybox, xmllint, Chromium, mmdebstrap; PyPI, pinned: moto's server and the AWS CLI, for
//!   collection), saying what it installs.
//! - `ci`: what CI runs: formatting, clippy with warnings denied, then `test`.
//! - `docs [--check]`: render features/ into docs/conformance.md (`--check`: fail when stale).
//! - `images`: make the container test bed's image when it is missing (installing mmdebstrap
//!   first when that is missing too); `verify --testbed` and the tests use it.
//!
//! Prints what it runs; exits with the code of what failed. Depends on std and, for the docs,
//! the model crate's list of the guide's recommendations.

mod docs;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        return usage();
    };
    let res = match task.as_str() {
        "verify" => verify(rest),
        "collect" => netconform("collect", rest),
        "merge" => netconform("merge", rest),
        "diff" => netconform("diff", rest),
        "sandbox" => netconform("sandbox", rest),
        "test" => test(rest),
        "ci" => ci(),
        "bench" => bench(rest),
        "docs" => docs::run(&workspace_root(), rest),
        "images" => images(),
        "-h" | "--help" | "help" => return usage(),
        other => {
            say(&format!("xtask: unknown task {other:?}"));
            return usage();
        }
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
    }
}

#[expect(clippy::print_stderr, reason = "xtask talks to its user on stderr")]
pub(crate) fn say(text: &str) {
    eprintln!("{text}");
}

fn usage() -> ExitCode {
    say("usage: cargo xtask <task>\n\n\
         tasks:\n  \
         verify [ARGS]   build netconform (release) and run `netconform verify ARGS`\n                  \
         (no --env: the built-in sandbox; see `cargo xtask verify --help`)\n  \
         collect ARGS    netconform collect ARGS: a deployment's configuration into files\n  \
         merge ARGS      netconform merge ARGS: several vantage points' reports into one verdict\n  \
         diff OLD NEW    netconform diff OLD NEW: what changed between two runs' report.json\n  \
         sandbox ARGS    netconform sandbox ARGS: the sandbox in the foreground\n  \
         test [ARGS]     run the project's tests (cargo test --workspace --release ARGS)\n  \
         ci              cargo fmt --check, clippy -D warnings, then test\n  \
         docs [--check]  render features/ into docs/conformance.md (--check: fail if it is stale)\n  \
         images          make the container test bed's image if it is missing (mmdebstrap, docker import)\n  \
         bench dns       DNS checks: the feature's wall time, queries/s against dig (installs bind9-dnsutils)\n  \
         bench probe     health and TLS checks: their wall time, HTTPS probes/s against curl\n  \
         bench drain     the load generator against nginx beside wrk and oha (installs them)");
    ExitCode::from(2)
}

/// What `cargo run` sets for the program it runs, here xtask itself (the `cargo xtask` alias
/// is a `cargo run`): the variables naming the xtask package, besides every `CARGO_PKG_*`.
/// An inner cargo must not inherit them: build scripts that declare
/// `rerun-if-env-changed` on them (ring's does, on `CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, the
/// `CARGO_PKG_VERSION_*`, ...) would see xtask's values where a user's shell has none, rerun,
/// and rebuild everything above them; the user's next `cargo build` then rebuilds it all back
/// (docs/benchmarks.md: "Builds that share their work").
const CARGO_RUN_ENV: [&str; 9] = [
    "CARGO",
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_RUSTC_CURRENT_DIR",
    "OUT_DIR",
];

/// Whether `cargo run` set `name` for xtask (and an inner cargo must not see it).
pub(crate) fn set_by_cargo_run(name: &str) -> bool {
    CARGO_RUN_ENV.contains(&name) || name.starts_with("CARGO_PKG_")
}

/// `cargo ARGS`, run as a user's shell would run it: the same cargo that runs xtask, without
/// what `cargo run` set for xtask (everything else, the user's own `CARGO_TARGET_DIR`,
/// `RUSTFLAGS`, `RUSTC_WRAPPER` and `RUSTUP_TOOLCHAIN` included, passes through).
fn cargo_command(args: &[&str]) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_by_cargo_run) {
            command.env_remove(name);
        }
    }
    command
}

/// Runs `cargo ARGS` from the workspace root; `Err(exit code)` when it fails.
fn cargo(args: &[&str]) -> Result<(), i32> {
    let mut command = cargo_command(args);
    command.current_dir(workspace_root());
    run_cargo(args, &mut command)
}

/// Runs `command`, `cargo ARGS`, saying so; `Err(exit code)` when it fails.
fn run_cargo(args: &[&str], command: &mut Command) -> Result<(), i32> {
    say(&format!("xtask: cargo {}", args.join(" ")));
    let status = command.status().map_err(|e| {
        say(&format!("xtask: could not run cargo: {e}"));
        1
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(status.code().unwrap_or(1))
    }
}

/// Runs `netconform COMMAND ARGS` in the user's directory (relative paths in ARGS are
/// theirs), built first as `cargo build --release -p netconform` builds it: the same units,
/// the one build `verify`, `collect`, `merge`, `diff`, `sandbox`, that command and `cargo xtask
/// test` share.
fn netconform(command: &str, args: &[String]) -> Result<(), i32> {
    let mut run = vec![
        "run",
        "--release",
        "--quiet",
        "--package",
        "netconform",
        "--",
        command,
    ];
    run.extend(args.iter().map(String::as_str));
    run_cargo(&run, &mut cargo_command(&run))
}

fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_owned()
}

fn verify(args: &[String]) -> Result<(), i32> {
    // The test bed runs on an image made on this machine: make it first (and what making it
    // needs), as `cargo xtask images` does, with its progress shown.
    if args.iter().any(|a| a == "--testbed") {
        images()?;
    }
    netconform("verify", args)
}

fn test(args: &[String]) -> Result<(), i32> {
    setup_tests()?;
    let mut run = vec!["test", "--workspace", "--release"];
    run.extend(args.iter().map(String::as_str));
    cargo(&run)
}

/// The test bed's image: made by `netconform testbed-images` (the same code `verify --testbed`
/// and the tests run), with mmdebstrap installed first when the image is missing and so is
/// mmdebstrap (an image that exists is used as is and needs nothing installed).
fn images() -> Result<(), i32> {
    if !command_exists("mmdebstrap") {
        match netconform("testbed-images", &["--check".to_owned()]) {
            Ok(()) => return Ok(()),
            // Missing: make it, with mmdebstrap.
            Err(1) => ensure_command("mmdebstrap", "mmdebstrap"),
            // No Docker (netconform said so) or no build: nothing to make it with.
            Err(code) => return Err(code),
        }
    }
    netconform("testbed-images", &[])
}

fn bench(args: &[String]) -> Result<(), i32> {
    match args.first().map(String::as_str) {
        Some("dns") => bench_dns(),
        Some("drain") => {
            ensure_command("nginx", "nginx-light");
            ensure_command("wrk", "wrk");
            if !command_exists("oha") {
                say("xtask: oha is missing; installing it with cargo install oha (a few minutes)");
                let _ = cargo(&["install", "--locked", "oha"]);
            }
            cargo(&["bench", "--package", "netconform-drain", "--bench", "drain"])
        }
        Some("probe") => {
            ensure_command("curl", "curl");
            cargo(&["bench", "--package", "netconform-probe", "--bench", "probe"])
        }
        Some("collect") => {
            setup_pypi()?;
            cargo(&[
                "bench",
                "--package",
                "netconform-collect",
                "--bench",
                "collect",
            ])
        }
        _ => {
            say("xtask: bench what? cargo xtask bench dns | probe | drain | collect");
            Err(2)
        }
    }
}

/// What the tests run beside the project, from Debian's packages: the command (or file) that
/// tells it is there, its package, and what needs it.
const TEST_TOOLS: [(&str, &str, &str); 7] = [
    (
        "/bin/busybox",
        "busybox-static",
        "the docker restart driver's test image",
    ),
    (
        "xmllint",
        "libxml2-utils",
        "junit.xml validated against the JUnit XSD",
    ),
    ("chromium", "chromium", "report.html rendered headless"),
    ("mmdebstrap", "mmdebstrap", "the container test bed's image"),
    (
        "promtool",
        "prometheus",
        "--metrics checked by promtool check metrics",
    ),
    (
        "prometheus-pushgateway",
        "prometheus-pushgateway",
        "--push sent to a real Pushgateway and read back",
    ),
    (
        "openssl",
        "openssl",
        "the certificate of the fake ARM the real az collects from",
    ),
];

/// What the tests run from PyPI, pinned: the package, its version, the command it brings,
/// and what needs it.
const TEST_PYPI: [(&str, &str, &str, &str); 2] = [
    (
        "moto[server]",
        "5.2.1",
        "moto_server",
        "the AWS API emulator collection is tested against",
    ),
    (
        "awscli",
        "1.45.11",
        "aws",
        "the AWS CLI collection drives (and the fixtures)",
    ),
];

/// Whether PyPI `package` is installed at `version` (pip's own answer).
fn pypi_has(package: &str, version: &str) -> bool {
    let name = package.split('[').next().unwrap_or(package);
    Command::new("python3")
        .args(["-m", "pip", "show", name])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == format!("Version: {version}"))
        })
}

/// Installs the pinned PyPI tools the tests need when missing (python3 and pip from Debian
/// first, when there is no pip).
fn setup_pypi() -> Result<(), i32> {
    let missing: Vec<String> = TEST_PYPI
        .iter()
        .filter(|(package, version, command, _)| {
            !(command_exists(command) && pypi_has(package, version))
        })
        .map(|(package, version, command, why)| {
            say(&format!(
                "xtask: {command} {version} is missing ({why}); installing {package}=={version} from PyPI"
            ));
            format!("{package}=={version}")
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let pip_works = || {
        Command::new("python3")
            .args(["-m", "pip", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !pip_works() {
        say("xtask: pip is missing; installing python3-pip");
        install("python3-pip python3-venv");
    }
    let pip = |extra: &[&str]| {
        Command::new("python3")
            .args(["-m", "pip", "install", "--quiet"])
            .args(extra)
            .args(&missing)
            .status()
            .is_ok_and(|s| s.success())
    };
    // Debian's own python refuses system-wide installs unless told (PEP 668).
    if pip(&[]) || pip(&["--break-system-packages"]) {
        Ok(())
    } else {
        say(&format!(
            "xtask: could not install {}; run `python3 -m pip install {}` and run the tests again",
            missing.join(", "),
            missing.join(" ")
        ));
        Err(1)
    }
}

/// The azure-cli the Azure collection's commands are held to (`az <command> --help` for every
/// command and option collection gives az, in `crates/collect/tests/azure.rs`), pinned, in a
/// virtual environment of its own (its hundreds of pinned dependencies stay apart from moto's
/// and awscli's): `~/.cache/netconform/azure-cli-<version>`, kept between runs.
const AZURE_CLI: &str = "2.91.0";

/// Installs the pinned azure-cli when missing (about 6 minutes and 730 MB the first time).
fn setup_azure_cli() -> Result<(), i32> {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".to_owned());
    let dir = format!("{home}/.cache/netconform/azure-cli-{AZURE_CLI}");
    let done = format!("{dir}/.installed");
    if std::path::Path::new(&done).is_file() {
        return Ok(());
    }
    say(&format!(
        "xtask: azure-cli {AZURE_CLI} is missing (the Azure collection's commands are held to it); installing it from PyPI into {dir} (a few minutes, once)"
    ));
    let venv_works = || {
        let _ = std::fs::remove_dir_all(&dir);
        Command::new("python3")
            .args(["-m", "venv", &dir])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !venv_works() {
        say("xtask: python3's venv is missing; installing python3-venv");
        install("python3-venv");
        if !venv_works() {
            say(&format!(
                "xtask: could not make a virtual environment in {dir}; install python3-venv and run the tests again"
            ));
            return Err(1);
        }
    }
    let installed = Command::new(format!("{dir}/bin/pip"))
        .args(["install", "--quiet", &format!("azure-cli=={AZURE_CLI}")])
        .status()
        .is_ok_and(|s| s.success());
    if installed && std::fs::write(&done, AZURE_CLI).is_ok() {
        Ok(())
    } else {
        say(&format!(
            "xtask: could not install azure-cli=={AZURE_CLI} into {dir}; run `python3 -m venv {dir} && {dir}/bin/pip install azure-cli=={AZURE_CLI}`, then `touch {done}`, and run the tests again"
        ));
        Err(1)
    }
}

/// Installs what the tests need and is missing, saying what; `Err` with the command to run
/// when it cannot (not root, no network).
fn setup_tests() -> Result<(), i32> {
    setup_pypi()?;
    setup_azure_cli()?;
    let missing: Vec<&(&str, &str, &str)> = TEST_TOOLS
        .iter()
        .filter(|(command, _, _)| !command_exists(command))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let packages: Vec<&str> = missing.iter().map(|(_, package, _)| *package).collect();
    for (command, package, why) in &missing {
        say(&format!(
            "xtask: {command} is missing ({why}); installing {package}"
        ));
    }
    if install(&packages.join(" ")) {
        Ok(())
    } else {
        say(&format!(
            "xtask: could not install {}; install them (as root: apt-get update && apt-get install -y {}) and run the tests again",
            packages.join(", "),
            packages.join(" ")
        ));
        Err(1)
    }
}

/// `apt-get install` of `packages` (apt-get update first); whether it worked.
fn install(packages: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {packages} >/dev/null")])
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs a Debian package when its command is missing (as root; apt-get update first).
fn ensure_command(command: &str, package: &str) {
    if command_exists(command) {
        return;
    }
    say(&format!(
        "xtask: {command} is missing; installing {package}"
    ));
    if !install(package) {
        say(&format!(
            "xtask: could not install {package}; what needs {command} is skipped or says why"
        ));
    }
}

/// Whether `command` is on PATH (or, written as a path, is a file).
fn command_exists(command: &str) -> bool {
    if command.starts_with('/') {
        return std::path::Path::new(command).is_file();
    }
    Command::new("sh")
        .args(["-c", &format!("command -v {command}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn bench_dns() -> Result<(), i32> {
    ensure_command("dig", "bind9-dnsutils");
    cargo(&["bench", "--package", "netconform-dns", "--bench", "dns"])?;
    // End to end: the binary, the sandbox's start and the cucumber run included.
    cargo(&["build", "--release", "--quiet", "--package", "netconform"])?;
    let exe = workspace_root().join("target/release/netconform");
    let exe = std::env::var_os("CARGO_TARGET_DIR").map_or(exe, |dir| {
        std::path::PathBuf::from(dir).join("release/netconform")
    });
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let out = Command::new(&exe)
            .args(["verify", "--tags", "@dns"])
            .output()
            .map_err(|e| {
                say(&format!("xtask: could not run {}: {e}", exe.display()));
                1
            })?;
        if !out.status.success() {
            say(&String::from_utf8_lossy(&out.stdout));
            return Err(out.status.code().unwrap_or(1));
        }
        times.push(started.elapsed());
    }
    times.sort();
    say(&format!(
        "| `netconform verify --tags @dns` end to end (process, sandbox start, 7 scenarios), median of 5 | {:.0} ms |",
        times[2].as_secs_f64() * 1000.0
    ));
    Ok(())
}

fn ci() -> Result<(), i32> {
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--release",
        "--",
        "-D",
        "warnings",
    ])?;
    test(&[])
}
