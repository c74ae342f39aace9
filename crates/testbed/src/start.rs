//! Starting a bed: its files, its network, BIND, HAProxy and the replicas, in that order.

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use netconform_testkit::{ca, replica::ZONES};

use crate::teardown::{Teardown, labels};
use crate::{DOMAIN, TestbedConfig, TestbedError, Topology, Variant, docker, files, images, ready};

/// Where the netconform binary is mounted in the replicas' containers.
const REPLICA_EXE: &str = "/usr/local/bin/netconform";

/// What starting gives.
pub(crate) struct Parts {
    pub(crate) topology: Topology,
    pub(crate) ca_pem: String,
    /// The zone's key-signing key, as a DNSKEY record.
    pub(crate) trust_anchor: String,
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

pub(crate) async fn start_parts(
    config: &TestbedConfig,
    teardown: &Teardown,
) -> Result<Parts, TestbedError> {
    let timing = &config.timing;
    let variant = config.variant;
    let dir = teardown.dir();
    std::fs::create_dir_all(dir).map_err(|source| TestbedError::Files {
        dir: dir.to_owned(),
        source,
    })?;
    let names = |label: &str| format!("{label}.{DOMAIN}");
    let certs = ca::issue(&ca::Request {
        ca_name: "netconform test bed CA".into(),
        ca_valid: (-1, 365),
        names: vec![names("api"), names("app"), names("lb")],
        leaf_valid: (-1, 90),
    })
    .map_err(|e| TestbedError::Tls(e.to_string()))?;
    write(dir, "lb.pem", &certs.haproxy_pem())?;
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
    ready::wait_ready(config, &topology).await?;
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
