//! Process exit codes. Only the `netconform` binary exits; everything else returns these.

/// Every scenario that ran passed: the environment conforms to the guide.
pub const CONFORMANT: i32 = 0;
/// At least one scenario failed: the environment does not conform.
pub const NOT_CONFORMANT: i32 = 1;
/// Bad command line or environment file: nothing was checked.
pub const USAGE: i32 = 2;
/// The tool could not measure (the sandbox or the load generator could not do its part, a
/// required setting is missing): no verdict either way.
pub const INCONCLUSIVE: i32 = 3;
