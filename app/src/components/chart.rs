//! Charts drawn as SVG by the same Rust view code on the server (SSR) and in the browser: no
//! chart library, no canvas, nothing to load. Each chart is a figure with a title, the SVG
//! for the eye (`role="img"` with its own title), and the same numbers as a table for screen
//! readers and for anyone who wants the exact values.

use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// One coloured series of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
}

/// A round upper bound for an axis: 1, 2 or 5 times a power of ten.
fn nice_max(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max.max(1) {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// A stacked column chart over `labels` (months), with the data table.
#[component]
pub fn ColumnChart(
    id: &'static str,
    title: String,
    labels: Vec<String>,
    /// The heading of the label column of the data table.
    label_head: String,
    series: Vec<Series>,
) -> impl IntoView {
    const W: f64 = 340.0;
    const H: f64 = 190.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 24.0;
    const TOP: f64 = 8.0;
    let n = labels.len().max(1);
    let totals: Vec<u64> = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = nice_max(totals.iter().copied().max().unwrap_or(0));
    let plot_h = H - TOP - BOTTOM;
    let slot = (W - LEFT) / n as f64;
    let y = move |v: u64| TOP + plot_h - plot_h * v as f64 / max as f64;
    // label every month up to 12, else every k-th
    let every = n.div_ceil(12);
    let mut bars = Vec::new();
    for i in 0..labels.len() {
        let mut base = 0u64;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0);
            if v > 0 {
                bars.push(view! {
                    <rect
                        class=format!("bar bar-{k}")
                        x=format!("{:.1}", LEFT + slot * i as f64 + slot * 0.15)
                        y=format!("{:.1}", y(base + v))
                        width=format!("{:.1}", slot * 0.7)
                        height=format!("{:.1}", y(base) - y(base + v))
                    />
                });
            }
            base += v;
        }
    }
    let ticks = [0, max / 2, max].map(|v| {
        view! {
            <line class="grid" x1=LEFT x2=W y1=format!("{:.1}", y(v)) y2=format!("{:.1}", y(v)) />
            <text class="axis" x=LEFT - 4.0 y=format!("{:.1}", y(v) + 4.0) text-anchor="end">{v}</text>
        }
    });
    let x_labels = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, l)| {
            view! {
                <text class="axis" x=format!("{:.1}", LEFT + slot * (i as f64 + 0.5)) y=H - 6.0 text-anchor="middle">
                    {l.clone()}
                </text>
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .enumerate()
        .map(|(k, s)| view! { <li><span class=format!("swatch bar-{k}") aria-hidden="true"></span>{s.name.clone()}</li> })
        .collect_view();
    let title_id = format!("{id}-title");
    let heads = series
        .iter()
        .map(|s| view! { <th scope="col">{s.name.clone()}</th> })
        .collect_view();
    let rows = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let cells = series
                .iter()
                .map(|s| view! { <td>{s.values.get(i).copied().unwrap_or(0)}</td> })
                .collect_view();
            view! { <tr><th scope="row">{l.clone()}</th>{cells}<td>{totals[i]}</td></tr> }
        })
        .collect_view();
    view! {
        <figure class="chart" id=id>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=title_id>
                <title>{title}</title>
                {ticks}
                {bars}
                {x_labels}
            </svg>
            <ul class="legend">{legend}</ul>
            <details>
                <summary>{t(Msg::StatsDataTable)}</summary>
                <table class="data">
                    <thead><tr><th scope="col">{label_head}</th>{heads}<th scope="col">{t(Msg::StatsTotal)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// Horizontal bars, one per category, with the value at the end and the data table.
#[component]
pub fn BarList(
    id: &'static str,
    title: String,
    label_head: String,
    value_head: String,
    items: Vec<(String, u64)>,
) -> impl IntoView {
    const W: f64 = 340.0;
    const ROW: f64 = 22.0;
    // room for the longest dispute type (12 characters at 10 px)
    const LABEL: f64 = 128.0;
    let max = items.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let h = ROW * items.len().max(1) as f64;
    let bars = items
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let top = ROW * i as f64;
            let width = (W - LABEL - 40.0) * *v as f64 / max as f64;
            view! {
                <text class="axis" x=LABEL - 6.0 y=format!("{:.1}", top + 15.0) text-anchor="end">{label.clone()}</text>
                <rect class="bar bar-0" x=LABEL y=format!("{:.1}", top + 4.0) width=format!("{width:.1}") height=ROW - 8.0 />
                <text class="value" x=format!("{:.1}", LABEL + width + 4.0) y=format!("{:.1}", top + 15.0)>{*v}</text>
            }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    if items.is_empty() {
        return view! {
            <figure class="chart" id=id>
                <figcaption>{title}</figcaption>
                <p class="hint">{t(Msg::StatsNone)}</p>
            </figure>
        }
        .into_any();
    }
    let rows = items
        .iter()
        .map(|(l, v)| view! { <tr><th scope="row">{l.clone()}</th><td>{*v}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart" id=id>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {h}") role="img" aria-labelledby=title_id>
                <title>{title}</title>
                {bars}
            </svg>
            <details>
                <summary>{t(Msg::StatsDataTable)}</summary>
                <table class="data">
                    <thead><tr><th scope="col">{label_head}</th><th scope="col">{value_head}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::nice_max;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(12), 20);
        assert_eq!(nice_max(41), 50);
        assert_eq!(nice_max(500), 500);
        assert_eq!(nice_max(30_001), 50_000);
    }
}
