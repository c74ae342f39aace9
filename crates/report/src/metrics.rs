//! The run as Prometheus text exposition (format 0.0.4), for node_exporter's textfile
//! collector (`--metrics FILE`) or a Pushgateway (`--push URL`): a gauge per scenario, the
//! run's start, duration and verdict, each certificate's expiry per address, and the rolling
//! restart's failed requests by kind; compared with a baseline, the new failures and the fixed
//! scenarios, so an alert fires on a regression rather than on a standing finding. Every metric is a gauge (a run is a snapshot), its
//! unit in its name as Prometheus asks (`promtool check metrics` passes it).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use netconform_model::dates::parse_rfc3339_utc;
use netconform_model::evidence::Evidence;
use netconform_model::{RunReport, Verdict};

use crate::summary::guide_section;

/// Whose metrics these are: labels every sample carries in a file. A Pushgateway adds them
/// from its grouping key instead ([`Identity::Grouped`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// `environment` and `vantage` labels on every sample (a textfile collector's file).
    Labelled,
    /// No such labels: the push URL's grouping key carries them.
    Grouped,
}

/// A label value escaped as the exposition format wants (`\\`, `\"`, `\n`).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn labels(pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

/// A verdict as report.json spells it (its serde name).
fn verdict_label(verdict: Verdict) -> String {
    serde_json::to_value(verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One metric family: its help, and its samples (labels, value).
struct Family {
    help: &'static str,
    samples: Vec<(String, f64)>,
}

/// The families being gathered, by name, and the labels every sample carries.
struct Families<'a> {
    who: Vec<(&'a str, &'a str)>,
    by_name: BTreeMap<&'static str, Family>,
}

impl Families<'_> {
    /// The labels of a sample: whose metrics these are, then `extra`.
    fn with(&self, extra: &[(&str, &str)]) -> String {
        let mut all = self.who.clone();
        all.extend_from_slice(extra);
        labels(&all)
    }

    fn add(&mut self, name: &'static str, help: &'static str, labels: String, value: f64) {
        self.by_name
            .entry(name)
            .or_insert_with(|| Family {
                help,
                samples: Vec::new(),
            })
            .samples
            .push((labels, value));
    }

    /// The exposition: each family's help, type and samples, families by name.
    fn render(self) -> String {
        let mut out = String::new();
        for (name, family) in self.by_name {
            let _ = writeln!(out, "# HELP {name} {}", family.help);
            let _ = writeln!(out, "# TYPE {name} gauge");
            for (labels, value) in family.samples {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        }
        out
    }
}

/// `report` as Prometheus text exposition.
pub fn metrics(report: &RunReport, identity: Identity) -> String {
    let vantage = report
        .vantage
        .clone()
        .unwrap_or_else(|| report.vantages.join(","));
    let who: Vec<(&str, &str)> = match identity {
        Identity::Labelled => vec![
            ("environment", report.environment.as_str()),
            ("vantage", vantage.as_str()),
        ],
        Identity::Grouped => Vec::new(),
    };
    let mut families = Families {
        who,
        by_name: BTreeMap::new(),
    };
    scenarios(&mut families, report);
    run(&mut families, report);
    certificates(&mut families, report);
    drains(&mut families, report);
    baseline(&mut families, report);
    families.render()
}

/// A gauge per scenario: passed or not, with its feature, recommendations, guide section and
/// verdict.
fn scenarios(families: &mut Families<'_>, report: &RunReport) {
    for s in &report.scenarios {
        let recommendations: Vec<&str> = s
            .tags
            .iter()
            .filter_map(|t| t.strip_prefix("rec:"))
            .collect();
        let recommendations = recommendations.join(",");
        let section = guide_section(s).map_or("", |g| g.tag());
        let verdict = verdict_label(s.verdict);
        let passed = matches!(s.verdict, Verdict::Pass);
        families.add(
            "netconform_scenario_passed",
            "1 when the scenario passed, 0 otherwise; the verdict label says which (as in report.json: pass, fail, inconclusive, waived, not-checked, skipped, not-applicable).",
            families.with(&[
                ("feature", &s.feature),
                ("scenario", &s.name),
                ("recommendation", &recommendations),
                ("guide_section", section),
                ("verdict", &verdict),
            ]),
            if passed { 1.0 } else { 0.0 },
        );
    }
}

/// The run: scenarios by verdict, its start, duration, verdict and exit code.
fn run(families: &mut Families<'_>, report: &RunReport) {
    for verdict in [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::Inconclusive,
        Verdict::Waived,
        Verdict::NotChecked,
        Verdict::Skipped,
        Verdict::NotApplicable,
    ] {
        families.add(
            "netconform_run_scenarios",
            "Scenarios of the run by verdict.",
            families.with(&[("verdict", &verdict_label(verdict))]),
            report.count(verdict) as f64,
        );
    }
    if let Some(start) = parse_rfc3339_utc(&report.started_at) {
        families.add(
            "netconform_run_start_timestamp_seconds",
            "When the run began (Unix time).",
            families.with(&[]),
            start as f64,
        );
    }
    families.add(
        "netconform_run_duration_seconds",
        "How long the run took.",
        families.with(&[]),
        report.duration_s,
    );
    families.add(
        "netconform_run_conformant",
        "1 when the run's verdict is conformant (exit 0), 0 otherwise.",
        families.with(&[]),
        if report.exit_code() == netconform_model::exit::CONFORMANT {
            1.0
        } else {
            0.0
        },
    );
    families.add(
        "netconform_run_exit_code",
        "The run's exit code: 0 conformant, 1 not conformant, 2 usage error, 3 inconclusive.",
        families.with(&[]),
        f64::from(report.exit_code()),
    );
}

/// Compared with a baseline (`--baseline`): what changed since.
fn baseline(families: &mut Families<'_>, report: &RunReport) {
    let Some(b) = &report.baseline else {
        return;
    };
    families.add(
        "netconform_baseline_new_failures",
        "Failures the baseline run did not have (same scenario, subject and reason).",
        families.with(&[]),
        b.new_failures as f64,
    );
    families.add(
        "netconform_baseline_fixed",
        "Scenarios that failed in the baseline run and no longer do.",
        families.with(&[]),
        b.fixed as f64,
    );
}

/// Each certificate's expiry per (host, address), once each (a scenario may repeat another's
/// evidence), and the time it had left at the run's start.
fn certificates(families: &mut Families<'_>, report: &RunReport) {
    let mut certificates: BTreeMap<(String, String), i64> = BTreeMap::new();
    for e in report.scenarios.iter().flat_map(|s| s.evidence()) {
        let Evidence::Tls(t) = e else {
            continue;
        };
        let Some(leaf) = t.certificates.first() else {
            continue;
        };
        let Some(expiry) = parse_rfc3339_utc(&leaf.not_after) else {
            continue;
        };
        let address = t.address.map(|a| a.to_string()).unwrap_or_default();
        certificates.insert((t.host.clone(), address), expiry);
    }
    let started = parse_rfc3339_utc(&report.started_at);
    for ((host, address), expiry) in &certificates {
        let at = families.with(&[("host", host), ("address", address)]);
        families.add(
            "netconform_certificate_expiry_timestamp_seconds",
            "When the certificate the address presented for the host expires (Unix time).",
            at.clone(),
            *expiry as f64,
        );
        if let Some(started) = started {
            families.add(
                "netconform_certificate_remaining_seconds",
                "Time left on the certificate at the run's start (days left times 86400).",
                at,
                (*expiry - started) as f64,
            );
        }
    }
}

/// Each rolling restart's load, once per URL: the requests scheduled and those that failed,
/// by failure kind.
fn drains(families: &mut Families<'_>, report: &RunReport) {
    let mut drains: Vec<(String, BTreeMap<String, u64>, u64)> = Vec::new();
    for e in report.scenarios.iter().flat_map(|s| s.evidence()) {
        let Evidence::Drain(d) = e else {
            continue;
        };
        let served = format!("status-{}", d.expect_status);
        let failed: BTreeMap<String, u64> = d
            .outcomes
            .iter()
            .filter(|(k, _)| **k != served && k.as_str() != "not-sent-on-time")
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        if !drains.iter().any(|(url, _, _)| *url == d.url) {
            drains.push((d.url.clone(), failed, d.scheduled));
        }
    }
    for (url, failed, scheduled) in &drains {
        families.add(
            "netconform_drain_scheduled_requests",
            "Requests the rolling restart's load scheduled.",
            families.with(&[("url", url)]),
            *scheduled as f64,
        );
        // Every kind the tool knows of is not listed: a failure kind that did not occur has
        // no sample; zero samples say the restart dropped nothing.
        if failed.is_empty() {
            families.add(
                "netconform_drain_failed_requests",
                "Requests that failed during the rolling restart, by failure kind.",
                families.with(&[("url", url), ("kind", "any")]),
                0.0,
            );
        }
        for (kind, n) in failed {
            families.add(
                "netconform_drain_failed_requests",
                "Requests that failed during the rolling restart, by failure kind.",
                families.with(&[("url", url), ("kind", kind)]),
                *n as f64,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(
            labels(&[("scenario", "a \"b\" \\ c\nd")]),
            r#"{scenario="a \"b\" \\ c\nd"}"#
        );
    }
}
