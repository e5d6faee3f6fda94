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

#[cfg(test)]
mod tests {
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
