//! The rolling restart's timeline as an SVG chart (plotters, SVG backend, no font library: text
//! is SVG `<text>` the browser lays out): requests per second, failures by kind stacked,
//! latency p99 on the right axis, and the restart's phases as shaded bands.

use std::collections::BTreeMap;

use netconform_model::RestartEventKind;
use netconform_model::evidence::drain::DrainSummary;
use plotters::chart::DualCoordChartContext;
use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

const WIDTH: u32 = 960;
const HEIGHT: u32 = 380;

/// A shaded stretch of the restart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Band {
    pub(crate) kind: BandKind,
    pub(crate) instance: Option<String>,
    pub(crate) from_s: f64,
    pub(crate) to_s: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum BandKind {
    /// From the rollout's beginning to its end.
    Rollout,
    /// A new instance, from started to healthy.
    Starting,
    /// An old instance, from told to stop to exited.
    Draining,
}

impl BandKind {
    fn label(self) -> &'static str {
        match self {
            BandKind::Rollout => "rollout",
            BandKind::Starting => "instance starting (until healthy)",
            BandKind::Draining => "instance stopping (until exited)",
        }
    }

    fn color(self) -> RGBAColor {
        match self {
            BandKind::Rollout => RGBColor(120, 120, 120).mix(0.10),
            BandKind::Starting => RGBColor(66, 133, 244).mix(0.22),
            BandKind::Draining => RGBColor(255, 152, 0).mix(0.30),
        }
    }
}

/// The restart's phases, from its events: the rollout, and per instance its start and its
/// stop. A phase whose end never came lasts until the load ended.
pub(crate) fn bands(d: &DrainSummary) -> Vec<Band> {
    let end = d.duration_s;
    let mut bands = Vec::new();
    let mut open: BTreeMap<(BandKind, Option<String>), f64> = BTreeMap::new();
    let mut events = d.events.clone();
    events.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    for e in &events {
        let (kind, opens) = match e.kind {
            RestartEventKind::RolloutBegun => (BandKind::Rollout, true),
            RestartEventKind::RolloutDone | RestartEventKind::RolloutFailed => {
                (BandKind::Rollout, false)
            }
            RestartEventKind::InstanceStarted => (BandKind::Starting, true),
            RestartEventKind::InstanceHealthy => (BandKind::Starting, false),
            RestartEventKind::InstanceStopping => (BandKind::Draining, true),
            RestartEventKind::InstanceExited => (BandKind::Draining, false),
        };
        let instance = if kind == BandKind::Rollout {
            None
        } else {
            e.instance.clone()
        };
        let key = (kind, instance.clone());
        if opens {
            open.entry(key).or_insert(e.at_s);
        } else if let Some(from_s) = open.remove(&key) {
            bands.push(Band {
                kind,
                instance,
                from_s,
                to_s: e.at_s.max(from_s),
            });
        }
    }
    for ((kind, instance), from_s) in open {
        bands.push(Band {
            kind,
            instance,
            from_s,
            to_s: end.max(from_s),
        });
    }
    bands.sort_by(|a, b| (a.kind, a.from_s).partial_cmp(&(b.kind, b.from_s)).unwrap());
    bands
}

/// A colour per failure kind, stable for a kind's place in the sorted list.
fn failure_color(index: usize) -> RGBColor {
    const PALETTE: [RGBColor; 8] = [
        RGBColor(211, 47, 47),
        RGBColor(123, 31, 162),
        RGBColor(245, 124, 0),
        RGBColor(0, 121, 107),
        RGBColor(93, 64, 55),
        RGBColor(194, 24, 91),
        RGBColor(48, 63, 159),
        RGBColor(97, 97, 97),
    ];
    PALETTE[index % PALETTE.len()]
}

/// The timeline of a drain run as a standalone `<svg>` element, or why it could not be drawn
/// (a run with no second measured has no timeline).
pub fn timeline_svg(d: &DrainSummary) -> Result<String, String> {
    if d.timeline.is_empty() {
        return Err("the load measured no whole second".into());
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, d).map_err(|e| format!("failed to draw the timeline: {e}"))?;
        root.present()
            .map_err(|e| format!("failed to draw the timeline: {e}"))?;
    }
    Ok(svg)
}

/// The chart: requests per second on the left axis, latency p99 on the right, both over the
/// seconds of the load.
type Chart<'a, 'b> = DualCoordChartContext<'a, SVGBackend<'b>, Plane, Plane>;
type Plane = Cartesian2d<RangedCoordf64, RangedCoordf64>;
type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// `n` requests in `second` as a rate over the part of that second the load covered (the last
/// second is usually partial). A failure counts in the second it happened, which for a
/// request still in flight when the load stopped sending is after the last one: a whole
/// second.
fn per_second(d: &DrainSummary, second: u64, n: u64) -> f64 {
    let left = d.duration_s - second as f64;
    let covered = if left > 0.0 {
        left.clamp(0.05, 1.0)
    } else {
        1.0
    };
    n as f64 / covered
}

fn draw(root: &DrawingArea<SVGBackend<'_>, Shift>, d: &DrainSummary) -> DrawResult {
    root.fill(&WHITE)?;
    let x_end = d.duration_s.max(1.0);
    let peak = d
        .timeline
        .iter()
        .map(|b| per_second(d, b.second, b.sent.max(b.ok + b.failed)))
        .fold(0.0, f64::max);
    // Headroom for the legend above the data.
    let y_end = (peak * 1.6).max(1.0);
    let p99_peak = d.timeline.iter().map(|b| b.p99_ms).fold(0.0, f64::max);
    let p99_end = (p99_peak * 1.25).max(1.0);

    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "{} at {} req/s during the rolling restart",
                d.url, d.target_rate
            ),
            ("sans-serif", 16),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .right_y_label_area_size(56)
        .build_cartesian_2d(0f64..x_end, 0f64..y_end)?
        .set_secondary_coord(0f64..x_end, 0f64..p99_end);
    draw_axes(&mut chart)?;
    draw_bands(&mut chart, d, y_end)?;
    draw_failures(&mut chart, d, x_end)?;
    draw_rates(&mut chart, d, x_end)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font(("sans-serif", 12))
        .draw()?;
    Ok(())
}

/// Both axes: requests per second on the left, latency p99 on the right.
fn draw_axes(chart: &mut Chart<'_, '_>) -> DrawResult {
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc("seconds since the load began")
        .y_desc("requests per second")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style(("sans-serif", 12))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc("latency p99 (ms)")
        .y_label_formatter(&|v| format!("{v:.1}"))
        .label_style(("sans-serif", 12))
        .draw()
}

/// The restart's phases, behind everything, one legend entry per kind.
fn draw_bands(chart: &mut Chart<'_, '_>, d: &DrainSummary, y_end: f64) -> DrawResult {
    let bands = bands(d);
    let mut labelled = Vec::new();
    for band in &bands {
        let color = band.kind.color();
        let series = chart.draw_series(std::iter::once(Rectangle::new(
            [(band.from_s, 0.0), (band.to_s, y_end)],
            color.filled(),
        )))?;
        if !labelled.contains(&band.kind) {
            labelled.push(band.kind);
            series.label(band.kind.label()).legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
            });
        }
    }
    Ok(())
}

/// Failures by kind, stacked per second.
fn draw_failures(chart: &mut Chart<'_, '_>, d: &DrainSummary, x_end: f64) -> DrawResult {
    let mut kinds: Vec<&str> = d
        .timeline
        .iter()
        .flat_map(|b| b.failures.keys().map(String::as_str))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut base = vec![0.0f64; d.timeline.len()];
    for (i, kind) in kinds.iter().enumerate() {
        let color = failure_color(i);
        let mut bars = Vec::new();
        for (slot, bucket) in d.timeline.iter().enumerate() {
            let n = bucket.failures.get(*kind).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let x = bucket.second as f64;
            let (from, to) = (base[slot], base[slot] + per_second(d, bucket.second, n));
            base[slot] = to;
            let right = (x + 0.9).min(x_end);
            bars.push(Rectangle::new(
                [(x + 0.1_f64.min(right - x), from), (right, to)],
                color.filled(),
            ));
        }
        chart
            .draw_series(bars)?
            .label(format!("failed: {kind}"))
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
    }
    Ok(())
}

/// Requests per second, sent and answered as expected, and the latency p99 on the right axis,
/// at the middle of each second.
fn draw_rates(chart: &mut Chart<'_, '_>, d: &DrainSummary, x_end: f64) -> DrawResult {
    let middle = |second: u64| (second as f64 + 0.5).min((second as f64 + x_end) / 2.0);
    let sent = RGBColor(66, 66, 66);
    chart
        .draw_series(LineSeries::new(
            d.timeline
                .iter()
                .map(|b| (middle(b.second), per_second(d, b.second, b.sent))),
            sent.stroke_width(2),
        ))?
        .label("requests sent per second")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], sent.stroke_width(2)));
    let ok = RGBColor(46, 125, 50);
    chart
        .draw_series(LineSeries::new(
            d.timeline
                .iter()
                .map(|b| (middle(b.second), per_second(d, b.second, b.ok))),
            ok.stroke_width(2),
        ))?
        .label(format!("answered {} per second", d.expect_status))
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], ok.stroke_width(2)));
    let latency = RGBColor(25, 118, 210);
    chart
        .draw_secondary_series(LineSeries::new(
            d.timeline
                .iter()
                .filter(|b| b.ok + b.failed > 0)
                .map(|b| (middle(b.second), b.p99_ms)),
            latency.stroke_width(1),
        ))?
        .label("latency p99 (right axis)")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], latency.stroke_width(1)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use netconform_model::evidence::drain::PhaseEvent;

    use super::*;

    fn event(at_s: f64, kind: RestartEventKind, instance: &str) -> PhaseEvent {
        PhaseEvent {
            at_s,
            kind,
            instance: Some(instance.to_owned()),
            detail: None,
        }
    }

    #[test]
    fn bands_pair_each_start_with_its_end() {
        let mut d = crate::tests_support::drain_summary();
        d.events = vec![
            event(1.0, RestartEventKind::RolloutBegun, "api"),
            event(1.1, RestartEventKind::InstanceStarted, "zone-a/api-3"),
            event(1.6, RestartEventKind::InstanceHealthy, "zone-a/api-3"),
            event(1.7, RestartEventKind::InstanceStopping, "zone-a/api-1"),
            event(2.5, RestartEventKind::InstanceExited, "zone-a/api-1"),
            // Never exits: the band lasts until the load ended.
            event(3.0, RestartEventKind::InstanceStopping, "zone-b/api-2"),
        ];
        let bands = bands(&d);
        let got: Vec<(BandKind, Option<&str>, f64, f64)> = bands
            .iter()
            .map(|b| (b.kind, b.instance.as_deref(), b.from_s, b.to_s))
            .collect();
        assert_eq!(
            got,
            [
                (BandKind::Rollout, None, 1.0, 4.0),
                (BandKind::Starting, Some("zone-a/api-3"), 1.1, 1.6),
                (BandKind::Draining, Some("zone-a/api-1"), 1.7, 2.5),
                (BandKind::Draining, Some("zone-b/api-2"), 3.0, 4.0),
            ]
        );
    }

    #[test]
    fn chart_has_the_series_and_the_bands() {
        let d = crate::tests_support::drain_summary();
        let svg = timeline_svg(&d).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        for label in [
            "requests sent per second",
            "answered 200 per second",
            "latency p99 (right axis)",
            "failed: connect-refused",
            "failed: status-502",
            "instance stopping (until exited)",
            "rollout",
        ] {
            assert!(svg.contains(label), "the chart lacks {label:?}");
        }
        let empty = DrainSummary {
            timeline: Vec::new(),
            ..d
        };
        assert_eq!(
            timeline_svg(&empty),
            Err("the load measured no whole second".into())
        );
    }
}
