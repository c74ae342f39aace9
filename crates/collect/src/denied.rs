//! `denied.json`: the calls collection was refused, each with the input it would have fed, the
//! IAM action or RBAC permission refused and the command, as model's typed
//! [`DeniedCalls`](netconform_model::inputs::DeniedCalls), which config reads back into
//! `Deployment::denied`, so a check says which action was refused instead of "no input". Both
//! collectors write it here.

use std::path::Path;

pub use netconform_model::inputs::DENIED_FILE;
use netconform_model::inputs::DeniedCalls;

use crate::CollectError;
use crate::manifest::Manifest;

/// Writes `calls` as [`DENIED_FILE`] in `out` and lists the file in `manifest`.
pub(crate) fn write(
    out: &Path,
    calls: &DeniedCalls,
    manifest: &mut Manifest,
) -> Result<(), CollectError> {
    let doc = serde_json::to_value(calls).expect("denied calls are plain data");
    crate::write_json(&out.join(DENIED_FILE), &doc)?;
    manifest.files.push(DENIED_FILE.to_owned());
    Ok(())
}
