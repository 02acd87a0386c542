//! Feature stylesheets, fetched with their feature's chunk.
//!
//! `main.css` holds the shell, the catalog and what every page shares; a
//! feature whose pages are chunks keeps its CSS in `style/features/<name>.css`,
//! which `cargo xtask build` writes under a hashed name with an SRI hash
//! into a table of the boot script (`window.__yuelanStyles`). The boot
//! script links the stylesheet of the page it opens on at once; for the
//! others, the feature's chunk links it ([`styled`]) and shows its view
//! once it has loaded, so it never shows unstyled. A stylesheet that
//! cannot be fetched is not waited for: an unstyled page beats a blank
//! one. All of this runs in chunks: the main module carries none of it.

use leptos::prelude::*;

/// Shows `view` once the stylesheet of feature `name` has loaded, and
/// `placeholder(which)` until then.
pub fn styled(
    name: &'static str,
    placeholder: fn(u8) -> AnyView,
    which: u8,
    view: impl FnOnce() -> AnyView + 'static,
) -> AnyView {
    let load = load_style(name);
    let slot = StoredValue::new_local(Some(view));
    let build = move || {
        slot.try_update_value(Option::take)
            .flatten()
            .map(untrack)
            .unwrap_or_else(|| placeholder(which))
    };
    if load.is_done() {
        return build();
    }
    let ready = RwSignal::new(false);
    leptos::task::spawn_local_scoped(async move {
        load.wait().await;
        ready.try_set(true);
    });
    (move || {
        if ready.get() {
            build()
        } else {
            placeholder(which)
        }
    })
    .into_any()
}

/// A stylesheet on its way (or already here).
pub struct StyleLoad(#[cfg(target_arch = "wasm32")] Option<js_sys::Promise>);

impl StyleLoad {
    /// Whether there is nothing to wait for.
    pub fn is_done(&self) -> bool {
        #[cfg(target_arch = "wasm32")]
        {
            self.0.is_none()
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            true
        }
    }

    /// Resolves when the stylesheet has loaded or failed.
    pub async fn wait(self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(promise) = self.0 {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        }
    }
}

/// Links the stylesheet of feature `name` now (once per page life); wait
/// on the result for it to apply. Nothing to wait for where there is no
/// such stylesheet (a build without the table, native tests).
pub fn load_style(name: &'static str) -> StyleLoad {
    #[cfg(target_arch = "wasm32")]
    {
        StyleLoad(link_style(name))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = name;
        StyleLoad()
    }
}

/// Starts loading the stylesheet of `name` now, returning what to await.
#[cfg(target_arch = "wasm32")]
fn link_style(name: &str) -> Option<js_sys::Promise> {
    use wasm_bindgen::{JsCast, JsValue};
    let window = web_sys::window()?;
    let document = window.document()?;
    let selector = ["link[data-style=\"", name, "\"]"].concat();
    let link = match document.query_selector(&selector).ok()? {
        Some(link) if link.has_attribute("data-loaded") => return None,
        Some(link) => link,
        None => {
            let table = js_sys::Reflect::get(&window, &JsValue::from_str("__yuelanStyles")).ok()?;
            let entry = js_sys::Reflect::get(&table, &JsValue::from_str(name))
                .ok()?
                .dyn_into::<js_sys::Array>()
                .ok()?;
            let (href, sri) = (entry.get(0).as_string()?, entry.get(1).as_string()?);
            let link = document.create_element("link").ok()?;
            for (k, v) in [
                ("rel", "stylesheet"),
                ("href", href.as_str()),
                ("integrity", sri.as_str()),
                ("crossorigin", "anonymous"),
                ("data-style", name),
            ] {
                link.set_attribute(k, v).ok()?;
            }
            document.head()?.append_child(&link).ok()?;
            link
        }
    };
    // Settles on the link's load or error, marking it so that later
    // callers do not wait (the boot script marks the links it inserts the
    // same way). Listeners, not `onload`, so that several waiters can wait.
    Some(js_sys::Promise::new(&mut |resolve, _| {
        let marked = link.clone();
        let done = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let _ = marked.set_attribute("data-loaded", "");
            let _ = resolve.call0(&JsValue::NULL);
        })
        .into_js_value();
        let done: &js_sys::Function = done.unchecked_ref();
        let _ = link.add_event_listener_with_callback("load", done);
        let _ = link.add_event_listener_with_callback("error", done);
    }))
}
