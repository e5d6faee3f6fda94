//! What the Dashboard and the Customers page show, charts and exports.

use std::path::Path;

use super::Api;
use crate::analysis::{self, Concentration, Dashboard, Filter, Measure, Thresholds};
use crate::charts::{self, ChartRequest, ImageFormat, Rendered};
use crate::export::{self, TableFormat};
use crate::model::{CustomerRow, Lang};
use crate::{customers, Result};

impl Api {
    /// The Dashboard for `measure` (`None`: profit, or revenue when the data
    /// has no profit).
    pub fn dashboard(&self, measure: Option<Measure>, filter: &Filter) -> Result<Dashboard> {
        Ok(analysis::dashboard(&*self.dataset()?, measure, filter))
    }

    /// The 80/20 figures of `measure` (`None`: profit, or revenue when the
    /// data has no profit), and the measure they are of.
    pub fn concentration(&self, measure: Option<Measure>, filter: &Filter) -> Result<(Measure, Concentration)> {
        let data = self.dataset()?;
        let measure = measure.unwrap_or_else(|| data.measure());
        Ok((measure, analysis::concentration(&data.values(measure, filter), Thresholds::default())))
    }

    /// The measure figures default to (see [`analysis::Dataset::measure`]).
    pub fn default_measure(&self) -> Result<Measure> {
        Ok(self.dataset()?.measure())
    }

    /// A chart drawn as `format`.
    pub fn chart(&self, request: &ChartRequest, format: ImageFormat) -> Result<Rendered> {
        charts::chart(&*self.dataset()?, request, format)
    }

    /// A chart as RGBA pixels (for the clipboard).
    pub fn chart_bitmap(&self, request: &ChartRequest) -> Result<charts::Bitmap> {
        charts::Bitmap::from_png(&self.chart(request, ImageFormat::Png)?.bytes)
    }

    /// The ranked customer table as the file `path` names (CSV or XLSX).
    pub fn ranking_file(&self, path: &Path, measure: Measure, filter: &Filter, lang: Lang) -> Result<Vec<u8>> {
        let rows = export::ranking(&*self.dataset()?, measure, filter);
        export::ranking_table(&rows, lang).write(TableFormat::from_path(path).unwrap_or(TableFormat::Xlsx))
    }

    /// Every customer with its totals.
    pub fn customers(&self) -> Result<Vec<CustomerRow>> {
        customers::rows(&*self.store()?)
    }
}
