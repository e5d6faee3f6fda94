//! How every command writes: one line (or block) of text, or pretty JSON.

use std::io::Write;

use serde::Serialize;

use crate::{Error, Result};

pub fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    writeln!(out, "{text}").map_err(|e| Error::Output(e.to_string()))
}

pub fn emit_json<T: Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    emit(out, &serde_json::to_string_pretty(value).expect("serializes"))
}

/// A unit enum's serde name (`"daily"`), as the JSON shows it.
pub fn serde_plain<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}
