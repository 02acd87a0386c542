//! Dynamic access to browser objects through `Reflect`, for the booking's
//! interop modules (`live.rs`, `camera.rs`) and the seat map's pointers.
//!
//! Why not web-sys's typed bindings: every JavaScript function a WASM
//! chunk calls is an import of the main module (the split keeps imports
//! there), about 45 bytes of its brotli size each. Property reads, writes
//! and method calls through `Reflect` reuse the imports the main module has
//! already; only `Reflect.construct` is new. Every failure is a `None` or
//! an ignored `Err`, never a panic.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `target[name]`; `undefined` when it cannot be read.
pub fn prop(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[name] = value`.
pub fn set_prop(target: &JsValue, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

/// Whether `target[name]` is there (neither `undefined` nor `null`).
pub fn has(target: &JsValue, name: &str) -> bool {
    let v = prop(target, name);
    !v.is_undefined() && !v.is_null()
}

/// `target[name]()`.
pub fn call0(target: &JsValue, name: &str) -> Option<JsValue> {
    let f = prop(target, name);
    f.is_function()
        .then(|| f.unchecked_ref::<Function>().call0(target).ok())
        .flatten()
}

/// `target[name](arg)`.
pub fn call1(target: &JsValue, name: &str, arg: &JsValue) -> Option<JsValue> {
    let f = prop(target, name);
    f.is_function()
        .then(|| f.unchecked_ref::<Function>().call1(target, arg).ok())
        .flatten()
}

/// `new window[class](...args)`.
pub fn construct(class: &str, args: &[JsValue]) -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    let ctor = prop(&window, class);
    if !ctor.is_function() {
        return None;
    }
    // An array-like list of the arguments.
    let list = Object::new();
    for (i, a) in args.iter().enumerate() {
        let _ = Reflect::set(&list, &JsValue::from_f64(i as f64), a);
    }
    set_prop(&list, "length", &JsValue::from_f64(args.len() as f64));
    Reflect::construct(ctor.unchecked_ref::<Function>(), list.unchecked_ref()).ok()
}

/// The browser's `window`, as a value.
pub fn window() -> JsValue {
    web_sys::window().map_or(JsValue::UNDEFINED, Into::into)
}
