//! Vantage points: the servers a record is checked through, those an environment file names,
//! and the discovery of a zone's authoritative servers.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_proto::rr::RecordType;
use netconform_model::Environment;
use netconform_model::environment::DnsSettings;
use netconform_model::evidence::dns::VantageKind;
use netconform_model::values::DnsName;

use crate::query::{QueryError, query};

/// A server a record is checked through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vantage {
    pub kind: VantageKind,
    /// For evidence and verdicts: "127.0.0.1:53", "ns1.example.com (192.0.2.1:53)".
    pub label: String,
    pub server: SocketAddr,
}

impl Vantage {
    /// A vantage point labelled by its kind and address: "resolver 127.0.0.1:53".
    pub fn new(kind: VantageKind, server: SocketAddr) -> Vantage {
        let kind_label = match kind {
            VantageKind::Resolver => "resolver",
            VantageKind::VantagePoint => "vantage point",
            VantageKind::Authoritative => "authoritative",
        };
        Vantage {
            kind,
            label: format!("{kind_label} {server}"),
            server,
        }
    }

    /// Resolvers recurse; authoritative servers are asked with recursion off.
    pub fn recursion(&self) -> bool {
        self.kind != VantageKind::Authoritative
    }
}

impl fmt::Display for Vantage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// The resolvers: `dns.nameservers` (or the system's, `system` when none is set) and
/// `dns.vantage_points`.
pub fn resolvers(settings: &DnsSettings, system: &[SocketAddr]) -> Vec<Vantage> {
    let configured: Vec<SocketAddr> = if settings.nameservers.is_empty() {
        system.to_vec()
    } else {
        settings.nameservers.iter().map(|ns| ns.0).collect()
    };
    let mut vantages: Vec<Vantage> = configured
        .into_iter()
        .map(|s| Vantage::new(VantageKind::Resolver, s))
        .collect();
    if settings.nameservers.is_empty() {
        for v in &mut vantages {
            v.label = format!("system {}", v.label);
        }
    }
    vantages.extend(
        settings
            .vantage_points
            .iter()
            .map(|ns| Vantage::new(VantageKind::VantagePoint, ns.0)),
    );
    vantages
}

/// Why the authoritative servers could not be found. Reads after "failed to".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError {
    #[error("find the zone of {name}: {why}")]
    Zone { name: String, why: String },
    #[error("find the name servers of {zone}: {why}")]
    NameServers { zone: String, why: String },
}

/// The zone's authoritative servers: `dns.authoritative` when set, else discovered through
/// `resolver`: the zone apex from the SOA, its NS names, their addresses, each on `port`
/// (53 for real zones).
pub async fn authoritative(
    settings: &DnsSettings,
    resolver: &Vantage,
    domain: &DnsName,
    port: u16,
    timeout: Duration,
) -> Result<Vec<Vantage>, DiscoveryError> {
    if !settings.authoritative.is_empty() {
        return Ok(settings
            .authoritative
            .iter()
            .map(|ns| Vantage::new(VantageKind::Authoritative, ns.0))
            .collect());
    }
    let zone = zone_apex(resolver, domain, timeout).await?;
    let ns = query(resolver.server, &zone, RecordType::NS, true, timeout)
        .await
        .map_err(|e| DiscoveryError::NameServers {
            zone: zone.clone(),
            why: e.to_string(),
        })?;
    let names: Vec<String> = ns
        .answers
        .iter()
        .filter(|r| r.record_type == "NS" && r.name == zone)
        .map(|r| r.data.clone())
        .collect();
    if names.is_empty() {
        return Err(DiscoveryError::NameServers {
            zone,
            why: format!("{resolver} answered no NS records ({})", ns.rcode),
        });
    }
    let mut vantages = Vec::new();
    for name in names {
        for rtype in [RecordType::A, RecordType::AAAA] {
            let Ok(answer) = query(resolver.server, &name, rtype, true, timeout).await else {
                continue;
            };
            for r in answer
                .answers
                .iter()
                .filter(|r| r.record_type == rtype.to_string())
            {
                if let Ok(ip) = r.data.parse::<IpAddr>() {
                    let server = SocketAddr::new(ip, port);
                    vantages.push(Vantage {
                        kind: VantageKind::Authoritative,
                        label: format!("authoritative {name} ({server})"),
                        server,
                    });
                }
            }
        }
    }
    if vantages.is_empty() {
        return Err(DiscoveryError::NameServers {
            zone,
            why: "none of its NS names has an address".into(),
        });
    }
    Ok(vantages)
}

/// The apex of the zone holding `name`: the owner of the SOA the resolver returns for it.
pub async fn zone_apex(
    resolver: &Vantage,
    name: &DnsName,
    timeout: Duration,
) -> Result<String, DiscoveryError> {
    let mut candidate = name.to_string();
    loop {
        let answer = query(resolver.server, &candidate, RecordType::SOA, true, timeout)
            .await
            .map_err(|e: QueryError| DiscoveryError::Zone {
                name: name.to_string(),
                why: format!("{resolver}: {e}"),
            })?;
        if let Some((zone, _)) = answer.soa {
            return Ok(zone);
        }
        // No SOA at all: try the parent name.
        match candidate.split_once('.') {
            Some((_, parent)) if parent.contains('.') => candidate = parent.to_owned(),
            _ => {
                return Err(DiscoveryError::Zone {
                    name: name.to_string(),
                    why: format!(
                        "{resolver} returned no SOA for it or its parents ({})",
                        answer.rcode
                    ),
                });
            }
        }
    }
}

/// The vantage points of a run's DNS checks.
#[derive(Debug, Clone)]
pub struct Vantages {
    /// The configured resolvers (or the system's) and the extra vantage points.
    pub resolvers: Vec<Vantage>,
    /// The zone's authoritative servers, configured or discovered.
    pub authoritative: Result<Vec<Vantage>, DiscoveryError>,
}

impl Vantages {
    /// The vantage points `settings` names for `domain`: its resolvers (the system's,
    /// `system`, when none is set) and vantage points, and the zone's authoritative servers,
    /// configured or discovered through the first resolver (on port 53).
    pub async fn discover(
        settings: &DnsSettings,
        domain: &DnsName,
        system: &[SocketAddr],
    ) -> Vantages {
        let resolvers = resolvers(settings, system);
        let authoritative = match resolvers.first() {
            Some(first) => authoritative(settings, first, domain, 53, settings.timeout.get()).await,
            None => Err(DiscoveryError::Zone {
                name: domain.to_string(),
                why: "there is no resolver to ask".into(),
            }),
        };
        Vantages {
            resolvers,
            authoritative,
        }
    }

    /// The vantage points of `env`'s DNS checks: [`Vantages::discover`] for its domain, the
    /// system's resolvers (`/etc/resolv.conf`; none when it cannot be read) standing in when
    /// `dns.nameservers` is empty.
    pub async fn for_environment(env: &Environment) -> Vantages {
        let system = netconform_net::resolve::system_nameservers().unwrap_or_default();
        Vantages::discover(&env.dns, env.domain.name(), &system).await
    }

    /// Every vantage point: resolvers, then authoritative servers.
    pub fn all(&self) -> Vec<Vantage> {
        let mut all = self.resolvers.clone();
        if let Ok(authoritative) = &self.authoritative {
            all.extend(authoritative.iter().cloned());
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn env(dns: &str) -> Environment {
        let text = format!("domain = \"pulumi.example.com\"\n\n[dns]\n{dns}");
        Environment::from_toml(&text, Path::new("env.toml")).unwrap_or_else(|e| panic!("{e}"))
    }

    fn labels(vantages: &[Vantage]) -> Vec<(VantageKind, &str)> {
        vantages
            .iter()
            .map(|v| (v.kind, v.label.as_str()))
            .collect()
    }

    #[tokio::test]
    async fn an_environment_names_its_resolvers_vantage_points_and_servers() {
        let env = env(
            "nameservers = [\"192.0.2.1:5353\", \"192.0.2.2\"]\nvantage_points = [\"198.51.100.1:53\"]\nauthoritative = [\"203.0.113.1:53\"]\n",
        );
        let vantages = Vantages::for_environment(&env).await;
        assert_eq!(
            labels(&vantages.resolvers),
            [
                (VantageKind::Resolver, "resolver 192.0.2.1:5353"),
                (VantageKind::Resolver, "resolver 192.0.2.2:53"),
                (VantageKind::VantagePoint, "vantage point 198.51.100.1:53"),
            ]
        );
        let authoritative = vantages.authoritative.as_ref().expect("configured");
        assert_eq!(
            labels(authoritative),
            [(VantageKind::Authoritative, "authoritative 203.0.113.1:53")]
        );
        assert_eq!(vantages.all().len(), 4);
        assert!(!authoritative[0].recursion());
    }

    #[tokio::test]
    async fn without_nameservers_the_systems_stand_in() {
        let env = env("authoritative = [\"203.0.113.1:53\"]\n");
        let system: Vec<SocketAddr> = vec!["10.0.0.2:53".parse().unwrap()];
        let vantages = Vantages::discover(&env.dns, env.domain.name(), &system).await;
        assert_eq!(
            labels(&vantages.resolvers),
            [(VantageKind::Resolver, "system resolver 10.0.0.2:53")]
        );
        let from_file = Vantages::for_environment(&env).await;
        assert!(
            from_file
                .resolvers
                .iter()
                .all(|v| v.label.starts_with("system resolver ")),
            "{:?}",
            from_file.resolvers
        );
    }

    #[tokio::test]
    async fn no_resolver_leaves_the_zone_undiscovered() {
        let env = env("");
        let vantages = Vantages::discover(&env.dns, env.domain.name(), &[]).await;
        assert!(vantages.resolvers.is_empty());
        assert_eq!(
            vantages.authoritative.unwrap_err().to_string(),
            "find the zone of pulumi.example.com: there is no resolver to ask"
        );
    }
}
