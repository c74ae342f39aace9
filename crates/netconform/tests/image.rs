//! The verifier image (ci/Dockerfile) built here without a registry: its base is a Debian root
//! filesystem made by mmdebstrap with the AWS CLI (Debian's), its build image that base with
//! this build's netconform and the machine's kubectl in /out (the Dockerfile keeps what the
//! build image holds), both imported or built locally. The image must run `verify --help`,
//! `kubectl version --client` and `aws --version`, as the non-root user the manifests name.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, TempDir};

const BASE: &str = "netconform-verifier-base:bookworm-1";
const PARTS: &str = "netconform-verifier-parts:test";
const IMAGE: &str = "netconform-verifier:test";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn docker(args: &[&str]) -> (bool, String) {
    let out = Command::new("docker").args(args).output().expect("docker");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The machine's kubectl: the binary `kubectl` on PATH resolves to, or, when that is a
/// dispatcher beside versioned binaries (the Cloud SDK's), the newest of them.
fn machine_kubectl() -> PathBuf {
    let out = Command::new("sh")
        .args(["-c", "command -v kubectl"])
        .output()
        .unwrap();
    let found = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(!found.is_empty(), "kubectl is not on PATH");
    let real = std::fs::canonicalize(&found).unwrap();
    let dir = real.parent().unwrap();
    let mut versioned: Vec<(u32, u32, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?.to_owned();
            let (major, minor) = name.strip_prefix("kubectl.")?.split_once('.')?;
            Some((major.parse().ok()?, minor.parse().ok()?, path))
        })
        .collect();
    versioned.sort();
    versioned.pop().map_or(real, |(_, _, path)| path)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_verifier_image_builds_here_and_runs_its_tools_as_non_root() {
    let dir = TempDir::new("verifier-image");
    netconform_testbed::images::ensure_named(
        BASE,
        &["ca-certificates", "awscli"],
        dir.path(),
        |_| {},
    )
    .await
    .expect("the base image (mmdebstrap, docker import)");

    // The build image: the base with /out/netconform and /out/kubectl.
    let parts = dir.path().join("parts");
    std::fs::create_dir_all(&parts).unwrap();
    std::fs::copy(BIN, parts.join("netconform")).unwrap();
    std::fs::copy(machine_kubectl(), parts.join("kubectl")).unwrap();
    std::fs::write(
        parts.join("Dockerfile"),
        format!("FROM {BASE}\nCOPY netconform kubectl /out/\n"),
    )
    .unwrap();
    let (ok, said) = docker(&["build", "-q", "-t", PARTS, &parts.display().to_string()]);
    assert!(ok, "the build image: {said}");

    let (ok, said) = docker(&[
        "build",
        "-f",
        &root().join("ci/Dockerfile").display().to_string(),
        "--build-arg",
        &format!("BUILD_IMAGE={PARTS}"),
        "--build-arg",
        &format!("BASE_IMAGE={BASE}"),
        "-t",
        IMAGE,
        &root().display().to_string(),
    ]);
    assert!(ok, "ci/Dockerfile: {said}");

    let (ok, said) = docker(&["run", "--rm", IMAGE, "verify", "--help"]);
    assert!(ok && said.contains("--vantage"), "verify --help: {said}");
    let (ok, said) = docker(&["run", "--rm", IMAGE]);
    assert!(
        ok && said.contains("Usage: netconform verify"),
        "the default command: {said}"
    );
    let (ok, said) = docker(&[
        "run",
        "--rm",
        "--entrypoint",
        "kubectl",
        IMAGE,
        "version",
        "--client",
    ]);
    assert!(
        ok && said.contains("Client Version: v1."),
        "kubectl: {said}"
    );
    let (ok, said) = docker(&["run", "--rm", "--entrypoint", "aws", IMAGE, "--version"]);
    assert!(ok && said.contains("aws-cli/"), "aws: {said}");
    let (ok, said) = docker(&["run", "--rm", "--entrypoint", "id", IMAGE, "-u"]);
    assert!(ok && said.trim() == "65532", "runs as 65532: {said}");
    let _ = docker(&["rmi", IMAGE, PARTS]);
}
