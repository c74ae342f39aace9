//! What the sandbox and the container test bed share, so neither re-types the other's: the
//! API replica's interface ([`replica`]: its headers, paths, zones and agent answers, which
//! the sandbox serves and the test bed's HAProxy and environment rely on) and a test CA
//! ([`ca`]: a CA of its own and one server certificate, issued with rcgen), and moto's AWS
//! API emulator with the deployment fixture built in it ([`moto`], for the collection tests),
//! kubectl against a recorded cluster ([`kubectl`]), and byte-level edits for the readers'
//! fuzz tests ([`mutate`]).
//! Depends on no other crate of the workspace.

pub mod ca;

/// Writes the shell script `text` at `path` and makes it executable: the wrappers a test
/// points a program setting at (a user's own would be the same kind of script).
pub fn script(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("make {} executable: {e}", path.display()));
}
pub mod kubectl;
pub mod moto;
pub mod mutate;
pub mod replica;
