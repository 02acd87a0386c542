//! Decoding the wire types from JSON text without serde_json.
//!
//! The app decodes every response with [`decode`], which parses the text
//! with [`crate::json`] and then builds the type with its [`FromJson`] impl.
//! The impls are written by hand to accept and reject exactly what the serde
//! derives (used by the server) accept and reject with serde_json:
//!
//! - a struct may be a JSON object, or (as serde allows) an array holding
//!   its fields in declaration order; unknown object keys are ignored, a
//!   known key given twice is an error, and an array with more elements than
//!   the struct has fields is an error;
//! - a missing `#[serde(default)]` field takes its default, a missing field
//!   without default is an error, and `Option` fields are `None` when missing
//!   or `null` (every `Option` field of the contract has `#[serde(default)]`,
//!   which also covers the array form);
//! - `null` is not a default: `"hours": null` is an error, as in serde;
//! - an enum is its variant name as a string, or (as serde_json allows) an
//!   object `{"name": null}`; unknown names fall to the `#[serde(other)]`
//!   variant where the enum has one and are an error otherwise;
//! - an integer field accepts only a number written as an integer in the
//!   type's range (`1.0`, `1e3` and `-0` are rejected, as in serde_json);
//!   a float field accepts any number.
//!
//! The helpers below are non-generic where they can be, to keep the WASM
//! code small; only the few that build nested types and lists are generic.
//!
//! [`decode`]: crate::decode::decode
//! [`FromJson`]: crate::decode::FromJson

use crate::json::{self, Json, JsonError};
use crate::{
    BranchAvailability, ErrorCode, Facet, FacetField, FacetValue, FieldError, Format, Health,
    Holding, ItemStatus, Library, LibraryKind, LibraryList, LocalizedText, OpeningHours, Problem,
    RecordDetail, SearchHit, SearchResponse, SortOrder,
};
use std::fmt;

/// A type that can be built from a parsed JSON value.
pub trait FromJson: Sized {
    fn from_json(v: &Json) -> Result<Self, DecodeError>;
}

/// Parses `text` as JSON and decodes it as a `T`.
pub fn decode<T: FromJson>(text: &str) -> Result<T, DecodeError> {
    T::from_json(&json::parse(text)?)
}

/// Why a JSON text did not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The text is not JSON.
    Syntax(JsonError),
    /// A required field is absent.
    MissingField,
    /// A field appears twice in one object.
    DuplicateField,
    /// A value has the wrong JSON type (including a fraction for an integer).
    WrongType,
    /// An integer outside the range of the field's type.
    OutOfRange,
    /// A string that names no variant of an enum without a catch-all variant.
    UnknownVariant,
    /// A struct given as an array has more elements than fields.
    TooManyElements,
}

/// A decoding failure and the wire name of the innermost field it concerns
/// (empty when it concerns the whole document).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: DecodeErrorKind,
    pub field: &'static str,
}

impl DecodeError {
    fn new(kind: DecodeErrorKind, field: &'static str) -> Self {
        Self { kind, field }
    }

    /// Names `field` as the failing one unless a nested field is named already.
    fn within(mut self, field: &'static str) -> Self {
        if self.field.is_empty() {
            self.field = field;
        }
        self
    }
}

impl From<JsonError> for DecodeError {
    fn from(e: JsonError) -> Self {
        Self::new(DecodeErrorKind::Syntax(e), "")
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DecodeErrorKind::Syntax(e) => return e.fmt(f),
            DecodeErrorKind::MissingField => "missing field",
            DecodeErrorKind::DuplicateField => "duplicate field",
            DecodeErrorKind::WrongType => "wrong type",
            DecodeErrorKind::OutOfRange => "number out of range",
            DecodeErrorKind::UnknownVariant => "unknown variant",
            DecodeErrorKind::TooManyElements => "too many elements",
        };
        f.write_str(what)?;
        if !self.field.is_empty() {
            f.write_str(" at `")?;
            f.write_str(self.field)?;
            f.write_str("`")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

fn wrong_type(field: &'static str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::WrongType, field)
}

/// The variant name of a unit enum variant: a string, or an object with one
/// member whose value is `null`, as serde_json accepts both.
fn variant_name(v: &Json) -> Result<&str, DecodeError> {
    match v {
        Json::String(name) => Ok(name),
        Json::Object(members) => match members.as_slice() {
            [(name, Json::Null)] => Ok(name),
            _ => Err(wrong_type("")),
        },
        _ => Err(wrong_type("")),
    }
}

/// The fields of a struct being decoded, read one by one in declaration
/// order: by name from an object, or by position from an array (as serde
/// allows).
///
/// Reading never stops early: a failing field records the first error and
/// yields a placeholder, and [`Fields::finish`] reports the error. Building
/// each struct in one expression without early returns keeps the generated
/// code small, because no partially built struct needs its own drop path.
struct Fields<'a> {
    object: &'a [(String, Json)],
    array: Option<std::slice::Iter<'a, Json>>,
    error: Option<DecodeError>,
}

impl<'a> Fields<'a> {
    fn new(v: &'a Json) -> Self {
        let mut f = Fields {
            object: &[],
            array: None,
            error: None,
        };
        match v {
            Json::Object(members) => f.object = members,
            Json::Array(items) => f.array = Some(items.iter()),
            _ => f.fail(wrong_type("")),
        }
        f
    }

    /// Records `e` unless an earlier error is recorded already.
    fn fail(&mut self, e: DecodeError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// The first error, or one for array elements beyond the last field.
    fn finish(mut self) -> Result<(), DecodeError> {
        if self.array.as_ref().is_some_and(|rest| rest.len() > 0) {
            self.fail(DecodeError::new(DecodeErrorKind::TooManyElements, ""));
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The next field's value, or `None` when it is absent.
    fn take(&mut self, name: &'static str) -> Option<&'a Json> {
        if let Some(items) = &mut self.array {
            return items.next();
        }
        let mut found = None;
        for (key, value) in self.object {
            if key == name {
                if found.is_some() {
                    self.fail(DecodeError::new(DecodeErrorKind::DuplicateField, name));
                }
                found = Some(value);
            }
        }
        found
    }

    /// The next field's value, which must be present.
    fn required(&mut self, name: &'static str) -> Option<&'a Json> {
        let v = self.take(name);
        if v.is_none() {
            self.fail(DecodeError::new(DecodeErrorKind::MissingField, name));
        }
        v
    }

    /// The next field's value for an `Option` field: `None` when absent or `null`.
    fn optional(&mut self, name: &'static str) -> Option<&'a Json> {
        self.take(name).filter(|v| !v.is_null())
    }

    fn string_of(&mut self, v: Option<&Json>, name: &'static str) -> String {
        match v {
            Some(Json::String(s)) => s.clone(),
            Some(_) => {
                self.fail(wrong_type(name));
                String::new()
            }
            None => String::new(),
        }
    }

    fn string(&mut self, name: &'static str) -> String {
        let v = self.required(name);
        self.string_of(v, name)
    }

    /// A `#[serde(default)] String` field.
    fn string_or_default(&mut self, name: &'static str) -> String {
        let v = self.take(name);
        self.string_of(v, name)
    }

    fn opt_string(&mut self, name: &'static str) -> Option<String> {
        let v = self.optional(name)?;
        Some(self.string_of(Some(v), name))
    }

    /// The integer in `min..=max` (0 after a failure); callers narrow it to
    /// their type. Like serde_json, only numbers written as integers count.
    fn integer_of(&mut self, v: Option<&Json>, name: &'static str, min: i128, max: i128) -> i128 {
        match v {
            Some(&Json::Integer(n)) if (min..=max).contains(&n) => n,
            Some(Json::Integer(_)) => {
                self.fail(DecodeError::new(DecodeErrorKind::OutOfRange, name));
                0
            }
            Some(_) => {
                self.fail(wrong_type(name));
                0
            }
            None => 0,
        }
    }

    fn integer(&mut self, name: &'static str, min: i128, max: i128) -> i128 {
        let v = self.required(name);
        self.integer_of(v, name, min, max)
    }

    fn u8(&mut self, name: &'static str) -> u8 {
        self.integer(name, 0, u8::MAX.into()) as u8
    }

    fn u16(&mut self, name: &'static str) -> u16 {
        self.integer(name, 0, u16::MAX.into()) as u16
    }

    fn u32(&mut self, name: &'static str) -> u32 {
        self.integer(name, 0, u32::MAX.into()) as u32
    }

    fn u64(&mut self, name: &'static str) -> u64 {
        self.integer(name, 0, u64::MAX.into()) as u64
    }

    fn i64(&mut self, name: &'static str) -> i64 {
        self.integer(name, i64::MIN.into(), i64::MAX.into()) as i64
    }

    fn opt_i32(&mut self, name: &'static str) -> Option<i32> {
        let v = self.optional(name)?;
        Some(self.integer_of(Some(v), name, i32::MIN.into(), i32::MAX.into()) as i32)
    }

    /// An `f64` field, which takes any number.
    fn f64(&mut self, name: &'static str) -> f64 {
        let v = self.required(name);
        match v.map(Json::as_f64) {
            Some(Some(n)) => n,
            Some(None) => {
                self.fail(wrong_type(name));
                0.0
            }
            None => 0.0,
        }
    }

    /// A `#[serde(default)] bool` field.
    fn bool_or_default(&mut self, name: &'static str) -> bool {
        match self.take(name).map(Json::as_bool) {
            Some(Some(b)) => b,
            Some(None) => {
                self.fail(wrong_type(name));
                false
            }
            None => false,
        }
    }

    /// Records the error of a nested value, naming `name` unless the error
    /// names a field of its own.
    fn nested<T>(&mut self, r: Result<T, DecodeError>, name: &'static str) -> Option<T> {
        match r {
            Ok(value) => Some(value),
            Err(e) => {
                self.fail(e.within(name));
                None
            }
        }
    }

    /// A required field of another decodable type; `placeholder` stands in
    /// for it after a failure.
    fn item<T: FromJson>(&mut self, name: &'static str, placeholder: T) -> T {
        match self.required(name) {
            Some(v) => self.nested(T::from_json(v), name).unwrap_or(placeholder),
            None => placeholder,
        }
    }

    fn text(&mut self, name: &'static str) -> LocalizedText {
        self.item(name, LocalizedText::default())
    }

    fn opt_text(&mut self, name: &'static str) -> Option<LocalizedText> {
        let v = self.optional(name)?;
        self.nested(LocalizedText::from_json(v), name)
    }

    fn list_of<T: FromJson>(&mut self, v: Option<&Json>, name: &'static str) -> Vec<T> {
        let mut out = Vec::new();
        match v {
            Some(Json::Array(items)) => {
                for item in items {
                    match self.nested(T::from_json(item), name) {
                        Some(value) => out.push(value),
                        None => break,
                    }
                }
            }
            Some(_) => self.fail(wrong_type(name)),
            None => {}
        }
        out
    }

    fn list<T: FromJson>(&mut self, name: &'static str) -> Vec<T> {
        let v = self.required(name);
        self.list_of(v, name)
    }

    /// A `#[serde(default)] Vec<T>` field.
    fn list_or_default<T: FromJson>(&mut self, name: &'static str) -> Vec<T> {
        let v = self.take(name);
        self.list_of(v, name)
    }
}

impl FromJson for String {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::String(s) => Ok(s.clone()),
            _ => Err(wrong_type("")),
        }
    }
}

impl FromJson for LocalizedText {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = LocalizedText {
            zh: f.string("zh"),
            en: f.string_or_default("en"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for LibraryKind {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        Ok(match variant_name(v)? {
            "county" => LibraryKind::County,
            "branch" => LibraryKind::Branch,
            "village" => LibraryKind::Village,
            _ => LibraryKind::Unknown,
        })
    }
}

impl FromJson for OpeningHours {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = OpeningHours {
            weekday: f.u8("weekday"),
            opens: f.string("opens"),
            closes: f.string("closes"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for Library {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = Library {
            id: f.string("id"),
            name: f.text("name"),
            kind: f.item("kind", LibraryKind::Unknown),
            parent_id: f.opt_string("parent_id"),
            address: f.text("address"),
            phone: f.opt_string("phone"),
            latitude: f.f64("latitude"),
            longitude: f.f64("longitude"),
            hours: f.list_or_default("hours"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for LibraryList {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = LibraryList {
            libraries: f.list("libraries"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for Format {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        // `Format::parse` knows every variant but the catch-all one.
        Ok(Format::parse(variant_name(v)?).unwrap_or(Format::Unknown))
    }
}

impl FromJson for ItemStatus {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        Ok(ItemStatus::parse(variant_name(v)?).unwrap_or(ItemStatus::Unknown))
    }
}

impl FromJson for SortOrder {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        // `SortOrder` has no `#[serde(other)]` variant: unknown names fail.
        SortOrder::parse(variant_name(v)?)
            .ok_or(DecodeError::new(DecodeErrorKind::UnknownVariant, ""))
    }
}

impl FromJson for FacetField {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        Ok(FacetField::parse(variant_name(v)?).unwrap_or(FacetField::Unknown))
    }
}

impl FromJson for BranchAvailability {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = BranchAvailability {
            library_id: f.string("library_id"),
            available: f.u32("available"),
            total: f.u32("total"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for SearchHit {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = SearchHit {
            id: f.i64("id"),
            title: f.string("title"),
            subtitle: f.opt_string("subtitle"),
            authors: f.list_or_default("authors"),
            year: f.opt_i32("year"),
            format: f.item("format", Format::Unknown),
            language: f.string("language"),
            cover_url: f.opt_string("cover_url"),
            availability: f.list_or_default("availability"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for FacetValue {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = FacetValue {
            value: f.string("value"),
            label: f.opt_text("label"),
            count: f.u64("count"),
            selected: f.bool_or_default("selected"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for Facet {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = Facet {
            field: f.item("field", FacetField::Unknown),
            values: f.list("values"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for SearchResponse {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = SearchResponse {
            query: f.string("query"),
            total: f.u64("total"),
            page: f.u32("page"),
            page_size: f.u32("page_size"),
            hits: f.list("hits"),
            facets: f.list_or_default("facets"),
            suggestions: f.list_or_default("suggestions"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for Holding {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = Holding {
            barcode: f.string("barcode"),
            library_id: f.string("library_id"),
            library_name: f.text("library_name"),
            call_number: f.string("call_number"),
            shelf_location: f.text("shelf_location"),
            status: f.item("status", ItemStatus::Unknown),
            due_date: f.opt_string("due_date"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for RecordDetail {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = RecordDetail {
            id: f.i64("id"),
            title: f.string("title"),
            subtitle: f.opt_string("subtitle"),
            authors: f.list_or_default("authors"),
            publisher: f.opt_string("publisher"),
            publication_place: f.opt_string("publication_place"),
            year: f.opt_i32("year"),
            isbn: f.opt_string("isbn"),
            format: f.item("format", Format::Unknown),
            language: f.string("language"),
            subjects: f.list_or_default("subjects"),
            series: f.opt_string("series"),
            extent: f.opt_string("extent"),
            summary: f.opt_string("summary"),
            classification: f.opt_string("classification"),
            cover_url: f.opt_string("cover_url"),
            holdings: f.list_or_default("holdings"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for ErrorCode {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        Ok(match variant_name(v)? {
            "bad_request" => ErrorCode::BadRequest,
            "validation_failed" => ErrorCode::ValidationFailed,
            "not_found" => ErrorCode::NotFound,
            "method_not_allowed" => ErrorCode::MethodNotAllowed,
            "conflict" => ErrorCode::Conflict,
            "rate_limited" => ErrorCode::RateLimited,
            "internal" => ErrorCode::Internal,
            "unavailable" => ErrorCode::Unavailable,
            _ => ErrorCode::Unknown,
        })
    }
}

impl FromJson for FieldError {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = FieldError {
            field: f.string("field"),
            code: f.string("code"),
            message: f.string("message"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for Problem {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = Problem {
            // `#[serde(rename = "type", default = "about_blank")]`.
            type_uri: match f.take("type") {
                None => crate::about_blank(),
                v => f.string_of(v, "type"),
            },
            title: f.string("title"),
            status: f.u16("status"),
            detail: f.opt_string("detail"),
            instance: f.opt_string("instance"),
            code: f.item("code", ErrorCode::Unknown),
            errors: f.list_or_default("errors"),
        };
        f.finish()?;
        Ok(out)
    }
}

impl FromJson for Health {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut f = Fields::new(v);
        let out = Health {
            status: f.string("status"),
            records: f.u64("records"),
        };
        f.finish()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use std::fmt::Debug;

    /// Asserts that serde_json and [`decode`] agree on `text`, and returns
    /// the decoded value when both accept it.
    fn agree<T>(text: &str) -> Option<T>
    where
        T: FromJson + DeserializeOwned + PartialEq + Debug,
    {
        let theirs = serde_json::from_str::<T>(text);
        let ours = decode::<T>(text);
        match (theirs, ours) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{text}");
                Some(b)
            }
            (Err(_), Err(_)) => None,
            (theirs, ours) => panic!("disagree on {text}\nserde: {theirs:?}\nours: {ours:?}"),
        }
    }

    fn accepts<T>(text: &str) -> T
    where
        T: FromJson + DeserializeOwned + PartialEq + Debug,
    {
        match agree::<T>(text) {
            Some(v) => v,
            None => panic!("both reject {text}"),
        }
    }

    fn rejects<T>(text: &str) -> DecodeError
    where
        T: FromJson + DeserializeOwned + PartialEq + Debug,
    {
        assert!(agree::<T>(text).is_none(), "both accept {text}");
        match decode::<T>(text) {
            Err(e) => e,
            Ok(_) => unreachable!(),
        }
    }

    /// Serializes with serde and decodes with [`decode`]; the value must survive.
    fn round_trip<T>(value: &T)
    where
        T: FromJson + Serialize + DeserializeOwned + PartialEq + Debug,
    {
        let text = serde_json::to_string(value).unwrap();
        assert_eq!(&decode::<T>(&text).unwrap(), value, "{text}");
        assert_eq!(&accepts::<T>(&text), value);
        let pretty = serde_json::to_string_pretty(value).unwrap();
        assert_eq!(&decode::<T>(&pretty).unwrap(), value, "{pretty}");
    }

    const NASTY: &str = "引号\"反斜杠\\ 换行\n制表\t</script><script>alert('x')</script> \u{0}\u{1f}\u{7f}\u{2028}😀";

    fn text(zh: &str, en: &str) -> LocalizedText {
        LocalizedText::new(zh, en)
    }

    fn libraries() -> LibraryList {
        LibraryList {
            libraries: vec![
                Library {
                    id: "county".into(),
                    name: text("县图书馆", "County Library"),
                    kind: LibraryKind::County,
                    parent_id: None,
                    address: text("人民路 1 号", ""),
                    phone: Some("0571-1234 5678".into()),
                    latitude: 30.274_084_123_456_79,
                    longitude: 120.155_070_987_654_32,
                    hours: vec![
                        OpeningHours {
                            weekday: 1,
                            opens: "08:30".into(),
                            closes: "17:00".into(),
                        },
                        OpeningHours {
                            weekday: 7,
                            opens: "09:00".into(),
                            closes: "12:00".into(),
                        },
                    ],
                },
                Library {
                    id: "br-xinqiao".into(),
                    name: text(NASTY, NASTY),
                    kind: LibraryKind::Village,
                    parent_id: Some("county".into()),
                    address: text("", ""),
                    phone: None,
                    latitude: -0.0,
                    longitude: 1e-7,
                    hours: vec![],
                },
                Library {
                    id: "x".into(),
                    name: text("分馆", "Branch"),
                    kind: LibraryKind::Branch,
                    parent_id: Some(String::new()),
                    address: text("镇", "Town"),
                    phone: None,
                    latitude: 90.0,
                    longitude: -180.0,
                    hours: vec![],
                },
            ],
        }
    }

    fn search() -> SearchResponse {
        SearchResponse {
            query: "红楼梦 \"脂评\"".into(),
            total: u64::MAX,
            page: 3,
            page_size: crate::MAX_PAGE_SIZE,
            hits: vec![
                SearchHit {
                    id: 42,
                    title: "红楼梦".into(),
                    subtitle: Some("脂砚斋评本\\校注".into()),
                    authors: vec!["曹雪芹".into(), "高鹗".into()],
                    year: Some(1982),
                    format: Format::Book,
                    language: "zh".into(),
                    cover_url: Some("/covers/42.jpg?a=1&b=<2>".into()),
                    availability: vec![
                        BranchAvailability {
                            library_id: "county".into(),
                            available: 2,
                            total: 3,
                        },
                        BranchAvailability {
                            library_id: "br-xinqiao".into(),
                            available: 0,
                            total: u32::MAX,
                        },
                    ],
                },
                SearchHit {
                    id: i64::MIN,
                    title: NASTY.into(),
                    subtitle: None,
                    authors: vec![],
                    year: Some(-500),
                    format: Format::Audiobook,
                    language: "en".into(),
                    cover_url: None,
                    availability: vec![],
                },
                SearchHit {
                    id: i64::MAX,
                    title: String::new(),
                    subtitle: None,
                    authors: vec![String::new()],
                    year: None,
                    format: Format::Dvd,
                    language: String::new(),
                    cover_url: None,
                    availability: vec![],
                },
            ],
            facets: vec![
                Facet {
                    field: FacetField::Branch,
                    values: vec![
                        FacetValue {
                            value: "county".into(),
                            label: Some(text("县图书馆", "County Library")),
                            count: 7,
                            selected: true,
                        },
                        FacetValue {
                            value: "br-xinqiao".into(),
                            label: Some(text("新桥分馆", "")),
                            count: 0,
                            selected: false,
                        },
                    ],
                },
                Facet {
                    field: FacetField::Decade,
                    values: vec![FacetValue {
                        value: "1980".into(),
                        label: None,
                        count: u64::MAX,
                        selected: false,
                    }],
                },
                Facet {
                    field: FacetField::Available,
                    values: vec![],
                },
            ],
            suggestions: vec!["红楼".into(), NASTY.into()],
        }
    }

    fn record() -> RecordDetail {
        RecordDetail {
            id: 7,
            title: "活着".into(),
            subtitle: None,
            authors: vec!["余华".into()],
            publisher: Some("作家出版社".into()),
            publication_place: Some("北京".into()),
            year: Some(2012),
            isbn: Some("9787506365437".into()),
            format: Format::Book,
            language: "zh".into(),
            subjects: vec!["长篇小说".into(), "中国-当代".into()],
            series: None,
            extent: Some("191 页".into()),
            summary: Some(NASTY.into()),
            classification: Some("I247.57".into()),
            cover_url: None,
            holdings: vec![
                Holding {
                    barcode: "C0001".into(),
                    library_id: "county".into(),
                    library_name: text("县图书馆", "County Library"),
                    call_number: "I247.57/Y85".into(),
                    shelf_location: text("二楼 文学区 I247", "2F Literature"),
                    status: ItemStatus::OnLoan,
                    due_date: Some("2025-03-01".into()),
                },
                Holding {
                    barcode: "C0002".into(),
                    library_id: "br-xinqiao".into(),
                    library_name: text("新桥分馆", ""),
                    call_number: String::new(),
                    shelf_location: text("", ""),
                    status: ItemStatus::OnHoldShelf,
                    due_date: None,
                },
            ],
        }
    }

    fn problem() -> Problem {
        Problem {
            type_uri: "https://yuelan.example/problems/validation".into(),
            title: "Validation failed".into(),
            status: 422,
            detail: Some(NASTY.into()),
            instance: Some("/api/search?q=%3Cscript%3E".into()),
            code: ErrorCode::ValidationFailed,
            errors: vec![
                FieldError {
                    field: "page_size".into(),
                    code: "out_of_range".into(),
                    message: "page_size must be at most 50".into(),
                },
                FieldError {
                    field: "q".into(),
                    code: "too_long".into(),
                    message: NASTY.into(),
                },
            ],
        }
    }

    #[test]
    fn library_list_round_trips() {
        round_trip(&libraries());
        round_trip(&LibraryList { libraries: vec![] });
    }

    #[test]
    fn search_response_round_trips() {
        round_trip(&search());
        round_trip(&SearchResponse {
            query: String::new(),
            total: 0,
            page: 1,
            page_size: crate::DEFAULT_PAGE_SIZE,
            hits: vec![],
            facets: vec![],
            suggestions: vec![],
        });
    }

    #[test]
    fn record_detail_round_trips() {
        round_trip(&record());
        let mut bare = record();
        bare.authors.clear();
        bare.publisher = None;
        bare.publication_place = None;
        bare.year = None;
        bare.isbn = None;
        bare.subjects.clear();
        bare.extent = None;
        bare.summary = None;
        bare.classification = None;
        bare.holdings.clear();
        bare.cover_url = Some("https://img.example/7.jpg".into());
        bare.series = Some("当代文学".into());
        round_trip(&bare);
    }

    #[test]
    fn problem_round_trips() {
        round_trip(&problem());
        // Skipped `None` and empty fields decode back to the same value.
        round_trip(&Problem {
            type_uri: "about:blank".into(),
            title: "Not Found".into(),
            status: 404,
            detail: None,
            instance: None,
            code: ErrorCode::NotFound,
            errors: vec![],
        });
        round_trip(&Health {
            status: "ok".into(),
            records: 123_456,
        });
    }

    #[test]
    fn every_enum_variant_round_trips() {
        for kind in [
            LibraryKind::County,
            LibraryKind::Branch,
            LibraryKind::Village,
            LibraryKind::Unknown,
        ] {
            round_trip_enum(kind);
        }
        for format in Format::ALL.into_iter().chain([Format::Unknown]) {
            round_trip_enum(format);
        }
        for status in [
            ItemStatus::OnShelf,
            ItemStatus::OnLoan,
            ItemStatus::InTransit,
            ItemStatus::OnHoldShelf,
            ItemStatus::Unknown,
        ] {
            round_trip_enum(status);
        }
        for order in SortOrder::ALL {
            round_trip_enum(order);
        }
        for field in FacetField::ALL.into_iter().chain([FacetField::Unknown]) {
            round_trip_enum(field);
        }
        for code in [
            ErrorCode::BadRequest,
            ErrorCode::ValidationFailed,
            ErrorCode::NotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::Conflict,
            ErrorCode::RateLimited,
            ErrorCode::Internal,
            ErrorCode::Unavailable,
            ErrorCode::Unknown,
        ] {
            round_trip_enum(code);
        }
    }

    fn round_trip_enum<T>(value: T)
    where
        T: FromJson + Serialize + DeserializeOwned + PartialEq + Debug,
    {
        let name = serde_json::to_string(&value).unwrap();
        assert_eq!(decode::<T>(&name).unwrap(), value, "{name}");
        // serde_json also takes a unit variant as `{"name": null}`.
        assert_eq!(accepts::<T>(&format!("{{{name}:null}}")), value);
        rejects::<T>(&format!("{{{name}:1}}"));
        rejects::<T>(&format!("{{{name}:null,\"x\":null}}"));
        rejects::<T>(&format!("[{name}]"));
    }

    #[test]
    fn unknown_enum_values() {
        assert_eq!(accepts::<Format>(r#""vinyl""#), Format::Unknown);
        assert_eq!(accepts::<Format>(r#""Book""#), Format::Unknown);
        assert_eq!(accepts::<Format>(r#""bo\u006fk""#), Format::Book);
        assert_eq!(accepts::<Format>(r#"{"vinyl":null}"#), Format::Unknown);
        assert_eq!(accepts::<ItemStatus>(r#""lost""#), ItemStatus::Unknown);
        assert_eq!(accepts::<ItemStatus>(r#""OnLoan""#), ItemStatus::Unknown);
        assert_eq!(accepts::<LibraryKind>(r#""museum""#), LibraryKind::Unknown);
        assert_eq!(accepts::<FacetField>(r#""colour""#), FacetField::Unknown);
        assert_eq!(accepts::<ErrorCode>(r#""teapot""#), ErrorCode::Unknown);
        assert_eq!(accepts::<ErrorCode>(r#""""#), ErrorCode::Unknown);
        // `SortOrder` has no catch-all variant.
        assert_eq!(
            rejects::<SortOrder>(r#""random""#).kind,
            DecodeErrorKind::UnknownVariant
        );
        rejects::<SortOrder>(r#""unknown""#);
        rejects::<SortOrder>(r#"{"random":null}"#);
        assert_eq!(
            accepts::<SortOrder>(r#"{"newest":null}"#),
            SortOrder::Newest
        );
        for bad in ["1", "null", "true", "[]", "{}", r#"["book"]"#] {
            rejects::<Format>(bad);
            rejects::<ErrorCode>(bad);
            rejects::<SortOrder>(bad);
        }

        let hit = accepts::<SearchHit>(
            r#"{"id":1,"title":"t","format":"vinyl","language":"zh","extra":true}"#,
        );
        assert_eq!(hit.format, Format::Unknown);
        let holding = accepts::<Holding>(
            r#"{"barcode":"b","library_id":"l","library_name":{"zh":"馆"},"call_number":"c","shelf_location":{"zh":"架"},"status":"withdrawn"}"#,
        );
        assert_eq!(holding.status, ItemStatus::Unknown);
        let facet = accepts::<Facet>(r#"{"field":"colour","values":[]}"#);
        assert_eq!(facet.field, FacetField::Unknown);
        let problem = accepts::<Problem>(r#"{"title":"x","status":418,"code":"teapot"}"#);
        assert_eq!(problem.code, ErrorCode::Unknown);
        assert_eq!(problem.type_uri, "about:blank");
    }

    #[test]
    fn localized_text_defaults_and_requirements() {
        assert_eq!(accepts::<LocalizedText>(r#"{"zh":"县"}"#), text("县", ""));
        assert_eq!(
            accepts::<LocalizedText>(r#"{"en":"County","zh":"县","fr":"Comté"}"#),
            text("县", "County")
        );
        let e = rejects::<LocalizedText>(r#"{"en":"County"}"#);
        assert_eq!(e, DecodeError::new(DecodeErrorKind::MissingField, "zh"));
        rejects::<LocalizedText>(r#"{"zh":null}"#);
        rejects::<LocalizedText>(r#"{"zh":"a","en":null}"#);
        rejects::<LocalizedText>(r#"{"zh":1}"#);
        let e = rejects::<LocalizedText>(r#"{"zh":"a","zh":"b"}"#);
        assert_eq!(e, DecodeError::new(DecodeErrorKind::DuplicateField, "zh"));
        // Unknown keys may repeat and hold anything.
        accepts::<LocalizedText>(r#"{"x":1,"zh":"a","x":[{"y":null}],"ZH":"b"}"#);
        rejects::<LocalizedText>(r#"{"zh":"a","x":[1,]}"#);
        for bad in ["null", r#""县""#, "1", "true", "", "{", r#"{"zh":"a"} x"#] {
            rejects::<LocalizedText>(bad);
        }
        accepts::<LocalizedText>(" \n{\"zh\" : \"a\" }\t\r\n");
        // The array form that serde accepts for structs.
        assert_eq!(
            accepts::<LocalizedText>(r#"["县","County"]"#),
            text("县", "County")
        );
        assert_eq!(accepts::<LocalizedText>(r#"["县"]"#), text("县", ""));
        rejects::<LocalizedText>("[]");
        rejects::<LocalizedText>(r#"["县",null]"#);
        let e = rejects::<LocalizedText>(r#"["a","b","c"]"#);
        assert_eq!(e.kind, DecodeErrorKind::TooManyElements);
    }

    #[test]
    fn library_fields() {
        let base = r#""id":"county","name":{"zh":"县图书馆"},"kind":"county","address":{"zh":"路"},"latitude":30.25,"longitude":120"#;
        let lib = accepts::<Library>(&format!("{{{base}}}"));
        assert_eq!(lib.longitude, 120.0);
        assert_eq!(lib.parent_id, None);
        assert!(lib.hours.is_empty());
        accepts::<Library>(&format!(
            r#"{{{base},"parent_id":null,"phone":null,"hours":[]}}"#
        ));
        let lib = accepts::<Library>(&format!(
            r#"{{{base},"parent_id":"x","phone":"1","hours":[{{"weekday":7,"opens":"a","closes":"b"}}],"future":{{"a":[]}}}}"#
        ));
        assert_eq!(lib.hours.len(), 1);
        assert_eq!(
            rejects::<Library>(&format!(r#"{{{base},"hours":null}}"#)),
            DecodeError::new(DecodeErrorKind::WrongType, "hours")
        );
        rejects::<Library>(&format!(r#"{{{base},"phone":5}}"#));
        rejects::<Library>(&format!(r#"{{{base},"parent_id":["x"]}}"#));
        rejects::<Library>(&format!(r#"{{{base},"latitude":1}}"#));
        rejects::<Library>(
            r#"{"id":"c","name":{"zh":"n"},"kind":"county","address":{"zh":"a"},"latitude":"30","longitude":1}"#,
        );
        rejects::<Library>(
            r#"{"id":"c","name":{"zh":"n"},"kind":"county","address":{"zh":"a"},"latitude":null,"longitude":1}"#,
        );
        let e = rejects::<Library>(
            r#"{"id":"c","name":{"zh":"n"},"kind":"county","address":{"zh":"a"},"latitude":1}"#,
        );
        assert_eq!(
            e,
            DecodeError::new(DecodeErrorKind::MissingField, "longitude")
        );
        let e = rejects::<Library>(
            r#"{"id":"c","name":{"en":"n"},"kind":"county","address":{"zh":"a"},"latitude":1,"longitude":1}"#,
        );
        assert_eq!(e, DecodeError::new(DecodeErrorKind::MissingField, "zh"));
        let e = rejects::<Library>(
            r#"{"id":"c","name":"n","kind":"county","address":{"zh":"a"},"latitude":1,"longitude":1}"#,
        );
        assert_eq!(e, DecodeError::new(DecodeErrorKind::WrongType, "name"));
        let lib = accepts::<Library>(
            r#"{"id":"c","name":{"zh":"n"},"kind":{"branch":null},"address":{"zh":"a"},"latitude":1e1,"longitude":-1.5E-2}"#,
        );
        assert_eq!((lib.kind, lib.latitude), (LibraryKind::Branch, 10.0));
        rejects::<Library>(
            r#"{"id":"c","name":{"zh":"n"},"kind":{"branch":1},"address":{"zh":"a"},"latitude":1,"longitude":1}"#,
        );
        rejects::<Library>(
            r#"{"id":"c","name":{"zh":"n"},"kind":1,"address":{"zh":"a"},"latitude":1,"longitude":1}"#,
        );
        // Array form, with the defaulted fields at the end left out.
        let lib = accepts::<Library>(r#"["c",["n","N"],"village",null,["a"],null,1,2]"#);
        assert_eq!(lib.name, text("n", "N"));
        accepts::<LibraryList>(r#"[[["c",["n"],"branch","p",["a"],"1",1,2,[[1,"a","b"]]]]]"#);
        rejects::<Library>(r#"["c",["n"],"village",null,["a"],null,1]"#);
        rejects::<LibraryList>(r#"{"libraries":null}"#);
        rejects::<LibraryList>("{}");
        assert!(
            accepts::<LibraryList>(r#"{"libraries":[]}"#)
                .libraries
                .is_empty()
        );
    }

    #[test]
    fn integer_fields_follow_serde_json() {
        let hours = |weekday: &str| format!(r#"{{"weekday":{weekday},"opens":"a","closes":"b"}}"#);
        assert_eq!(accepts::<OpeningHours>(&hours("7")).weekday, 7);
        assert_eq!(accepts::<OpeningHours>(&hours("255")).weekday, 255);
        assert_eq!(accepts::<OpeningHours>(&hours("0")).weekday, 0);
        for bad in [
            "256",
            "-1",
            "1.0",
            "1e0",
            "-0",
            "1.5",
            "\"1\"",
            "null",
            "true",
            "99999999999999999999",
        ] {
            let e = rejects::<OpeningHours>(&hours(bad));
            assert_eq!(e.field, "weekday", "{bad}");
        }
        assert_eq!(
            rejects::<OpeningHours>(&hours("256")).kind,
            DecodeErrorKind::OutOfRange
        );
        assert_eq!(
            rejects::<OpeningHours>(&hours("1.0")).kind,
            DecodeErrorKind::WrongType
        );

        let avail = |n: &str| format!(r#"{{"library_id":"c","available":{n},"total":1}}"#);
        accepts::<BranchAvailability>(&avail("4294967295"));
        rejects::<BranchAvailability>(&avail("4294967296"));
        rejects::<BranchAvailability>(&avail("-1"));

        let search = |total: &str, page: &str| {
            format!(r#"{{"query":"","total":{total},"page":{page},"page_size":20,"hits":[]}}"#)
        };
        assert_eq!(
            accepts::<SearchResponse>(&search("18446744073709551615", "1")).total,
            u64::MAX
        );
        rejects::<SearchResponse>(&search("18446744073709551616", "1"));
        rejects::<SearchResponse>(&search("-1", "1"));
        rejects::<SearchResponse>(&search("1", "4294967296"));
        rejects::<SearchResponse>(&search("1", "-0"));
        rejects::<SearchResponse>(&search("1", "0.5"));

        let hit = |id: &str, year: &str| {
            format!(r#"{{"id":{id},"title":"t","format":"book","language":"zh","year":{year}}}"#)
        };
        assert_eq!(
            accepts::<SearchHit>(&hit("-9223372036854775808", "null")).id,
            i64::MIN
        );
        assert_eq!(
            accepts::<SearchHit>(&hit("9223372036854775807", "-2147483648")).year,
            Some(i32::MIN)
        );
        rejects::<SearchHit>(&hit("9223372036854775808", "1"));
        rejects::<SearchHit>(&hit("-9223372036854775809", "1"));
        rejects::<SearchHit>(&hit("1", "2147483648"));
        rejects::<SearchHit>(&hit("1", "1982.0"));
        rejects::<SearchHit>(&hit("1", "\"1982\""));
        rejects::<SearchHit>(&hit("1e2", "1"));

        let problem =
            |status: &str| format!(r#"{{"title":"t","status":{status},"code":"internal"}}"#);
        assert_eq!(accepts::<Problem>(&problem("65535")).status, u16::MAX);
        rejects::<Problem>(&problem("65536"));
        rejects::<Problem>(&problem("500.0"));
    }

    #[test]
    fn search_hit_and_facet_fields() {
        let hit = accepts::<SearchHit>(r#"{"id":1,"title":"t","format":"dvd","language":"zh"}"#);
        assert_eq!(hit.subtitle, None);
        assert!(hit.authors.is_empty() && hit.availability.is_empty());
        accepts::<SearchHit>(
            r#"{"id":1,"title":"t","format":"dvd","language":"zh","subtitle":null,"cover_url":null,"year":null,"authors":[],"availability":[]}"#,
        );
        rejects::<SearchHit>(
            r#"{"id":1,"title":"t","format":"dvd","language":"zh","authors":null}"#,
        );
        rejects::<SearchHit>(
            r#"{"id":1,"title":"t","format":"dvd","language":"zh","authors":"余华"}"#,
        );
        rejects::<SearchHit>(
            r#"{"id":1,"title":"t","format":"dvd","language":"zh","authors":["a",1]}"#,
        );
        rejects::<SearchHit>(
            r#"{"id":1,"title":"t","format":"dvd","language":"zh","availability":null}"#,
        );
        rejects::<SearchHit>(r#"{"id":1,"title":"t","language":"zh"}"#);
        rejects::<SearchHit>(r#"{"id":1,"title":"t","format":null,"language":"zh"}"#);
        rejects::<SearchHit>(r#"{"id":1,"format":"dvd","language":"zh"}"#);
        rejects::<SearchHit>(r#"{"id":1,"title":"t","format":"dvd","language":"zh","id":2}"#);

        let fv = accepts::<FacetValue>(r#"{"value":"book","count":3}"#);
        assert_eq!((fv.selected, fv.label), (false, None));
        assert_eq!(
            accepts::<FacetValue>(
                r#"{"value":"c","count":3,"label":{"zh":"县","en":"C"},"selected":true}"#
            )
            .label,
            Some(text("县", "C"))
        );
        assert_eq!(
            accepts::<FacetValue>(r#"{"value":"c","count":3,"label":null}"#).label,
            None
        );
        rejects::<FacetValue>(r#"{"value":"c","count":3,"selected":null}"#);
        rejects::<FacetValue>(r#"{"value":"c","count":3,"selected":1}"#);
        rejects::<FacetValue>(r#"{"value":"c","count":3,"label":"县"}"#);
        let e = rejects::<FacetValue>(r#"{"value":"c","count":3,"label":{}}"#);
        assert_eq!(e, DecodeError::new(DecodeErrorKind::MissingField, "zh"));
        rejects::<FacetValue>(r#"{"value":"c"}"#);
        rejects::<FacetValue>(r#"{"value":3,"count":3}"#);

        rejects::<Facet>(r#"{"field":"format"}"#);
        rejects::<Facet>(r#"{"values":[]}"#);
        rejects::<Facet>(r#"{"field":"format","values":null}"#);
        let e = rejects::<Facet>(r#"{"field":"format","values":[{"value":"a","count":-1}]}"#);
        assert_eq!(e, DecodeError::new(DecodeErrorKind::OutOfRange, "count"));

        let resp = accepts::<SearchResponse>(
            r#"{"query":"q","total":0,"page":1,"page_size":20,"hits":[],"unknown":{"deep":[[[]]]}}"#,
        );
        assert!(resp.facets.is_empty() && resp.suggestions.is_empty());
        rejects::<SearchResponse>(r#"{"query":"q","total":0,"page":1,"page_size":20}"#);
        rejects::<SearchResponse>(
            r#"{"query":"q","total":0,"page":1,"page_size":20,"hits":[],"facets":null}"#,
        );
        rejects::<SearchResponse>(
            r#"{"query":"q","total":0,"page":1,"page_size":20,"hits":[],"suggestions":[null]}"#,
        );
        rejects::<SearchResponse>(r#"{"query":null,"total":0,"page":1,"page_size":20,"hits":[]}"#);
    }

    #[test]
    fn record_and_holding_fields() {
        let r =
            accepts::<RecordDetail>(r#"{"id":7,"title":"活着","format":"book","language":"zh"}"#);
        assert!(r.holdings.is_empty() && r.subjects.is_empty() && r.isbn.is_none());
        accepts::<RecordDetail>(
            r#"{"id":7,"title":"t","format":"magazine","language":"zh","isbn":null,"series":null,"extent":null,"summary":null,"classification":null,"publisher":null,"publication_place":null}"#,
        );
        rejects::<RecordDetail>(r#"{"id":7,"title":"t","format":"book"}"#);
        rejects::<RecordDetail>(
            r#"{"id":7,"title":"t","format":"book","language":"zh","subjects":{}}"#,
        );
        rejects::<RecordDetail>(
            r#"{"id":7,"title":"t","format":"book","language":"zh","holdings":[{}]}"#,
        );
        rejects::<RecordDetail>(
            r#"{"id":7,"title":"t","format":"book","language":"zh","isbn":9787506365437}"#,
        );

        let holding = |extra: &str| {
            format!(
                r#"{{"barcode":"b","library_id":"l","library_name":{{"zh":"馆"}},"call_number":"c","shelf_location":{{"zh":"架","en":"Shelf"}},"status":"in_transit"{extra}}}"#
            )
        };
        assert_eq!(accepts::<Holding>(&holding("")).due_date, None);
        assert_eq!(
            accepts::<Holding>(&holding(r#","due_date":"2025-01-01""#))
                .due_date
                .as_deref(),
            Some("2025-01-01")
        );
        accepts::<Holding>(&holding(r#","due_date":null"#));
        rejects::<Holding>(&holding(r#","due_date":20250101"#));
        rejects::<Holding>(&holding(r#","status":"on_loan""#));
        rejects::<Holding>(
            r#"{"barcode":"b","library_id":"l","library_name":{"zh":"馆"},"call_number":"c","shelf_location":{"zh":"架"}}"#,
        );
    }

    #[test]
    fn problem_fields() {
        let p = accepts::<Problem>(r#"{"title":"Not Found","status":404,"code":"not_found"}"#);
        assert_eq!(p.type_uri, "about:blank");
        assert!(p.errors.is_empty() && p.detail.is_none() && p.instance.is_none());
        let p = accepts::<Problem>(
            r#"{"type":"https://e.example/p","title":"t","status":400,"code":"bad_request","detail":"d","instance":null}"#,
        );
        assert_eq!(p.type_uri, "https://e.example/p");
        // Only the renamed key counts; the Rust field name is an unknown key.
        assert_eq!(
            accepts::<Problem>(r#"{"type_uri":"x","title":"t","status":400,"code":"bad_request"}"#)
                .type_uri,
            "about:blank"
        );
        rejects::<Problem>(r#"{"type":null,"title":"t","status":400,"code":"bad_request"}"#);
        rejects::<Problem>(
            r#"{"type":"a","type":"b","title":"t","status":400,"code":"bad_request"}"#,
        );
        rejects::<Problem>(r#"{"title":"t","status":400}"#);
        rejects::<Problem>(r#"{"status":400,"code":"internal"}"#);
        rejects::<Problem>(r#"{"title":"t","status":400,"code":"internal","errors":null}"#);
        rejects::<Problem>(
            r#"{"title":"t","status":400,"code":"internal","errors":[{"field":"q","code":"c"}]}"#,
        );
        let p = accepts::<Problem>(
            r#"{"title":"t","status":422,"code":"validation_failed","errors":[{"field":"q","code":"too_long","message":"m","hint":1}]}"#,
        );
        assert_eq!(p.errors.len(), 1);
        // The array form starts with the renamed `type` field.
        assert_eq!(
            accepts::<Problem>(r#"["about:blank","t",500,null,null,"internal"]"#).code,
            ErrorCode::Internal
        );
        rejects::<Problem>(r#"["t",500,"internal"]"#);

        accepts::<Health>(r#"{"status":"ok","records":0}"#);
        rejects::<Health>(r#"{"status":"ok"}"#);
        rejects::<Health>(r#"{"status":"ok","records":-1}"#);
    }

    #[test]
    fn errors_are_small_and_readable() {
        assert!(std::mem::size_of::<DecodeError>() <= 48);
        let e = decode::<LocalizedText>(r#"{"en":"x"}"#).unwrap_err();
        assert_eq!(e.to_string(), "missing field at `zh`");
        let e = decode::<LocalizedText>("[1,]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid JSON at byte 3: unexpected character"
        );
        assert_eq!(e.field, "");
    }

    /// A deterministic xorshift generator, so that failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const PIECES: [&str; 24] = [
        "null",
        "1",
        "-1",
        "1.0",
        "\"x\"",
        "[]",
        "{}",
        "true",
        "\"unknown\"",
        ",",
        "]",
        "}",
        "\"",
        ":",
        " ",
        "0",
        "4294967296",
        "\"zh\":",
        "\"type\":",
        "\"hits\":",
        "\"label\":",
        "{\"a\":null}",
        "\"book\"",
        "\"selected\":",
    ];

    /// Mutates real documents and checks that both decoders agree on every one.
    #[test]
    fn garbled_documents_decode_like_serde() {
        let docs = [
            serde_json::to_string(&search()).unwrap(),
            serde_json::to_string(&record()).unwrap(),
            serde_json::to_string(&libraries()).unwrap(),
            serde_json::to_string(&problem()).unwrap(),
        ];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut accepted = 0;
        for round in 0..4000 {
            let mut chars: Vec<char> = docs[round % docs.len()].chars().collect();
            for _ in 0..=rng.below(2) {
                let at = rng.below(chars.len());
                match rng.below(3) {
                    0 => {
                        // Remove a short run, often a whole token.
                        let end = (at + rng.below(12)).min(chars.len());
                        chars.drain(at..end);
                    }
                    1 => chars[at] = char::from(b' ' + rng.below(95) as u8),
                    _ => {
                        let piece = PIECES[rng.below(PIECES.len())];
                        for (i, c) in piece.chars().enumerate() {
                            chars.insert(at + i, c);
                        }
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            let ok = match round % 4 {
                0 => agree::<SearchResponse>(&text).is_some(),
                1 => agree::<RecordDetail>(&text).is_some(),
                2 => agree::<LibraryList>(&text).is_some(),
                _ => agree::<Problem>(&text).is_some(),
            };
            accepted += usize::from(ok);
        }
        // The mutations must exercise both outcomes.
        assert!(accepted > 100, "{accepted}");
    }
}
