//! Keeping the screen on while the card shows: the Screen Wake Lock API
//! (`navigator.wakeLock.request("screen")`), where the browser has it.
//!
//! Everything is looked up at run time and every failure is ignored:
//! WeChat's webviews, older browsers and pages without permission simply
//! let the screen dim as usual. The browser drops the lock whenever the
//! page is hidden, so it is asked for again when the page shows.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Holds the screen on while it lives; dropping it lets the screen dim.
pub struct ScreenOn {
    state: Rc<State>,
    on_visible: Option<Closure<dyn FnMut()>>,
}

struct State {
    /// The `WakeLockSentinel` while the lock is held.
    sentinel: RefCell<Option<JsValue>>,
    /// False once the guard is dropped: a lock granted later is released.
    wanted: Cell<bool>,
    /// Whether the lock is held, for the view.
    held: RwSignal<bool>,
}

/// Asks to keep the screen on; `held` follows whether it is. `None` where
/// the browser has no wake lock.
pub fn keep_screen_on(held: RwSignal<bool>) -> Option<ScreenOn> {
    let wake_lock = get(&web_sys::window()?.navigator(), "wakeLock")?;
    let state = Rc::new(State {
        sentinel: RefCell::new(None),
        wanted: Cell::new(true),
        held,
    });
    request(&wake_lock, &state);
    let on_visible = web_sys::window()
        .and_then(|w| w.document())
        .map(|document| {
            let state = Rc::clone(&state);
            let doc = document.clone();
            let callback = Closure::<dyn FnMut()>::new(move || {
                if !doc.hidden() {
                    request(&wake_lock, &state);
                } else {
                    state.held.try_set(false);
                }
            });
            let _ = document.add_event_listener_with_callback(
                "visibilitychange",
                callback.as_ref().unchecked_ref(),
            );
            callback
        });
    Some(ScreenOn { state, on_visible })
}

impl Drop for ScreenOn {
    fn drop(&mut self) {
        self.state.wanted.set(false);
        if let Some(sentinel) = self.state.sentinel.borrow_mut().take() {
            release(&sentinel);
        }
        if let (Some(callback), Some(document)) = (
            self.on_visible.take(),
            web_sys::window().and_then(|w| w.document()),
        ) {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                callback.as_ref().unchecked_ref(),
            );
        }
    }
}

/// `object[name]`, when it is neither undefined nor null.
fn get(object: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `object.name(arg)` and returns what it returns.
fn call(object: &JsValue, name: &str, arg: Option<&JsValue>) -> Option<JsValue> {
    let method = get(object, name)?.dyn_into::<js_sys::Function>().ok()?;
    match arg {
        Some(arg) => method.call1(object, arg),
        None => method.call0(object),
    }
    .ok()
}

fn release(sentinel: &JsValue) {
    if let Some(promise) =
        call(sentinel, "release", None).and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    {
        // Awaited only so that a rejected release (already released by
        // the browser) is handled, not reported as unhandled.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// Asks for the lock; keeps the sentinel if the page still wants it.
fn request(wake_lock: &JsValue, state: &Rc<State>) {
    let Some(promise) = call(wake_lock, "request", Some(&JsValue::from_str("screen")))
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return;
    };
    let state = Rc::clone(state);
    wasm_bindgen_futures::spawn_local(async move {
        // Refused (page hidden, no permission, power saving): the screen
        // dims as usual.
        let Ok(sentinel) = wasm_bindgen_futures::JsFuture::from(promise).await else {
            return;
        };
        if state.wanted.get() {
            if let Some(old) = state.sentinel.borrow_mut().replace(sentinel) {
                release(&old);
            }
            state.held.try_set(true);
        } else {
            release(&sentinel);
        }
    });
}
