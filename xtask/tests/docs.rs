//! The living docs are current: `cargo xtask docs --check` passes on the committed
//! docs/conformance.md (it fails, saying "run `cargo xtask docs` and commit", when a feature or
//! a recommendation changed without it).

use std::process::Command;

#[test]
fn conformance_doc_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["docs", "--check"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
