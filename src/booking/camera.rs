//! The camera as a QR scanner: the one interop module for `getUserMedia`
//! and `BarcodeDetector`. Feature-detected: where either is missing (most
//! browsers other than Chromium's, many webviews), [`supported`] is false
//! and the check-in page offers the seat code field alone; every failure
//! (no permission, no camera) is an `Err`, never a panic.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints, MediaStreamTrack};

/// Whether this browser can scan in the app.
pub fn supported() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let has_detector =
        Reflect::has(&window, &JsValue::from_str("BarcodeDetector")).unwrap_or(false);
    let has_media = Reflect::get(&window.navigator(), &JsValue::from_str("mediaDevices"))
        .is_ok_and(|m| !m.is_undefined() && !m.is_null());
    has_detector && has_media
}

/// A running scan: the camera's stream and the detection timer. Dropping
/// it turns the camera off.
pub struct Scanner {
    stream: MediaStream,
    interval: i32,
    _tick: Closure<dyn FnMut()>,
}

impl Drop for Scanner {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.clear_interval_with_handle(self.interval);
        }
        for track in self.stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                track.stop();
            }
        }
    }
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Opens the back camera into `video` and calls `found` with the text of
/// each QR code seen (about three times a second).
pub async fn start(
    video: HtmlVideoElement,
    found: impl Fn(String) + 'static,
) -> Result<Scanner, ()> {
    let window = web_sys::window().ok_or(())?;
    let devices = window.navigator().media_devices().map_err(|_| ())?;
    let constraints = MediaStreamConstraints::new();
    let camera = Object::new();
    set(&camera, "facingMode", &JsValue::from_str("environment"));
    constraints.set_video(&camera);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| ())?;
    let stream: MediaStream = JsFuture::from(promise)
        .await
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    video.set_src_object(Some(&stream));
    let _ = video.play();

    let ctor: Function = Reflect::get(&window, &JsValue::from_str("BarcodeDetector"))
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    let options = Object::new();
    set(
        &options,
        "formats",
        &Array::of1(&JsValue::from_str("qr_code")),
    );
    let detector = Reflect::construct(&ctor, &Array::of1(&options)).map_err(|_| ())?;
    let detect: Function = Reflect::get(&detector, &JsValue::from_str("detect"))
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;

    let busy = Rc::new(Cell::new(false));
    let found = Rc::new(found);
    let tick = Closure::<dyn FnMut()>::new(move || {
        if busy.get() || video.ready_state() < 2 {
            return;
        }
        let Ok(promise) = detect
            .call1(&detector, &video)
            .and_then(|p| p.dyn_into::<Promise>())
        else {
            return;
        };
        busy.set(true);
        let (busy, found) = (Rc::clone(&busy), Rc::clone(&found));
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(codes) = JsFuture::from(promise).await {
                let text = Array::from(&codes).iter().find_map(|c| {
                    Reflect::get(&c, &JsValue::from_str("rawValue"))
                        .ok()?
                        .as_string()
                });
                if let Some(text) = text {
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
