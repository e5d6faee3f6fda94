//! What the data says about each customer and key account: segments for
//! all customers (lifecycle, RFM, bands, profit class) and the
//! concentration risk of the key accounts and their people.

pub mod risk;
pub mod segments;

pub use risk::{risk, Risk};
pub use segments::{segments, Lifecycle, Segment, Segments, Windows};
