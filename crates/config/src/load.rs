//! Finding and parsing the input files: globs expanded relative to the environment file's
//! directory, YAML (multi-document) or JSON, each document handed to its format
//! ([`crate::formats`]; Kubernetes objects straight to their reader), the joins made once
//! every file is read.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use netconform_model::environment::ConfigSettings;
use netconform_model::values::PathGlob;
use serde_json::Value;

use netconform_model::inputs::DeniedCalls;

use crate::ConfigError;
use crate::formats::{aws_cli, az_cli, gcloud, stack_export};
use crate::node::{Loc, Node};
use crate::resources::{Reading, denied, kubernetes};
use crate::view::{Deployment, Input};

/// Files larger than this are refused: no export of a deployment is that big.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads every file `settings` names into one view.
pub fn load(settings: &ConfigSettings, base_dir: &Path) -> Result<Deployment, ConfigError> {
    let mut r = Reading::default();
    for (file, shown) in expand("kubernetes", &settings.kubernetes, base_dir)? {
        let text = read_text(&file, &shown)?;
        let docs = parse_documents(&text, &file, &shown)?;
        read_kubernetes(&docs, &shown, &mut r)?;
        r.view.read_file(shown, &text);
    }
    for (file, shown) in expand("aws", &settings.aws, base_dir)? {
        let text = read_text(&file, &shown)?;
        let doc: Value = parse_json(&text, &shown)?;
        let name: Arc<str> = Arc::from(shown.as_str());
        aws_cli::read(&Node::new(&doc, Loc::new(&name, "")), &mut r)
            .map_err(ConfigError::Content)?;
        r.view.read_file(shown, &text);
    }
    for (file, shown) in expand("azure", &settings.azure, base_dir)? {
        let text = read_text(&file, &shown)?;
        let doc: Value = parse_json(&text, &shown)?;
        let name: Arc<str> = Arc::from(shown.as_str());
        az_cli::read(&Node::new(&doc, Loc::new(&name, "")), &mut r)
            .map_err(ConfigError::Content)?;
        r.view.read_file(shown, &text);
    }
    for (file, shown) in expand("gcp", &settings.gcp, base_dir)? {
        let text = read_text(&file, &shown)?;
        let doc: Value = parse_json(&text, &shown)?;
        let name: Arc<str> = Arc::from(shown.as_str());
        gcloud::read(&Node::new(&doc, Loc::new(&name, "")), &shown, &mut r)
            .map_err(ConfigError::Content)?;
        r.view.read_file(shown, &text);
    }
    for (file, shown) in expand(
        "pulumi_stack_export",
        &settings.pulumi_stack_export,
        base_dir,
    )? {
        let text = read_text(&file, &shown)?;
        let mut doc: Value = parse_json(&text, &shown)?;
        stack_export::read(&mut doc, &Arc::from(shown.as_str()), &mut r)
            .map_err(ConfigError::Content)?;
        r.view.read_file(shown, &text);
    }
    r.finish().map_err(ConfigError::Content)
}

/// One Kubernetes file's documents: its objects, or what collection was refused of them.
pub(crate) fn read_kubernetes(
    docs: &[Value],
    shown: &str,
    r: &mut Reading,
) -> Result<(), ConfigError> {
    let name: Arc<str> = Arc::from(shown);
    if let [doc] = docs
        && doc.get(DeniedCalls::KEY).is_some()
    {
        // What collection was refused: the objects are not there, and not "none".
        return denied::from_cli(&Node::new(doc, Loc::new(&name, "")), r)
            .map_err(ConfigError::Content);
    }
    r.view.saw(Input::Kubernetes, &Loc::new(&name, ""));
    for (n, doc) in docs.iter().enumerate() {
        kubernetes::read(&Node::new(doc, Loc::new(&name, "")), &mut r.view).map_err(|why| {
            ConfigError::Content(if docs.len() > 1 {
                format!("{why} (document {} of {})", n + 1, docs.len())
            } else {
                why
            })
        })?;
    }
    Ok(())
}

/// The files the patterns of `key` match, sorted, each with the name to show (relative to
/// `base_dir` when the pattern is).
fn expand(
    key: &'static str,
    patterns: &[PathGlob],
    base_dir: &Path,
) -> Result<Vec<(PathBuf, String)>, ConfigError> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for pattern in patterns {
        let relative = !Path::new(pattern.as_str()).is_absolute();
        let full = if relative {
            format!(
                "{}/{}",
                glob::Pattern::escape(&base_dir.to_string_lossy()),
                pattern.as_str()
            )
        } else {
            pattern.as_str().to_owned()
        };
        let paths = glob::glob(&full).map_err(|e| ConfigError::Pattern {
            key,
            pattern: pattern.to_string(),
            why: e.to_string(),
        })?;
        let mut matched = 0;
        for path in paths {
            let path = path.map_err(|e| ConfigError::Read {
                file: e.path().display().to_string(),
                why: e.error().to_string(),
            })?;
            if path.is_dir() {
                continue;
            }
            matched += 1;
            let shown = match path.strip_prefix(base_dir) {
                Ok(rel) if relative => rel.display().to_string(),
                _ => path.display().to_string(),
            };
            if !files.iter().any(|(p, _)| *p == path) {
                files.push((path, shown));
            }
        }
        if matched == 0 {
            return Err(ConfigError::NoMatch {
                key,
                pattern: pattern.to_string(),
                dir: base_dir.display().to_string(),
            });
        }
    }
    Ok(files)
}

fn read_text(path: &Path, shown: &str) -> Result<String, ConfigError> {
    let err = |why: String| ConfigError::Read {
        file: shown.to_owned(),
        why,
    };
    let len = std::fs::metadata(path)
        .map_err(|e| err(e.to_string()))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(err(format!(
            "it is {len} bytes, more than the {MAX_FILE_BYTES} netconform reads"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "it is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// JSON text into a value; the error names the line and column.
pub(crate) fn parse_json(text: &str, shown: &str) -> Result<Value, ConfigError> {
    serde_json::from_str(text).map_err(|e| ConfigError::Parse {
        file: shown.to_owned(),
        why: format!(
            "not JSON: {e}{}",
            if e.is_eof() {
                " (the file is truncated)"
            } else {
                ""
            }
        ),
    })
}

/// A Kubernetes file's documents: JSON (one document) or YAML (any number, `---` between).
pub(crate) fn parse_documents(
    text: &str,
    path: &Path,
    shown: &str,
) -> Result<Vec<Value>, ConfigError> {
    let json = path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    if json {
        return parse_json(text, shown).map(|v| vec![v]);
    }
    serde_saphyr::from_multiple::<Value>(text).map_err(|e| ConfigError::Parse {
        file: shown.to_owned(),
        why: format!("not YAML: {}", first_line(&e.to_string())),
    })
}

/// The first line of a multi-line parser message (the rest is a snippet of the input).
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text).trim()
}
