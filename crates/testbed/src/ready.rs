//! Whether a bed is up: Docker's health of the replicas, BIND's signed zone, and HAProxy's
//! view of the replicas on its statistics page.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use netconform_model::haproxy;
use testcontainers::bollard::Docker;

use crate::start::{Container, Containers};
use crate::{TestbedConfig, TestbedError, Topology, Variant, docker, files};

/// Waits until BIND runs, the replicas are healthy in Docker, and HAProxy has made up its
/// mind about them: routing to both (or, with no checks, configured; with the wrong check
/// path, both marked down).
pub(crate) async fn wait_ready(
    client: &Docker,
    config: &TestbedConfig,
    topology: &Topology,
    containers: &Containers,
) -> Result<(), TestbedError> {
    let started = Instant::now();
    let deadline = started + config.timing.ready_within;
    let want = match config.variant {
        Some(Variant::HaproxyWrongCheckPath) => "DOWN",
        Some(Variant::HaproxyNoHealthcheck) => "no check",
        _ => "UP",
    };
    let mut waiting_for;
    loop {
        waiting_for = match ready(client, topology, containers, want).await {
            Ok(()) => return Ok(()),
            Err(what) => what,
        };
        if Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut logs = String::new();
    let mut names = vec![
        (topology.dns.0.as_str(), &containers.dns),
        (topology.lb.0.as_str(), &containers.lb),
    ];
    names.extend(
        topology
            .replicas
            .iter()
            .map(|(_, n)| n.as_str())
            .zip(&containers.replicas),
    );
    for (name, container) in names {
        logs.push_str(&format!(
            "--- logs of {name}\n{}",
            tail(container, 15).await
        ));
    }
    Err(TestbedError::NotReady {
        what: waiting_for,
        waited: started.elapsed(),
        logs,
    })
}

/// The last `lines` lines a container wrote, stdout then stderr.
async fn tail(container: &Container, lines: usize) -> String {
    let mut text = String::new();
    for out in [
        container.stdout_to_vec().await,
        container.stderr_to_vec().await,
    ] {
        let out = String::from_utf8_lossy(&out.unwrap_or_default()).into_owned();
        let all: Vec<&str> = out.lines().collect();
        for line in &all[all.len().saturating_sub(lines)..] {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// `Err(what is not ready yet)`.
async fn ready(
    client: &Docker,
    topology: &Topology,
    containers: &Containers,
    want: &str,
) -> Result<(), String> {
    for (_, name) in &topology.replicas {
        let s = docker::state(client, name).await;
        if s != "running healthy" {
            return Err(format!("{name} healthy in Docker (it is {s:?})"));
        }
    }
    let dns = &topology.dns.0;
    if docker::state(client, dns).await != "running" {
        return Err(format!("{dns} running"));
    }
    let logs = String::from_utf8_lossy(&containers.dns.stderr_to_vec().await.unwrap_or_default())
        .into_owned();
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
