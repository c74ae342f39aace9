//! Why a run stops before its end: a signal (Ctrl-C, SIGTERM) or the run's deadline
//! (`--timeout`, `timeout` in the environment file). The binary raises it; every step, the
//! load and the restart listen for it and end inconclusive with its reason.

use std::fmt;
use std::time::Duration;

use crate::HumanDuration;

/// What cut the run short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// SIGINT (Ctrl-C) or SIGTERM, by name.
    Signal(&'static str),
    /// The run-wide deadline was reached.
    Deadline(Duration),
}

impl Stop {
    /// What the scenarios that did not run say: "not run: interrupted (SIGINT)".
    pub fn not_run(&self) -> String {
        format!("not run: {self}{}", self.hint())
    }

    /// What a step cut short says, `after` its start.
    pub fn cut_short(&self, after: Duration) -> String {
        format!(
            "cut short after {:.1} s: {self}{}",
            after.as_secs_f64(),
            self.hint()
        )
    }

    /// How the next run gets further.
    pub fn hint(&self) -> &'static str {
        match self {
            Stop::Signal(_) => "",
            Stop::Deadline(_) => {
                " (raise --timeout, or `timeout` in the environment file, to let it finish)"
            }
        }
    }
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Signal(name) => write!(f, "interrupted ({name})"),
            Stop::Deadline(limit) => {
                write!(
                    f,
                    "cut off by the run's timeout ({})",
                    HumanDuration(*limit)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_the_signal_or_the_limit() {
        assert_eq!(
            Stop::Signal("SIGINT").not_run(),
            "not run: interrupted (SIGINT)"
        );
        let cut = Stop::Deadline(Duration::from_secs(90)).cut_short(Duration::from_millis(1500));
        assert_eq!(
            cut,
            "cut short after 1.5 s: cut off by the run's timeout (1m30s) (raise --timeout, or `timeout` in the environment file, to let it finish)"
        );
    }
}
