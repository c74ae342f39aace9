//! The longest a run can take with its settings: every step of the features has its own
//! bound (a probe its `health.timeout`, a DNS step its `dns.check_timeout`, the grace period
//! its deadline, the rolling restart `drain.max_duration` and two settles), and the worst
//! case is their sum. docs/environment.md states the same formula.

use std::time::Duration;

use netconform_model::{Environment, HumanDuration};

/// The worst case and what it is made of, largest part first.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WorstCase {
    pub(crate) total: Duration,
    pub(crate) parts: Vec<(String, Duration)>,
}

impl WorstCase {
    /// "up to 27m10s: the rolling restart 10m20s, 20 probes in a row 3m39s, ...".
    pub(crate) fn describe(&self) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|(what, d)| format!("{what} {}", HumanDuration(*d)))
            .collect();
        format!("up to {}: {}", HumanDuration(self.total), parts.join(", "))
    }
}

/// The number before `unit` in `line` ("within 120 seconds" -> 120 for "seconds").
fn number_before(line: &str, unit: &str) -> Option<u64> {
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(2)
        .find(|w| w[1].starts_with(unit))
        .and_then(|w| w[0].parse().ok())
}

/// What one step can take at most, and under which part it is counted.
fn bound(env: &Environment, feature_tags: &[String], step: &str) -> Option<(String, Duration)> {
    let (timeout, interval) = (env.health.timeout.get(), env.health.interval.get());
    let drain = &env.drain;
    if let Some(n) = number_before(step, "times") {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let each = timeout + interval;
        return Some((format!("{n} probes in a row"), each.saturating_mul(n)));
    }
    let within = number_before(step, "second")
        .map(Duration::from_secs)
        .or_else(|| number_before(step, "minute").map(|m| Duration::from_secs(m * 60)));
    if step.contains(" within ")
        && let Some(limit) = within
    {
        // A deadline, and the probe that was in flight when it passed.
        return Some(("the grace period's deadline".into(), limit + timeout));
    }
    if step.contains("restarted one instance at a time") {
        let most = drain.max_duration.get() + drain.settle.get() + drain.request_timeout.get();
        return Some(("the rolling restart".into(), most));
    }
    if step.contains("requested at the configured rate") {
        return Some(("the rolling restart".into(), drain.settle.get()));
    }
    let tagged = |tag: &str| feature_tags.iter().any(|t| t == tag);
    if tagged("dns") {
        return Some(("DNS steps".into(), env.dns.check_timeout.get()));
    }
    if tagged("tls") || tagged("health") {
        if step.contains("zones") {
            let probes = (env.health.min_zones * 5).max(10);
            return Some(("probe steps".into(), timeout.saturating_mul(probes)));
        }
        return Some(("probe steps".into(), timeout));
    }
    // The configuration steps read files.
    None
}

/// The worst case of running every step of `texts` with `env`'s settings.
pub(crate) fn worst_case<'a>(env: &Environment, texts: impl Iterator<Item = &'a str>) -> WorstCase {
    let mut parts: Vec<(String, Duration)> = Vec::new();
    for text in texts {
        crate::features::each_line(text, |feature_tags, _, line| {
            let is_step = ["Given ", "When ", "Then ", "And ", "But "]
                .iter()
                .any(|k| line.starts_with(k));
            if !is_step {
                return;
            }
            if let Some((what, d)) = bound(env, feature_tags, line) {
                match parts.iter_mut().find(|(w, _)| *w == what) {
                    Some((_, sum)) => *sum += d,
                    None => parts.push((what, d)),
                }
            }
        });
    }
    parts.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    WorstCase {
        total: parts.iter().map(|(_, d)| *d).sum(),
        parts,
    }
}

/// Prints the run's worst case at its start when it exceeds a minute, and what bounds it.
pub(crate) fn announce(env: &Environment, texts: &[String], limit: Option<Duration>) {
    let worst = worst_case(env, texts.iter().map(String::as_str));
    if worst.total <= Duration::from_secs(60) {
        return;
    }
    let bounded = match limit {
        Some(limit) if limit < worst.total => {
            format!("; --timeout ends it after {}", HumanDuration(limit))
        }
        Some(_) => String::new(),
        None => "; --timeout bounds it".into(),
    };
    crate::note(&format!(
        "worst case for this run {}{bounded}",
        worst.describe()
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::BUILT_IN;

    fn env() -> Environment {
        Environment::new("example.com".parse().unwrap())
    }

    fn of(env: &Environment) -> WorstCase {
        worst_case(env, BUILT_IN.iter().map(|(_, text)| *text))
    }

    fn part(worst: &WorstCase, what: &str) -> Duration {
        worst
            .parts
            .iter()
            .find(|(w, _)| w == what)
            .map(|(_, d)| *d)
            .unwrap_or_else(|| panic!("no {what:?} in {worst:?}"))
    }

    #[test]
    fn the_built_in_features_with_the_defaults() {
        let worst = of(&env());
        // drain.max_duration 10m, plus two settles of 5 s and the request timeout of 10 s.
        assert_eq!(
            part(&worst, "the rolling restart"),
            Duration::from_secs(620)
        );
        // 20 probes of health.timeout 10 s, each followed by health.interval 1 s.
        assert_eq!(part(&worst, "20 probes in a row"), Duration::from_secs(220));
        // The guide's 120 s, plus the probe in flight at the deadline.
        assert_eq!(
            part(&worst, "the grace period's deadline"),
            Duration::from_secs(130)
        );
        assert!(part(&worst, "DNS steps") >= Duration::from_secs(30));
        assert_eq!(
            worst.total,
            worst.parts.iter().map(|(_, d)| *d).sum::<Duration>()
        );
        assert!(
            worst.describe().starts_with("up to "),
            "{}",
            worst.describe()
        );
    }

    #[test]
    fn it_follows_the_settings() {
        let mut fast = env();
        fast.health.timeout = HumanDuration::from_secs(1);
        fast.drain.max_duration = HumanDuration::from_secs(60);
        let (slow, fast) = (of(&env()), of(&fast));
        assert!(fast.total < slow.total, "{fast:?} vs {slow:?}");
        assert_eq!(part(&fast, "20 probes in a row"), Duration::from_secs(40));
    }
}
