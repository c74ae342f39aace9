//! `netconform diff`: what changed between two runs of one environment
//! (netconform_model::diff holds the rules, netconform_report::diff the rendering).

use netconform_model::diff::diff;
use netconform_model::exit;

use crate::cli::{DiffArgs, Format};
use crate::merge_cmd::read;
use crate::outputs::write_atomic;
use crate::report_error;

#[expect(clippy::print_stdout, reason = "the diff is the command's output")]
pub(crate) fn run(args: &DiffArgs) -> i32 {
    let (old, new) = match (read(&args.old), read(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(message), _) | (_, Err(message)) => {
            report_error(&message);
            return exit::USAGE;
        }
    };
    let changes = match diff(&old, &new) {
        Ok(changes) => changes,
        Err(why) => {
            report_error(&format!("cannot compare: {why}"));
            return exit::USAGE;
        }
    };
    let json = netconform_report::diff::json(&changes);
    match args.format {
        Format::Json => print!("{json}"),
        Format::Text => print!("{}", netconform_report::diff::console(&changes)),
    }
    if let Some(dir) = args.report_dir.as_deref() {
        let written =
            std::fs::create_dir_all(dir).and_then(|()| write_atomic(&dir.join("diff.json"), &json));
        if let Err(e) = written {
            report_error(&format!(
                "failed to write diff.json into {}: {e}",
                dir.display()
            ));
            return exit::INCONCLUSIVE;
        }
    }
    if changes.has_new_failures() {
        exit::NOT_CONFORMANT
    } else {
        exit::CONFORMANT
    }
}
