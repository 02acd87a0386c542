//! Facets: the groups of checkboxes that narrow a search, the panel (a side
//! panel on wide screens, a bottom sheet on phones) that holds them, and
//! the chips of selected filters.
//!
//! Groups and options are keyed, so toggling a checkbox re-renders counts
//! in place and never drops keyboard focus.

use std::sync::Arc;

use leptos::prelude::*;
use yuelan_api::{Facet, FacetField, FacetValue, LocalizedText};

use crate::catalog::labels::{facet_key, facet_value_label};
use crate::catalog::query::SearchState;
use crate::catalog::{CatalogContext, library_label, use_catalog};
use crate::components::icons::{Icon, IconName};
use crate::components::lazy::{ChunkLoadFailed, lazy_view};
use crate::i18n::{self, Key, Locale, use_i18n};

/// Options shown before "show more".
const SHOWN_VALUES: usize = 8;

/// The label of a selected value: the facet's own label when the server
/// gave one, else the library list (for branches), else i18n or the value.
fn value_label(
    locale: Locale,
    field: FacetField,
    value: &str,
    facets: &[Facet],
    catalog: Option<CatalogContext>,
) -> String {
    let label = facets
        .iter()
        .filter(|f| f.field == field)
        .flat_map(|f| f.values.iter())
        .find(|v| v.value == value)
        .and_then(|v| v.label.as_ref());
    if label.is_none() && field == FacetField::Branch {
        return library_label(catalog, value, locale.is_english());
    }
    facet_value_label(locale, field, value, label)
}

/// One option of a facet group: a checkbox, its label and its count.
#[component]
fn FacetOption(
    field: FacetField,
    value: String,
    label: Option<LocalizedText>,
    /// The current count of this value.
    count: Signal<u64>,
    state: Signal<SearchState>,
    on_toggle: Callback<(FacetField, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let catalog = use_catalog();
    let text = {
        let value = value.clone();
        move || {
            let locale = i18n.locale();
            if label.is_none() && field == FacetField::Branch {
                library_label(catalog, &value, locale.is_english())
            } else {
                facet_value_label(locale, field, &value, label.as_ref())
            }
        }
    };
    let checked = {
        let value = value.clone();
        move || state.with(|s| s.is_selected(field, &value))
    };
    let toggle_value = value.clone();
    view! {
        <li>
            <label class="facet-option">
                <input
                    type="checkbox"
                    name=field.as_str()
                    value=value
                    prop:checked=checked
                    on:change=move |_| on_toggle.run((field, toggle_value.clone()))
                />
                <span class="facet-label">{text}</span>
                <span class="facet-count">{move || count.get().to_string()}</span>
            </label>
        </li>
    }
}

/// The checkboxes of one facet, in a fieldset with the facet's name.
#[component]
pub fn FacetGroup(
    field: FacetField,
    /// The facet's values and counts (from the latest results).
    #[prop(into)]
    values: Signal<Vec<FacetValue>>,
    /// The search; says which values are selected.
    #[prop(into)]
    state: Signal<SearchState>,
    /// Called with a value to select or unselect.
    #[prop(into)]
    on_toggle: Callback<(FacetField, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (expanded, set_expanded) = signal(false);
    let shown = move || {
        let all = values.get();
        let expanded = expanded.get();
        state.with(|s| {
            all.into_iter()
                .enumerate()
                .filter(|(i, v)| expanded || *i < SHOWN_VALUES || s.is_selected(field, &v.value))
                .map(|(_, v)| v)
                .collect::<Vec<_>>()
        })
    };
    let hidden = move || values.with(|v| v.len().saturating_sub(SHOWN_VALUES));
    view! {
        <fieldset class="facet" data-field=field.as_str()>
            <legend class="facet-name">{i18n.t(facet_key(field))}</legend>
            <ul class="facet-options">
                <For
                    each=shown
                    key=|v: &FacetValue| v.value.clone()
                    children=move |v: FacetValue| {
                        let key = v.value.clone();
                        let count = Signal::derive(move || {
                            values.with(|vs| vs.iter().find(|x| x.value == key).map_or(0, |x| x.count))
                        });
                        view! {
                            <FacetOption
                                field
                                value=v.value
                                label=v.label
                                count
                                state
                                on_toggle
                            />
                        }
                    }
                />
            </ul>
            <Show when=move || { hidden() > 0 }>
                <button
                    type="button"
                    class="link-button"
                    aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| set_expanded.update(|e| *e = !*e)
                >
                    {move || {
                        if expanded.get() {
                            i18n.t(Key::ShowFewer).to_owned()
                        } else {
                            [i18n.t(Key::ShowMore), " (", &hidden().to_string(), ")"].concat()
                        }
                    }}
                </button>
            </Show>
        </fieldset>
    }
}

/// The facet panel. On wide screens a side panel; on phones a modal bottom
/// sheet while `open`: focus moves into it, stays in it, Escape closes it
/// and focus returns to `return_focus`.
#[component]
pub fn FacetPanel(
    facets: Signal<Arc<Vec<Facet>>>,
    state: Signal<SearchState>,
    /// Records matching now, for the "show N results" button.
    total: Signal<Option<u64>>,
    open: RwSignal<bool>,
    return_focus: NodeRef<leptos::html::Button>,
    on_toggle: Callback<(FacetField, String)>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let close_ref = NodeRef::<leptos::html::Button>::new();
    let show_ref = NodeRef::<leptos::html::Button>::new();
    let close = move || open.set(false);

    // Focus moves after the next paint: the sheet's `open` class (which
    // makes its buttons visible, hence focusable) is applied by a render
    // effect that may run after this one.
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if is_open {
            request_animation_frame(move || {
                if let Some(b) = close_ref.get_untracked() {
                    let _ = b.focus();
                }
            });
        } else if was_open == Some(true) {
            request_animation_frame(move || {
                if let Some(b) = return_focus.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
        is_open
    });

    // The groups are built only while the panel can be seen: as the side
    // column of a wide screen, or as the open sheet on a phone. A phone's
    // closed sheet would otherwise rebuild its checkboxes on every answer,
    // in the same task as the results.
    let wide = side_panel_layout();
    let visible = Memo::new(move |_| open.get() || wide.get());
    let fields = move || {
        if !visible.get() {
            return Vec::new();
        }
        facets.with(|fs| {
            FacetField::ALL
                .into_iter()
                .filter(|f| fs.iter().any(|x| x.field == *f && !x.values.is_empty()))
                .collect::<Vec<_>>()
        })
    };
    let trap_start = move || {
        open.get().then(|| {
            view! {
                <span
                    class="focus-trap"
                    tabindex="0"
                    on:focus=move |_| {
                        if let Some(b) = show_ref.get() {
                            let _ = b.focus();
                        }
                    }
                ></span>
            }
        })
    };
    let trap_end = move || {
        open.get().then(|| {
            view! {
                <span
                    class="focus-trap"
                    tabindex="0"
                    on:focus=move |_| {
                        if let Some(b) = close_ref.get() {
                            let _ = b.focus();
                        }
                    }
                ></span>
            }
        })
    };

    view! {
        <Show when=move || open.get()>
            <div class="sheet-backdrop" on:click=move |_| close()></div>
        </Show>
        <aside
            id="facets"
            class="facets"
            class:open=move || open.get()
            role=move || open.get().then_some("dialog")
            aria-modal=move || open.get().then_some("true")
            aria-labelledby="facets-title"
            on:keydown=move |ev| {
                if open.get_untracked() && ev.key() == "Escape" {
                    ev.prevent_default();
                    close();
                }
            }
        >
            {trap_start}
            <div class="facets-header">
                <h2 id="facets-title" class="facets-title">{i18n.t(Key::Filters)}</h2>
                <button
                    type="button"
                    class="icon-button sheet-only"
                    node_ref=close_ref
                    aria-label=i18n.t(Key::FiltersClose)
                    on:click=move |_| close()
                >
                    <Icon name=IconName::Close />
                </button>
            </div>
            <div class="facets-body">
                <For
                    each=fields
                    key=|f: &FacetField| *f
                    children=move |field: FacetField| {
                        let values = Signal::derive(move || {
                            facets.with(|fs| {
                                fs.iter()
                                    .find(|f| f.field == field)
                                    .map(|f| f.values.clone())
                                    .unwrap_or_default()
                            })
                        });
                        view! { <FacetGroup field values state on_toggle /> }
                    }
                />
            </div>
            <div class="facets-footer sheet-only">
                <button
                    type="button"
                    class="button secondary"
                    disabled=move || state.with(|s| s.filters.is_empty())
                    on:click=move |_| on_clear.run(())
                >
                    {i18n.t(Key::ClearFilters)}
                </button>
                <button type="button" class="button" node_ref=show_ref on:click=move |_| close()>
                    {move || match total.get() {
                        Some(n) => i18n::show_results(i18n.locale(), n),
                        None => i18n.t(Key::Searching).to_owned(),
                    }}
                </button>
            </div>
            {trap_end}
        </aside>
    }
}

/// The stylesheet's breakpoint at which the panel becomes a side column
/// (`style/main.css`).
const SIDE_PANEL_MEDIA: &str = "(min-width: 900px)";

/// Whether the panel is a side column now ([`SIDE_PANEL_MEDIA`]), followed
/// as the window is resized or the phone turned.
fn side_panel_layout() -> Signal<bool> {
    let query = || {
        web_sys::window()
            .and_then(|w| w.match_media(SIDE_PANEL_MEDIA).ok().flatten())
            .is_some_and(|m| m.matches())
    };
    let wide = RwSignal::new(query());
    let listener = window_event_listener(leptos::ev::resize, move |_| {
        let now = query();
        if wide.get_untracked() != now {
            wide.set(now);
        }
    });
    on_cleanup(move || listener.remove());
    wide.into()
}

/// The selected filters as removable chips, with "clear all".
#[component]
pub fn FilterChips(
    state: Signal<SearchState>,
    facets: Signal<Arc<Vec<Facet>>>,
    on_remove: Callback<(FacetField, String)>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let catalog = use_catalog();
    let chips = move || {
        state.with(|s| {
            s.selected()
                .map(|(f, v)| (f, v.to_owned()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || state.with(|s| s.filter_count() > 0)>
            <div class="chips" role="group" aria-label=i18n.t(Key::SelectedFilters)>
                <ul class="chip-list">
                    {move || {
                        chips()
                            .into_iter()
                            .map(|(field, value)| {
                                let label = facets.with(|fs| value_label(i18n.locale(), field, &value, fs, catalog));
                                let aria = [i18n.t(Key::RemoveFilter), &label].concat();
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="chip"
                                            aria-label=aria
                                            on:click=move |_| on_remove.run((field, value.clone()))
                                        >
                                            <span>{label}</span>
                                            <Icon name=IconName::Close />
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <Show when=move || state.with(|s| s.filter_count() > 1)>
                    <button type="button" class="link-button" on:click=move |_| on_clear.run(())>
                        {i18n.t(Key::ClearFilters)}
                    </button>
                </Show>
            </div>
        </Show>
    }
}

/// The props of [`FacetPanel`], carried across its split point.
#[derive(Clone, Copy)]
pub struct FacetPanelArgs {
    pub facets: Signal<Arc<Vec<Facet>>>,
    pub state: Signal<SearchState>,
    pub total: Signal<Option<u64>>,
    pub open: RwSignal<bool>,
    pub return_focus: NodeRef<leptos::html::Button>,
    pub on_toggle: Callback<(FacetField, String)>,
    pub on_clear: Callback<()>,
}

// The facet panel in a WASM chunk of its own: the search page's first
// load does not carry it.
split_fn!(
    facet_panel,
    fn facet_panel_split(a: FacetPanelArgs) -> Result<AnyView, ChunkLoadFailed> {
        Ok(view! {
            <FacetPanel
                facets=a.facets
                state=a.state
                total=a.total
                open=a.open
                return_focus=a.return_focus
                on_toggle=a.on_toggle
                on_clear=a.on_clear
            />
        }
        .into_any())
    }
);

/// The facet panel, once its chunk is here (or the network error). The
/// chunk is fetched once `ready` (the first results are in), so on a weak
/// link it does not compete with the search for bandwidth; until then an
/// empty box holds the panel's column on wide screens.
pub fn lazy_facet_panel(args: FacetPanelArgs, ready: Signal<bool>) -> impl IntoView {
    move || {
        if ready.get() {
            lazy_view(Box::pin(facet_panel_split(args)), facet_placeholder)
        } else {
            facet_placeholder()
        }
    }
}

fn facet_placeholder() -> AnyView {
    view! { <div class="facets-placeholder" aria-hidden="true"></div> }.into_any()
}
