//! `[config] collect = ["gcp"]` through the binary: `verify` collects the GKE deployment
//! through the real gcloud from a loopback fake of Google's APIs (another team's resources
//! beside it), writes the files under the report directory's `collected/gcp/`, and judges
//! them with the cluster's manifests; `netconform collect` prints the `[config] gcp` line.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use netconform_testkit::google::{self, FakeGoogle, PROJECT};
use serde_json::Value;

#[test]
fn verify_collects_through_gcloud_and_judges_what_it_collected() {
    let dir = TempDir::new("collect-gcp");
    let state = google::state(Path::new(&corpus("gcp-gke/gcp")));
    let fake = FakeGoogle::start(&state, &["*"], &dir.path().join("fake"));
    let gcloud = fake.gcloud_wrapper(dir.path());
    let config = format!(
        "collect = [\"gcp\"]\nproject = {PROJECT:?}\ngcloud = {:?}\nkubernetes = [{:?}]\n",
        gcloud.display().to_string(),
        corpus("gcp-gke/kubernetes/*.yaml")
    );
    let env = dir.path().join("env.toml");
    std::fs::write(
        &env,
        format!("domain = \"sandbox.test\"\n\n[config]\n{config}"),
    )
    .unwrap();
    let reports = dir.path().join("reports");
    let run = verify_config(&env, &reports);
    let stderr = &run.stderr;
    assert!(stderr.contains("through gcloud"), "{stderr}");
    assert!(
        reports
            .join("collected/gcp/forwarding-rules.json")
            .is_file(),
        "{stderr}"
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("collected/collected.json")).unwrap(),
    )
    .unwrap();
    assert!(
        manifest["calls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["result"].as_str().unwrap().starts_with("ok")),
        "{manifest:#}"
    );
    run.assert_nothing_failed();

    let exported = dir.path().join("exported");
    let out = Command::new(BIN)
        .args(["collect", "--env"])
        .arg(&env)
        .arg("--out")
        .arg(&exported)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("\ngcp = ["), "{printed}");
    assert!(exported.join("gcp/backend-services.json").is_file());
}
