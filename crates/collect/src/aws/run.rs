//! The call runner of AWS discovery: calls made a few at a time through the CLI ([`AwsCli`]:
//! credentials, timeout, retries when throttled), each recorded in the manifest, the denied
//! ones noted for `denied.json`, and the files written from their answers.

use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use super::items;
use crate::command::{AwsCli, CallError, action_of};
use crate::manifest::{Call, Manifest};
use netconform_model::inputs::{Denied, DeniedCalls, Failed, Input};

use crate::CollectError;

/// Calls made at once, at most.
const AT_ONCE: usize = 4;

/// One collection run: the CLI, where files go, and what was done.
pub(super) struct Run<'a> {
    pub(super) cli: &'a AwsCli,
    pub(super) out: &'a Path,
    pub(super) manifest: Manifest,
    pub(super) on_line: &'a (dyn Fn(&str) + Sync),
    /// The denied calls, as `denied.json` records them.
    pub(super) denied: DeniedCalls,
}

/// The input a call's answer feeds: the one whose command it is, or, for a list call, the
/// input of the describe call it leads to. A call that feeds no input (the caller's identity,
/// the VPC's own description) has none.
fn feeds(service: &str, operation: &str) -> Option<Input> {
    match (service, operation) {
        ("route53", "list-hosted-zones-by-name") => Some(Input::Records),
        ("ecs", "list-clusters" | "list-services") => Some(Input::EcsServices),
        _ => Input::of_command(&format!("aws {service} {operation}")),
    }
}

/// What one call is: service, operation, arguments, and why it is made.
pub(super) struct Ask {
    pub(super) service: &'static str,
    pub(super) operation: &'static str,
    pub(super) args: Vec<String>,
    pub(super) scope: String,
}

pub(super) fn ask(
    service: &'static str,
    operation: &'static str,
    args: &[&str],
    scope: impl Into<String>,
) -> Ask {
    Ask {
        service,
        operation,
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        scope: scope.into(),
    }
}

impl Ask {
    fn command(&self) -> String {
        let mut parts = vec![
            "aws".to_owned(),
            self.service.to_owned(),
            self.operation.to_owned(),
        ];
        parts.extend(self.args.iter().cloned());
        parts.join(" ")
    }
}

impl Run<'_> {
    /// Makes `asks` at most [`AT_ONCE`] at a time; the answers in order, each recorded (with
    /// its place in the manifest, for [`Run::write`]).
    pub(super) async fn calls(&mut self, asks: Vec<Ask>) -> Vec<(usize, Result<Value, CallError>)> {
        use futures::StreamExt as _;
        let cli = self.cli;
        let answers: Vec<(Ask, Result<Value, CallError>, f64)> =
            futures::stream::iter(asks.into_iter().map(|a| async move {
                let started = Instant::now();
                let answer = cli.call(a.service, a.operation, &a.args).await;
                (a, answer, started.elapsed().as_secs_f64() * 1000.0)
            }))
            .buffered(AT_ONCE)
            .collect()
            .await;
        answers
            .into_iter()
            .map(|(a, answer, elapsed_ms)| {
                let result = match &answer {
                    Ok(_) => "ok".to_owned(),
                    Err(e @ CallError::Denied { .. }) => format!("denied: {e}"),
                    Err(e) => format!("failed: {e}"),
                };
                if answer.is_err() {
                    (self.on_line)(&format!("  {}: {result}", a.command()));
                }
                match (&answer, feeds(a.service, a.operation)) {
                    (Err(CallError::Denied { action, .. }), Some(feeds)) => {
                        self.denied.record(Denied {
                            feeds,
                            action: action.clone(),
                            command: a.command(),
                        });
                    }
                    // Failed otherwise (an operation the service does not implement, an
                    // error): a gap named with its action, never "none".
                    (Err(e), Some(feeds)) if !matches!(e, CallError::Missing { .. }) => {
                        self.denied.record_failure(Failed {
                            feeds,
                            action: action_of(a.service, a.operation),
                            command: a.command(),
                            message: e.to_string(),
                        });
                    }
                    _ => {}
                }
                self.manifest.calls.push(Call {
                    command: a.command(),
                    action: action_of(a.service, a.operation),
                    scope: a.scope,
                    result,
                    file: None,
                    elapsed_ms,
                });
                (self.manifest.calls.len() - 1, answer)
            })
            .collect()
    }

    pub(super) async fn call(&mut self, a: Ask) -> (usize, Result<Value, CallError>) {
        self.calls(vec![a]).await.remove(0)
    }

    /// The strings of the list `key` a list call answers (cluster ARNs, names); `None` when
    /// it gave no answer.
    pub(super) async fn names(&mut self, a: Ask, key: &str) -> Option<Vec<String>> {
        let (_, answer) = self.call(a).await;
        let answer = answer.ok()?;
        Some(
            items(&answer, key)
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect(),
        )
    }

    /// Writes `doc` as `name` and notes it on call `at`; `kept` says what of the answer it
    /// holds.
    pub(super) fn write(
        &mut self,
        at: usize,
        name: &str,
        doc: &Value,
        kept: &str,
    ) -> Result<(), CollectError> {
        crate::write_json(&self.out.join(name), doc)?;
        if let Some(call) = self.manifest.calls.get_mut(at) {
            call.file = Some(name.to_owned());
            call.result = format!("ok: {kept}");
        }
        self.manifest.files.push(name.to_owned());
        (self.on_line)(&format!("  {name}: {kept}"));
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
