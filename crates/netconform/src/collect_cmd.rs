//! `netconform collect`, and `[config] collect` for `verify`: the deployment's configuration
//! read from the live account through the AWS CLI (netconform-collect), written as the files
//! `[config]` reads, with `collected.json` beside them.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use netconform_collect::AwsCli;
use netconform_model::environment::CollectFrom;
use netconform_model::values::rfc3339_utc;
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

/// Collects what `env` asks into `dir`: `dir/aws/*.json` and `dir/collected.json`. Returns the
/// glob of the files, for `[config] aws`.
pub(crate) async fn collect(env: &Environment, dir: &Path) -> Result<PathBuf, String> {
    let aws_dir = dir.join("aws");
    crate::note(&format!(
        "collecting the configuration of {} through the AWS CLI into {}",
        env.domain,
        aws_dir.display()
    ));
    let manifest = netconform_collect::collect_aws(
        env,
        &aws_cli(env),
        &aws_dir,
        rfc3339_utc(SystemTime::now()),
        &|line| crate::note(line),
    )
    .await
    .map_err(|e| format!("failed to collect: {e}"))?;
    manifest.write(dir).map_err(|e| {
        format!(
            "failed to write {}: {e}",
            dir.join("collected.json").display()
        )
    })?;
    for (action, scope) in manifest.denied() {
        crate::note(&format!(
            "  denied: {action} ({scope}); what it reads is not checked (ci/aws/netconform-read-policy.json lists what collection needs)"
        ));
    }
    crate::note(&format!(
        "collected {} files with {} calls ({} denied); collected.json lists every call",
        manifest.files.len(),
        manifest.calls.len(),
        manifest.denied().len()
    ));
    Ok(aws_dir.join("*.json"))
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
    match collect(&env, &args.out).await {
        Ok(glob) => {
            println!("[config]\naws = [{:?}]", glob.display().to_string());
            exit::CONFORMANT
        }
        Err(message) => {
            report_error(&message);
            exit::INCONCLUSIVE
        }
    }
}

/// Before `verify` runs: when `[config] collect` names `aws`, collect into the report
/// directory's `collected/` (or a temporary one) and add the files to `[config] aws`.
pub(crate) async fn before_verify(
    env: &mut Environment,
    report_dir: Option<&Path>,
) -> Result<Option<crate::embedded::EmbeddedDir>, String> {
    if !env.config.collect.contains(&CollectFrom::Aws) {
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
    let glob = collect(env, &dir).await?;
    let glob = glob
        .display()
        .to_string()
        .parse()
        .map_err(|e| format!("{}: {e}", glob.display()))?;
    env.config.aws.push(glob);
    Ok(temporary)
}
