//! The real az (azure-cli) against a loopback fake of Azure Resource Manager, for the Azure
//! collection tests: [`FAKE`] serves the deployment of the fake az's recorded answers
//! ([`crate::azure::ANSWERS`], turned back into ARM's REST shape, `properties` nested, since
//! az flattens them and drops what its schema does not know) over https on 127.0.0.1, answers
//! 403 AuthorizationFailed for the resource types a test forbids ([`FakeArm::forbid`]), pages
//! through `nextLink` when asked ([`FakeArm::page`]), and logs every request
//! ([`FakeArm::requests`]). The tests need `python3`, `openssl` and the pinned az
//! ([`pinned_az`]).
//!
//! The recipe (each step answers a wall the real az 2.91.0 hit; error texts as az printed them):
//! - **https with a throwaway CA.** azure-core refuses a bearer token over http ("Bearer token
//!   authentication is not permitted for non-TLS protected (non-https) URLs."), so the fake
//!   serves TLS with a leaf for `IP:127.0.0.1` signed by a CA made by `openssl` in the test's
//!   directory, and `REQUESTS_CA_BUNDLE` names that CA: without it, "certificate verify failed:
//!   unable to get local issuer certificate"; `AZURE_CLI_DISABLE_CONNECTION_VERIFICATION` does
//!   not help, the managed-identity client (MSAL) has its own requests session, which honours
//!   `REQUESTS_CA_BUNDLE` as azure-core's transport does.
//! - **A custom cloud** whose `resourceManager` is the fake: `az cloud register --cloud-config
//!   @cloud.json --skip-endpoint-discovery` (no `GET <arm>/metadata/endpoints`) and `az cloud
//!   set`. `activeDirectoryResourceId` is only the token's `resource=`, never contacted.
//! - **Managed-identity login** (`az login --identity`, App Service protocol):
//!   `IDENTITY_ENDPOINT` (the fake's `/msi/token`) and `IDENTITY_HEADER`, on every call, not
//!   only at login: MSAL keeps the token in memory only, and without them a new az process falls
//!   back to IMDS (`http://169.254.169.254/metadata/identity/...`). `IMDS_ENDPOINT` would select
//!   the Azure Arc protocol, `IDENTITY_SERVER_THUMBPRINT` Service Fabric, `MSI_ENDPOINT` the old
//!   App Service one: the wrapper unsets them. The token must be a JWT with a `tid` claim (az
//!   decodes it unverified; an opaque token fails with "DecodeError: Not enough segments").
//! - **No egress.** `HTTPS_PROXY`/`HTTP_PROXY` name a "dead" proxy on loopback (the fake's trap,
//!   [`FakeArm::egress`]) and `NO_PROXY=127.0.0.1,localhost`: whatever is not loopback goes to
//!   the trap, unresolved, and is logged there. A fresh `AZURE_CONFIG_DIR` makes az probe
//!   `azcliprod.blob.core.windows.net` for a newer version: the wrapper seeds
//!   `versionCheck.json` first. `AZURE_CORE_COLLECT_TELEMETRY=false`: no telemetry upload.
//! - **Its own `AZURE_CONFIG_DIR`** (and `AZURE_EXTENSION_DIR`) in the test's directory, so a
//!   user's login, clouds and extensions are never read or touched.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `fixtures/fake-arm.py`.
pub const FAKE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fake-arm.py");
/// The subscription the fake serves (the recorded answers').
pub const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
/// The azure-cli release the tests hold collection to (xtask's `AZURE_CLI`).
pub const AZURE_CLI: &str = "2.91.0";
/// The custom cloud the fake is registered as.
const CLOUD: &str = "NetconformFakeArm";
/// The longest any one step (an az call, openssl, the fake's start) may take.
const DEADLINE: Duration = Duration::from_secs(120);

/// The real az the tests run: `NETCONFORM_AZ`, else the pinned azure-cli that `cargo xtask
/// test` installs (`~/.cache/netconform/azure-cli-2.91.0/bin/az`); panics saying how to get it.
pub fn pinned_az() -> PathBuf {
    let az = std::env::var_os("NETCONFORM_AZ").map_or_else(
        || {
            let home = std::env::var("HOME").unwrap_or_else(|_| "/root".to_owned());
            PathBuf::from(home).join(format!(".cache/netconform/azure-cli-{AZURE_CLI}/bin/az"))
        },
        PathBuf::from,
    );
    assert!(
        az.is_file(),
        "{} is missing: run `cargo xtask test`, which installs azure-cli {AZURE_CLI} there from PyPI, or set NETCONFORM_AZ to an az",
        az.display()
    );
    az
}

/// Panics, saying what to install, unless `program <version>` runs.
fn need(program: &str, version: &str, install: &str) {
    let ran = Command::new(program)
        .arg(version)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    assert!(
        ran.is_ok_and(|s| s.success()),
        "{program} is missing: install {install} (the fake ARM needs it)"
    );
}

/// Runs `command` to its end, at most [`DEADLINE`] (then kills it and panics); its output.
pub fn run(command: &mut Command, what: &str) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    // Drain the pipes on their own threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).map(|_| v)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).map(|_| v)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {DEADLINE:?}, killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout").unwrap_or_default(),
        stderr: err.join().expect("stderr").unwrap_or_default(),
    }
}

/// [`run`], which must succeed.
fn run_ok(command: &mut Command, what: &str) -> Output {
    let output = run(command, what);
    assert!(
        output.status.success(),
        "{what}: {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A CA and a leaf for 127.0.0.1 it signed, in `dir`: (`ca.pem`, `leaf.pem`, `leaf.key`).
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).expect("the certificates' directory");
    let p = |f: &str| dir.join(f);
    run_ok(
        Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .args(["-subj", "/CN=netconform fake ARM CA", "-keyout"])
            .arg(p("ca.key"))
            .arg("-out")
            .arg(p("ca.pem"))
            .args(["-addext", "basicConstraints=critical,CA:TRUE"])
            .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]),
        "openssl: the CA",
    );
    run_ok(
        Command::new("openssl")
            .args([
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=127.0.0.1",
            ])
            .arg("-keyout")
            .arg(p("leaf.key"))
            .arg("-out")
            .arg(p("leaf.csr")),
        "openssl: the leaf's request",
    );
    std::fs::write(
        p("leaf.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("the leaf's extensions");
    run_ok(
        Command::new("openssl")
            .args(["x509", "-req", "-days", "2", "-in"])
            .arg(p("leaf.csr"))
            .arg("-CA")
            .arg(p("ca.pem"))
            .arg("-CAkey")
            .arg(p("ca.key"))
            .args(["-CAcreateserial", "-extfile"])
            .arg(p("leaf.cnf"))
            .arg("-out")
            .arg(p("leaf.pem")),
        "openssl: the leaf",
    );
    (p("ca.pem"), p("leaf.pem"), p("leaf.key"))
}

/// A running fake ARM, stopped when dropped, and the real az pointed at it.
pub struct FakeArm {
    child: Child,
    dir: PathBuf,
    /// The https port of ARM (and of the token endpoint).
    pub port: u16,
    /// The port of the trap, the dead proxy.
    pub trap: u16,
    az: PathBuf,
}

impl Drop for FakeArm {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl FakeArm {
    /// Starts one, its files in `dir` (emptied first), and writes the az wrapper ([`FakeArm::az`]);
    /// panics saying what to install when python3, openssl or the pinned az is missing.
    pub fn start(dir: &Path) -> FakeArm {
        FakeArm::start_answering(dir, &[])
    }

    /// [`FakeArm::start`], each `(file, json)` of `answers` in place of the recorded answer
    /// `file` (`network-dns-record-set-cname-list.json`: the api and app records leading to a
    /// Front Door endpoint, say).
    pub fn start_answering(dir: &Path, answers: &[(&str, String)]) -> FakeArm {
        need("python3", "--version", "Python 3");
        need("openssl", "version", "OpenSSL's command-line tool");
        let az = pinned_az();
        let _ = std::fs::remove_dir_all(dir);
        let state = dir.join("state");
        std::fs::create_dir_all(state.join("answers")).expect("the fake's state directory");
        for (file, json) in answers {
            std::fs::write(state.join("answers").join(file), json).expect("the fake's answers");
        }
        let (ca, leaf, key) = certificates(&dir.join("tls"));
        let stderr = std::fs::File::create(dir.join("fake.stderr")).expect("the fake's stderr");
        let mut child = Command::new("python3")
            .arg(FAKE)
            .arg(crate::azure::ANSWERS)
            .args([&leaf, &key, &state])
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("python3");
        let started = Instant::now();
        let ports = loop {
            if let Ok(text) = std::fs::read_to_string(state.join("port")) {
                break text;
            }
            if let Ok(Some(status)) = child.try_wait() {
                let said = std::fs::read_to_string(dir.join("fake.stderr")).unwrap_or_default();
                panic!("the fake ARM stopped ({status}): {said}");
            }
            if started.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the fake ARM did not start in 30 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut ports = ports.split_whitespace().map(|p| p.parse().expect("a port"));
        let (port, trap) = (
            ports.next().expect("ARM's"),
            ports.next().expect("the trap's"),
        );
        let mut fake = FakeArm {
            child,
            dir: dir.to_owned(),
            port,
            trap,
            az: PathBuf::new(),
        };
        fake.az = fake.wrapper(&az, &ca);
        fake
    }

    /// Writes `dir/az`: the real `az` with every setting of the recipe (module doc).
    fn wrapper(&self, az: &Path, ca: &Path) -> PathBuf {
        let config = self.dir.join("azure-config");
        std::fs::create_dir_all(config.join("extensions")).expect("az's configuration directory");
        let (arm, trap) = (self.port, self.trap);
        let path = self.dir.join("az");
        crate::script(
            &path,
            &format!(
                "#!/bin/sh\n\
                 # The real az against the fake ARM on 127.0.0.1:{arm} (netconform_testkit::arm).\n\
                 unset IMDS_ENDPOINT IDENTITY_SERVER_THUMBPRINT MSI_ENDPOINT MSI_SECRET \\\n  \
                 AZURE_CLI_DISABLE_CONNECTION_VERIFICATION CURL_CA_BUNDLE\n\
                 export AZURE_CONFIG_DIR='{config}' AZURE_EXTENSION_DIR='{config}/extensions'\n\
                 export HTTPS_PROXY=http://127.0.0.1:{trap} HTTP_PROXY=http://127.0.0.1:{trap} \\\n  \
                 https_proxy=http://127.0.0.1:{trap} http_proxy=http://127.0.0.1:{trap} \\\n  \
                 NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost\n\
                 export REQUESTS_CA_BUNDLE='{ca}'\n\
                 export IDENTITY_ENDPOINT=https://127.0.0.1:{arm}/msi/token IDENTITY_HEADER=netconform-fake\n\
                 export AZURE_CORE_COLLECT_TELEMETRY=false AZURE_CORE_SURVEY_MESSAGE=false AZURE_CORE_NO_COLOR=true\n\
                 [ -f \"$AZURE_CONFIG_DIR/versionCheck.json\" ] || printf '{{\"versions\": {{\"azure-cli\": {{\"local\": \"{v}\"}}, \"core\": {{\"local\": \"{v}\"}}, \"telemetry\": {{\"local\": \"1.1.0\"}}}}, \"update_time\": \"%s\"}}' \"$(date '+%Y-%m-%d %H:%M:%S.000000')\" > \"$AZURE_CONFIG_DIR/versionCheck.json\"\n\
                 exec '{az}' \"$@\"\n",
                config = config.display(),
                ca = ca.display(),
                az = az.display(),
                v = AZURE_CLI,
            ),
        );
        path
    }

    /// The az wrapper: what a test gives as `AzCli.program`.
    pub fn az(&self) -> &Path {
        &self.az
    }

    /// Registers the fake as a cloud and logs in with the managed identity, once per
    /// directory (az keeps both in its configuration directory).
    pub fn login(&self) {
        let done = self.dir.join("azure-config/netconform-logged-in");
        if done.exists() {
            return;
        }
        let url = format!("https://127.0.0.1:{}", self.port);
        let cloud = self.dir.join("cloud.json");
        std::fs::write(
            &cloud,
            format!(
                r#"{{"endpoints": {{"resourceManager": "{url}/", "activeDirectory": "{url}", "activeDirectoryResourceId": "https://management.core.windows.net/", "management": "https://management.core.windows.net/"}}, "suffixes": {{}}}}"#
            ),
        )
        .expect("the cloud's configuration");
        let at = format!("@{}", cloud.display());
        for args in [
            &[
                "cloud",
                "register",
                "-n",
                CLOUD,
                "--cloud-config",
                &at,
                "--skip-endpoint-discovery",
            ][..],
            &["cloud", "set", "-n", CLOUD],
            &["login", "--identity", "-o", "none"],
        ] {
            run_ok(
                Command::new(&self.az).args(args),
                &format!("az {}", args.join(" ")),
            );
        }
        std::fs::write(done, "").expect("note the login");
    }

    /// From now on, requests for `resource_type` (`Microsoft.Network/applicationGateways`)
    /// are refused the RBAC action `action`, as ARM refuses them (403 AuthorizationFailed).
    pub fn forbid(&self, resource_type: &str, action: &str) {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("state/forbidden"))
            .expect("the fake's state");
        writeln!(f, "{resource_type} {action}").expect("the fake's state");
    }

    /// From now on, lists answer one resource per page, the rest behind a `nextLink` (`on`),
    /// or all at once.
    pub fn page(&self, on: bool) {
        let flag = self.dir.join("state/paged");
        if on {
            std::fs::write(flag, "").expect("the fake's state");
        } else {
            let _ = std::fs::remove_file(flag);
        }
    }

    /// The requests the fake answered: `GET <path>?<query> auth=<Bearer|->` each.
    pub fn requests(&self) -> Vec<String> {
        self.lines("requests")
    }

    /// What tried to leave loopback: the first line of each request the trap saw.
    pub fn egress(&self) -> Vec<String> {
        self.lines("egress")
    }

    fn lines(&self, file: &str) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("state").join(file))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}
