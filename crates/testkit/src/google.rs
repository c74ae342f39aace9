//! A loopback fake of the Google Cloud REST APIs collection reads (Compute Engine, Kubernetes
//! Engine, Cloud SQL Admin, Cloud DNS), [`FAKE`], started on a free port and stopped on drop,
//! holding a deployment's resources (the `gcp-gke` corpus, as the REST reference gives them)
//! and another team's beside them ([`UNRELATED`]), answering 403 PERMISSION_DENIED for what
//! the caller's permissions do not allow; and the real gcloud pointed at it through a wrapper
//! (`--access-token-file`, `CLOUDSDK_API_ENDPOINT_OVERRIDES_*`, its own `CLOUDSDK_CONFIG`), as
//! a user's own gcloud would run. The tests need `python3` and `gcloud`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// `fixtures/fake-google-apis.py`.
pub const FAKE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fake-google-apis.py");
/// `fixtures/google-unrelated.json`: another team's resources in the same project.
pub const UNRELATED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/google-unrelated.json"
);
/// The project the fake serves.
pub const PROJECT: &str = "pulumi-prod";

/// A running fake, stopped when dropped.
pub struct FakeGoogle {
    child: Child,
    pub port: u16,
    log: PathBuf,
}

impl Drop for FakeGoogle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_list(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        Value::Array(items) => items,
        one => vec![one],
    }
}

/// The fake's state: the gcloud output of a corpus set (`corpus`, e.g. the config crate's
/// `tests/data/gcp-gke/gcp`), which is the REST resources as listed, and [`UNRELATED`] added.
pub fn state(corpus: &Path) -> Value {
    let collections = [
        ("forwarding-rules.json", "forwardingRules"),
        ("target-https-proxies.json", "targetHttpsProxies"),
        ("target-http-proxies.json", "targetHttpProxies"),
        ("url-maps.json", "urlMaps"),
        ("backend-services.json", "backendServices"),
        ("health-checks.json", "healthChecks"),
        ("network-endpoint-groups.json", "networkEndpointGroups"),
        ("instance-groups-managed.json", "instanceGroupManagers"),
        ("instance-templates.json", "instanceTemplates"),
        ("networks.json", "networks"),
        ("subnets.json", "subnetworks"),
        ("routers.json", "routers"),
        ("addresses.json", "addresses"),
    ];
    let mut compute = serde_json::Map::new();
    for (file, coll) in collections {
        let path = corpus.join(file);
        let mut items = if path.exists() {
            read_list(&path)
        } else {
            Vec::new()
        };
        if coll == "instanceGroupManagers" {
            // gcloud adds each group's autoscaler; the API lists them apart.
            for mig in &mut items {
                if let Some(obj) = mig.as_object_mut() {
                    if let Some(a) = obj.remove("autoscaler") {
                        compute
                            .entry("autoscalers")
                            .or_insert_with(|| json!([]))
                            .as_array_mut()
                            .expect("a list")
                            .push(a);
                    }
                    obj.remove("autoscaled");
                    obj.remove("size");
                }
            }
        }
        compute.insert(coll.to_owned(), Value::Array(items));
    }
    let records = read_list(&corpus.join("record-sets.json"));
    let mut state = json!({
        "project": PROJECT,
        "compute": compute,
        "container": {"clusters": if corpus.join("cluster.json").exists() { read_list(&corpus.join("cluster.json")) } else { Vec::new() }},
        "sql": {"instances": read_list(&corpus.join("sql-instances.json"))},
        "dns": {
            "managedZones": [{"kind": "dns#managedZone", "name": "sandbox-test", "dnsName": "sandbox.test.", "id": "4211008821371911201", "visibility": "public"}],
            "rrsets": {"sandbox-test": records},
        },
    });
    let unrelated: Value =
        serde_json::from_str(&std::fs::read_to_string(UNRELATED).expect("the unrelated fixture"))
            .expect("JSON");
    merge(&mut state, &unrelated);
    state
}

/// Appends every list of `extra` to the same list of `into`.
fn merge(into: &mut Value, extra: &Value) {
    match (into, extra) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => a.extend(b.iter().cloned()),
        _ => {}
    }
}

impl FakeGoogle {
    /// Starts one serving `state`, for a caller holding `allowed` (`*`: everything), its files
    /// in `dir`; waits (at most 30 s) until it listens.
    pub fn start(state: &Value, allowed: &[&str], dir: &Path) -> FakeGoogle {
        std::fs::create_dir_all(dir).expect("the fake's directory");
        let state_file = dir.join("state.json");
        std::fs::write(&state_file, state.to_string()).expect("the state");
        let allowed_file = dir.join("allowed.txt");
        std::fs::write(&allowed_file, allowed.join("\n") + "\n").expect("the permissions");
        let log = dir.join("requests.log");
        let port_file = dir.join("port");
        let _ = std::fs::remove_file(&port_file);
        let child = Command::new("python3")
            .arg(FAKE)
            .args([&state_file, &allowed_file, &log, &port_file])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3");
        let started = Instant::now();
        let port = loop {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|p| p.trim().parse().ok())
            {
                break port;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the fake did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        FakeGoogle { child, port, log }
    }

    /// Writes `dir/gcloud-fake`, the real gcloud pointed at this fake (an access token file, no
    /// login; its own configuration directory, so the user's is never touched), and returns it.
    pub fn gcloud_wrapper(&self, dir: &Path) -> PathBuf {
        let token = dir.join("token");
        std::fs::write(&token, "ya29.fake-token\n").expect("the token file");
        let config = dir.join("gcloud-config");
        std::fs::create_dir_all(&config).expect("gcloud's configuration directory");
        let url = format!("http://127.0.0.1:{}", self.port);
        let path = dir.join("gcloud-fake");
        crate::script(
            &path,
            &format!(
                "#!/bin/sh\nexport CLOUDSDK_CONFIG='{config}' CLOUDSDK_CORE_DISABLE_PROMPTS=1 \\\n  CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE='{url}/compute/v1/' \\\n  CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER='{url}/' \\\n  CLOUDSDK_API_ENDPOINT_OVERRIDES_SQL='{url}/' \\\n  CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS='{url}/dns/v1/'\nexec gcloud \"$@\" --access-token-file '{token}'\n",
                config = config.display(),
                token = token.display()
            ),
        );
        path
    }

    /// The requests the fake answered, `GET <path>` each.
    pub fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}
