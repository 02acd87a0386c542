//! Remembering small preferences on this device.
//!
//! `localStorage` can be missing or throw (WeChat webviews, private mode,
//! storage disabled): every access is guarded and a failure just means the
//! preference is not remembered. Outside the browser (native tests) nothing
//! is stored.

/// The stored value of `key`, if storage works and holds one.
pub fn load(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        local_storage()?.get_item(key).ok().flatten()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = key;
        None
    }
}

/// Stores `value` under `key`; silently does nothing when storage fails.
pub fn save(key: &str, value: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (key, value);
}

/// Forgets `key`; silently does nothing when storage fails.
pub fn remove(key: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = key;
}

#[cfg(target_arch = "wasm32")]
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
