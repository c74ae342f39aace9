//! Configuration steps: the exported configuration read once per run, then one check of
//! netconform-config per step. Without `[config]` every check is not applicable, saying so.

use cucumber::gherkin::Step;
use cucumber::{given, then};
use netconform_config::{Deployment, checks};
use netconform_model::{Gap, Outcome};

use crate::world::{NetWorld, inconclusive};

#[given("the configuration exported from the deployment")]
fn exported(world: &mut NetWorld) {
    let ctx = world.ctx();
    if let Err(message) = ctx.config() {
        inconclusive(message.clone());
    }
}

/// Judges `check` on the run's configuration, or records it as not checked without one, under
/// the check's own name (what it calls its outcomes, read off one over no inputs).
fn judge(world: &NetWorld, step: &Step, check: impl FnOnce(&Deployment) -> Outcome) {
    let ctx = world.ctx();
    let outcome = match ctx.config() {
        Ok(Some(d)) => {
            let mut outcome = check(d);
            d.locate(&mut outcome);
            outcome
        }
        Ok(None) => Outcome::not_checked(
            check(&Deployment::default()).check,
            Gap::new(
                "no [config]",
                "name the deployment's exported configuration in [config] (docs/environment.md#config)",
            ),
            format!(
                "not checked: {} has no [config] naming exported configuration (see docs/environment.md)",
                ctx.source
            ),
        ),
        Err(message) => inconclusive(message.clone()),
    };
    world.judge(step, outcome);
}

#[then("the API's pods or tasks are spread over at least two availability zones")]
fn api_zones(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_api_zones);
}

#[then("every load balancer has nodes in at least two availability zones")]
fn load_balancer_zones(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_load_balancer_zones);
}

#[then("the API runs at least two instances")]
fn api_replicas(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_api_replicas);
}

#[then("every internet-facing load balancer is in public subnets")]
fn load_balancer_subnets(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_load_balancer_subnets);
}

#[then("the API's tasks or nodes are in private subnets without public IP addresses")]
fn api_private_subnets(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_api_private_subnets);
}

#[then("the database is not publicly accessible and is in database subnets")]
fn database_tier(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_database_tier);
}

#[then(
    "every private subnet reaches the internet through a NAT gateway in its own availability zone"
)]
fn nat_per_zone(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_nat_per_zone);
}

#[then("every subnet the API runs in reaches S3 through a VPC endpoint")]
fn object_storage_endpoint(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_object_storage_endpoint);
}

#[then("the API scales on average CPU utilization with a target between 50 and 60 %")]
fn cpu_target(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_cpu_target);
}

#[then("the API scales between at least 2 instances and at least 4 times its desired count")]
fn scaling_bounds(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_scaling_bounds);
}

#[then("every API container gets at least 120 seconds to stop")]
fn stop_timeout(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_stop_timeout);
}

#[then("the API drains connections before it stops")]
fn drain_hook(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_drain_hook);
}

#[then("the stop sequence leaves the API its stop timeout after SIGTERM")]
fn shutdown_timeline(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_shutdown_timeline);
}

#[then("the API's instances are drained before they terminate")]
fn instance_draining(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_instance_draining);
}

#[then("a layer-7 load balancer, an Application Load Balancer or equivalent, fronts the API")]
fn application_load_balancer(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_application_load_balancer);
}

#[then("deletion protection is on for every load balancer")]
fn deletion_protection(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_deletion_protection);
}

#[then(
    expr = r"the load balancer health-checks the API on \/api\/status and counts 200 as healthy"
)]
fn health_check_path(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_health_check_path);
}

#[then(expr = r"the API's pods report readiness on \/api\/status")]
fn readiness_probe(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_readiness_probe);
}

#[then("the API gets at least 120 seconds to start before failing health checks count")]
fn startup_grace(world: &mut NetWorld, step: &Step) {
    judge(world, step, checks::check_startup_grace);
}

#[then(
    expr = r"the exported records for api.\{domain} and app.\{domain} point to the load balancer"
)]
fn dns_records(world: &mut NetWorld, step: &Step) {
    let ctx = world.ctx();
    judge(world, step, |d| checks::check_dns_records_of(d, &ctx.env));
}
