//! The environment file's tests: what reads, what is refused, and where.

use super::*;
use crate::HumanDuration;
use crate::values::{HttpPath, StatusCode};

fn parse(text: &str) -> Result<Environment, String> {
    Environment::from_toml(text, Path::new("envs/test.toml")).map_err(|e| e.to_string())
}

/// `expected` is `Ok(())` or `Err(substring of "file:line:col: message")`.
fn check(text: &str, expected: Result<(), &str>) {
    match (parse(text), expected) {
        (Ok(_), Ok(())) => {}
        (Err(e), Err(want)) => assert!(e.contains(want), "{text:?}\n got: {e}\nwant: {want}"),
        (got, want) => panic!("{text:?}: got {got:?}, expected {want:?}"),
    }
}

#[test]
fn minimal_file_takes_the_guides_defaults() {
    let env = parse("domain = \"pulumi.example.com\"").unwrap();
    assert_eq!(env.api_record().as_str(), "api.pulumi.example.com");
    assert_eq!(env.app_record().as_str(), "app.pulumi.example.com");
    assert_eq!(
        env.api_endpoint().origin(),
        "https://api.pulumi.example.com"
    );
    assert_eq!(env.health.path.as_str(), "/api/status");
    assert_eq!(env.health.expect_status, StatusCode(200));
    assert_eq!(env.drain.max_failed, 0);
    assert_eq!(env.drain.max_duration, HumanDuration::from_secs(600));
    assert_eq!(env.base_dir, Path::new("envs"));
    assert!(env.dns.nameservers.is_empty());
}

#[test]
fn full_file_round_trips() {
    let text = r#"
version = 1
name = "staging"
domain = "pulumi.example.com"
[dns]
nameservers = ["192.0.2.53:53", "[2001:db8::53]:5353"]
load_balancer = "lb-123.elb.example.com"
load_balancer_addresses = ["192.0.2.10", "2001:db8::10"]
timeout = "3s"
[endpoints]
api = "http://api.{domain}:8080"
app = "https://app.{domain}"
[health]
path = "/api/status"
expect_status = 200
timeout = "5s"
[drain]
rate = 50
max_duration = "10m"
restart = "kubectl -n pulumi rollout restart deploy/api"
max_failed = 0
settle = "2s"
request_timeout = "10s"
max_connections = 100
"#;
    let env = parse(text).unwrap();
    assert_eq!(env.display_name(), "staging");
    assert_eq!(env.dns.nameservers.len(), 2);
    assert_eq!(
        env.api_endpoint().url("/api/status"),
        "http://api.pulumi.example.com:8080/api/status"
    );
    let again = Environment::from_toml(&env.to_toml(), Path::new("envs/test.toml")).unwrap();
    assert_eq!(again, env);
}

#[test]
fn drain_is_off_by_default_and_capped() {
    let env = parse("domain = \"a.b\"").unwrap();
    assert!(!env.drain.enabled, "disruptive scenarios are opt-in");
    assert!(
        env.drain.over_caps().is_empty(),
        "the defaults are within the caps"
    );
    let env =
        parse("domain = \"a.b\"\n[drain]\nenabled = true\nrate = 500\nmax_duration = \"30m\"")
            .unwrap();
    assert!(env.drain.enabled);
    assert!(
        env.drain.over_caps().is_empty(),
        "the caps themselves are allowed"
    );
    let env = parse("domain = \"a.b\"\n[drain]\nrate = 501\nmax_duration = \"31m\"").unwrap();
    assert_eq!(
        env.drain.over_caps(),
        [
            "drain.rate = 501 is above the hard cap of 500 req/s",
            "drain.max_duration = \"31m\" is above the hard cap of 30m"
        ]
    );
}

#[test]
fn record_overrides_take_precedence() {
    let env = parse(
        "domain = \"pulumi.example.com\"\n[dns]\nload_balancer = \"api-lb.example.com\"\naddress_match = \"any\"\nload_balancer_addresses = [\"192.0.2.10\"]\n[dns.records.app]\nload_balancer = \"console-lb.example.com\"\n",
    )
    .unwrap();
    let api = env.load_balancer_for(RecordLabel::Api);
    let app = env.load_balancer_for(RecordLabel::App);
    assert_eq!(api.name.unwrap().as_str(), "api-lb.example.com");
    assert_eq!(app.name.unwrap().as_str(), "console-lb.example.com");
    assert_eq!(
        app.addresses, api.addresses,
        "addresses not overridden fall back to [dns]"
    );
    assert_eq!(app.address_match, AddressMatch::Any);
    assert_eq!(env.dns.max_ttl, HumanDuration::from_secs(300));
    check(
        "domain = \"a.b\"\n[dns.records.ap]\nload_balancer = \"x.b\"",
        Err("unknown field `ap`, expected `api` or `app`"),
    );
    check(
        "domain = \"a.b\"\n[dns]\naddress_match = \"some\"",
        Err("unknown variant `some`, expected `all` or `any`"),
    );
}

#[test]
fn restart_is_a_command_or_a_driver() {
    let env = parse("domain = \"a.b\"\n[drain]\nrestart = \"make restart\"").unwrap();
    assert_eq!(
        env.drain.restart,
        Some(Restart::Command(RestartCommand("make restart".into())))
    );
    let env = parse("domain = \"a.b\"\n[drain.restart]\nkind = \"kubernetes\"\ndeployment = \"api\"\nnamespace = \"pulumi\"").unwrap();
    let Some(Restart::Driver(RestartDriverSpec::Kubernetes {
        deployment,
        namespace,
        kubectl,
        ..
    })) = env.drain.restart
    else {
        panic!()
    };
    assert_eq!(
        (deployment.as_str(), namespace.as_str(), kubectl.as_str()),
        ("api", "pulumi", "kubectl")
    );
    let env = parse(
        "domain = \"a.b\"\n[drain.restart]\nkind = \"docker\"\ncontainers = [\"api-1\", \"api-2\"]",
    )
    .unwrap();
    let Some(Restart::Driver(RestartDriverSpec::Docker { stop_timeout, .. })) = &env.drain.restart
    else {
        panic!()
    };
    assert_eq!(
        *stop_timeout,
        HumanDuration::from_secs(120),
        "the guide's stop timeout by default"
    );
    let again = Environment::from_toml(&env.to_toml(), Path::new("envs/test.toml")).unwrap();
    assert_eq!(again.drain.restart, env.drain.restart);
    check(
        "domain = \"a.b\"\n[drain.restart]\nkind = \"nomad\"",
        Err("unknown variant `nomad`, expected one of `kubernetes`, `ecs`, `docker`, `sandbox`"),
    );
    check(
        "domain = \"a.b\"\n[drain.restart]\nkind = \"ecs\"\ncluster = \"c\"",
        Err("missing field `service`"),
    );
    check(
        "domain = \"a.b\"\n[drain.restart]\nkind = \"kubernetes\"\ndeploy = \"api\"",
        Err("unknown field `deploy`"),
    );
}

#[test]
fn the_commented_example_reads() {
    let text = include_str!("../../../../envs/example.toml");
    let env = Environment::from_toml(text, Path::new("envs/example.toml")).unwrap();
    assert!(!env.config.is_empty(), "the example shows [config]");
    assert!(
        matches!(
            env.drain.restart,
            Some(Restart::Driver(RestartDriverSpec::Kubernetes { .. }))
        ),
        "the example shows a typed restart driver first"
    );
}

#[test]
fn config_names_files_relative_to_the_environment_file() {
    let env = parse(
        "domain = \"a.b\"\n[config]\nkubernetes = [\"deploy/*.yaml\", \"/abs/api.json\"]\necs = [\"describe/*.json\"]\npulumi_stack_export = \"stack.json\"\n",
    )
    .unwrap();
    assert_eq!(env.config.kubernetes.len(), 2);
    assert_eq!(
        env.config.aws[0].as_str(),
        "describe/*.json",
        "`ecs` is another name for `aws`"
    );
    assert_eq!(env.config.pulumi_stack_export[0].as_str(), "stack.json");
    let env = parse(
        "domain = \"a.b\"\n[config]\npulumi_stack_export = [\"stacks/app.json\", \"stacks/dns.json\"]",
    )
    .unwrap();
    assert_eq!(env.config.pulumi_stack_export.len(), 2);
    let again = Environment::from_toml(&env.to_toml(), Path::new("envs/test.toml")).unwrap();
    assert_eq!(again.config, env.config);
    assert!(parse("domain = \"a.b\"").unwrap().config.is_empty());
    check(
        "domain = \"a.b\"\n[config]\nkubernetes = [\"deploy/[.yaml\"]",
        Err("envs/test.toml:3:14: invalid path pattern \"deploy/[.yaml\""),
    );
    check(
        "domain = \"a.b\"\n[config]\nkubernetes = \"deploy/*.yaml\"",
        Err("envs/test.toml:3:14: invalid type: string \"deploy/*.yaml\", expected a sequence"),
    );
    check(
        "domain = \"a.b\"\n[config]\nstack_export = \"stack.json\"",
        Err("envs/test.toml:3:1: unknown field `stack_export`"),
    );
    check(
        "domain = \"a.b\"\n[config]\npulumi_stack_export = 3",
        Err("envs/test.toml:3:23: invalid type: integer `3`, expected a path, or a list of paths"),
    );
    check(
        "domain = \"a.b\"\n[config]\npulumi_stack_export = \"\"",
        Err("envs/test.toml:3:23: the path pattern is empty"),
    );
    check(
        "domain = \"a.b\"\n[config]\naws = [\"a.json\"]\necs = [\"b.json\"]",
        Err("duplicate field `aws`"),
    );
}

#[test]
fn a_load_of_nothing_is_refused_at_its_place() {
    check(
        "domain = \"a.b\"\n[drain]\nslow_every = 0",
        Err("envs/test.toml:3:14: drain.slow_every = 0 names no request"),
    );
    check(
        "domain = \"a.b\"\n[drain]\nworkers = 0",
        Err("envs/test.toml:3:11: drain.workers = 0 would send no request"),
    );
}

#[test]
fn waivers_profiles_and_strict_are_read_with_their_places() {
    let env = parse(concat!(
        "domain = \"a.b\"\nstrict = true\nprofile = \"staging\"\n\n",
        "[[waiver]]\nrecommendation = \"deletion-protection\"\nowner = \"platform\"\n",
        "reason = \"the ALB is replaced in January\"\nuntil = 2027-01-31\n\n",
        "[[waiver]]\nscenario = \"The records validate with DNSSEC\"\nowner = \"dns\"\n",
        "reason = \"zone signing in Q1\"\nuntil = \"2027-03-31\"\n",
    ))
    .unwrap();
    assert!(env.strict);
    assert_eq!(env.profile, Profile::Staging);
    assert_eq!(env.waivers.len(), 2);
    assert_eq!(env.waivers[0].until.to_string(), "2027-01-31");
    assert_eq!(env.waivers[0].position, Some((5, 1)));
    assert_eq!(env.waivers[1].until.to_string(), "2027-03-31");
    assert_eq!(env.waivers[1].position, Some((11, 1)));
    assert_eq!(
        Environment::new("a.b".parse().unwrap()).profile,
        Profile::Production
    );
    check(
        "domain = \"a.b\"\n[[waiver]]\nscenario = \"x\"\nrecommendation = \"https\"\nowner = \"o\"\nreason = \"r\"\nuntil = 2027-01-31",
        Err("envs/test.toml:2:1: a [[waiver]] names either `scenario"),
    );
    check(
        "domain = \"a.b\"\n[[waiver]]\nrecommendation = \"tls13\"\nowner = \"o\"\nreason = \"r\"\nuntil = 2027-01-31",
        Err(
            "envs/test.toml:2:1: the [[waiver]] names recommendation \"tls13\", which the guide does not have; the ids are: multi-az",
        ),
    );
    check(
        "domain = \"a.b\"\n[[waiver]]\nscenario = \"x\"\nowner = \" \"\nreason = \"r\"\nuntil = 2027-01-31",
        Err("envs/test.toml:2:1: a [[waiver]] needs an `owner` and a `reason`"),
    );
    check(
        "domain = \"a.b\"\n[[waiver]]\nscenario = \"x\"\nowner = \"o\"\nreason = \"r\"\nuntil = \"2027-02-30\"",
        Err("envs/test.toml:6:9: \"2027-02-30\": 2027-02 has no day 30; write YYYY-MM-DD"),
    );
    check(
        "domain = \"a.b\"\n[[waiver]]\nscenario = \"x\"\nowner = \"o\"\nreason = \"r\"\nuntil = 2027-01-31T10:00:00Z",
        Err("a date and time; write only the date"),
    );
    check(
        "domain = \"a.b\"\nprofile = \"prod\"",
        Err("envs/test.toml:2:11: unknown variant `prod`, expected `production` or `staging`"),
    );
}

#[test]
fn bad_input_names_the_place_and_the_fix() {
    check(
        "",
        Err("envs/test.toml:1:1: missing field `domain`: every environment file names its domain"),
    );
    check(
        "domain = \"pulumi..example.com\"",
        Err("envs/test.toml:1:10: invalid domain \"pulumi..example.com\": empty label"),
    );
    check(
        "domain = 42",
        Err("envs/test.toml:1:10: invalid type: integer `42`, expected a string"),
    );
    check(
        "domain = \"a.b\"\n[dns]\nnameserver = [\"1.1.1.1\"]",
        Err("envs/test.toml:3:1: unknown field `nameserver`, expected one of `nameservers`"),
    );
    check(
        "domain = \"a.b\"\ncolour = 1",
        Err("envs/test.toml:2:1: unknown field `colour`"),
    );
    check(
        "domain = \"a.b\"\n[drain]\nmax_duration = \"ten minutes\"",
        Err("envs/test.toml:3:16: invalid duration: expected a number"),
    );
    check(
        "domain = \"a.b\"\n[drain]\nmax_duration = 600",
        Err("envs/test.toml:3:16: invalid duration 600: a duration needs a unit"),
    );
    check(
        "domain = \"a.b\"\n[endpoints]\napi = \"https://api.example.com\"",
        Err("envs/test.toml:3:7: endpoint \"https://api.example.com\" does not contain {domain}"),
    );
    check(
        "domain = \"a.b\"\n[health]\nexpect_status = 42",
        Err("envs/test.toml:3:17: invalid status 42"),
    );
    check(
        "domain = \"a.b\"\n[drain]\nrate = 0",
        Err("envs/test.toml:3:8: invalid rate 0"),
    );
    check(
        "domain = \"a.b\"\n[drain]\nrestart = \"  \"",
        Err("the restart command is empty"),
    );
    check(
        "version = 2\ndomain = \"a.b\"",
        Err("envs/test.toml:1:11: unsupported schema version 2"),
    );
    check(
        "domain = \"a.b\"\n[dns]\nnameservers = [\"dns.example.com\"]",
        Err("envs/test.toml:3:15: invalid nameserver"),
    );
    check("domain = \"a.b\n", Err("envs/test.toml:1:"));
    check(
        "domain = \"a.b\"\n[drain]\nhaproxy_stats = \"https://lb:8404/stats;csv\"",
        Err("envs/test.toml:3:17: invalid statistics URL"),
    );
    check(
        "domain = \"a.b\"\n[drain]\nslow_path = \"api/slow\"",
        Err("envs/test.toml:3:13: invalid path"),
    );
}

#[test]
fn slow_requests_and_haproxy_statistics_are_read() {
    let env = parse(
        "domain = \"a.b\"\n[drain]\nslow_path = \"/api/slow?ms=2000\"\nslow_every = 20\nhaproxy_stats = \"http://10.0.0.5:8404/stats;csv\"",
    )
    .unwrap();
    assert_eq!(
        env.drain.slow_path.as_ref().map(HttpPath::as_str),
        Some("/api/slow?ms=2000")
    );
    assert_eq!(env.drain.slow_every, 20);
    assert_eq!(
        env.drain.haproxy_stats,
        Some(StatsUrl("http://10.0.0.5:8404/stats;csv".into()))
    );
    let again = parse(&env.to_toml()).unwrap();
    assert_eq!(again.drain, env.drain);
    assert_eq!(parse("domain = \"a.b\"").unwrap().drain.slow_path, None);
}

#[test]
fn a_baseline_is_read_relative_to_the_file() {
    let env = parse("domain = \"example.com\"\nbaseline = \"runs/last/report.json\"\n").unwrap();
    let named = env.baseline.as_deref().unwrap();
    assert_eq!(
        env.resolve_path(named),
        Path::new("envs/runs/last/report.json")
    );
    assert!(
        env.to_toml()
            .contains("baseline = \"runs/last/report.json\"")
    );
}
