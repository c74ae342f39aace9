//! HTTP steps: the health check through every load balancer address.

use cucumber::gherkin::Step;
use cucumber::{then, when};
use netconform_probe::HealthProbe;

use crate::world::{NetWorld, inconclusive};

#[when(
    expr = r"the health check path is requested on api.\{domain} through every address it resolves to"
)]
async fn probe_every_address(world: &mut NetWorld) {
    let ctx = world.ctx();
    let env = &ctx.env;
    let probe = HealthProbe {
        endpoint: env.api_endpoint(),
        path: env.health.path.clone(),
        expect_status: env.health.expect_status.0,
        timeout: env.health.timeout.get(),
    };
    match netconform_probe::check_every_address(&probe, &ctx.resolver).await {
        Ok(outcome) => world.probed = Some(outcome),
        Err(e) => inconclusive(format!("failed to {e}")),
    }
}

#[then("every address answers the expected status")]
fn every_address_answers(world: &mut NetWorld, step: &Step) {
    match world.probed.take() {
        Some(outcome) => world.judge(step, outcome),
        None => inconclusive("nothing was probed before this step".into()),
    }
}
