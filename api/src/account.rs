//! Wire types of the patron's account: sign-in and sessions, loans and
//! renewals, holds, favourite lists, and the circulation rules.
//!
//! Dates are `YYYY-MM-DD` in the library's local time; instants are RFC 3339
//! with the library's offset (`2026-11-29T21:30:00+08:00`).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::{ErrorCode, Format};

/// The header every state-changing request (`POST`, `PUT`, `PATCH`,
/// `DELETE`) to the API must carry, with [`CSRF_HEADER_VALUE`]. A
/// cross-site HTML form cannot send a custom header, and a cross-origin
/// script cannot either without a CORS preflight the server does not grant.
pub const CSRF_HEADER: &str = "x-requested-with";
/// The value of [`CSRF_HEADER`].
pub const CSRF_HEADER_VALUE: &str = "yuelan";
/// The name of the session cookie (same-origin deployments).
pub const SESSION_COOKIE: &str = "yuelan_session";

crate::wire_enum! {
    /// How the client wants to hold its session.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum SessionMode {
        /// An HttpOnly cookie that scripts cannot read: for an app served from
        /// the API's own origin.
        #[default]
        Cookie = "cookie",
        /// A bearer token in the answer, sent back in `Authorization`: for an
        /// app on another origin. The app keeps it in memory and session
        /// storage only.
        Bearer = "bearer",
    }
    else Unknown
}

crate::wire_struct! {
    /// The body of `POST /api/session`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SignInRequest {
        /// The library card number: 8 to 20 digits (spaces are ignored).
        pub card_number: String,
        /// The PIN: 4 to 12 digits.
        pub pin: String,
        #[serde(default)]
        pub mode: SessionMode,
    }
}

crate::wire_enum! {
    /// Why a patron may not borrow, hold or renew.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum BlockReason {
        /// Unpaid fines over the library's limit.
        Fines = "fines",
        /// An item reported lost and not yet settled.
        LostItem = "lost_item",
        /// The card has expired and must be renewed at a desk.
        CardExpired = "card_expired",
        /// Blocked by staff; the patron should ask at a desk.
        Staff = "staff",
    }
    else Unknown
}

crate::wire_struct! {
    /// Who is signed in.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Patron {
        pub card_number: String,
        pub name: String,
        /// The library the patron belongs to: the default pickup point.
        pub home_library_id: String,
        /// `zh-CN` or `en`.
        pub preferred_locale: String,
        #[serde(default)]
        pub elder_mode: bool,
        /// Set when the patron may not hold or renew.
        #[serde(default)]
        pub blocked: Option<BlockReason>,
    }
}

crate::wire_struct! {
    /// The answer of `POST /api/session` and `GET /api/session`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SessionInfo {
        pub patron: Patron,
        /// The bearer token, only in [`SessionMode::Bearer`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub token: Option<String>,
        /// When the session ends if it stays idle (RFC 3339); each request
        /// moves it on, up to the absolute limit.
        pub expires_at: String,
    }
}

crate::wire_struct! {
    /// A copy the patron has borrowed.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Loan {
        pub id: i64,
        pub record_id: i64,
        pub title: String,
        #[serde(default)]
        pub authors: Vec<String>,
        pub format: Format,
        /// The copy's barcode.
        pub barcode: String,
        /// The library the copy was borrowed from.
        pub library_id: String,
        /// `YYYY-MM-DD`.
        pub borrowed_on: String,
        /// `YYYY-MM-DD`.
        pub due_date: String,
        /// Days from the library's today to the due date: 0 is due today,
        /// negative is overdue.
        pub days_left: i32,
        /// Renewals made so far.
        pub renewals: u32,
        /// Renewals still allowed by the rules (not counting other reasons).
        pub renewals_left: u32,
        /// Why a renewal would be refused now, if it would; clients say so
        /// before the patron tries.
        #[serde(default)]
        pub renew_block: Option<ErrorCode>,
    }
}

crate::wire_enum! {
    /// Where a hold stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub enum HoldStatus {
        /// In the queue for the next copy.
        Waiting = "waiting",
        /// A copy is on its way to the pickup library.
        InTransit = "in_transit",
        /// A copy waits on the hold shelf of the pickup library.
        Ready = "ready",
        /// Paused by the patron until `suspended_until`; keeps its place.
        Suspended = "suspended",
    }
    else Unknown
}

crate::wire_struct! {
    /// A hold (reservation) of a title, for pickup at one library.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Hold {
        pub id: i64,
        pub record_id: i64,
        pub title: String,
        #[serde(default)]
        pub authors: Vec<String>,
        pub format: Format,
        pub pickup_library_id: String,
        pub status: HoldStatus,
        /// `YYYY-MM-DD`.
        pub placed_on: String,
        /// 1-based place among the patrons waiting for this title; 0 once a
        /// copy is in transit or ready.
        pub queue_position: u32,
        /// Patrons waiting for this title, this one included.
        pub queue_length: u32,
        /// `YYYY-MM-DD`, while suspended.
        #[serde(default)]
        pub suspended_until: Option<String>,
        /// `YYYY-MM-DD`: the last day to collect a ready copy.
        #[serde(default)]
        pub pickup_by: Option<String>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/me`: the patron with everything that is theirs.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct Account {
        pub patron: Patron,
        /// Soonest due first.
        #[serde(default)]
        pub loans: Vec<Loan>,
        /// Ready first, then in transit, then by place in the queue.
        #[serde(default)]
        pub holds: Vec<Hold>,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/holds`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct PlaceHold {
        pub record_id: i64,
        /// A library that is a pickup point.
        pub pickup_library_id: String,
    }
}

crate::wire_struct! {
    /// The body of `PATCH /api/me/holds/{id}`: a new pickup library.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ChangePickup {
        pub pickup_library_id: String,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/holds/{id}/suspend`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SuspendHold {
        /// `YYYY-MM-DD`: the hold resumes by itself after this day.
        pub until: String,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/loans/{id}/renew`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RenewLoan {
        /// The due date the patron saw. When the loan's due date is no longer
        /// this one (it was renewed meanwhile, say by a second tap), the
        /// answer is 409 `already_renewed` and nothing changes.
        pub due_date: String,
    }
}

crate::wire_struct! {
    /// One loan to renew in `POST /api/me/loans/renew`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RenewItem {
        pub id: i64,
        /// As in [`RenewLoan::due_date`].
        pub due_date: String,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/loans/renew`: renew several loans at once.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RenewMany {
        pub loans: Vec<RenewItem>,
    }
}

crate::wire_struct! {
    /// The outcome for one loan of a renewal.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RenewOutcome {
        pub loan_id: i64,
        /// The loan after the attempt (with its new due date when renewed);
        /// absent for a loan that is not the patron's.
        #[serde(default)]
        pub loan: Option<Loan>,
        /// Why it was not renewed; absent when it was.
        #[serde(default)]
        pub refused: Option<ErrorCode>,
    }
}

crate::wire_struct! {
    /// The answer of `POST /api/me/loans/renew`: one outcome per loan asked
    /// for, in the order asked.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct RenewResults {
        pub results: Vec<RenewOutcome>,
    }
}

crate::wire_struct! {
    /// A record in a favourite list.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ListEntry {
        pub record_id: i64,
        pub title: String,
        #[serde(default)]
        pub authors: Vec<String>,
        pub format: Format,
        #[serde(default)]
        pub year: Option<i32>,
        /// `YYYY-MM-DD`.
        pub added_on: String,
    }
}

crate::wire_struct! {
    /// A named list of records the patron keeps.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct FavouriteList {
        pub id: i64,
        pub name: String,
        /// Whether anyone with the link can read the list.
        pub shared: bool,
        /// The token of the list's read-only link (`/lists/{share_token}`);
        /// the link works only while `shared` is true.
        pub share_token: String,
        /// Latest added first.
        #[serde(default)]
        pub entries: Vec<ListEntry>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/me/lists`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct FavouriteLists {
        /// Oldest first.
        pub lists: Vec<FavouriteList>,
    }
}

crate::wire_struct! {
    /// The body of `POST /api/me/lists`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct NewList {
        /// 1 to 40 characters.
        pub name: String,
    }
}

crate::wire_struct! {
    /// The body of `PATCH /api/me/lists/{id}`: what to change.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct ListChange {
        #[serde(default)]
        pub name: Option<String>,
        #[serde(default)]
        pub shared: Option<bool>,
    }
}

crate::wire_struct! {
    /// The answer of `GET /api/lists/{share_token}`: a shared list, read-only.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct SharedList {
        pub name: String,
        /// The owner's name, shortened: the family name of a Chinese name
        /// (`陈` of 陈晓明), the first name of another (`Emily` of Emily
        /// Zhang); never the full name or the card number.
        pub owner: String,
        #[serde(default)]
        pub entries: Vec<ListEntry>,
    }
}

crate::wire_struct! {
    /// The library's circulation rules, as the server enforces them: the
    /// answer of `GET /api/rules`. Clients show them before a patron runs into
    /// them.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(ToSchema))]
    pub struct CirculationRules {
        /// Days a loan lasts.
        pub loan_days: u32,
        /// Days a renewal adds, counted from the later of today and the due date.
        pub renewal_days: u32,
        /// Renewals per loan.
        pub max_renewals: u32,
        /// No renewal once a loan is overdue by more than this many days.
        pub max_overdue_days_to_renew: u32,
        /// Holds a patron may have that are not yet collected.
        pub max_active_holds: u32,
        /// Days a ready hold waits on the hold shelf.
        pub hold_pickup_days: u32,
        /// Longest suspension of a hold, in days.
        pub max_suspend_days: u32,
        /// Failed sign-ins within `lockout_minutes` that lock a card.
        pub lockout_failures: u32,
        /// The window for counting failures, and how long a lock lasts.
        pub lockout_minutes: u32,
        /// A session ends after this many idle minutes...
        pub session_idle_minutes: u32,
        /// ...and in any case this many hours after sign-in.
        pub session_max_hours: u32,
        /// Favourite lists a patron may keep (0: the backend does not say).
        #[serde(default)]
        pub max_lists: u32,
        /// Records one favourite list may hold (0: the backend does not say).
        #[serde(default)]
        pub max_list_entries: u32,
    }
}
