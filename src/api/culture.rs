//! The cultural cloud's part of the contract: the culture home,
//! programmes, events with registrations, progress, ratings, views and
//! requests (点单).
//!
//! Called only from the culture chunk (and the Me page's chunk for the
//! timeline), so their code travels with those chunks.

use yuelan_api::culture::{
    ContinueWatching, CreateRegistration, CreateRequest, CultureEvent, CultureHome, CultureRequest,
    EventList, IDEMPOTENCY_KEY_HEADER, MyRegistrations, ProgrammeDetail, ProgrammeList, Progress,
    RateProgramme, RatingSummary, RecordView, Registration, RequestList, SaveProgress, ViewCount,
};
use yuelan_api::wire::to_json;

use super::http::{self, Method};
use super::{ApiClient, Request};
use crate::urlenc;

/// Programmes a search page asks for.
pub const CULTURE_PAGE_SIZE: u32 = 30;

impl ApiClient {
    fn culture_url(&self, path: &str) -> String {
        [self.base, path].concat()
    }

    /// `{api}{path}{id}{tail}`, the id percent-encoded.
    fn culture_id_url(&self, path: &str, id: &str, tail: &str) -> String {
        let mut url = self.culture_url(path);
        urlenc::encode_into(&mut url, id);
        url.push_str(tail);
        url
    }

    /// `GET {api}/culture/home`.
    pub fn culture_home(&self) -> Request<CultureHome> {
        http::get_json(self.culture_url("/culture/home"))
    }

    /// `GET {api}/culture/programmes?q=&page_size=`: programmes matching `q`.
    pub fn culture_search(&self, q: &str) -> Request<ProgrammeList> {
        let mut url = self.culture_url("/culture/programmes?q=");
        urlenc::encode_into(&mut url, q);
        url.push_str("&page_size=");
        url.push_str(&CULTURE_PAGE_SIZE.to_string());
        http::get_json(url)
    }

    /// `GET {api}/culture/programmes/{id}`.
    pub fn culture_programme(&self, id: &str) -> Request<ProgrammeDetail> {
        http::get_json(self.culture_id_url("/culture/programmes/", id, ""))
    }

    /// `POST {api}/culture/programmes/{id}/views`: counts a view (a guest's
    /// by `device_id`).
    pub fn record_view(&self, id: &str, device_id: Option<String>) -> Request<ViewCount> {
        let body = to_json(&RecordView { device_id });
        http::send_json(
            Method::Post,
            self.culture_id_url("/culture/programmes/", id, "/views"),
            Some(body),
        )
    }

    /// `GET {api}/culture/events`: the calendar (a week back, two months on).
    pub fn culture_events(&self) -> Request<EventList> {
        http::get_json(self.culture_url("/culture/events"))
    }

    /// `GET {api}/culture/events/{id}`.
    pub fn culture_event(&self, id: &str) -> Request<CultureEvent> {
        http::get_json(self.culture_id_url("/culture/events/", id, ""))
    }

    /// `PUT {api}/me/culture/progress/{id}`.
    pub fn save_progress(&self, id: &str, save: &SaveProgress) -> Request<Progress> {
        http::send_json(
            Method::Put,
            self.culture_id_url("/me/culture/progress/", id, ""),
            Some(to_json(save)),
        )
    }

    /// `GET {api}/me/culture/progress`: unfinished programmes.
    pub fn continue_watching(&self) -> Request<ContinueWatching> {
        http::get_json(self.culture_url("/me/culture/progress"))
    }

    /// `PUT {api}/me/culture/ratings/{id}`.
    pub fn rate_programme(&self, id: &str, stars: u8) -> Request<RatingSummary> {
        http::send_json(
            Method::Put,
            self.culture_id_url("/me/culture/ratings/", id, ""),
            Some(to_json(&RateProgramme { stars })),
        )
    }

    /// `GET {api}/me/culture/registrations`.
    pub fn my_registrations(&self) -> Request<MyRegistrations> {
        http::get_json(self.culture_url("/me/culture/registrations"))
    }

    /// `POST {api}/me/culture/registrations` with `key` as its
    /// `Idempotency-Key`: the same key on a retry makes one registration.
    pub fn register(&self, event_id: &str, key: &str) -> Request<Registration> {
        let body = to_json(&CreateRegistration {
            event_id: event_id.to_owned(),
        });
        http::send_json_with(
            Method::Post,
            self.culture_url("/me/culture/registrations"),
            Some(body),
            vec![(IDEMPOTENCY_KEY_HEADER, key.to_owned())],
        )
    }

    /// `DELETE {api}/me/culture/registrations/{id}`.
    pub fn cancel_registration(&self, id: i64) -> Request<()> {
        let request = http::send(
            Method::Delete,
            self.culture_id_url("/me/culture/registrations/", &id.to_string(), ""),
            None,
        );
        Box::pin(async move { request.await.map(drop) })
    }

    /// `GET {api}/culture/requests`: every request, most backed first, and
    /// the counts per library.
    pub fn culture_requests(&self) -> Request<RequestList> {
        http::get_json(self.culture_url("/culture/requests"))
    }

    /// `POST {api}/me/culture/requests`.
    pub fn create_request(&self, request: &CreateRequest) -> Request<CultureRequest> {
        http::send_json(
            Method::Post,
            self.culture_url("/me/culture/requests"),
            Some(to_json(request)),
        )
    }

    /// `PUT` (back) or `DELETE` (stop backing)
    /// `{api}/me/culture/requests/{id}/backing`.
    pub fn back_request(&self, id: i64, back: bool) -> Request<CultureRequest> {
        http::send_json(
            if back { Method::Put } else { Method::Delete },
            self.culture_id_url("/me/culture/requests/", &id.to_string(), "/backing"),
            None,
        )
    }
}
