//! Places where a page of one feature shows what another feature offers.
//!
//! Feature folders do not import each other: the record page (catalog)
//! cannot name the hold button (account) or the favourite toggle
//! (favourites). The app fills these slots at app level (`lib.rs`) with
//! functions that build those views, and the catalog's pages show
//! whatever the slots give.

use std::sync::Arc;

use leptos::prelude::*;
use yuelan_api::RecordDetail;

/// The slots of the catalog's pages.
#[derive(Clone, Copy)]
pub struct Slots {
    /// Actions on a record page (place a hold, add to a list).
    pub record_actions: fn(Arc<RecordDetail>) -> AnyView,
    /// Actions beside a result in the list: the record's id and title.
    pub result_actions: fn(i64, &str) -> AnyView,
}

/// Provides the slots.
pub fn provide_slots(slots: Slots) {
    provide_context(slots);
}

/// The slots, if provided (pages work without them, showing no actions).
pub fn use_slots() -> Option<Slots> {
    use_context::<Slots>()
}
