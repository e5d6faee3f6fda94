//! TypeScript declarations for every Rust type the UI sees, generated with
//! ts-rs into `ui/src/lib/bindings.ts`, and a typed wrapper for every
//! operation in `ui/src/lib/commands.ts` ([`commands`]).
//! `tests/bindings.rs` fails when either file is stale; `make bindings`
//! rewrites them.

use ts_rs::TS;

use super::operations;

use crate::accounts::view::{ChecklistCount, ChecklistEntry};
use crate::accounts::{
    AccountType, AccountView, Action, Answers, Candidate, CandidateReason, Change, CheckItem, Event, Overview, Phase, Reason,
    Signal, Suggestion,
};
use crate::analysis::{Abc, Availability, ClassStat, Concentration, Dashboard, Filter, Measure, Thresholds};
use crate::charts::{ChartImage, ChartKind, ChartRequest, Region};
use crate::error::{ApiError, ErrorCode};
use crate::i18n::{Arg, Msg};
use crate::import::plan::{CheckCode, ColumnPreview, ExcludedRows, FileCheck, ImportPreview, ImportRule, Kept, RowProblem};
use crate::import::remembered::RememberedMapping;
use crate::import::sources::Exclusion;
use crate::import::{DateOrder, DecimalMark, Delimiter, Field, ImportOptions, ImportProgress, OpenProblem, OpenedFile, TextEncoding};
use crate::model::{CustomerRow, ImportRecord, Lang, SavedMapping, Shape, SourceKind, StoreInfo, UiPrefs};
use crate::api::backups::{BackupInfo, Cause, Kind, Recovery};
use crate::api::exports::{ExportKind, Selection};
use crate::customers::SortBy;
use crate::api::notebook::{HitKind, SearchHit};
use crate::analysis::concentration::Class;
use crate::insight::cost::{CostToServe, CostView};
use crate::insight::health::{Health, HealthPart, PartKey};
use crate::insight::risk::{AccountRisk, PersonAccount, PersonRisk, Risk};
use crate::insight::whitespace::{Gap, Grid, GridRow, Whitespace};
use crate::insight::segments::{Band, BandCounts, Bands, CustomerSegment, Lifecycle, LifecycleCounts, Rfm, Segment, SegmentStat, Segments, Windows};
use crate::notebook::calendar::{Holiday, LunarDay, Yearly};
use crate::notebook::view::{AccountHead, BuyingMap, ContactView, Dossier, DueItem, DueKind, Loyalty, LoyaltyReason, LoyaltyStatus, MapCell, MapGap, NotebookView};
use crate::notebook::{
    Attitude, Background, Change as NotebookChange, Competitor, Contact, Edit, EditAction, Function, Gift, Influence, Item, ItemKind, Level, Need,
    NeedStatus, Note, Personal, Project, ProjectStatus, Survey, Touch, TouchKind,
};
use crate::pack::{PackProgress, PackRequest};

/// Path of the generated file, relative to the repository root.
pub const FILE: &str = "ui/src/lib/bindings.ts";

/// The full text of the generated file.
pub fn render() -> String {
    let cfg = ts_rs::Config::default();
    let decls = [
        ApiError::decl(&cfg),
        Msg::decl(&cfg),
        Arg::decl(&cfg),
        ErrorCode::decl(&cfg),
        Lang::decl(&cfg),
        StoreInfo::decl(&cfg),
        UiPrefs::decl(&cfg),
        CustomerRow::decl(&cfg),
        Shape::decl(&cfg),
        SourceKind::decl(&cfg),
        SavedMapping::decl(&cfg),
        ImportRecord::decl(&cfg),
        Field::decl(&cfg),
        TextEncoding::decl(&cfg),
        DateOrder::decl(&cfg),
        ImportOptions::decl(&cfg),
        ImportProgress::decl(&cfg),
        RowProblem::decl(&cfg),
        Delimiter::decl(&cfg),
        DecimalMark::decl(&cfg),
        Kept::decl(&cfg),
        CheckCode::decl(&cfg),
        FileCheck::decl(&cfg),
        ColumnPreview::decl(&cfg),
        Exclusion::decl(&cfg),
        ExcludedRows::decl(&cfg),
        ImportRule::decl(&cfg),
        RememberedMapping::decl(&cfg),
        ImportPreview::decl(&cfg),
        OpenProblem::decl(&cfg),
        OpenedFile::decl(&cfg),
        Measure::decl(&cfg),
        Filter::decl(&cfg),
        Thresholds::decl(&cfg),
        ClassStat::decl(&cfg),
        Abc::decl(&cfg),
        Concentration::decl(&cfg),
        Availability::decl(&cfg),
        Dashboard::decl(&cfg),
        ChartKind::decl(&cfg),
        ChartRequest::decl(&cfg),
        Region::decl(&cfg),
        ChartImage::decl(&cfg),
        AccountType::decl(&cfg),
        Phase::decl(&cfg),
        CheckItem::decl(&cfg),
        Reason::decl(&cfg),
        Answers::decl(&cfg),
        Action::decl(&cfg),
        Event::decl(&cfg),
        Change::decl(&cfg),
        Signal::decl(&cfg),
        Suggestion::decl(&cfg),
        CandidateReason::decl(&cfg),
        Candidate::decl(&cfg),
        ChecklistEntry::decl(&cfg),
        ChecklistCount::decl(&cfg),
        AccountView::decl(&cfg),
        Overview::decl(&cfg),
        Kind::decl(&cfg),
        Cause::decl(&cfg),
        BackupInfo::decl(&cfg),
        Recovery::decl(&cfg),
        LunarDay::decl(&cfg),
        Yearly::decl(&cfg),
        Holiday::decl(&cfg),
        Level::decl(&cfg),
        Function::decl(&cfg),
        Attitude::decl(&cfg),
        Influence::decl(&cfg),
        TouchKind::decl(&cfg),
        ProjectStatus::decl(&cfg),
        NeedStatus::decl(&cfg),
        Background::decl(&cfg),
        Personal::decl(&cfg),
        Contact::decl(&cfg),
        Competitor::decl(&cfg),
        Project::decl(&cfg),
        Note::decl(&cfg),
        Touch::decl(&cfg),
        Gift::decl(&cfg),
        Need::decl(&cfg),
        Survey::decl(&cfg),
        LoyaltyStatus::decl(&cfg),
        LoyaltyReason::decl(&cfg),
        Loyalty::decl(&cfg),
        ItemKind::decl(&cfg),
        EditAction::decl(&cfg),
        Edit::decl(&cfg),
        Item::decl(&cfg),
        NotebookChange::decl(&cfg),
        MapCell::decl(&cfg),
        MapGap::decl(&cfg),
        BuyingMap::decl(&cfg),
        ContactView::decl(&cfg),
        AccountHead::decl(&cfg),
        Dossier::decl(&cfg),
        NotebookView::decl(&cfg),
        DueKind::decl(&cfg),
        DueItem::decl(&cfg),
        HitKind::decl(&cfg),
        SearchHit::decl(&cfg),
        Windows::decl(&cfg),
        Lifecycle::decl(&cfg),
        Segment::decl(&cfg),
        Band::decl(&cfg),
        Rfm::decl(&cfg),
        Class::decl(&cfg),
        CustomerSegment::decl(&cfg),
        LifecycleCounts::decl(&cfg),
        BandCounts::decl(&cfg),
        Bands::decl(&cfg),
        SegmentStat::decl(&cfg),
        Segments::decl(&cfg),
        AccountRisk::decl(&cfg),
        PersonAccount::decl(&cfg),
        PersonRisk::decl(&cfg),
        Risk::decl(&cfg),
        ExportKind::decl(&cfg),
        SortBy::decl(&cfg),
        Selection::decl(&cfg),
        CostToServe::decl(&cfg),
        CostView::decl(&cfg),
        PartKey::decl(&cfg),
        HealthPart::decl(&cfg),
        Health::decl(&cfg),
        GridRow::decl(&cfg),
        Grid::decl(&cfg),
        Gap::decl(&cfg),
        Whitespace::decl(&cfg),
        PackRequest::decl(&cfg),
        PackProgress::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (src-tauri/gui/bindings.rs).\n// Do not edit: tests/bindings.rs fails when this file is stale.\n",
    );
    // Then what the operations take and return that is not listed above,
    // sorted by name (each declaration begins `type Name`): ts-rs's derive
    // visits a type's dependencies in an order that changes from one
    // compile to the next (a HashSet in the macro).
    let mut used: Vec<String> =
        operations::Declarations::of_all_operations().decls.into_iter().filter(|d| !decls.contains(d)).collect();
    used.sort();
    for decl in decls.iter().cloned().chain(used) {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    let codes: Vec<String> =
        ErrorCode::ALL.iter().map(|c| serde_json::to_string(c).expect("code serializes")).collect();
    out.push_str(&format!("\nexport const ERROR_CODES: readonly ErrorCode[] = [{}];\n", codes.join(", ")));
    let fields: Vec<String> =
        crate::import::Field::ALL.iter().map(|f| serde_json::to_string(f).expect("field serializes")).collect();
    out.push_str(&format!("\nexport const FIELDS: readonly Field[] = [{}];\n", fields.join(", ")));
    let sources: Vec<String> = SourceKind::ALL.iter().map(|k| serde_json::to_string(k).expect("source serializes")).collect();
    out.push_str(&format!("\nexport const SOURCE_KINDS: readonly SourceKind[] = [{}];\n", sources.join(", ")));
    let encodings: Vec<String> =
        TextEncoding::ALL.iter().map(|e| serde_json::to_string(e).expect("encoding serializes")).collect();
    let kinds: Vec<String> =
        ChartKind::ALL.iter().map(|k| serde_json::to_string(k).expect("kind serializes")).collect();
    out.push_str(&format!("\nexport const CHART_KINDS: readonly ChartKind[] = [{}];\n", kinds.join(", ")));
    let list = |items: Vec<String>| items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ");
    out.push_str(&format!(
        "\nexport const ACCOUNT_TYPES: readonly AccountType[] = [{}];\n",
        list(AccountType::ALL.iter().map(|t| t.name().to_string()).collect())
    ));
    out.push_str(&format!("\nexport const PHASES: readonly Phase[] = [{}];\n", list(Phase::ALL.iter().map(|p| p.name().to_string()).collect())));
    let items: Vec<String> = CheckItem::ALL.iter().map(|i| serde_json::to_string(i).expect("item serializes")).collect();
    out.push_str(&format!("\nexport const CHECK_ITEMS: readonly CheckItem[] = [{}];\n", items.join(", ")));
    out.push_str(&format!("\nexport const REASON_CODES: readonly string[] = [{}];\n", list(Reason::CODES.iter().map(|c| c.to_string()).collect())));
    out.push_str(&format!("\nexport const TEXT_ENCODINGS: readonly TextEncoding[] = [{}];\n", encodings.join(", ")));
    let delimiters: Vec<String> = Delimiter::ALL.iter().map(|d| serde_json::to_string(d).expect("delimiter serializes")).collect();
    out.push_str(&format!("\nexport const DELIMITERS: readonly Delimiter[] = [{}];\n", delimiters.join(", ")));
    out.push_str(&values::<Level>("LEVELS", "Level"));
    out.push_str(&values::<Function>("BUYING_FUNCTIONS", "BuyingFunction"));
    out.push_str(&values::<Attitude>("ATTITUDES", "Attitude"));
    out.push_str(&values::<Influence>("INFLUENCES", "Influence"));
    out.push_str(&values::<TouchKind>("TOUCH_KINDS", "TouchKind"));
    let segments: Vec<String> = Segment::ALL.iter().map(|s| serde_json::to_string(s).expect("segment serializes")).collect();
    out.push_str(&format!("\nexport const SEGMENTS: readonly Segment[] = [{}];\n", segments.join(", ")));
    out
}

/// `export const NAME: readonly Type[] = [...]` with every value of an enum
/// the command line also takes.
fn values<T: serde::Serialize + clap::ValueEnum>(name: &str, ty: &str) -> String {
    let all: Vec<String> = T::value_variants().iter().map(|v| serde_json::to_string(v).expect("value serializes")).collect();
    format!("\nexport const {name}: readonly {ty}[] = [{}];\n", all.join(", "))
}

/// `ui/src/lib/commands.ts`: a typed wrapper for every operation.
pub fn commands() -> String {
    let cfg = ts_rs::Config::default();
    let mut types = std::collections::BTreeSet::new();
    let mut body = String::new();
    for op in operations::all() {
        let mut ts = |f: fn(&ts_rs::Config) -> String| {
            let name = f(&cfg);
            let mut word = String::new();
            for c in name.chars().chain([' ']) {
                if c.is_ascii_alphanumeric() {
                    word.push(c);
                } else if !word.is_empty() {
                    if word.starts_with(|c: char| c.is_ascii_uppercase()) && word != "Array" {
                        types.insert(word.clone());
                    }
                    word.clear();
                }
            }
            name
        };
        let returns = match ts(op.returns).as_str() {
            "null" => "void".to_string(),
            other => other.to_string(),
        };
        let params: Vec<(String, String)> = op.args.iter().map(|(name, ty)| (camel(name), ts(*ty))).collect();
        if !op.doc.is_empty() {
            let lines: Vec<&str> = op.doc.iter().map(|l| l.trim()).collect();
            body.push_str(&format!("  /** {} */\n", lines.join("\n   * ")));
        }
        let signature: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let keys: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        let args = if keys.is_empty() { String::new() } else { format!(", {{ {} }}", keys.join(", ")) };
        body.push_str(&format!("  {}: ({}) => call<{returns}>(\"{}\"{args}),\n", camel(op.name), signature.join(", "), op.name));
    }
    let types: Vec<String> = types.into_iter().collect();
    format!(
        "// Generated from the operation tables in src-tauri/gui/operations/ by `make bindings`.\n// Do not edit: tests/bindings.rs fails when this file is stale.\nimport {{ call }} from \"./call\";\nimport type {{\n  {},\n}} from \"./bindings\";\n\nexport const commands = {{\n{body}}};\n",
        types.join(",\n  ")
    )
}

/// `snake_case` → `camelCase`, as Tauri names a command's arguments.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}
