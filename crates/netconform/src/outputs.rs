//! Where a run's verdict goes, for `verify` and `merge` alike: stdout (the summary, or
//! report.json), the report files, the metrics file and the Pushgateway.

use std::io::IsTerminal as _;
use std::path::Path;

use netconform_model::{RunReport, exit};
use netconform_report::metrics::Identity;

use crate::cli::{Format, Outputs};
use crate::report_error;

/// Writes the reports, prints the summary (or report.json), returns the exit code.
#[expect(clippy::print_stdout, reason = "the verdict is the command's output")]
pub(crate) async fn finish(report: &RunReport, args: &Outputs) -> i32 {
    let color = std::io::stdout().is_terminal();
    let out = match (args.format, args.quiet) {
        (Format::Json, _) => netconform_report::json(report),
        (Format::Text, false) => netconform_report::console(report, color),
        (Format::Text, true) => netconform_report::console_quiet(report, color),
    };
    print!("{out}");
    if let Some(dir) = args.report_dir.as_deref() {
        let written = std::fs::create_dir_all(dir).and_then(|()| {
            write_atomic(&dir.join("report.json"), &netconform_report::json(report))?;
            write_atomic(&dir.join("junit.xml"), &netconform_report::junit(report))?;
            if let Some(sarif) = netconform_report::sarif(report) {
                write_atomic(&dir.join("netconform.sarif"), &sarif)?;
            }
            write_atomic(&dir.join("report.html"), &netconform_report::html(report))
        });
        if let Err(e) = written {
            report_error(&format!(
                "failed to write the reports into {}: {e}",
                dir.display()
            ));
            return exit::INCONCLUSIVE;
        }
    }
    if let Some(file) = args.metrics.as_deref() {
        let text = netconform_report::metrics(report, Identity::Labelled);
        let parent = file.parent().filter(|p| !p.as_os_str().is_empty());
        let written = parent
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_atomic(file, &text));
        if let Err(e) = written {
            report_error(&format!(
                "failed to write the metrics into {}: {e}",
                file.display()
            ));
            return exit::INCONCLUSIVE;
        }
    }
    if let Some(url) = args.push.as_deref()
        && let Err(e) = crate::push::push(url, report).await
    {
        report_error(&format!("failed to push the metrics: {e}"));
        return exit::INCONCLUSIVE;
    }
    report.exit_code()
}

/// Writes `path` whole or not at all: a temporary file in the same directory, then a rename.
pub(crate) fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
