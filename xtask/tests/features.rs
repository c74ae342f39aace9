//! The binary's build and the workspace's test build share their artifacts: every crate the
//! binary builds gets the same features in `cargo build --release -p netconform` (what
//! `cargo xtask verify` runs) as in `cargo test --workspace --release` (what `cargo xtask
//! test` runs), so neither rebuilds what the other built. A dependency that only the tests
//! use (jsonschema, k8s-openapi) can turn a feature on in a crate far down the graph (serde,
//! hashbrown); Cargo then builds that crate and everything above it twice. The fix is to ask
//! for the feature where the binary sees it too: in `[workspace.dependencies]`, or in
//! crates/netconform's manifest for a crate it does not use itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// `cargo tree` over `selection`: each package (name and version) -> its feature sets (one
/// per build of it: a crate built for a build script and for the binary can differ).
fn features(selection: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "--prefix",
            "none",
            "--no-dedupe",
            "--format",
            "{p} [{f}]",
        ])
        .args(selection)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo tree {selection:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut packages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let mut words = line.split_whitespace();
        let (Some(name), Some(version)) = (words.next(), words.next()) else {
            continue;
        };
        let features = line.rsplit_once('[').map_or("", |(_, f)| f);
        packages
            .entry(format!("{name} {version}"))
            .or_default()
            .insert(features.trim_end_matches(']').to_owned());
    }
    packages
}

#[test]
fn the_binary_and_the_tests_build_its_crates_with_the_same_features() {
    let binary = features(&["--package", "netconform", "--edges", "normal,build"]);
    let tests = features(&["--workspace", "--edges", "normal,build,dev"]);
    assert!(
        binary.len() > 100,
        "read too few packages from cargo tree: {binary:?}"
    );
    let differ: Vec<String> = binary
        .iter()
        .filter(|(package, sets)| tests.get(*package) != Some(sets))
        .map(|(package, sets)| {
            format!(
                "{package}: the binary's build {sets:?}, the tests' {:?}",
                tests.get(package)
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "these crates get other features in `cargo test --workspace` than in `cargo build -p netconform`, so each builds them (and all above them) again; ask for the tests' features in [workspace.dependencies] or crates/netconform/Cargo.toml:\n{}",
        differ.join("\n")
    );
}
