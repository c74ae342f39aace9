//! Drain steps: load through the load balancer, a rolling restart under it, and the verdicts.

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use netconform_drain::{Ended, Load, LoadPlan, RestartUnderLoad, verdict};

use crate::progress::Display;
use crate::world::{NetWorld, inconclusive};

#[given(expr = r"the health check path of api.\{domain} is requested at the configured rate")]
async fn start_load(world: &mut NetWorld) {
    let ctx = world.ctx();
    if ctx.restart.is_none() {
        inconclusive(format!(
            "{} has no drain.restart: set it to the command that performs a rolling restart of the API, or leave the scenario out with --tags 'not @disruptive'",
            ctx.source
        ));
    }
    let plan = LoadPlan::for_environment(&ctx.env, ctx.tls_roots.clone());
    let settle = ctx.env.drain.settle.get();
    match ctx
        .bounded(Load::start_steady(plan, ctx.resolver.clone(), settle))
        .await
    {
        Ok(load) => world.load = Some(load),
        Err(e) => inconclusive(format!("failed to {e}")),
    }
}

#[when("the API is restarted one instance at a time")]
async fn restart_under_load(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let (Some(load), Some(driver)) = (world.load.take(), ctx.restart.clone()) else {
        inconclusive(
            "no load is running, or no drain.restart: start the scenario with the load step".into(),
        );
    };
    let how = RestartUnderLoad {
        driver,
        max_duration: ctx.env.drain.max_duration.get(),
        settle: ctx.env.drain.settle.get(),
        haproxy_stats: ctx.env.drain.haproxy_stats.as_ref().map(|u| u.0.clone()),
        stats_timeout: ctx.env.health.timeout.get(),
        stop: ctx.stop.clone(),
    };
    match netconform_drain::restart_under_load(load, how, &ctx.resolver, &Display::new()).await {
        Ended::Ran(run) => world.drain = Some(*run),
        Ended::Interrupted(outcome) => world.judge(step, outcome),
    }
}

fn drain_run(world: &NetWorld) -> &netconform_drain::DrainRun {
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
    let max_failed = world.ctx().env.drain.max_failed;
    for outcome in verdict::judge_drain(drain_run(world), max_failed) {
        world.judge(step, outcome);
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
