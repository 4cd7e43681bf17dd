//! Horizontal bar charts drawn as inline SVG on the server: no script, no inline style (the
//! Content-Security-Policy allows none), colours from CSS classes so that the version for the
//! visually impaired, forced colours and print restyle them. Each chart is an image with a
//! title for screen readers; the page puts the same figures in a table beside it.

use leptos::prelude::*;

use crate::format::format_integer;
use crate::i18n::Locale;

/// The drawing's width in SVG units; the chart scales to its box.
pub const WIDTH: u32 = 640;
/// Room kept right of the longest bar for its number.
const VALUE_ROOM: u32 = 64;
/// A row: its label line, then its bar.
const ROW: u32 = 46;
const BAR_HEIGHT: u32 = 16;
/// Labels longer than this are cut (the table beside the chart has them whole).
const MAX_LABEL_CHARS: usize = 72;

/// One bar, placed.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedBar {
    pub label: String,
    pub value: i64,
    /// Baseline of the label.
    pub label_y: u32,
    /// Top of the bar.
    pub bar_y: u32,
    pub bar_width: u32,
    /// Where the number starts, right of the bar.
    pub value_x: u32,
}

/// The bars of a chart, placed in a `WIDTH` × `height` drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub height: u32,
    pub bars: Vec<PlacedBar>,
}

/// Places bars for (label, value) pairs: lengths proportional to the largest value, a non-zero
/// value at least two units long so that it is never mistaken for zero.
pub fn layout(items: &[(String, i64)]) -> Layout {
    let max = items.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let room = (WIDTH - VALUE_ROOM) as f64;
    let bars = items
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let top = i as u32 * ROW;
            let value = (*value).max(0);
            let mut bar_width = (value as f64 / max as f64 * room).round() as u32;
            if value > 0 {
                bar_width = bar_width.max(2);
            }
            PlacedBar {
                label: shorten(label),
                value,
                label_y: top + 15,
                bar_y: top + 22,
                bar_width,
                value_x: bar_width + 6,
            }
        })
        .collect();
    Layout {
        height: (items.len() as u32 * ROW).max(ROW),
        bars,
    }
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_owned()
    } else {
        let mut cut: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

/// A horizontal bar chart: `title` names it for screen readers, `id` makes its title's id
/// unique on the page; numbers are written in the reader's language.
#[component]
pub fn BarChart(
    id: &'static str,
    title: String,
    bars: Vec<(String, i64)>,
    locale: Locale,
) -> impl IntoView {
    let placed = layout(&bars);
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let rows = placed
        .bars
        .into_iter()
        .map(|b| {
            view! {
                <g class="chart-row">
                    <text class="chart-label" x="0" y=b.label_y.to_string()>{b.label}</text>
                    <rect
                        class="chart-bar"
                        x="0"
                        y=b.bar_y.to_string()
                        width=b.bar_width.to_string()
                        height=BAR_HEIGHT.to_string()
                    />
                    <text class="chart-value" x=b.value_x.to_string() y=(b.bar_y + BAR_HEIGHT - 3).to_string()>
                        {format_integer(locale, b.value)}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart"
            id=id
            role="img"
            aria-labelledby=labelled_by
            viewBox=format!("0 0 {WIDTH} {}", placed.height)
            preserveAspectRatio="xMinYMin meet"
        >
            <title id=title_id>{title}</title>
            {rows}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(values: &[i64]) -> Vec<(String, i64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("bar {i}"), *v))
            .collect()
    }

    #[test]
    fn bars_are_proportional_to_the_largest() {
        let l = layout(&items(&[10, 5, 0, 1000]));
        let widths: Vec<u32> = l.bars.iter().map(|b| b.bar_width).collect();
        assert_eq!(widths[3], WIDTH - VALUE_ROOM);
        assert_eq!(widths[2], 0);
        // Small but not zero: still visible.
        assert_eq!(widths[0], 6);
        assert!(widths[1] >= 2);
        assert_eq!(l.height, 4 * ROW);
        assert!(l.bars.windows(2).all(|w| w[0].bar_y < w[1].label_y));
    }

    #[test]
    fn an_empty_or_all_zero_chart_is_drawn_without_dividing_by_zero() {
        assert_eq!(layout(&[]).height, ROW);
        assert!(layout(&items(&[0, 0]))
            .bars
            .iter()
            .all(|b| b.bar_width == 0));
    }

    #[test]
    fn long_labels_are_cut() {
        let long = "Очень длинное заглавие ".repeat(10);
        let l = layout(&[(long, 1)]);
        assert_eq!(l.bars[0].label.chars().count(), MAX_LABEL_CHARS);
        assert!(l.bars[0].label.ends_with('…'));
    }
}
