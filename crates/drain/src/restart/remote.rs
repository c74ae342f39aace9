//! `kind = "sandbox"`: a running `netconform sandbox`'s rolling restart, through its control
//! endpoint. `POST` to its URL answers one line per restart event in the event protocol
//! (`netconform-event: ...`, see [`netconform_model::restart`]) and ends with `done` or
//! `failed: <reason>`.

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use netconform_model::RestartEvent;
use tokio::sync::mpsc;

use super::{RestartDriver, RestartRun};

/// A running sandbox's rollout, at its control endpoint's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSandboxRestart {
    pub url: String,
}

impl RestartDriver for RemoteSandboxRestart {
    fn describe(&self) -> String {
        format!("the sandbox's rolling restart at {}", self.url)
    }

    fn run<'a>(
        &'a self,
        events: mpsc::UnboundedSender<RestartEvent>,
    ) -> Pin<Box<dyn Future<Output = RestartRun> + Send + 'a>> {
        Box::pin(async move {
            let started = Instant::now();
            let mut output = String::new();
            let res = follow_rollout(&self.url, |line| {
                if let Some(event) = RestartEvent::parse_line(line) {
                    let _ = events.send(event);
                }
                output.push_str(line);
                output.push('\n');
            })
            .await;
            RestartRun {
                completed: res.is_ok(),
                status: res
                    .clone()
                    .err()
                    .unwrap_or_else(|| "every replica replaced".to_owned()),
                could_not_run: res
                    .as_ref()
                    .is_err_and(|e| e.starts_with("failed to reach")),
                output,
                duration: started.elapsed(),
            }
        })
    }
}

/// POSTs to a running sandbox's rolling-restart URL and hands each line of its answer to
/// `on_line`; `Err` says why the rollout did not complete.
pub async fn follow_rollout(url: &str, mut on_line: impl FnMut(&str)) -> Result<(), String> {
    // reqwest looks for the process's crypto provider even for plain HTTP.
    netconform_net::tls::install_default_provider();
    let client = reqwest::Client::builder()
        .retry(reqwest::retry::never())
        .no_proxy()
        .build()
        .map_err(|e| format!("failed to build the HTTP client: {e}"))?;
    let mut res = match client.post(url).send().await {
        Ok(res) if res.status().is_success() => res,
        Ok(res) => {
            return Err(format!(
                "the sandbox answered {} to POST {url}",
                res.status()
            ));
        }
        Err(e) => {
            return Err(format!(
                "failed to reach the sandbox at {url} (is `netconform sandbox` running?): {e}"
            ));
        }
    };
    let (mut pending, mut last) = (String::new(), String::new());
    loop {
        match res.chunk().await {
            Ok(Some(bytes)) => {
                pending.push_str(&String::from_utf8_lossy(&bytes));
                while let Some(i) = pending.find('\n') {
                    let line: String = pending.drain(..=i).collect();
                    let line = line.trim_end();
                    on_line(line);
                    last = line.to_owned();
                }
            }
            Ok(None) => break,
            Err(e) => return Err(format!("the sandbox's answer broke off: {e}")),
        }
    }
    if last == "done" {
        Ok(())
    } else {
        Err(last.strip_prefix("failed: ").unwrap_or(&last).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use netconform_model::RestartEventKind;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A control endpoint on loopback that answers one request with `status` and `body`,
    /// chunk by chunk (one chunk per line, as the sandbox streams them).
    async fn endpoint(status: &'static str, body: &'static str) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut conn, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = conn.read(&mut buf).await.unwrap();
                if n == 0 {
                    return;
                }
                request.extend_from_slice(&buf[..n]);
            }
            assert!(request.starts_with(b"POST /rolling-restart HTTP/1.1\r\n"));
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            );
            conn.write_all(head.as_bytes()).await.unwrap();
            for line in body.split_inclusive('\n') {
                let chunk = format!("{:x}\r\n{line}\r\n", line.len());
                conn.write_all(chunk.as_bytes()).await.unwrap();
                conn.flush().await.unwrap();
            }
            conn.write_all(b"0\r\n\r\n").await.unwrap();
        });
        format!("http://{addr}/rolling-restart")
    }

    async fn drive(url: String) -> (RestartRun, Vec<RestartEventKind>) {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let run = RemoteSandboxRestart { url }.run(tx).await;
        let mut kinds = Vec::new();
        while let Ok(ev) = rx.try_recv() {
            kinds.push(ev.kind);
        }
        (run, kinds)
    }

    fn event_line(kind: RestartEventKind, instance: Option<&str>) -> String {
        RestartEvent::now(kind, instance.map(str::to_owned)).to_line()
    }

    #[tokio::test]
    async fn a_completed_rollout_hands_on_its_events() {
        let body = format!(
            "{}\n{}\ndone\n",
            event_line(RestartEventKind::RolloutBegun, None),
            event_line(RestartEventKind::RolloutDone, None)
        );
        let (run, kinds) = drive(endpoint("200 OK", body.leak()).await).await;
        assert!(run.completed, "{run:?}");
        assert!(!run.could_not_run);
        assert_eq!(run.status, "every replica replaced");
        assert_eq!(
            kinds,
            [
                RestartEventKind::RolloutBegun,
                RestartEventKind::RolloutDone
            ]
        );
        assert!(run.output.ends_with("done\n"), "{}", run.output);
    }

    #[tokio::test]
    async fn a_failed_rollout_says_why() {
        let url = endpoint("200 OK", "failed: replica zone-a did not become healthy\n").await;
        let (run, _) = drive(url).await;
        assert!(!run.completed);
        assert!(!run.could_not_run);
        assert_eq!(run.status, "replica zone-a did not become healthy");
    }

    #[tokio::test]
    async fn an_error_status_is_no_rollout() {
        let (run, _) = drive(endpoint("409 Conflict", "busy\n").await).await;
        assert!(!run.completed);
        assert!(!run.could_not_run);
        assert!(
            run.status
                .starts_with("the sandbox answered 409 Conflict to POST http://127.0.0.1:"),
            "{}",
            run.status
        );
    }

    #[tokio::test]
    async fn an_endpoint_nobody_listens_on_could_not_run() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/rolling-restart", listener.local_addr().unwrap());
        drop(listener);
        let (run, kinds) = drive(url).await;
        assert!(!run.completed);
        assert!(run.could_not_run, "{run:?}");
        assert!(
            run.status.contains("is `netconform sandbox` running?"),
            "{}",
            run.status
        );
        assert!(kinds.is_empty());
    }

    #[tokio::test]
    async fn every_line_reaches_the_caller() {
        let url = endpoint("200 OK", "one\ntwo\ndone\n").await;
        let mut lines = Vec::new();
        let res = follow_rollout(&url, |l| lines.push(l.to_owned())).await;
        assert_eq!(res, Ok(()));
        assert_eq!(lines, ["one", "two", "done"]);
    }
}
