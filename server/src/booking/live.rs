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
