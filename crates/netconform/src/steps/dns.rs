//! DNS steps: resolve the records from every vantage point, then judge what came back.

use std::time::{Duration, Instant};

use cucumber::gherkin::Step;
use cucumber::{then, when};
use netconform_dns::{NameView, checks};
use netconform_model::environment::RecordLabel;
use netconform_model::{HumanDuration, Outcome, Verdict};

use super::{RecordName, Within};
use crate::world::{Context, NetWorld, inconclusive};

/// Runs `work` within `dns.check_timeout`, or ends the step inconclusive.
async fn within_check_timeout<T>(ctx: &Context, work: impl Future<Output = T>) -> T {
    let limit = ctx.env.dns.check_timeout;
    match tokio::time::timeout(limit.get(), work).await {
        Ok(v) => v,
        Err(_) => inconclusive(format!(
            "the DNS check did not finish within {limit} (dns.check_timeout)"
        )),
    }
}

#[when(expr = r"{record}.\{domain} is resolved from every vantage point")]
async fn resolve(world: &mut NetWorld, record: RecordName) {
    let ctx = world.ctx();
    within_check_timeout(&ctx, ctx.resolve(record.0)).await;
    world.resolved = vec![record.0];
}

#[when(expr = r"api.\{domain} and app.\{domain} are resolved from every vantage point")]
async fn resolve_both(world: &mut NetWorld) {
    let ctx = world.ctx();
    for label in [RecordLabel::Api, RecordLabel::App] {
        within_check_timeout(&ctx, ctx.resolve(label)).await;
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
    let outcome = within_check_timeout(&ctx, async {
        let view = &resolved(world)[0];
        let label = world.resolved[0];
        let lb = ctx.env.load_balancer_for(label);
        let vantages = ctx.dns_vantages().await;
        let ipv6 =
            checks::load_balancer_has_ipv6(&lb, &vantages.resolvers, ctx.env.dns.timeout.get())
                .await;
        checks::check_resolves(view, ipv6)
    })
    .await;
    world.judge(step, outcome);
}

/// Whether `label`'s record leads to its load balancer (or, with none configured, to the same
/// place as the other record), from a fresh view or the run's.
async fn leads_to(ctx: &Context, label: RecordLabel, view: &NameView) -> Outcome {
    let lb = ctx.env.load_balancer_for(label);
    let vantages = ctx.dns_vantages().await;
    let timeout = ctx.env.dns.timeout.get();
    if lb.is_known() {
        checks::check_leads_to_load_balancer(view, &lb, &vantages.all(), timeout).await
    } else {
        let other = ctx.resolve(label.other()).await;
        checks::check_same_target(view, &other)
    }
}

#[then("it leads to the load balancer")]
async fn leads_to_load_balancer(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let view = resolved(world).remove(0);
    let outcome = within_check_timeout(&ctx, leads_to(&ctx, world.resolved[0], &view)).await;
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
    let started = Instant::now();
    let deadline = started + within.0;
    // Ask again with backoff: a twentieth of the deadline first, doubling, at most 30 s apart.
    let mut pause = (within.0 / 20).clamp(Duration::from_millis(100), Duration::from_secs(30));
    let mut attempts = 0;
    let outcome = loop {
        attempts += 1;
        let view = ctx.resolve_fresh(record.0).await;
        let mut outcome = checks::check_resolves(&view, false);
        if outcome.passed() {
            outcome = leads_to(&ctx, record.0, &view).await;
        }
        let now = Instant::now();
        if outcome.passed() {
            outcome.reason = format!(
                "{} after {:.1} s ({attempts} attempts): {}",
                view.name,
                now.duration_since(started).as_secs_f64(),
                outcome.reason
            );
            break outcome;
        }
        if now + pause > deadline {
            outcome.verdict = Verdict::Fail;
            outcome.reason = format!(
                "{} did not lead to the load balancer within {} ({attempts} attempts); last: {}",
                view.name,
                HumanDuration(within.0),
                outcome.reason
            );
            break outcome;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
    };
    world.judge(step, outcome);
}

#[then("the authoritative servers and the resolvers agree")]
async fn authoritative_agree(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let views = resolved(world);
    let outcome = within_check_timeout(&ctx, async {
        let vantages = ctx.dns_vantages().await;
        match &vantages.authoritative {
            Ok(authoritative) => {
                let refs: Vec<&NameView> = views.iter().collect();
                checks::check_authoritative_agreement(
                    &refs,
                    ctx.env.domain.name(),
                    authoritative,
                    ctx.env.dns.timeout.get(),
                )
                .await
            }
            Err(e) => Outcome::inconclusive(
                "the authoritative servers agree with each other and with the resolvers",
                format!("failed to {e}; set dns.authoritative to the zone's servers"),
            ),
        }
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
    let outcome = within_check_timeout(&ctx, async {
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
        .map(|(view, label)| {
            let endpoint = match label {
                RecordLabel::Api => ctx.env.api_endpoint(),
                RecordLabel::App => ctx.env.app_endpoint(),
            };
            (view, endpoint.port)
        })
        .collect();
    let outcome = within_check_timeout(
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
    let outcome = if dns.dnssec == netconform_model::environment::DnssecMode::Off {
        Outcome::new(
            "the records validate with DNSSEC from every resolver",
            Verdict::NotApplicable,
            "dns.dnssec is \"off\": set it to \"validate\" for a signed zone",
        )
    } else {
        within_check_timeout(&ctx, async {
            let vantages = ctx.dns_vantages().await;
            let (api, app) = (ctx.env.api_record(), ctx.env.app_record());
            netconform_dns::check_dnssec(
                &[&api, &app],
                &vantages.resolvers,
                &dns.trust_anchors,
                dns.timeout.get(),
            )
            .await
        })
        .await
    };
    world.judge(step, outcome);
}
