//! Azure collection through the real az (the pinned azure-cli) against a loopback fake of Azure
//! Resource Manager (`netconform_testkit::arm`): the fake serves, in ARM's REST shape, the same
//! subscription the fake az's recorded answers hold (the conformant AKS deployment beside
//! another team's resources), over https on 127.0.0.1, logged in with a managed identity it
//! also fakes, nothing leaving loopback. What az prints from it must be what the recorded
//! answers say, so discovery keeps the same resources; a refused call must come back through az
//! named by its RBAC action; paging through `nextLink` must change nothing. Behind Front Door,
//! Front Door (classic) and Application Gateway for Containers, read through `az rest` (their
//! az commands are extensions'), the real az must reach the fake's REST pages too.

mod common;

use std::path::{Path, PathBuf};

use netconform_collect::Manifest;
use netconform_collect::azure::COMMANDS;
use netconform_config::load;
use netconform_model::environment::ConfigSettings;
use netconform_testkit::arm::{FakeArm, SUBSCRIPTION};
use netconform_testkit::azure::ANSWERS;
use serde_json::Value;

/// The files collection writes for the deployment, and the recorded answer each comes from.
const WRITTEN: [(&str, &str); 10] = [
    (
        "application-gateways.json",
        "network-application-gateway-list",
    ),
    ("clusters.json", "aks-list"),
    ("locks.json", "lock-list"),
    ("nat-gateways.json", "network-nat-gateway-list"),
    ("postgres-servers.json", "postgres-flexible-server-list"),
    ("private-dns-zones.json", "network-private-dns-zone-list"),
    ("private-endpoints.json", "network-private-endpoint-list"),
    ("public-ips.json", "network-public-ip-list"),
    ("records-a.json", "network-dns-record-set-a-list"),
    ("vnets.json", "network-vnet-list"),
];

struct Case {
    dir: PathBuf,
    fake: FakeArm,
}

impl Case {
    /// A fake ARM in a fresh directory, az logged in to it.
    fn new(name: &str) -> Case {
        Case::answering(name, &[])
    }

    /// [`Case::new`], `answers` in place of their namesakes among the recorded answers.
    fn answering(name: &str, answers: &[(&str, String)]) -> Case {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("arm-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let fake = FakeArm::start_answering(&dir.join("fake"), answers);
        fake.login();
        Case { dir, fake }
    }

    fn out(&self) -> PathBuf {
        self.dir.join("out")
    }

    async fn collect(&self) -> Manifest {
        common::collect_with(self.fake.az(), &self.out()).await
    }

    fn read(&self, file: &str) -> Value {
        common::read(&self.out(), file)
    }

    /// The requests for the subscription's resources the fake answered (not the token's,
    /// nor login's list of subscriptions).
    fn arm_requests(&self) -> Vec<String> {
        self.fake
            .requests()
            .into_iter()
            .filter(|r| r.starts_with(&format!("GET /subscriptions/{SUBSCRIPTION}/")))
            .collect()
    }

    /// Nothing tried to leave loopback, and every ARM request carried a bearer token.
    fn assert_loopback_and_bearer(&self) {
        assert!(
            self.fake.egress().is_empty(),
            "left loopback: {:?}",
            self.fake.egress()
        );
        let arm = self.arm_requests();
        assert!(!arm.is_empty());
        assert!(arm.iter().all(|r| r.ends_with(" auth=Bearer")), "{arm:#?}");
    }
}

#[tokio::test]
async fn the_real_az_collects_from_the_fake_arm_what_the_recorded_answers_give() {
    let case = Case::new("collect");
    let manifest = case.collect().await;
    common::assert_the_deployment(&case.out(), &manifest);
    // Every file written is compared with its recorded answer below.
    let mut files = manifest.files.clone();
    files.sort();
    assert_eq!(files, WRITTEN.map(|(f, _)| f));
    let gateways = manifest
        .calls
        .iter()
        .find(|c| c.command.starts_with("az network application-gateway list"))
        .expect("the gateways were listed");
    assert_eq!(gateways.result, "ok: kept 1 of 2");
    // What az printed from the fake is what the recorded answers say, resource for resource:
    // every field, the references discovery follows among them.
    for (file, answer) in WRITTEN {
        let recorded: Value = serde_json::from_str(
            &std::fs::read_to_string(Path::new(ANSWERS).join(format!("{answer}.json"))).unwrap(),
        )
        .unwrap();
        for kept in case.read(file).as_array().unwrap() {
            let same = recorded
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == kept["id"])
                .unwrap_or_else(|| panic!("{file}: {} is not recorded", kept["id"]));
            assert_eq!(
                kept, same,
                "{file}: az's output and the recorded answer differ"
            );
        }
    }
    // One ARM request per call (account show reads az's profile), each with its token.
    case.assert_loopback_and_bearer();
    let arm = case.arm_requests();
    assert_eq!(arm.len(), manifest.calls.len() - 1, "{arm:#?}");
    for path in [
        "/resourceGroups/pulumi-rg/providers/Microsoft.Network/dnsZones/sandbox.test/A?",
        "/resourceGroups/pulumi-rg/providers/Microsoft.Authorization/locks?",
    ] {
        assert!(arm.iter().any(|r| r.contains(path)), "{path}: {arm:#?}");
    }
    // Every file reads back through netconform-config, as the input its command feeds.
    let settings = ConfigSettings {
        azure: vec![format!("{}/*.json", case.out().display()).parse().unwrap()],
        ..ConfigSettings::default()
    };
    let d = load(&settings, &case.out()).unwrap_or_else(|e| panic!("failed to {e}"));
    assert!(d.on_azure());
    for call in manifest.calls.iter().filter(|c| c.file.is_some()) {
        let feeds = COMMANDS
            .iter()
            .find(|c| {
                let words = format!("az {}", c.words.join(" "));
                call.command == words || call.command.starts_with(&format!("{words} "))
            })
            .and_then(|c| c.feeds)
            .unwrap_or_else(|| panic!("{} feeds nothing", call.command));
        assert!(d.has(feeds), "{} was not read as {feeds:?}", call.command);
    }
}

#[tokio::test]
async fn a_call_arm_refuses_comes_back_through_az_named_by_its_rbac_action() {
    let case = Case::new("denied");
    case.fake.forbid(
        "Microsoft.Network/applicationGateways",
        "Microsoft.Network/applicationGateways/read",
    );
    let manifest = case.collect().await;
    common::assert_gateways_refused(&manifest, &case.out());
    case.assert_loopback_and_bearer();
}

#[tokio::test]
async fn az_follows_arm_s_next_links_and_collection_keeps_the_same_resources() {
    let case = Case::new("paged");
    case.fake.page(true);
    let manifest = case.collect().await;
    common::assert_the_deployment(&case.out(), &manifest);
    let arm = case.arm_requests();
    assert!(
        arm.iter().any(|r| r.contains("$skiptoken=")),
        "no paging: {arm:#?}"
    );
    assert!(arm.len() > manifest.calls.len(), "{arm:#?}");
    case.assert_loopback_and_bearer();
}

/// The api and app records as CNAMEs to `target`, in place of the recorded A records.
fn behind(name: &str, target: &str) -> Case {
    Case::answering(
        name,
        &[
            (
                "network-dns-record-set-cname-list.json",
                netconform_testkit::azure::cname_records(target),
            ),
            ("network-dns-record-set-a-list.json", "[]\n".to_owned()),
        ],
    )
}

/// `az rest --method get --url /subscriptions/...` as collection gives it: the real az puts the
/// cloud's ARM endpoint before the path, sends the token, and prints the REST page; behind each
/// edge collection writes its files and goes on to the gateway or the VNet.
#[tokio::test]
async fn behind_each_edge_the_real_az_rest_reads_the_rest_pages_and_discovery_goes_on() {
    for (name, target, written, leads_to) in [
        (
            "afd",
            "pulumi-api-abcdefghijklmnop.z01.azurefd.net",
            &[
                "front-door-endpoints.json",
                "front-door-origin-groups.json",
                "front-door-origins.json",
                "front-door-profiles.json",
                "front-door-routes.json",
            ][..],
            "application-gateways.json",
        ),
        (
            "afd-classic",
            "pulumi-fd-classic.azurefd.net",
            &["front-doors-classic.json"][..],
            "application-gateways.json",
        ),
        (
            "agc",
            "bqgsa4c8fhcrgnh6.fz23.alb.azure.com",
            &[
                "agc-associations.json",
                "agc-frontends.json",
                "agc-traffic-controllers.json",
            ][..],
            "vnets.json",
        ),
    ] {
        let case = behind(name, target);
        let manifest = case.collect().await;
        for file in written.iter().chain([&leads_to]) {
            assert!(
                manifest.files.iter().any(|f| f == file),
                "{name}: {file} not written: {:?}",
                manifest.files
            );
        }
        let rest: Vec<_> = manifest
            .calls
            .iter()
            .filter(|c| c.command.starts_with("az rest "))
            .collect();
        assert!(!rest.is_empty(), "{name}");
        assert!(
            rest.iter().all(|c| c.result.starts_with("ok")),
            "{name}: {rest:#?}"
        );
        case.assert_loopback_and_bearer();
        // Every file reads back through netconform-config.
        let settings = ConfigSettings {
            azure: vec![format!("{}/*.json", case.out().display()).parse().unwrap()],
            ..ConfigSettings::default()
        };
        load(&settings, &case.out()).unwrap_or_else(|e| panic!("{name}: failed to {e}"));
    }
}
