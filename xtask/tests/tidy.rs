//! Tidy checks over the whole repository: the architecture document names every crate and its
//! dependency table holds, every crate root says what it owns, files follow the layout rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn crate_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("crates"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap()
}

/// The code map's sections: the directory its heading names in backticks (`crates/<dir>`,
/// `xtask`) -> the section's text, up to the next heading.
fn code_map_sections() -> BTreeMap<String, String> {
    let doc = architecture();
    let map = doc
        .split("\n## Code map\n")
        .nth(1)
        .expect("ARCHITECTURE.md has a Code map section");
    let map = map.split("\n## ").next().unwrap_or(map);
    let mut sections = BTreeMap::new();
    for section in map.split("\n### ").skip(1) {
        let (heading, text) = section.split_once('\n').unwrap_or((section, ""));
        if let Some(name) = heading.split('`').nth(1) {
            sections.insert(name.to_owned(), text.to_owned());
        }
    }
    sections
}

/// Every crate's directory: `crates/<dir>` for each crate, and `xtask`.
fn crates() -> Vec<String> {
    let mut all: Vec<String> = crate_dirs()
        .into_iter()
        .map(|dir| format!("crates/{dir}"))
        .collect();
    all.push("xtask".to_owned());
    all
}

#[test]
fn architecture_names_every_crate() {
    let sections = code_map_sections();
    for dir in crates() {
        assert!(
            sections.contains_key(&dir),
            "ARCHITECTURE.md's code map has no section for {dir} (a heading naming `{dir}`)"
        );
    }
}

/// The "Dependency direction" table: crate short name -> allowed workspace dependencies.
fn allowed_edges() -> BTreeMap<String, BTreeSet<String>> {
    let doc = architecture();
    let section = doc
        .split("## Dependency direction")
        .nth(1)
        .expect("ARCHITECTURE.md has a Dependency direction section");
    let mut table = BTreeMap::new();
    let rows = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    for line in rows.skip(2) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let allowed = cells[1]
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty() && !c.starts_with('('))
            .map(str::to_owned)
            .collect();
        table.insert(cells[0].to_owned(), allowed);
    }
    table
}

fn short(package: &str) -> String {
    package
        .strip_prefix("netconform-")
        .unwrap_or(package)
        .to_owned()
}

/// The workspace's packages, as `cargo metadata` describes them.
fn workspace_packages() -> Vec<serde_json::Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"].as_array().unwrap().clone()
}

#[test]
fn dependency_table_holds() {
    let packages = workspace_packages();
    let members: BTreeSet<String> = packages
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    let table = allowed_edges();
    assert!(
        !table.is_empty(),
        "ARCHITECTURE.md's dependency table is empty"
    );
    for package in &packages {
        let name = short(package["name"].as_str().unwrap());
        let allowed = table
            .get(&name)
            .unwrap_or_else(|| panic!("ARCHITECTURE.md's dependency table has no row for {name}"));
        for dep in package["dependencies"].as_array().unwrap() {
            let dep_name = dep["name"].as_str().unwrap();
            let is_dev = dep["kind"].as_str() == Some("dev");
            if !members.contains(dep_name) || is_dev {
                continue;
            }
            assert!(
                allowed.contains(&short(dep_name)),
                "{name} depends on {} but ARCHITECTURE.md allows only {allowed:?}: remove the edge, or change the design on purpose and write it down",
                short(dep_name)
            );
        }
    }
    for row in table.keys() {
        assert!(
            members.iter().any(|m| short(m) == *row),
            "ARCHITECTURE.md lists {row}, which is not a workspace crate"
        );
    }
}

/// The test helpers (moto's server, the fake kubectl, the fuzz edits, panicking helpers) stay
/// out of the shipped binary's graph: netconform-testkit is a dev-dependency or nothing.
#[test]
fn testkit_is_only_a_dev_dependency() {
    for package in workspace_packages() {
        for dep in package["dependencies"].as_array().unwrap() {
            if dep["name"].as_str() != Some("netconform-testkit") {
                continue;
            }
            let kind = dep["kind"].as_str().unwrap_or("normal");
            assert_eq!(
                kind,
                "dev",
                "{} has netconform-testkit as a {kind} dependency: test helpers are dev-dependencies only (what the product needs at run time belongs in netconform-replica or another product crate)",
                package["name"].as_str().unwrap()
            );
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn crate_roots_say_what_they_own() {
    let mut roots = vec![root().join("xtask/src/main.rs")];
    for dir in crate_dirs() {
        for file in ["lib.rs", "main.rs"] {
            let path = root().join("crates").join(&dir).join("src").join(file);
            if path.exists() {
                roots.push(path);
            }
        }
    }
    for path in roots {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("//!"),
            "{} does not open with a //! comment saying what the crate owns",
            path.display()
        );
    }
}

#[test]
fn layout_rules() {
    let mut files = Vec::new();
    for dir in ["crates", "xtask"] {
        rust_files(&root().join(dir), &mut files);
    }
    for path in files {
        let shown = path.strip_prefix(root()).unwrap().display().to_string();
        assert!(
            !shown.ends_with("/mod.rs"),
            "{shown}: use foo.rs + foo/, not mod.rs"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            if code.starts_with("#[allow(") || code.starts_with("#![allow(") {
                // The attribute, up to its closing bracket.
                let attribute: String = lines[n..]
                    .iter()
                    .scan(false, |done, l| {
                        (!*done).then(|| {
                            *done = l.trim_end().ends_with(']');
                            *l
                        })
                    })
                    .collect();
                assert!(
                    attribute.contains("reason ="),
                    "{shown}:{}: a bare #[allow]: use #[expect(lint, reason = \"...\")]",
                    n + 1
                );
            }
            let should_panic = ["#[should", "_panic"].concat();
            assert!(
                !code.starts_with(&should_panic),
                "{shown}:{}: no should_panic tests: assert on the outcome",
                n + 1
            );
            assert!(
                !code.starts_with("#[ignore]"),
                "{shown}:{}: no bare #[ignore]",
                n + 1
            );
        }
    }
}

#[test]
fn ci_script_parses_and_runs_the_readme_test_command() {
    let script = root().join(".ci/run");
    let out = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        ".ci/run does not parse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&script).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains("cargo xtask test"),
        "README.md names the test command"
    );
    let runs = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .any(|l| l.trim() == "cargo xtask ci");
    assert!(
        runs,
        ".ci/run runs `cargo xtask ci` (fmt, clippy, then `cargo xtask test`)"
    );
}

/// The names a variant file gives its variants: `Variant::X => "name"` in its `name()`
/// (each name's first arm; descriptions follow in another function).
fn variant_names(file: &str, ty: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let mut names = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix(&format!("{ty}::"))
            && let Some((_, value)) = rest.split_once(" => \"")
            && let Some(name) = value.strip_suffix("\",")
            && !name.contains(' ')
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_owned());
        }
    }
    names
}

#[test]
fn every_broken_variant_has_a_verdict_test() {
    for (variants, ty, tests) in [
        (
            "crates/sandbox/src/variant.rs",
            "Variant",
            "crates/netconform/tests/sandbox_verdicts.rs",
        ),
        (
            "crates/testbed/src/variant.rs",
            "Variant",
            "crates/netconform/tests/testbed.rs",
        ),
    ] {
        let names = variant_names(variants, ty);
        assert!(
            names.len() > 5,
            "{variants}: read no variant names: {names:?}"
        );
        let tests_text = std::fs::read_to_string(root().join(tests)).unwrap();
        for name in names {
            assert!(
                tests_text.contains(&format!("Some(\"{name}\")")),
                "{variants}: variant {name} has no verdict test in {tests} (a broken variant that is never run can pass unnoticed)"
            );
        }
    }
}

/// Steps only wire: a step function is a few lines (read the World, call one checker, hand
/// the outcome back). Longer ones hold logic that belongs in a checker crate.
const MAX_STEP_LINES: usize = 30;

#[test]
fn step_functions_stay_small() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/netconform/src/steps"), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if !(line.starts_with("#[given")
                || line.starts_with("#[when")
                || line.starts_with("#[then"))
            {
                continue;
            }
            // The function after the attribute, to its closing brace at column 0.
            let start = lines[n..]
                .iter()
                .position(|l| l.starts_with("fn ") || l.starts_with("async fn "))
                .map(|p| n + p)
                .unwrap();
            let end = lines[start..]
                .iter()
                .position(|l| *l == "}")
                .map(|p| start + p)
                .unwrap();
            assert!(
                end - start <= MAX_STEP_LINES,
                "{}:{}: a step of {} lines: steps only wire (call one checker, hand its outcome to the World); move the logic into its checker crate",
                path.display(),
                start + 1,
                end - start
            );
        }
    }
}

/// Every module of every crate, as `name.rs` (or `name/` under src).
fn modules(dir: &str) -> Vec<String> {
    let src = root().join(dir).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out: Vec<String> = files
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "lib" && m != "main")
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether `text` names `module` in one of the ways the code map's preamble lists.
fn names_module(text: &str, module: &str) -> bool {
    text.contains(&format!("`{module}`"))
        || text.contains(&format!("`{module}.rs`"))
        || text.contains(&format!("/{module}.rs"))
        || text.contains(&format!("::{module}`"))
        || text.contains(&format!("`{module}::"))
}

#[test]
fn architecture_names_every_module() {
    let sections = code_map_sections();
    let mut missing = Vec::new();
    for dir in crates() {
        let Some(section) = sections.get(&dir) else {
            missing.push(format!("{dir}: no section"));
            continue;
        };
        for module in modules(&dir) {
            if !names_module(section, &module) {
                missing.push(format!("{dir}: module {module}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map does not name these modules in their crate's own section (say what each holds there):\n{}",
        missing.join("\n")
    );
}

/// Files and functions with one job: no source file over this many lines...
const MAX_FILE_LINES: usize = 600;
/// ...and no function over this many, from its `fn` line to its closing brace.
const MAX_FN_LINES: usize = 120;

/// Whether `chars[i]` opens a word (a raw string's `r`, also after a byte string's `b`).
fn starts_word(chars: &[char], i: usize) -> bool {
    let word = |k: usize| chars[k].is_alphanumeric() || chars[k] == '_';
    match i {
        0 => true,
        1 => !word(0) || chars[0] == 'b',
        _ => !word(i - 1) || (chars[i - 1] == 'b' && !word(i - 2)),
    }
}

/// `text` with the insides of comments, strings and character literals blanked (newlines
/// kept), so braces and `fn` are only the code's.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"' | '#')) && starts_word(&chars, i) {
            // A raw string: r"..." or r#"..."# (any number of #), or br"...".
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let hashes = j - i - 1;
            out.push_str(&" ".repeat(j + 1 - i));
            i = j + 1;
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    out.push_str(&" ".repeat(hashes + 1));
                    i += hashes + 1;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}', '{'), not a lifetime ('a).
            let close = if next == Some('\\') {
                (i + 3..chars.len().min(i + 12)).find(|&k| chars[k] == '\'')
            } else {
                (chars.get(i + 2) == Some(&'\'')).then_some(i + 2)
            };
            match close {
                Some(end) => {
                    out.push_str(&" ".repeat(end + 1 - i));
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The functions of `text` longer than [`MAX_FN_LINES`]: (line of `fn`, lines, name).
fn long_functions(text: &str) -> Vec<(usize, usize, String)> {
    let code = code_only(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut long = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        // `fn` after the qualifiers a signature may open with (pub, pub(crate), async, ...).
        let Some(at) = words.iter().position(|w| *w == "fn") else {
            continue;
        };
        let qualifiers_only = words[..at].iter().all(|w| {
            w.starts_with("pub") || ["async", "const", "unsafe", "extern", "default"].contains(w)
        });
        if !qualifiers_only || at + 1 >= words.len() {
            continue;
        }
        let name: String = words[at + 1]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The body: from the first `{` (a `;` first is a declaration without one) to its
        // matching `}`.
        let mut depth = 0usize;
        let mut end = None;
        'scan: for (m, l) in lines.iter().enumerate().skip(n) {
            for ch in l.chars() {
                match ch {
                    ';' if depth == 0 => break 'scan,
                    '{' => depth += 1,
                    '}' if depth == 1 => {
                        end = Some(m);
                        break 'scan;
                    }
                    '}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        if let Some(end) = end {
            let count = end - n + 1;
            if count > MAX_FN_LINES {
                long.push((n + 1, count, name));
            }
        }
    }
    long
}

#[test]
fn the_function_counter_skips_strings_and_comments() {
    let text = "fn a() {\n    let s = \"}\";\n    let c = '}';\n    let q = '\\'';\n    let b = br\"}\";\n    // }\n    /* } */\n    let r = r#\"}\"#;\n    x::<'a>();\n}\n";
    let code = code_only(text);
    assert_eq!(code.lines().count(), text.lines().count());
    assert_eq!(code.matches('}').count(), 1, "{code}");
    let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
    let long = format!("pub(crate) async fn long() {{\n{body}}}\nfn short() {{}}\n");
    assert_eq!(
        long_functions(&long),
        vec![(1, MAX_FN_LINES + 2, "long".to_owned())]
    );
}

#[test]
fn files_and_functions_have_one_job() {
    let mut files = Vec::new();
    rust_files(&root().join("xtask/src"), &mut files);
    for dir in crate_dirs() {
        for sub in ["src", "benches"] {
            let path = root().join("crates").join(&dir).join(sub);
            if path.is_dir() {
                rust_files(&path, &mut files);
            }
        }
    }
    files.sort();
    let mut offenders = Vec::new();
    for path in files {
        let shown = path.strip_prefix(root()).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            offenders.push(format!(
                "{shown}:1: {lines} lines, over {MAX_FILE_LINES}: split it by job (foo.rs + foo/)"
            ));
        }
        for (line, count, name) in long_functions(&text) {
            offenders.push(format!(
                "{shown}:{line}: fn {name} is {count} lines, over {MAX_FN_LINES}: split it into functions that each do one named thing"
            ));
        }
    }
    assert!(
        offenders.is_empty(),
        "files and functions with one job:\n{}",
        offenders.join("\n")
    );
}
