//! Every published IPv6 address has a listener.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use netconform_model::{HumanDuration, Outcome, Verdict};

use super::{is_resolver, list, outcome};
use crate::view::NameView;

fn publish<T>(names: &BTreeSet<T>) -> &'static str {
    if names.len() == 1 {
        "publishes"
    } else {
        "publish"
    }
}

/// Every IPv6 address the records publish accepts connections on the endpoint's port: an AAAA
/// without a listener breaks IPv6 clients (or slows them by a Happy Eyeballs fallback).
pub async fn check_ipv6_listeners(views: &[(&NameView, u16)], timeout: Duration) -> Outcome {
    let check = "every published IPv6 address has a listener".to_owned();
    let mut targets: BTreeMap<SocketAddr, BTreeSet<String>> = BTreeMap::new();
    for (view, port) in views {
        for server in view
            .servers()
            .into_iter()
            .filter(|s| is_resolver(view.kind_of(s)))
        {
            for ip in view
                .addresses_from(server)
                .into_iter()
                .filter(IpAddr::is_ipv6)
            {
                targets
                    .entry(SocketAddr::new(ip, *port))
                    .or_default()
                    .insert(view.name.to_string());
            }
        }
    }
    let all: Vec<&NameView> = views.iter().map(|(v, _)| *v).collect();
    if targets.is_empty() {
        let mut o = outcome(
            check,
            Vec::new(),
            vec!["no AAAA records are published".into()],
            &all,
        );
        o.verdict = Verdict::NotApplicable;
        return o;
    }
    let (mut problems, mut passes) = (Vec::new(), Vec::new());
    for (addr, names) in targets {
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => passes.push(format!("{addr} accepts connections")),
            Ok(Err(e)) => problems.push(format!(
                "{} {} {} (AAAA) but nothing accepts connections on {addr}: {e}",
                list(&names),
                publish(&names),
                addr.ip()
            )),
            Err(_) => problems.push(format!(
                "{} {} {} (AAAA) but {addr} did not accept a connection within {}",
                list(&names),
                publish(&names),
                addr.ip(),
                HumanDuration(timeout)
            )),
        }
    }
    outcome(check, problems, passes, &all)
}
