//! What the Azure collection tests share (`azure.rs`, `azure_edge.rs`): a collection against
//! netconform-testkit's fake az in a directory of its own, what it wrote, and the DNS answers
//! that put an Azure Front Door or an Application Gateway for Containers in front.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a part of this module"
)]

use std::path::{Path, PathBuf};

use netconform_collect::{AzCli, Manifest, collect_azure};
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
        let env = Environment::new("sandbox.test".parse().unwrap());
        let mut cli = AzCli::new(Some(SUBSCRIPTION.into()));
        cli.program = self.azure.az().display().to_string();
        collect_azure(
            &env,
            &cli,
            &self.out(),
            "2026-12-01T00:00:00Z".into(),
            &|_| {},
        )
        .await
        .unwrap_or_else(|e| panic!("failed to collect: {e}"))
    }

    pub fn read(&self, file: &str) -> Value {
        let text = std::fs::read_to_string(self.out().join(file))
            .unwrap_or_else(|e| panic!("read {file}: {e}"));
        serde_json::from_str(&text).unwrap()
    }

    /// The names of the resources in `file`.
    pub fn names(&self, file: &str) -> Vec<String> {
        self.read(file)
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_owned())
            .collect()
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
