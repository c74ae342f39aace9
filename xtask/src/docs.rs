//! `cargo xtask docs [--check]`: renders features/*.feature into docs/conformance.md, the table
//! of the guide's recommendations, the scenarios that check them, what each enforces and how
//! it fails, and the recommendations not checked yet. `--check` fails when the committed file
//! is stale.
//!
//! Feature files are read by hand (tags, Feature:, Scenario:, and the scenario's
//! `Enforces:` and `Fails when:` description lines): no Gherkin crate needed.

use std::fmt::Write as _;
use std::path::Path;

use netconform_guide::Section;
use netconform_guide::recommendations::{self, Recommendation};

const OUTPUT: &str = "docs/conformance.md";
const GUIDE_URL: &str =
    "https://www.pulumi.com/docs/administration/self-hosting/operations/networking/";

/// A scenario as the living docs need it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scenario {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) feature: String,
    pub(crate) name: String,
    /// Its feature's tags, then its own, without the `@`.
    pub(crate) tags: Vec<String>,
    pub(crate) enforces: String,
    pub(crate) fails_when: String,
    /// A `@hardening` scenario's `Source:` line: where the advice comes from.
    pub(crate) source: String,
}

impl Scenario {
    /// The guide section it checks: its most specific `@guide:` tag.
    pub(crate) fn section(&self) -> Option<Section> {
        self.tags.iter().rev().find_map(|t| Section::from_tag(t))
    }

    /// The tool's own advice (`@hardening`), not one of the guide's requirements.
    pub(crate) fn is_hardening(&self) -> bool {
        self.tags.iter().any(|t| t == "hardening")
    }

    pub(crate) fn recommendations(&self) -> Vec<Recommendation> {
        self.tags
            .iter()
            .filter_map(|t| recommendations::from_tag(t))
            .collect()
    }
}

/// Which description field continuation lines belong to.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Prose,
    Enforces,
    FailsWhen,
    Source,
}

fn is_step(line: &str) -> bool {
    ["Given ", "When ", "Then ", "And ", "But ", "* "]
        .iter()
        .any(|k| line.starts_with(k))
}

/// The scenarios of one feature file, and the problems that keep one out of the docs (each
/// `file:line: what is wrong; how to fix it`).
pub(crate) fn parse(file: &str, text: &str) -> (Vec<Scenario>, Vec<String>) {
    let scenarios = read_scenarios(file, text);
    let problems = scenarios.iter().flat_map(problems).collect();
    (scenarios, problems)
}

/// The scenarios of one feature file, with their tags (the feature's, then their own) and
/// the description lines the docs show.
fn read_scenarios(file: &str, text: &str) -> Vec<Scenario> {
    let mut scenarios: Vec<Scenario> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut inherited: Vec<String> = Vec::new();
    let mut feature = String::new();
    // The scenario whose description is being read.
    let mut open: Option<(Scenario, Field)> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('@') {
            pending.extend(
                line.split_whitespace()
                    .map(|t| t.trim_start_matches('@').to_owned()),
            );
            continue;
        }
        let keyword = |k: &str| line.strip_prefix(k).map(str::trim);
        if let Some(name) = keyword("Feature:") {
            feature = name.to_owned();
            inherited = std::mem::take(&mut pending);
            continue;
        }
        if let Some(name) = keyword("Scenario:")
            .or_else(|| keyword("Scenario Outline:"))
            .or_else(|| keyword("Example:"))
        {
            scenarios.extend(open.take().map(|(s, _)| s));
            let mut tags = inherited.clone();
            tags.append(&mut pending);
            open = Some((
                Scenario {
                    file: file.to_owned(),
                    line: n + 1,
                    feature: feature.clone(),
                    name: name.to_owned(),
                    tags,
                    enforces: String::new(),
                    fails_when: String::new(),
                    source: String::new(),
                },
                Field::Prose,
            ));
            continue;
        }
        if keyword("Background:").is_some() || keyword("Rule:").is_some() {
            scenarios.extend(open.take().map(|(s, _)| s));
            pending.clear();
            continue;
        }
        let Some((scenario, field)) = &mut open else {
            continue;
        };
        if is_step(line) || line.starts_with('|') || line.starts_with("\"\"\"") {
            scenarios.extend(open.take().map(|(s, _)| s));
            continue;
        }
        let (target, text) = if let Some(rest) = keyword("Enforces:") {
            *field = Field::Enforces;
            (Field::Enforces, rest)
        } else if let Some(rest) = keyword("Fails when:") {
            *field = Field::FailsWhen;
            (Field::FailsWhen, rest)
        } else if let Some(rest) = keyword("Source:") {
            *field = Field::Source;
            (Field::Source, rest)
        } else {
            (*field, line)
        };
        let slot = match target {
            Field::Prose => continue,
            Field::Enforces => &mut scenario.enforces,
            Field::FailsWhen => &mut scenario.fails_when,
            Field::Source => &mut scenario.source,
        };
        if !slot.is_empty() {
            slot.push(' ');
        }
        slot.push_str(text);
    }
    scenarios.extend(open.map(|(s, _)| s));
    scenarios
}

/// What keeps `s` out of the docs: no guide section, an unknown section or recommendation, a
/// recommendation or source missing, no `Enforces:` or `Fails when:` line.
fn problems(s: &Scenario) -> Vec<String> {
    let mut problems = Vec::new();
    let at = format!("{}:{}: scenario {:?}", s.file, s.line, s.name);
    if s.section().is_none() {
        let sections: Vec<String> = Section::ALL
            .iter()
            .map(|s| format!("@guide:{}", s.tag()))
            .collect();
        problems.push(format!(
            "{at} names no guide section: tag it (or its feature) with one of {}",
            sections.join(", ")
        ));
    }
    for tag in s.tags.iter().filter(|t| t.starts_with("guide:")) {
        if Section::from_tag(tag).is_none() {
            problems.push(format!("{at}: @{tag} is not a section of the guide"));
        }
    }
    for tag in s.tags.iter().filter(|t| t.starts_with("rec:")) {
        if recommendations::from_tag(tag).is_none() {
            problems.push(format!(
                "{at}: @{tag} is no recommendation; the ids are in crates/model/src/recommendations.rs"
            ));
        }
    }
    if s.is_hardening() {
        if !s.recommendations().is_empty() {
            problems.push(format!(
                "{at} is @hardening, netconform's own advice: it cites no @rec:<id> of the guide (drop the @rec tags, or the @hardening tag if the guide asks for it)"
            ));
        }
        if s.source.is_empty() {
            problems.push(format!(
                "{at} is @hardening but names no source: add a `Source: <RFC, vendor page or common practice>` line under it"
            ));
        }
    } else if s.recommendations().is_empty() {
        problems.push(format!(
            "{at} cites no recommendation: add an @rec:<id> tag (ids in crates/model/src/recommendations.rs), or tag it @hardening with a `Source:` line if it is netconform's own advice"
        ));
    }
    if s.enforces.is_empty() {
        problems.push(format!(
            "{at} does not say what it enforces: add an `Enforces: <the value checked>` line under it"
        ));
    }
    if s.fails_when.is_empty() {
        problems.push(format!(
            "{at} does not say how it fails: add a `Fails when: ...` line under it"
        ));
    }
    problems
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// docs/conformance.md for these scenarios.
pub(crate) fn render(scenarios: &[Scenario]) -> String {
    let covered = |r: &Recommendation| scenarios.iter().any(|s| s.recommendations().contains(r));
    let n_covered = recommendations::ALL.iter().filter(|r| covered(r)).count();
    let mut out = String::new();
    out.push_str("# What netconform checks\n\n");
    out.push_str("<!-- Generated by `cargo xtask docs` from features/*.feature and crates/model/src/recommendations.rs: edit those, then run `cargo xtask docs`. -->\n\n");
    let _ = writeln!(
        out,
        "Every recommendation of Pulumi's self-hosting [networking guide]({GUIDE_URL}) (and of the pages it\n\
         links to), the scenarios of `features/` that check it, what each enforces and how it fails.\n\
         Each scenario names its guide section with a `@guide:<section>` tag and the recommendations it\n\
         checks with `@rec:<id>` tags. {n_covered} of {} recommendations are checked; the others are\n\
         listed under [Not checked yet](#not-checked-yet).\n",
        recommendations::ALL.len()
    );
    for section in Section::ALL {
        let recs: Vec<&Recommendation> = recommendations::ALL
            .iter()
            .filter(|r| r.section == section && covered(r))
            .collect();
        let _ = writeln!(out, "## {}\n", section.title());
        if recs.is_empty() {
            out.push_str("Nothing of this section is checked yet.\n\n");
            continue;
        }
        out.push_str("| guide recommendation | scenario | what is checked | how it fails |\n");
        out.push_str("|---|---|---|---|\n");
        for r in recs {
            let mut first = true;
            for s in scenarios.iter().filter(|s| s.recommendations().contains(r)) {
                let recommendation = if first {
                    let source = r.source.map(|p| format!(" ({p})")).unwrap_or_default();
                    format!("{}{source} `@rec:{}`", r.text, r.id)
                } else {
                    String::new()
                };
                first = false;
                let _ = writeln!(
                    out,
                    "| {} | [{}](../{}#L{}) ({}) | {} | {} |",
                    cell(&recommendation),
                    cell(&s.name),
                    s.file,
                    s.line,
                    cell(&s.feature),
                    cell(&s.enforces),
                    cell(&s.fails_when)
                );
            }
        }
        out.push('\n');
    }
    let hardening: Vec<&Scenario> = scenarios.iter().filter(|s| s.is_hardening()).collect();
    out.push_str("## Hardening: netconform's advice beyond the guide\n\n");
    out.push_str("Checks the guide does not ask for, each tagged `@hardening` with its source. They are\nlisted apart in every report; `--tags 'not @hardening'` runs the guide's requirements alone.\n\n");
    if hardening.is_empty() {
        out.push_str("None.\n\n");
    } else {
        out.push_str("| scenario | source | what is checked | how it fails |\n|---|---|---|---|\n");
        for s in hardening {
            let _ = writeln!(
                out,
                "| [{}](../{}#L{}) ({}) | {} | {} | {} |",
                cell(&s.name),
                s.file,
                s.line,
                cell(&s.feature),
                cell(&s.source),
                cell(&s.enforces),
                cell(&s.fails_when)
            );
        }
        out.push('\n');
    }
    out.push_str("## Not checked yet\n\n");
    let missing: Vec<&Recommendation> = recommendations::ALL
        .iter()
        .filter(|r| !covered(r))
        .collect();
    if missing.is_empty() {
        out.push_str("Every recommendation is checked.\n");
    } else {
        out.push_str("| guide section | recommendation | id |\n|---|---|---|\n");
        for r in missing {
            let _ = writeln!(
                out,
                "| {} | {} | `@rec:{}` |",
                r.section.title(),
                cell(r.text),
                r.id
            );
        }
    }
    out
}

/// Every feature file under `root/features`, parsed, in file-name order.
fn read_features(root: &Path) -> Result<(Vec<Scenario>, Vec<String>), String> {
    let dir = root.join("features");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("failed to read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "feature"))
        .collect();
    files.sort();
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("failed to read {}: {e}", path.display()))?;
        let name = format!(
            "features/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let (mut s, mut p) = parse(&name, &text);
        scenarios.append(&mut s);
        problems.append(&mut p);
    }
    Ok((scenarios, problems))
}

/// Whether the committed file is the generated one; `Err` says what to do.
pub(crate) fn check_current(generated: &str, committed: Option<&str>) -> Result<(), String> {
    match committed {
        Some(text) if text == generated => Ok(()),
        Some(_) => Err(format!(
            "{OUTPUT} is stale: the features or the recommendations changed; run `cargo xtask docs` and commit"
        )),
        None => Err(format!(
            "{OUTPUT} is missing: run `cargo xtask docs` and commit"
        )),
    }
}

/// The hand-written list of the platforms' features since the guide, appended to [`OUTPUT`].
const PLATFORM_CHANGES: &str = "features/platform-changes.md";

/// The task. `Err(exit code)` after saying why.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), i32> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            crate::say("xtask: usage: cargo xtask docs [--check]");
            return Err(2);
        }
    };
    let (scenarios, problems) = read_features(root).map_err(|e| {
        crate::say(&format!("xtask: {e}"));
        1
    })?;
    if !problems.is_empty() {
        for p in &problems {
            crate::say(p);
        }
        crate::say(&format!(
            "xtask: {} problem(s) in features/: each scenario names its guide section, the recommendations it checks, what it enforces and how it fails",
            problems.len()
        ));
        return Err(1);
    }
    let mut generated = render(&scenarios);
    // The platforms' features the guide predates, written by hand beside the features.
    if let Ok(appendix) = std::fs::read_to_string(root.join(PLATFORM_CHANGES)) {
        generated.push('\n');
        generated.push_str(&appendix);
    }
    let path = root.join(OUTPUT);
    if check {
        let committed = std::fs::read_to_string(&path).ok();
        return check_current(&generated, committed.as_deref()).map_err(|e| {
            crate::say(&format!("xtask: {e}"));
            1
        });
    }
    std::fs::write(&path, &generated).map_err(|e| {
        crate::say(&format!("xtask: failed to write {}: {e}", path.display()));
        1
    })?;
    crate::say(&format!(
        "xtask: wrote {OUTPUT} ({} scenarios)",
        scenarios.len()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEATURE: &str = r#"@drain @guide:graceful-shutdown
Feature: Restart
  Prose about the feature.

  @rec:in-flight-requests
  Scenario: No request fails
    Some prose first.
    Enforces: zero failed requests
    while every instance is replaced.
    Fails when: any request fails.
    Given load
    Then no request fails

  @guide:multi-az @rec:multi-az @rec:nope
  Scenario: Two zones
    Then two zones answer

  @hardening
  Scenario: Short TTLs
    Source: common practice.
    Enforces: TTLs of at most 5 minutes.
    Fails when: a TTL is longer.
    Then the TTLs are short

  @hardening @rec:multi-az
  Scenario: Advice in disguise
    Enforces: e.
    Fails when: f.
    Then x
"#;

    #[test]
    fn scenarios_carry_their_section_recommendations_and_lines() {
        let (scenarios, problems) = parse("features/x.feature", FEATURE);
        assert_eq!(scenarios.len(), 4);
        assert!(scenarios[2].is_hardening());
        assert_eq!(scenarios[2].source, "common practice.");
        let first = &scenarios[0];
        assert_eq!((first.line, first.name.as_str()), (6, "No request fails"));
        assert_eq!(first.section(), Some(Section::GracefulShutdown));
        assert_eq!(
            first.enforces,
            "zero failed requests while every instance is replaced."
        );
        assert_eq!(first.fails_when, "any request fails.");
        assert_eq!(first.recommendations()[0].id, "in-flight-requests");
        // The scenario's own @guide tag wins over its feature's.
        assert_eq!(scenarios[1].section(), Some(Section::MultiAz));
        assert_eq!(
            problems,
            [
                "features/x.feature:15: scenario \"Two zones\": @rec:nope is no recommendation; the ids are in crates/model/src/recommendations.rs",
                "features/x.feature:15: scenario \"Two zones\" does not say what it enforces: add an `Enforces: <the value checked>` line under it",
                "features/x.feature:15: scenario \"Two zones\" does not say how it fails: add a `Fails when: ...` line under it",
                "features/x.feature:26: scenario \"Advice in disguise\" is @hardening, netconform's own advice: it cites no @rec:<id> of the guide (drop the @rec tags, or the @hardening tag if the guide asks for it)",
                "features/x.feature:26: scenario \"Advice in disguise\" is @hardening but names no source: add a `Source: <RFC, vendor page or common practice>` line under it",
            ]
        );
        let (_, problems) = parse(
            "features/y.feature",
            "Feature: Bare\n  Scenario: S\n    Enforces: e\n    Fails when: f\n    Then x\n",
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains("names no guide section"),
            "{problems:?}"
        );
        assert!(
            problems[1].contains("cites no recommendation"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_table_links_scenarios_and_lists_what_is_not_checked() {
        let (scenarios, _) = parse("features/x.feature", FEATURE);
        let doc = render(&scenarios[..1]);
        let with_hardening = render(&scenarios[..3]);
        assert!(
            with_hardening.contains("| [Short TTLs](../features/x.feature#L19) (Restart) | common practice. | TTLs of at most 5 minutes. | a TTL is longer. |"),
            "{with_hardening}"
        );
        assert!(doc.contains(
            "| When scaling in or deploying updates, containers have time to finish in-flight requests `@rec:in-flight-requests` | [No request fails](../features/x.feature#L6) (Restart) | zero failed requests while every instance is replaced. | any request fails. |"
        ), "{doc}");
        assert!(doc.contains("| Network architecture | One NAT gateway per AZ, to avoid cross-AZ NAT bottlenecks | `@rec:nat-per-az` |"), "{doc}");
        assert!(
            doc.contains("## Multi-AZ deployment\n\nNothing of this section is checked yet."),
            "{doc}"
        );
        assert!(doc.contains("1 of 23 recommendations are checked"), "{doc}");
    }

    #[test]
    fn a_stale_file_fails_the_check_with_the_fix() {
        assert_eq!(check_current("a", Some("a")), Ok(()));
        assert_eq!(
            check_current("a", Some("b")),
            Err("docs/conformance.md is stale: the features or the recommendations changed; run `cargo xtask docs` and commit".into())
        );
        assert!(check_current("a", None).unwrap_err().contains("is missing"));
    }
}
