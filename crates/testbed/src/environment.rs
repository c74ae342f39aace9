//! The environment file that describes a running bed.

use std::net::SocketAddr;

use netconform_model::environment::{Restart, RestartDriverSpec, StatsUrl};
use netconform_model::values::{Nameserver, Rate};
use netconform_model::{Environment, HumanDuration};
use netconform_replica::{GZIP_PATH, INSTANCE_HEADER, ZONE_HEADER, slow_path};

use crate::start::Parts;
use crate::{DOMAIN, TestbedConfig, Variant, files};

pub(crate) fn environment(config: &TestbedConfig, parts: &Parts) -> Environment {
    let topology = &parts.topology;
    let timing = &config.timing;
    let mut env = Environment::new(DOMAIN.parse().expect("a valid domain"));
    env.name = Some(match config.variant {
        Some(v) => format!("container test bed ({v})"),
        None => "container test bed".to_owned(),
    });
    let dns = Nameserver(SocketAddr::new(topology.dns.1, 53));
    env.dns.nameservers = vec![dns];
    env.dns.authoritative = vec![dns];
    env.dns.load_balancer = Some(format!("lb.{DOMAIN}").parse().expect("a valid name"));
    env.dns.load_balancer_addresses = vec![topology.lb.1];
    env.dns.dnssec = netconform_model::environment::DnssecMode::Validate;
    env.dns.trust_anchors = vec![parts.trust_anchor.clone()];
    env.tls.ca_pem = Some(parts.ca_pem.clone());
    env.health.timeout = HumanDuration::from_secs(2);
    env.health.interval = HumanDuration::from_millis(100);
    env.health.instance_header = Some(INSTANCE_HEADER.to_owned());
    env.health.zone_header = Some(ZONE_HEADER.to_owned());
    env.health.gzip_path = Some(GZIP_PATH.parse().expect("a valid path"));
    env.drain.rate = Rate(100.0);
    env.drain.max_duration = HumanDuration::from_secs(120);
    // Long enough for the slow requests to be in flight when the first replica stops.
    env.drain.settle = HumanDuration(timing.slow_request);
    env.drain.request_timeout = HumanDuration(timing.slow_request * 3);
    env.drain.slow_path = Some(
        slow_path(timing.slow_request.as_millis())
            .parse()
            .expect("a valid path"),
    );
    env.drain.slow_every = timing.slow_every;
    env.drain.haproxy_stats = Some(StatsUrl(format!(
        "http://{}:{}{}",
        topology.lb.1,
        files::STATS_PORT,
        files::STATS_PATH
    )));
    let stop_timeout = if config.variant == Some(Variant::StopTimeoutTooShort) {
        timing.short_stop_timeout
    } else {
        timing.stop_timeout
    };
    env.drain.restart = Some(Restart::Driver(RestartDriverSpec::Docker {
        containers: topology.replicas.iter().map(|(_, n)| n.clone()).collect(),
        stop_timeout: HumanDuration(stop_timeout),
        docker: config.docker.clone(),
    }));
    env
}
