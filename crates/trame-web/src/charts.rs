//! Charts drawn on the server as SVG: horizontal bars, one per line, each with its value
//! written beside it. A chart is an image with a title; the page puts the same figures in
//! a data table beside it, so nothing depends on seeing the chart.

/// One bar, placed.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Its label.
    pub label: String,
    /// Its value, written out.
    pub text: String,
    /// Top of its row.
    pub y: u32,
    /// Baseline of its texts.
    pub text_y: u32,
    /// Length of the bar.
    pub width: u32,
    /// Where its value is written.
    pub text_x: u32,
}

/// A horizontal bar chart, ready for `charts/_bars.html`.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// A unique id in the page (for `aria-labelledby`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The bars.
    pub bars: Vec<Bar>,
    /// Width of the drawing.
    pub width: u32,
    /// Height of the drawing.
    pub height: u32,
    /// Where the bars start (after the labels).
    pub left: u32,
}

const ROW: u32 = 24;
const LEFT: u32 = 220;
const SPAN: u32 = 360;

impl BarChart {
    /// A chart of `(label, value, value written out)`; negative values draw no bar.
    pub fn new(id: &str, title: &str, data: &[(String, f64, String)]) -> BarChart {
        let max = data.iter().map(|(_, v, _)| *v).fold(0.0_f64, f64::max);
        let bars = data
            .iter()
            .zip(0u32..)
            .map(|((label, value, text), i)| {
                let width = if max > 0.0 && *value > 0.0 {
                    ((value / max) * f64::from(SPAN))
                        .round()
                        .clamp(1.0, f64::from(SPAN)) as u32
                } else {
                    0
                };
                BarChart::bar(label, text, i, width)
            })
            .collect::<Vec<_>>();
        BarChart {
            id: id.to_owned(),
            title: title.to_owned(),
            height: ROW * u32::try_from(bars.len()).unwrap_or(0) + 8,
            width: LEFT + SPAN + 110,
            left: LEFT,
            bars,
        }
    }

    fn bar(label: &str, text: &str, i: u32, width: u32) -> Bar {
        let short: String = if label.chars().count() > 30 {
            label.chars().take(29).chain(std::iter::once('…')).collect()
        } else {
            label.to_owned()
        };
        Bar {
            label: short,
            text: text.to_owned(),
            y: 4 + i * ROW,
            text_y: 4 + i * ROW + 16,
            width,
            text_x: LEFT + width + 6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        let c = BarChart::new(
            "c",
            "Heures",
            &[
                ("janvier".into(), 50.0, "50 h".into()),
                ("février".into(), 100.0, "100 h".into()),
                ("mars".into(), 0.0, "0 h".into()),
            ],
        );
        let w: Vec<u32> = c.bars.iter().map(|b| b.width).collect();
        assert_eq!(w, vec![180, 360, 0]);
        assert_eq!(c.height, 80);
        let long = BarChart::new("d", "t", &[("x".repeat(40), 1.0, "1".into())]);
        assert_eq!(long.bars.first().map(|b| b.label.chars().count()), Some(30));
    }
}
