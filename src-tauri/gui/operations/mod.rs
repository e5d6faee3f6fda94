//! Every operation the window can call, declared once. Each feature has a
//! table here (`imports.rs`, `figures.rs`, … mirroring `api/`): one line per
//! operation, its arguments and what it returns, and how it runs. From the
//! tables come the Tauri commands and their handler (the [`operations!`]
//! macro), the `allow-*` permission each is declared as (`build.rs`, which
//! reads the tables through [`names`]), the capability's grants and the
//! TypeScript wrappers `ui/src/lib/commands.ts` (both written by
//! `make bindings` through `gui::bindings`, checked fresh by
//! `tests/bindings.rs`).
//!
//! A line reads `name(arg: Type, …) -> Returns => |api| expr;` for an
//! operation that runs `expr` with the [`Api`] on a blocking worker (never
//! on the UI thread), or `name(arg: Type, …) -> Returns => with window::f;`
//! for one that needs the window: `window::f` is an
//! `async fn(AppHandle, arg…) -> Result<Returns, Error>` that asks a native
//! dialog first, sends progress events or uses the clipboard (async: a
//! native dialog in a sync command deadlocks GTK).

use tauri::ipc::Invoke;
use tauri::{AppHandle, Manager, State};

use super::state::AppState;
use crate::api::Api;
use crate::Error;

mod accounts;
mod backups;
mod figures;
mod imports;
mod insight;
pub mod names;
mod notebook;
mod settings;
mod team;
mod window;

/// One operation, as the TypeScript wrappers and the capability see it.
pub struct Operation {
    pub name: &'static str,
    pub doc: &'static [&'static str],
    /// Each argument's name and its TypeScript type.
    pub args: &'static [(&'static str, fn(&ts_rs::Config) -> String)],
    pub returns: fn(&ts_rs::Config) -> String,
    /// Visits the types of its arguments and result (see [`Declarations`]).
    pub types: fn(&mut Declarations),
}

/// The TypeScript declarations of the types the operations take and
/// return, and of every type those contain: `gui::bindings` writes them, so
/// a new operation's types need no line of their own there.
pub struct Declarations {
    cfg: ts_rs::Config,
    seen: Vec<String>,
    pub decls: Vec<String>,
}

impl Declarations {
    /// The declarations every operation needs, each once.
    pub fn of_all_operations() -> Declarations {
        let mut d = Declarations { cfg: ts_rs::Config::default(), seen: Vec::new(), decls: Vec::new() };
        for op in all() {
            (op.types)(&mut d);
        }
        d
    }
}

impl ts_rs::TypeVisitor for Declarations {
    fn visit<T: ts_rs::TS + 'static + ?Sized>(&mut self) {
        // Types of their own (derived) have an output path; built-ins and
        // containers do not, and are looked into.
        if T::output_path().is_some() {
            let ident = T::ident(&self.cfg);
            if self.seen.contains(&ident) {
                return;
            }
            self.seen.push(ident);
            self.decls.push(T::decl(&self.cfg));
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// The tables, each with the handler of its commands.
fn tables() -> Vec<(&'static [Operation], Box<dyn Fn(Invoke) -> bool + Send + Sync>)> {
    vec![
        (settings::OPERATIONS, Box::new(settings::handler())),
        (imports::OPERATIONS, Box::new(imports::handler())),
        (figures::OPERATIONS, Box::new(figures::handler())),
        (accounts::OPERATIONS, Box::new(accounts::handler())),
        (notebook::OPERATIONS, Box::new(notebook::handler())),
        (insight::OPERATIONS, Box::new(insight::handler())),
        (backups::OPERATIONS, Box::new(backups::handler())),
        (team::OPERATIONS, Box::new(team::handler())),
    ]
}

/// Every operation of every table.
pub fn all() -> Vec<&'static Operation> {
    tables().into_iter().flat_map(|(ops, _)| ops.iter()).collect()
}

/// The invoke handler of every operation: the table that declares the
/// command runs it.
pub fn handler() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    let tables = tables();
    move |invoke| {
        let command = invoke.message.command();
        match tables.iter().find(|(ops, _)| ops.iter().any(|o| o.name == command)) {
            Some((_, handle)) => handle(invoke),
            None => false,
        }
    }
}

/// Runs `f` on a blocking worker thread.
async fn work<T: Send + 'static>(state: &State<'_, AppState>, f: impl FnOnce(&Api) -> Result<T, Error> + Send + 'static) -> Result<T, Error> {
    let api = state.api.clone();
    tauri::async_runtime::spawn_blocking(move || f(&api)).await.map_err(|e| Error::Storage(format!("worker failed: {e}")))?
}

/// [`work`] for an operation that has the window's handle.
async fn work_in<T: Send + 'static>(app: &AppHandle, f: impl FnOnce(&Api) -> Result<T, Error> + Send + 'static) -> Result<T, Error> {
    work(&app.state::<AppState>(), f).await
}

/// A feature's table: the commands, their `handler()` and `OPERATIONS`.
/// Lines are read one at a time, then everything is written in one
/// expansion (so `generate_handler!` finds the commands it names).
macro_rules! operations {
    (@ [$($done:tt)*]) => {
        $crate::gui::operations::commands! { $($done)* }
    };
    (@ [$($done:tt)*] $(#[doc = $doc:literal])* $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty => with $f:path; $($rest:tt)*) => {
        $crate::gui::operations::operations! { @ [$($done)* {[$($doc)*] $name ($($arg: $ty),*) -> $ret, window, ($f)}] $($rest)* }
    };
    (@ [$($done:tt)*] $(#[doc = $doc:literal])* $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty => $body:expr; $($rest:tt)*) => {
        $crate::gui::operations::operations! { @ [$($done)* {[$($doc)*] $name ($($arg: $ty),*) -> $ret, worker, ($body)}] $($rest)* }
    };
    ($($lines:tt)+) => {
        $crate::gui::operations::operations! { @ [] $($lines)+ }
    };
}

macro_rules! commands {
    ($({[$($doc:literal)*] $name:ident ($($arg:ident: $ty:ty),*) -> $ret:ty, $kind:ident, $body:tt})*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            #[allow(unused_variables)]
            async fn $name(app: tauri::AppHandle, state: tauri::State<'_, $crate::gui::state::AppState>, $($arg: $ty),*) -> Result<$ret, $crate::Error> {
                $crate::gui::operations::run!($kind, $body, app, state, ($($arg),*))
            }
        )*

        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        pub const OPERATIONS: &[$crate::gui::operations::Operation] = &[$(
            $crate::gui::operations::Operation {
                name: stringify!($name),
                doc: &[$($doc),*],
                args: &[$((stringify!($arg), <$ty as ts_rs::TS>::name)),*],
                returns: <$ret as ts_rs::TS>::name,
                types: |d| {
                    use ts_rs::TypeVisitor;
                    d.visit::<$ret>();
                    $(d.visit::<$ty>();)*
                },
            }
        ),*];
    };
}

macro_rules! run {
    (worker, $body:tt, $app:ident, $state:ident, $args:tt) => {
        $crate::gui::operations::work(&$state, $body).await
    };
    (window, $body:tt, $app:ident, $state:ident, ($($arg:ident),*)) => {
        $body($app, $($arg),*).await
    };
}

pub(crate) use {commands, operations, run};
