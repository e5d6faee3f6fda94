//! What the data says: segments, risk, health, whitespace, cost to serve,
//! the tables to export and the meeting pack.

use super::{operations, window};
use crate::api::exports::{ExportKind, Selection};
use crate::charts::{ChartImage, ImageFormat};
use crate::insight::{CostView, Health, Risk, Segments, Whitespace, Windows};
use crate::pack::PackRequest;

operations! {
    /// Every customer's segments, for the Customers table.
    get_segments(as_of: Option<chrono::NaiveDate>, windows: Windows) -> Segments => move |api| api.segments(as_of, windows);
    /// The segment summary chart for the screen (SVG).
    render_segment_chart(as_of: Option<chrono::NaiveDate>, windows: Windows, width: u32, height: u32) -> ChartImage =>
        move |api| api.segment_chart(as_of, windows, ImageFormat::Svg, (width, height), 1).map(ChartImage::from);
    /// Saves the segment summary chart: PNG at 1920×1080, or SVG.
    export_segment_chart(as_of: Option<chrono::NaiveDate>, windows: Windows) -> Option<String> => with window::export_segment_chart;
    /// The Dashboard's risk panel.
    get_risk() -> Risk => |api| api.risk();
    /// Saves customers, key accounts or contacts as XLSX or CSV (by the
    /// chosen extension), in the UI's language: the rows and columns the
    /// table shows (`selection`), under the dialog title the UI gives (it
    /// says how many).
    export_table(kind: ExportKind, selection: Selection, title: Option<String>) -> Option<String> => with window::export_table;
    /// The health of one key account.
    get_health(id: u32) -> Option<Health> => move |api| Ok(api.health(Some(id))?.into_iter().next());
    /// The whitespace of one key account (`id`) or of all, with the grid.
    get_whitespace(id: Option<u32>) -> Whitespace => move |api| api.whitespace(id);
    /// Every key account's cost to serve at the owner's rate.
    get_cost_to_serve() -> CostView => |api| Ok(CostView { rate: api.hourly_rate()?, accounts: api.cost_to_serve(None)? });
    /// Sets the value of an hour of the owner's time.
    set_hourly_rate(rate: f64) -> f64 => move |api| api.set_hourly_rate(rate);
    /// The whale curve of profit after cost to serve, for the screen (SVG).
    render_cost_whale(width: u32, height: u32) -> ChartImage => move |api| api.cost_whale(ImageFormat::Svg, (width, height)).map(ChartImage::from);
    /// Saves the whale curve of profit after cost to serve (PNG 1920×1080 or SVG).
    export_cost_whale() -> Option<String> => with window::export_cost_whale;
    /// File ▸ Export meeting pack…: the PDF where the owner chooses (null:
    /// cancelled), with `pack-progress` events while it is built.
    export_pack(request: PackRequest) -> Option<String> => with window::export_pack;
}
