//! The call runner of Azure discovery: each az call made through [`AzCli`], recorded in the
//! manifest with the RBAC action it needs, the refused ones noted for `denied.json`, and the
//! files written from their answers.

use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use super::cli::AzCli;
use crate::CollectError;
use crate::command::CallError;
use crate::manifest::{Call, Manifest};
use netconform_model::inputs::{Denied, DeniedCalls, EmptyList, EmptyListOf, Input};

/// One az command collection runs: its words, the RBAC action it needs (none for what az
/// answers from its own profile), the input it feeds, and what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    pub words: &'static [&'static str],
    pub action: &'static str,
    pub feeds: Option<Input>,
    pub reads: &'static str,
}

/// One collection run: the CLI, where files go, and what was done.
pub(super) struct Run<'a> {
    pub(super) cli: &'a AzCli,
    pub(super) out: &'a Path,
    pub(super) manifest: Manifest,
    pub(super) on_line: &'a (dyn Fn(&str) + Sync),
    pub(super) denied: DeniedCalls,
}

impl Run<'_> {
    /// Runs `c` with `args`, recorded (its place in the manifest is returned, for
    /// [`Run::write`]).
    pub(super) async fn call(
        &mut self,
        c: &Command,
        args: &[&str],
        scope: impl Into<String>,
    ) -> (usize, Result<Value, CallError>) {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let command = format!("az {} {}", c.words.join(" "), args.join(" "))
            .trim_end()
            .to_owned();
        let started = Instant::now();
        let answer = self.cli.call(c.words, &args, c.action).await;
        let result = match &answer {
            Ok(_) => "ok".to_owned(),
            Err(CallError::Denied { action, message }) => {
                format!("denied: AuthorizationFailed for {action}: {message}")
            }
            Err(e) => format!("failed: {e}"),
        };
        if answer.is_err() {
            (self.on_line)(&format!("  {command}: {result}"));
        }
        if let (Err(CallError::Denied { action, .. }), Some(feeds)) = (&answer, c.feeds) {
            self.denied.record(Denied {
                feeds,
                action: action.clone(),
                command: command.clone(),
            });
        }
        self.manifest.calls.push(Call {
            command,
            action: c.action.to_owned(),
            scope: scope.into(),
            result,
            file: None,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        });
        (self.manifest.calls.len() - 1, answer)
    }

    /// Writes the resources `kept` (of `total` listed) as `name` and notes it on call `at`.
    pub(super) fn write(
        &mut self,
        at: usize,
        name: &str,
        kept: Vec<Value>,
        total: usize,
    ) -> Result<(), CollectError> {
        let n = kept.len();
        crate::write_json(&self.out.join(name), &Value::Array(kept))?;
        self.wrote(at, name, format!("kept {n} of {total}"));
        Ok(())
    }

    /// Notes on call `at` that it gave the file `name` (`note` says what was kept), and shows it.
    fn wrote(&mut self, at: usize, name: &str, note: String) {
        if let Some(call) = self.manifest.calls.get_mut(at) {
            call.file = Some(name.to_owned());
            call.result = format!("ok: {note}");
        }
        self.manifest.files.push(name.to_owned());
        (self.on_line)(&format!("  {name}: {note}"));
    }

    /// Notes on call `at` that the list found none of the deployment's resources (of `total`
    /// listed), and writes that as `name`: an [`EmptyList`] naming the command and the resource
    /// type `kind`, since az's own `[]` cannot tell which kind is absent.
    pub(super) fn write_none(
        &mut self,
        at: usize,
        name: &str,
        kind: &str,
        total: usize,
    ) -> Result<(), CollectError> {
        let command = self
            .manifest
            .calls
            .get(at)
            .map(|c| c.command.clone())
            .unwrap_or_default();
        let doc = EmptyList {
            list: EmptyListOf {
                command,
                kind: kind.to_owned(),
                listed: total,
            },
        };
        let value = serde_json::to_value(&doc).map_err(|e| CollectError::Write {
            path: name.to_owned(),
            why: e.to_string(),
        })?;
        crate::write_json(&self.out.join(name), &value)?;
        self.wrote(
            at,
            name,
            format!("kept 0 of {total}: none of the deployment's"),
        );
        Ok(())
    }

    /// A missing CLI stops collection: nothing else can run.
    pub(super) fn fatal(answer: &Result<Value, CallError>) -> Result<(), CollectError> {
        match answer {
            Err(e @ CallError::Missing { .. }) => Err(CollectError::Cli(e.clone())),
            _ => Ok(()),
        }
    }
}
