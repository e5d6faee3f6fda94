//! Where the profit comes from: the 80/20 figures (concentration), per
//! customer values for a measure and filters, and trends over periods.
//! Pure functions over data read from the store; no Tauri, no sled.

pub mod concentration;
pub mod dashboard;
pub mod trend;
pub mod values;

pub use concentration::{concentration, Abc, ClassStat, Concentration, Thresholds};
pub use dashboard::{dashboard, Dashboard};
pub use trend::{trend, Granularity, TrendPoint};
pub use values::{Availability, CustomerValue, Dataset, Filter, KeyAccounts, Measure};
