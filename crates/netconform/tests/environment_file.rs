//! Environment files: bad input exits 2 naming file:line:col and the fix; a good file, written
//! by `netconform sandbox`, verifies another process's deployment end to end, its restart
//! command included.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, TempDir, start_sandbox, start_sandbox_broken, verify};

/// Writes `text` as an environment file and checks `verify --env` exits 2 with `expected` on
/// stderr (`FILE` stands for the file's path).
fn check_bad(dir: &Path, name: &str, text: &str, expected: &str) {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let out = Command::new(BIN)
        .arg("verify")
        .arg("--env")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = expected.replace("FILE", &path.display().to_string());
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(
        stderr.contains(&expected),
        "{name}:\n got: {stderr}\nwant: {expected}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{name}: {stderr}"
    );
}

#[test]
fn bad_environment_files_exit_2_with_where_and_how_to_fix() {
    let dir = TempDir::new("bad-env");
    let d = dir.path();
    check_bad(
        d,
        "unknown-key",
        "domain = \"pulumi.example.com\"\n[dns]\nnameserver = [\"192.0.2.53:53\"]\n",
        "FILE:3:1: unknown field `nameserver`, expected one of `nameservers`",
    );
    check_bad(
        d,
        "wrong-type",
        "domain = \"pulumi.example.com\"\n[drain]\nrate = \"fast\"\n",
        "FILE:3:8: invalid type: string \"fast\", expected f64",
    );
    check_bad(
        d,
        "bad-domain",
        "domain = \"pulumi..example.com\"\n",
        "FILE:1:10: invalid domain \"pulumi..example.com\": empty label; write a DNS name such as \"pulumi.example.com\"",
    );
    check_bad(
        d,
        "bad-duration",
        "domain = \"pulumi.example.com\"\n[drain]\nmax_duration = \"10 minutes\"\n",
        "FILE:3:16: invalid duration",
    );
    check_bad(
        d,
        "endpoint-without-domain",
        "domain = \"pulumi.example.com\"\n[endpoints]\napi = \"https://api.example.com\"\n",
        "FILE:3:7: endpoint \"https://api.example.com\" does not contain {domain}; write it as a template such as \"https://api.{domain}\"",
    );
    check_bad(
        d,
        "missing-domain",
        "name = \"staging\"\n",
        "FILE:1:1: missing field `domain`",
    );
    check_bad(d, "not-toml", "domain = \"pulumi.example.com\n", "FILE:1:");
    let missing = d.join("does-not-exist.toml");
    let out = Command::new(BIN)
        .arg("verify")
        .arg("--env")
        .arg(&missing)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "failed to read the environment file {}",
            missing.display()
        )),
        "{stderr}"
    );
}

/// Starts `netconform sandbox` (broken by `variant`), edits the `restart = ` line of the
/// environment file it writes (`None` removes it, `Some(text)` replaces it), and verifies it.
fn verify_sandbox_env(
    name: &str,
    variant: Option<&str>,
    restart: Option<Option<&str>>,
) -> common::Run {
    let dir = TempDir::new(name);
    let env = dir.path().join("sandbox.toml");
    let _sandbox = start_sandbox_broken(&env, variant);
    let text = std::fs::read_to_string(&env).unwrap();
    assert!(
        text.contains("[drain.restart]\nkind = \"sandbox\"\nurl = \"http://127.0.0.1:"),
        "{text}"
    );
    if let Some(restart) = restart {
        // Drop the [drain.restart] table; a command goes under [drain] instead.
        let mut edited = String::new();
        let mut in_restart = false;
        for line in text.lines() {
            if line.starts_with('[') {
                in_restart = line == "[drain.restart]";
            }
            if !in_restart {
                edited.push_str(line);
                edited.push('\n');
            }
            if let (Some(command), "[drain]") = (restart, line) {
                edited.push_str(&format!("restart = {command:?}\n"));
            }
        }
        std::fs::write(&env, edited).unwrap();
    }
    verify(&format!("{name}-verify"), &["--env", env.to_str().unwrap()])
}

#[test]
fn sandbox_process_is_verified_through_its_environment_file() {
    let run = verify_sandbox_env("sandbox-process", None, None);
    assert_eq!(run.code, 0, "{}", run.explain());
    // The restart ran through the sandbox's control endpoint and reported its events.
    let report = run.report.as_ref().unwrap();
    let scenarios = report["scenarios"].as_array().unwrap();
    let scenario = scenarios
        .iter()
        .find(|s| s["name"].as_str().unwrap().starts_with("No request fails"))
        .unwrap();
    let restart = scenario["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"] == "the restart completes")
        .unwrap();
    let evidence = &restart["outcomes"][0]["evidence"][0];
    assert_eq!(evidence["completed"], true, "{evidence:#}");
    assert!(
        evidence["output"]
            .as_str()
            .unwrap()
            .contains("netconform-event: exited zone-a/api-1"),
        "{evidence:#}"
    );
    assert!(
        run.stderr.contains("zone-b/api-2 exited"),
        "{}",
        run.explain()
    );
}

/// `verify_sandbox_env` ends with exit `code`, the restart scenario `verdict`, and a reason
/// holding every fragment.
fn check(run: &common::Run, code: i32, verdict: &str, fragments: &[&str]) {
    assert_eq!(run.code, code, "{}", run.explain());
    let (got, reason) = run.scenario("No request fails");
    assert_eq!(got, verdict, "{}", run.explain());
    for fragment in fragments {
        assert!(reason.contains(fragment), "{reason:?} lacks {fragment:?}");
    }
}

#[test]
fn sandbox_process_broken_fails_through_its_environment_file() {
    let run = verify_sandbox_env("sandbox-process-broken", Some("exit-on-sigterm"), None);
    check(
        &run,
        1,
        "fail",
        &["answered 502", "after zone-a/api-1 exited"],
    );
}

#[test]
fn no_restart_command_is_inconclusive_not_a_pass() {
    let run = verify_sandbox_env("sandbox-no-restart", None, Some(None));
    check(&run, 3, "inconclusive", &["has no drain.restart"]);
}

#[test]
fn failing_restart_command_fails_the_scenario_with_its_status() {
    let run = verify_sandbox_env(
        "sandbox-bad-restart",
        None,
        Some(Some("echo rollout stuck >&2; exit 4")),
    );
    check(
        &run,
        1,
        "fail",
        &["the restart did not complete", "exit status: 4"],
    );
}

#[test]
fn sandbox_process_stops_cleanly_on_ctrl_c() {
    let dir = TempDir::new("sandbox-ctrl-c");
    let env = dir.path().join("sandbox.toml");
    let mut sandbox = start_sandbox(&env);
    assert!(env.exists());
    let status = Command::new("kill")
        .args(["-INT", &sandbox.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = sandbox.0.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        !env.exists(),
        "the environment file of a stopped sandbox is removed"
    );
}

#[test]
fn shell_restart_command_reports_events_through_its_output() {
    // The control URL is the sandbox's own; the command runs through sh -c.
    let dir = TempDir::new("sandbox-shell-restart");
    let env = dir.path().join("sandbox.toml");
    let _sandbox = start_sandbox_broken(&env, Some("exit-on-sigterm"));
    let text = std::fs::read_to_string(&env).unwrap();
    let url = text
        .lines()
        .find_map(|l| l.strip_prefix("url = "))
        .unwrap()
        .trim_matches('"')
        .to_owned();
    let command = format!("'{BIN}' sandbox-restart {url}");
    let mut edited = String::new();
    let mut in_restart = false;
    for line in text.lines() {
        if line.starts_with('[') {
            in_restart = line == "[drain.restart]";
        }
        if !in_restart {
            edited.push_str(line);
            edited.push('\n');
        }
        if line == "[drain]" {
            edited.push_str(&format!("restart = {command:?}\n"));
        }
    }
    std::fs::write(&env, edited).unwrap();
    let run = verify(
        "sandbox-shell-restart-verify",
        &["--env", env.to_str().unwrap(), "--tags", "@drain"],
    );
    assert_eq!(run.code, 1, "{}", run.explain());
    let (_, reason) = run.scenario("No request fails");
    assert!(
        reason.contains("after zone-a/api-1 exited"),
        "phases come from the command's event lines: {reason}"
    );
}

#[test]
fn ctrl_c_during_the_restart_stops_and_still_writes_the_report() {
    let dir = TempDir::new("sandbox-interrupted");
    let env = dir.path().join("sandbox.toml");
    let _sandbox = start_sandbox(&env);
    let text = std::fs::read_to_string(&env).unwrap();
    // A restart that would take half a minute.
    let mut edited = String::new();
    let mut in_restart = false;
    for line in text.lines() {
        if line.starts_with('[') {
            in_restart = line == "[drain.restart]";
        }
        if !in_restart {
            edited.push_str(line);
            edited.push('\n');
        }
        if line == "[drain]" {
            edited.push_str("restart = \"sleep 30\"\n");
        }
    }
    std::fs::write(&env, edited).unwrap();
    let reports = dir.path().join("reports");
    let mut child = Command::new(BIN)
        .args(["verify", "--tags", "@drain", "--env"])
        .arg(&env)
        .arg("--report-dir")
        .arg(&reports)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let started = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "stopped in {:?}",
        started.elapsed()
    );
    assert_eq!(status.code(), Some(3), "interrupted is inconclusive");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["interrupted"], true);
    let scenario = &report["scenarios"][0];
    assert_eq!(scenario["verdict"], "inconclusive");
    let step = &scenario["steps"][1];
    assert!(
        step["reason"]
            .as_str()
            .unwrap()
            .starts_with("interrupted (SIGINT) during the restart after "),
        "{step:#}"
    );
    assert!(
        step["outcomes"][0]["evidence"][0]["scheduled"]
            .as_u64()
            .unwrap()
            > 0,
        "the requests so far are in the report"
    );
}

/// Starts `netconform sandbox`, applies `edit` to the environment file it writes, and
/// verifies that file with `args`.
fn verify_edited_sandbox_env(
    name: &str,
    edit: impl Fn(&str) -> String,
    args: &[&str],
) -> common::Run {
    let dir = TempDir::new(name);
    let env = dir.path().join("sandbox.toml");
    let _sandbox = start_sandbox(&env);
    let text = std::fs::read_to_string(&env).unwrap();
    assert!(
        text.contains("[drain]\nenabled = true\n"),
        "the sandbox allows its own restart: {text}"
    );
    std::fs::write(&env, edit(&text)).unwrap();
    let mut all = vec!["--env", env.to_str().unwrap()];
    all.extend(args);
    verify(&format!("{name}-verify"), &all)
}

#[test]
fn disruptive_scenarios_are_skipped_by_policy_unless_allowed() {
    let not_enabled = |text: &str| text.replace("[drain]\nenabled = true\n", "[drain]\n");
    // An environment that does not allow restarts: skipped by policy, visibly, exit 0.
    let run = verify_edited_sandbox_env(
        "policy-skip",
        not_enabled,
        &["--tags", "@drain or @stability"],
    );
    assert_eq!(run.code, 0, "{}", run.explain());
    let (verdict, reason) = run.scenario("No request fails");
    assert_eq!(verdict, "skipped", "{}", run.explain());
    assert!(
        reason.starts_with("skipped by policy: @disruptive scenarios restart the API")
            && reason.contains("pass --allow-disruptive or set drain.enabled = true"),
        "{reason}"
    );
    assert_eq!(run.scenario("20 times in a row").0, "pass", "the rest runs");
    assert!(
        run.stdout.contains("\nSkipped:\n  A rolling restart of the API drops no request / No request fails while the API is restarted one instance at a time: skipped by policy"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "CONFORMANT for what was checked: 1 passed, 0 failed, 0 inconclusive; 1 skipped by policy (1 rolling restart: not allowed) in "
        ),
        "{}",
        run.stdout
    );
    // No restart happened: the step that would have started the load never ran.
    let report = run.report.as_ref().unwrap();
    let scenario = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "disruptive")
        })
        .unwrap();
    assert!(
        scenario["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["verdict"] == "skipped" && s["outcomes"].as_array().unwrap().is_empty()),
        "{scenario:#}"
    );

    // --allow-disruptive: the restart runs.
    let run = verify_edited_sandbox_env(
        "policy-allow",
        not_enabled,
        &["--tags", "@drain", "--allow-disruptive"],
    );
    assert_eq!(run.code, 0, "{}", run.explain());
    assert_eq!(
        run.scenario("No request fails").0,
        "pass",
        "{}",
        run.explain()
    );
}

#[test]
fn drain_settings_above_the_hard_caps_need_an_override() {
    let fast = |text: &str| {
        assert!(text.contains("\nmax_duration = \"1m\"\n") && text.contains("\nrate = 100.0\n"));
        text.replace("\nmax_duration = \"1m\"\n", "\nmax_duration = \"2h\"\n")
            .replace("\nrate = 100.0\n", "\nrate = 5000.0\n")
    };
    let run = verify_edited_sandbox_env("caps-refused", fast, &["--tags", "@dns"]);
    assert_eq!(run.code, 2, "{}", run.explain());
    assert!(
        run.stderr.contains("drain.rate = 5000 is above the hard cap of 500 req/s, and drain.max_duration = \"2h\" is above the hard cap of 30m; lower it, or pass --override-caps if the environment can take it"),
        "{}",
        run.explain()
    );
    assert!(run.report.is_none(), "nothing was checked");
    let run = verify_edited_sandbox_env(
        "caps-overridden",
        fast,
        &["--tags", "@dns", "--override-caps"],
    );
    assert_eq!(run.code, 0, "{}", run.explain());
}

#[test]
fn secrets_in_the_restart_command_stay_out_of_the_reports() {
    let dir = TempDir::new("redacted");
    let env = dir.path().join("sandbox.toml");
    let _sandbox = start_sandbox(&env);
    let text = std::fs::read_to_string(&env).unwrap();
    // A restart command holding a token, which it also prints.
    let mut edited = String::new();
    let mut in_restart = false;
    for line in text.lines() {
        if line.starts_with('[') {
            in_restart = line == "[drain.restart]";
        }
        if !in_restart {
            edited.push_str(line);
            edited.push('\n');
        }
        if line == "[drain]" {
            edited.push_str(
                "restart = \"API_TOKEN=hunter2-secret sh -c 'echo using --token hunter2-secret; exit 4'\"\n",
            );
        }
    }
    std::fs::write(&env, edited).unwrap();
    let reports = dir.path().join("reports");
    let out = Command::new(BIN)
        .args(["verify", "--tags", "@drain", "--env"])
        .arg(&env)
        .arg("--report-dir")
        .arg(&reports)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("hunter2"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("hunter2"),
        "progress shows the secret: {stderr}"
    );
    for file in ["report.json", "junit.xml", "report.html"] {
        let text = std::fs::read_to_string(reports.join(file)).unwrap();
        assert!(
            !text.contains("hunter2"),
            "{file} shows the secret:\n{text}"
        );
        assert!(
            text.contains("API_TOKEN=[redacted]"),
            "{file} shows where it was"
        );
    }
}
