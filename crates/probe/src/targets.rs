//! What an environment file asks the probes to reach and expect: a record's endpoint as a
//! [`Target`] (`[endpoints]`, `[health]`'s timeout and headers, the CAs `[tls]` trusts) and
//! what its health check must answer ([`Expect`], from `[health]`).

use netconform_model::Environment;
use netconform_model::environment::{HealthSettings, RecordLabel};
use rustls::pki_types::CertificateDer;

use crate::checks::Expect;
use crate::request::Target;

impl Target {
    /// `label`'s endpoint in `env`, trusting `extra_roots` beside the system's CAs (read from
    /// `tls.ca_pem` and `tls.ca_file` by the caller).
    pub fn for_environment(
        env: &Environment,
        label: RecordLabel,
        extra_roots: Vec<CertificateDer<'static>>,
    ) -> Target {
        Target {
            endpoint: env.endpoint(label),
            timeout: env.health.timeout.get(),
            extra_roots,
            instance_header: env.health.instance_header.clone(),
            zone_header: env.health.zone_header.clone(),
        }
    }
}

impl Expect {
    /// What `[health]` says the health check must answer.
    pub fn for_health(health: &HealthSettings) -> Expect {
        Expect {
            status: health.expect_status.0,
            body: health.expect_body.clone(),
            body_regex: health.expect_body_regex.as_ref().map(|r| r.0.clone()),
            headers: health.expect_headers.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use netconform_model::values::Scheme;

    use super::*;

    fn env(text: &str) -> Environment {
        Environment::from_toml(text, Path::new("env.toml")).unwrap_or_else(|e| panic!("{e}"))
    }

    const CONFIGURED: &str = r#"
domain = "pulumi.example.com"

[endpoints]
api = "https://api.{domain}:8443"
app = "https://console.{domain}"

[health]
timeout = "7s"
expect_status = 204
expect_body = "ok"
expect_body_regex = "^o[k]$"
expect_headers = { "content-type" = "json" }
instance_header = "x-instance"
zone_header = "x-zone"
"#;

    #[test]
    fn each_record_is_its_endpoint_with_the_health_settings() {
        let env = env(CONFIGURED);
        let root = CertificateDer::from(vec![1, 2, 3]);
        let api = Target::for_environment(&env, RecordLabel::Api, vec![root.clone()]);
        assert_eq!(api.endpoint.scheme, Scheme::Https);
        assert_eq!(api.endpoint.host, "api.pulumi.example.com");
        assert_eq!(api.endpoint.port, 8443);
        assert_eq!(api.timeout, Duration::from_secs(7));
        assert_eq!(api.extra_roots, [root]);
        assert_eq!(api.instance_header.as_deref(), Some("x-instance"));
        assert_eq!(api.zone_header.as_deref(), Some("x-zone"));
        let app = Target::for_environment(&env, RecordLabel::App, Vec::new());
        assert_eq!(app.endpoint.host, "console.pulumi.example.com");
        assert_eq!(app.endpoint.port, 443);
        assert!(app.extra_roots.is_empty());
    }

    #[test]
    fn the_defaults_name_no_headers() {
        let env = env("domain = \"pulumi.example.com\"\n");
        let api = Target::for_environment(&env, RecordLabel::Api, Vec::new());
        assert_eq!(api.endpoint.host, "api.pulumi.example.com");
        assert_eq!(api.instance_header, None);
        assert_eq!(api.zone_header, None);
        let expect = Expect::for_health(&env.health);
        assert_eq!(expect.status, 200);
        assert_eq!(expect.body, None);
        assert!(expect.body_regex.is_none());
        assert!(expect.headers.is_empty());
    }

    #[test]
    fn the_health_check_expects_what_health_says() {
        let expect = Expect::for_health(&env(CONFIGURED).health);
        assert_eq!(expect.status, 204);
        assert_eq!(expect.body.as_deref(), Some("ok"));
        assert_eq!(
            expect.body_regex.as_ref().map(regex::Regex::as_str),
            Some("^o[k]$")
        );
        assert_eq!(
            expect.headers.get("content-type").map(String::as_str),
            Some("json")
        );
    }
}
