//! The shell restart driver: exit statuses, timeouts, output and event lines.

use std::time::Duration;

use netconform_drain::{RestartDriver, ShellRestart};
use netconform_model::RestartEventKind;
use tokio::sync::mpsc;

async fn run(
    command: &str,
    timeout_ms: u64,
) -> (
    netconform_drain::RestartRun,
    Vec<netconform_model::RestartEvent>,
) {
    let driver = ShellRestart {
        command: command.to_owned(),
        cwd: std::env::temp_dir(),
        timeout: Duration::from_millis(timeout_ms),
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let run = driver.run(tx).await;
    let mut events = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        events.push(ev);
    }
    (run, events)
}

#[tokio::test]
async fn success_keeps_output_and_turns_event_lines_into_events() {
    let (run, events) = run(
        "echo rolling; echo 'netconform-event: stopping zone-a/api-1'; echo oops >&2; echo 'netconform-event: exited zone-a/api-1 drained'",
        5000,
    )
    .await;
    assert!(run.completed, "{run:?}");
    assert_eq!(run.status, "exit status 0");
    assert!(
        run.output.contains("rolling") && run.output.contains("oops"),
        "{:?}",
        run.output
    );
    let kinds: Vec<_> = events
        .iter()
        .map(|e| (e.kind, e.instance.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (RestartEventKind::RolloutBegun, None),
            (
                RestartEventKind::InstanceStopping,
                Some("zone-a/api-1".to_owned())
            ),
            (
                RestartEventKind::InstanceExited,
                Some("zone-a/api-1".to_owned())
            ),
            (RestartEventKind::RolloutDone, None),
        ]
    );
}

#[tokio::test]
async fn failure_status_is_not_completed() {
    let (run, events) = run("exit 4", 5000).await;
    assert!(!run.completed && !run.could_not_run, "{run:?}");
    assert_eq!(run.status, "exit status: 4");
    assert_eq!(events.last().unwrap().kind, RestartEventKind::RolloutFailed);
}

#[tokio::test]
async fn missing_command_could_not_run() {
    let (run, _) = run("no-such-command-netconform", 5000).await;
    assert!(run.could_not_run, "{run:?}");
    assert!(run.output.contains("not found"), "{:?}", run.output);
}

#[tokio::test]
async fn timeout_stops_the_command() {
    let started = std::time::Instant::now();
    let (run, _) = run("sleep 30", 300).await;
    assert!(!run.completed && !run.could_not_run, "{run:?}");
    assert!(
        run.status
            .contains("did not finish within 300ms (drain.max_duration); stopped"),
        "{}",
        run.status
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}
