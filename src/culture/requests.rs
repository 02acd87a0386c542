//! Patrons' requests (点单), `/culture/requests`: counts per library,
//! every request with its backers (back or stop backing one), and a form
//! to ask for a programme or activity at a library or village centre.
//! Backing and asking need a session: the sign-in sheet opens first when
//! nobody is signed in, and what the patron wrote stays.

use leptos::prelude::*;
use yuelan_api::LibraryNames;
use yuelan_api::culture::{
    Category, CreateRequest, CultureRequest, MAX_REQUEST_CHARS, RequestList,
};

use super::{culture_nav, error_text};
use crate::api::{Slot, load_into, use_api};
use crate::components::error_view::ErrorView;
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::culture::{self as texts, CultureText as C, category_text};
use crate::i18n::{I18n, use_i18n};
use crate::session::{SignInReason, use_session};

/// The page at `/culture/requests`.
#[component]
pub fn RequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || i18n.tr(C::RequestsTitle).to_owned());
    let api = use_api();
    let session = use_session();
    let list: Slot<RequestList> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(list, None, move || {
        retry.track();
        session.generation();
        api.culture_requests()
    });
    let libraries: Slot<LibraryNames> = RwSignal::new(None);
    load_into(libraries, None, move || api.library_names());
    let reload = move || retry.update(|n| *n = n.wrapping_add(1));
    view! {
        <div class="page culture-page requests-page">
            {culture_nav(i18n)}
            <h1>{i18n.tr(C::RequestsTitle)}</h1>
            <p class="muted">{i18n.tr(C::RequestsBlurb)}</p>
            {request_form(i18n, libraries, reload)}
            {move || match list.get() {
                None => view! { <PageSkeleton /> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error on_retry=move |_| reload() /> }.into_any(),
                Some(Ok(list)) => untrack(|| list_view(i18n, list)).into_any(),
            }}
        </div>
    }
}

fn list_view(i18n: I18n, list: RequestList) -> impl IntoView {
    let locale = i18n.locale();
    let english = locale.is_english();
    let by_library = list
        .by_library
        .iter()
        .map(|l| {
            view! {
                <li>
                    <span class="request-library">{l.library_name.get(english).to_owned()}</span>
                    <span class="request-counts">{texts::library_counts(locale, l.requests, l.backers)}</span>
                </li>
            }
        })
        .collect_view();
    let items = if list.requests.is_empty() {
        view! { <p class="empty-state">{i18n.tr(C::NoRequests)}</p> }.into_any()
    } else {
        let items = list
            .requests
            .into_iter()
            .map(|r| view! { <RequestItem request=r /> })
            .collect_view();
        view! { <ul class="requests">{items}</ul> }.into_any()
    };
    view! {
        <section class="requests-by-library" aria-labelledby="by-library-h">
            <h2 id="by-library-h">{i18n.tr(C::ByLibrary)}</h2>
            <ul class="library-counts">{by_library}</ul>
        </section>
        <section aria-labelledby="requests-h">
            <h2 id="requests-h">{i18n.tr(C::RequestsTitle)}</h2>
            {items}
        </section>
    }
}

/// One request, with its backers and the back toggle.
#[component]
fn RequestItem(request: CultureRequest) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let locale = i18n.locale();
    let english = locale.is_english();
    let meta = [
        i18n.tr(category_text(request.category)),
        " · ",
        request.library_name.get(english),
    ]
    .concat();
    let id = request.id;
    let mine = request.mine;
    let state = RwSignal::new((request.backed, request.backers));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let toggle = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let back = !state.get_untracked().0;
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::Other, || api.back_request(id, back))
                .await;
            busy.try_set(false);
            match out {
                Ok(r) => {
                    state.try_set((r.backed, r.backers));
                }
                Err(e) => {
                    error.try_set(Some(error_text(i18n, &e)));
                }
            }
        });
    };
    view! {
        <li class="request">
            <p class="request-text">{request.text}</p>
            <p class="request-meta muted">{meta}</p>
            <p class="request-backers">
                {move || texts::backers(locale, state.get().1)}
                {mine.then(|| [" · ", i18n.tr(C::Mine)].concat())}
            </p>
            {(!mine).then(|| view! {
                <button
                    type="button"
                    class="button secondary back-request"
                    aria-pressed=move || state.get().0.to_string()
                    disabled=move || busy.get()
                    on:click=toggle
                >
                    {move || i18n.tr(if state.get().0 { C::Backed } else { C::Back })}
                </button>
            })}
            <p class="request-error" role="status">{move || error.get()}</p>
        </li>
    }
}

/// The form of a new request: what, which kind, where.
fn request_form(
    i18n: I18n,
    libraries: Slot<LibraryNames>,
    reload: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let english = i18n.locale().is_english();
    let text = RwSignal::new(String::new());
    let category = RwSignal::new(Category::Lecture);
    let library = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<(bool, &'static str)>);
    let chosen_library = move || {
        library.get().or_else(|| {
            libraries.with(|l| match l {
                Some(Ok(l)) => l.libraries.first().map(|l| l.id.clone()),
                _ => None,
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let words = text.get_untracked().trim().to_owned();
        let Some(library_id) = untrack(chosen_library) else {
            return;
        };
        if words.is_empty() || words.chars().count() > MAX_REQUEST_CHARS {
            outcome.set(Some((false, i18n.tr(C::RequestEmpty))));
            return;
        }
        busy.set(true);
        outcome.set(None);
        let body = CreateRequest {
            library_id,
            category: category.get_untracked(),
            text: words,
        };
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::Other, || api.create_request(&body))
                .await;
            busy.try_set(false);
            match out {
                Ok(_) => {
                    text.try_set(String::new());
                    outcome.try_set(Some((true, i18n.tr(C::RequestSent))));
                    reload();
                }
                Err(e) => {
                    outcome.try_set(Some((false, error_text(i18n, &e))));
                }
            }
        });
    };
    let categories = Category::ALL
        .into_iter()
        .map(|c| {
            view! {
                <option value=c.as_str() selected=move || category.get() == c>
                    {i18n.tr(category_text(c))}
                </option>
            }
        })
        .collect_view();
    let library_options = move || {
        libraries.with(|l| match l {
            Some(Ok(l)) => {
                let current = chosen_library();
                l.libraries
                    .iter()
                    .map(|lib| {
                        let selected = current.as_deref() == Some(lib.id.as_str());
                        view! {
                            <option value=lib.id.clone() selected=selected>
                                {lib.name.get(english).to_owned()}
                            </option>
                        }
                    })
                    .collect::<Vec<_>>()
            }
            _ => Vec::new(),
        })
    };
    view! {
        <form class="request-form" on:submit=submit>
            <h2>{i18n.tr(C::NewRequest)}</h2>
            <label for="request-text">{i18n.tr(C::RequestWhat)}</label>
            <input
                id="request-text"
                type="text"
                maxlength=MAX_REQUEST_CHARS.to_string()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <label for="request-type">{i18n.tr(C::RequestType)}</label>
            <select
                id="request-type"
                on:change=move |ev| {
                    if let Some(c) = Category::parse(&event_target_value(&ev)) {
                        category.set(c);
                    }
                }
            >
                {categories}
            </select>
            <label for="request-library">{i18n.tr(C::RequestLibrary)}</label>
            <select id="request-library" on:change=move |ev| library.set(Some(event_target_value(&ev)))>
                {library_options}
            </select>
            <button type="submit" class="button" disabled=move || busy.get()>
                {i18n.tr(C::RequestSubmit)}
            </button>
            <p class="request-outcome" role="status">
                {move || outcome.get().map(|(ok, t)| view! { <span class=if ok { "culture-ok" } else { "culture-refused" }>{t}</span> })}
            </p>
        </form>
    }
}
