//! The native menu: File ▸ Import… (Ctrl+O), Export chart… (Ctrl+E),
//! Export meeting pack… (Ctrl+Shift+E), Team…, Back up…, Restore…, Quit; Help ▸
//! Check the data….
//! Labels come from the message catalogs and follow the UI language.
//! Menu actions are forwarded to the UI as a `menu` event carrying the id.

use tauri::menu::{Menu, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::i18n;
use crate::model::Lang;

pub const IMPORT: &str = "import";
pub const EXPORT_CHART: &str = "export_chart";
pub const EXPORT_PACK: &str = "export_pack";
pub const BACKUP: &str = "backup";
pub const RESTORE: &str = "restore";
pub const QUIT: &str = "quit";
pub const CHECK: &str = "check";
pub const TEAM: &str = "team";

pub fn build<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> tauri::Result<Menu<R>> {
    let item = |id: &str, key: &str, accel: &str| {
        MenuItemBuilder::with_id(id, i18n::text(lang, key)).accelerator(accel).build(app)
    };
    let file = SubmenuBuilder::with_id(app, "file", i18n::text(lang, "menu.file"))
        .item(&item(IMPORT, "menu.import", "CmdOrCtrl+O")?)
        .item(&item(EXPORT_CHART, "menu.export_chart", "CmdOrCtrl+E")?)
        .item(&item(EXPORT_PACK, "menu.export_pack", "CmdOrCtrl+Shift+E")?)
        .item(&PredefinedMenuItem::separator(app)?)
        .item(&MenuItemBuilder::with_id(TEAM, i18n::text(lang, "menu.team")).build(app)?)
        .item(&PredefinedMenuItem::separator(app)?)
        .item(&MenuItemBuilder::with_id(BACKUP, i18n::text(lang, "menu.backup")).build(app)?)
        .item(&MenuItemBuilder::with_id(RESTORE, i18n::text(lang, "menu.restore")).build(app)?)
        .item(&PredefinedMenuItem::separator(app)?)
        .item(&item(QUIT, "menu.quit", "CmdOrCtrl+Q")?)
        .build()?;
    let help = SubmenuBuilder::with_id(app, "help", i18n::text(lang, "menu.help"))
        .item(&MenuItemBuilder::with_id(CHECK, i18n::text(lang, "menu.check")).build(app)?)
        .build()?;
    Menu::with_items(app, &[&file, &help])
}

/// Shows the menu and window title in `lang`. The menu is rebuilt rather than
/// relabelled: GTK does not update a menubar title set after creation.
pub fn relabel<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> tauri::Result<()> {
    let Some(window) = app.get_webview_window(super::MAIN_WINDOW) else { return Ok(()) };
    window.set_menu(build(app, lang)?)?;
    window.set_title(&i18n::text(lang, "app.name"))
}

/// Import, Export chart, Export meeting pack, Team, Back up, Restore and Check
/// are handled by the UI (it owns navigation, the current chart and the
/// dialogs); Quit exits (pending geometry is saved on exit).
pub fn on_event<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match id {
        QUIT => app.exit(0),
        IMPORT | EXPORT_CHART | EXPORT_PACK | TEAM | BACKUP | RESTORE | CHECK => {
            if let Err(e) = app.emit("menu", id) {
                eprintln!("vitalfew: menu event not delivered: {e}");
            }
        }
        _ => {}
    }
}
