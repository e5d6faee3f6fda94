//! The Dashboard's figures and charts, on screen, in a file or on the
//! clipboard.

use super::{operations, window};
use crate::analysis::{Dashboard, Filter, Measure};
use crate::charts::{ChartImage, ChartRequest, ImageFormat};
use crate::model::Lang;

operations! {
    /// The Dashboard's figures; `measure` null: the data's own (see `Dashboard.measure`).
    get_dashboard(measure: Option<Measure>, filter: Filter) -> Dashboard => move |api| api.dashboard(measure, &filter);
    /// A chart drawn for the screen (SVG) with its hover regions.
    render_chart(request: ChartRequest) -> ChartImage => move |api| api.chart(&request, ImageFormat::Svg).map(ChartImage::from);
    /// Saves a chart where the owner chooses; `.svg` gives SVG, anything else PNG.
    export_chart(request: ChartRequest) -> Option<String> => with window::export_chart;
    /// Puts the chart on the clipboard as an image, to paste into WPS,
    /// PowerPoint or WeChat.
    copy_chart(request: ChartRequest) -> () => with window::copy_chart;
    /// Saves the ranked customer table as CSV or XLSX (by the chosen extension).
    export_ranking(measure: Measure, filter: Filter, lang: Lang) -> Option<String> => with window::export_ranking;
}
