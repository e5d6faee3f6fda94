//! What the data says about each customer and key account: segments for
//! all customers (lifecycle, RFM, bands, profit class), the concentration
//! risk of the key accounts and their people, each key account's health,
//! cost to serve and whitespace.
//!
//! All of it is pure functions over the `Dataset`, the key accounts and
//! their notebooks, computed on each call and never stored: nothing can go
//! stale.

pub mod cost;
pub mod health;
pub mod risk;
pub mod segments;
pub mod whitespace;

pub use cost::{cost_to_serve, CostToServe, CostView};
pub use health::{health, Health};
pub use risk::{risk, Risk};
pub use segments::{segments, Lifecycle, Segment, Segments, Windows};
pub use whitespace::{whitespace, Whitespace};
