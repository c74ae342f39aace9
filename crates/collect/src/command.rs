//! One AWS CLI call: `aws --output json [--region R] [--profile P] <service> <operation> ...`,
//! with the user's credentials (whatever the CLI finds: profiles, SSO, web identity, IRSA, Pod
//! Identity, instance and task roles), a timeout, and capped retries when throttled. The CLI
//! pages through results itself, to the end.

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::process::Command;

/// How to run the AWS CLI.
#[derive(Debug, Clone)]
pub struct AwsCli {
    /// The program (`aws` on PATH by default).
    pub program: String,
    pub region: Option<String>,
    pub profile: Option<String>,
    /// Time allowed for one call, its retries included.
    pub timeout: Duration,
}

impl AwsCli {
    pub fn new(region: Option<String>, profile: Option<String>) -> AwsCli {
        AwsCli {
            program: "aws".into(),
            region,
            profile,
            timeout: Duration::from_secs(60),
        }
    }
}

/// Why a call gave no answer. Denied and missing are told apart from the rest: a denied call
/// leaves its input not checked, naming the action.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    #[error("{program} is not on PATH ({why}): {}", install_hint(program))]
    Missing { program: String, why: String },
    #[error("AccessDenied for {action}: {message}")]
    Denied { action: String, message: String },
    /// Google Cloud's refusal: the IAM permission it names.
    #[error("PERMISSION_DENIED for {permission}: {message}")]
    PermissionDenied { permission: String, message: String },
    #[error("throttled {attempts} times in a row: {message}")]
    Throttled { attempts: u32, message: String },
    #[error("no answer within {}", netconform_model::HumanDuration(*.0))]
    Timeout(Duration),
    #[error("failed (exit {code}): {message}")]
    Failed { code: i32, message: String },
    #[error("printed something that is not JSON: {0}")]
    NotJson(String),
}

/// How to get the program a [`CallError::Missing`] names.
fn install_hint(program: &str) -> &'static str {
    if program.ends_with("kubectl") {
        "install kubectl (https://kubernetes.io/docs/tasks/tools/) or set config.kubectl"
    } else if program.ends_with("az") {
        "install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli) or set config.az_cli"
    } else if program.contains("gcloud") {
        "install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install) or set config.gcloud"
    } else {
        "install the AWS CLI (https://aws.amazon.com/cli/) or set config.aws_cli"
    }
}

/// Attempts at a throttled call, and the first pause (doubled each time, capped).
const ATTEMPTS: u32 = 4;
const FIRST_PAUSE: Duration = Duration::from_millis(250);
const MAX_PAUSE: Duration = Duration::from_secs(4);

/// The IAM action a CLI call needs: `elbv2 describe-target-groups` ->
/// `elasticloadbalancing:DescribeTargetGroups`.
pub fn action_of(service: &str, operation: &str) -> String {
    let prefix = match service {
        "elbv2" | "elb" => "elasticloadbalancing",
        other => other,
    };
    let pascal: String = operation
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    // RDS spells its resources in capitals: DescribeDBInstances, DescribeDBClusters.
    let pascal = if prefix == "rds" {
        pascal.replace("Db", "DB")
    } else {
        pascal
    };
    format!("{prefix}:{pascal}")
}

/// What the CLI said on stderr, in a line.
fn first_line(stderr: &str) -> String {
    stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no message")
        .to_owned()
}

fn is_denied(text: &str) -> bool {
    [
        "AccessDenied",
        "UnauthorizedOperation",
        "not authorized to perform",
    ]
    .iter()
    .any(|k| text.contains(k))
}

fn is_throttled(text: &str) -> bool {
    [
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequests",
        "Rate exceeded",
    ]
    .iter()
    .any(|k| text.contains(k))
}

impl AwsCli {
    /// The arguments before the service: output, region, profile.
    fn base(&self) -> Vec<String> {
        let mut args = vec!["--output".to_owned(), "json".to_owned()];
        if let Some(region) = &self.region {
            args.extend(["--region".to_owned(), region.clone()]);
        }
        if let Some(profile) = &self.profile {
            args.extend(["--profile".to_owned(), profile.clone()]);
        }
        args
    }

    /// Runs `service operation args...` and reads its JSON.
    pub async fn call(
        &self,
        service: &str,
        operation: &str,
        args: &[String],
    ) -> Result<Value, CallError> {
        let deadline = Instant::now() + self.timeout;
        let mut pause = FIRST_PAUSE;
        for attempt in 1..=ATTEMPTS {
            let left = deadline.saturating_duration_since(Instant::now());
            let mut all = self.base();
            all.extend([service.to_owned(), operation.to_owned()]);
            all.extend(args.iter().cloned());
            let output = run(&self.program, &all, left, self.timeout).await?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            if output.status.success() {
                return json_of(&output.stdout);
            }
            if is_denied(&stderr) {
                return Err(CallError::Denied {
                    action: action_of(service, operation),
                    message: first_line(&stderr),
                });
            }
            if is_throttled(&stderr) && attempt < ATTEMPTS && Instant::now() + pause < deadline {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_PAUSE);
                continue;
            }
            if is_throttled(&stderr) {
                return Err(CallError::Throttled {
                    attempts: attempt,
                    message: first_line(&stderr),
                });
            }
            return Err(CallError::Failed {
                code: output.status.code().unwrap_or(-1),
                message: first_line(&stderr),
            });
        }
        unreachable!("the last attempt returns")
    }
}

/// Runs `program args...` (stdin closed, killed if dropped) for at most `left`; `timeout` is
/// what the error names. A program that cannot start is [`CallError::Missing`].
pub(crate) async fn run(
    program: &str,
    args: &[String],
    left: Duration,
    timeout: Duration,
) -> Result<std::process::Output, CallError> {
    let deadline = tokio::time::Instant::now() + left;
    let mut busy = 0;
    loop {
        let mut command = Command::new(program);
        command
            .args(args)
            .kill_on_drop(true)
            .stdin(std::process::Stdio::null());
        match tokio::time::timeout_at(deadline, command.output()).await {
            Err(_) => return Err(CallError::Timeout(timeout)),
            // The program file is still open for writing somewhere (a wrapper script just
            // written, whose descriptor a process forked meanwhile holds until it execs): the
            // kernel refuses to run it for that moment, so it is tried again, as Go's os/exec
            // does.
            Ok(Err(e))
                if e.kind() == std::io::ErrorKind::ExecutableFileBusy && busy < BUSY_TRIES =>
            {
                busy += 1;
                tokio::time::sleep(BUSY_PAUSE).await;
            }
            Ok(Err(e)) => {
                return Err(CallError::Missing {
                    program: program.to_owned(),
                    why: e.to_string(),
                });
            }
            Ok(Ok(output)) => return Ok(output),
        }
    }
}

/// How many times a program refused as busy ("Text file busy") is tried again, and the pause
/// before each.
const BUSY_TRIES: u32 = 5;
const BUSY_PAUSE: Duration = Duration::from_millis(20);

/// A program's standard output as JSON (nothing printed: an empty object).
pub(crate) fn json_of(stdout: &[u8]) -> Result<Value, CallError> {
    let stdout = String::from_utf8_lossy(stdout);
    if stdout.trim().is_empty() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    serde_json::from_str(&stdout)
        .map_err(|e| CallError::NotJson(format!("{e} (it starts {:?})", excerpt(&stdout))))
}

/// What a program said on stderr, in a line.
pub(crate) fn said(stderr: &[u8]) -> String {
    first_line(&String::from_utf8_lossy(stderr))
}

fn excerpt(text: &str) -> String {
    text.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_iam_s_names() {
        assert_eq!(
            action_of("elbv2", "describe-target-group-attributes"),
            "elasticloadbalancing:DescribeTargetGroupAttributes"
        );
        assert_eq!(
            action_of("ecs", "describe-services"),
            "ecs:DescribeServices"
        );
        assert_eq!(
            action_of("rds", "describe-db-instances"),
            "rds:DescribeDBInstances"
        );
        assert_eq!(
            action_of("application-autoscaling", "describe-scalable-targets"),
            "application-autoscaling:DescribeScalableTargets"
        );
    }

    #[test]
    fn denials_and_throttling_are_recognised() {
        assert!(is_denied(
            "An error occurred (AccessDenied) when calling the DescribeTargetGroups operation: User is not authorized"
        ));
        assert!(is_throttled(
            "An error occurred (Throttling) when calling the DescribeServices operation: Rate exceeded"
        ));
        assert!(!is_denied("An error occurred (ValidationError)"));
    }

    /// A program still open for writing when it is run (a wrapper script just written, whose
    /// descriptor another thread's child held) is refused as busy by the kernel: it is tried
    /// again, and runs once the writer has let go.
    #[tokio::test]
    async fn a_program_busy_for_a_moment_runs_once_it_is_free() {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        let dir = std::env::temp_dir().join(format!("netconform-busy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("busy.sh");
        let mut writer = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o755)
            .open(&path)
            .unwrap();
        writer
            .write_all(b"#!/bin/sh\necho '{\"ok\": true}'\n")
            .unwrap();
        writer.flush().unwrap();
        let program = path.display().to_string();
        let released = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            drop(writer);
        });
        let out = run(
            &program,
            &[],
            Duration::from_secs(10),
            Duration::from_secs(10),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        released.await.unwrap();
        assert_eq!(json_of(&out.stdout).unwrap()["ok"], true);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
