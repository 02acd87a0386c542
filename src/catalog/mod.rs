//! The catalog pillar: search, result list, facets, record page.
//!
//! `query`, `availability`, `results` and `labels` are plain Rust with
//! native tests; the view modules stay thin over them. Data comes only
//! through [`crate::api::ApiClient`].

pub mod availability;
pub mod facets;
pub mod labels;
pub mod query;
pub mod record_page;
pub mod result_item;
pub mod results;
pub mod search_form;
pub mod search_page;

use std::sync::Arc;

use leptos::prelude::*;
use yuelan_api::LibraryNames;

use crate::api::{ApiClient, Slot, load_into};
use query::SearchState;
use results::Results;

pub use record_page::RecordPage;
pub use search_page::SearchPage;

/// State the catalog keeps across its pages for the whole visit.
#[derive(Clone, Copy)]
pub struct CatalogContext {
    /// The network's libraries, loaded once: names for availability lines.
    libraries: Slot<Arc<LibraryNames>>,
    /// The last loaded results, so "back" from a record shows them at once.
    results: StoredValue<Option<(SearchState, Results)>>,
    /// After "load more": the index of the first new result, to focus.
    focus_from: StoredValue<Option<usize>>,
    /// The search the patron last opened a record from.
    last_search: RwSignal<Option<SearchState>>,
    /// Whether the record page on screen was opened from the result list
    /// (then its back link can go back in history).
    from_results: RwSignal<bool>,
}

impl CatalogContext {
    /// Whether the library list has been answered (loaded or failed;
    /// tracked). Results and records wait for it, so that their "on the
    /// shelf at" lines appear with library names, not ids that names then
    /// replace (moving the text, and making the page's largest paint late).
    pub fn libraries_settled(&self) -> bool {
        self.libraries.with(Option::is_some)
    }

    /// The name of library `id`, if the library list has loaded and has it.
    pub fn library_name(&self, id: &str, english: bool) -> Option<String> {
        self.libraries.with(|list| {
            let list = list.as_ref()?.as_ref().ok()?;
            list.libraries
                .iter()
                .find(|l| l.id == id)
                .map(|l| l.name.get(english).to_owned())
        })
    }
}

/// Provides the catalog context; starts loading the library list.
pub fn provide_catalog(client: ApiClient) -> CatalogContext {
    let libraries: Slot<Arc<LibraryNames>> = RwSignal::new(None);
    load_into(libraries, None, move || {
        let fut = client.library_names();
        Box::pin(async move { fut.await.map(Arc::new) })
    });
    let ctx = CatalogContext {
        libraries,
        results: StoredValue::new(None),
        focus_from: StoredValue::new(None),
        last_search: RwSignal::new(None),
        from_results: RwSignal::new(false),
    };
    provide_context(ctx);
    ctx
}

/// The catalog context, if provided (components work without it: they then
/// show library ids instead of names).
pub fn use_catalog() -> Option<CatalogContext> {
    use_context::<CatalogContext>()
}

/// The name of library `id` for display: from the library list when it is
/// known, else the id itself.
pub fn library_label(catalog: Option<CatalogContext>, id: &str, english: bool) -> String {
    catalog
        .and_then(|c| c.library_name(id, english))
        .unwrap_or_else(|| id.to_owned())
}
