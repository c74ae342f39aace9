//! HTTP and TLS steps: the health check, the certificates, redirects, the console, stability,
//! the grace period, gzip and zone spread, each through every load balancer address.

use cucumber::gherkin::Step;
use cucumber::{then, when};
use netconform_model::Outcome;
use netconform_model::environment::RecordLabel;
use netconform_probe::checks::{self, Expect};
use netconform_probe::{ProbeError, Target};

use super::{RecordName, Within};
use crate::world::{Context, NetWorld, inconclusive};

/// The probe checks' `Err`: the probe could not be built, no verdict.
fn checked(res: Result<Outcome, ProbeError>) -> Outcome {
    res.unwrap_or_else(|e| inconclusive(format!("failed to {e}")))
}

/// What the health check must answer, from `[health]`.
fn expect(ctx: &Context) -> Expect {
    Expect::for_health(&ctx.env.health)
}

fn api(ctx: &Context) -> Target {
    ctx.target(RecordLabel::Api)
}

#[when(
    expr = r"the health check path is requested on api.\{domain} through every address it resolves to"
)]
async fn probe_every_address(world: &mut NetWorld) {
    let ctx = world.ctx();
    let res = ctx
        .bounded(checks::check_every_address(
            &api(&ctx),
            &ctx.resolver,
            ctx.env.health.path.as_str(),
            &expect(&ctx),
        ))
        .await;
    world.probed = Some(checked(res));
}

#[then("every address answers the expected status")]
fn every_address_answers(world: &mut NetWorld, step: &Step) {
    match world.probed.take() {
        Some(outcome) => world.judge(step, outcome),
        None => inconclusive("nothing was probed before this step".into()),
    }
}

#[then(
    expr = r"the health check path of api.\{domain} answers the expected status within {duration}"
)]
async fn becomes_healthy(world: &mut NetWorld, step: &Step, within: Within) {
    let ctx = world.ctx();
    let health = &ctx.env.health;
    let res = ctx
        .bounded(checks::check_becomes_healthy(
            &api(&ctx),
            &ctx.resolver,
            health.path.as_str(),
            &expect(&ctx),
            within.0,
            health.interval.get(),
        ))
        .await;
    world.judge(step, checked(res));
}

#[then(
    expr = r"the health check path of api.\{domain} answers the expected status {int} times in a row"
)]
async fn repeatedly(world: &mut NetWorld, step: &Step, times: u32) {
    let ctx = world.ctx();
    let health = &ctx.env.health;
    let res = ctx
        .bounded(checks::check_repeatedly(
            &api(&ctx),
            &ctx.resolver,
            health.path.as_str(),
            &expect(&ctx),
            times,
            health.interval.get(),
        ))
        .await;
    world.judge(step, checked(res));
}

#[then(expr = r"GET \/ on app.\{domain} answers with an HTML page")]
async fn console(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let target = ctx.target(RecordLabel::App);
    let res = ctx
        .bounded(checks::check_console(&target, &ctx.resolver))
        .await;
    world.judge(step, checked(res));
}

#[then(expr = r"requests to api.\{domain} are answered from at least health.min_zones zones")]
async fn zone_spread(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let health = &ctx.env.health;
    let probes = (health.min_zones * 5).max(10);
    let res = ctx
        .bounded(checks::check_zone_spread(
            &api(&ctx),
            &ctx.resolver,
            health.path.as_str(),
            health.min_zones,
            probes,
        ))
        .await;
    world.judge(step, checked(res));
}

#[then(expr = r"a gzip-encoded response from api.\{domain} keeps its Content-Encoding")]
async fn gzip(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let path = ctx
        .env
        .health
        .gzip_path
        .as_ref()
        .map(|p| p.as_str().to_owned());
    let res = ctx
        .bounded(checks::check_gzip(
            &api(&ctx),
            &ctx.resolver,
            path.as_deref(),
        ))
        .await;
    world.judge(step, checked(res));
}

#[then(expr = r"the certificate of {record}.\{domain} is valid on every address")]
async fn certificate(world: &mut NetWorld, step: &Step, record: RecordName) {
    let ctx = world.ctx();
    let target = ctx.target(record.0);
    let res = ctx
        .bounded(checks::check_certificate(
            &target,
            &ctx.resolver,
            ctx.env.tls.required,
        ))
        .await;
    world.judge(step, checked(res));
}

#[then(
    expr = r"{record}.\{domain} negotiates at least tls.min_version with tls.min_days_left days of certificate left on every address"
)]
async fn tls_hygiene(world: &mut NetWorld, step: &Step, record: RecordName) {
    let ctx = world.ctx();
    let tls = &ctx.env.tls;
    let res = ctx
        .bounded(checks::check_tls_hygiene(
            &ctx.target(record.0),
            &ctx.resolver,
            tls.min_days_left,
            tls.min_version,
            tls.required,
        ))
        .await;
    world.judge(step, checked(res));
}

#[then(expr = r"plain HTTP to {record}.\{domain} redirects to HTTPS on the same host")]
async fn redirect(world: &mut NetWorld, step: &Step, record: RecordName) {
    let ctx = world.ctx();
    let res = ctx
        .bounded(checks::check_redirect(
            &ctx.target(record.0),
            &ctx.resolver,
            ctx.env.endpoints.http_port,
            ctx.env.tls.required,
        ))
        .await;
    world.judge(step, checked(res));
}
