//! Live seat changes and the booking rate limit.
//!
//! Every change of a room's bookings or seats is sent, after its
//! transaction commits, on one tokio broadcast channel as a
//! [`SeatChange`]; `GET /api/rooms/{id}/events` streams those of one room
//! as server-sent events. The rate limit is a token bucket per patron,
//! kept in memory and filled by the state's clock.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::broadcast;
use yuelan_api::booking::SeatChange;

use super::rules::{GlobalRules, TokenBucket};

/// Seat changes a slow listener may fall behind by before it misses some
/// (it then gets a `resync` event).
const CHANNEL_CAPACITY: usize = 1024;

/// The booking's shared state: the channel of seat changes and the
/// patrons' token buckets.
pub struct Hub {
    changes: broadcast::Sender<SeatChange>,
    buckets: Mutex<HashMap<String, TokenBucket>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            changes: broadcast::channel(CHANNEL_CAPACITY).0,
            buckets: Mutex::new(HashMap::new()),
        }
    }
}

impl Hub {
    /// Sends changes to whoever listens (nobody may).
    pub fn publish(&self, changes: Vec<SeatChange>) {
        for c in changes {
            let _ = self.changes.send(c);
        }
    }

    /// A new listener of every room's changes.
    pub fn subscribe(&self) -> broadcast::Receiver<SeatChange> {
        self.changes.subscribe()
    }

    /// Takes a token of `card`'s bucket at `now`, or answers the seconds
    /// until one is there.
    pub fn take_token(&self, card: &str, rules: &GlobalRules, now: i64) -> Result<(), i64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            // Full buckets carry no information: forget them.
            let cap = i64::from(rules.rate_burst) * 1000;
            buckets.retain(|_, b| b.milli_tokens < cap && now - b.at < 3600);
        }
        buckets
            .entry(card.to_owned())
            .or_insert_with(|| TokenBucket::full(rules, now))
            .take(rules, now)
    }
}

/// The live seat changes of one room, as server-sent events: an event
/// `seat` with a [`SeatChange`] for every seat taken, released, closed or
/// opened, sent as its transaction commits (well within a second); an event
/// `resync` when the listener fell behind and should reload availability;
/// a comment every 15 seconds keeps proxies from closing the stream.
#[utoipa::path(
    get, path = "/api/rooms/{id}/events", tag = "booking",
    params(("id" = String, Path, description = "The room's id.")),
    responses(
        (status = 200, description = "A `text/event-stream`: events `seat` (data: a `SeatChange` as JSON) and `resync`.", content_type = "text/event-stream", body = SeatChange),
        (status = 404, description = "No such room (`not_found`).", body = yuelan_api::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn events_handler(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    path: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<axum::response::Response, crate::error::AppError> {
    use axum::response::IntoResponse;
    use axum::response::sse::{Event, KeepAlive, Sse};
    use futures_util::stream;
    use tokio::sync::broadcast::error::RecvError;

    let id = crate::account::one_param(path)?;
    let db_state = state.clone();
    let room = id.clone();
    let exists = crate::routes::blocking(move || {
        Ok(db_state
            .db()
            .with_conn(|c| super::store::room_version(c, &room))?)
    })
    .await?;
    if exists.is_none() {
        return Err(crate::error::AppError::NotFound(format!(
            "There is no reading room {id:?}."
        )));
    }
    let rx = state.booking_hub().subscribe();
    let events = stream::unfold((rx, id), |(mut rx, id)| async move {
        loop {
            let event = match rx.recv().await {
                Ok(change) if change.room_id == id => Event::default()
                    .event("seat")
                    .data(serde_json::to_string(&change).unwrap_or_default()),
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => Event::default().event("resync").data("{}"),
                Err(RecvError::Closed) => return None,
            };
            return Some((Ok::<_, std::convert::Infallible>(event), (rx, id)));
        }
    });
    let mut res = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-cache"),
    );
    Ok(res)
}
