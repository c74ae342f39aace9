//! `denied.json`: the calls collection was refused, each with the CLI output it would have fed
//! (the input a check needs), the IAM action or RBAC permission refused and the command. Config
//! reads it into `Deployment::denied`, so a check says which action was refused instead of "no
//! input". Both collectors write it here, in one format.

use std::path::Path;

use serde_json::{Value, json};

use crate::CollectError;
use crate::manifest::Manifest;

/// The file naming the denied calls and the CLI output each would have fed.
pub const DENIED_FILE: &str = "denied.json";

/// One denied call's entry: the output it would have fed, the action refused, the command.
pub(crate) fn entry(feeds: &str, action: &str, command: &str) -> Value {
    json!({ "Feeds": feeds, "Action": action, "Command": command })
}

/// Adds `entry` to `entries` unless one for the same output and action is there already.
pub(crate) fn note_once(entries: &mut Vec<Value>, entry: Value) {
    let known = entries
        .iter()
        .any(|d| d.get("Feeds") == entry.get("Feeds") && d.get("Action") == entry.get("Action"));
    if !known {
        entries.push(entry);
    }
}

/// Writes `entries` as [`DENIED_FILE`] in `out` and lists the file in `manifest`.
pub(crate) fn write(
    out: &Path,
    entries: &[Value],
    manifest: &mut Manifest,
) -> Result<(), CollectError> {
    let doc = json!({ "NetconformDenied": entries });
    crate::write_json(&out.join(DENIED_FILE), &doc)?;
    manifest.files.push(DENIED_FILE.to_owned());
    Ok(())
}
