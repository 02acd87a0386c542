//! A programme's page, `/culture/programme/{id}`: the player (reopening
//! where the viewer stopped), details, rating, credits and episodes.
//!
//! Every progress report of the player is kept on the device and, for a
//! signed-in patron, saved on the server with the device's clock (the
//! newest save wins there). The first report of a page counts a view.

use leptos::prelude::*;
use yuelan_api::culture::{
    Credit, MediaKind, ProgrammeDetail, ProgrammeSummary, RatingSummary, SaveProgress,
};

use super::resume::{self, Saved};
use super::route::CultureRoute;
use super::{culture_nav, error_text, not_found};
use crate::api::{ApiClient, ApiError, Slot, load_into, use_api};
use crate::components::error_view::ErrorView;
use crate::components::icons::{Icon, IconName};
use crate::components::skeleton::PageSkeleton;
use crate::components::title::page_title;
use crate::i18n::culture::{self as texts, CultureText as C, category_text, role_text};
use crate::i18n::{I18n, use_i18n};
use crate::player::{PlaybackProgress, Player, PlayerSource};
use crate::session::{Auth, SignInReason, use_session};

/// The page at `/culture/programme/{id}`.
#[component]
pub fn ProgrammePage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    session.ensure_known(&api);
    let detail: Slot<ProgrammeDetail> = RwSignal::new(None);
    let retry = RwSignal::new(0u32);
    load_into(detail, None, move || {
        retry.track();
        api.culture_programme(&id)
    });
    page_title(move || {
        detail.with(|d| match d {
            Some(Ok(d)) => d.programme.title.get(i18n.locale().is_english()).to_owned(),
            _ => i18n.tr(C::Title).to_owned(),
        })
    });
    move || match detail.get() {
        None => view! { <div class="page culture-page"><PageSkeleton /></div> }.into_any(),
        Some(Err(error)) if error.is_not_found() => {
            not_found(i18n, C::ProgrammeNotFound).into_any()
        }
        Some(Err(error)) => view! {
            <div class="page culture-page">
                <ErrorView error on_retry=move |_| retry.update(|n| *n = n.wrapping_add(1)) />
            </div>
        }
        .into_any(),
        Some(Ok(d)) => untrack(|| programme_view(i18n, api, d)).into_any(),
    }
}

fn programme_view(i18n: I18n, api: ApiClient, d: ProgrammeDetail) -> impl IntoView {
    let locale = i18n.locale();
    let english = locale.is_english();
    let p = &d.programme;
    let server = d.progress.as_ref().map(Saved::of_server);
    let start_at = resume::start_at(server, resume::load(&p.id));
    let resume_note = (start_at > 0.0)
        .then(|| view! { <p class="resume-note">{texts::resumes_at(locale, start_at as u32)}</p> });
    let mut meta = vec![
        i18n.tr(category_text(p.category)).to_owned(),
        texts::clock(p.duration_seconds),
        texts::views(locale, p.views),
    ];
    if p.kind == MediaKind::Audio {
        meta.insert(1, i18n.tr(C::AudioOnly).to_owned());
    }
    let series = match (&p.series_title, p.episode) {
        (Some(t), Some(n)) => Some([t.get(english), " · ", &texts::episode(locale, n)].concat()),
        (Some(t), None) => Some(t.get(english).to_owned()),
        _ => None,
    };
    view! {
        <div class="page culture-page programme-page">
            {culture_nav(i18n)}
            <h1>{p.title.get(english).to_owned()}</h1>
            {series.map(|s| view! { <p class="programme-series">{s}</p> })}
            <p class="programme-meta muted">{meta.join(" · ")}</p>
            {player_block(i18n, api, &d, start_at)}
            {resume_note}
            <RatingBlock programme_id=p.id.clone() summary=p.rating.clone() />
            <section class="programme-about" aria-labelledby="about-h">
                <h2 id="about-h">{i18n.tr(C::Summary)}</h2>
                <p>{d.summary.get(english).to_owned()}</p>
                <dl class="programme-facts">
                    <dt>{i18n.tr(C::RecordedAt)}</dt>
                    <dd>
                        <a href=crate::routes::AppRoute::Library(p.library_id.clone()).to_href()>
                            {p.library_name.get(english).to_owned()}
                        </a>
                        " · "
                        {p.recorded_on.clone()}
                    </dd>
                    <dt>{i18n.tr(C::Duration)}</dt>
                    <dd>{texts::clock(p.duration_seconds)}</dd>
                    {(!p.subtitles.is_empty()).then(|| view! {
                        <dt>{i18n.tr(C::Subtitles)}</dt>
                        <dd>{p.subtitles.join(" · ")}</dd>
                    })}
                    {(!p.tags.is_empty()).then(|| view! {
                        <dt>{i18n.tr(C::Tags)}</dt>
                        <dd>{p.tags.iter().map(|t| t.get(english)).collect::<Vec<_>>().join(" · ")}</dd>
                    })}
                </dl>
            </section>
            {credits_view(i18n, &p.credits)}
            {episodes_view(i18n, &d.episodes, &p.id)}
        </div>
    }
}

/// The player, loading its stylesheet first, and what it reports.
fn player_block(i18n: I18n, api: ApiClient, d: &ProgrammeDetail, start_at: f64) -> AnyView {
    let english = i18n.locale().is_english();
    let p = &d.programme;
    if !d.stream.available {
        return view! {
            <p class="player-missing" role="note">
                <Icon name=IconName::Alert />
                {i18n.tr(C::ErrMediaUnavailable)}
            </p>
        }
        .into_any();
    }
    let artist = p
        .credits
        .iter()
        .map(|c| c.name.get(english))
        .collect::<Vec<_>>()
        .join(" / ");
    let source = PlayerSource {
        stream: d.stream.clone(),
        subtitles: d.subtitles.clone(),
        chapters: d.chapters.clone(),
        title: p.title.get(english).to_owned(),
        artist,
        poster: p.poster_url.clone(),
        live: false,
        start_at,
    };
    let on_progress = progress_saver(api, p.id.clone(), p.duration_seconds);
    player_view(source, on_progress)
}

/// `<Player>` (which loads its own stylesheet).
pub fn player_view(source: PlayerSource, on_progress: Callback<PlaybackProgress>) -> AnyView {
    view! { <section class="player-block"><Player source on_progress /></section> }.into_any()
}

/// What to do with each progress report: keep it on the device, save it
/// on the server for a signed-in patron, and count a view at the first.
fn progress_saver(api: ApiClient, id: String, listed_seconds: u32) -> Callback<PlaybackProgress> {
    let session = use_session();
    let counted = StoredValue::new(false);
    Callback::new(move |p: PlaybackProgress| {
        if !p.position_seconds.is_finite() || p.position_seconds < 0.0 {
            return;
        }
        let duration = if p.duration_seconds.is_finite() && p.duration_seconds >= 1.0 {
            p.duration_seconds
        } else {
            f64::from(listed_seconds.max(1))
        };
        let now = js_sys::Date::now() as i64;
        let saved = Saved {
            position_seconds: p.position_seconds.min(duration),
            duration_seconds: duration,
            client_time_ms: now,
            finished: p.finished,
        };
        resume::store(&id, saved);
        if !counted.try_get_value().unwrap_or(true) && p.position_seconds > 0.0 {
            counted.try_set_value(true);
            let request = api.record_view(&id, Some(resume::device_id()));
            leptos::task::spawn_local(async move {
                let _ = request.await;
            });
        }
        if matches!(untrack(|| session.auth()), Auth::SignedIn(_)) {
            let duration_seconds = duration.round().max(1.0) as u32;
            let position_seconds = if p.finished {
                duration_seconds
            } else {
                (saved.position_seconds.round() as u32).min(duration_seconds)
            };
            let request = api.save_progress(
                &id,
                &SaveProgress {
                    position_seconds,
                    duration_seconds,
                    client_time_ms: now,
                },
            );
            // Not tied to the page: a save sent as the page goes away still
            // goes. A failure leaves the device's copy.
            leptos::task::spawn_local(async move {
                if let Err(e) = request.await
                    && e.needs_sign_in()
                {
                    session.signed_out();
                }
            });
        }
    })
}

/// The rating: the average, and 1 to 5 stars to give (signed in; the
/// sign-in sheet opens first when nobody is, and the rating is then sent).
#[component]
fn RatingBlock(programme_id: String, summary: RatingSummary) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let locale = i18n.locale();
    let summary = RwSignal::new(summary);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let id = StoredValue::new(programme_id);
    let rate = move |stars: u8| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(None);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let out = session
                .with_sign_in(SignInReason::Other, || api.rate_programme(&id, stars))
                .await;
            busy.try_set(false);
            outcome.try_set(Some(out.map(|s| {
                summary.try_set(s);
            })));
        });
    };
    let buttons = (1..=5u8)
        .map(|n| {
            view! {
                <button
                    type="button"
                    class="star"
                    aria-label=texts::stars(locale, n)
                    aria-pressed=move || {
                        summary.with(|s| s.mine.is_some_and(|m| m >= n)).to_string()
                    }
                    disabled=move || busy.get()
                    on:click=move |_| rate(n)
                >
                    <span aria-hidden="true">
                        {move || if summary.with(|s| s.mine.is_some_and(|m| m >= n)) { "★" } else { "☆" }}
                    </span>
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="programme-rating" aria-labelledby="rating-h">
            <h2 id="rating-h">{i18n.tr(C::Rating)}</h2>
            <p class="rating-average">
                {move || summary.with(|s| {
                    if s.count == 0 {
                        i18n.tr(C::NoRatings).to_owned()
                    } else {
                        texts::average(locale, s.average, s.count)
                    }
                })}
            </p>
            <div class="stars" role="group" aria-label=i18n.tr(C::RateThis)>{buttons}</div>
            <p class="rating-outcome" role="status">
                {move || outcome.get().map(|o| match o {
                    Ok(()) => i18n.tr(C::RatingSaved),
                    Err(e) => error_text(i18n, &e),
                })}
            </p>
        </section>
    }
}

fn credits_view(i18n: I18n, credits: &[Credit]) -> Option<impl IntoView + use<>> {
    let english = i18n.locale().is_english();
    (!credits.is_empty()).then(|| {
        let items = credits
            .iter()
            .map(|c| {
                let title = c.title.get(english);
                view! {
                    <li>
                        <span class="credit-role">{i18n.tr(role_text(c.role))}</span>
                        <span class="credit-name">{c.name.get(english).to_owned()}</span>
                        {(!title.is_empty()).then(|| view! {
                            <span class="credit-title muted">{title.to_owned()}</span>
                        })}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="programme-credits" aria-labelledby="credits-h">
                <h2 id="credits-h">{i18n.tr(C::Credits)}</h2>
                <ul class="credits">{items}</ul>
            </section>
        }
    })
}

fn episodes_view(
    i18n: I18n,
    episodes: &[ProgrammeSummary],
    current: &str,
) -> Option<impl IntoView + use<>> {
    let locale = i18n.locale();
    let english = locale.is_english();
    (episodes.len() > 1).then(|| {
        let items = episodes
            .iter()
            .map(|e| {
                let here = e.id == current;
                let label = [
                    e.episode.map(|n| texts::episode(locale, n)).unwrap_or_default(),
                    " ".to_owned(),
                    e.title.get(english).to_owned(),
                ]
                .concat();
                view! {
                    <li class="episode" class:current=here>
                        <a
                            href=CultureRoute::Programme(e.id.clone()).to_href()
                            aria-current=here.then_some("page")
                        >
                            <span class="episode-title">{label}</span>
                            <span class="episode-length muted">{texts::clock(e.duration_seconds)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="programme-episodes" aria-labelledby="episodes-h">
                <h2 id="episodes-h">{i18n.tr(C::Episodes)}</h2>
                <ol class="episodes">{items}</ol>
            </section>
        }
    })
}
