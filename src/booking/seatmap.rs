//! The seat map: the room drawn as SVG from its layout (tables, carrels,
//! windows, doors, zones), every seat a focusable button named for screen
//! readers ("seat A12, window, power, free"), its attributes shown by icon
//! and text and its status by a mark as well as a colour, never colour
//! alone. Arrow keys move between seats (one tab stop: a roving
//! `tabindex`), Enter or Space chooses; on a phone, two fingers zoom and
//! one pans (pointer events), and the zoom buttons do the same. Filters
//! (power, window, accessible, quiet) dim the seats that do not match, and
//! "any free seat" chooses one for the patron.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use yuelan_api::booking::{RoomLayout, Seat, SeatStatus, Shape, ShapeKind};

use crate::booking::js;
use crate::booking::model::{Direction, Filters, any_free_seat, neighbour};
use crate::i18n::booking::{BookText as T, seat_aria};
use crate::i18n::{I18n, Locale, use_i18n};

/// The seats' statuses for the span shown.
pub type Statuses = HashMap<i64, SeatStatus>;

/// The CSS pixels a seat's side gets at the normal zoom: a touch target
/// of 44 px (60 in elder mode).
const SEAT_PX: f64 = 44.0;
const ELDER_SEAT_PX: f64 = 60.0;
/// How far the map zooms out (to see the whole room on a phone) and in.
const MIN_ZOOM: f64 = 0.25;
const MAX_ZOOM: f64 = 3.0;

/// The zoom after multiplying it by `factor`, within its limits.
fn zoomed(zoom: f64, factor: f64) -> f64 {
    (zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM)
}

/// Whether elder mode is on (`.elder` on the root element).
fn elder_mode() -> bool {
    let root = js::prop(&js::prop(&js::window(), "document"), "documentElement");
    js::prop(&root, "className")
        .as_string()
        .is_some_and(|c| c.split_whitespace().any(|c| c == "elder"))
}

/// The attributes of a seat, as texts.
pub fn attributes(seat: &Seat) -> Vec<T> {
    let mut out = Vec::new();
    if seat.window {
        out.push(T::Window);
    }
    if seat.power {
        out.push(T::Power);
    }
    if seat.accessible {
        out.push(T::Accessible);
    }
    if seat.quiet {
        out.push(T::Quiet);
    }
    out
}

/// The symbol drawn for an attribute (the legend names it).
fn symbol(attribute: T) -> &'static str {
    match attribute {
        T::Window => "◫",
        T::Power => "⚡",
        T::Accessible => "♿",
        _ => "☾",
    }
}

fn status_text(status: SeatStatus) -> T {
    match status {
        SeatStatus::Free => T::Free,
        SeatStatus::Taken => T::Taken,
        SeatStatus::Closed | SeatStatus::Unknown => T::Closed,
    }
}

fn status_attr(status: SeatStatus) -> &'static str {
    match status {
        SeatStatus::Free => "free",
        SeatStatus::Taken => "taken",
        SeatStatus::Closed | SeatStatus::Unknown => "closed",
    }
}

/// The status of `seat` in `statuses` (closed when the answer lacks it).
pub fn seat_status(statuses: &Statuses, seat: &Seat) -> SeatStatus {
    if seat.closed {
        return SeatStatus::Closed;
    }
    statuses
        .get(&seat.id)
        .copied()
        .unwrap_or(SeatStatus::Closed)
}

/// The seat map of `layout` with `statuses`; `selected` is the seat
/// chosen (only a free one can be); `announce` receives what to tell a
/// screen reader (the seat "any free seat" chose, or that none matches).
#[component]
pub fn SeatMap(
    layout: Arc<RoomLayout>,
    #[prop(into)] statuses: Signal<Statuses>,
    selected: RwSignal<Option<i64>>,
    announce: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    let filters = RwSignal::new(Filters::default());
    // Pixels per unit of the room at zoom 1: every seat a full target.
    let unit_px =
        if elder_mode() { ELDER_SEAT_PX } else { SEAT_PX } / f64::from(layout.seat_size.max(1));
    let zoom = RwSignal::new(1.0f64);
    let focus = RwSignal::new(None::<i64>);
    let (w, h) = (
        f64::from(layout.width.max(1)),
        f64::from(layout.height.max(1)),
    );
    let seats: Arc<Vec<Seat>> = Arc::new(layout.seats.clone());

    // The seat that has the tab stop.
    let tab_seat = {
        let seats = Arc::clone(&seats);
        Memo::new(move |_| {
            focus
                .get()
                .or_else(|| selected.get())
                .or_else(|| seats.first().map(|s| s.id))
        })
    };

    let choose = move |id: i64, status: SeatStatus| {
        if status == SeatStatus::Free {
            selected.set(Some(id));
        }
        focus.set(Some(id));
    };

    let move_focus = {
        let seats = Arc::clone(&seats);
        move |dir: Direction| {
            let from = tab_seat.get_untracked().unwrap_or_default();
            let to = neighbour(&seats, from, dir);
            focus.set(Some(to));
            focus_element(&seat_dom_id(to));
        }
    };

    let pick_any = {
        let seats = Arc::clone(&seats);
        move |_| {
            let f = filters.get_untracked();
            let found = statuses.with_untracked(|st| {
                any_free_seat(
                    &seats,
                    |id| st.get(&id).copied().unwrap_or(SeatStatus::Closed),
                    &f,
                )
                .map(|s| (s.id, s.label.clone()))
            });
            match found {
                Some((id, label)) => {
                    selected.set(Some(id));
                    focus.set(Some(id));
                    announce.set(crate::i18n::booking::seat_name(locale, &label));
                    focus_element(&seat_dom_id(id));
                }
                None => announce.set(i18n.tr(T::NoFreeSeatMatches).to_owned()),
            }
        }
    };

    // Two fingers on the map zoom it (one finger pans: the frame scrolls).
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    // Read through `js` (see there why).
    let pointer = |ev: &ev::PointerEvent| {
        let v: &JsValue = ev.as_ref();
        let n = |name| js::prop(v, name).as_f64().unwrap_or_default();
        (n("pointerId") as i32, n("clientX"), n("clientY"))
    };
    let on_down = move |ev: ev::PointerEvent| {
        if js::prop(ev.as_ref(), "pointerType").as_string().as_deref() != Some("touch") {
            return;
        }
        let p = pointer(&ev);
        pointers.update_value(|ps| {
            ps.retain(|q| q.0 != p.0);
            ps.push(p);
        });
    };
    let on_move = move |ev: ev::PointerEvent| {
        let (id, x, y) = pointer(&ev);
        let before = pointers.get_value();
        let Some(index) = before.iter().position(|q| q.0 == id) else {
            return;
        };
        if before.len() == 2 {
            let other = before[1 - index];
            let old = (before[index].1 - other.1).hypot(before[index].2 - other.2);
            let new = (x - other.1).hypot(y - other.2);
            if old > 8.0 {
                ev.prevent_default();
                zoom.update(|z| *z = zoomed(*z, new / old));
            }
        }
        pointers.update_value(|ps| {
            if let Some(p) = ps.iter_mut().find(|q| q.0 == id) {
                *p = (id, x, y);
            }
        });
    };
    let on_up = move |ev: ev::PointerEvent| {
        let id = pointer(&ev).0;
        pointers.update_value(|ps| ps.retain(|q| q.0 != id));
    };
    let zoom_by = move |factor: f64| zoom.update(|z| *z = zoomed(*z, factor));

    let shapes = layout
        .shapes
        .iter()
        .map(|s| shape_view(s.clone(), locale))
        .collect_view();
    let half = layout.seat_size / 2;
    let size = layout.seat_size;
    let seat_views = seats
        .iter()
        .map(|seat| {
            let seat = seat.clone();
            let id = seat.id;
            let attrs = attributes(&seat);
            let status = {
                let seat = seat.clone();
                Memo::new(move |_| statuses.with(|st| seat_status(st, &seat)))
            };
            let is_selected = move || selected.get() == Some(id);
            let matches = {
                let seat = seat.clone();
                move || filters.with(|f| f.matches(&seat))
            };
            let label = {
                let seat_label = seat.label.clone();
                let attrs = attrs.clone();
                move || {
                    seat_aria(
                        locale,
                        &seat_label,
                        &attrs,
                        status_text(status.get()),
                        is_selected(),
                    )
                }
            };
            let glyphs: String = attrs.iter().map(|a| symbol(*a)).collect();
            let (x, y) = (seat.x - half, seat.y - half);
            let on_key = {
                let move_focus = move_focus.clone();
                move |ev: ev::KeyboardEvent| {
                    let key = ev.key();
                    if let Some(dir) = Direction::of_key(&key) {
                        ev.prevent_default();
                        move_focus(dir);
                    } else if key == "Enter" || key == " " {
                        ev.prevent_default();
                        choose(id, status.get_untracked());
                    }
                }
            };
            view! {
                <g
                    class="seat"
                    id=seat_dom_id(id)
                    role="button"
                    tabindex=move || if tab_seat.get() == Some(id) { "0" } else { "-1" }
                    aria-label=label
                    aria-pressed=move || is_selected().to_string()
                    aria-disabled=move || (status.get() != SeatStatus::Free).to_string()
                    data-status=move || status_attr(status.get())
                    class:selected=is_selected
                    class:dim=move || !matches()
                    on:click=move |_| choose(id, status.get_untracked())
                    on:keydown=on_key
                    on:focus=move |_| focus.set(Some(id))
                >
                    <rect class="seat-box" x=x y=y width=size height=size rx="6" />
                    <path
                        class="seat-mark"
                        aria-hidden="true"
                        d=move || mark_path(status.get(), is_selected(), seat.x, seat.y, half)
                    />
                    <text class="seat-label" x=seat.x y=seat.y - half - 4 aria-hidden="true">
                        {seat.label.clone()}
                    </text>
                    <text class="seat-glyphs" x=seat.x y=seat.y + half + 14 aria-hidden="true">
                        {glyphs}
                    </text>
                </g>
            }
        })
        .collect_view();

    let view_box_text = ["0 0 ", &w.to_string(), " ", &h.to_string()].concat();
    let filter_box = move |key: T, get: fn(&Filters) -> bool, set: fn(&mut Filters, bool)| {
        view! {
            <label class="chip filter-chip">
                <input
                    type="checkbox"
                    prop:checked=move || filters.with(get)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        filters.update(|f| set(f, on));
                    }
                />
                <span aria-hidden="true">{symbol(key)}</span>
                " "
                {i18n.tr(key)}
            </label>
        }
    };

    view! {
        <section class="seat-map-section" aria-labelledby="seat-map-h">
            <h2 id="seat-map-h">{i18n.tr(T::SeatMap)}</h2>
            <fieldset class="seat-filters">
                <legend>{i18n.tr(T::FiltersTitle)}</legend>
                {filter_box(T::Power, |f| f.power, |f, on| f.power = on)}
                {filter_box(T::Window, |f| f.window, |f, on| f.window = on)}
                {filter_box(T::Accessible, |f| f.accessible, |f, on| f.accessible = on)}
                {filter_box(T::Quiet, |f| f.quiet, |f, on| f.quiet = on)}
            </fieldset>
            <div class="map-tools">
                <button type="button" class="button secondary any-seat" on:click=pick_any>
                    {i18n.tr(T::AnyFreeSeat)}
                </button>
                <button type="button" class="icon-button zoom-in" aria-label=i18n.tr(T::ZoomIn) on:click=move |_| zoom_by(1.5)>
                    "+"
                </button>
                <button type="button" class="icon-button zoom-out" aria-label=i18n.tr(T::ZoomOut) on:click=move |_| zoom_by(1.0 / 1.5)>
                    "−"
                </button>
                <button type="button" class="icon-button zoom-reset" aria-label=i18n.tr(T::ZoomReset) on:click=move |_| zoom.set(1.0)>
                    "⤢"
                </button>
            </div>
            <p class="muted map-help" id="map-help">{i18n.tr(T::MapHelp)}</p>
            <div class="seat-map-frame">
                <svg
                    class="seat-map"
                    viewBox=view_box_text
                    width=move || (w * unit_px * zoom.get()).round()
                    height=move || (h * unit_px * zoom.get()).round()
                    role="group"
                    aria-label=i18n.tr(T::SeatMap)
                    aria-describedby="map-help"
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_up
                >
                    <rect class="room-floor-plan" x="0" y="0" width=w height=h />
                    {shapes}
                    {seat_views}
                </svg>
            </div>
            {legend(i18n)}
        </section>
    }
}

/// The mark of a status, drawn in the seat: a cross when taken, a bar
/// when closed, a tick when chosen, nothing when free.
fn mark_path(status: SeatStatus, selected: bool, x: i32, y: i32, half: i32) -> String {
    let d = half / 2;
    let p = |a: i32, b: i32| [a.to_string(), " ".into(), b.to_string()].concat();
    if selected {
        return [
            "M",
            &p(x - d, y),
            "L",
            &p(x - d / 3, y + d * 2 / 3),
            "L",
            &p(x + d, y - d * 2 / 3),
        ]
        .concat();
    }
    match status {
        SeatStatus::Taken => [
            "M",
            &p(x - d, y - d),
            "L",
            &p(x + d, y + d),
            "M",
            &p(x + d, y - d),
            "L",
            &p(x - d, y + d),
        ]
        .concat(),
        SeatStatus::Closed | SeatStatus::Unknown => ["M", &p(x - d, y), "L", &p(x + d, y)].concat(),
        SeatStatus::Free => String::new(),
    }
}

fn shape_view(shape: Shape, locale: Locale) -> impl IntoView {
    let class = match shape.kind {
        ShapeKind::Table => "shape table",
        ShapeKind::Carrel => "shape carrel",
        ShapeKind::Window => "shape window",
        ShapeKind::Door => "shape door",
        ShapeKind::Shelf => "shape shelf",
        ShapeKind::Desk => "shape desk",
        ShapeKind::Zone => "shape zone",
        ShapeKind::Unknown => "shape",
    };
    let label = shape
        .label
        .as_ref()
        .map(|l| l.get(locale.is_english()).to_owned())
        .filter(|l| !l.is_empty());
    let (cx, cy) = (shape.x + shape.width / 2, shape.y + shape.height / 2);
    view! {
        <rect class=class x=shape.x y=shape.y width=shape.width height=shape.height aria-hidden="true" />
        {label.map(|l| view! { <text class="shape-label" x=cx y=cy + 5 aria-hidden="true">{l}</text> })}
    }
}

/// What the marks and symbols mean, in words.
fn legend(i18n: I18n) -> impl IntoView {
    let status = |status: SeatStatus, selected: bool, text: T| {
        let d = mark_path(status, selected, 12, 12, 10);
        view! {
            <li>
                <svg class="legend-swatch" viewBox="0 0 24 24" aria-hidden="true" data-status=status_attr(status) class:selected=selected>
                    <rect class="seat-box" x="2" y="2" width="20" height="20" rx="4" />
                    <path class="seat-mark" d=d />
                </svg>
                {i18n.tr(text)}
            </li>
        }
        .into_any()
    };
    let attribute = |key: T| {
        view! {
            <li>
                <span class="legend-symbol" aria-hidden="true">{symbol(key)}</span>
                {i18n.tr(key)}
            </li>
        }
        .into_any()
    };
    view! {
        <div class="seat-legend">
            <h3>{i18n.tr(T::LegendTitle)}</h3>
            <ul>
                {status(SeatStatus::Free, false, T::Free)}
                {status(SeatStatus::Taken, false, T::Taken)}
                {status(SeatStatus::Closed, false, T::Closed)}
                {status(SeatStatus::Free, true, T::Selected)}
                {attribute(T::Window)}
                {attribute(T::Power)}
                {attribute(T::Accessible)}
                {attribute(T::Quiet)}
            </ul>
        </div>
    }
}

/// The DOM id of a seat's element.
pub fn seat_dom_id(id: i64) -> String {
    ["seat-", &id.to_string()].concat()
}

/// Moves the keyboard focus to the element `id` (SVG elements included).
pub fn focus_element(id: &str) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&el, &JsValue::from_str("focus"))
        && let Ok(f) = f.dyn_into::<js_sys::Function>()
    {
        let _ = f.call0(&el);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_has_limits() {
        assert_eq!(zoomed(1.0, 1.5), 1.5);
        assert_eq!(zoomed(2.5, 2.0), MAX_ZOOM);
        assert_eq!(zoomed(0.3, 0.5), MIN_ZOOM);
    }

    #[test]
    fn seats_are_named_with_their_attributes_and_status() {
        let seat = Seat {
            id: 1,
            label: "A12".into(),
            code: String::new(),
            x: 10,
            y: 10,
            power: true,
            window: true,
            quiet: false,
            accessible: false,
            closed: false,
        };
        let attrs = attributes(&seat);
        assert_eq!(
            seat_aria(Locale::English, &seat.label, &attrs, T::Free, false),
            "seat A12, window, power, free"
        );
        assert_eq!(
            seat_aria(Locale::Zh, &seat.label, &attrs, T::Taken, true),
            "座位 A12，靠窗，电源，已约，已选"
        );
        let mut st = Statuses::new();
        assert_eq!(seat_status(&st, &seat), SeatStatus::Closed);
        st.insert(1, SeatStatus::Free);
        assert_eq!(seat_status(&st, &seat), SeatStatus::Free);
        assert!(mark_path(SeatStatus::Free, false, 0, 0, 10).is_empty());
        assert!(!mark_path(SeatStatus::Taken, false, 0, 0, 10).is_empty());
    }
}
