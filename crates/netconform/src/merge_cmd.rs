//! `netconform merge`: the reports of several vantage points merged into one set of reports
//! (netconform_model::merge holds the rules).

use std::path::Path;

use netconform_model::RunReport;
use netconform_model::exit;
use netconform_model::merge::{Part, merge};

use crate::cli::MergeArgs;
use crate::report_error;

/// Reads one run's report.json (a vantage point's for merge; a run's for diff and a
/// baseline).
pub(crate) fn read(path: &Path) -> Result<Part, String> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "failed to read {file}: {e}; name the report.json a run wrote (verify --report-dir)"
        )
    })?;
    let report: RunReport = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{file}:{}:{}: not a netconform report.json ({e}); give verify's report.json (--report-dir) or its --format json output",
            e.line(),
            e.column()
        )
    })?;
    Ok(Part { file, report })
}

pub(crate) async fn run(args: &MergeArgs) -> i32 {
    crate::set_quiet(args.out.quiet);
    let mut parts = Vec::new();
    for path in &args.reports {
        match read(path) {
            Ok(part) => parts.push(part),
            Err(message) => {
                report_error(&message);
                return exit::USAGE;
            }
        }
    }
    let merged = match merge(parts) {
        Ok(merged) => merged,
        Err(why) => {
            report_error(&format!("cannot merge: {why}"));
            return exit::USAGE;
        }
    };
    crate::note(&format!(
        "merged {} vantage points: {}",
        merged.vantages.len(),
        merged.vantages.join(", ")
    ));
    crate::outputs::finish(&merged, &args.out).await
}
