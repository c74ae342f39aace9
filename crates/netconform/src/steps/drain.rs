//! Drain steps: load through the load balancer, a rolling restart under it, and the verdicts.

use std::time::{Duration, Instant};

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use netconform_drain::{Load, LoadPlan, RestartRun, SlowRequests, haproxy, verdict};
use netconform_model::Outcome;
use tokio::sync::mpsc;

use crate::progress::Display;
use crate::world::{DrainRun, NetWorld, inconclusive};

#[given(expr = r"the health check path of api.\{domain} is requested at the configured rate")]
async fn start_load(world: &mut NetWorld) {
    let ctx = world.ctx();
    let env = &ctx.env;
    let plan = LoadPlan {
        endpoint: env.api_endpoint(),
        path: env.health.path.clone(),
        expect_status: env.health.expect_status.0,
        rate: env.drain.rate.per_second(),
        request_timeout: env.drain.request_timeout.get(),
        max_connections: usize::try_from(env.drain.max_connections).unwrap_or(usize::MAX),
        extra_roots: ctx.tls_roots.clone(),
        instance_header: env.health.instance_header.clone(),
        workers: env.drain.workers.max(1),
        fresh_every: env.drain.fresh_every,
        slow: env.drain.slow_path.clone().map(|path| SlowRequests {
            path,
            every: env.drain.slow_every.max(1),
        }),
    };
    if ctx.restart.is_none() {
        inconclusive(format!(
            "{} has no drain.restart: set it to the command that performs a rolling restart of the API, or leave the scenario out with --tags 'not @disruptive'",
            ctx.source
        ));
    }
    match Load::start(plan, ctx.resolver.clone()) {
        Ok(load) => world.load = Some(load),
        Err(e) => inconclusive(format!("failed to {e}")),
    }
    // A steady state before the restart, so failures that are not the restart's show.
    tokio::time::sleep(env.drain.settle.get()).await;
}

#[when("the API is restarted one instance at a time")]
async fn restart_under_load(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let Some(load) = world.load.take() else {
        inconclusive("no load is running: start the scenario with the load step".into());
    };
    let Some(driver) = ctx.restart.clone() else {
        inconclusive(format!("{} has no drain.restart", ctx.source));
    };
    let max_duration = ctx.env.drain.max_duration.get();
    // HAProxy's counters before the restart, when the environment says where they are.
    let stats_timeout = ctx.env.health.timeout.get();
    let haproxy_before = match &ctx.env.drain.haproxy_stats {
        Some(url) => Some(haproxy::fetch(&url.0, &ctx.resolver, stats_timeout).await),
        None => None,
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let describe = driver.describe();
    let display = Display::new();
    display.line(&format!("  restart: {describe}"));
    let started = Instant::now();
    let run = driver.run(tx);
    let mut run = std::pin::pin!(tokio::time::timeout(max_duration, run));
    let mut events = Vec::new();
    let mut phase = "before the rollout".to_owned();
    let mut ticker = tokio::time::interval(display.period());
    let mut interrupt = ctx.interrupt.clone();
    ticker.tick().await;
    let restart = loop {
        tokio::select! {
            res = &mut run => break Some(res.unwrap_or_else(|_| RestartRun {
                completed: false,
                status: format!("did not finish within drain.max_duration ({})", ctx.env.drain.max_duration),
                could_not_run: false,
                output: String::new(),
                duration: started.elapsed(),
            })),
            Some(event) = rx.recv() => {
                display.line(&format!("  t={:.2}s {event}", event.at.saturating_duration_since(load.t0()).as_secs_f64()));
                phase = event.to_string();
                load.observe(&event);
                events.push(event);
            }
            _ = ticker.tick() => display.load(&load.progress(), &phase),
            // Ctrl-C: the restart driver is dropped (its command killed), the load stopped.
            _ = interrupt.wait_for(|stop| *stop) => break None,
        }
    };
    // Events sent just before the driver finished.
    while let Ok(event) = rx.try_recv() {
        display.line(&format!(
            "  t={:.2}s {event}",
            event.at.saturating_duration_since(load.t0()).as_secs_f64()
        ));
        load.observe(&event);
        events.push(event);
    }
    display.finish();
    let Some(restart) = restart else {
        // Interrupted: what was measured so far goes into the report.
        let load = load.finish_within(Duration::from_secs(1)).await;
        let summary = verdict::summarize(&load, &events);
        let reason = format!(
            "interrupted (Ctrl-C) during the restart after {:.1} s: {} requests sent, {} failed so far",
            started.elapsed().as_secs_f64(),
            summary.scheduled,
            summary.failed
        );
        world.judge(
            step,
            Outcome::inconclusive("the rolling restart completes", reason).with_evidence(summary),
        );
        return;
    };
    // A steady state after the restart: late failures (a new instance that is not ready) show.
    tokio::time::sleep(ctx.env.drain.settle.get()).await;
    let load = load.finish().await;
    let haproxy = match (&ctx.env.drain.haproxy_stats, haproxy_before) {
        (Some(url), Some(before)) => {
            let after = haproxy::fetch(&url.0, &ctx.resolver, stats_timeout).await;
            Some(
                before
                    .and_then(|before| after.map(|after| before.since(after)))
                    .map(|during| (url.0.clone(), during)),
            )
        }
        _ => None,
    };
    world.drain = Some(DrainRun {
        driver: describe,
        restart,
        events,
        load,
        haproxy,
    });
}

fn drain_run(world: &NetWorld) -> &DrainRun {
    match &world.drain {
        Some(run) => run,
        None => inconclusive("no restart ran before this step".into()),
    }
}

#[then("every request sent is accounted for")]
fn accounted_for(world: &mut NetWorld, step: &Step) {
    world.judge(step, verdict::judge_accounting(&drain_run(world).load));
}

#[then("no request fails")]
fn no_request_fails(world: &mut NetWorld, step: &Step) {
    let run = drain_run(world);
    let summary = verdict::summarize(&run.load, &run.events);
    world.judge(
        step,
        verdict::judge_requests(&summary, world.ctx().env.drain.max_failed),
    );
    // Failures the load balancer hid by retrying them, when its counters can be read.
    match &run.haproxy {
        Some(Ok((url, during))) => {
            world.judge(step, verdict::judge_masked(url, *during, summary.failed))
        }
        Some(Err(e)) => world.judge(
            step,
            Outcome::inconclusive(
                "the load balancer retried no request during the restart",
                format!("failed to {e}; check drain.haproxy_stats"),
            ),
        ),
        None => {}
    }
}

#[then("the restart completes")]
fn restart_completes(world: &mut NetWorld, step: &Step) {
    let run = drain_run(world);
    world.judge(
        step,
        verdict::judge_restart(&run.driver, &run.restart, &run.events),
    );
}
