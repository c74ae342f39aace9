//! moto's server, the AWS API emulator collection is tested against: started on a free
//! loopback port and stopped on drop, the fixture that builds a deployment in it
//! ([`FIXTURE`], boto3: a conformant ECS deployment, or an account's worth of unrelated
//! resources), and the AWS CLI pointed at it through a wrapper, as a user's own would be. The tests need `moto_server`,
//! `aws` and boto3 (PyPI `moto[server]`, `awscli`; `cargo xtask test` installs them pinned).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `fixtures/deployment.py`: `deployment` builds a conformant ECS deployment of
/// pulumi.example.com, `unrelated` other things beside it; each prints what it made (JSON).
pub const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/deployment.py");

/// A moto server, stopped when dropped.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts one on a free loopback port and waits (at most 30 s) until it listens.
    pub fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server (PyPI moto[server], which cargo xtask test installs)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Builds `what` ([`FIXTURE`]'s `deployment` or `unrelated`) in this server; what it
    /// printed (JSON).
    pub fn build(&self, what: &str) -> String {
        let out = Command::new("python3")
            .arg(FIXTURE)
            .arg(what)
            .env("AWS_ENDPOINT_URL", &self.url)
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Makes an IAM user bound to the policy in `policy` less the actions `without`, and
    /// turns IAM enforcement on: every later request is judged by its credentials. Returns
    /// the user's (access key id, secret), for [`Moto::cli_wrapper_as`].
    pub fn enforce_iam(&self, policy: &Path, without: &[&str]) -> (String, String) {
        let out = Command::new("python3")
            .arg(FIXTURE)
            .arg("reader")
            .env("AWS_ENDPOINT_URL", &self.url)
            .env("NETCONFORM_POLICY", policy)
            .env("NETCONFORM_WITHOUT", without.join(","))
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "reader: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let key: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the key (JSON)");
        let field = |name: &str| key[name].as_str().expect("a key field").to_owned();
        (field("AccessKeyId"), field("SecretAccessKey"))
    }

    /// Writes `dir/aws-moto`, the AWS CLI pointed at this server with test credentials, and
    /// returns its path.
    pub fn cli_wrapper(&self, dir: &Path) -> PathBuf {
        self.cli_wrapper_as(dir, ("testing", "testing"))
    }

    /// [`Moto::cli_wrapper`] with the credentials `key` (id, secret).
    pub fn cli_wrapper_as(&self, dir: &Path, key: (&str, &str)) -> PathBuf {
        let path = dir.join("aws-moto");
        crate::script(
            &path,
            &format!(
                "#!/bin/sh\nAWS_ENDPOINT_URL='{0}' AWS_ACCESS_KEY_ID='{1}' AWS_SECRET_ACCESS_KEY='{2}' AWS_PAGER='' exec aws --endpoint-url '{0}' \"$@\"\n",
                self.url, key.0, key.1
            ),
        );
        path
    }
}
