//! Broken variants: one deliberate misconfiguration each, so every check can be shown to fail.

use std::fmt;
use std::str::FromStr;

/// A way to break the sandbox on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Replicas exit at once when told to stop: no drain, in-flight requests dropped, the load
    /// balancer routes to a dead target until it notices.
    ExitOnSigterm,
    /// `app.{domain}` has no record.
    NoAppRecord,
    /// `app.{domain}` leads to another load balancer's name.
    WrongLoadBalancer,
    /// `/api/status` answers 500 on every replica.
    Status500,
    /// `app.{domain}` is a CNAME to a name that does not exist (a deleted load balancer).
    DanglingCname,
    /// No api or app record: a wildcard `*.{domain}` answers for them.
    WildcardOnly,
    /// ns2 serves a stale copy of the zone (older serial, a different TTL on app).
    AuthoritativeMismatch,
    /// api and app have a TTL of an hour.
    LongTtl,
    /// The load balancer's name has an AAAA record, but nothing listens on that address.
    AaaaWithoutListener,
    /// The DNS servers answer SERVFAIL for `app.{domain}`.
    Servfail,
    /// The DNS servers answer for `app.{domain}` only after the query timeout.
    SlowDns,
    /// `app.{domain}` appears only a little after the sandbox starts (a DNS change
    /// propagating).
    LateAppRecord,
    /// The load balancer's certificate expired yesterday.
    ExpiredCert,
    /// The load balancer's certificate does not name `app.{domain}`.
    CertMissingAppSan,
    /// One of the load balancer's addresses refuses connections.
    OneAddressDown,
    /// Plain HTTP serves the site instead of redirecting to HTTPS.
    NoHttpRedirect,
    /// The load balancer drops `Content-Encoding` from responses.
    StripsGzip,
    /// `/api/status` answers only after the probe timeout.
    SlowHealth,
    /// Both replicas run in the same zone.
    SingleZone,
    /// `/api/status` answers 503 for the first 2 s of a replica's life, then 200.
    Status503Then200,
    /// The zone is signed with another key than the one the environment trusts (a key
    /// rollover gone wrong): every answer is bogus.
    DnssecBogus,
    /// The load balancer speaks TLS 1.2 only, and the environment asks for TLS 1.3.
    Tls12Only,
    /// Replicas close their listener as soon as they are told to stop, while the load
    /// balancer still routes to them (no preStop sleep).
    NoDrainDelay,
    /// Replicas are killed before they have drained (a stop timeout shorter than the time the
    /// load balancer takes to stop routing to them).
    StopTimeoutTooShort,
    /// The load balancer relies on health checks alone, and a stopping replica keeps
    /// answering 200 until it exits.
    ReadyStays200,
    /// The rollout stops every replica at once before starting new ones.
    CapacityToZero,
    /// The load balancer checks TCP only, so a new replica gets traffic before it is ready.
    NewBeforeReady,
    /// Replicas drop a kept-alive connection idle for 5 ms when the next request arrives on
    /// it, while the load balancer reuses idle connections for longer.
    BackendKeepaliveShorterThanLb,
    /// When the rollout begins, a stray target (an old deployment's replica) joins the load
    /// balancer unannounced.
    StrayTarget,
    /// The load balancer passes connections through to one replica each (an NLB, a
    /// Kubernetes Service) and the replicas never answer `Connection: close` while they
    /// drain: kept-alive clients stay pinned to a replica until it exits, and their next
    /// request on that connection is reset.
    KeepaliveLeak,
    /// The configuration the sandbox exports (its `[config]` evidence) is Pulumi's stock EKS
    /// installer's: one replica, no probes, no preStop hook, the default grace period. The
    /// deployment itself runs as usual.
    StockEksConfig,
}

impl Variant {
    pub const ALL: [Variant; 31] = [
        Variant::ExitOnSigterm,
        Variant::NoAppRecord,
        Variant::WrongLoadBalancer,
        Variant::Status500,
        Variant::DanglingCname,
        Variant::WildcardOnly,
        Variant::AuthoritativeMismatch,
        Variant::LongTtl,
        Variant::AaaaWithoutListener,
        Variant::Servfail,
        Variant::SlowDns,
        Variant::LateAppRecord,
        Variant::ExpiredCert,
        Variant::CertMissingAppSan,
        Variant::OneAddressDown,
        Variant::NoHttpRedirect,
        Variant::StripsGzip,
        Variant::SlowHealth,
        Variant::SingleZone,
        Variant::Status503Then200,
        Variant::DnssecBogus,
        Variant::Tls12Only,
        Variant::NoDrainDelay,
        Variant::StopTimeoutTooShort,
        Variant::ReadyStays200,
        Variant::CapacityToZero,
        Variant::NewBeforeReady,
        Variant::BackendKeepaliveShorterThanLb,
        Variant::StrayTarget,
        Variant::KeepaliveLeak,
        Variant::StockEksConfig,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::ExitOnSigterm => "exit-on-sigterm",
            Variant::NoAppRecord => "no-app-record",
            Variant::WrongLoadBalancer => "wrong-load-balancer",
            Variant::Status500 => "status-500",
            Variant::DanglingCname => "dangling-cname",
            Variant::WildcardOnly => "wildcard-only",
            Variant::AuthoritativeMismatch => "authoritative-mismatch",
            Variant::LongTtl => "long-ttl",
            Variant::AaaaWithoutListener => "aaaa-without-listener",
            Variant::Servfail => "servfail",
            Variant::SlowDns => "slow-dns",
            Variant::LateAppRecord => "late-app-record",
            Variant::ExpiredCert => "expired-cert",
            Variant::CertMissingAppSan => "cert-missing-app-san",
            Variant::OneAddressDown => "one-address-down",
            Variant::NoHttpRedirect => "no-http-redirect",
            Variant::StripsGzip => "strips-gzip",
            Variant::SlowHealth => "slow-health",
            Variant::SingleZone => "single-zone",
            Variant::Status503Then200 => "status-503-then-200",
            Variant::DnssecBogus => "dnssec-bogus",
            Variant::Tls12Only => "tls12-only",
            Variant::NoDrainDelay => "no-drain-delay",
            Variant::StopTimeoutTooShort => "stop-timeout-too-short",
            Variant::ReadyStays200 => "ready-stays-200",
            Variant::CapacityToZero => "capacity-to-zero",
            Variant::NewBeforeReady => "new-before-ready",
            Variant::BackendKeepaliveShorterThanLb => "backend-keepalive-shorter-than-lb",
            Variant::StrayTarget => "stray-target",
            Variant::KeepaliveLeak => "keepalive-leak",
            Variant::StockEksConfig => "stock-eks-config",
        }
    }

    /// What is broken, in one line.
    pub fn description(self) -> &'static str {
        match self {
            Variant::ExitOnSigterm => {
                "API replicas exit at once when stopped (no graceful shutdown)"
            }
            Variant::NoAppRecord => "app.{domain} has no DNS record",
            Variant::WrongLoadBalancer => "app.{domain} is a CNAME to another load balancer",
            Variant::Status500 => "/api/status answers 500 on every replica",
            Variant::DanglingCname => "app.{domain} is a CNAME to a name that does not exist",
            Variant::WildcardOnly => "api and app have no records; a wildcard answers for them",
            Variant::AuthoritativeMismatch => "the second authoritative server serves a stale zone",
            Variant::LongTtl => "api and app have a one-hour TTL",
            Variant::AaaaWithoutListener => "the load balancer's AAAA address has no listener",
            Variant::Servfail => "the DNS servers answer SERVFAIL for app.{domain}",
            Variant::SlowDns => "the DNS servers answer for app.{domain} after the query timeout",
            Variant::LateAppRecord => "app.{domain} appears 1.5 s after the sandbox starts",
            Variant::ExpiredCert => "the load balancer's certificate has expired",
            Variant::CertMissingAppSan => {
                "the load balancer's certificate does not name app.{domain}"
            }
            Variant::OneAddressDown => "one of the load balancer's addresses refuses connections",
            Variant::NoHttpRedirect => "plain HTTP serves the site instead of redirecting to HTTPS",
            Variant::StripsGzip => "the load balancer strips Content-Encoding from responses",
            Variant::SlowHealth => "/api/status answers after the probe timeout",
            Variant::SingleZone => "both API replicas run in one zone",
            Variant::Status503Then200 => {
                "/api/status answers 503 for a replica's first 2 s, then 200"
            }
            Variant::DnssecBogus => "the zone is signed with another key than the trusted one",
            Variant::Tls12Only => {
                "the load balancer speaks TLS 1.2 only; the environment asks for 1.3"
            }
            Variant::NoDrainDelay => {
                "replicas close their listener at once when stopped (no preStop sleep)"
            }
            Variant::StopTimeoutTooShort => {
                "replicas are killed before they drain (stop timeout 150 ms)"
            }
            Variant::ReadyStays200 => {
                "the load balancer relies on health checks, and stopping replicas keep answering 200"
            }
            Variant::CapacityToZero => {
                "the rollout stops every replica at once, then starts new ones"
            }
            Variant::NewBeforeReady => {
                "a TCP-only health check routes to new replicas before they are ready"
            }
            Variant::BackendKeepaliveShorterThanLb => {
                "replicas drop kept-alive connections idle for 5 ms; the load balancer reuses them"
            }
            Variant::StrayTarget => {
                "an unannounced replica joins the load balancer when the rollout begins"
            }
            Variant::KeepaliveLeak => {
                "a pass-through balancer pins kept-alive clients to replicas that never answer Connection: close while draining"
            }
            Variant::StockEksConfig => {
                "the exported configuration is Pulumi's stock EKS installer's (one replica, no probes, no preStop, default grace)"
            }
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Variant {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if let Some(refusal) = netconform_replica::renamed::refusal(text) {
            return Err(refusal);
        }
        Variant::ALL
            .into_iter()
            .find(|v| v.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Variant::ALL.iter().map(|v| v.name()).collect();
                format!(
                    "unknown sandbox variant {text:?}; the variants are: {}",
                    names.join(", ")
                )
            })
    }
}
