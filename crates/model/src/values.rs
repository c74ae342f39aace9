//! Validated values of the environment file. Each type checks itself while it is deserialized,
//! so a bad value is reported at its own line and column.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Implements `Display`, `Serialize` and a string `Deserialize` through `FromStr` whose error
/// is a `String` message.
macro_rules! string_value {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A DNS name such as `pulumi.example.com`: lowercase, no trailing dot, labels of letters,
/// digits and hyphens (underscores allowed, as in service records).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DnsName(String);

impl DnsName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `label.self`, e.g. `api.pulumi.example.com`.
    pub fn child(&self, label: &str) -> DnsName {
        DnsName(format!("{label}.{}", self.0))
    }

    /// The fully qualified form, with the trailing dot.
    pub fn fqdn(&self) -> String {
        format!("{}.", self.0)
    }
}

impl fmt::Display for DnsName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DnsName {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        const HELP: &str = "write a DNS name such as \"pulumi.example.com\"";
        if text.contains("://") || text.contains('/') {
            return Err(format!(
                "invalid DNS name {text:?}: a name has no scheme or path; {HELP}"
            ));
        }
        if text.contains(':') {
            return Err(format!(
                "invalid DNS name {text:?}: a name has no port; {HELP}"
            ));
        }
        let name = text.strip_suffix('.').unwrap_or(text).to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!("invalid DNS name {text:?}: it is empty; {HELP}"));
        }
        if name.len() > 253 {
            return Err(format!(
                "invalid DNS name {text:?}: longer than 253 characters"
            ));
        }
        for label in name.split('.') {
            if label.is_empty() {
                return Err(format!("invalid DNS name {text:?}: empty label; {HELP}"));
            }
            if label.len() > 63 {
                return Err(format!(
                    "invalid DNS name {text:?}: label {label:?} is longer than 63 characters"
                ));
            }
            if let Some(bad) = label
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
            {
                return Err(format!(
                    "invalid DNS name {text:?}: character {bad:?} is not allowed (letters, digits and '-' only; write internationalized names in their xn-- form)"
                ));
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(format!(
                    "invalid DNS name {text:?}: label {label:?} starts or ends with '-'"
                ));
            }
        }
        Ok(DnsName(name))
    }
}

string_value!(DnsName);

/// The deployment's domain: a [`DnsName`] with at least two labels (`example.com`, not `com`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain(DnsName);

impl Domain {
    pub fn name(&self) -> &DnsName {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Domain {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.contains('{') {
            return Err(format!(
                "invalid domain {text:?}: the domain is the bare name the records live under, such as \"pulumi.example.com\" (placeholders go in endpoints)"
            ));
        }
        let name: DnsName = text
            .parse()
            .map_err(|e: String| e.replacen("DNS name", "domain", 1))?;
        if !name.as_str().contains('.') {
            return Err(format!(
                "invalid domain {text:?}: a top-level name cannot hold api.{text} and app.{text} for a deployment; write the full domain, such as \"pulumi.example.com\""
            ));
        }
        Ok(Domain(name))
    }
}

string_value!(Domain);

/// A DNS server to ask: `ip:port`, `[ipv6]:port`, or a bare IP (port 53).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nameserver(pub SocketAddr);

impl fmt::Display for Nameserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Nameserver {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if let Ok(addr) = text.parse::<SocketAddr>() {
            return Ok(Nameserver(addr));
        }
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(Nameserver(SocketAddr::new(ip, 53)));
        }
        Err(format!(
            "invalid nameserver {text:?}: write an IP address and port, such as \"192.0.2.53:53\" or \"[2001:db8::53]:53\" (a name server is given by address, not by name)"
        ))
    }
}

string_value!(Nameserver);

/// Stands in for the domain while a template is checked.
const SAMPLE_DOMAIN: &str = "netconform-domain.invalid";

/// The placeholder an endpoint template must carry.
pub const DOMAIN_PLACEHOLDER: &str = "{domain}";

/// An endpoint URL template such as `https://api.{domain}` or `http://api.{domain}:8080`:
/// scheme `http` or `https`, the host containing `{domain}`, an optional port, no path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EndpointTemplate(String);

impl EndpointTemplate {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The endpoint for a domain.
    pub fn resolve(&self, domain: &Domain) -> Endpoint {
        let text = self.0.replace(DOMAIN_PLACEHOLDER, domain.as_str());
        // Checked at parse time with a placeholder domain; a valid domain keeps it valid.
        let url = url::Url::parse(&text).expect("template was validated when parsed");
        Endpoint::from_url(url).expect("template was validated when parsed")
    }
}

impl fmt::Display for EndpointTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for EndpointTemplate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if !text.contains(DOMAIN_PLACEHOLDER) {
            return Err(format!(
                "endpoint {text:?} does not contain {{domain}}; write it as a template such as \"https://api.{{domain}}\" or \"http://api.{{domain}}:8080\""
            ));
        }
        let sample = text.replace(DOMAIN_PLACEHOLDER, SAMPLE_DOMAIN);
        let url = url::Url::parse(&sample).map_err(|e| {
            format!("endpoint {text:?} is not a URL ({e}); write it as \"https://api.{{domain}}\"")
        })?;
        let host = url.host_str().unwrap_or_default();
        if !host.contains(SAMPLE_DOMAIN) {
            return Err(format!(
                "endpoint {text:?}: {{domain}} must be in the host name, such as \"https://api.{{domain}}\""
            ));
        }
        Endpoint::from_url(url).map_err(|e| format!("endpoint {text:?}: {e}"))?;
        Ok(EndpointTemplate(text.to_owned()))
    }
}

string_value!(EndpointTemplate);

/// URL scheme of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Http,
    Https,
}

/// A concrete endpoint: scheme, host name and port, e.g. `https://api.pulumi.example.com:443`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    pub scheme: Scheme,
    pub host: String,
    pub port: u16,
}

impl Endpoint {
    fn from_url(url: url::Url) -> Result<Endpoint, String> {
        let scheme = match url.scheme() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            other => {
                return Err(format!(
                    "scheme {other:?} is not supported; use https:// (or http:// for an endpoint without TLS)"
                ));
            }
        };
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err("an endpoint has no path or query; put the path in [health] path".into());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("an endpoint has no user name or password".into());
        }
        let host = url
            .host_str()
            .ok_or("an endpoint needs a host name")?
            .to_owned();
        let port = url
            .port_or_known_default()
            .ok_or("an endpoint needs a port")?;
        Ok(Endpoint { scheme, host, port })
    }

    /// `scheme://host[:port]` with the port only when it is not the scheme's default.
    pub fn origin(&self) -> String {
        let (scheme, default_port) = match self.scheme {
            Scheme::Http => ("http", 80),
            Scheme::Https => ("https", 443),
        };
        if self.port == default_port {
            format!("{scheme}://{}", self.host)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }

    /// The URL of `path` (which starts with `/`) on this endpoint.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin())
    }
}

/// An absolute HTTP path such as `/api/status`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpPath(String);

impl HttpPath {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HttpPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for HttpPath {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if !text.starts_with('/') {
            return Err(format!(
                "invalid path {text:?}: a path starts with '/', such as \"/api/status\""
            ));
        }
        if let Some(bad) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "invalid path {text:?}: character {bad:?} is not allowed; percent-encode it"
            ));
        }
        Ok(HttpPath(text.to_owned()))
    }
}

string_value!(HttpPath);

/// A file path or glob pattern (`*`, `?`, `[...]`, `**`) naming exported configuration files,
/// relative to the environment file's directory: `"deploy/*.yaml"`. Checked when the file is
/// read; expanded when the files are read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathGlob(String);

impl PathGlob {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PathGlob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PathGlob {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            return Err(
                "the path pattern is empty; write a file or a glob such as \"deploy/*.yaml\""
                    .to_owned(),
            );
        }
        glob::Pattern::new(text).map_err(|e| {
            format!("invalid path pattern {text:?}: {e}; write a file or a glob such as \"deploy/*.yaml\"")
        })?;
        Ok(PathGlob(text.to_owned()))
    }
}

string_value!(PathGlob);

/// An HTTP status code, 100 to 599.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct StatusCode(pub u16);

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        match u16::try_from(n) {
            Ok(code @ 100..=599) => Ok(StatusCode(code)),
            _ => Err(serde::de::Error::custom(format!(
                "invalid status {n}: an HTTP status is a number from 100 to 599, such as 200"
            ))),
        }
    }
}

/// A request rate in requests per second, above 0 and at most 1,000,000.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct Rate(pub f64);

impl Rate {
    pub const MAX: f64 = 1_000_000.0;

    pub fn per_second(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} req/s", self.0)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = f64::deserialize(d)?;
        if n.is_finite() && n > 0.0 && n <= Rate::MAX {
            Ok(Rate(n))
        } else {
            Err(serde::de::Error::custom(format!(
                "invalid rate {n}: requests per second must be above 0 and at most 1000000, such as 50"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: FromStr<Err = String> + fmt::Display>(input: &str, expected: Result<&str, &str>) {
        let got = input.parse::<T>().map(|v| v.to_string());
        match (got, expected) {
            (Ok(v), Ok(want)) => assert_eq!(v, want, "input {input:?}"),
            (Err(e), Err(want)) => {
                assert!(e.contains(want), "input {input:?}: {e:?} lacks {want:?}")
            }
            (got, want) => panic!("input {input:?}: got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn domains() {
        check::<Domain>("Pulumi.Example.com.", Ok("pulumi.example.com"));
        check::<Domain>("pulumi..example.com", Err("empty label"));
        check::<Domain>("com", Err("top-level name"));
        check::<Domain>("https://pulumi.example.com", Err("no scheme or path"));
        check::<Domain>("pulumi.example.com:443", Err("no port"));
        check::<Domain>("pulumi_ex ample.com", Err("character ' '"));
        check::<Domain>("-bad.example.com", Err("starts or ends with '-'"));
        check::<Domain>("{domain}", Err("placeholders go in endpoints"));
    }

    #[test]
    fn nameservers() {
        check::<Nameserver>("192.0.2.53:53", Ok("192.0.2.53:53"));
        check::<Nameserver>("192.0.2.53", Ok("192.0.2.53:53"));
        check::<Nameserver>("[::1]:5353", Ok("[::1]:5353"));
        check::<Nameserver>("ns1.example.com:53", Err("by address, not by name"));
    }

    #[test]
    fn endpoints() {
        let domain: Domain = "pulumi.example.com".parse().unwrap();
        let resolve = |t: &str| t.parse::<EndpointTemplate>().unwrap().resolve(&domain);
        assert_eq!(
            resolve("https://api.{domain}").origin(),
            "https://api.pulumi.example.com"
        );
        let ep = resolve("http://api.{domain}:8080");
        assert_eq!(
            (ep.scheme, ep.host.as_str(), ep.port),
            (Scheme::Http, "api.pulumi.example.com", 8080)
        );
        assert_eq!(
            ep.url("/api/status"),
            "http://api.pulumi.example.com:8080/api/status"
        );
        check::<EndpointTemplate>("https://api.example.com", Err("does not contain {domain}"));
        check::<EndpointTemplate>("ftp://api.{domain}", Err("scheme \"ftp\" is not supported"));
        check::<EndpointTemplate>("https://api.{domain}/v1", Err("no path"));
        check::<EndpointTemplate>(
            "https://api.example.com/{domain}",
            Err("must be in the host"),
        );
    }

    #[test]
    fn paths() {
        check::<HttpPath>("/api/status", Ok("/api/status"));
        check::<HttpPath>("api/status", Err("starts with '/'"));
    }
}
