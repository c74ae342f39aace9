//! Discovery over the AWS CLI, from the domain to the deployment's resources, each list
//! filtered to the deployment before it is written: the call runner (`run`) apart from the
//! discovery per service, in the order it runs: the records (`records`), the load balancers and
//! target groups (`load_balancers`), what registers in them (`ecs`, `auto_scaling`), the VPC
//! (`network`), its EKS node groups (`eks`) and databases (`databases`).

mod auto_scaling;
mod databases;
mod ecs;
mod eks;
mod load_balancers;
mod network;
mod records;
mod run;

use std::collections::BTreeSet;
use std::path::Path;

use netconform_model::Environment;
use serde_json::Value;

use crate::command::AwsCli;
use crate::manifest::Manifest;
use crate::{CollectError, denied};

use run::{Run, ask};

/// A name as compared: lowercase, no trailing dot, no `dualstack.` prefix (Route 53 aliases
/// to an ALB are written `dualstack.<its DNS name>`).
pub(crate) fn plain(name: &str) -> String {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    name.strip_prefix("dualstack.")
        .map_or(name.clone(), str::to_owned)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn items<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// The deployment's configuration from the account, into `out` (created); the manifest of
/// what was done is returned (the caller writes it beside, [`Manifest::write`], so `out` holds
/// only what `[config] aws` reads). `on_line` shows progress; `started_at` is the RFC 3339
/// time it began.
pub async fn collect_aws(
    env: &Environment,
    cli: &AwsCli,
    out: &Path,
    started_at: String,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Manifest, CollectError> {
    std::fs::create_dir_all(out).map_err(|e| CollectError::Write {
        path: out.display().to_string(),
        why: e.to_string(),
    })?;
    let domain = env.domain.to_string();
    let mut run = Run {
        cli,
        out,
        manifest: Manifest {
            region: cli.region.clone(),
            profile: cli.profile.clone(),
            ..Manifest::new(&domain, started_at)
        },
        on_line,
        denied: Default::default(),
    };
    let (_, identity) = run
        .call(ask(
            "sts",
            "get-caller-identity",
            &[],
            "the account the credentials belong to",
        ))
        .await;
    Run::fatal(&identity)?;
    run.manifest.account = identity.ok().and_then(|v| text(&v, "Account"));

    let lb_names = records::records(&mut run, env).await?;
    let lbs = load_balancers::load_balancers(&mut run, &lb_names).await?;
    let target_groups = load_balancers::target_groups(&mut run, &lbs).await?;
    ecs::ecs(&mut run, &target_groups).await?;
    auto_scaling::auto_scaling_groups(&mut run, &target_groups).await?;
    let vpcs: BTreeSet<String> = lbs.iter().filter_map(|lb| text(lb, "VpcId")).collect();
    let subnets = network::network(&mut run, &vpcs).await?;
    eks::node_groups(&mut run, &subnets).await?;
    databases::databases(&mut run, &vpcs).await?;
    if !run.denied.is_empty() {
        // What the readers could not be given, and why: the checks that need it say
        // "not checked: AccessDenied for <action>" instead of "no input".
        denied::write(out, &run.denied, &mut run.manifest)?;
    }
    Ok(run.manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_dns_does() {
        assert_eq!(
            plain("dualstack.LB-1.us-east-1.elb.amazonaws.com."),
            "lb-1.us-east-1.elb.amazonaws.com"
        );
        assert_eq!(plain("api.example.com"), "api.example.com");
    }
}
