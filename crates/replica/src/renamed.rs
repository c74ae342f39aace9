//! Broken-variant names that changed. Where the sandbox and the test bed broke the same thing
//! under two names, one name now serves both (`--break NAME`, `--testbed --break NAME`); the
//! old one is refused, naming the new one, as a user upgrading needs.

/// Old name, new name.
pub const RENAMED: [(&str, &str); 3] = [
    ("replica-no-graceful-shutdown", "exit-on-sigterm"),
    ("dns-app-missing", "no-app-record"),
    ("grace-too-short", "stop-timeout-too-short"),
];

/// The message refusing `name` when it is an old variant name: "`dns-app-missing` is now
/// `no-app-record`".
pub fn refusal(name: &str) -> Option<String> {
    RENAMED
        .iter()
        .find(|(old, _)| *old == name)
        .map(|(old, new)| format!("`{old}` is now `{new}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_name_is_refused_naming_the_new_one() {
        assert_eq!(
            refusal("replica-no-graceful-shutdown").as_deref(),
            Some("`replica-no-graceful-shutdown` is now `exit-on-sigterm`")
        );
        assert_eq!(refusal("exit-on-sigterm"), None);
    }
}
