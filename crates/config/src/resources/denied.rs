//! What collection was refused: `denied.json` of `netconform collect`
//! ([`netconform_model::inputs::DeniedCalls`]), each input with the action (an IAM action, a
//! Kubernetes RBAC permission) that was denied, so its checks say "not checked: AccessDenied
//! for <action>" instead of "no input".

use netconform_model::inputs::DeniedCalls;

use crate::node::Node;
use crate::resources::Reading;

/// The document holding the records, read as the typed file collection writes.
pub(crate) fn from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let Some(value) = doc.value() else {
        return Ok(());
    };
    let calls: DeniedCalls = serde_json::from_value(value.clone()).map_err(|e| {
        format!(
            "{}: not the denied.json `netconform collect` writes: {e}",
            doc.get_ci(DeniedCalls::KEY).at
        )
    })?;
    for call in calls.denied {
        r.view.denied.entry(call.feeds).or_insert(call.action);
    }
    for call in calls.failed {
        r.view
            .failed
            .entry(call.feeds)
            .or_insert((call.action, call.message));
    }
    Ok(())
}
