//! What the Azure collection tests share (`azure.rs`, `azure_edge.rs`, `azure_arm.rs`): a
//! collection against netconform-testkit's fake az (or another az) in a directory of its own,
//! what it wrote, and the DNS answers
//! that put an Azure Front Door or an Application Gateway for Containers in front.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a part of this module"
)]

use std::path::{Path, PathBuf};

use netconform_collect::{AzCli, Call, Manifest, collect_azure};
use netconform_model::Environment;
use netconform_testkit::azure::FakeAzure;
use serde_json::Value;

/// The recorded answers' subscription.
pub const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// The recorded Front Door endpoint's host name (`fixtures/azure/rest`).
pub const FRONT_DOOR_HOST: &str = "pulumi-api-abcdefghijklmnop.z01.azurefd.net";

/// The recorded AGC frontend's FQDN (`fixtures/azure/rest`).
pub const AGC_FQDN: &str = "bqgsa4c8fhcrgnh6.fz23.alb.azure.com";

pub struct Case {
    pub dir: PathBuf,
    pub azure: FakeAzure,
}

impl Case {
    pub fn new(name: &str) -> Case {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("az-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let azure = FakeAzure::new(&dir);
        Case { dir, azure }
    }

    /// A case whose api and app records are CNAMEs to `target` (no A record): the Front Door
    /// endpoint's host name, the AGC frontend's FQDN.
    pub fn behind(name: &str, target: &str) -> Case {
        let case = Case::new(name);
        case.azure.answer(
            "network dns record-set cname list",
            &netconform_testkit::azure::cname_records(target),
        );
        case.azure.answer("network dns record-set a list", "[]\n");
        case
    }

    pub fn out(&self) -> PathBuf {
        self.dir.join("out")
    }

    pub async fn collect(&self) -> Manifest {
        collect_with(&self.azure.az(), &self.out()).await
    }

    pub fn read(&self, file: &str) -> Value {
        read(&self.out(), file)
    }

    /// The names of the resources in `file`.
    pub fn names(&self, file: &str) -> Vec<String> {
        names(&self.out(), file)
    }

    /// The `az rest` calls made, one line each (az's arguments).
    pub fn rest_calls(&self) -> Vec<String> {
        self.azure
            .calls()
            .lines()
            .filter(|l| l.starts_with("rest "))
            .map(str::to_owned)
            .collect()
    }
}

/// A whole Azure collection of `sandbox.test` in the recorded subscription through the az at
/// `program`, into `out`.
pub async fn collect_with(program: &Path, out: &Path) -> Manifest {
    let env = Environment::new("sandbox.test".parse().unwrap());
    let mut cli = AzCli::new(Some(SUBSCRIPTION.into()));
    cli.program = program.display().to_string();
    collect_azure(&env, &cli, out, "2026-12-01T00:00:00Z".into(), &|_| {})
        .await
        .unwrap_or_else(|e| panic!("failed to collect: {e}"))
}

/// The JSON collection wrote as `out/file`.
pub fn read(out: &Path, file: &str) -> Value {
    let text =
        std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The names of the resources in `out/file`.
pub fn names(out: &Path, file: &str) -> Vec<String> {
    read(out, file)
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The call of `manifest` that was refused, asserted to name `action` (ARM's AuthorizationFailed
/// for it) in its result.
pub fn refused_call<'a>(manifest: &'a Manifest, action: &str) -> &'a Call {
    let call = manifest
        .calls
        .iter()
        .find(|c| c.result.starts_with("denied"))
        .unwrap_or_else(|| panic!("no call was refused: {:#?}", manifest.calls));
    assert!(
        call.result
            .starts_with(&format!("denied: AuthorizationFailed for {action}")),
        "{}",
        call.result
    );
    call
}

/// A collection whose gateway list was refused (`Microsoft.Network/applicationGateways/read`)
/// says so in the manifest and in `out/denied.json`, and writes no gateways.
pub fn assert_gateways_refused(manifest: &Manifest, out: &Path) {
    const ACTION: &str = "Microsoft.Network/applicationGateways/read";
    assert_eq!(
        manifest.denied(),
        [(
            ACTION,
            "the Application Gateway: kind, zones, subnet, backend settings, probes, draining"
        )]
    );
    refused_call(manifest, ACTION);
    assert_eq!(
        read(out, "denied.json")["NetconformDenied"][0]["Action"],
        ACTION
    );
    assert!(
        !manifest
            .files
            .contains(&"application-gateways.json".to_owned())
    );
}

/// The files and resources a whole collection wrote for the recorded deployment (the AKS
/// deployment behind its Application Gateway), nothing refused:
/// `discovery_goes_from_the_domain_to_the_deployment_and_keeps_only_it` in azure.rs through
/// the fake az, and azure_arm.rs through the real az.
pub fn assert_the_deployment(out: &Path, manifest: &Manifest) {
    let mut files = manifest.files.clone();
    files.sort();
    assert_eq!(
        files,
        [
            "application-gateways.json",
            "clusters.json",
            "locks.json",
            "nat-gateways.json",
            "postgres-servers.json",
            "private-dns-zones.json",
            "private-endpoints.json",
            "public-ips.json",
            "records-a.json",
            "vnets.json",
        ]
    );
    assert_eq!(names(out, "records-a.json"), ["api", "app"]);
    assert_eq!(names(out, "public-ips.json"), ["pulumi-appgw-pip"]);
    assert_eq!(names(out, "application-gateways.json"), ["pulumi-appgw"]);
    assert_eq!(names(out, "clusters.json"), ["pulumi-aks"]);
    assert_eq!(names(out, "vnets.json"), ["pulumi-vnet"]);
    assert_eq!(names(out, "nat-gateways.json"), ["nat-1", "nat-2", "nat-3"]);
    assert_eq!(names(out, "postgres-servers.json"), ["pulumi-db"]);
    assert_eq!(names(out, "locks.json"), ["pulumi-rg-nodelete"]);
    assert_eq!(
        names(out, "private-dns-zones.json"),
        ["privatelink.blob.core.windows.net"]
    );
    assert_eq!(manifest.account.as_deref(), Some(SUBSCRIPTION));
    assert!(manifest.denied().is_empty(), "{:?}", manifest.denied());
}
