//! DNS steps: resolve the records from every vantage point, then judge what came back.

use cucumber::gherkin::Step;
use cucumber::{then, when};
use netconform_dns::{NameView, checks};
use netconform_model::environment::RecordLabel;

use super::{RecordName, Within};
use crate::world::{Context, NetWorld, inconclusive};

/// Runs `work` within `dns.check_timeout`, unless the run is stopped first, or ends the step
/// inconclusive.
async fn bounded<T>(ctx: &Context, work: impl Future<Output = T>) -> T {
    ctx.bounded(netconform_dns::within(ctx.env.dns.check_timeout, work))
        .await
        .unwrap_or_else(|why| inconclusive(why))
}

#[when(expr = r"{record}.\{domain} is resolved from every vantage point")]
async fn resolve(world: &mut NetWorld, record: RecordName) {
    let ctx = world.ctx();
    bounded(&ctx, ctx.resolve(record.0)).await;
    world.resolved = vec![record.0];
}

#[when(expr = r"api.\{domain} and app.\{domain} are resolved from every vantage point")]
async fn resolve_both(world: &mut NetWorld) {
    let ctx = world.ctx();
    for label in [RecordLabel::Api, RecordLabel::App] {
        bounded(&ctx, ctx.resolve(label)).await;
    }
    world.resolved = vec![RecordLabel::Api, RecordLabel::App];
}

/// The views the last resolve step produced.
fn resolved(world: &NetWorld) -> Vec<NameView> {
    if world.resolved.is_empty() {
        inconclusive(
            "no record was resolved before this step; start the scenario with a resolve step"
                .into(),
        );
    }
    let ctx = world.ctx();
    world
        .resolved
        .iter()
        .map(|label| ctx.view(*label))
        .collect()
}

#[then("it resolves from every vantage point")]
async fn resolves(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let (view, label) = (resolved(world).remove(0), world.resolved[0]);
    let outcome = bounded(&ctx, async {
        let vantages = ctx.dns_vantages().await;
        let lb = ctx.env.load_balancer_for(label);
        checks::check_resolves_for(&view, &lb, &vantages.resolvers, ctx.env.dns.timeout.get()).await
    })
    .await;
    world.judge(step, outcome);
}

/// Whether `label`'s record leads to its load balancer (or, with none configured, to the same
/// place as the other record).
async fn leads_to(ctx: &Context, label: RecordLabel, view: &NameView) -> netconform_model::Outcome {
    let vantages = ctx.dns_vantages().await;
    let lb = ctx.env.load_balancer_for(label);
    let other = ctx.resolve(label.other());
    checks::check_record_leads_to(view, &lb, vantages, other, ctx.env.dns.timeout.get()).await
}

#[then("it leads to the load balancer")]
async fn leads_to_load_balancer(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let view = resolved(world).remove(0);
    let outcome = bounded(&ctx, leads_to(&ctx, world.resolved[0], &view)).await;
    world.judge(step, outcome);
}

#[then(expr = r"within {duration} {record}.\{domain} leads to the load balancer")]
async fn eventually_leads_to(
    world: &mut NetWorld,
    step: &Step,
    within: Within,
    record: RecordName,
) {
    let ctx = world.ctx();
    let name = ctx.env.record(record.0);
    let outcome = ctx
        .bounded(checks::check_eventually(within.0, &name, || async {
            let view = ctx.resolve_fresh(record.0).await;
            let (vantages, lb) = (
                ctx.dns_vantages().await,
                ctx.env.load_balancer_for(record.0),
            );
            let other = ctx.resolve(record.0.other());
            let timeout = ctx.env.dns.timeout.get();
            checks::check_resolves_and_leads_to(&view, &lb, vantages, other, timeout).await
        }))
        .await;
    world.judge(step, outcome);
}

#[then("the authoritative servers and the resolvers agree")]
async fn authoritative_agree(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let views = resolved(world);
    let outcome = bounded(&ctx, async {
        let refs: Vec<&NameView> = views.iter().collect();
        let vantages = ctx.dns_vantages().await;
        checks::check_servers_agree(
            &refs,
            ctx.env.domain.name(),
            vantages,
            ctx.env.dns.timeout.get(),
        )
        .await
    })
    .await;
    world.judge(step, outcome);
}

#[then("no CNAME in their chains points to a name that does not exist")]
fn no_dangling(world: &mut NetWorld, step: &Step) {
    let views = resolved(world);
    world.judge(
        step,
        checks::check_no_dangling(&views.iter().collect::<Vec<_>>()),
    );
}

#[then("no wildcard answers in their place")]
async fn no_wildcard(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let views = resolved(world);
    let outcome = bounded(&ctx, async {
        let vantages = ctx.dns_vantages().await;
        let refs: Vec<&NameView> = views.iter().collect();
        checks::check_wildcard(
            &refs,
            ctx.env.domain.name(),
            &vantages.resolvers,
            ctx.env.dns.timeout.get(),
        )
        .await
    })
    .await;
    world.judge(step, outcome);
}

#[then("no TTL in their chains is above dns.max_ttl")]
fn ttl_at_most(world: &mut NetWorld, step: &Step) {
    let views = resolved(world);
    let max = world.ctx().env.dns.max_ttl.get();
    world.judge(
        step,
        checks::check_ttl(&views.iter().collect::<Vec<_>>(), max),
    );
}

#[then("every AAAA address accepts connections on the endpoint's port")]
async fn ipv6_listeners(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let views = resolved(world);
    let ports: Vec<(&NameView, u16)> = views
        .iter()
        .zip(&world.resolved)
        .map(|(view, label)| (view, ctx.env.endpoint(*label).port))
        .collect();
    let outcome = bounded(
        &ctx,
        checks::check_ipv6_listeners(&ports, ctx.env.dns.timeout.get()),
    )
    .await;
    world.judge(step, outcome);
}

#[then(expr = r"api.\{domain} and app.\{domain} validate with DNSSEC from every resolver")]
async fn dnssec(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let dns = &ctx.env.dns;
    let outcome = bounded(&ctx, async {
        let vantages = ctx.dns_vantages().await;
        let (api, app) = (ctx.env.api_record(), ctx.env.app_record());
        netconform_dns::check_dnssec(
            dns.dnssec,
            &[&api, &app],
            &vantages.resolvers,
            &dns.trust_anchors,
            dns.timeout.get(),
        )
        .await
    })
    .await;
    world.judge(step, outcome);
}
