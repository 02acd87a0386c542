//! The work of a favourite toggle (chunk code): what a tap does, the
//! messages it leaves, and the chooser of lists; and the record page's
//! favourite controls, which use the same work.
//!
//! A tap follows [`model::plan`]: with no list yet, the default list
//! (想读 / "Want to read") is created and the record added; with one
//! list, the record goes in or out of it; with several, the chooser
//! opens. A record in one list of several comes out of it; in more than
//! one, the chooser opens.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use yuelan_api::account::FavouriteList;

use super::model::{self, Plan};
use super::store::Store;
use super::ui::{self, error_text, name_error_text};
use super::{ToggleCtx, use_saved};
use crate::api::ApiError;
use crate::components::icons::{Icon, IconName};
use crate::i18n::favourites::{self as texts, FavText};
use crate::i18n::{I18n, Locale, use_i18n};
use crate::routes::AppRoute;
use crate::session::SignInReason;

/// What the panel under a toggle shows.
#[derive(Clone, Debug, PartialEq)]
enum Panel {
    /// A request is on its way.
    Working,
    /// The last tap's outcome is in the status line; `list` is the list
    /// it changed, for a link to it.
    Done { list: Option<i64> },
    /// The patron chooses the lists.
    Chooser,
    /// The last tap failed; the status line says why.
    Failed(ApiError),
}

/// What a tap did.
enum Outcome {
    Added(FavouriteList),
    Removed(FavouriteList),
    Choose,
}

/// Carries out the plan for a tap on `record_id`'s toggle.
async fn run_plan(
    store: Store,
    record_id: i64,
    default_name: &'static str,
) -> Result<Outcome, ApiError> {
    let lists = store.clone().lists_for_action().await?;
    Ok(match model::plan(&lists, record_id) {
        Plan::CreateDefault => {
            let list = store.clone().create(default_name.to_owned()).await?;
            Outcome::Added(store.add(list.id, record_id).await?)
        }
        Plan::Add(list) => Outcome::Added(store.add(list, record_id).await?),
        Plan::Remove(list) => Outcome::Removed(store.remove(list, record_id).await?),
        Plan::Choose => Outcome::Choose,
    })
}

/// A toggle's work and the state of its panel.
#[derive(Clone)]
struct Toggle {
    ctx: ToggleCtx,
    store: Store,
    i18n: I18n,
    state: RwSignal<Panel>,
    /// The text of the panel's live region.
    status: RwSignal<String>,
    /// Set while a request runs: taps meanwhile are ignored.
    busy: RwSignal<bool>,
}

impl Toggle {
    fn new(ctx: ToggleCtx) -> Self {
        Toggle {
            ctx,
            store: Store::get(),
            i18n: use_i18n(),
            state: RwSignal::new(Panel::Working),
            status: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
        }
    }

    fn panel_id(&self) -> String {
        ["fav-panel-", &self.ctx.record_id.to_string()].concat()
    }

    fn chooser_id(&self) -> String {
        ["fav-choose-", &self.ctx.record_id.to_string()].concat()
    }

    fn say(&self, text: impl Into<String>) {
        self.status.try_set(text.into());
    }

    /// A tap on the toggle: ignored while a request runs; closes an open
    /// chooser, else follows the plan.
    fn tap(&self) {
        if self.busy.get_untracked() {
            return;
        }
        if self.state.get_untracked() == Panel::Chooser {
            self.close_chooser();
            return;
        }
        let this = self.clone();
        let record_id = self.ctx.record_id;
        let default_name = self.i18n.tr(FavText::DefaultListName);
        self.start();
        self.store.spawn(async move {
            let outcome = run_plan(this.store.clone(), record_id, default_name).await;
            this.busy.try_set(false);
            let locale = this.i18n.locale();
            match outcome {
                Ok(Outcome::Added(list)) => {
                    this.say(texts::added_to(locale, &list.name));
                    this.state.try_set(Panel::Done {
                        list: Some(list.id),
                    });
                }
                Ok(Outcome::Removed(list)) => {
                    this.say(texts::removed_from(locale, &list.name));
                    this.state.try_set(Panel::Done {
                        list: Some(list.id),
                    });
                }
                Ok(Outcome::Choose) => this.show_chooser(),
                Err(e) => this.fail(e),
            }
        });
    }

    /// Opens the chooser (loading the lists first, with sign-in if needed).
    fn choose(&self) {
        if self.busy.get_untracked() {
            return;
        }
        if self.state.get_untracked() == Panel::Chooser {
            ui::focus_later(self.chooser_id());
            return;
        }
        let this = self.clone();
        self.start();
        self.store.spawn(async move {
            let lists = this.store.clone().lists_for_action().await;
            this.busy.try_set(false);
            match lists {
                Ok(_) => this.show_chooser(),
                Err(e) => this.fail(e),
            }
        });
    }

    fn start(&self) {
        self.busy.set(true);
        self.state.set(Panel::Working);
        self.say(self.i18n.tr(FavText::Working));
    }

    fn fail(&self, error: ApiError) {
        self.say(error_text(self.i18n, &error));
        self.state.try_set(Panel::Failed(error));
    }

    fn show_chooser(&self) {
        self.say(self.i18n.tr(FavText::ChooseLists));
        self.state.try_set(Panel::Chooser);
        ui::focus_later(self.chooser_id());
    }

    /// Closes the chooser, saying where the record is now, and gives the
    /// focus back to the toggle.
    fn close_chooser(&self) {
        let record_id = self.ctx.record_id;
        let locale = self.i18n.locale();
        let text = untrack(|| {
            self.store.with(|lists| {
                let names: Vec<&str> = lists
                    .iter()
                    .filter(|l| model::holds(l, record_id))
                    .map(|l| l.name.as_str())
                    .collect();
                if names.is_empty() {
                    self.i18n.tr(FavText::NotInAnyList).to_owned()
                } else {
                    texts::in_lists(locale, &names)
                }
            })
        });
        self.say(text.unwrap_or_default());
        self.state.set(Panel::Done { list: None });
        // The toggle is the panel's sibling.
        if let Some(toggle) = document()
            .get_element_by_id(&self.panel_id())
            .and_then(|p| p.parent_element())
            .and_then(|p| p.query_selector("[aria-pressed]").ok().flatten())
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = toggle.focus();
        }
    }

    /// The panel: the live status line, and what goes with the state.
    fn view(&self) -> impl IntoView + use<> {
        let this = self.clone();
        let i18n = self.i18n;
        let state = self.state;
        let status = self.status;
        let extra = move || match state.get() {
            Panel::Working => ().into_any(),
            Panel::Done { list } => {
                let route = list.map_or(AppRoute::MeLists, AppRoute::MeList);
                view! {
                    <a class="fav-see" href=route.to_href()>{i18n.tr(FavText::SeeMyLists)}</a>
                }
                .into_any()
            }
            Panel::Failed(error) => {
                let again = this.clone();
                let sign_in = error.needs_sign_in();
                let session = this.store.session();
                let retry = move |_| {
                    if sign_in {
                        let again = again.clone();
                        leptos::task::spawn_local_scoped(async move {
                            if session.ask(SignInReason::Favourite).await {
                                again.tap();
                            }
                        });
                    } else {
                        again.tap();
                    }
                };
                let label = if sign_in {
                    i18n.tr(FavText::SignIn)
                } else {
                    i18n.t(crate::i18n::Key::Retry)
                };
                view! {
                    <button type="button" class="button secondary fav-retry" on:click=retry>{label}</button>
                }
                .into_any()
            }
            Panel::Chooser => untrack(|| this.chooser()).into_any(),
        };
        view! {
            <div class="fav-panel" id=self.panel_id()>
                <p class="fav-status" role="status">{move || status.get()}</p>
                {extra}
            </div>
        }
    }

    /// The chooser: a checkbox per list (each change is sent at once), a
    /// field for a new list (the record goes into it), and Done.
    fn chooser(&self) -> impl IntoView + use<> {
        let i18n = self.i18n;
        let record_id = self.ctx.record_id;
        let title_id = [&self.chooser_id(), "-t"].concat();
        let title = if self.ctx.title.is_empty() {
            i18n.tr(FavText::ChooseListsFor).to_owned()
        } else if i18n.locale().is_english() {
            [i18n.tr(FavText::ChooseListsFor), " ", &self.ctx.title].concat()
        } else {
            [
                "《",
                &self.ctx.title,
                "》",
                i18n.tr(FavText::ChooseListsFor),
            ]
            .concat()
        };
        // Bumped when a change fails, so that its box shows the truth again.
        let resync = RwSignal::new(0u32);
        let pending = RwSignal::new(Vec::<i64>::new());
        let store = self.store.clone();
        let ids = {
            let store = store.clone();
            move || {
                store
                    .with(|lists| lists.iter().map(|l| l.id).collect::<Vec<_>>())
                    .unwrap_or_default()
            }
        };
        let this = self.clone();
        let row = move |list_id: i64| {
            let store = this.store.clone();
            let this = this.clone();
            let field_id = ["fav-", &record_id.to_string(), "-in-", &list_id.to_string()].concat();
            let locale = i18n.locale();
            // The list's name and count, and whether it holds the record.
            let find = {
                let store = store.clone();
                move |f: fn(&FavouriteList, Locale, i64) -> String| {
                    let store = store.clone();
                    move || {
                        store
                            .with(|lists| {
                                lists
                                    .iter()
                                    .find(|l| l.id == list_id)
                                    .map(|l| f(l, locale, record_id))
                            })
                            .flatten()
                            .unwrap_or_default()
                    }
                }
            };
            let name = find(|l, _, _| l.name.clone());
            let count = find(|l, locale, _| texts::titles_count(locale, l.entries.len()));
            let checked = {
                let store = store.clone();
                move || {
                    resync.track();
                    store
                        .with(|lists| {
                            lists
                                .iter()
                                .any(|l| l.id == list_id && model::holds(l, record_id))
                        })
                        .unwrap_or(false)
                }
            };
            let on_change = move |ev: leptos::ev::Event| {
                let want = event_target_checked(&ev);
                if pending.with_untracked(|p| p.contains(&list_id)) {
                    resync.update(|n| *n = n.wrapping_add(1));
                    return;
                }
                pending.update(|p| p.push(list_id));
                this.say(i18n.tr(FavText::Working));
                let this = this.clone();
                let store = store.clone();
                this.store.clone().spawn(async move {
                    let answer = if want {
                        store.add(list_id, record_id).await
                    } else {
                        store.remove(list_id, record_id).await
                    };
                    pending.try_update(|p| p.retain(|id| *id != list_id));
                    let locale = i18n.locale();
                    match answer {
                        Ok(list) if want => this.say(texts::added_to(locale, &list.name)),
                        Ok(list) => this.say(texts::removed_from(locale, &list.name)),
                        Err(e) => {
                            this.say(error_text(i18n, &e));
                            resync.try_update(|n| *n = n.wrapping_add(1));
                        }
                    }
                });
            };
            let label_for = field_id.clone();
            view! {
                <li>
                    <label class="choice fav-choice" for=label_for>
                        <input
                            type="checkbox"
                            id=field_id
                            prop:checked=checked
                            aria-busy=move || pending.with(|p| p.contains(&list_id)).then_some("true")
                            on:change=on_change
                        />
                        <span class="fav-choice-name">{name}</span>
                        <span class="muted">{count}</span>
                    </label>
                </li>
            }
        };
        let done = {
            let this = self.clone();
            move |_| this.close_chooser()
        };
        let labelled_by = title_id.clone();
        view! {
            <div
                class="fav-chooser"
                id=self.chooser_id()
                role="group"
                aria-labelledby=labelled_by
                tabindex="-1"
            >
                <p class="fav-chooser-title" id=title_id>{title}</p>
                <ul class="fav-choices">
                    <For each=ids key=|id| *id children=row />
                </ul>
                {self.new_list_field()}
                <button type="button" class="button fav-done" on:click=done>
                    {i18n.tr(FavText::Done)}
                </button>
            </div>
        }
    }

    /// A field to create a list from the chooser; the record goes in.
    fn new_list_field(&self) -> impl IntoView + use<> {
        let i18n = self.i18n;
        let record_id = self.ctx.record_id;
        let base = ["fav-", &record_id.to_string(), "-new"].concat();
        let (help_id, error_id) = ([&base, "-help"].concat(), [&base, "-err"].concat());
        let name = RwSignal::new(String::new());
        let error = RwSignal::new(None::<&'static str>);
        let this = self.clone();
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let valid = match model::validate_name(&name.get_untracked()) {
                Ok(valid) => valid,
                Err(e) => {
                    error.set(Some(name_error_text(i18n, e)));
                    return;
                }
            };
            error.set(None);
            this.say(i18n.tr(FavText::Working));
            let this = this.clone();
            this.store.clone().spawn(async move {
                let store = this.store.clone();
                let answer = match store.clone().create(valid).await {
                    Ok(list) => store.add(list.id, record_id).await,
                    Err(e) => Err(e),
                };
                match answer {
                    Ok(list) => {
                        name.try_set(String::new());
                        this.say(texts::added_to(i18n.locale(), &list.name));
                    }
                    Err(e) => {
                        let text = error_text(i18n, &e);
                        error.try_set(Some(text));
                        this.say(text);
                    }
                }
            });
        };
        view! {
            <form class="fav-new" on:submit=submit novalidate>
                <label for=base.clone()>{i18n.tr(FavText::NewList)}</label>
                <div class="fav-new-row">
                    <input
                        type="text"
                        id=base
                        name="name"
                        autocomplete="off"
                        aria-describedby=[help_id.as_str(), " ", &error_id].concat()
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button secondary">{i18n.tr(FavText::Create)}</button>
                </div>
                <p class="muted fav-help" id=help_id>{i18n.tr(FavText::NameHelp)}</p>
                <p class="field-error" id=error_id>{move || error.get()}</p>
            </form>
        }
    }
}

/// The panel under a result's toggle (the view of the `favourite_toggle`
/// chunk): acts on the tap that loaded it and on each later one.
#[component]
pub fn TogglePanel() -> impl IntoView {
    // The panel's and chooser's stylesheet; the panel's first words come
    // from the request it starts, well after the stylesheet.
    let _ = crate::components::style::load_style("lists");
    use_context::<ToggleCtx>().map(|ctx| {
        let clicks = ctx.clicks;
        let toggle = Toggle::new(ctx);
        let on_tap = toggle.clone();
        Effect::new(move |seen: Option<u32>| {
            let n = clicks.get();
            if n > 0 && seen != Some(n) {
                untrack(|| on_tap.tap());
            }
            n
        });
        toggle.view()
    })
}

/// The favourite controls of a record page: a toggle with visible text,
/// the lists that hold the record (as links), "Choose lists" once the
/// patron has lists, and the same panel as a result's toggle.
#[component]
pub fn RecordFavourite(record_id: i64) -> impl IntoView {
    // Its stylesheet: the record page's actions wait for the account's,
    // and this one is as small and comes from the same server.
    let _ = crate::components::style::load_style("lists");
    let i18n = use_i18n();
    let saved = use_saved();
    let ctx = ToggleCtx {
        record_id,
        title: String::new(),
        clicks: RwSignal::new(0),
    };
    let toggle = Toggle::new(ctx);
    let busy = toggle.busy;
    let store = toggle.store.clone();
    // The lists of a signed-in patron, for the line below the buttons.
    store.sync();
    let opened = RwSignal::new(false);
    let tap = {
        let toggle = toggle.clone();
        move |_| {
            if !busy.get_untracked() {
                opened.set(true);
                toggle.tap();
            }
        }
    };
    let choose = {
        let toggle = toggle.clone();
        move |_| {
            if !busy.get_untracked() {
                opened.set(true);
                toggle.choose();
            }
        }
    };
    let pressed = move || saved.has(record_id);
    let holding = {
        let store = store.clone();
        move || {
            store
                .with(|lists| {
                    lists
                        .iter()
                        .filter(|l| model::holds(l, record_id))
                        .map(|l| (l.id, l.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    let has_lists = {
        let store = store.clone();
        move || store.with(|lists| !lists.is_empty()).unwrap_or(false)
    };
    let in_line = move || {
        let holding = holding();
        (!holding.is_empty()).then(|| {
            let prefix = texts::in_lists(i18n.locale(), &[]);
            let sep = if i18n.locale().is_english() {
                "; "
            } else {
                "、"
            };
            let links = holding
                .into_iter()
                .enumerate()
                .map(|(i, (id, name))| {
                    view! {
                        {(i > 0).then_some(sep)}
                        <a href=AppRoute::MeList(id).to_href()>{name}</a>
                    }
                })
                .collect_view();
            view! { <p class="fav-in">{prefix}{links}</p> }
        })
    };
    let panel = toggle.clone();
    view! {
        <div class="record-fav">
            <div class="record-fav-buttons">
                <button
                    type="button"
                    class="button secondary fav-button"
                    aria-pressed=move || pressed().to_string()
                    aria-busy=move || busy.get().then_some("true")
                    on:click=tap
                >
                    <Icon name=IconName::Heart />
                    <span>
                        {move || {
                            i18n.tr(if pressed() { FavText::InYourLists } else { FavText::AddToList })
                        }}
                    </span>
                </button>
                {move || {
                    has_lists()
                        .then(|| {
                            view! {
                                <button type="button" class="button secondary fav-choose" on:click=choose.clone()>
                                    {i18n.tr(FavText::ChooseLists)}
                                </button>
                            }
                        })
                }}
            </div>
            {in_line}
            {move || opened.get().then(|| untrack(|| panel.view()))}
        </div>
    }
}
