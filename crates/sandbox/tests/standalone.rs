//! The replica on its own (what the container test bed runs): it answers like the sandbox's,
//! its agent says `ready up` while it serves and `drain` from the stop on, a graceful replica
//! keeps answering through its drain delay, and one that exits at once drops its connections.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use netconform_sandbox::{
    AGENT_DRAIN, AGENT_READY, BoundReplica, INSTANCE_HEADER, StandaloneReplica, StandaloneStop,
    ZONE_HEADER,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn bind(on_stop: StandaloneStop) -> BoundReplica {
    let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
    StandaloneReplica {
        id: "bed-zone-a".into(),
        zone: "zone-a".into(),
        listen: any,
        agent: Some(any),
        on_stop,
    }
    .bind()
    .await
    .unwrap()
}

async fn agent_says(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).await.unwrap();
    text
}

/// One HTTP/1.0 exchange; the whole answer, or the error.
async fn get(addr: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr).await?;
    stream
        .write_all(format!("GET {path} HTTP/1.0\r\n\r\n").as_bytes())
        .await?;
    let mut text = String::new();
    stream.read_to_string(&mut text).await?;
    Ok(text)
}

#[tokio::test]
async fn graceful_replica_says_drain_keeps_serving_then_exits() {
    let replica = bind(StandaloneStop::Graceful {
        drain_delay: Duration::from_millis(600),
    })
    .await;
    let (addr, agent) = (replica.addr, replica.agent_addr.unwrap());
    let status = get(addr, "/api/status").await.unwrap();
    assert!(status.starts_with("HTTP/1.0 200"), "{status}");
    assert!(
        status.contains(&format!("{INSTANCE_HEADER}: bed-zone-a")),
        "{status}"
    );
    assert!(
        status.contains(&format!("{ZONE_HEADER}: zone-a")),
        "{status}"
    );
    assert_eq!(agent_says(agent).await, AGENT_READY);

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let started = Instant::now();
    let run = tokio::spawn(replica.run_until(async {
        let _ = stopped.await;
    }));
    // A slow request in flight when the stop comes is finished, not dropped.
    let slow = tokio::spawn(get(addr, "/api/slow?ms=900"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(agent_says(agent).await, AGENT_DRAIN);
    let during = get(addr, "/api/status").await.unwrap();
    assert!(during.starts_with("HTTP/1.0 200"), "{during}");
    assert!(during.contains("connection: close"), "{during}");
    let exit = run.await.unwrap();
    assert_eq!(exit, "drained and exited");
    assert!(started.elapsed() >= Duration::from_millis(600));
    let slow = slow.await.unwrap().unwrap();
    assert!(slow.starts_with("HTTP/1.0 200"), "{slow}");
    assert!(get(addr, "/api/status").await.is_err(), "still listening");
}

#[tokio::test]
async fn replica_without_graceful_shutdown_drops_what_is_in_flight() {
    let replica = bind(StandaloneStop::ExitAtOnce).await;
    let addr = replica.addr;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(replica.run_until(async {
        let _ = stopped.await;
    }));
    let slow = tokio::spawn(get(addr, "/api/slow?ms=2000"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    let exit = run.await.unwrap();
    assert!(exit.starts_with("exited at once on stop"), "{exit}");
    let slow = slow.await.unwrap();
    assert!(
        slow.as_ref().map_or(true, |text| text.is_empty()),
        "the slow request was answered: {slow:?}"
    );
}
