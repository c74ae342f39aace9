//! Progress of long steps on stderr: a live line on a terminal (indicatif), plain lines every
//! few seconds otherwise (CI logs).

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use netconform_drain::{Progress, Watch};

/// Where progress goes.
pub(crate) enum Display {
    Terminal(ProgressBar),
    Lines,
}

impl Display {
    pub(crate) fn new() -> Display {
        if std::io::stderr().is_terminal() && !crate::quiet() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("  {spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            Display::Terminal(bar)
        } else {
            Display::Lines
        }
    }
}

impl Watch for Display {
    /// How often [`Watch::load`] is worth calling.
    fn period(&self) -> Duration {
        match self {
            Display::Terminal(_) => Duration::from_millis(250),
            Display::Lines => Duration::from_secs(5),
        }
    }

    /// A line that stays (an event), above the live line.
    fn line(&self, text: &str) {
        match self {
            Display::Terminal(bar) => bar.println(netconform_model::redact::text(text)),
            Display::Lines => crate::note(text),
        }
    }

    /// The load's state, with the phase it is in.
    fn load(&self, p: &Progress, phase: &str) {
        let rate = if p.elapsed.as_secs_f64() > 0.0 {
            p.scheduled as f64 / p.elapsed.as_secs_f64()
        } else {
            0.0
        };
        let failures = if p.failures.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                p.failures
                    .iter()
                    .map(|(o, n)| format!("{n} {}", o.describe()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let text = format!(
            "load {:.1} s: {} sent ({rate:.0}/s), {} ok, {} failed{failures}{}; {phase}",
            p.elapsed.as_secs_f64(),
            p.scheduled,
            p.ok,
            p.failed,
            if p.not_sent_on_time > 0 {
                format!(", {} not sent on time", p.not_sent_on_time)
            } else {
                String::new()
            }
        );
        match self {
            Display::Terminal(bar) => bar.set_message(text),
            Display::Lines => crate::note(&format!("  {text}")),
        }
    }

    fn finish(&self) {
        if let Display::Terminal(bar) = self {
            bar.finish_and_clear();
        }
    }
}
