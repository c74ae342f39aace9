//! The pipeline templates under ci/: every YAML file parses; the GitHub workflow and the GitLab
//! template run the verify command the README documents, and the workflow's verify step runs
//! as written against a sandbox; the Kubernetes manifests are valid Kubernetes objects
//! (k8s-openapi types, round-tripped so no field is unknown) wired to the image the Dockerfile
//! builds.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, TempDir, start_sandbox};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, ServiceAccount};
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(path: &str) -> Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
}

/// The verify command the README documents for pipelines.
fn readme_command() -> String {
    let readme = read("README.md");
    let lines: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("netconform verify --env \"$NETCONFORM_ENV\""))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "the README documents the pipeline command once: {lines:?}"
    );
    lines[0].to_owned()
}

#[test]
fn every_yaml_file_parses() {
    let mut n = 0;
    for dir in ["ci/github", "ci/gitlab", "ci/kubernetes"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let docs: Vec<Value> = serde_saphyr::from_multiple(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            assert!(!docs.is_empty(), "{} is empty", path.display());
            n += 1;
        }
    }
    assert_eq!(
        n, 8,
        "the five templates (the AKS Job among them), the CronJob, the alert rules and the collection's RBAC"
    );
}

/// The GitHub workflow's verify step.
fn github_verify_step() -> Value {
    let workflow = yaml("ci/github/post-deploy.yml");
    assert!(
        workflow["on"]["workflow_call"]["inputs"]["environment-file"]["required"] == true,
        "a reusable workflow taking the environment file"
    );
    let steps = workflow["jobs"]["verify"]["steps"].as_array().unwrap();
    // Reports are kept and JUnit published whatever the verdict.
    for name in ["Upload the reports", "Publish the JUnit report"] {
        let step = steps.iter().find(|s| s["name"] == name).unwrap();
        assert!(
            step["if"].as_str().unwrap().contains("always()"),
            "{name} runs whatever the verdict"
        );
    }
    let upload = steps
        .iter()
        .find(|s| s["name"] == "Upload the reports")
        .unwrap();
    let publish = steps
        .iter()
        .find(|s| s["name"] == "Publish the JUnit report")
        .unwrap();
    let step = steps.iter().find(|s| s["id"] == "verify").unwrap().clone();
    let reports = step["env"]["NETCONFORM_REPORTS"].as_str().unwrap();
    assert_eq!(upload["with"]["path"], format!("{reports}/"));
    assert_eq!(
        publish["with"]["report_paths"],
        format!("{reports}/junit.xml")
    );
    step
}

#[test]
fn the_templates_run_the_readme_command() {
    let command = readme_command();
    let step = github_verify_step();
    let script = step["run"].as_str().unwrap();
    assert!(
        script.lines().any(|l| l.trim() == command),
        "the workflow's verify step runs {command:?}:\n{script}"
    );
    let gitlab = yaml("ci/gitlab/post-deploy.yml");
    let job = &gitlab[".netconform-verify"];
    let lines: Vec<&str> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        lines.contains(&command.as_str()),
        "the GitLab template runs {command:?}: {lines:?}"
    );
    let reports = job["variables"]["NETCONFORM_REPORTS"].as_str().unwrap();
    assert_eq!(job["artifacts"]["when"], "always");
    assert_eq!(
        job["artifacts"]["reports"]["junit"],
        format!("{reports}/junit.xml")
    );
}

#[test]
fn the_workflow_verify_step_runs_as_written_against_the_sandbox() {
    let dir = TempDir::new("ci-github-step");
    let env = dir.path().join("sandbox.toml");
    let _sandbox = start_sandbox(&env);
    let step = github_verify_step();
    let script = step["run"].as_str().unwrap();
    let output = dir.path().join("github-output");
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // As GitHub runs a `shell: bash` step, with the step's env (the inputs' defaults).
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir.path())
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output)
        .env("NETCONFORM_ENV", &env)
        .env(
            "NETCONFORM_REPORTS",
            step["env"]["NETCONFORM_REPORTS"].as_str().unwrap(),
        )
        .env("NETCONFORM_ARGS", " ")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\nCONFORMANT: "), "{stdout}");
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "exit-code=0\n");
    let reports = dir.path().join("netconform-reports");
    for file in ["junit.xml", "report.json", "report.html"] {
        assert!(reports.join(file).exists(), "{file} was written");
    }
}

/// Deserializes `doc` into `T` and back: a field `T` does not know (a typo, a wrong level)
/// does not come back, and fails the comparison.
fn typed<T: serde::de::DeserializeOwned + serde::Serialize>(doc: &Value, file: &str) -> T {
    let value: T = serde_json::from_value(doc.clone())
        .unwrap_or_else(|e| panic!("{file}: {} is not valid: {e}", doc["kind"]));
    let back = serde_json::to_value(&value).unwrap();
    assert_eq!(
        &back, doc,
        "{file}: {} has fields Kubernetes does not know",
        doc["kind"]
    );
    value
}

/// The manifests of `file`, by kind.
fn manifests(file: &str) -> (Vec<Job>, Vec<ConfigMap>, Vec<ServiceAccount>) {
    let (jobs, maps, accounts, roles) = manifests_with_roles(file);
    assert!(roles.is_empty(), "{file}: no Role expected");
    (jobs, maps, accounts)
}

/// [`manifests`], and the Roles (their RoleBindings checked to bind them to a ServiceAccount
/// of the file).
fn manifests_with_roles(file: &str) -> (Vec<Job>, Vec<ConfigMap>, Vec<ServiceAccount>, Vec<Role>) {
    let docs: Vec<Value> = serde_saphyr::from_multiple(&read(file)).unwrap();
    let (mut jobs, mut maps, mut accounts) = (Vec::new(), Vec::new(), Vec::new());
    let (mut roles, mut bindings) = (Vec::new(), Vec::new());
    for doc in &docs {
        match doc["kind"].as_str() {
            Some("Job") => jobs.push(typed::<Job>(doc, file)),
            Some("ConfigMap") => maps.push(typed::<ConfigMap>(doc, file)),
            Some("ServiceAccount") => accounts.push(typed::<ServiceAccount>(doc, file)),
            Some("Role") => roles.push(typed::<Role>(doc, file)),
            Some("RoleBinding") => bindings.push(typed::<RoleBinding>(doc, file)),
            other => panic!("{file}: unexpected kind {other:?}"),
        }
    }
    for binding in &bindings {
        assert!(
            roles
                .iter()
                .any(|r| r.metadata.name.as_deref() == Some(binding.role_ref.name.as_str())),
            "{file}: the binding's Role is in the file"
        );
        for subject in binding.subjects.iter().flatten() {
            assert!(
                accounts
                    .iter()
                    .any(|a| a.metadata.name.as_deref() == Some(subject.name.as_str())),
                "{file}: the binding's ServiceAccount is in the file"
            );
        }
    }
    assert_eq!(roles.len(), bindings.len(), "{file}: every Role is bound");
    (jobs, maps, accounts, roles)
}

/// The user the Dockerfile's image runs as, and its build's Rust version.
fn dockerfile() -> (i64, String) {
    let text = read("ci/Dockerfile");
    let user = text
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("the image runs as a user");
    let uid = user.split(':').next().unwrap().parse().unwrap();
    let rust = text
        .lines()
        .find_map(|l| l.strip_prefix("ARG BUILD_IMAGE=rust:"))
        .and_then(|l| l.split('-').next())
        .expect("built FROM rust:<version> (ARG BUILD_IMAGE)")
        .to_owned();
    assert!(text.contains("cargo build --release --locked --package netconform"));
    assert!(text.contains("ENTRYPOINT [\"netconform\"]"));
    (uid, rust)
}

#[test]
fn the_dockerfile_builds_with_the_workspace_rust_version() {
    let (_, rust) = dockerfile();
    let manifest = read("Cargo.toml");
    let wanted = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    assert_eq!(
        rust, wanted,
        "ci/Dockerfile builds with the workspace's rust-version"
    );
}

fn check_job(job: &Job, file: &str) -> Vec<String> {
    let (uid, _) = dockerfile();
    let spec = job.spec.as_ref().unwrap();
    let pod = spec.template.spec.as_ref().unwrap();
    assert_eq!(pod.restart_policy.as_deref(), Some("Never"), "{file}");
    assert_eq!(
        pod.security_context.as_ref().unwrap().run_as_user,
        Some(uid),
        "{file}: runs as the image's user"
    );
    let container = &pod.containers[0];
    let args = container.args.clone().unwrap();
    // The image's entrypoint is netconform: the args are its command line.
    assert_eq!(&args[..2], ["verify", "--env"], "{file}");
    let env_file = Path::new(&args[2]);
    let mount = container
        .volume_mounts
        .as_ref()
        .unwrap()
        .iter()
        .find(|m| env_file.starts_with(&m.mount_path))
        .unwrap_or_else(|| panic!("{file}: {} is on no volume", args[2]));
    let volume = pod
        .volumes
        .as_ref()
        .unwrap()
        .iter()
        .find(|v| v.name == mount.name)
        .unwrap();
    assert_eq!(
        volume.config_map.as_ref().unwrap().name,
        "netconform-env",
        "{file}"
    );
    let reports = &args[args.iter().position(|a| a == "--report-dir").unwrap() + 1];
    assert!(
        container
            .volume_mounts
            .as_ref()
            .unwrap()
            .iter()
            .any(|m| &m.mount_path == reports),
        "{file}: the report directory is writable"
    );
    args
}

#[test]
fn kubernetes_job_is_a_valid_post_sync_hook_and_helm_test() {
    let file = "ci/kubernetes/verify-job.yaml";
    let (jobs, maps, accounts, roles) = manifests_with_roles(file);
    assert_eq!((jobs.len(), maps.len(), accounts.len()), (1, 1, 1));
    // The ServiceAccount can reach the API (kubectl) and has an AWS role (IRSA).
    let account = &accounts[0];
    assert_eq!(account.automount_service_account_token, Some(true));
    assert!(
        account.metadata.annotations.as_ref().unwrap()["eks.amazonaws.com/role-arn"]
            .starts_with("arn:aws:iam::")
    );
    // Exactly what the kubernetes restart driver calls (crates/drain/tests/drivers.rs records
    // them: get deployment, get pods -l, rollout restart).
    let rules: Vec<(String, String, Vec<String>)> = roles[0]
        .rules
        .iter()
        .flatten()
        .flat_map(|r| {
            let groups = r.api_groups.clone().unwrap_or_default();
            let resources = r.resources.clone().unwrap_or_default();
            let verbs = r.verbs.clone();
            groups.into_iter().flat_map(move |g| {
                let verbs = verbs.clone();
                resources
                    .clone()
                    .into_iter()
                    .map(move |res| (g.clone(), res, verbs.clone()))
            })
        })
        .collect();
    assert_eq!(
        rules,
        [
            (
                "apps".to_owned(),
                "deployments".to_owned(),
                vec!["get".to_owned(), "patch".to_owned()]
            ),
            (String::new(), "pods".to_owned(), vec!["list".to_owned()]),
        ]
    );
    let job = &jobs[0];
    let annotations = job.metadata.annotations.as_ref().unwrap();
    assert_eq!(annotations["argocd.argoproj.io/hook"], "PostSync");
    assert_eq!(annotations["helm.sh/hook"], "test");
    assert_eq!(
        job.spec.as_ref().unwrap().backoff_limit,
        Some(0),
        "a failed verdict is not retried"
    );
    let args = check_job(job, file);
    assert_eq!(
        args,
        [
            "verify",
            "--env",
            "/etc/netconform/environment.toml",
            "--report-dir",
            "/reports"
        ]
    );
    // The example environment file is one netconform reads.
    let text = &maps[0].data.as_ref().unwrap()["environment.toml"];
    let env = netconform_model::Environment::from_toml(text, Path::new("environment.toml"))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    assert!(
        !env.drain.enabled,
        "the in-cluster Job does not restart the API by default"
    );
}

#[test]
fn per_zone_job_runs_one_pod_in_each_zone() {
    let file = "ci/kubernetes/verify-per-zone-job.yaml";
    let (jobs, maps, accounts) = manifests(file);
    assert_eq!((jobs.len(), maps.len(), accounts.len()), (1, 0, 0));
    let job = &jobs[0];
    let spec = job.spec.as_ref().unwrap();
    assert_eq!(spec.completion_mode.as_deref(), Some("Indexed"));
    assert_eq!(
        spec.parallelism, spec.completions,
        "every zone's pod at once"
    );
    let template = &spec.template;
    let pod = template.spec.as_ref().unwrap();
    let spread = &pod.topology_spread_constraints.as_ref().unwrap()[0];
    assert_eq!(spread.topology_key, "topology.kubernetes.io/zone");
    assert_eq!(spread.max_skew, 1);
    assert_eq!(spread.when_unsatisfiable, "DoNotSchedule");
    let selector = spread
        .label_selector
        .as_ref()
        .unwrap()
        .match_labels
        .as_ref()
        .unwrap();
    let labels = template.metadata.as_ref().unwrap().labels.as_ref().unwrap();
    for (key, value) in selector {
        assert_eq!(
            labels.get(key),
            Some(value),
            "the spread selects the Job's own pods"
        );
    }
    let args = check_job(job, file);
    let tags = &args[args.iter().position(|a| a == "--tags").unwrap() + 1];
    assert_eq!(tags, "not @disruptive", "one restart, not one per zone");
}

/// A pod's command line as it runs here: the ConfigMap's environment file is `env`, the
/// report volume `reports`, and `other` rewrites what else the cluster would fill in.
fn here(
    args: &[String],
    env: &Path,
    reports: &Path,
    other: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    args.iter()
        .map(|a| match a.as_str() {
            "/etc/netconform/environment.toml" => env.display().to_string(),
            "/reports" => reports.display().to_string(),
            a if a.starts_with("/reports/") => {
                reports.join(&a["/reports/".len()..]).display().to_string()
            }
            a => other(a).unwrap_or_else(|| a.to_owned()),
        })
        .collect()
}

#[test]
fn per_zone_pods_are_merged_into_one_verdict_by_merge_zones_sh() {
    // Each pod's command line as Kubernetes runs it ($(NODE_NAME) expanded, the ConfigMap's
    // file the sandbox's), its stdout kept as the pod's log; then merge-zones.sh with kubectl
    // answering from those logs, as it would for the Job.
    let file = "ci/kubernetes/verify-per-zone-job.yaml";
    let (jobs, _, _) = manifests(file);
    let args = check_job(&jobs[0], file);
    let dir = TempDir::new("ci-per-zone-merge");
    let env = dir.path().join("sandbox.toml");
    let _sandbox = start_sandbox(&env);
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    for (pod, node) in [
        ("zone-check-0-abcde", "ip-10-0-1-17"),
        ("zone-check-1-fghij", "ip-10-0-2-33"),
    ] {
        let argv = here(&args, &env, &dir.path().join(pod), |a| {
            (a == "$(NODE_NAME)").then(|| node.to_owned())
        });
        let out = Command::new(BIN).args(&argv).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{pod}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut log = out.stdout.clone();
        log.extend(&out.stderr);
        std::fs::write(logs.join(pod), log).unwrap();
    }
    let kubectl = dir.path().join("kubectl");
    netconform_testkit::script(
        &kubectl,
        &format!(
            "#!/bin/sh\nlogs='{}'\necho \"$*\" >> '{}/calls'\ncase \"$*\" in\n  *' get job/'*) echo '2026-12-01T10:00:00Z/' ;;\n  *' get pods '*) for f in \"$logs\"/*; do echo \"pod/${{f##*/}}\"; done ;;\n  *' logs pod/'*) cat \"$logs/${{4#pod/}}\" ;;\n  *) echo \"unexpected: $*\" >&2; exit 1 ;;\nesac\n",
            logs.display(),
            dir.path().display()
        ),
    );
    let merged = dir.path().join("merged");
    let out = Command::new("sh")
        .arg(root().join("ci/kubernetes/merge-zones.sh"))
        .args(["pulumi", "netconform-verify-per-zone"])
        .arg(&merged)
        .env("KUBECTL", &kubectl)
        .env("NETCONFORM", BIN)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Merged from 2 vantage points: ip-10-0-1-17, ip-10-0-2-33"),
        "{stdout}"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["vantages"].as_array().unwrap().len(), 2);
    let calls = std::fs::read_to_string(dir.path().join("calls")).unwrap();
    assert!(
        calls.contains("-n pulumi get pods -l job-name=netconform-verify-per-zone -o name"),
        "{calls}"
    );
}

#[test]
fn the_cronjob_runs_read_only_and_pushes_what_the_rules_alert_on() {
    use k8s_openapi::api::batch::v1::CronJob;
    use k8s_openapi::api::core::v1::PersistentVolumeClaim;
    let file = "ci/kubernetes/verify-cronjob.yaml";
    let docs: Vec<Value> = serde_saphyr::from_multiple(&read(file)).unwrap();
    assert_eq!(docs.len(), 2, "the reports' volume claim and the CronJob");
    let claim: PersistentVolumeClaim = typed(&docs[0], file);
    let cron: CronJob = typed(&docs[1], file);
    let spec = cron.spec.as_ref().unwrap();
    assert_eq!(spec.concurrency_policy.as_deref(), Some("Forbid"));
    // The reports outlive the pod: the next run's baseline is this run's report.
    let pod = spec
        .job_template
        .spec
        .as_ref()
        .unwrap()
        .template
        .spec
        .as_ref()
        .unwrap();
    let reports = pod
        .volumes
        .as_ref()
        .unwrap()
        .iter()
        .find(|v| v.name == "reports")
        .unwrap();
    assert_eq!(
        reports
            .persistent_volume_claim
            .as_ref()
            .map(|c| c.claim_name.as_str()),
        claim.metadata.name.as_deref(),
        "the reports volume is the claim, not an emptyDir"
    );
    let job = Job {
        metadata: Default::default(),
        spec: spec.job_template.spec.clone(),
        status: None,
    };
    let args = check_job(&job, file);
    let after = |flag: &str| args[args.iter().position(|a| a == flag).unwrap() + 1].clone();
    assert_eq!(
        after("--tags"),
        "not @disruptive",
        "a scheduled run never restarts the API"
    );
    assert_eq!(after("--report-dir"), "/reports");
    assert_eq!(after("--baseline"), "/reports/report.json");
    assert!(args.iter().any(|a| a == "--baseline-optional"), "{args:?}");
    // Its command line against the sandbox, pushing to a real Pushgateway, four times with
    // the one reports directory: a first run, a rerun, the deployment broken, and broken still.
    let dir = TempDir::new("ci-cronjob");
    let gateway = common::Pushgateway::start();
    let run = |env: &Path| {
        let argv = here(&args, env, &dir.path().join("reports"), |a| {
            a.starts_with("http://prometheus-pushgateway")
                .then(|| gateway.url.clone())
        });
        let out = Command::new(BIN).args(&argv).output().unwrap();
        let report: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("reports/report.json")).unwrap())
                .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            report,
        )
    };
    let gauge = |scraped: &str, env: &str, name: &str| {
        let prefix = format!(
            "{name}{{environment=\"{env}\",instance=\"\",job=\"netconform\",vantage=\"in-cluster\"}} "
        );
        scraped
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .map(str::to_owned)
    };
    let healthy = dir.path().join("sandbox.toml");
    let sandbox = start_sandbox(&healthy);
    // The first run finds no report: no comparison, no baseline gauges, no error.
    let (code, stderr, report) = run(&healthy);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(report["baseline"].is_null(), "{}", report["baseline"]);
    let scraped = gateway.scrape();
    assert_eq!(
        gauge(&scraped, "sandbox", "netconform_run_conformant").as_deref(),
        Some("1"),
        "{scraped}"
    );
    assert_eq!(
        gauge(&scraped, "sandbox", "netconform_baseline_new_failures"),
        None,
        "{scraped}"
    );
    // The rerun compares with it: nothing changed, nothing new, no noise from timings.
    let (code, stderr, report) = run(&healthy);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        report["baseline"]["file"],
        "/reports/report.json".replace(
            "/reports",
            &dir.path().join("reports").display().to_string()
        )
    );
    assert_eq!(
        report["baseline"]["changes"],
        serde_json::json!([]),
        "{}",
        report["baseline"]
    );
    let scraped = gateway.scrape();
    assert_eq!(
        gauge(&scraped, "sandbox", "netconform_baseline_new_failures").as_deref(),
        Some("0"),
        "{scraped}"
    );
    assert_eq!(
        gauge(&scraped, "sandbox", "netconform_baseline_fixed").as_deref(),
        Some("0"),
        "{scraped}"
    );
    drop(sandbox);
    // A bad deploy: app's record now leads to another load balancer. The run fails, and
    // says what is new since the last. The sandbox broken on purpose names itself after its
    // breakage; the CronJob's environment file keeps its name whatever is deployed, so the
    // file here does too.
    let broken = dir.path().join("broken.toml");
    let _sandbox = common::start_sandbox_broken(&broken, Some("wrong-load-balancer"));
    let text = std::fs::read_to_string(&broken).unwrap();
    assert!(
        text.contains("name = \"sandbox (wrong-load-balancer)\"\n"),
        "{text}"
    );
    std::fs::write(
        &broken,
        text.replace(
            "name = \"sandbox (wrong-load-balancer)\"\n",
            "name = \"sandbox\"\n",
        ),
    )
    .unwrap();
    let (code, stderr, report) = run(&broken);
    assert_eq!(code, Some(1), "{stderr}");
    let new: u64 = report["baseline"]["new_failures"].as_u64().unwrap();
    assert!(new > 0, "{}", report["baseline"]);
    let env = report["environment"].as_str().unwrap().to_owned();
    let scraped = gateway.scrape();
    assert_eq!(
        gauge(&scraped, &env, "netconform_baseline_new_failures"),
        Some(new.to_string()),
        "{scraped}"
    );
    // Broken still: the failures are known now, so the regression gauge clears (the scenario
    // gauges keep saying they fail).
    let (code, stderr, report) = run(&broken);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        report["baseline"]["new_failures"], 0,
        "{}",
        report["baseline"]
    );
    assert!(
        !report["baseline"]["known"].as_array().unwrap().is_empty(),
        "{}",
        report["baseline"]
    );
    let scraped = gateway.scrape();
    assert_eq!(
        gauge(&scraped, &env, "netconform_baseline_new_failures").as_deref(),
        Some("0"),
        "{scraped}"
    );
    // A report that is there but is none stops the run, naming it: a first run only when
    // the file is missing.
    std::fs::write(
        dir.path().join("reports/report.json"),
        "{\"schema_version\": 5,\n oops",
    )
    .unwrap();
    let argv = here(&args, &broken, &dir.path().join("reports"), |a| {
        a.starts_with("http://prometheus-pushgateway")
            .then(|| gateway.url.clone())
    });
    let out = Command::new(BIN).args(&argv).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("report.json:2:2: not a netconform report.json"),
        "{stderr}"
    );
}

#[test]
fn the_prometheus_rules_pass_promtool_and_fire_when_they_should() {
    let file = "ci/kubernetes/prometheus-rule.yaml";
    let rule = yaml(file);
    assert_eq!(rule["kind"], "PrometheusRule");
    assert_eq!(rule["apiVersion"], "monitoring.coreos.com/v1");
    let dir = TempDir::new("ci-rules");
    // spec.groups is a Prometheus rules file.
    let rules = dir.path().join("rules.json");
    std::fs::write(
        &rules,
        serde_json::json!({ "groups": rule["spec"]["groups"] }).to_string(),
    )
    .unwrap();
    let check = Command::new("promtool")
        .args(["check", "rules"])
        .arg(&rules)
        .output()
        .expect("promtool (Debian's prometheus; cargo xtask test installs it)");
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    // Series as netconform writes them: a scenario failing from t=0, a certificate with 10
    // days left, runs that stopped reporting; and a passing scenario that must not fire.
    let tests = dir.path().join("tests.json");
    let failing = "netconform_scenario_passed{environment=\"prod\",vantage=\"ci\",feature=\"F\",scenario=\"S\",recommendation=\"r\",guide_section=\"dns\",verdict=\"fail\"}";
    let passing = "netconform_scenario_passed{environment=\"prod\",vantage=\"ci\",feature=\"F\",scenario=\"T\",recommendation=\"r\",guide_section=\"dns\",verdict=\"pass\"}";
    let cert = "netconform_certificate_remaining_seconds{environment=\"prod\",vantage=\"ci\",host=\"api.example.com\",address=\"10.0.0.1:443\"}";
    let started = "netconform_run_start_timestamp_seconds{environment=\"prod\",vantage=\"ci\"}";
    // Compared with the run before: nothing new, then two new failures for the runs from
    // 10 to 14 minutes, then nothing new again (the failures became known).
    let regressed = "netconform_baseline_new_failures{environment=\"prod\",vantage=\"ci\"}";
    std::fs::write(
        &tests,
        serde_json::json!({
            "rule_files": [rules.display().to_string()],
            "evaluation_interval": "1m",
            "tests": [{
                "interval": "1m",
                "input_series": [
                    { "series": failing, "values": "0x20" },
                    { "series": passing, "values": "1x20" },
                    { "series": cert, "values": "864000x20" },
                    { "series": started, "values": "0x20" },
                    { "series": regressed, "values": "0x9 2x4 0x6" },
                ],
                "alert_rule_test": [
                    { "eval_time": "5m", "alertname": "NetconformScenarioFailing", "exp_alerts": [] },
                    { "eval_time": "12m", "alertname": "NetconformScenarioFailing", "exp_alerts": [{
                        "exp_labels": { "severity": "warning", "environment": "prod", "vantage": "ci", "feature": "F", "scenario": "S", "recommendation": "r", "guide_section": "dns", "verdict": "fail" },
                        "exp_annotations": { "summary": "prod: S is fail", "description": "netconform from ci: F / S (dns, recommendation r)." }
                    }]},
                    { "eval_time": "1m", "alertname": "NetconformCertificateExpiresSoon", "exp_alerts": [{
                        "exp_labels": { "severity": "warning", "environment": "prod", "vantage": "ci", "host": "api.example.com", "address": "10.0.0.1:443" },
                        "exp_annotations": { "summary": "api.example.com on 10.0.0.1:443: certificate expires in 10d 0h 0m 0s" }
                    }]},
                    { "eval_time": "10m", "alertname": "NetconformNotRunning", "exp_alerts": [] },
                    { "eval_time": "9m", "alertname": "NetconformRegression", "exp_alerts": [] },
                    { "eval_time": "11m", "alertname": "NetconformRegression", "exp_alerts": [{
                        "exp_labels": { "severity": "warning", "environment": "prod", "vantage": "ci" },
                        "exp_annotations": { "summary": "prod: 2 new failures since the last run", "description": "netconform from ci failed where its baseline run had not; the run's report.html (Since the baseline) names them." }
                    }]},
                    { "eval_time": "16m", "alertname": "NetconformRegression", "exp_alerts": [] },
                ]
            }]
        })
        .to_string(),
    )
    .unwrap();
    let test = Command::new("promtool")
        .args(["test", "rules"])
        .arg(&tests)
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
}

#[test]
fn the_pipelines_get_credentials_through_oidc_and_pin_what_they_run() {
    let workflow = yaml("ci/github/post-deploy.yml");
    assert_eq!(workflow["permissions"]["id-token"], "write", "OIDC");
    let inputs = &workflow["on"]["workflow_call"]["inputs"];
    let tag = inputs["netconform-ref"]["default"].as_str().unwrap();
    assert!(
        tag.starts_with('v') && tag.contains('.'),
        "a release tag, not a moving branch: {tag}"
    );
    let steps = workflow["jobs"]["verify"]["steps"].as_array().unwrap();
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no step {name:?}"))
    };
    let aws = step("AWS credentials (OIDC)");
    assert!(
        aws["uses"]
            .as_str()
            .unwrap()
            .starts_with("aws-actions/configure-aws-credentials@")
    );
    assert_eq!(
        aws["with"]["role-to-assume"],
        "${{ inputs.aws-role-to-assume }}"
    );
    assert!(
        step("Kubeconfig for the EKS cluster")["run"]
            .as_str()
            .unwrap()
            .starts_with("aws eks update-kubeconfig --name \"$EKS_CLUSTER\"")
    );
    let azure = step("Azure login (OIDC)");
    assert!(azure["uses"].as_str().unwrap().starts_with("azure/login@"));
    assert_eq!(azure["with"]["client-id"], "${{ inputs.azure-client-id }}");
    assert!(
        step("Kubeconfig for the AKS cluster")["run"]
            .as_str()
            .unwrap()
            .starts_with(
                "az aks get-credentials --resource-group \"$AKS_RESOURCE_GROUP\" --name \"$AKS_CLUSTER\""
            )
    );
    assert!(
        step("Build netconform")["run"]
            .as_str()
            .unwrap()
            .contains("--tag \"$NETCONFORM_REF\"")
    );

    // The download step as written: the checksum decides.
    let download = step("Download netconform")["run"]
        .as_str()
        .unwrap()
        .to_owned();
    let dir = TempDir::new("ci-download");
    let sha = {
        let out = Command::new("sha256sum").arg(BIN).output().unwrap();
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    };
    let run = |sha: &str| {
        Command::new("bash")
            .args(["-e", "-c", &download])
            .env("HOME", dir.path())
            .env("GITHUB_PATH", dir.path().join("github-path"))
            .env("NETCONFORM_URL", format!("file://{BIN}"))
            .env("NETCONFORM_SHA256", sha)
            .output()
            .unwrap()
    };
    let ok = run(&sha);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let installed = dir.path().join(".local/bin/netconform");
    let version = Command::new(&installed).arg("--version").output().unwrap();
    assert!(version.status.success());
    let wrong = run(&"0".repeat(64));
    assert!(
        !wrong.status.success(),
        "a binary with another checksum is refused"
    );
    assert!(!run("").status.success(), "no checksum, no download");

    // From N pods to one verdict, in both pipelines: the per-zone Job, then merge-zones.sh.
    let per_zone = step("Verify from every zone (per-zone Job, merged)")["run"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        per_zone.contains("kubectl apply -f \"$PER_ZONE_JOB\"")
            && per_zone.contains("sh \"$MERGE_ZONES\" pulumi netconform-verify-per-zone"),
        "{per_zone}"
    );
    assert_eq!(
        inputs["merge-zones-script"]["default"],
        "ci/kubernetes/merge-zones.sh"
    );
    let gitlab = yaml("ci/gitlab/post-deploy.yml");
    let zones: Vec<&str> = gitlab[".netconform-per-zone"]["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        zones
            .iter()
            .any(|l| l
                .starts_with("sh \"$NETCONFORM_MERGE_ZONES\" pulumi netconform-verify-per-zone")),
        "{zones:?}"
    );
    assert!(
        root()
            .join(
                gitlab[".netconform-per-zone"]["variables"]["NETCONFORM_MERGE_ZONES"]
                    .as_str()
                    .unwrap()
            )
            .is_file()
    );
    let job = &gitlab[".netconform-verify"];
    assert_eq!(job["id_tokens"]["AWS_ID_TOKEN"]["aud"], "sts.amazonaws.com");
    assert!(
        job["variables"]["NETCONFORM_IMAGE"]
            .as_str()
            .unwrap()
            .contains("@sha256:"),
        "the image is pinned by digest"
    );
    let before: Vec<&str> = job["before_script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        before
            .iter()
            .any(|l| l.contains("export AWS_WEB_IDENTITY_TOKEN_FILE=")),
        "{before:?}"
    );
    assert!(
        before
            .iter()
            .any(|l| l.contains("aws eks update-kubeconfig")),
        "{before:?}"
    );
}

/// On Google Cloud the pipelines log in without stored keys: GitHub through
/// google-github-actions/auth (workload identity federation) and a GKE kubeconfig, GitLab
/// through its ID token made into a credential configuration gcloud logs in with, the
/// Kubernetes Job through GKE Workload Identity on its ServiceAccount.
#[test]
fn the_pipelines_log_in_to_google_cloud_without_stored_keys() {
    let workflow = yaml("ci/github/post-deploy.yml");
    let steps = workflow["jobs"]["verify"]["steps"].as_array().unwrap();
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no step {name:?}"))
    };
    let auth = step("Google Cloud credentials (workload identity federation)");
    assert!(
        auth["uses"]
            .as_str()
            .unwrap()
            .starts_with("google-github-actions/auth@")
    );
    assert_eq!(
        auth["with"]["workload_identity_provider"],
        "${{ inputs.gcp-workload-identity-provider }}"
    );
    assert_eq!(
        auth["with"]["service_account"],
        "${{ inputs.gcp-service-account }}"
    );
    assert!(auth.get("credentials_json").is_none(), "no key file");
    let gke = step("Kubeconfig for the GKE cluster");
    assert!(
        gke["uses"]
            .as_str()
            .unwrap()
            .starts_with("google-github-actions/get-gke-credentials@")
    );
    let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
    let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert!(
        at("Google Cloud credentials (workload identity federation)") < at("Verify the deployment"),
        "credentials before the run"
    );

    let gitlab = yaml("ci/gitlab/post-deploy.yml");
    let job = &gitlab[".netconform-verify"];
    assert_eq!(
        job["id_tokens"]["GCP_ID_TOKEN"]["aud"],
        "https://iam.googleapis.com/${GCP_WORKLOAD_IDENTITY_PROVIDER}"
    );
    let before = job["before_script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        before.contains("gcloud iam workload-identity-pools create-cred-config \"$GCP_WORKLOAD_IDENTITY_PROVIDER\"")
            && before.contains("gcloud auth login --cred-file="),
        "{before}"
    );

    let (_, _, accounts, _) = manifests_with_roles("ci/kubernetes/verify-job.yaml");
    let annotations = accounts[0].metadata.annotations.as_ref().unwrap();
    assert!(annotations["iam.gke.io/gcp-service-account"].ends_with(".iam.gserviceaccount.com"));
    assert!(read("ci/Dockerfile").contains("google-cloud-cli"));
}

/// The AKS Job signs in through Microsoft Entra Workload ID for real: the ServiceAccount names
/// the managed identity's client id, the pod is labelled for the webhook to project the token,
/// az signs in with that token before netconform runs (sharing az's config directory), and the
/// environment collects from Azure with the image that holds the Azure CLI
/// (https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster).
#[test]
fn the_aks_job_signs_in_through_entra_workload_id() {
    let file = "ci/kubernetes/verify-job-aks.yaml";
    let (jobs, maps, accounts, _) = manifests_with_roles(file);
    assert_eq!((jobs.len(), maps.len(), accounts.len()), (1, 1, 1));
    let account = &accounts[0];
    let client_id =
        &account.metadata.annotations.as_ref().unwrap()["azure.workload.identity/client-id"];
    let parts: Vec<usize> = client_id.split('-').map(str::len).collect();
    assert_eq!(
        parts,
        [8, 4, 4, 4, 12],
        "{file}: a client id (a GUID): {client_id}"
    );
    let job = &jobs[0];
    let pod = job.spec.as_ref().unwrap().template.clone();
    assert_eq!(
        pod.metadata.as_ref().unwrap().labels.as_ref().unwrap()["azure.workload.identity/use"],
        "true",
        "{file}: the pod template carries the webhook's label (the label, not an annotation)"
    );
    let spec = pod.spec.as_ref().unwrap();
    assert_eq!(
        spec.service_account_name.as_deref(),
        account.metadata.name.as_deref(),
        "{file}: the pod runs as the annotated ServiceAccount"
    );
    assert_eq!(
        job.metadata.namespace, account.metadata.namespace,
        "{file}: the federated subject is system:serviceaccount:<this namespace>:<this name>"
    );
    let args = check_job(job, file);
    assert_eq!(
        args[..3],
        ["verify", "--env", "/etc/netconform/environment.toml"]
    );
    let config_dir = |c: &k8s_openapi::api::core::v1::Container| {
        c.env
            .iter()
            .flatten()
            .find(|e| e.name == "AZURE_CONFIG_DIR")
            .and_then(|e| e.value.clone())
    };
    let login = &spec.init_containers.as_ref().unwrap()[0];
    let script = login.command.as_ref().unwrap().join(" ");
    for part in [
        "az login --service-principal",
        "--username \"$AZURE_CLIENT_ID\"",
        "--tenant \"$AZURE_TENANT_ID\"",
        "--federated-token \"$(cat \"$AZURE_FEDERATED_TOKEN_FILE\")\"",
    ] {
        assert!(
            script.contains(part),
            "{file}: the sign-in lacks {part}: {script}"
        );
    }
    let main = &spec.containers[0];
    assert_eq!(
        main.image, login.image,
        "{file}: one image, with the Azure CLI"
    );
    let dir = config_dir(login).expect("the sign-in's AZURE_CONFIG_DIR");
    assert_eq!(
        config_dir(main),
        Some(dir.clone()),
        "{file}: az's login is shared"
    );
    let mounted = |c: &k8s_openapi::api::core::v1::Container| {
        c.volume_mounts
            .iter()
            .flatten()
            .find(|m| m.mount_path == dir)
            .map(|m| m.name.clone())
    };
    assert!(
        mounted(login).is_some() && mounted(login) == mounted(main),
        "{file}"
    );
    let text = &maps[0].data.as_ref().unwrap()["environment.toml"];
    let env = netconform_model::Environment::from_toml(text, Path::new("environment.toml"))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    assert!(
        env.config
            .collect
            .contains(&netconform_model::environment::CollectFrom::Azure),
        "{file}: collects from Azure: {:?}",
        env.config.collect
    );
    assert!(read("ci/Dockerfile").contains("WITH_AZURE_CLI"));
    assert!(read("ci/Dockerfile").contains("install -y --no-install-recommends azure-cli"));
}
