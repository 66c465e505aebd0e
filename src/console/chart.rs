//! Bar charts drawn on the server as SVG (plotters' SVG backend) and inlined in console pages.
//! The console's CSP allows styles only by hash, so the SVG must carry no `style` attribute:
//! plotters writes presentation attributes (`fill=`, `stroke=`, `font-size=`) only, and
//! [`bars`] checks that it stays so.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// One bar: its label under the axis and its height.
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// The console's navy (the bar at the top of every page).
const INK: RGBColor = RGBColor(0x17, 0x36, 0x5d);
const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe7);

const WIDTH: u32 = 720;
const HEIGHT: u32 = 260;
/// Enough labels to read the axis, few enough not to overlap on a phone.
const MAX_X_LABELS: usize = 8;

/// A bar chart of `bars`, left to right, with the value axis from 0 to `top` (or the highest
/// bar). `None` when there is nothing to draw or plotters fails: the page then shows the
/// figures' table alone.
pub fn bars(bars: &[Bar], top: Option<f64>) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let highest = bars.iter().map(|bar| bar.value).fold(0.0, f64::max);
    let top = top.unwrap_or(highest).max(1.0);
    let mut svg = String::new();
    if let Err(error) = draw(&mut svg, bars, top) {
        tracing::warn!(%error, "chart not drawn");
        return None;
    }
    // Should a plotters upgrade start writing inline styles, the CSP would drop them
    // silently; better no chart and the table than a chart drawn wrongly.
    (!svg.contains("style=")).then_some(svg)
}

fn draw(svg: &mut String, bars: &[Bar], top: f64) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let count = bars.len() as i32;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(40)
        .build_cartesian_2d((0..count).into_segmented(), 0.0..top * 1.05)?;
    let label = |value: &SegmentValue<i32>| match value {
        SegmentValue::CenterOf(index) | SegmentValue::Exact(index) => usize::try_from(*index)
            .ok()
            .and_then(|index| bars.get(index))
            .map(|bar| bar.label.clone())
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    let whole = |value: &f64| {
        if value.fract().abs() < 1e-9 {
            format!("{value:.0}")
        } else {
            format!("{value:.1}")
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_labels(bars.len().min(MAX_X_LABELS))
        // Counts are whole: few enough ticks that none falls between two.
        .y_labels((top.ceil() as usize + 1).clamp(2, 6))
        .x_label_formatter(&label)
        .y_label_formatter(&whole)
        .label_style(("sans-serif", 13))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(index, bar)| {
        let index = index as i32;
        let mut rectangle = Rectangle::new(
            [
                (SegmentValue::Exact(index), 0.0),
                (SegmentValue::Exact(index + 1), bar.value),
            ],
            INK.filled(),
        );
        rectangle.set_margin(0, 0, 2, 2);
        rectangle
    }))?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
        }
    }

    #[test]
    fn a_chart_is_svg_without_inline_styles() {
        let svg = bars(
            &[bar("05-01", 3.0), bar("05-02", 0.0), bar("05-03", 7.0)],
            None,
        )
        .expect("a chart");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(!svg.contains("style="), "{svg}");
        assert!(svg.contains("05-03"), "the labels are drawn: {svg}");
        assert!(svg.contains("<rect"), "{svg}");
    }

    #[test]
    fn nothing_to_draw_is_no_chart() {
        assert!(bars(&[], Some(5.0)).is_none());
    }
}
