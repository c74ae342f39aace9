//! The tests' helpers: moto's AWS API emulator with the deployment fixture built in it
//! ([`moto`], for the collection tests), kubectl against a recorded cluster ([`kubectl`]), az
//! against recorded management-API answers ([`azure`]), a fake of Google Cloud's APIs for
//! gcloud ([`google`]), byte-level edits for the readers' fuzz tests ([`mutate`]) and
//! executable wrapper scripts
//! ([`script`]). A dev-dependency only, never part of the shipped binary's graph (a tidy test
//! keeps it so); what the sandbox and the test bed share at run time is netconform-replica's.
//! Depends on no other crate of the workspace.

pub mod arm;
pub mod azure;
pub mod google;
pub mod kubectl;
pub mod moto;
pub mod mutate;

/// Writes the shell script `text` at `path` and makes it executable: the wrappers a test
/// points a program setting at (a user's own would be the same kind of script).
pub fn script(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("make {} executable: {e}", path.display()));
}
