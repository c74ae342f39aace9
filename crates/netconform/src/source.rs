//! Where a run's environment comes from: an environment file, the container test bed, or the
//! built-in sandbox (with its reference configuration). One value that owns whatever the run
//! started, so dropping it ends the sandbox or removes the test bed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use netconform_model::{Environment, exit};
use netconform_sandbox::{Sandbox, SandboxConfig};
use netconform_testbed::{Teardown, Testbed};

use crate::cli::{Broken, VerifyArgs};
use crate::reference::ReferenceConfig;
use crate::report_error;

/// What the run checks.
pub(crate) enum Source {
    /// An environment file the user wrote.
    File(PathBuf),
    /// The built-in sandbox, with the reference configuration written out for it.
    Sandbox {
        sandbox: Arc<Sandbox>,
        _reference: ReferenceConfig,
    },
    /// The container test bed.
    Testbed(Box<Testbed>),
}

impl Source {
    /// Opens what `args` name: `--env FILE`, `--testbed`, or the sandbox; with the variant
    /// `--break` names. `Err(exit code)` after saying why.
    pub(crate) async fn open(
        args: &VerifyArgs,
        broken: Broken,
    ) -> Result<(Source, Environment), i32> {
        match (&args.env, broken) {
            (Some(path), _) => match load_environment(path) {
                Ok(env) => Ok((Source::File(path.clone()), env)),
                Err(message) => {
                    report_error(&message);
                    Err(exit::USAGE)
                }
            },
            (None, Broken::Testbed(variant)) => {
                let bed = crate::testbed_cmd::start(variant).await?;
                let env = bed.environment().clone();
                Ok((Source::Testbed(Box::new(bed)), env))
            }
            (None, Broken::Sandbox(variant)) => Source::start_sandbox(variant, args.exposure).await,
        }
    }

    async fn start_sandbox(
        variant: Option<netconform_sandbox::Variant>,
        exposure: Option<crate::reference::Exposure>,
    ) -> Result<(Source, Environment), i32> {
        // The sandbox's configuration evidence: the reference corpus.
        let reference =
            ReferenceConfig::for_sandbox("verify", variant, exposure).map_err(|(code, e)| {
                report_error(&e);
                code
            })?;
        let sandbox = Sandbox::start(SandboxConfig {
            variant,
            ..SandboxConfig::default()
        })
        .await
        .map_err(|e| {
            report_error(&format!("failed to {e}"));
            exit::INCONCLUSIVE
        })?;
        let mut env = sandbox.environment().clone();
        reference.apply(&mut env);
        let broken = sandbox
            .variant()
            .map(|v| format!(" (broken: {v}, {})", v.description()));
        crate::note(&format!(
            "sandbox{}: {}",
            broken.unwrap_or_default(),
            sandbox.topology()
        ));
        let source = Source::Sandbox {
            sandbox: Arc::new(sandbox),
            _reference: reference,
        };
        Ok((source, env))
    }

    /// How the report names it: the file's path, "the built-in sandbox", "the container test bed".
    pub(crate) fn name(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Sandbox { .. } => "the built-in sandbox".to_owned(),
            Source::Testbed(_) => "the container test bed".to_owned(),
        }
    }

    /// The environment file, when the user gave one.
    pub(crate) fn file(&self) -> Option<&Path> {
        match self {
            Source::File(path) => Some(path),
            _ => None,
        }
    }

    /// Whether netconform started what it checks (the sandbox, the test bed): then the
    /// rolling restart may run without being allowed.
    pub(crate) fn ours(&self) -> bool {
        !matches!(self, Source::File(_))
    }

    /// The sandbox, whose restart is driven in-process.
    pub(crate) fn sandbox(&self) -> Option<Arc<Sandbox>> {
        match self {
            Source::Sandbox { sandbox, .. } => Some(Arc::clone(sandbox)),
            _ => None,
        }
    }

    /// What removes the test bed, for a second Ctrl-C that exits at once.
    pub(crate) fn teardown(&self) -> Option<Teardown> {
        match self {
            Source::Testbed(bed) => Some(bed.teardown()),
            _ => None,
        }
    }
}

/// Reads and checks an environment file; the error is the message to print.
pub(crate) fn load_environment(path: &Path) -> Result<Environment, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "failed to read the environment file {}: {e}; pass an existing TOML file (see envs/example.toml)",
            path.display()
        )
    })?;
    Environment::from_toml(&text, path).map_err(|e| {
        format!("{e}\n  (the environment file's keys are described in docs/environment.md)")
    })
}
