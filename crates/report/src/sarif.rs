//! `netconform.sarif`: the configuration findings as SARIF 2.1.0, for code scanning (GitHub,
//! GitLab) to annotate the manifests and exports in a pull request. One result per setting
//! against the guide (`error`) or questionable (`warning`), its rule the recommendation the
//! scenario checks (the guide's text and a link to its section), its place the file with the
//! line and column of the setting when they are known.

use netconform_model::evidence::Evidence;
use netconform_model::evidence::config::{Finding, FindingStatus};
use netconform_model::recommendations::{self, Recommendation};
use netconform_model::{RunReport, ScenarioResult};
use serde_json::{Value, json};

use crate::summary;

/// The networking guide, for a rule's help link.
const GUIDE_URL: &str =
    "https://www.pulumi.com/docs/administration/self-hosting/operations/networking/";

/// The SARIF rule a scenario's findings are filed under: its first recommendation, else the
/// scenario itself.
fn rule_of(s: &ScenarioResult) -> (String, Option<Recommendation>) {
    match s.tags.iter().find_map(|t| recommendations::from_tag(t)) {
        Some(r) => (r.id.to_owned(), Some(r)),
        None => (
            format!(
                "netconform/{}",
                s.name
                    .to_ascii_lowercase()
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join("-")
            ),
            None,
        ),
    }
}

fn rule(id: &str, rec: Option<Recommendation>, s: &ScenarioResult, guideline: &str) -> Value {
    let section = summary::guide_section(s);
    let anchor = section.map(|sec| {
        sec.title()
            .chars()
            .filter_map(|c| match c {
                ' ' | '-' => Some('-'),
                c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect::<String>()
    });
    let short = rec.map_or_else(|| s.name.clone(), |r| r.text.to_owned());
    let full = match rec.and_then(|r| r.source) {
        Some(source) => format!("{short} (Pulumi's {source} page). Held to: {guideline}"),
        None => format!("{short}. The guide says: {guideline}"),
    };
    json!({
        "id": id,
        "name": s.name,
        "shortDescription": { "text": short },
        "fullDescription": { "text": full },
        "helpUri": match anchor {
            Some(a) => format!("{GUIDE_URL}#{a}"),
            None => GUIDE_URL.to_owned(),
        },
        "properties": {
            "tags": s.tags,
            "guideSection": section.map(|sec| sec.title()),
        }
    })
}

fn result(rule_index: usize, id: &str, s: &ScenarioResult, f: &Finding) -> Value {
    let mut region = serde_json::Map::new();
    if let Some(line) = f.line {
        region.insert("startLine".into(), json!(line));
        if let Some(col) = f.column {
            region.insert("startColumn".into(), json!(col));
        }
    }
    let mut physical = json!({ "artifactLocation": { "uri": uri(&f.file) } });
    if !region.is_empty() {
        physical["region"] = Value::Object(region);
    }
    json!({
        "ruleId": id,
        "ruleIndex": rule_index,
        "level": if f.status == FindingStatus::Error { "error" } else { "warning" },
        "message": { "text": format!("{}: {}, expected {} ({}). {}", if f.path.is_empty() { f.file.as_str() } else { f.path.as_str() }, f.actual, f.expected, f.subject, f.guideline) },
        "locations": [ {
            "physicalLocation": physical,
            "logicalLocations": [ { "name": f.subject, "fullyQualifiedName": if f.path.is_empty() { f.subject.clone() } else { format!("{}/{}", f.file, f.path) } } ]
        } ],
        "properties": {
            "scenario": s.name,
            "feature": s.feature,
            "verdict": s.verdict.to_string(),
            "path": f.path,
            "actual": f.actual,
            "expected": f.expected,
        }
    })
}

/// A file's name as a relative URI reference: forward slashes, spaces and the like escaped.
fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for b in file.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(char::from(b));
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The SARIF 2.1.0 log of `report`'s configuration findings: `None` when the run judged no
/// configuration (no `@config` scenario had findings).
pub fn sarif(report: &RunReport) -> Option<String> {
    let mut rules: Vec<Value> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    let mut any = false;
    for s in &report.scenarios {
        let findings: Vec<&Finding> = s
            .evidence()
            .filter_map(|e| match e {
                Evidence::Config(f) => Some(f),
                _ => None,
            })
            .collect();
        if findings.is_empty() {
            continue;
        }
        any = true;
        let (id, rec) = rule_of(s);
        for f in findings
            .into_iter()
            .filter(|f| matches!(f.status, FindingStatus::Error | FindingStatus::Warning))
        {
            let index = match ids.iter().position(|i| *i == id) {
                Some(i) => i,
                None => {
                    ids.push(id.clone());
                    rules.push(rule(&id, rec, s, &f.guideline));
                    ids.len() - 1
                }
            };
            results.push(result(index, &id, s, f));
        }
    }
    if !any {
        return None;
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [ {
            "tool": { "driver": {
                "name": "netconform",
                "version": report.tool_version,
                "informationUri": "https://github.com/netconform/netconform",
                "rules": rules,
            } },
            "automationDetails": { "id": format!("netconform/{}/", report.environment) },
            "invocations": [ {
                "executionSuccessful": report.errors.is_empty(),
                "startTimeUtc": report.started_at,
            } ],
            "results": results,
        } ]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    text.push('\n');
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(
            uri("export/aws/lb attrs.json"),
            "export/aws/lb%20attrs.json"
        );
        assert_eq!(uri("deploy\\api.yaml"), "deploy/api.yaml");
    }
}
