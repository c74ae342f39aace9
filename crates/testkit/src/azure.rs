//! az against recorded management-API answers, for the Azure collection tests (no Azure can be
//! reached where they run): [`FAKE`] answers `az ... -o json` from a directory of recorded
//! answers ([`ANSWERS`]: the conformant AKS deployment of `crates/config/tests/data/azure-aks`
//! as az lists it, beside another team's gateway, VNet, NAT gateway, database, zone and lock),
//! and answers AuthorizationFailed for the commands a test forbids. `az rest --method get --url
//! URL -o json` is answered from `rest/` (a key made of the URL's path: see `fixtures/fake-az`
//! and `fixtures/azure/rest/README.md`): an Azure Front Door profile in front of the recorded
//! Application Gateway and an Application Gateway for Containers on the recorded VNet, beside
//! another team's of each and a classic CDN profile.

use std::path::{Path, PathBuf};

/// `fixtures/fake-az`.
pub const FAKE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fake-az");

/// `fixtures/azure`: the recorded answers, one file per az command.
pub const ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/azure");

/// One fake subscription: the answers it gives and its state (the calls made, the commands
/// forbidden), in `dir/state`.
pub struct FakeAzure {
    dir: PathBuf,
}

impl FakeAzure {
    /// Answering from [`ANSWERS`], its state under `dir` (created).
    pub fn new(dir: &Path) -> FakeAzure {
        std::fs::create_dir_all(dir.join("state")).expect("make the fake's state directory");
        FakeAzure {
            dir: dir.to_owned(),
        }
    }

    /// Writes `dir/az`, az as a user's wrapper would be; returns its path.
    pub fn az(&self) -> PathBuf {
        let path = self.dir.join("az");
        crate::script(
            &path,
            &format!(
                "#!/bin/sh\nFAKE_ANSWERS='{ANSWERS}' FAKE_STATE='{}' exec '{FAKE}' \"$@\"\n",
                self.dir.join("state").display()
            ),
        );
        path
    }

    /// From now on, `az <words...>` (`network application-gateway list`) is refused the RBAC
    /// action `action`, as ARM refuses it; `rest <segment>` (`rest afdendpoints`) refuses the
    /// `az rest` calls whose URL path ends in that segment (case aside).
    pub fn forbid(&self, words: &str, action: &str) {
        std::fs::write(
            self.dir
                .join(format!("state/forbidden-{}", words.replace(' ', "-"))),
            action,
        )
        .expect("write the fake's state");
    }

    /// From now on, `az <words...>` (`lock list`) prints `json` in place of its recorded answer.
    pub fn answer(&self, words: &str, json: &str) {
        std::fs::write(
            self.dir
                .join(format!("state/answer-{}.json", words.replace(' ', "-"))),
            json,
        )
        .expect("write the fake's state");
    }

    /// The calls made so far, one line each (az's arguments).
    pub fn calls(&self) -> String {
        std::fs::read_to_string(self.dir.join("state/calls")).unwrap_or_default()
    }
}

/// What `az network dns record-set cname list -o json` prints for api and app, both CNAMEs to
/// `target`: how the tests put the api and app records in front of a Front Door endpoint or an
/// AGC frontend ([`FakeAzure::answer`]).
pub fn cname_records(target: &str) -> String {
    let zone = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/pulumi-rg/providers/Microsoft.Network/dnszones/sandbox.test";
    let record = |name: &str| {
        serde_json::json!({
            "CNAMERecord": { "cname": target },
            "TTL": 300,
            "etag": "00000000-0000-0000-0000-00000000000c",
            "fqdn": format!("{name}.sandbox.test."),
            "id": format!("{zone}/CNAME/{name}"),
            "name": name,
            "provisioningState": "Succeeded",
            "resourceGroup": "pulumi-rg",
            "targetResource": {},
            "type": "Microsoft.Network/dnszones/CNAME"
        })
    };
    serde_json::to_string_pretty(&serde_json::json!([record("api"), record("app")])).unwrap()
}
