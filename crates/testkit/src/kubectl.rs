//! kubectl against recorded API answers, for the Kubernetes collection tests (no cluster can
//! run where they do): [`FAKE`] answers `kubectl get <kind> -n <ns> -o json` from a directory
//! of recorded answers ([`CLUSTER`]: the conformant EKS deployment of
//! `crates/config/tests/data/eks`, as `kubectl get -o json` prints it once applied and
//! running, beside another team's Ingress), and answers Forbidden for the kinds a test
//! forbids.

use std::path::{Path, PathBuf};

/// `fixtures/fake-kubectl`.
pub const FAKE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fake-kubectl");

/// `fixtures/cluster`: the recorded answers (its README says what each file answers).
pub const CLUSTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/cluster");

/// One fake cluster: the answers it gives and its state (the calls made, the kinds
/// forbidden), in `dir/state`.
pub struct FakeCluster {
    dir: PathBuf,
}

impl FakeCluster {
    /// Answering from [`CLUSTER`], its state under `dir` (created).
    pub fn new(dir: &Path) -> FakeCluster {
        std::fs::create_dir_all(dir.join("state")).expect("make the fake's state directory");
        FakeCluster {
            dir: dir.to_owned(),
        }
    }

    /// Writes `dir/<name>`, kubectl as a user's wrapper would be, answering from `answers`;
    /// returns its path.
    pub fn kubectl_from(&self, name: &str, answers: &Path) -> PathBuf {
        let path = self.dir.join(name);
        crate::script(
            &path,
            &format!(
                "#!/bin/sh\nFAKE_ANSWERS='{}' FAKE_STATE='{}' exec '{FAKE}' \"$@\"\n",
                answers.display(),
                self.dir.join("state").display()
            ),
        );
        path
    }

    /// [`FakeCluster::kubectl_from`] the recorded [`CLUSTER`].
    pub fn kubectl(&self) -> PathBuf {
        self.kubectl_from("kubectl", Path::new(CLUSTER))
    }

    /// From now on, listing `kind` (`horizontalpodautoscalers.autoscaling`) is Forbidden.
    pub fn forbid(&self, kind: &str) {
        std::fs::write(self.dir.join(format!("state/forbidden-{kind}")), "")
            .expect("write the fake's state");
    }

    /// From now on, listing `kind` in `scope` (a namespace, or `all` for `--all-namespaces`)
    /// is Forbidden; elsewhere it is answered.
    pub fn forbid_in(&self, kind: &str, scope: &str) {
        std::fs::write(self.dir.join(format!("state/forbidden-{kind}@{scope}")), "")
            .expect("write the fake's state");
    }

    /// The calls made so far, one line each (kubectl's arguments).
    pub fn calls(&self) -> String {
        std::fs::read_to_string(self.dir.join("state/calls")).unwrap_or_default()
    }
}
