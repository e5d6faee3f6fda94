//! The desktop shell: the only module that imports `tauri`. It builds the
//! window and menu, keeps one instance per data directory (a second launch
//! hands its file over, see [`open`]), remembers the window geometry, and
//! registers the IPC commands.

pub mod bindings;
mod geometry;
mod menu;
mod open;
pub mod operations;
mod state;

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tauri::{AppHandle, Manager, PhysicalPosition, PhysicalSize, RunEvent, Runtime, WebviewUrl, WebviewWindowBuilder, WindowEvent};

use crate::api::Api;
use crate::model::WindowGeometry;
use crate::{datadir, i18n, Error};
use geometry::GeometrySaver;
pub use open::FileToOpen;
use state::AppState;

pub const MAIN_WINDOW: &str = "main";
/// The window at the first start, where the screen allows (see
/// [`geometry::first_size`]).
const DEFAULT_SIZE: (f64, f64) = (1280.0, 860.0);
const MIN_SIZE: (f64, f64) = (WindowGeometry::MIN_WIDTH as f64, WindowGeometry::MIN_HEIGHT as f64);
/// How long the window must stay still before its geometry is saved.
const GEOMETRY_QUIET: Duration = Duration::from_millis(400);
/// How long the window waits for the store's settings before it shows
/// with the defaults.
const SETTINGS_WAIT: Duration = Duration::from_millis(1500);

/// Opens the main window on the store in `data_dir` and runs until the user
/// quits; `file` (absolute) is shown in the import preview once the window
/// is ready. With a window already open on `data_dir`, that window gets
/// `file` and this process exits.
pub fn run(data_dir: PathBuf, file: Option<PathBuf>, file_to_open: FileToOpen) -> Result<(), Error> {
    let instance = instance_id(&data_dir);
    #[cfg(target_os = "linux")]
    if handed_over(&instance) {
        return Ok(());
    }
    let state = AppState::new(Api::new(data_dir));
    if let Some(file) = file {
        state.set_opened(file);
    }
    let app = tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance)
                .callback(move |app, argv, cwd| {
                    focus_main(app);
                    open::from_second_launch(app, &argv, &cwd, file_to_open);
                })
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(state)
        .invoke_handler(operations::handler())
        .setup(|app| {
            open_main_window(app.handle())?;
            Ok(())
        })
        .on_menu_event(|app, event| menu::on_event(app, event.id().as_ref()))
        .on_window_event(|window, event| {
            if let WindowEvent::Moved(_) | WindowEvent::Resized(_) = event {
                track_geometry(window);
            }
        })
        .build(tauri::generate_context!())
        .map_err(|e| Error::Gui(e.to_string()))?;
    app.run(|app, event| match event {
        RunEvent::Exit => {
            finish_geometry(app);
            app.state::<AppState>().api.close();
        }
        #[cfg(any(target_os = "macos", target_os = "ios"))]
        RunEvent::Opened { urls } => open::from_urls(app, &urls),
        _ => {}
    });
    Ok(())
}

fn open_main_window<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let state = app.state::<AppState>();
    // The window appears at once: the store's settings (language, size) are
    // used if it opens quickly; a slow or damaged store is the UI's to show
    // (a recovery screen), not a blank wait here.
    let (tx, rx) = std::sync::mpsc::channel();
    let api = state.api.clone();
    std::thread::spawn(move || {
        let _ = tx.send(api.settings());
    });
    let settings = rx.recv_timeout(SETTINGS_WAIT).ok().and_then(|s| s.ok()).unwrap_or_default();
    let lang = settings.language.unwrap_or_else(i18n::system_lang);
    let window = WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title(i18n::text(lang, "app.name"))
        .inner_size(DEFAULT_SIZE.0, DEFAULT_SIZE.1)
        .min_inner_size(MIN_SIZE.0, MIN_SIZE.1)
        .data_directory(state.api.data_dir().join("webview"))
        .menu(menu::build(app, lang)?)
        .visible(false)
        .build()?;
    let mut memory = state.window();
    if let Some(g) = settings.window.filter(WindowGeometry::is_plausible) {
        // Remembered on a larger screen (or one since unplugged): fitted
        // to the screens there are now.
        let screens: Vec<geometry::Screen> = window
            .available_monitors()
            .unwrap_or_default()
            .iter()
            .map(|m| geometry::Screen { x: m.position().x, y: m.position().y, width: m.size().width, height: m.size().height })
            .collect();
        let g = geometry::fit_to_screens(g, &screens);
        window.set_size(PhysicalSize::new(g.width, g.height))?;
        window.set_position(PhysicalPosition::new(g.x, g.y))?;
        if g.maximized {
            window.maximize()?;
        }
        memory.last = Some(g);
    } else if let Ok(Some(monitor)) = window.current_monitor() {
        // The first start: sized to the screen it opens on.
        let screen = monitor.size().to_logical::<f64>(monitor.scale_factor());
        let origin = monitor.position().to_logical::<f64>(monitor.scale_factor());
        let ((w, h), maximize) = geometry::first_size((screen.width, screen.height), DEFAULT_SIZE);
        window.set_size(tauri::LogicalSize::new(w, h))?;
        // Centred by hand: the window is not shown yet, so it has no size to
        // centre by.
        window.set_position(tauri::LogicalPosition::new(origin.x + (screen.width - w) / 2.0, origin.y + (screen.height - h) / 2.0))?;
        if maximize {
            window.maximize()?;
        }
    }
    let handle = app.clone();
    memory.saver = Some(GeometrySaver::spawn(GEOMETRY_QUIET, move |g| {
        if let Err(e) = handle.state::<AppState>().api.save_window(g) {
            eprintln!("vitalfew: window size not saved: {e}");
        }
    }));
    drop(memory);
    window.show()
}

/// One running window per data directory: the default store uses the app
/// identifier, any other directory (tests, a second company) its own id.
/// On Linux, a window already open on the same data gets this launch's
/// command line over D-Bus, as the single-instance plugin would hand it,
/// but before the toolkit starts: the plugin hands it over from inside the
/// start of GTK and WebKit and exits there, which now and then ends in a
/// segmentation fault (1 launch in 40 here). Without a window open (or a
/// session bus) nothing answers and the app starts as usual.
#[cfg(target_os = "linux")]
fn handed_over(instance: &str) -> bool {
    let name = format!("{instance}.SingleInstance");
    let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
    let Ok(connection) = zbus::blocking::Connection::session() else { return false };
    let argv: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let cwd = std::env::current_dir().unwrap_or_default().to_string_lossy().into_owned();
    connection.call_method(Some(name.as_str()), path.as_str(), Some("org.SingleInstance.DBus"), "ExecuteCallback", &(argv, cwd.as_str())).is_ok()
}

fn instance_id(data_dir: &Path) -> String {
    const BASE: &str = "com.vitalfew.desktop";
    if datadir::is_default(data_dir) {
        return BASE.to_string();
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    data_dir.hash(&mut h);
    format!("{BASE}.d{:016x}", h.finish())
}

fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window(MAIN_WINDOW) {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

fn track_geometry<R: Runtime>(window: &tauri::Window<R>) {
    let (Ok(pos), Ok(size)) = (window.outer_position(), window.inner_size()) else { return };
    let current = WindowGeometry { x: pos.x, y: pos.y, width: size.width, height: size.height, maximized: false };
    let maximized = window.is_maximized().unwrap_or(false);
    let state = window.state::<AppState>();
    let mut memory = state.window();
    memory.last = geometry::next(memory.last, current, maximized);
    if let (Some(g), Some(saver)) = (memory.last, memory.saver.as_ref()) {
        saver.update(g);
    }
}

/// Saves any geometry still pending; called on exit.
fn finish_geometry<R: Runtime>(app: &AppHandle<R>) {
    let saver = app.state::<AppState>().window().saver.take();
    if let Some(mut saver) = saver {
        saver.finish();
    }
}
