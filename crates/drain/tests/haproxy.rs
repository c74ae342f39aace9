//! HAProxy's counters read over HTTP from a server that serves its statistics page.

use std::time::Duration;

use netconform_drain::haproxy::fetch;
use netconform_model::values::Nameserver;
use netconform_net::{Caching, Resolver};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves `answer` to every request; the URL of its statistics page.
async fn serving(answer: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    format!("http://{addr}/stats;csv")
}

fn resolver() -> Resolver {
    Resolver::with_servers(
        &[Nameserver("127.0.0.1:9".parse().unwrap())],
        Duration::from_secs(1),
        Caching::On,
    )
    .unwrap()
}

#[tokio::test]
async fn counters_are_read_from_the_statistics_page() {
    let url = serving(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n# pxname,svname,wretr,wredis,status\napi,zone-a,3,2,UP\napi,BACKEND,3,2,UP\n",
    )
    .await;
    let counters = fetch(&url, &resolver(), Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!((counters.retries, counters.redispatches), (3, 2));
}

#[tokio::test]
async fn a_chunked_page_is_read_whole() {
    // What HAProxy 2.6 sends, even to an HTTP/1.0 request.
    let url = serving(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n24\r\n# pxname,svname,wretr,wredis,status\n\r\n13\r\napi,BACKEND,5,4,UP\n\r\n0\r\n\r\n",
    )
    .await;
    let counters = fetch(&url, &resolver(), Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!((counters.retries, counters.redispatches), (5, 4));
}

#[tokio::test]
async fn a_page_that_is_not_the_statistics_is_named() {
    let url = serving("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n").await;
    let err = fetch(&url, &resolver(), Duration::from_secs(2))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("answered \"HTTP/1.1 404 Not Found\""), "{err}");
    let refused = fetch(
        "http://127.0.0.1:9/stats;csv",
        &resolver(),
        Duration::from_secs(2),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        refused.starts_with("read HAProxy's statistics at http://127.0.0.1:9/stats;csv:"),
        "{refused}"
    );
}
