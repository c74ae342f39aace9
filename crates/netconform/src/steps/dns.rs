//! DNS steps: resolve a record through every vantage point, then judge what came back.

use cucumber::gherkin::Step;
use cucumber::{then, when};
use netconform_dns::{LoadBalancer, NameView};

use super::RecordName;
use crate::world::{NetWorld, inconclusive};

#[when(expr = r"{record}.\{domain} is resolved through every configured resolver")]
async fn resolve(world: &mut NetWorld, record: RecordName) {
    let ctx = world.ctx();
    let name = record.name(world);
    world.resolved = Some(NameView::resolve(&name, &ctx.vantages).await);
}

fn resolved(world: &NetWorld) -> &NameView {
    match &world.resolved {
        Some(view) => view,
        None => inconclusive(
            "no record was resolved before this step; start the scenario with a resolve step"
                .into(),
        ),
    }
}

#[then("it resolves to at least one address")]
fn resolves(world: &mut NetWorld, step: &Step) {
    world.judge(step, netconform_dns::check_resolves(resolved(world)));
}

#[then("it leads to the load balancer")]
async fn leads_to_load_balancer(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    let view = resolved(world);
    let lb = LoadBalancer {
        name: ctx.env.dns.load_balancer.clone(),
        addresses: ctx.env.dns.load_balancer_addresses.clone(),
    };
    let outcome = if lb.name.is_some() || !lb.addresses.is_empty() {
        netconform_dns::check_leads_to_load_balancer(view, &lb, &ctx.vantages).await
    } else {
        // No load balancer named: both records must lead to the same place.
        let this = if view.name == ctx.env.api_record() {
            RecordName::Api
        } else {
            RecordName::App
        };
        let other = NameView::resolve(&this.other().name(world), &ctx.vantages).await;
        netconform_dns::check_same_target(view, &other)
    };
    world.judge(step, outcome);
}
