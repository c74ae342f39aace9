//! Azure collection through az against recorded management-API answers (no Azure can be
//! reached where the tests run): netconform-testkit's fake az answers from its recorded
//! subscription, the conformant AKS deployment of the config corpus beside another team's
//! resources. Discovery goes from the domain's zone to the deployment; only its resources are
//! written, every call is in the manifest, and a refused call is named by its RBAC action.

mod common;

use std::path::{Path, PathBuf};

use common::{AGC_FQDN, Case, FRONT_DOOR_HOST};
use netconform_collect::azure::COMMANDS;
use serde_json::Value;

#[tokio::test]
async fn discovery_goes_from_the_domain_to_the_deployment_and_keeps_only_it() {
    let case = Case::new("discover");
    let manifest = case.collect().await;
    common::assert_the_deployment(&case.out(), &manifest);
    // Every call is in the manifest, with the action it needs and what it kept.
    let gateways = manifest
        .calls
        .iter()
        .find(|c| c.command.starts_with("az network application-gateway list"))
        .expect("the gateways were listed");
    assert_eq!(
        gateways.action,
        "Microsoft.Network/applicationGateways/read"
    );
    assert_eq!(gateways.result, "ok: kept 1 of 2");
    assert_eq!(gateways.file.as_deref(), Some("application-gateways.json"));
    let calls = case.azure.calls();
    assert_eq!(calls.lines().count(), manifest.calls.len(), "{calls}");
    assert!(
        calls
            .lines()
            .all(|l| l.ends_with("--subscription 00000000-0000-0000-0000-000000000000 -o json")),
        "{calls}"
    );
    assert!(
        calls.contains("network dns record-set a list -g pulumi-rg -z sandbox.test"),
        "{calls}"
    );
}

#[tokio::test]
async fn a_refused_call_is_named_by_its_rbac_action_and_written_for_the_readers() {
    let case = Case::new("denied");
    case.azure.forbid(
        "network application-gateway list",
        "Microsoft.Network/applicationGateways/read",
    );
    let manifest = case.collect().await;
    common::assert_gateways_refused(&manifest, &case.out());
    assert_eq!(
        case.read("denied.json")["NetconformDenied"][0]["Feeds"],
        "aws elbv2 describe-load-balancers"
    );
}

/// The role shipped for collection (`ci/azure/netconform-reader-role.json`) grants exactly the
/// read actions collection uses, each named for its checks in `netconform-reader-role.md`.
#[test]
fn the_reader_role_holds_exactly_the_actions_collection_uses() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ci/azure/netconform-reader-role.json");
    let role: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let granted: Vec<&str> = role["Actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut used: Vec<&str> = COMMANDS
        .iter()
        .map(|c| c.action)
        .filter(|a| !a.is_empty())
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut sorted = granted.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, used, "the role's Actions and collection's differ");
    assert!(granted.iter().all(|a| a.ends_with("/read")), "{granted:?}");
    assert!(role["NotActions"].as_array().unwrap().is_empty());
    assert!(role["DataActions"].as_array().unwrap().is_empty());
    let why = std::fs::read_to_string(path.with_extension("md")).unwrap();
    for a in &used {
        assert!(
            why.lines().any(|l| l.starts_with(&format!("| `{a}` |"))),
            "{a} is not named for its checks in netconform-reader-role.md"
        );
    }
}

/// A list that answers but holds none of the deployment's resources (no lock on the gateway's
/// resource group) is written as such, naming the command and the resource type: az's own `[]`
/// would not say which kind is absent, and leaving the file out would read as "no input".
/// (crates/config/tests/data/azure-broken/aks/no-lock-collected holds what this writes, and
/// the config tests hold the reader to it: no lock is no deletion protection.)
#[tokio::test]
async fn a_list_with_none_of_the_deployments_resources_is_written_as_none_of_its_type() {
    let case = Case::new("none");
    case.azure.answer("lock list", "[]\n");
    let manifest = case.collect().await;
    assert!(
        manifest.files.iter().any(|f| f == "locks.json"),
        "{:?}",
        manifest.files
    );
    let doc = case.read("locks.json");
    let note = &doc["NetconformEmptyList"];
    assert_eq!(note["Type"], "Microsoft.Authorization/locks", "{doc}");
    assert_eq!(note["Listed"], 0, "{doc}");
    assert!(
        note["Command"]
            .as_str()
            .unwrap()
            .starts_with("az lock list -g pulumi-rg"),
        "{doc}"
    );
    let call = manifest
        .calls
        .iter()
        .find(|c| c.command.starts_with("az lock list"))
        .unwrap();
    assert_eq!(call.result, "ok: kept 0 of 0: none of the deployment's");
    assert_eq!(call.file.as_deref(), Some("locks.json"));
    // A list discovery merely did not lead to is not written: no scale set fronts this AKS
    // deployment, and "none" of them is no judgment.
    assert!(!manifest.files.iter().any(|f| f.starts_with("scale-sets")));
}

/// The real az the commands are held to: `NETCONFORM_AZ`, else the pinned azure-cli that
/// `cargo xtask test` installs (xtask's `AZURE_CLI`, 2.91.0, in its own virtual environment).
fn pinned_az() -> PathBuf {
    if let Some(az) = std::env::var_os("NETCONFORM_AZ") {
        return PathBuf::from(az);
    }
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".to_owned());
    let az = PathBuf::from(home).join(".cache/netconform/azure-cli-2.91.0/bin/az");
    assert!(
        az.is_file(),
        "{} is missing: run `cargo xtask test`, which installs azure-cli 2.91.0 there from PyPI, or set NETCONFORM_AZ to an az",
        az.display()
    );
    az
}

/// The words of `az ... --help` that name options (`--resource-group`, `-g`), as az lists
/// them: `--resource-group -g : Name of resource group.`
fn options_in_help(help: &str) -> std::collections::BTreeSet<&str> {
    help.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
        .filter(|w| w.starts_with('-') && w.len() > 1)
        .collect()
}

#[tokio::test]
async fn every_command_and_option_collection_gives_az_exists_in_the_pinned_azure_cli() {
    // No Azure can be reached here. tests/azure_arm.rs runs the real az against a loopback fake
    // of ARM (a custom cloud, a faked managed identity); this proves every command the other
    // way round as well, for each collection the fake az answers: every call made is asked of
    // the real az with --help, which must know the command and list each option given.
    // The rest calls too: a collection behind Front Door and one behind AGC.
    let az = pinned_az();
    let case = Case::new("pinned");
    case.collect().await;
    let front_door = Case::behind("pinned-afd", FRONT_DOOR_HOST);
    front_door.collect().await;
    let agc = Case::behind("pinned-agc", AGC_FQDN);
    agc.collect().await;
    let calls = [&case, &front_door, &agc].map(|c| c.azure.calls()).concat();
    let mut called: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for line in calls.lines() {
        let words: Vec<&str> = line
            .split_whitespace()
            .take_while(|w| !w.starts_with('-'))
            .collect();
        let options = line
            .split_whitespace()
            .filter(|w| w.starts_with('-'))
            .map(str::to_owned);
        called.entry(words.join(" ")).or_default().extend(options);
    }
    // Every call is one of collection's commands; every command is asked, called or not.
    let known: std::collections::BTreeSet<String> =
        COMMANDS.iter().map(|c| c.words.join(" ")).collect();
    for words in called.keys() {
        assert!(known.contains(words), "az {words} is not in COMMANDS");
    }
    assert!(called.len() > 10, "{called:?}");
    assert_eq!(
        called
            .get("rest")
            .map(|o| o.iter().map(String::as_str).collect::<Vec<_>>()),
        Some(vec!["--method", "--url", "-o"]),
        "{called:?}"
    );
    for words in &known {
        let options = called.get(words).cloned().unwrap_or_default();
        let out = std::process::Command::new(&az)
            .args(words.split(' '))
            .arg("--help")
            .env("AZURE_CORE_COLLECT_TELEMETRY", "false")
            .env("AZURE_CONFIG_DIR", case.dir.join("azure-config"))
            .output()
            .unwrap_or_else(|e| panic!("run {}: {e}", az.display()));
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && help.contains("Arguments"),
            "az {words} --help: {}\n{help}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let listed = options_in_help(&help);
        for option in &options {
            assert!(
                listed.contains(option.as_str()),
                "az {words} has no option {option}: {listed:?}"
            );
        }
    }
}
