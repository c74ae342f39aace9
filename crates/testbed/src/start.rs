//! Starting a bed: its files, its network, the replicas, HAProxy and BIND, in that order,
//! each container through testcontainers from the locally made image (never pulled).

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use netconform_replica::{ZONES, ca};
use testcontainers::bollard::Docker;
use testcontainers::core::{AccessMode, ExecCommand, Mount};
use testcontainers::runners::AsyncRunner as _;
use testcontainers::{ContainerAsync, GenericImage, Healthcheck, ImageExt as _};
use tokio::io::AsyncReadExt as _;

use crate::teardown::Teardown;
use crate::{DOMAIN, TestbedConfig, TestbedError, Topology, Variant, docker, files, images, ready};

/// Where the netconform binary is mounted in the replicas' containers.
const REPLICA_EXE: &str = "/usr/local/bin/netconform";

/// A container of the bed. testcontainers removes it when it is dropped; the bed's teardown
/// removes it by label first, whatever happened.
pub(crate) type Container = ContainerAsync<GenericImage>;

/// What starting gives.
pub(crate) struct Parts {
    pub(crate) topology: Topology,
    pub(crate) ca_pem: String,
    /// The zone's key-signing key, as a DNSKEY record.
    pub(crate) trust_anchor: String,
    /// The containers, alive as long as the bed.
    pub(crate) containers: Containers,
}

/// The bed's containers.
pub(crate) struct Containers {
    pub(crate) replicas: Vec<Container>,
    pub(crate) lb: Container,
    pub(crate) dns: Container,
}

/// One container of the run, named `name` (also its host name, which HAProxy resolves),
/// on the run's network, labelled, running `command`.
fn request(
    teardown: &Teardown,
    name: &str,
    mounts: Vec<Mount>,
    command: Vec<String>,
) -> testcontainers::ContainerRequest<GenericImage> {
    let (repository, tag) = images::IMAGE
        .split_once(':')
        .expect("the image is named repository:tag");
    let mut request = GenericImage::new(repository, tag)
        .with_container_name(name)
        .with_hostname(name)
        .with_network(teardown.name("net"))
        .with_labels(docker::labels(teardown.run_id()))
        .with_cmd(command);
    for mount in mounts {
        request = request.with_mount(mount);
    }
    request
}

async fn start(
    request: testcontainers::ContainerRequest<GenericImage>,
    name: &str,
) -> Result<Container, TestbedError> {
    request
        .start()
        .await
        .map_err(|e| docker::failed(format!("start the container {name}"), e))
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

async fn address(container: &Container, name: &str) -> Result<IpAddr, TestbedError> {
    container
        .get_bridge_ip_address()
        .await
        .map_err(|e| docker::failed(format!("find the address of {name}"), e))
}

/// What `command` prints in `container`.
async fn exec(container: &Container, command: &[&str]) -> Result<String, TestbedError> {
    let what = || format!("run `{}` in {}", command.join(" "), container.id());
    let mut result = container
        .exec(ExecCommand::new(command.iter().copied()))
        .await
        .map_err(|e| docker::failed(what(), e))?;
    let mut out = String::new();
    result
        .stdout()
        .read_to_string(&mut out)
        .await
        .map_err(|e| docker::failed(what(), e))?;
    Ok(out)
}

/// The replica of `zone`, named `name`: `netconform replica` with Docker's health check on
/// `/api/status` (ECS's container health check).
fn replica(
    config: &TestbedConfig,
    teardown: &Teardown,
    zone: &str,
    name: &str,
) -> testcontainers::ContainerRequest<GenericImage> {
    let timing = &config.timing;
    let mut command: Vec<String> = [
        REPLICA_EXE,
        "replica",
        "--id",
        name,
        "--zone",
        zone,
        "--listen",
        &format!("0.0.0.0:{}", files::API_PORT),
        "--agent",
        &format!("0.0.0.0:{}", files::AGENT_PORT),
        "--drain-delay",
        &format!("{}ms", timing.drain_delay.as_millis()),
    ]
    .map(str::to_owned)
    .to_vec();
    if matches!(
        config.variant,
        Some(Variant::ExitOnSigterm | Variant::HaproxyRetriesMask)
    ) {
        command.push("--exit-on-sigterm".to_owned());
    }
    let health = format!(
        "bash -c 'exec 3<>/dev/tcp/127.0.0.1/{}; printf \"GET /api/status HTTP/1.0\\r\\n\\r\\n\" >&3; read -r -t 2 status <&3; [[ $status == *\" 200 \"* ]]'",
        files::API_PORT
    );
    let exe = Mount::bind_mount(config.replica_exe.to_string_lossy(), REPLICA_EXE)
        .with_access_mode(AccessMode::ReadOnly);
    request(teardown, name, vec![exe], command).with_health_check(
        Healthcheck::cmd_shell(health)
            .with_interval(timing.container_health_interval)
            .with_timeout(Duration::from_secs(2))
            .with_retries(1),
    )
}

pub(crate) async fn start_parts(
    client: &Docker,
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
    docker::create_network(client, &network, teardown.run_id()).await?;

    let files_mount = || {
        Mount::bind_mount(dir.to_string_lossy(), files::MOUNT)
            .with_access_mode(AccessMode::ReadOnly)
    };
    let mut replica_containers = Vec::new();
    for (zone, name) in &replicas {
        replica_containers.push(start(replica(config, teardown, zone, name), name).await?);
    }
    let lb = teardown.name("lb");
    let cfg = format!("{}/haproxy.cfg", files::MOUNT);
    let command = ["haproxy", "-db", "-f", &cfg].map(str::to_owned).to_vec();
    let lb_container = start(request(teardown, &lb, vec![files_mount()], command), &lb).await?;
    let dns = teardown.name("dns");
    // BIND waits for its zone, which needs the addresses Docker gives.
    let named = format!(
        "until [ -s {m}/zone.db ]; do sleep 0.05; done; cp {m}/zone.db {z}; exec named -g -c {m}/named.conf",
        m = files::MOUNT,
        z = files::ZONE_COPY
    );
    let command = ["bash", "-c", &named].map(str::to_owned).to_vec();
    let dns_container = start(request(teardown, &dns, vec![files_mount()], command), &dns).await?;
    let lb_ip = address(&lb_container, &lb).await?;
    let dns_ip = address(&dns_container, &dns).await?;

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
    let containers = Containers {
        replicas: replica_containers,
        lb: lb_container,
        dns: dns_container,
    };
    ready::wait_ready(client, config, &topology, &containers).await?;
    let keys = exec(&containers.dns, &["sh", "-c", "cat /tmp/K*.key"]).await?;
    let trust_anchor = files::trust_anchor(&keys).ok_or_else(|| TestbedError::NotReady {
        what: "BIND's key-signing key".into(),
        waited: Duration::ZERO,
        logs: keys,
    })?;
    Ok(Parts {
        topology,
        ca_pem: certs.ca_pem,
        trust_anchor,
        containers,
    })
}
