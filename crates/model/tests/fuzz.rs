//! The environment file's reader never panics, and every error it gives names the place:
//! arbitrary text, byte-level mutations of valid files, and files built from the real keys
//! with values of any type. What it accepts writes back to a file it reads the same. A brief
//! run here (256 cases per property, well under a second in all); set PROPTEST_CASES for a
//! longer one.

use netconform_testkit::mutate::{Edit, apply};
use std::path::Path;

use netconform_model::Environment;
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Valid files: the documented example, and one with every section set.
fn valid() -> Vec<String> {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../envs/example.toml"),
    )
    .unwrap();
    let full = r#"domain = "pulumi.example.com"
timeout = "15m"
strict = true
profile = "staging"

[[waiver]]
scenario = "No wildcard stands in for the records"
owner = "platform"
reason = "the wildcard goes with the old zone"
until = 2027-01-31

[dns]
nameservers = ["127.0.0.1:5353"]
load_balancer_addresses = ["192.0.2.10", "2001:db8::1"]
max_ttl = "5m"
dnssec = "validate"

[dns.records.app]
load_balancer = "lb.example.com"

[endpoints]
api = "http://api.{domain}:8080"
http_port = 8081

[health]
expect_headers = { "content-type" = "json" }
expect_body_regex = "^ok"
zone_header = "x-zone"
interval = "250ms"

[tls]
min_version = "1.3"
required = true

[drain]
rate = 20
restart = { kind = "docker", containers = ["a", "b"] }

[config]
aws = ["aws/*.json"]
"#;
    vec![example, full.to_owned()]
}

/// proptest's default: 256 cases, or PROPTEST_CASES.
fn config() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

/// Reads `text`; an error must carry a position inside the text, an accepted file must
/// write back to one that reads the same.
fn read(text: &str) {
    let file = Path::new("fuzz/env.toml");
    match Environment::from_toml(text, file) {
        Ok(mut env) => {
            let mut again = Environment::from_toml(&env.to_toml(), file)
                .unwrap_or_else(|e| panic!("{e}\nwritten back from:\n{text}"));
            // A waiver's place in the file is where it was written, not what it says.
            for w in env.waivers.iter_mut().chain(again.waivers.iter_mut()) {
                w.position = None;
            }
            assert_eq!(again, env, "written back from:\n{text}");
        }
        Err(e) => {
            assert!(!e.message.is_empty());
            let (line, col) = e
                .position
                .unwrap_or_else(|| panic!("no position in {e:?} for:\n{text}"));
            let lines = text.split('\n').count().max(1);
            assert!(
                line >= 1 && line <= lines && col >= 1,
                "{e} is outside the text ({lines} lines):\n{text}"
            );
        }
    }
}

/// A byte-level edit, drawn from the bytes that matter to this format.
fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 0usize..32).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), "[ -~\n\t]{0,12}|[\\[\\]{}=,\"'.#]{1,4}")
            .prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
    ]
}

/// The real sections and their keys.
const KEYS: [(&str, &[&str]); 7] = [
    ("", &["version", "name", "strict", "profile", "timeout"]),
    (
        "dns",
        &[
            "nameservers",
            "vantage_points",
            "authoritative",
            "load_balancer",
            "load_balancer_addresses",
            "address_match",
            "max_ttl",
            "dnssec",
            "trust_anchors",
            "timeout",
            "check_timeout",
        ],
    ),
    ("endpoints", &["api", "app", "http_port"]),
    (
        "health",
        &[
            "path",
            "expect_status",
            "expect_body",
            "expect_body_regex",
            "expect_headers",
            "timeout",
            "interval",
            "instance_header",
            "zone_header",
            "min_zones",
            "gzip_path",
        ],
    ),
    (
        "tls",
        &[
            "ca_file",
            "ca_pem",
            "min_days_left",
            "min_version",
            "required",
        ],
    ),
    (
        "drain",
        &[
            "enabled",
            "rate",
            "max_duration",
            "restart",
            "max_failed",
            "settle",
            "request_timeout",
            "fresh_every",
            "workers",
            "max_connections",
            "slow_path",
            "slow_every",
            "haproxy_stats",
        ],
    ),
    (
        "config",
        &[
            "kubernetes",
            "aws",
            "pulumi_stack_export",
            "collect",
            "region",
            "profile",
            "aws_cli",
            "namespace",
            "context",
            "kubectl",
        ],
    ),
];

/// A TOML value of any type, written out; some near-valid ("10s", "/api", a URL).
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (0u32..700).prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| if f.is_finite() {
            format!("{f:?}")
        } else {
            "nan".into()
        }),
        any::<bool>().prop_map(|b| b.to_string()),
        "[a-z0-9/.:_{} -]{0,16}".prop_map(|s| format!("{s:?}")),
        prop::sample::select(vec![
            "\"10s\"",
            "\"0s\"",
            "\"99999999999h\"",
            "\"1.2\"",
            "\"1.3\"",
            "\"/api/status\"",
            "\"https://api.{domain}\"",
            "\"http://x\"",
            "\"192.0.2.1:53\"",
            "\"::1\"",
            "\"all\"",
            "\"validate\"",
            "\"staging\"",
            "2027-01-31",
            "\"(\"",
        ])
        .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..3).prop_map(|kv| {
                let pairs: Vec<String> = kv.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", pairs.join(", "))
            }),
        ]
    })
}

/// A file of the real keys, each with any value.
fn structured() -> impl Strategy<Value = String> {
    let entry = (0..KEYS.len(), any::<prop::sample::Index>(), value());
    prop::collection::vec(entry, 0..10).prop_map(|entries| {
        let mut sections: Vec<(usize, Vec<String>)> = Vec::new();
        for (section, key, value) in entries {
            let keys = KEYS[section].1;
            let line = format!("{} = {value}", keys[key.index(keys.len())]);
            match sections.iter_mut().find(|(s, _)| *s == section) {
                Some((_, lines)) => lines.push(line),
                None => sections.push((section, vec![line])),
            }
        }
        sections.sort_by_key(|(s, _)| *s);
        let mut text = String::from("domain = \"pulumi.example.com\"\n");
        for (section, lines) in sections {
            if !KEYS[section].0.is_empty() {
                text.push_str(&format!("[{}]\n", KEYS[section].0));
            }
            for line in lines {
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        read(&text);
    }

    #[test]
    fn mutated_files_never_panic(which in 0usize..2, edits in prop::collection::vec(edit(), 1..4)) {
        let docs = valid();
        read(&apply(&docs[which], &edits));
    }

    #[test]
    fn any_value_of_any_key_reads_or_says_where(text in structured()) {
        read(&text);
    }
}

#[test]
fn the_valid_files_read() {
    for text in valid() {
        Environment::from_toml(&text, Path::new("env.toml")).unwrap();
        read(&text);
    }
}
