//! HAProxy's own counters, read from its statistics page as CSV (`stats uri`, then `;csv`):
//! retries (`wretr`) and redispatches (`wredis`) summed over its backends. A load balancer
//! that retries a failed request on another server hides the failure from the client; the
//! counters before and after a restart show what it hid.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use netconform_model::haproxy::{StatsTable, answer_body};
use netconform_net::Resolver;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Most bytes read from a statistics page.
const MAX_PAGE: u64 = 4 * 1024 * 1024;

/// Counters summed over every backend (rows whose `svname` is `BACKEND`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HaproxyCounters {
    /// `wretr`: connection attempts and layer-7 retries.
    pub retries: u64,
    /// `wredis`: retries sent to another server.
    pub redispatches: u64,
    /// The backends counted.
    pub backends: usize,
}

impl HaproxyCounters {
    /// What happened between `self` (before) and `after`; a restarted HAProxy (counters that
    /// went down) counts from zero.
    pub fn since(self, after: HaproxyCounters) -> HaproxyCounters {
        let delta = |before: u64, now: u64| now.checked_sub(before).unwrap_or(now);
        HaproxyCounters {
            retries: delta(self.retries, after.retries),
            redispatches: delta(self.redispatches, after.redispatches),
            backends: after.backends,
        }
    }
}

/// Why the counters could not be read. Reads after "failed to".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatsError {
    #[error("read HAProxy's statistics at {url}: {why}")]
    Fetch { url: String, why: String },
    #[error("understand HAProxy's statistics at {url}: {why}")]
    Parse { url: String, why: String },
}

/// Sums `wretr` and `wredis` over the `BACKEND` rows of HAProxy's CSV statistics.
pub fn parse_csv(text: &str) -> Result<HaproxyCounters, String> {
    let table = StatsTable::parse(text)?;
    let (sv, retr, redis) = (
        table.column("svname")?,
        table.column("wretr")?,
        table.column("wredis")?,
    );
    let mut counters = HaproxyCounters::default();
    for fields in table.rows() {
        if fields.get(sv) != Some(&"BACKEND") {
            continue;
        }
        let number = |i: usize| -> Result<u64, String> {
            let text = fields.get(i).copied().unwrap_or("");
            if text.is_empty() {
                return Ok(0);
            }
            text.parse()
                .map_err(|_| format!("{:?} is not a count in {:?}", text, fields.join(",")))
        };
        counters.retries += number(retr)?;
        counters.redispatches += number(redis)?;
        counters.backends += 1;
    }
    if counters.backends == 0 {
        return Err("no BACKEND row".into());
    }
    Ok(counters)
}

/// Reads the counters from `url` (plain HTTP; a host name is resolved through `resolver`).
pub async fn fetch(
    url: &str,
    resolver: &Resolver,
    timeout: Duration,
) -> Result<HaproxyCounters, StatsError> {
    let fetch_err = |why: String| StatsError::Fetch {
        url: url.to_owned(),
        why,
    };
    let parsed = url::Url::parse(url).map_err(|e| fetch_err(e.to_string()))?;
    let host = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(url::Host::Domain(name)) => *resolver
            .lookup_ips(name)
            .await
            .map_err(|e| fetch_err(e.to_string()))?
            .first()
            .ok_or_else(|| fetch_err(format!("{name} has no address")))?,
        None => return Err(fetch_err("no host".into())),
    };
    let addr = SocketAddr::new(host, parsed.port_or_known_default().unwrap_or(80));
    let mut target = parsed.path().to_owned();
    if let Some(query) = parsed.query() {
        target.push('?');
        target.push_str(query);
    }
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        let request = format!(
            "GET {target} HTTP/1.0\r\nHost: {}\r\nUser-Agent: netconform\r\n\r\n",
            parsed.host_str().unwrap_or_default()
        );
        stream.write_all(request.as_bytes()).await?;
        let mut page = Vec::new();
        stream.take(MAX_PAGE).read_to_end(&mut page).await?;
        Ok::<_, std::io::Error>(page)
    };
    let page = tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| fetch_err(format!("no answer within {timeout:?}")))?
        .map_err(|e| fetch_err(e.to_string()))?;
    let body = answer_body(&String::from_utf8_lossy(&page)).map_err(fetch_err)?;
    parse_csv(&body).map_err(|why| StatsError::Parse {
        url: url.to_owned(),
        why,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// HAProxy 2.6's CSV, cut to the first columns and the ones read.
    const PAGE: &str = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status\n\
        web,FRONTEND,,,1,2,262124,13,0,0,0,0,0,,,,,OPEN\n\
        api,zone-a,0,0,0,1,,6,0,0,,0,,0,0,4,8,UP\n\
        api,zone-b,0,0,0,1,,7,0,0,,0,,0,0,4,9,UP\n\
        api,BACKEND,0,0,0,2,,13,0,0,0,0,,0,0,8,17,UP\n\
        stats,FRONTEND,,,0,1,262124,2,0,0,0,0,0,,,,,OPEN\n\
        stats,BACKEND,0,0,0,0,,0,0,0,0,0,,0,0,0,0,UP\n";

    fn check(text: &str, expected: Result<(u64, u64, usize), &str>) {
        match (parse_csv(text), expected) {
            (Ok(c), Ok((retries, redispatches, backends))) => assert_eq!(
                (c.retries, c.redispatches, c.backends),
                (retries, redispatches, backends)
            ),
            (Err(e), Err(want)) => assert!(e.contains(want), "{e} lacks {want}"),
            (got, want) => panic!("got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn backend_rows_are_summed_and_server_rows_left_out() {
        check(PAGE, Ok((8, 17, 2)));
        check(
            "# pxname,svname,wretr,wredis\napi,BACKEND,,\n",
            Ok((0, 0, 1)),
        );
        check(
            "<html>stats</html>",
            Err("no \"# pxname,svname,...\" header"),
        );
        check(
            "# pxname,svname,wretr\napi,BACKEND,1\n",
            Err("no wredis column"),
        );
        check(
            "# pxname,svname,wretr,wredis\napi,zone-a,1,1\n",
            Err("no BACKEND row"),
        );
        check(
            "# pxname,svname,wretr,wredis\napi,BACKEND,x,1\n",
            Err("\"x\" is not a count"),
        );
    }

    #[test]
    fn a_restarted_haproxy_counts_from_zero() {
        let before = HaproxyCounters {
            retries: 10,
            redispatches: 5,
            backends: 2,
        };
        let after = HaproxyCounters {
            retries: 14,
            redispatches: 5,
            backends: 2,
        };
        assert_eq!(before.since(after).retries, 4);
        assert_eq!(before.since(after).redispatches, 0);
        let restarted = HaproxyCounters {
            retries: 3,
            redispatches: 1,
            backends: 2,
        };
        assert_eq!(before.since(restarted).retries, 3);
    }
}
