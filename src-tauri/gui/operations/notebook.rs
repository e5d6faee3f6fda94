//! The account notebook, what is due, the holidays and the search box.

use super::{operations, window};
use crate::api::notebook::SearchHit;
use crate::charts::{ChartImage, ImageFormat};
use crate::notebook::{self, DueItem, Holiday, NotebookView};

operations! {
    /// The Dashboard's This week: actions, touches, birthdays, holidays.
    this_week() -> Vec<DueItem> => |api| api.this_week();
    /// A key account's notebook.
    get_notebook(id: u32) -> NotebookView => move |api| api.notebook(id);
    /// One change to a notebook; returns the notebook as it is now.
    change_notebook(id: u32, change: notebook::Change) -> NotebookView => move |api| api.change_notebook(id, change);
    /// An account's relationship map for the screen (SVG).
    render_relationship_map(id: u32, width: u32, height: u32) -> ChartImage => move |api| api.relationship_map(id, ImageFormat::Svg, (width, height), 1).map(ChartImage::from);
    /// Saves an account's relationship map where the owner chooses: PNG at
    /// 1920×1080 for a projector, or SVG.
    export_relationship_map(id: u32) -> Option<String> => with window::export_relationship_map;
    /// The latest overall satisfaction score averaged over the key accounts
    /// surveyed (every notebook is read: asked for by the Satisfaction tab only).
    get_satisfaction_average() -> Option<f64> => |api| api.satisfaction_average();
    /// The search box (Ctrl+K).
    search(query: String) -> Vec<SearchHit> => move |api| api.search(&query);
    /// The holidays to call before.
    list_holidays() -> Vec<Holiday> => |api| api.holidays();
    /// Replaces the list of holidays.
    set_holidays(holidays: Vec<Holiday>) -> Vec<Holiday> => move |api| api.set_holidays(holidays);
}
