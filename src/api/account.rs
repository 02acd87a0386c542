//! The account part of the contract: sessions, loans, holds, lists.
//!
//! These methods are called only from the account's chunks (and the
//! session's few calls), so their code travels with those chunks.

use yuelan_api::account::{
    Account, ChangePickup, CirculationRules, FavouriteList, FavouriteLists, Hold, ListChange, Loan,
    NewList, PlaceHold, RenewItem, RenewLoan, RenewMany, RenewResults, SessionInfo, SessionMode,
    SharedList, SignInRequest, SuspendHold,
};
use yuelan_api::wire::to_json;

use super::http::{self, Method};
use super::{ApiClient, ApiError, Request, auth};
use crate::urlenc;

impl ApiClient {
    fn url(&self, path: &str) -> String {
        [self.base, path].concat()
    }

    fn id_url(&self, path: &str, id: i64, tail: &str) -> String {
        [self.base, path, &id.to_string(), tail].concat()
    }

    /// `POST {api}/session`: signs in; in bearer mode the token is kept.
    pub fn sign_in(&self, card_number: &str, pin: &str) -> Request<SessionInfo> {
        let body = to_json(&SignInRequest {
            card_number: card_number.to_owned(),
            pin: pin.to_owned(),
            mode: self.mode,
        });
        let request =
            http::send_json::<SessionInfo>(Method::Post, self.url("/session"), Some(body));
        let bearer = self.mode == SessionMode::Bearer;
        Box::pin(async move {
            let info = request.await?;
            if bearer {
                auth::set_token(info.token.clone());
            }
            Ok(info)
        })
    }

    /// `GET {api}/session`: who is signed in (401 when nobody is).
    pub fn current_session(&self) -> Request<SessionInfo> {
        http::get_json(self.url("/session"))
    }

    /// `DELETE {api}/session`: ends the session on the server; the token
    /// is forgotten whatever the answer.
    pub fn sign_out(&self) -> Request<()> {
        let request = http::send(Method::Delete, self.url("/session"), None);
        Box::pin(async move {
            let out = request.await.map(drop);
            auth::set_token(None);
            out
        })
    }

    /// `GET {api}/me`: the patron with loans and holds.
    pub fn account(&self) -> Request<Account> {
        http::get_json(self.url("/me"))
    }

    /// `GET {api}/rules`.
    pub fn rules(&self) -> Request<CirculationRules> {
        http::get_json(self.url("/rules"))
    }

    /// `POST {api}/me/holds`.
    pub fn place_hold(&self, record_id: i64, pickup_library_id: &str) -> Request<Hold> {
        let body = to_json(&PlaceHold {
            record_id,
            pickup_library_id: pickup_library_id.to_owned(),
        });
        http::send_json(Method::Post, self.url("/me/holds"), Some(body))
    }

    /// `PATCH {api}/me/holds/{id}`: a new pickup library.
    pub fn change_pickup(&self, hold_id: i64, pickup_library_id: &str) -> Request<Hold> {
        let body = to_json(&ChangePickup {
            pickup_library_id: pickup_library_id.to_owned(),
        });
        http::send_json(
            Method::Patch,
            self.id_url("/me/holds/", hold_id, ""),
            Some(body),
        )
    }

    /// `POST {api}/me/holds/{id}/suspend`.
    pub fn suspend_hold(&self, hold_id: i64, until: &str) -> Request<Hold> {
        let body = to_json(&SuspendHold {
            until: until.to_owned(),
        });
        http::send_json(
            Method::Post,
            self.id_url("/me/holds/", hold_id, "/suspend"),
            Some(body),
        )
    }

    /// `POST {api}/me/holds/{id}/resume`.
    pub fn resume_hold(&self, hold_id: i64) -> Request<Hold> {
        http::send_json(
            Method::Post,
            self.id_url("/me/holds/", hold_id, "/resume"),
            None,
        )
    }

    /// `DELETE {api}/me/holds/{id}`.
    pub fn cancel_hold(&self, hold_id: i64) -> Request<()> {
        unit(http::send(
            Method::Delete,
            self.id_url("/me/holds/", hold_id, ""),
            None,
        ))
    }

    /// `POST {api}/me/loans/{id}/renew`, for the due date the patron saw.
    pub fn renew(&self, loan_id: i64, due_date: &str) -> Request<Loan> {
        let body = to_json(&RenewLoan {
            due_date: due_date.to_owned(),
        });
        http::send_json(
            Method::Post,
            self.id_url("/me/loans/", loan_id, "/renew"),
            Some(body),
        )
    }

    /// `POST {api}/me/loans/renew`: several loans, an outcome each.
    pub fn renew_many(&self, loans: Vec<RenewItem>) -> Request<RenewResults> {
        let body = to_json(&RenewMany { loans });
        http::send_json(Method::Post, self.url("/me/loans/renew"), Some(body))
    }

    /// `GET {api}/me/lists`.
    pub fn lists(&self) -> Request<FavouriteLists> {
        http::get_json(self.url("/me/lists"))
    }

    /// `POST {api}/me/lists`.
    pub fn create_list(&self, name: &str) -> Request<FavouriteList> {
        let body = to_json(&NewList {
            name: name.to_owned(),
        });
        http::send_json(Method::Post, self.url("/me/lists"), Some(body))
    }

    /// `PATCH {api}/me/lists/{id}`.
    pub fn change_list(&self, list_id: i64, change: &ListChange) -> Request<FavouriteList> {
        http::send_json(
            Method::Patch,
            self.id_url("/me/lists/", list_id, ""),
            Some(to_json(change)),
        )
    }

    /// `DELETE {api}/me/lists/{id}`.
    pub fn delete_list(&self, list_id: i64) -> Request<()> {
        unit(http::send(
            Method::Delete,
            self.id_url("/me/lists/", list_id, ""),
            None,
        ))
    }

    /// `PUT {api}/me/lists/{id}/entries/{record}`.
    pub fn add_to_list(&self, list_id: i64, record_id: i64) -> Request<FavouriteList> {
        let tail = ["/entries/", &record_id.to_string()].concat();
        http::send_json(Method::Put, self.id_url("/me/lists/", list_id, &tail), None)
    }

    /// `DELETE {api}/me/lists/{id}/entries/{record}`.
    pub fn remove_from_list(&self, list_id: i64, record_id: i64) -> Request<FavouriteList> {
        let tail = ["/entries/", &record_id.to_string()].concat();
        http::send_json(
            Method::Delete,
            self.id_url("/me/lists/", list_id, &tail),
            None,
        )
    }

    /// `GET {api}/lists/{token}`: a shared list, for anyone.
    pub fn shared_list(&self, token: &str) -> Request<SharedList> {
        let mut url = self.url("/lists/");
        urlenc::encode_into(&mut url, token);
        http::get_json(url)
    }
}

/// A request whose answer has no body worth reading.
fn unit(request: Request<String>) -> Request<()> {
    Box::pin(async move { request.await.map(drop) })
}

impl ApiError {
    /// Whether the answer asks for a (new) sign-in: 401 without a
    /// credentials problem (a wrong PIN is not a reason to ask again).
    pub fn needs_sign_in(&self) -> bool {
        use yuelan_api::ErrorCode;
        match self {
            ApiError::Http { status: 401, .. } => !matches!(
                self.code(),
                Some(ErrorCode::InvalidCredentials | ErrorCode::CardLocked)
            ),
            _ => false,
        }
    }
}
