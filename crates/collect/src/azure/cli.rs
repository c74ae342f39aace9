//! One Azure CLI call: `az <group> <command> ... [--subscription S] -o json` (`az rest`, which
//! has no `--subscription`, names the subscription in its URL), with the user's
//! login (az login, a service principal, a managed identity, workload identity federation:
//! whatever az holds), a timeout, and capped retries when throttled. A call ARM refuses is
//! told apart and named by the RBAC action it needed.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::command::{CallError, json_of, run, said};

/// How to run the Azure CLI.
#[derive(Debug, Clone)]
pub struct AzCli {
    /// The program (`az` on PATH by default).
    pub program: String,
    /// `--subscription` (else az's default subscription); in the URL of `az rest`.
    pub subscription: Option<String>,
    /// Time allowed for one call, its retries included.
    pub timeout: Duration,
}

impl AzCli {
    pub fn new(subscription: Option<String>) -> AzCli {
        AzCli {
            program: "az".into(),
            subscription,
            timeout: Duration::from_secs(90),
        }
    }
}

const ATTEMPTS: u32 = 4;
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(8);

/// The RBAC action ARM names in an AuthorizationFailed answer (`... does not have
/// authorization to perform action 'Microsoft.Network/applicationGateways/read' over scope
/// ...`), else `fallback`.
pub(crate) fn refused_action(stderr: &str, fallback: &str) -> String {
    stderr
        .split("perform action '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .filter(|a| !a.is_empty())
        .unwrap_or(fallback)
        .to_owned()
}

fn is_denied(text: &str) -> bool {
    text.contains("AuthorizationFailed") || text.contains("does not have authorization")
}

fn is_throttled(text: &str) -> bool {
    text.contains("TooManyRequests") || text.contains("429")
}

impl AzCli {
    /// Runs `az <words...> <args...> -o json`; `action` is the RBAC action it needs, named
    /// when ARM refuses it without saying.
    pub async fn call(
        &self,
        words: &[&str],
        args: &[String],
        action: &str,
    ) -> Result<Value, CallError> {
        let deadline = Instant::now() + self.timeout;
        let mut pause = FIRST_PAUSE;
        let mut all: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        all.extend(args.iter().cloned());
        // `az rest` has no --subscription: its URL names the subscription.
        if let (Some(s), false) = (&self.subscription, words == ["rest"]) {
            all.extend(["--subscription".to_owned(), s.clone()]);
        }
        all.extend(["-o".to_owned(), "json".to_owned()]);
        for attempt in 1..=ATTEMPTS {
            let left = deadline.saturating_duration_since(Instant::now());
            let output = run(&self.program, &all, left, self.timeout).await?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            if output.status.success() {
                return json_of(&output.stdout);
            }
            if is_denied(&stderr) {
                return Err(CallError::Denied {
                    action: refused_action(&stderr, action),
                    message: said(&output.stderr),
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
                    message: said(&output.stderr),
                });
            }
            return Err(CallError::Failed {
                code: output.status.code().unwrap_or(-1),
                message: said(&output.stderr),
            });
        }
        unreachable!("the last attempt returns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refused_action_is_read_from_arm_s_answer() {
        let stderr = "ERROR: (AuthorizationFailed) The client 'x' with object id 'y' does not have authorization to perform action 'Microsoft.Network/applicationGateways/read' over scope '/subscriptions/s/resourceGroups/rg' or the scope is invalid.";
        assert!(is_denied(stderr));
        assert_eq!(
            refused_action(stderr, "fallback"),
            "Microsoft.Network/applicationGateways/read"
        );
        assert_eq!(
            refused_action("ERROR: AuthorizationFailed", "a/read"),
            "a/read"
        );
    }
}
