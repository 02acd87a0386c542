//! Live seat changes of a room: the one interop module for `EventSource`.
//!
//! [`follow_room`] listens to `GET /api/rooms/{id}/events` (server-sent
//! events `seat`) and calls `on_change` for each, so the open seat map
//! refreshes within a second of a booking anywhere. Where the stream
//! cannot be held (no `EventSource`, a webview or proxy that drops it), it
//! polls instead, once a second, which costs a 304 while nothing changed;
//! after a drop the browser reconnects by itself, and a stream the browser
//! gave up on is opened again after a pause. Every (re)connection calls
//! `on_change` too, for the changes missed meanwhile. Everything stops
//! when the calling page goes away. The stream is reached through
//! [`super::js`] (see there why).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::booking::js;

/// How the map learns of changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveMode {
    /// Server-sent events.
    Live,
    /// Polling, while the stream is not there.
    Polling,
}

/// How long to wait before opening a stream the browser gave up on.
const REOPEN: Duration = Duration::from_secs(5);
/// `EventSource.CLOSED`.
const CLOSED: f64 = 2.0;

/// An event listener kept alive while its stream is open.
type Listener = Closure<dyn FnMut(web_sys::Event)>;

struct Inner {
    url: String,
    source: RefCell<Option<JsValue>>,
    closures: RefCell<Vec<Listener>>,
    on_change: Box<dyn Fn()>,
    mode: RwSignal<LiveMode>,
    stopped: Cell<bool>,
}

impl Inner {
    fn close(&self) {
        if let Some(source) = self.source.borrow_mut().take() {
            js::call0(&source, "close");
        }
        self.closures.borrow_mut().clear();
    }
}

/// Follows the room whose events are at `url`; answers how (tracked).
pub fn follow_room(url: String, on_change: impl Fn() + 'static) -> RwSignal<LiveMode> {
    let mode = RwSignal::new(LiveMode::Polling);
    let inner = Rc::new(Inner {
        url,
        source: RefCell::new(None),
        closures: RefCell::new(Vec::new()),
        on_change: Box::new(on_change),
        mode,
        stopped: Cell::new(false),
    });
    connect(&inner);
    let poller = Rc::clone(&inner);
    let interval = set_interval_with_handle(
        move || {
            if poller.mode.try_get_untracked() == Some(LiveMode::Polling) {
                (poller.on_change)();
            }
        },
        Duration::from_secs(1),
    )
    .ok();
    let held = SendWrapper::new(inner);
    on_cleanup(move || {
        held.stopped.set(true);
        held.close();
        if let Some(handle) = interval {
            handle.clear();
        }
    });
    mode
}

fn connect(inner: &Rc<Inner>) {
    if inner.stopped.get() {
        return;
    }
    inner.close();
    let Some(source) = js::construct("EventSource", &[JsValue::from_str(&inner.url)]) else {
        inner.mode.try_set(LiveMode::Polling);
        return;
    };
    let on_seat = {
        let i = Rc::clone(inner);
        Listener::new(move |_| (i.on_change)())
    };
    let on_open = {
        let i = Rc::clone(inner);
        Listener::new(move |_| {
            i.mode.try_set(LiveMode::Live);
            (i.on_change)();
        })
    };
    let on_error = {
        let i = Rc::clone(inner);
        Listener::new(move |_| {
            i.mode.try_set(LiveMode::Polling);
            let closed = i
                .source
                .borrow()
                .as_ref()
                .is_none_or(|s| js::prop(s, "readyState").as_f64() == Some(CLOSED));
            if closed {
                // The browser gave up (an error status, a proxy): poll, and
                // open the stream again later.
                let again = Rc::clone(&i);
                set_timeout(move || connect(&again), REOPEN);
            }
        })
    };
    let _ = source
        .unchecked_ref::<web_sys::EventTarget>()
        .add_event_listener_with_callback("seat", on_seat.as_ref().unchecked_ref());
    js::set_prop(&source, "onopen", on_open.as_ref());
    js::set_prop(&source, "onerror", on_error.as_ref());
    *inner.source.borrow_mut() = Some(source);
    inner
        .closures
        .borrow_mut()
        .extend([on_seat, on_open, on_error]);
}
