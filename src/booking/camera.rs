//! The camera as a QR scanner: the one interop module for `getUserMedia`
//! and `BarcodeDetector`. Feature-detected: where either is missing (most
//! browsers other than Chromium's, many webviews), [`supported`] is false
//! and the check-in page offers the seat code field alone; every failure
//! (no permission, no camera) is an `Err`, never a panic. Reached through
//! [`super::js`] (see there why).

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Object, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::booking::js::{self, call0, call1, prop, set_prop};

/// Whether this browser can scan in the app.
pub fn supported() -> bool {
    let window = js::window();
    js::has(&window, "BarcodeDetector") && js::has(&prop(&window, "navigator"), "mediaDevices")
}

/// A running scan: the camera's stream and the detection timer. Dropping
/// it turns the camera off.
pub struct Scanner {
    stream: JsValue,
    interval: i32,
    _tick: Closure<dyn FnMut()>,
}

impl Drop for Scanner {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.clear_interval_with_handle(self.interval);
        }
        if let Some(tracks) = call0(&self.stream, "getTracks") {
            let n = prop(&tracks, "length").as_f64().unwrap_or(0.0) as u32;
            for i in 0..n {
                let track = js_sys::Reflect::get(&tracks, &JsValue::from_f64(f64::from(i)))
                    .unwrap_or(JsValue::UNDEFINED);
                call0(&track, "stop");
            }
        }
    }
}

/// Opens the back camera into `video` and calls `found` with the text of
/// each QR code seen (about three times a second).
pub async fn start(video: JsValue, found: impl Fn(String) + 'static) -> Result<Scanner, ()> {
    let window = web_sys::window().ok_or(())?;
    let devices = prop(&prop(&js::window(), "navigator"), "mediaDevices");
    let constraints = Object::new();
    let camera = Object::new();
    set_prop(&camera, "facingMode", &JsValue::from_str("environment"));
    set_prop(&constraints, "video", &camera);
    let promise = call1(&devices, "getUserMedia", &constraints).ok_or(())?;
    let stream = JsFuture::from(promise.unchecked_into::<Promise>())
        .await
        .map_err(|_| ())?;
    set_prop(&video, "srcObject", &stream);
    set_prop(&video, "muted", &JsValue::TRUE);
    call0(&video, "play");

    let detector = js::construct("BarcodeDetector", &[]).ok_or(())?;
    let busy = Rc::new(Cell::new(false));
    let found = Rc::new(found);
    let tick = Closure::<dyn FnMut()>::new(move || {
        let ready = prop(&video, "readyState").as_f64().unwrap_or(0.0);
        if busy.get() || ready < 2.0 {
            return;
        }
        let Some(promise) = call1(&detector, "detect", &video) else {
            return;
        };
        busy.set(true);
        let (busy, found) = (Rc::clone(&busy), Rc::clone(&found));
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(codes) = JsFuture::from(promise.unchecked_into::<Promise>()).await {
                let first = js_sys::Reflect::get(&codes, &JsValue::from_f64(0.0))
                    .unwrap_or(JsValue::UNDEFINED);
                if let Some(text) = prop(&first, "rawValue").as_string() {
                    found(text);
                }
            }
            busy.set(false);
        });
    });
    let interval = window
        .set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 300)
        .map_err(|_| ())?;
    Ok(Scanner {
        stream,
        interval,
        _tick: tick,
    })
}
