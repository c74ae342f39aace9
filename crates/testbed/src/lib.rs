//! The container test bed: the deployment the networking guide describes, made of real
//! software in Docker, that can be broken on purpose. Owns [`Testbed`], [`TestbedConfig`],
//! [`Timing`], [`Variant`] and the bed's image ([`images`]).
//!
//! On a private Docker network it starts an authoritative DNS server (BIND) for a test zone
//! (api and app CNAME to the load balancer's name), HAProxy (TLS termination with the bed's
//! own CA, a redirect from port 80, `option httpchk GET /api/status` with ALB-like timings
//! scaled down, HAProxy's agent check, the statistics page) and two API replicas, zone-a and
//! zone-b, each the netconform binary's `replica` command (the sandbox's replica) in a
//! container. It describes itself as an [`Environment`] whose rolling restart is the docker
//! driver (`docker stop -t`, ECS's `stopTimeout`), and tears everything down when dropped:
//! every container and network carries the run's label ([`RUN_LABEL`]), so nothing is left.
//!
//! Talks to Docker through its CLI: testcontainers 0.28 speaks Docker API 1.53 only, which
//! engines before Docker 29 refuse ("client version 1.53 is too new"); the CLI negotiates.
//! Depends on model only, never on a checker. No printing, no process env: the caller passes
//! the paths and the docker CLI to use.

mod docker;
mod files;
pub mod images;
mod tls;
mod variant;

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use netconform_model::environment::{Restart, RestartDriverSpec, StatsUrl};
use netconform_model::haproxy;
use netconform_model::values::{Nameserver, Rate};
use netconform_model::{Environment, HumanDuration};

pub use docker::{HOST_LABEL, PID_LABEL, RUN_LABEL, labelled, remove_run};
pub use variant::Variant;

/// The bed's zone.
pub const DOMAIN: &str = "testbed.test";
/// The response headers the API replica (`netconform replica`) sends.
pub const INSTANCE_HEADER: &str = "x-instance";
pub const ZONE_HEADER: &str = "x-zone";
/// The zones; one replica runs in each.
pub const ZONES: [&str; 2] = ["zone-a", "zone-b"];
/// Where the netconform binary is mounted in the replicas' containers.
const REPLICA_EXE: &str = "/usr/local/bin/netconform";

/// Why the bed could not do its part. Messages read after "failed to".
#[derive(Debug, thiserror::Error)]
pub enum TestbedError {
    #[error(
        "reach Docker ({why}): the container test bed needs a running Docker engine; start it (`systemctl start docker`, or `dockerd &` as root) and make sure this user may use it (its socket /var/run/docker.sock, or DOCKER_HOST)"
    )]
    DockerUnreachable { why: String },
    #[error("run `{command}`: {why}")]
    Docker { command: String, why: String },
    #[error("find the test bed's image {image}: make it with `cargo xtask images`")]
    ImageMissing { image: String },
    #[error("make the test bed's image: {0}")]
    Image(String),
    #[error("issue the test bed's certificates: {0}")]
    Tls(String),
    #[error("write the test bed's files in {dir}: {source}")]
    Files {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("bring the test bed up: {what} within {waited:?}\n{logs}")]
    NotReady {
        what: String,
        waited: Duration,
        logs: String,
    },
}

/// The bed's times: an ALB's health checks and an ECS service's, scaled down so a rolling
/// restart takes seconds.
#[derive(Debug, Clone)]
pub struct Timing {
    /// HAProxy's health check interval (an ALB's `HealthCheckIntervalSeconds`, 30 s by default).
    pub check_interval: Duration,
    /// Time allowed for one check (`HealthCheckTimeoutSeconds`), below the interval.
    pub check_timeout: Duration,
    /// Checks in a row to become healthy (`HealthyThresholdCount`, 5 by default).
    pub healthy_threshold: u32,
    /// Checks in a row to become unhealthy (`UnhealthyThresholdCount`, 2 by default).
    pub unhealthy_threshold: u32,
    /// HAProxy's `timeout connect`, which is also its pause between connection retries
    /// (`min(timeout connect, 1 s)`, 3 retries by default): scaled down with the rest, so its
    /// retries span less than a replica's restart, as 3 s span less than a real one's.
    pub connect_timeout: Duration,
    /// How often HAProxy asks the replicas' agent, which says `drain` from SIGTERM on (the
    /// part ECS plays when it deregisters a stopping task from its target group).
    pub agent_interval: Duration,
    /// How long a stopping replica keeps serving before it fails its checks and drains: above
    /// the agent interval, so HAProxy has stopped routing to it by then.
    pub drain_delay: Duration,
    /// `docker stop -t` of the rolling restart (ECS's `stopTimeout`, 120 s in the guide).
    pub stop_timeout: Duration,
    /// The stop timeout of `stop-timeout-too-short`: shorter than the drain delay.
    pub short_stop_timeout: Duration,
    /// Docker's own health check of a replica (ECS's container health check): the restart
    /// stops the next container only once the started one is healthy, so this must exceed
    /// what HAProxy takes to see a started replica healthy.
    pub container_health_interval: Duration,
    /// How long the load's slow requests take: in flight across every stop.
    pub slow_request: Duration,
    /// Every n-th request of the load is a slow one: odd, so HAProxy's round robin over the
    /// two replicas gives each of them slow requests (every 10th would land them all on one
    /// replica, and a stop of the other would cut none off).
    pub slow_every: u64,
    /// How long the bed may take to come up.
    pub ready_within: Duration,
    /// TTL of the zone's records, in seconds.
    pub dns_ttl: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            check_interval: Duration::from_millis(400),
            check_timeout: Duration::from_millis(300),
            healthy_threshold: 3,
            unhealthy_threshold: 2,
            connect_timeout: Duration::from_millis(250),
            agent_interval: Duration::from_millis(400),
            drain_delay: Duration::from_millis(1500),
            stop_timeout: Duration::from_secs(10),
            short_stop_timeout: Duration::from_secs(1),
            container_health_interval: Duration::from_secs(3),
            slow_request: Duration::from_secs(2),
            slow_every: 7,
            ready_within: Duration::from_secs(60),
            dns_ttl: 60,
        }
    }
}

/// What to start.
#[derive(Debug, Clone)]
pub struct TestbedConfig {
    pub variant: Option<Variant>,
    pub timing: Timing,
    /// The netconform binary (Linux, x86_64, glibc), mounted into the replicas' containers.
    pub replica_exe: PathBuf,
    /// Where the bed's files (HAProxy's and BIND's configuration, certificates) are written,
    /// in a directory of their own, removed with the bed.
    pub work_dir: PathBuf,
    /// The docker CLI to run.
    pub docker: String,
}

/// Removes one run's containers, networks and files; cheap to clone, safe to call more than
/// once, blocking (for Drop and signal handlers).
#[derive(Debug, Clone)]
pub struct Teardown {
    docker: String,
    run: String,
    dir: PathBuf,
}

impl Teardown {
    /// A new run: its id and the place of its files.
    pub fn new(config: &TestbedConfig) -> Teardown {
        static RUNS: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let run = format!(
            "{}-{}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::Relaxed),
            nanos % 10_000
        );
        Teardown {
            docker: config.docker.clone(),
            dir: config.work_dir.join(format!("netconform-testbed-{run}")),
            run,
        }
    }

    /// The run's id, the value of its [`RUN_LABEL`].
    pub fn run_id(&self) -> &str {
        &self.run
    }

    /// Removes everything of the run now. Returns what could not be removed.
    pub fn now(&self) -> Vec<String> {
        let left = remove_run(&self.docker, &self.run);
        let _ = std::fs::remove_dir_all(&self.dir);
        left
    }

    fn name(&self, part: &str) -> String {
        format!("nc-{}-{part}", self.run)
    }
}

/// Tears a run down when dropped, unless disarmed: a start that fails or is cancelled
/// (Ctrl-C while it runs) leaves nothing.
struct Guard(Option<Teardown>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(t) = self.0.take() {
            t.now();
        }
    }
}

/// Where the bed's parts are.
#[derive(Debug, Clone)]
pub struct Topology {
    pub network: String,
    /// The DNS container and its address (port 53).
    pub dns: (String, IpAddr),
    /// The HAProxy container and its address (443, 80, statistics on 8404).
    pub lb: (String, IpAddr),
    /// The API containers, by zone.
    pub replicas: Vec<(String, String)>,
}

impl fmt::Display for Topology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let replicas: Vec<String> = self
            .replicas
            .iter()
            .map(|(zone, name)| format!("{name} ({zone})"))
            .collect();
        write!(
            f,
            "network {}: BIND {} on {}:53, HAProxy {} on {} (HTTPS 443, HTTP 80, statistics {}{}), API {}",
            self.network,
            self.dns.0,
            self.dns.1,
            self.lb.0,
            self.lb.1,
            files::STATS_PORT,
            files::STATS_PATH,
            replicas.join(", ")
        )
    }
}

/// A running bed. Dropping it removes every container, network and file it made.
pub struct Testbed {
    teardown: Teardown,
    topology: Topology,
    environment: Environment,
    variant: Option<Variant>,
}

impl Testbed {
    /// Starts every part and waits until HAProxy routes to the replicas (or, broken, has
    /// checked them). Fails, leaving nothing behind, when Docker cannot be reached or the
    /// image is missing. `teardown` comes from [`Teardown::new`] with the same config, so the
    /// caller can remove the run while this is still starting it.
    pub async fn start(config: TestbedConfig, teardown: Teardown) -> Result<Testbed, TestbedError> {
        let docker = config.docker.as_str();
        docker::reachable(docker).await?;
        if !images::exists(docker).await? {
            return Err(TestbedError::ImageMissing {
                image: images::IMAGE.to_owned(),
            });
        }
        let orphans = docker.to_owned();
        let _ = tokio::task::spawn_blocking(move || docker::remove_orphans(&orphans)).await;
        let mut guard = Guard(Some(teardown.clone()));
        let parts = start_parts(&config, &teardown).await?;
        guard.0 = None;
        Ok(Testbed {
            environment: environment(&config, &parts),
            topology: parts.topology,
            teardown,
            variant: config.variant,
        })
    }

    /// The environment file that describes this bed, its rolling restart included.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    pub fn variant(&self) -> Option<Variant> {
        self.variant
    }

    /// A handle that removes the bed, for a signal handler that exits the process.
    pub fn teardown(&self) -> Teardown {
        self.teardown.clone()
    }
}

impl Drop for Testbed {
    fn drop(&mut self) {
        self.teardown.now();
    }
}

/// What starting gives.
struct Parts {
    topology: Topology,
    ca_pem: String,
    /// The zone's key-signing key, as a DNSKEY record.
    trust_anchor: String,
}

fn labels(teardown: &Teardown) -> Vec<String> {
    vec![
        "--label".into(),
        format!("{RUN_LABEL}={}", teardown.run),
        "--label".into(),
        format!("{PID_LABEL}={}", std::process::id()),
        "--label".into(),
        format!("{HOST_LABEL}={}", docker::host_name()),
    ]
}

/// `docker run -d` with the run's name, network and labels; `args` go between the options
/// and the image, `command` after it.
async fn run_container(
    config: &TestbedConfig,
    teardown: &Teardown,
    name: &str,
    args: &[String],
    command: &[&str],
) -> Result<(), TestbedError> {
    let network = teardown.name("net");
    let mut all: Vec<&str> = vec![
        "run",
        "-d",
        "--name",
        name,
        "--hostname",
        name,
        "--network",
        &network,
    ];
    let labels = labels(teardown);
    all.extend(labels.iter().map(String::as_str));
    all.extend(args.iter().map(String::as_str));
    all.push(images::IMAGE);
    all.extend(command);
    docker::run(&config.docker, &all).await.map(|_| ())
}

fn write(dir: &Path, file: &str, text: &str) -> Result<(), TestbedError> {
    let err = |source| TestbedError::Files {
        dir: dir.to_owned(),
        source,
    };
    // Whole or not at all: a container may be waiting for the file.
    let tmp = dir.join(format!(".{file}.tmp"));
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, dir.join(file)).map_err(err)
}

async fn address(config: &TestbedConfig, name: &str) -> Result<IpAddr, TestbedError> {
    let text = docker::run(
        &config.docker,
        &[
            "inspect",
            "--format",
            "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
            name,
        ],
    )
    .await?;
    text.parse().map_err(|_| TestbedError::Docker {
        command: format!("docker inspect {name}"),
        why: format!("no address in {text:?}"),
    })
}

async fn start_parts(config: &TestbedConfig, teardown: &Teardown) -> Result<Parts, TestbedError> {
    let timing = &config.timing;
    let variant = config.variant;
    let dir = &teardown.dir;
    std::fs::create_dir_all(dir).map_err(|source| TestbedError::Files {
        dir: dir.clone(),
        source,
    })?;
    let names = |label: &str| format!("{label}.{DOMAIN}");
    let certs = tls::issue(vec![names("api"), names("app"), names("lb")])?;
    write(dir, "lb.pem", &certs.haproxy_pem)?;
    let replicas: Vec<(String, String)> = ZONES
        .iter()
        .map(|zone| ((*zone).to_owned(), teardown.name(zone)))
        .collect();
    let servers: Vec<(&str, String)> = replicas
        .iter()
        .map(|(zone, name)| (zone.as_str(), name.clone()))
        .collect();
    write(
        dir,
        "haproxy.cfg",
        &files::haproxy_cfg(&servers, timing, variant),
    )?;
    write(dir, "named.conf", &files::named_conf(DOMAIN))?;

    let network = teardown.name("net");
    let mut create = vec!["network", "create"];
    let labels = labels(teardown);
    create.extend(labels.iter().map(String::as_str));
    create.push(&network);
    docker::run(&config.docker, &create).await?;

    let mount_dir = format!(
        "type=bind,source={},target={},readonly",
        dir.display(),
        files::MOUNT
    );
    let mount_exe = format!(
        "type=bind,source={},target={REPLICA_EXE},readonly",
        config.replica_exe.display()
    );
    let secs = |d: Duration| format!("{}ms", d.as_millis());
    for (zone, name) in &replicas {
        let api = format!("0.0.0.0:{}", files::API_PORT);
        let agent = format!("0.0.0.0:{}", files::AGENT_PORT);
        let drain = secs(timing.drain_delay);
        let mut command = vec![
            REPLICA_EXE,
            "replica",
            "--id",
            name,
            "--zone",
            zone,
            "--listen",
            &api,
            "--agent",
            &agent,
            "--drain-delay",
            &drain,
        ];
        if matches!(
            variant,
            Some(Variant::ReplicaNoGracefulShutdown | Variant::HaproxyRetriesMask)
        ) {
            command.push("--exit-on-sigterm");
        }
        let health = format!(
            "bash -c 'exec 3<>/dev/tcp/127.0.0.1/{}; printf \"GET /api/status HTTP/1.0\\r\\n\\r\\n\" >&3; read -r -t 2 status <&3; [[ $status == *\" 200 \"* ]]'",
            files::API_PORT
        );
        let args = vec![
            "--mount".to_owned(),
            mount_exe.clone(),
            "--health-cmd".to_owned(),
            health,
            "--health-interval".to_owned(),
            secs(timing.container_health_interval),
            "--health-timeout".to_owned(),
            "2s".to_owned(),
            "--health-retries".to_owned(),
            "1".to_owned(),
        ];
        run_container(config, teardown, name, &args, &command).await?;
    }
    let lb = teardown.name("lb");
    let cfg = format!("{}/haproxy.cfg", files::MOUNT);
    run_container(
        config,
        teardown,
        &lb,
        &["--mount".to_owned(), mount_dir.clone()],
        &["haproxy", "-db", "-f", &cfg],
    )
    .await?;
    let dns = teardown.name("dns");
    // BIND waits for its zone, which needs the addresses Docker gives.
    let named = format!(
        "until [ -s {m}/zone.db ]; do sleep 0.05; done; cp {m}/zone.db {z}; exec named -g -c {m}/named.conf",
        m = files::MOUNT,
        z = files::ZONE_COPY
    );
    run_container(
        config,
        teardown,
        &dns,
        &["--mount".to_owned(), mount_dir],
        &["bash", "-c", &named],
    )
    .await?;
    let lb_ip = address(config, &lb).await?;
    let dns_ip = address(config, &dns).await?;
    write(
        dir,
        "zone.db",
        &files::zone_file(DOMAIN, dns_ip, lb_ip, timing.dns_ttl, variant),
    )?;
    let topology = Topology {
        network,
        dns: (dns, dns_ip),
        lb: (lb, lb_ip),
        replicas,
    };
    wait_ready(config, &topology).await?;
    let keys = docker::run(
        &config.docker,
        &["exec", &topology.dns.0, "sh", "-c", "cat /tmp/K*.key"],
    )
    .await?;
    let trust_anchor = files::trust_anchor(&keys).ok_or_else(|| TestbedError::NotReady {
        what: "BIND's key-signing key".into(),
        waited: Duration::ZERO,
        logs: keys,
    })?;
    Ok(Parts {
        topology,
        ca_pem: certs.ca_pem,
        trust_anchor,
    })
}

/// Waits until BIND runs, the replicas are healthy in Docker, and HAProxy has made up its
/// mind about them: routing to both (or, with no checks, configured; with the wrong check
/// path, both marked down).
async fn wait_ready(config: &TestbedConfig, topology: &Topology) -> Result<(), TestbedError> {
    let started = Instant::now();
    let deadline = started + config.timing.ready_within;
    let want = match config.variant {
        Some(Variant::HaproxyWrongCheckPath) => "DOWN",
        Some(Variant::HaproxyNoHealthcheck) => "no check",
        _ => "UP",
    };
    let mut waiting_for;
    loop {
        waiting_for = match ready(config, topology, want).await {
            Ok(()) => return Ok(()),
            Err(what) => what,
        };
        if Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut logs = String::new();
    let mut names = vec![topology.dns.0.as_str(), topology.lb.0.as_str()];
    names.extend(topology.replicas.iter().map(|(_, n)| n.as_str()));
    for name in names {
        let out = tokio::process::Command::new(&config.docker)
            .args(["logs", "--tail", "15", name])
            .output()
            .await;
        if let Ok(out) = out {
            logs.push_str(&format!(
                "--- docker logs {name}\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Err(TestbedError::NotReady {
        what: waiting_for,
        waited: started.elapsed(),
        logs,
    })
}

/// `Err(what is not ready yet)`.
async fn ready(config: &TestbedConfig, topology: &Topology, want: &str) -> Result<(), String> {
    let docker = config.docker.as_str();
    let state = |name: &str| {
        let name = name.to_owned();
        async move {
            docker::run(
                docker,
                &[
                    "inspect",
                    "--format",
                    "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}",
                    &name,
                ],
            )
            .await
            .unwrap_or_default()
        }
    };
    for (_, name) in &topology.replicas {
        let s = state(name).await;
        if s != "running healthy" {
            return Err(format!("{name} healthy in Docker (it is {s:?})"));
        }
    }
    let dns = &topology.dns.0;
    if state(dns).await.trim() != "running" {
        return Err(format!("{dns} running"));
    }
    let logs = tokio::process::Command::new(docker)
        .args(["logs", dns])
        .output()
        .await
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .unwrap_or_default();
    // Logged once the zone is signed.
    if !logs.lines().any(|l| l.contains("(signed): next key event")) {
        return Err(format!("BIND ({dns}) serving its signed zone"));
    }
    let stats = server_states(SocketAddr::new(topology.lb.1, files::STATS_PORT))
        .await
        .map_err(|e| format!("HAProxy's statistics page ({e})"))?;
    if stats.len() != topology.replicas.len() || stats.iter().any(|(_, s)| s != want) {
        return Err(format!(
            "HAProxy to see every replica {want} (it sees {stats:?})"
        ));
    }
    Ok(())
}

/// The API servers' states on HAProxy's statistics page: (server, status).
async fn server_states(addr: SocketAddr) -> Result<Vec<(String, String)>, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream
            .write_all(format!("GET {} HTTP/1.0\r\n\r\n", files::STATS_PATH).as_bytes())
            .await?;
        let mut text = String::new();
        stream.read_to_string(&mut text).await?;
        Ok::<_, std::io::Error>(text)
    };
    let text = tokio::time::timeout(Duration::from_secs(2), exchange)
        .await
        .map_err(|_| "no answer within 2 s".to_owned())?
        .map_err(|e| e.to_string())?;
    let body = haproxy::answer_body(&text)?;
    let table = haproxy::StatsTable::parse(&body)?;
    let (px, sv, status) = (
        table.column("pxname")?,
        table.column("svname")?,
        table.column("status")?,
    );
    Ok(table
        .rows()
        .iter()
        .filter(|f| {
            f.get(px) == Some(&"api") && !matches!(f.get(sv), Some(&"BACKEND" | &"FRONTEND"))
        })
        .map(|f| {
            (
                f.get(sv).copied().unwrap_or_default().to_owned(),
                f.get(status).copied().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

fn environment(config: &TestbedConfig, parts: &Parts) -> Environment {
    let topology = &parts.topology;
    let timing = &config.timing;
    let mut env = Environment::new(DOMAIN.parse().expect("a valid domain"));
    env.name = Some(match config.variant {
        Some(v) => format!("container test bed ({v})"),
        None => "container test bed".to_owned(),
    });
    let dns = Nameserver(SocketAddr::new(topology.dns.1, 53));
    env.dns.nameservers = vec![dns];
    env.dns.authoritative = vec![dns];
    env.dns.load_balancer = Some(format!("lb.{DOMAIN}").parse().expect("a valid name"));
    env.dns.load_balancer_addresses = vec![topology.lb.1];
    env.dns.dnssec = netconform_model::environment::DnssecMode::Validate;
    env.dns.trust_anchors = vec![parts.trust_anchor.clone()];
    env.tls.ca_pem = Some(parts.ca_pem.clone());
    env.health.timeout = HumanDuration::from_secs(2);
    env.health.interval = HumanDuration::from_millis(100);
    env.health.instance_header = Some(INSTANCE_HEADER.to_owned());
    env.health.zone_header = Some(ZONE_HEADER.to_owned());
    env.health.gzip_path = Some("/api/gzip".parse().expect("a valid path"));
    env.drain.rate = Rate(100.0);
    env.drain.max_duration = HumanDuration::from_secs(120);
    // Long enough for the slow requests to be in flight when the first replica stops.
    env.drain.settle = HumanDuration(timing.slow_request);
    env.drain.request_timeout = HumanDuration(timing.slow_request * 3);
    env.drain.slow_path = Some(
        format!("/api/slow?ms={}", timing.slow_request.as_millis())
            .parse()
            .expect("a valid path"),
    );
    env.drain.slow_every = timing.slow_every;
    env.drain.haproxy_stats = Some(StatsUrl(format!(
        "http://{}:{}{}",
        topology.lb.1,
        files::STATS_PORT,
        files::STATS_PATH
    )));
    let stop_timeout = if config.variant == Some(Variant::StopTimeoutTooShort) {
        timing.short_stop_timeout
    } else {
        timing.stop_timeout
    };
    env.drain.restart = Some(Restart::Driver(RestartDriverSpec::Docker {
        containers: topology.replicas.iter().map(|(_, n)| n.clone()).collect(),
        stop_timeout: HumanDuration(stop_timeout),
        docker: config.docker.clone(),
    }));
    env
}
