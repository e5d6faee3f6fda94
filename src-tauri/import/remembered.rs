//! Remembered mappings: when the owner corrects how a file's columns are
//! read, the import keeps the mapping ([`ImportRecord::mapping`], written in
//! the import's own transaction), and the next file with the same headers
//! (next month's export) is read with it, with no questions. Forgetting one
//! clears it from the imports that hold it; undoing the import forgets it too.

use serde::Serialize;
use ts_rs::TS;

use super::mapping::normalize_header;
use crate::model::{Field, ImportRecord, SavedMapping, SourceKind};

/// The headers' identity: each header normalized (case, width, spaces and
/// punctuation do not count), in order, hashed.
pub fn signature(headers: &[String]) -> String {
    let joined: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    blake3::hash(joined.join("\u{1f}").as_bytes()).to_hex()[..16].to_string()
}

/// A remembered mapping, as `vitalfew mappings --json` and the window list it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RememberedMapping {
    /// The import that remembered it: `vitalfew mappings forget ID`.
    pub id: u32,
    pub file_name: String,
    /// When (RFC 3339).
    pub at: String,
    pub source: SourceKind,
    pub signature: String,
    /// Each column's header and field (`null`: kept as an attribute).
    pub columns: Vec<(String, Option<Field>)>,
}

impl RememberedMapping {
    /// The fields by column of a file whose headers have this signature.
    pub fn fields(&self) -> Vec<Option<Field>> {
        self.columns.iter().map(|(_, f)| *f).collect()
    }
}

/// The mappings the imports remember, the newest for each set of headers,
/// newest first.
pub fn mappings(imports: &[ImportRecord]) -> Vec<RememberedMapping> {
    let mut out: Vec<RememberedMapping> = Vec::new();
    let mut newest: Vec<&ImportRecord> = imports.iter().filter(|r| r.mapping.is_some()).collect();
    newest.sort_by_key(|r| std::cmp::Reverse(r.id));
    for r in newest {
        let Some(m) = &r.mapping else { continue };
        if out.iter().any(|o| o.signature == m.signature) {
            continue;
        }
        out.push(RememberedMapping {
            id: r.id,
            file_name: r.file_name.clone(),
            at: r.at.clone(),
            source: r.source,
            signature: m.signature.clone(),
            columns: m.columns.clone(),
        });
    }
    out
}

/// The mapping to remember for a file whose headers are `headers`, when
/// the owner's `chosen` differs from the `detected` one.
pub fn to_remember(headers: &[String], detected: &[Option<Field>], chosen: &[Option<Field>]) -> Option<SavedMapping> {
    (detected != chosen).then(|| SavedMapping {
        signature: signature(headers),
        columns: headers.iter().cloned().zip(chosen.iter().copied()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Shape;

    fn record(id: u32, headers: &[&str], field: Option<Field>) -> ImportRecord {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        ImportRecord {
            id,
            file_name: format!("{id}.csv"),
            at: "2025-01-01T00:00:00Z".into(),
            shape: Shape::SalesLedger,
            rows: 1,
            customers: 1,
            new_customers: 1,
            sales_lines: 1,
            skipped: 0,
            checksum: String::new(),
            source: SourceKind::Generic,
            mapping: to_remember(&headers, &[None, None], &[field, Some(Field::Revenue)]),
        }
    }

    #[test]
    fn the_same_headers_in_another_spelling_have_one_signature() {
        let a = signature(&["Kunde".into(), "Umsatz".into()]);
        assert_eq!(a, signature(&["KUNDE ".into(), "umsatz".into()]));
        assert_ne!(a, signature(&["Umsatz".into(), "Kunde".into()]));
    }

    #[test]
    fn the_newest_mapping_of_each_header_set_is_listed() {
        let imports = vec![
            record(1, &["Kunde", "Umsatz"], Some(Field::CustomerName)),
            record(2, &["Kunde", "Umsatz"], Some(Field::CustomerId)),
            record(3, &["Firma", "Betrag"], Some(Field::CustomerName)),
        ];
        let list = mappings(&imports);
        assert_eq!(list.iter().map(|m| m.id).collect::<Vec<_>>(), vec![3, 2]);
        assert_eq!(list[1].fields(), vec![Some(Field::CustomerId), Some(Field::Revenue)]);
        assert_eq!(to_remember(&["a".into()], &[None], &[None]), None, "nothing corrected, nothing remembered");
    }
}
