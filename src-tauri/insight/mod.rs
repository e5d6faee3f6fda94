//! What the data says about each customer and key account: segments for
//! all customers (lifecycle, RFM, bands, profit class).

pub mod segments;

pub use segments::{segments, Lifecycle, Segment, Segments, Windows};
