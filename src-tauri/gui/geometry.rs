//! Remembering the window's size and position without a write per pixel:
//! moves and resizes are debounced on a background thread and saved once
//! the window has been still for a moment, and at once on quit. Knows
//! nothing of Tauri, so it is tested on its own.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::model::WindowGeometry;

enum Msg {
    Update(WindowGeometry),
    /// Save what is pending now and stop.
    Finish,
}

pub struct GeometrySaver {
    tx: Sender<Msg>,
    worker: Option<JoinHandle<()>>,
}

impl GeometrySaver {
    /// `save` is called with the latest geometry once no update has arrived
    /// for `quiet`, and on [`finish`](Self::finish).
    pub fn spawn(quiet: Duration, save: impl Fn(WindowGeometry) + Send + 'static) -> GeometrySaver {
        let (tx, rx) = mpsc::channel::<Msg>();
        let worker = std::thread::Builder::new()
            .name("geometry-saver".into())
            .spawn(move || {
                let mut pending: Option<WindowGeometry> = None;
                loop {
                    let msg = if pending.is_some() { rx.recv_timeout(quiet) } else { rx.recv().map_err(|_| RecvTimeoutError::Disconnected) };
                    match msg {
                        Ok(Msg::Update(g)) => pending = Some(g),
                        Err(RecvTimeoutError::Timeout) => {
                            if let Some(g) = pending.take() {
                                save(g);
                            }
                        }
                        Ok(Msg::Finish) | Err(RecvTimeoutError::Disconnected) => {
                            if let Some(g) = pending.take() {
                                save(g);
                            }
                            return;
                        }
                    }
                }
            })
            .expect("spawn geometry saver");
        GeometrySaver { tx, worker: Some(worker) }
    }

    pub fn update(&self, geometry: WindowGeometry) {
        let _ = self.tx.send(Msg::Update(geometry));
    }

    /// Saves anything pending and waits for it to be written.
    pub fn finish(&mut self) {
        let _ = self.tx.send(Msg::Finish);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Drop for GeometrySaver {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The geometry to remember after a move or resize: a maximized window keeps
/// its normal size and position and only sets the flag.
pub fn next(previous: Option<WindowGeometry>, current: WindowGeometry, maximized: bool) -> Option<WindowGeometry> {
    if maximized {
        previous.map(|g| WindowGeometry { maximized: true, ..g })
    } else {
        Some(WindowGeometry { maximized: false, ..current })
    }
}

/// The window's size at the first start on a screen of `screen` (logical
/// pixels): the preferred size where it fits, else most of the screen; on
/// a laptop screen of 1366×768 or less the window is maximized.
pub fn first_size(screen: (f64, f64), preferred: (f64, f64)) -> ((f64, f64), bool) {
    let (w, h) = screen;
    let small = w <= 1366.0 || h <= 768.0;
    ((preferred.0.min(w * 0.92), preferred.1.min(h * 0.9)), small)
}

/// A screen's place and size on the desktop, in physical pixels (what
/// Tauri's monitors give: position and size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// A remembered geometry on the screens there are now: a window remembered
/// on a larger screen (or a monitor since unplugged) is shrunk to the
/// screen it lands on — the one holding most of it, else the first — and
/// moved inside it, so it never opens larger than the screen or off it.
/// With no screen known it is kept as it was.
pub fn fit_to_screens(g: WindowGeometry, screens: &[Screen]) -> WindowGeometry {
    let Some(screen) = screens.iter().max_by_key(|s| overlap(&g, s)).filter(|s| overlap(&g, s) > 0).or(screens.first()) else { return g };
    let width = g.width.min(screen.width).max(WindowGeometry::MIN_WIDTH.min(screen.width));
    let height = g.height.min(screen.height).max(WindowGeometry::MIN_HEIGHT.min(screen.height));
    let inside = |at: i32, start: i32, room: u32, len: u32| at.clamp(start, start + (room - len) as i32);
    WindowGeometry {
        x: inside(g.x, screen.x, screen.width, width),
        y: inside(g.y, screen.y, screen.height, height),
        width,
        height,
        maximized: g.maximized,
    }
}

/// How many pixels of the window lie on `s`.
fn overlap(g: &WindowGeometry, s: &Screen) -> u64 {
    let span = |a: i32, al: u32, b: i32, bl: u32| (i64::from(a) + i64::from(al)).min(i64::from(b) + i64::from(bl)) - i64::from(a).max(i64::from(b));
    let (w, h) = (span(g.x, g.width, s.x, s.width), span(g.y, g.height, s.y, s.height));
    if w <= 0 || h <= 0 {
        0
    } else {
        (w * h) as u64
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_window_remembered_on_a_larger_screen_fits_the_screen_it_opens_on() {
        use super::{fit_to_screens, Screen, WindowGeometry};
        let laptop = Screen { x: 0, y: 0, width: 1366, height: 768 };
        let big = WindowGeometry { x: 200, y: 100, width: 2400, height: 1300, maximized: false };
        assert_eq!(fit_to_screens(big, &[laptop]), WindowGeometry { x: 0, y: 0, width: 1366, height: 768, maximized: false });
        // Smaller than the screen but partly off it: moved back, size kept.
        let off = WindowGeometry { x: 900, y: 500, width: 1000, height: 600, maximized: true };
        assert_eq!(fit_to_screens(off, &[laptop]), WindowGeometry { x: 366, y: 168, width: 1000, height: 600, maximized: true });
        // Two screens: it stays on the one holding most of it.
        let right = Screen { x: 1366, y: 0, width: 1920, height: 1080 };
        let there = WindowGeometry { x: 1500, y: 50, width: 1800, height: 1000, maximized: false };
        assert_eq!(fit_to_screens(there, &[laptop, right]), WindowGeometry { x: 1486, y: 50, width: 1800, height: 1000, maximized: false });
        // Its monitor unplugged: onto the first screen, at its nearest edge.
        let gone = WindowGeometry { x: 4000, y: 0, width: 1280, height: 860, maximized: false };
        assert_eq!(fit_to_screens(gone, &[laptop]), WindowGeometry { x: 86, y: 0, width: 1280, height: 768, maximized: false });
        // A window that fits stays where it was; no screen known: unchanged.
        let fits = WindowGeometry { x: 10, y: 20, width: 1200, height: 700, maximized: false };
        assert_eq!(fit_to_screens(fits, &[laptop]), fits);
        assert_eq!(fit_to_screens(big, &[]), big);
    }

    #[test]
    fn the_first_start_fits_the_screen() {
        use super::first_size;
        assert_eq!(first_size((1920.0, 1080.0), (1280.0, 860.0)), ((1280.0, 860.0), false));
        let ((w, h), maximized) = first_size((1366.0, 768.0), (1280.0, 860.0));
        assert!(w <= 1366.0 && h <= 768.0 && maximized, "{w}×{h}");
        assert!(!first_size((2560.0, 1440.0), (1280.0, 860.0)).1);
        assert_eq!(first_size((1400.0, 900.0), (1280.0, 860.0)), ((1280.0, 810.0), false));
    }

    use super::*;
    use std::sync::{Arc, Mutex};

    fn g(width: u32) -> WindowGeometry {
        WindowGeometry { x: 1, y: 2, width, height: 600, maximized: false }
    }

    fn recorder() -> (Arc<Mutex<Vec<u32>>>, impl Fn(WindowGeometry) + Send + 'static) {
        let saved = Arc::new(Mutex::new(Vec::new()));
        let sink = saved.clone();
        (saved, move |geo: WindowGeometry| sink.lock().unwrap().push(geo.width))
    }

    #[test]
    fn a_burst_of_updates_is_saved_once_when_quiet() {
        let (saved, save) = recorder();
        let saver = GeometrySaver::spawn(Duration::from_millis(300), save);
        for w in 800..900 {
            saver.update(g(w));
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while saved.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(*saved.lock().unwrap(), vec![899]);
        drop(saver);
        assert_eq!(*saved.lock().unwrap(), vec![899], "nothing pending, nothing saved again");
    }

    #[test]
    fn finish_saves_what_is_pending_at_once() {
        let (saved, save) = recorder();
        let mut saver = GeometrySaver::spawn(Duration::from_secs(3600), save);
        saver.update(g(1000));
        saver.finish();
        assert_eq!(*saved.lock().unwrap(), vec![1000]);
    }

    #[test]
    fn maximizing_keeps_the_normal_geometry() {
        let normal = g(1000);
        let maximized = next(Some(normal), g(1920), true).unwrap();
        assert_eq!(maximized, WindowGeometry { maximized: true, ..normal });
        assert_eq!(next(None, g(1920), true), None);
        assert_eq!(next(Some(maximized), g(900), false), Some(g(900)));
    }
}
