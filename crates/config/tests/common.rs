//! What the corpus tests share (`corpus.rs`, `azure.rs`, `gcp_corpus.rs`): the checks by the
//! short names the expectations use, the data directory, and how an outcome is held to an
//! expectation; and, for the fuzz tests (`fuzz.rs`, `gcp_fuzz.rs`), how a document is mutated.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a part of this module"
)]

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use netconform_config::{Deployment, checks};
use netconform_model::evidence::Evidence;
use netconform_model::evidence::config::{Finding, FindingStatus};
use netconform_model::{Outcome, Verdict};

pub const DOMAIN: &str = "sandbox.test";

pub fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Every check, by the short name the expectations use.
pub const CHECKS: [&str; 20] = [
    "api-zones",
    "lb-zones",
    "replicas",
    "lb-public",
    "api-private",
    "database",
    "nat",
    "s3-endpoint",
    "cpu",
    "bounds",
    "stop-timeout",
    "drain",
    "timeline",
    "instances",
    "alb",
    "deletion-protection",
    "health-check",
    "readiness",
    "startup-grace",
    "dns",
];

pub fn run(check: &str, d: &Deployment) -> Outcome {
    match check {
        "api-zones" => checks::check_api_zones(d),
        "lb-zones" => checks::check_load_balancer_zones(d),
        "replicas" => checks::check_api_replicas(d),
        "lb-public" => checks::check_load_balancer_subnets(d),
        "api-private" => checks::check_api_private_subnets(d),
        "database" => checks::check_database_tier(d),
        "nat" => checks::check_nat_per_zone(d),
        "s3-endpoint" => checks::check_object_storage_endpoint(d),
        "cpu" => checks::check_cpu_target(d),
        "bounds" => checks::check_scaling_bounds(d),
        "stop-timeout" => checks::check_stop_timeout(d),
        "drain" => checks::check_drain_hook(d),
        "timeline" => checks::check_shutdown_timeline(d),
        "instances" => checks::check_instance_draining(d),
        "alb" => checks::check_application_load_balancer(d),
        "deletion-protection" => checks::check_deletion_protection(d),
        "health-check" => checks::check_health_check_path(d),
        "readiness" => checks::check_readiness_probe(d),
        "startup-grace" => checks::check_startup_grace(d),
        "dns" => checks::check_dns_records(d, DOMAIN, None, &[]),
        other => panic!("no check {other}"),
    }
}

pub fn findings(outcome: &Outcome) -> Vec<&Finding> {
    outcome
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Config(f) => Some(f),
            _ => None,
        })
        .collect()
}

/// Files under `dir`, relative to it, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

/// What one check must conclude: its verdict, a fragment of its reason, and (for a failure)
/// the `file: path` of an error finding.
pub struct Expect {
    pub check: &'static str,
    pub verdict: Verdict,
    pub at: Cow<'static, str>,
    pub reason: &'static str,
}

pub const fn fail(check: &'static str, at: &'static str, reason: &'static str) -> Expect {
    Expect {
        check,
        verdict: Verdict::Fail,
        at: Cow::Borrowed(at),
        reason,
    }
}

pub const fn pass(check: &'static str, reason: &'static str) -> Expect {
    Expect {
        check,
        verdict: Verdict::Pass,
        at: Cow::Borrowed(""),
        reason,
    }
}

pub const fn inconclusive(check: &'static str, reason: &'static str) -> Expect {
    Expect {
        check,
        verdict: Verdict::Inconclusive,
        at: Cow::Borrowed(""),
        reason,
    }
}

pub fn assert_expected(what: &str, got: &Outcome, want: &Expect) {
    assert_eq!(
        got.verdict, want.verdict,
        "{what}: {} should be {:?}: {}",
        want.check, want.verdict, got.reason
    );
    assert!(
        got.reason.contains(want.reason),
        "{what}: {}: reason {:?} lacks {:?}",
        want.check,
        got.reason,
        want.reason
    );
    if !want.at.is_empty() {
        let places: Vec<String> = findings(got)
            .iter()
            .filter(|f| f.status == FindingStatus::Error)
            .map(|f| {
                if f.path.is_empty() {
                    f.file.clone()
                } else {
                    format!("{}: {}", f.file, f.path)
                }
            })
            .collect();
        assert!(
            places.iter().any(|p| *p == want.at),
            "{what}: {}: no error finding at {:?}; errors at {places:#?}",
            want.check,
            want.at
        );
    }
}

/// Checks `d` against `expected`; every check not listed must have the verdict `others`
/// gives it.
pub fn check_all(
    what: &str,
    d: &Deployment,
    expected: &[Expect],
    others: impl Fn(&str) -> Verdict,
) {
    for check in CHECKS {
        let got = run(check, d);
        match expected.iter().find(|e| e.check == check) {
            Some(want) => assert_expected(what, &got, want),
            None => assert_eq!(
                got.verdict,
                others(check),
                "{what}: {check} should stay {:?}: {}",
                others(check),
                got.reason
            ),
        }
    }
}

/// Every node of a document, depth first; `n`-th replaced by `with`.
pub fn replace_nth(doc: &mut serde_json::Value, n: &mut usize, with: &serde_json::Value) -> bool {
    if *n == 0 {
        *doc = with.clone();
        return true;
    }
    *n -= 1;
    match doc {
        serde_json::Value::Array(items) => items.iter_mut().any(|v| replace_nth(v, n, with)),
        serde_json::Value::Object(map) => map.values_mut().any(|v| replace_nth(v, n, with)),
        _ => false,
    }
}

/// How many nodes a document has.
pub fn count(doc: &serde_json::Value) -> usize {
    1 + match doc {
        serde_json::Value::Array(items) => items.iter().map(count).sum(),
        serde_json::Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

/// What the Front Door set (`azure-afd/`) passes, in whichever format it is given: the check
/// and a fragment of its reason.
pub const FRONT_DOOR_PASSES: [(&str, &str); 3] = [
    ("alb", "Azure Front Door (layer 7)"),
    (
        "health-check",
        "origin group pulumi-api of Front Door profile pulumi-fd",
    ),
    ("dns", "pulumi-fd-endpoint-a1b2c3d4e5f6a7b8.z01.azurefd.net"),
];

/// Each `(check, fragment)` of `passes` passes on `d`, `fragment` in its reason.
pub fn assert_passes(what: &str, d: &Deployment, passes: &[(&'static str, &'static str)]) {
    for (check, fragment) in passes {
        assert_expected(what, &run(check, d), &pass(check, fragment));
    }
}

/// The load balancer's zones and subnets are not applicable on `d`, an Azure edge Azure places
/// itself, citing `source` (Microsoft's page saying so).
pub fn assert_placed_by_azure(d: &Deployment, source: &str) {
    for check in ["lb-zones", "lb-public"] {
        let got = run(check, d);
        assert_eq!(
            got.verdict,
            Verdict::NotApplicable,
            "{check}: {}",
            got.reason
        );
        assert!(got.reason.contains(source), "{check}: {}", got.reason);
    }
}
