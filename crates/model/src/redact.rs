//! Secrets kept out of reports: an environment's settings and the free text a run gathers (a
//! restart command, its output, reasons quoting them) may carry tokens and passwords.
//!
//! Redacted: the value of any key whose name says it is secret (`password`, `token`,
//! `secret`, `credential`, `api_key`, `private_key`, `access_key`, `auth`); inside text,
//! a URL's password, `NAME=value` assignments and `--flag value` options whose name says
//! so, `Authorization:` header values, and Pulumi access tokens (`pul-` and 40 hex digits).

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::evidence::Evidence;
use crate::{Environment, RunReport};

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// The words that make a name secret.
const SECRET_WORDS: &str =
    r"password|passwd|secret|token|credential|api[_-]?key|private[_-]?key|access[_-]?key|auth";

static SECRET_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i)(?:{SECRET_WORDS})")).expect("valid regex"));

/// `scheme://user:password@`.
static URL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*:)[^/@\s]+@").expect("valid regex")
});

/// `NAME=value` and `--name value` / `--name=value` where the name says it is secret.
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)(?P<name>(?:--?)?[A-Za-z0-9_.-]*(?:{SECRET_WORDS})[A-Za-z0-9_.-]*)(?P<sep>=|[ \t]+)(?P<value>"[^"]*"|'[^']*'|[^\s"']+)"#
    ))
    .expect("valid regex")
});

/// `Authorization: Bearer x`, `Authorization: token x`.
static AUTHORIZATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?P<head>(?:proxy-)?authorization\s*:\s*(?:bearer|basic|token)?\s*)[^\s'\x22]+",
    )
    .expect("valid regex")
});

/// A Pulumi access token.
static PULUMI_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bpul-[0-9a-fA-F]{40}\b").expect("valid regex"));

/// Whether a settings key names a secret.
pub fn is_secret_name(name: &str) -> bool {
    SECRET_NAME.is_match(name)
}

/// `text` with the secrets it carries replaced by [`REDACTED`].
pub fn text(text: &str) -> String {
    let text = PULUMI_TOKEN.replace_all(text, REDACTED);
    let text = URL_PASSWORD.replace_all(&text, format!("${{head}}{REDACTED}@").as_str());
    let text = AUTHORIZATION.replace_all(&text, format!("${{head}}{REDACTED}").as_str());
    let text = ASSIGNMENT.replace_all(&text, |c: &Captures<'_>| {
        // A flag followed by another flag is a switch, not a flag with a value.
        if c["sep"].trim().is_empty()
            && (!c["name"].starts_with('-') || c["value"].starts_with('-'))
        {
            return c[0].to_owned();
        }
        format!("{}{}{REDACTED}", &c["name"], &c["sep"])
    });
    text.into_owned()
}

/// The environment's settings as a table (every default filled in), secrets redacted.
pub fn environment(env: &Environment) -> toml::Table {
    let mut table = toml::Table::try_from(env).expect("an environment always serializes");
    table_in_place(&mut table);
    table
}

fn table_in_place(table: &mut toml::Table) {
    for (key, value) in table.iter_mut() {
        if is_secret_name(key) && !matches!(value, toml::Value::Table(_)) {
            *value = toml::Value::String(REDACTED.to_owned());
        } else {
            value_in_place(value);
        }
    }
}

fn value_in_place(value: &mut toml::Value) {
    match value {
        toml::Value::String(s) => *s = text(s),
        toml::Value::Array(items) => items.iter_mut().for_each(value_in_place),
        toml::Value::Table(table) => table_in_place(table),
        _ => {}
    }
}

/// Redacts, in place, the free text of a report: reasons, restart commands and their output,
/// URLs in evidence.
pub fn report(report: &mut RunReport) {
    table_in_place(&mut report.settings);
    report.source = text(&report.source);
    report.errors.iter_mut().for_each(|e| *e = text(e));
    for scenario in &mut report.scenarios {
        for step in &mut scenario.steps {
            if let Some(reason) = &mut step.reason {
                *reason = text(reason);
            }
            for outcome in &mut step.outcomes {
                outcome.reason = text(&outcome.reason);
                for evidence in &mut outcome.evidence {
                    match evidence {
                        Evidence::Restart(r) => {
                            r.driver = text(&r.driver);
                            r.status = text(&r.status);
                            r.output = text(&r.output);
                        }
                        Evidence::Drain(d) => d.url = text(&d.url),
                        Evidence::Http(p) => {
                            p.url = text(&p.url);
                            p.detail = p.detail.as_deref().map(text);
                        }
                        Evidence::Note { text: note } => *note = text(note),
                        // A value read from a stack export may be a decrypted secret.
                        Evidence::Config(f) => f.actual = text(&f.actual),
                        Evidence::Dns(_) | Evidence::Tls(_) => {}
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(text(input), expected, "{input}");
    }

    #[test]
    fn secrets_in_text_are_redacted() {
        check(
            "PULUMI_ACCESS_TOKEN=pul-0123456789abcdef0123456789abcdef01234567 pulumi up",
            "PULUMI_ACCESS_TOKEN=[redacted] pulumi up",
        );
        check(
            "curl -H 'Authorization: Bearer abc.def' https://admin:hunter2@ctl.example.com/restart",
            "curl -H 'Authorization: Bearer [redacted]' https://admin:[redacted]@ctl.example.com/restart",
        );
        check(
            "deploy --api-token s3cr3t --verbose --password=\"a b\"",
            "deploy --api-token [redacted] --verbose --password=[redacted]",
        );
        check(
            "AWS_SECRET_ACCESS_KEY='x/y+z' aws ecs update-service --force-new-deployment",
            "AWS_SECRET_ACCESS_KEY=[redacted] aws ecs update-service --force-new-deployment",
        );
        check(
            "echo pul-0123456789abcdef0123456789abcdef01234567",
            "echo [redacted]",
        );
        // Nothing secret: left alone, switches included.
        check(
            "kubectl -n pulumi rollout restart deploy/api --token-file-less --wait",
            "kubectl -n pulumi rollout restart deploy/api --token-file-less --wait",
        );
        check(
            "https://api.sandbox.test:8443/api/status",
            "https://api.sandbox.test:8443/api/status",
        );
    }

    #[test]
    fn secret_settings_are_redacted_and_the_rest_kept() {
        let mut env = Environment::new("pulumi.example.com".parse().unwrap());
        env.drain.restart = Some(crate::environment::Restart::Command(
            crate::environment::RestartCommand(
                "TOKEN=abc ./restart.sh https://ops:pw@ctl.example.com".into(),
            ),
        ));
        let table = environment(&env);
        assert_eq!(table["domain"].as_str(), Some("pulumi.example.com"));
        assert_eq!(
            table["drain"]["restart"].as_str(),
            Some("TOKEN=[redacted] ./restart.sh https://ops:[redacted]@ctl.example.com")
        );
        assert_eq!(table["drain"]["rate"].as_float(), Some(50.0));
        let mut with_secret_key = table.clone();
        with_secret_key.insert("api_token".into(), toml::Value::String("abc".into()));
        table_in_place(&mut with_secret_key);
        assert_eq!(with_secret_key["api_token"].as_str(), Some(REDACTED));
    }
}
