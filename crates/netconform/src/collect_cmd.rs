//! `netconform collect`, and `[config] collect` for `verify`: the deployment's configuration
//! read from the live account through the AWS CLI, the cluster through kubectl, the Azure
//! subscription through the Azure CLI, the Google Cloud project through gcloud
//! (netconform-collect), written as the files `[config]` reads, with `collected.json` beside
//! them.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use netconform_collect::{AwsCli, AzCli, Gcloud, Kubectl, Manifest};
use netconform_model::dates::rfc3339_utc;
use netconform_model::environment::CollectFrom;
use netconform_model::{Environment, exit};

use crate::cli::CollectArgs;
use crate::report_error;

/// The CLI as the environment says to run it: `config.region`, `config.profile`, and the
/// program `config.aws_cli` (default `aws` on PATH).
fn aws_cli(env: &Environment) -> AwsCli {
    let mut cli = AwsCli::new(env.config.region.clone(), env.config.profile.clone());
    if let Some(program) = &env.config.aws_cli {
        cli.program = program.clone();
    }
    cli
}

/// kubectl as the environment says to run it: `config.context`, and the program
/// `config.kubectl` (default `kubectl` on PATH).
fn kubectl(env: &Environment) -> Kubectl {
    let mut kubectl = Kubectl::new(env.config.context.clone());
    if let Some(program) = &env.config.kubectl {
        kubectl.program = program.clone();
    }
    kubectl
}

/// az as the environment says to run it: `config.subscription`, and the program
/// `config.az_cli` (default `az` on PATH).
fn az_cli(env: &Environment) -> AzCli {
    let mut cli = AzCli::new(env.config.subscription.clone());
    if let Some(program) = &env.config.az_cli {
        cli.program = program.clone();
    }
    cli
}

/// gcloud as the environment says to run it: `config.project`, and the program
/// `config.gcloud` (default `gcloud` on PATH).
fn gcloud(env: &Environment) -> Gcloud {
    let mut cli = Gcloud::new(env.config.project.clone());
    if let Some(program) = &env.config.gcloud {
        cli.program = program.clone();
    }
    cli
}

/// What one collection wrote: the globs of its files, for `[config]`.
pub(crate) struct Collected {
    pub(crate) aws: Option<PathBuf>,
    pub(crate) kubernetes: Option<PathBuf>,
    pub(crate) azure: Option<PathBuf>,
    pub(crate) gcp: Option<PathBuf>,
}

/// Collects what `env` asks (`from`) into `dir`: `dir/aws/*.json`, `dir/kubernetes/*.json`
/// and `dir/collected.json`.
pub(crate) async fn collect(
    env: &Environment,
    from: &[CollectFrom],
    dir: &Path,
) -> Result<Collected, String> {
    let started = rfc3339_utc(SystemTime::now());
    let mut manifest = Manifest::new(&env.domain.to_string(), started.clone());
    let mut collected = Collected {
        aws: None,
        kubernetes: None,
        azure: None,
        gcp: None,
    };
    let note = |line: &str| crate::note(line);
    if from.contains(&CollectFrom::Aws) {
        let aws_dir = dir.join("aws");
        crate::note(&format!(
            "collecting the configuration of {} through the AWS CLI into {}",
            env.domain,
            aws_dir.display()
        ));
        let aws =
            netconform_collect::collect_aws(env, &aws_cli(env), &aws_dir, started.clone(), &note)
                .await
                .map_err(|e| format!("failed to collect: {e}"))?;
        manifest.absorb(aws, "aws");
        collected.aws = Some(aws_dir.join("*.json"));
    }
    if from.contains(&CollectFrom::Gcp) {
        let gcp_dir = dir.join("gcp");
        crate::note(&format!(
            "collecting the configuration of {} through gcloud into {}",
            env.domain,
            gcp_dir.display()
        ));
        let gcp =
            netconform_collect::collect_gcp(env, &gcloud(env), &gcp_dir, started.clone(), &note)
                .await
                .map_err(|e| format!("failed to collect: {e}"))?;
        manifest.absorb(gcp, "gcp");
        collected.gcp = Some(gcp_dir.join("*.json"));
    }
    if from.contains(&CollectFrom::Kubernetes) {
        let kube_dir = dir.join("kubernetes");
        crate::note(&format!(
            "collecting the API's Kubernetes objects through kubectl into {}",
            kube_dir.display()
        ));
        let kube = netconform_collect::collect_kubernetes(
            env,
            &kubectl(env),
            env.config.namespace.as_deref(),
            &kube_dir,
            started.clone(),
            &note,
        )
        .await
        .map_err(|e| format!("failed to collect: {e}"))?;
        manifest.absorb(kube, "kubernetes");
        collected.kubernetes = Some(kube_dir.join("*.json"));
    }
    if from.contains(&CollectFrom::Azure) {
        let azure_dir = dir.join("azure");
        crate::note(&format!(
            "collecting the configuration of {} through the Azure CLI into {}",
            env.domain,
            azure_dir.display()
        ));
        let azure = netconform_collect::collect_azure(
            env,
            &az_cli(env),
            &azure_dir,
            started.clone(),
            &note,
        )
        .await
        .map_err(|e| format!("failed to collect: {e}"))?;
        // Nothing found leaves no file for the glob to match: the checks say "no input".
        let wrote = !azure.files.is_empty();
        manifest.absorb(azure, "azure");
        if wrote {
            collected.azure = Some(azure_dir.join("*.json"));
        }
    }
    manifest.write(dir).map_err(|e| {
        format!(
            "failed to write {}: {e}",
            dir.join("collected.json").display()
        )
    })?;
    for (action, scope) in manifest.denied() {
        let policy = if action.contains(':') {
            "ci/aws/netconform-read-policy.json"
        } else if action.starts_with("Microsoft.") {
            "ci/azure/netconform-reader-role.json"
        } else if action.split(' ').next().is_some_and(|w| w.contains('.')) {
            // Google Cloud permissions (`compute.backendServices.list`); RBAC's start with a verb.
            "ci/gcp/netconform-reader-role.yaml"
        } else {
            "ci/kubernetes/rbac.yaml"
        };
        crate::note(&format!(
            "  denied: {action} ({scope}); what it reads is not checked ({policy} lists what collection needs)"
        ));
    }
    crate::note(&format!(
        "collected {} files with {} calls ({} denied); collected.json lists every call",
        manifest.files.len(),
        manifest.calls.len(),
        manifest.denied().len()
    ));
    Ok(collected)
}

/// The sources `netconform collect` reads: `[config] collect`, else the AWS account.
fn sources(env: &Environment) -> Vec<CollectFrom> {
    if env.config.collect.is_empty() {
        vec![CollectFrom::Aws]
    } else {
        env.config.collect.clone()
    }
}

/// `netconform collect --env FILE --out DIR`.
#[expect(
    clippy::print_stdout,
    reason = "the [config] lines to use are the command's output"
)]
pub(crate) async fn run(args: CollectArgs) -> i32 {
    let env = match crate::source::load_environment(&args.env) {
        Ok(env) => env,
        Err(message) => {
            report_error(&message);
            return exit::USAGE;
        }
    };
    match collect(&env, &sources(&env), &args.out).await {
        Ok(collected) => {
            println!("[config]");
            for (key, glob) in [
                ("aws", collected.aws),
                ("kubernetes", collected.kubernetes),
                ("azure", collected.azure),
                ("gcp", collected.gcp),
            ] {
                if let Some(glob) = glob {
                    println!("{key} = [{:?}]", glob.display().to_string());
                }
            }
            exit::CONFORMANT
        }
        Err(message) => {
            report_error(&message);
            exit::INCONCLUSIVE
        }
    }
}

/// Before `verify` runs: when `[config] collect` names sources, collect into the report
/// directory's `collected/` (or a temporary one) and add the files to `[config] aws`,
/// `[config] kubernetes` and `[config] azure`.
pub(crate) async fn before_verify(
    env: &mut Environment,
    report_dir: Option<&Path>,
) -> Result<Option<crate::embedded::EmbeddedDir>, String> {
    if env.config.collect.is_empty() {
        return Ok(None);
    }
    let (dir, temporary) = match report_dir {
        Some(dir) => (dir.join("collected"), None),
        None => {
            let temp = crate::embedded::EmbeddedDir::write(
                "collected",
                std::iter::empty::<(&str, &str)>(),
            )
            .map_err(|e| format!("failed to make a directory to collect into: {e}"))?;
            (temp.path().to_owned(), Some(temp))
        }
    };
    let from = env.config.collect.clone();
    let collected = collect(env, &from, &dir).await?;
    let parse = |glob: &Path| {
        glob.display()
            .to_string()
            .parse()
            .map_err(|e| format!("{}: {e}", glob.display()))
    };
    if let Some(glob) = collected.aws {
        env.config.aws.push(parse(&glob)?);
    }
    if let Some(glob) = collected.kubernetes {
        env.config.kubernetes.push(parse(&glob)?);
    }
    if let Some(glob) = collected.azure {
        env.config.azure.push(parse(&glob)?);
    }
    if let Some(glob) = collected.gcp {
        env.config.gcp.push(parse(&glob)?);
    }
    Ok(temporary)
}
