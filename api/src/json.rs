//! A small, strict JSON parser (RFC 8259) that builds a [`Json`] tree.
//!
//! It exists so that the WASM app can decode the wire types without
//! serde_json; see [`crate::decode`]. It is deliberately plain: no generics,
//! no formatting machinery in the parser, and errors are a `Copy` value with
//! a byte offset.
//!
//! Its number model follows serde_json's, because the decoder must accept
//! and reject exactly what serde_json does: a number written as an integer
//! (no fraction, no exponent) that fits `u64` or `i64` is kept exact as
//! [`Json::Integer`]; every other number, including `-0`, is a
//! [`Json::Number`]. The `f64` is computed with serde_json's own (default,
//! non-`float_roundtrip`) algorithm, so it is bit for bit what serde_json
//! yields, including its rare last-bit rounding differences from
//! `str::parse`; this also keeps core's large float-parsing tables out of
//! the WASM. Numbers too large for `f64` are an error, as in serde_json.
//!
//! A `\u` escape of a lone UTF-16 surrogate is an error (again as in
//! serde_json), never a replacement character. Arrays and objects nested
//! [`MAX_DEPTH`] (128) deep are an error, as in serde_json, so hostile input
//! cannot overflow the stack. The parser never panics.
//!
//! [`Json`]: crate::json::Json
//! [`Json::Integer`]: crate::json::Json::Integer
//! [`Json::Number`]: crate::json::Json::Number
//! [`MAX_DEPTH`]: crate::json::MAX_DEPTH

use std::fmt;

/// The nesting of arrays and objects at which [`parse`] gives up: like
/// serde_json, it accepts at most `MAX_DEPTH - 1` (127) containers inside
/// one another.
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number written as an integer that fits `u64` or `i64`, kept exact.
    Integer(i128),
    /// Any other number: one with a fraction or an exponent, `-0`, or an
    /// integer too large for 64 bits.
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// The members in document order; duplicate keys are all kept.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The value of the first member named `key`, if this is an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as `f64`, if this is a number (integers are converted,
    /// rounding to the nearest `f64` like serde_json does).
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            // Converting through the 64-bit type rounds like serde_json
            // and needs no 128-bit arithmetic.
            Json::Integer(n) if n >= 0 => Some(n as u64 as f64),
            Json::Integer(n) => Some(n as i64 as f64),
            Json::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The value, if this is `true` or `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Json::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The exact integer, if this number was written as an integer in the
    /// range of `i64`. Like serde_json, `1.0`, `1e3` and `-0` are not
    /// integers.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Json::Integer(n) => i64::try_from(n).ok(),
            _ => None,
        }
    }

    /// The exact integer, if this number was written as an integer in the
    /// range of `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Json::Integer(n) => u64::try_from(n).ok(),
            _ => None,
        }
    }
}

/// What is wrong with a JSON text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// The text ends inside a value, or holds no value at all.
    UnexpectedEnd,
    /// A byte that cannot start or continue a value here.
    UnexpectedByte,
    /// A malformed number.
    InvalidNumber,
    /// A number whose magnitude is too large for `f64`.
    NumberOutOfRange,
    /// An unknown escape, or a `\u` escape without four hex digits.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate without its partner.
    LoneSurrogate,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacter,
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Something other than whitespace after the value.
    TrailingCharacters,
}

/// A JSON syntax error and the byte offset in the text where it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub kind: JsonErrorKind,
    pub offset: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            JsonErrorKind::UnexpectedEnd => "unexpected end of text",
            JsonErrorKind::UnexpectedByte => "unexpected character",
            JsonErrorKind::InvalidNumber => "invalid number",
            JsonErrorKind::NumberOutOfRange => "number out of range",
            JsonErrorKind::InvalidEscape => "invalid escape",
            JsonErrorKind::LoneSurrogate => "lone surrogate in \\u escape",
            JsonErrorKind::ControlCharacter => "control character in string",
            JsonErrorKind::TooDeep => "nesting too deep",
            JsonErrorKind::TrailingCharacters => "trailing characters",
        };
        write!(f, "invalid JSON at byte {}: {what}", self.offset)
    }
}

impl std::error::Error for JsonError {}

/// Parses one JSON value that fills `text`, surrounded by optional whitespace.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error(JsonErrorKind::TrailingCharacters));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            kind,
            offset: self.pos,
        }
    }

    /// The error for a byte that does not fit here, or for the end of the text.
    fn unexpected(&self) -> JsonError {
        self.error(if self.pos < self.bytes.len() {
            JsonErrorKind::UnexpectedByte
        } else {
            JsonErrorKind::UnexpectedEnd
        })
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Parses the value at the cursor; `depth` counts the containers around it.
    /// Recursion is bounded by [`MAX_DEPTH`].
    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'n') => self.literal(b"null", Json::Null),
            Some(b't') => self.literal(b"true", Json::Bool(true)),
            Some(b'f') => self.literal(b"false", Json::Bool(false)),
            Some(b'"') => {
                self.pos += 1;
                self.string().map(Json::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[' | b'{') if depth + 1 >= MAX_DEPTH => Err(self.error(JsonErrorKind::TooDeep)),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            _ => Err(self.unexpected()),
        }
    }

    fn literal(&mut self, word: &[u8], value: Json) -> Result<Json, JsonError> {
        for &expected in word {
            if !self.eat(expected) {
                return Err(self.unexpected());
            }
        }
        Ok(value)
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.unexpected());
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if !self.eat(b'"') {
                return Err(self.unexpected());
            }
            let key = self.string()?;
            self.skip_whitespace();
            if !self.eat(b':') {
                return Err(self.unexpected());
            }
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_whitespace();
            if self.eat(b'}') {
                return Ok(Json::Object(members));
            }
            if !self.eat(b',') {
                return Err(self.unexpected());
            }
        }
    }

    /// Parses the rest of a string whose opening quote is consumed.
    fn string(&mut self) -> Result<String, JsonError> {
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Both ends sit next to ASCII bytes or at the end of the text, so
            // they are character boundaries and `get` always succeeds.
            match self.text.get(start..self.pos) {
                Some(run) => out.push_str(run),
                None => return Err(self.unexpected()),
            }
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error(JsonErrorKind::ControlCharacter)),
                None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
            }
        }
    }

    /// Parses an escape whose backslash is consumed and appends its character.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape(out);
            }
            Some(_) => return Err(self.error(JsonErrorKind::InvalidEscape)),
            None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    /// Parses the hex digits of a `\u` escape (and of the low surrogate that
    /// must follow a high one) and appends the character.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let lone = JsonError {
            kind: JsonErrorKind::LoneSurrogate,
            offset: self.pos.saturating_sub(2),
        };
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !(self.eat(b'\\') && self.eat(b'u')) {
                    return Err(lone);
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(lone);
                }
                0x1_0000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(lone),
            _ => first,
        };
        match char::from_u32(code) {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None => Err(lone),
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                Some(_) => return Err(self.error(JsonErrorKind::InvalidEscape)),
                None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
            };
            code = code * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(code)
    }

    /// The next byte if it is a digit, consumed.
    fn digit(&mut self) -> Option<u8> {
        match self.peek() {
            Some(b @ b'0'..=b'9') => {
                self.pos += 1;
                Some(b - b'0')
            }
            _ => None,
        }
    }

    /// Parses a number exactly as serde_json (without its `float_roundtrip`
    /// feature) does, so that both yield the same integers, the same `f64`
    /// bits and the same range errors. Digits that do not fit a `u64`
    /// significand are dropped (integer digits still scale the value); the
    /// `f64` is the significand times or divided by a power of ten.
    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        let negative = self.eat(b'-');
        let mut significand: u64 = 0;
        let mut exponent: i32 = 0;
        let mut integral = true;
        // The integer part is `0` or a digit run not starting with `0`; a
        // digit after a leading `0` is left for the caller to reject.
        if !self.eat(b'0') {
            if !matches!(self.peek(), Some(b'1'..=b'9')) {
                return Err(self.number_error());
            }
            while let Some(d) = self.digit() {
                if !integral {
                    exponent = exponent.saturating_add(1);
                } else if let Some(next) = push_digit(significand, d) {
                    significand = next;
                } else {
                    // Too long for a `u64`: an `f64`, which the remaining
                    // integer digits only scale.
                    integral = false;
                    exponent = 1;
                }
            }
        }
        if self.eat(b'.') {
            integral = false;
            let mut full = false;
            let mut any = false;
            while let Some(d) = self.digit() {
                any = true;
                match push_digit(significand, d) {
                    Some(next) if !full => {
                        significand = next;
                        exponent -= 1;
                    }
                    _ => full = true,
                }
            }
            if !any {
                return Err(self.number_error());
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            integral = false;
            let negative_exponent = self.eat(b'-');
            if !negative_exponent {
                self.eat(b'+');
            }
            let Some(first) = self.digit() else {
                return Err(self.number_error());
            };
            let mut exp = Some(i32::from(first));
            while let Some(d) = self.digit() {
                exp = exp
                    .and_then(|e| e.checked_mul(10))
                    .and_then(|e| e.checked_add(i32::from(d)));
            }
            exponent = match exp {
                Some(e) if negative_exponent => exponent.saturating_sub(e),
                Some(e) => exponent.saturating_add(e),
                // An exponent beyond `i32` makes zero, or is out of range.
                None if negative_exponent || significand == 0 => {
                    return Ok(Json::Number(if negative { -0.0 } else { 0.0 }));
                }
                None => return Err(out_of_range(start)),
            };
        }
        if integral {
            let magnitude = i128::from(significand);
            return Ok(if !negative {
                Json::Integer(magnitude)
            } else if significand != 0 && magnitude <= 1 << 63 {
                Json::Integer(-magnitude)
            } else {
                // `-0` and integers below `i64::MIN` are floats in serde_json.
                Json::Number(-(significand as f64))
            });
        }
        let mut f = significand as f64;
        loop {
            match POW10.get(exponent.unsigned_abs() as usize) {
                Some(&pow) if exponent >= 0 => {
                    f *= pow;
                    if f.is_infinite() {
                        return Err(out_of_range(start));
                    }
                    break;
                }
                Some(&pow) => {
                    f /= pow;
                    break;
                }
                None if f == 0.0 => break,
                None if exponent >= 0 => return Err(out_of_range(start)),
                None => {
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(Json::Number(if negative { -f } else { f }))
    }

    fn number_error(&self) -> JsonError {
        self.error(if self.pos < self.bytes.len() {
            JsonErrorKind::InvalidNumber
        } else {
            JsonErrorKind::UnexpectedEnd
        })
    }
}

/// `significand * 10 + digit`, unless that overflows a `u64`. (Comparing
/// first avoids the 128-bit multiply that `checked_mul` costs on WASM.)
fn push_digit(significand: u64, digit: u8) -> Option<u64> {
    let digit = u64::from(digit);
    (significand <= (u64::MAX - digit) / 10).then(|| significand * 10 + digit)
}

fn out_of_range(offset: usize) -> JsonError {
    JsonError {
        kind: JsonErrorKind::NumberOutOfRange,
        offset,
    }
}

/// The powers of ten that serde_json scales significands by, each the
/// nearest `f64`.
static POW10: [f64; 309] = [
    1e000, 1e001, 1e002, 1e003, 1e004, 1e005, 1e006, 1e007, 1e008, 1e009, 1e010, 1e011, 1e012,
    1e013, 1e014, 1e015, 1e016, 1e017, 1e018, 1e019, 1e020, 1e021, 1e022, 1e023, 1e024, 1e025,
    1e026, 1e027, 1e028, 1e029, 1e030, 1e031, 1e032, 1e033, 1e034, 1e035, 1e036, 1e037, 1e038,
    1e039, 1e040, 1e041, 1e042, 1e043, 1e044, 1e045, 1e046, 1e047, 1e048, 1e049, 1e050, 1e051,
    1e052, 1e053, 1e054, 1e055, 1e056, 1e057, 1e058, 1e059, 1e060, 1e061, 1e062, 1e063, 1e064,
    1e065, 1e066, 1e067, 1e068, 1e069, 1e070, 1e071, 1e072, 1e073, 1e074, 1e075, 1e076, 1e077,
    1e078, 1e079, 1e080, 1e081, 1e082, 1e083, 1e084, 1e085, 1e086, 1e087, 1e088, 1e089, 1e090,
    1e091, 1e092, 1e093, 1e094, 1e095, 1e096, 1e097, 1e098, 1e099, 1e100, 1e101, 1e102, 1e103,
    1e104, 1e105, 1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116,
    1e117, 1e118, 1e119, 1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129,
    1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142,
    1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155,
    1e156, 1e157, 1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168,
    1e169, 1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179, 1e180, 1e181,
    1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193, 1e194,
    1e195, 1e196, 1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207,
    1e208, 1e209, 1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220,
    1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233,
    1e234, 1e235, 1e236, 1e237, 1e238, 1e239, 1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246,
    1e247, 1e248, 1e249, 1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259,
    1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272,
    1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285,
    1e286, 1e287, 1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298,
    1e299, 1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> JsonErrorKind {
        match parse(text) {
            Ok(v) => panic!("{text:?} parsed as {v:?}"),
            Err(e) => e.kind,
        }
    }

    fn string(text: &str) -> String {
        match parse(text) {
            Ok(Json::String(s)) => s,
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    #[test]
    fn literals_and_containers() {
        assert_eq!(parse("null"), Ok(Json::Null));
        assert_eq!(parse("true"), Ok(Json::Bool(true)));
        assert_eq!(parse("false"), Ok(Json::Bool(false)));
        assert_eq!(parse("[]"), Ok(Json::Array(vec![])));
        assert_eq!(parse("{}"), Ok(Json::Object(vec![])));
        assert_eq!(
            parse(r#"[1,"a",[null],{"k":false}]"#),
            Ok(Json::Array(vec![
                Json::Integer(1),
                Json::String("a".into()),
                Json::Array(vec![Json::Null]),
                Json::Object(vec![("k".into(), Json::Bool(false))]),
            ]))
        );
    }

    #[test]
    fn whitespace_is_the_four_json_characters_only() {
        let v = parse(" \t\n\r[ 1 ,\n{ \"a\" :\ttrue } ]\r\n ").unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2);
        assert_eq!(v.as_array().unwrap()[1].get("a"), Some(&Json::Bool(true)));
        assert_eq!(err("\u{c}1"), JsonErrorKind::UnexpectedByte);
        assert_eq!(err("\u{a0}1"), JsonErrorKind::UnexpectedByte);
        assert_eq!(err("[1,\u{3000}2]"), JsonErrorKind::UnexpectedByte);
        assert_eq!(err(""), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err(" \n "), JsonErrorKind::UnexpectedEnd);
    }

    #[test]
    fn every_escape() {
        assert_eq!(string(r#""\"\\\/\b\f\n\r\t""#), "\"\\/\u{8}\u{c}\n\r\t");
        assert_eq!(string(r#""\u0041\u00e9\u00E9\u4e2d\u0000""#), "Aéé中\0");
        assert_eq!(string(r#""a\u000ab""#), "a\nb");
        assert_eq!(string("\"县图书馆 <script>\""), "县图书馆 <script>");
        assert_eq!(string(r#""""#), "");
    }

    #[test]
    fn surrogate_pairs_and_lone_surrogates() {
        assert_eq!(string(r#""\ud83d\ude00""#), "😀");
        assert_eq!(string(r#""\uD83D\uDE00x""#), "😀x");
        assert_eq!(string(r#""\udbff\udfff""#), "\u{10ffff}");
        assert_eq!(string(r#""\ud800\udc00""#), "\u{10000}");
        assert_eq!(err(r#""\ud83d""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(err(r#""\ude00""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(err(r#""\ud83d\u0041""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(err(r#""\ud83d\ud83d\ude00""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(err(r#""\ud83d\n""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(err(r#""\ud83dx""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(err(r#""\ud83d\ude0""#), JsonErrorKind::InvalidEscape);
        assert_eq!(err(r#""\ud83d\u"#), JsonErrorKind::UnexpectedEnd);
    }

    #[test]
    fn bad_strings() {
        assert_eq!(err(r#""\x""#), JsonErrorKind::InvalidEscape);
        assert_eq!(err(r#""\U0041""#), JsonErrorKind::InvalidEscape);
        assert_eq!(err(r#""\u00g1""#), JsonErrorKind::InvalidEscape);
        assert_eq!(err(r#""\u00""#), JsonErrorKind::InvalidEscape);
        assert_eq!(err(r#""abc"#), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err(r#""abc\"#), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err(r#""abc\""#), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err("\"a\nb\""), JsonErrorKind::ControlCharacter);
        assert_eq!(err("\"a\tb\""), JsonErrorKind::ControlCharacter);
        assert_eq!(err("\"\u{1f}\""), JsonErrorKind::ControlCharacter);
        assert_eq!(string("\"\u{7f}\""), "\u{7f}");
        assert_eq!(err("'a'"), JsonErrorKind::UnexpectedByte);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse("0"), Ok(Json::Integer(0)));
        assert_eq!(parse("-12"), Ok(Json::Integer(-12)));
        let minus_zero = parse("-0").unwrap().as_f64().unwrap();
        assert!(minus_zero == 0.0 && minus_zero.is_sign_negative());
        assert_eq!(parse("-0").unwrap().as_i64(), None);
        assert_eq!(parse("1e3"), Ok(Json::Number(1000.0)));
        assert_eq!(parse("1E+3"), Ok(Json::Number(1000.0)));
        assert_eq!(parse("1.5E-2"), Ok(Json::Number(0.015)));
        assert_eq!(parse("-2.5e-1"), Ok(Json::Number(-0.25)));
        assert_eq!(parse("0.1"), Ok(Json::Number(0.1)));
        assert_eq!(parse("1.0"), Ok(Json::Number(1.0)));
        assert_eq!(parse("1e-400"), Ok(Json::Number(0.0)));
        assert_eq!(parse("0e999999999999999999999"), Ok(Json::Number(0.0)));
        assert_eq!(parse("31.230416").unwrap().as_f64(), Some(31.230416));
        assert_eq!(
            parse("18446744073709551615").unwrap().as_u64(),
            Some(u64::MAX)
        );
        assert_eq!(
            parse("-9223372036854775808").unwrap().as_i64(),
            Some(i64::MIN)
        );
        assert_eq!(
            parse("9007199254740993").unwrap().as_i64(),
            Some(9_007_199_254_740_993)
        );
        // Integers too large for 64 bits are floats, as in serde_json.
        assert!(matches!(parse("18446744073709551616"), Ok(Json::Number(_))));
        assert!(matches!(parse("-9223372036854775809"), Ok(Json::Number(_))));
        assert_eq!(parse("1e-99999999999"), Ok(Json::Number(0.0)));
        assert_eq!(err("1e99999999999"), JsonErrorKind::NumberOutOfRange);
        assert_eq!(err("1e400"), JsonErrorKind::NumberOutOfRange);
        assert_eq!(err("-1e400"), JsonErrorKind::NumberOutOfRange);
        assert_eq!(err(&"9".repeat(400)), JsonErrorKind::NumberOutOfRange);
        for bad in ["01", "-01", "00", "1x", "0x10", "1.2.3", "--1", "1e5e5"] {
            let kind = err(bad);
            assert!(
                matches!(
                    kind,
                    JsonErrorKind::TrailingCharacters | JsonErrorKind::InvalidNumber
                ),
                "{bad}: {kind:?}"
            );
        }
        for bad in ["-", "1.", "1e", "1e+", "1.e5", "-a", "-.5"] {
            assert!(
                matches!(
                    err(bad),
                    JsonErrorKind::InvalidNumber | JsonErrorKind::UnexpectedEnd
                ),
                "{bad}"
            );
        }
        for bad in [".5", "+1", "Infinity", "NaN", "-Infinity"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    /// Numbers must come out bit for bit as serde_json makes them.
    #[test]
    fn numbers_match_serde_json_exactly() {
        let mut literals: Vec<String> = [
            "0",
            "-0",
            "-0.0",
            "0.0",
            "1",
            "-1",
            "0.1",
            "-0.1",
            "1e3",
            "1E+3",
            "1.5E-2",
            "2.5e-1",
            "31.230416",
            "121.473701",
            "30.27408412345679",
            "120.15507098765432",
            "-33.8688",
            "151.2093",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.8e308",
            "2.2250738585072014e-308",
            "5e-324",
            "4.9e-324",
            "2e-324",
            "1e-400",
            "1e-330",
            "1e22",
            "1e23",
            "9007199254740993",
            "9007199254740993.0",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "18446744073709551615",
            "18446744073709551616",
            "18446744073709551616.5",
            "18446744073709551615.5",
            "18446744073709551620e-1",
            "-9223372036854775808",
            "-9223372036854775809",
            "-18446744073709551615",
            "-18446744073709551616",
            "0.000000000000000000000000000001234567890123456789012",
            "1234567890.12345678901234567890e-5",
            "1e308",
            "10e307",
            "0.1e309",
            "1e309",
            "0e99999999999",
            "0.0e99999999999",
            "1e-99999999999",
            "1e99999999999",
            "-1e99999999999",
            "1e2147483647",
            "1e-2147483648",
            "1e-2147483647",
            "100000000000000000000000000000000000000000e-2147483647",
            "0.00000000000000000000000001e2147483647",
        ]
        .map(String::from)
        .to_vec();
        literals.push("9".repeat(400));
        literals.push(format!("0.{}1", "0".repeat(400)));
        literals.push(format!("1{}e-300", "0".repeat(300)));
        for lit in &literals {
            let ours = parse(lit);
            match serde_json::from_str::<serde_json::Value>(lit) {
                Ok(serde_json::Value::Number(n)) => {
                    let ours = ours.unwrap_or_else(|e| panic!("{lit}: {e}"));
                    if let Some(u) = n.as_u64() {
                        assert_eq!(ours, Json::Integer(i128::from(u)), "{lit}");
                    } else if let Some(i) = n.as_i64() {
                        assert_eq!(ours, Json::Integer(i128::from(i)), "{lit}");
                    } else {
                        let theirs = n.as_f64().unwrap();
                        match ours {
                            Json::Number(f) => assert_eq!(f.to_bits(), theirs.to_bits(), "{lit}"),
                            other => panic!("{lit}: {other:?}"),
                        }
                    }
                }
                Ok(other) => panic!("{lit}: {other:?}"),
                Err(_) => assert!(ours.is_err(), "{lit}: {ours:?}"),
            }
        }
    }

    #[test]
    fn structural_errors() {
        assert_eq!(err("[1,]"), JsonErrorKind::UnexpectedByte);
        assert_eq!(err(r#"{"a":1,}"#), JsonErrorKind::UnexpectedByte);
        assert_eq!(err("[1 2]"), JsonErrorKind::UnexpectedByte);
        assert_eq!(err("[,1]"), JsonErrorKind::UnexpectedByte);
        assert_eq!(err(r#"{"a" 1}"#), JsonErrorKind::UnexpectedByte);
        assert_eq!(err(r#"{"a":}"#), JsonErrorKind::UnexpectedByte);
        assert_eq!(err(r#"{a:1}"#), JsonErrorKind::UnexpectedByte);
        assert_eq!(err(r#"{1:1}"#), JsonErrorKind::UnexpectedByte);
        assert_eq!(err("[1"), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err(r#"{"a":1"#), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err("nul"), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err("nulL"), JsonErrorKind::UnexpectedByte);
        assert_eq!(err("truex"), JsonErrorKind::TrailingCharacters);
        assert_eq!(err("[1] x"), JsonErrorKind::TrailingCharacters);
        assert_eq!(err("{} {}"), JsonErrorKind::TrailingCharacters);
        assert_eq!(err("1 2"), JsonErrorKind::TrailingCharacters);
        assert_eq!(
            parse("[1] x").unwrap_err(),
            JsonError {
                kind: JsonErrorKind::TrailingCharacters,
                offset: 4
            }
        );
    }

    #[test]
    fn nesting_is_limited_without_overflowing_the_stack() {
        // The same limit as serde_json: 127 levels pass, 128 do not.
        for (levels, ok) in [(MAX_DEPTH - 1, true), (MAX_DEPTH, false)] {
            let text = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
            assert_eq!(parse(&text).is_ok(), ok, "{levels}");
            assert_eq!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), ok);
            let text = format!("{}1{}", r#"{"a":"#.repeat(levels), "}".repeat(levels));
            assert_eq!(parse(&text).is_ok(), ok, "{levels}");
            assert_eq!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), ok);
        }
        let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(err(&deep), JsonErrorKind::TooDeep);
        assert_eq!(err(&"[".repeat(100_000)), JsonErrorKind::TooDeep);
        assert_eq!(err(&r#"{"a":"#.repeat(100_000)), JsonErrorKind::TooDeep);
        assert_eq!(err(&"[{\"a\":".repeat(50_000)), JsonErrorKind::TooDeep);
    }

    #[test]
    fn accessors() {
        let v = parse(
            r#"{"a":1,"a":2,"s":"x","f":1.5,"b":true,"n":null,"l":[1],"neg":-3,"big":18446744073709551615}"#,
        )
        .unwrap();
        assert_eq!(v.get("a"), Some(&Json::Integer(1)));
        assert_eq!(v.get("missing"), None);
        assert_eq!(v.get("s").and_then(Json::as_str), Some("x"));
        assert_eq!(v.get("f").and_then(Json::as_f64), Some(1.5));
        assert_eq!(v.get("f").and_then(Json::as_i64), None);
        assert_eq!(v.get("a").and_then(Json::as_f64), Some(1.0));
        assert_eq!(v.get("b").and_then(Json::as_bool), Some(true));
        assert!(v.get("n").is_some_and(Json::is_null));
        assert_eq!(
            v.get("l").and_then(Json::as_array).map(<[Json]>::len),
            Some(1)
        );
        assert_eq!(v.get("neg").and_then(Json::as_i64), Some(-3));
        assert_eq!(v.get("neg").and_then(Json::as_u64), None);
        assert_eq!(v.get("big").and_then(Json::as_u64), Some(u64::MAX));
        assert_eq!(v.get("big").and_then(Json::as_i64), None);
        assert_eq!(v.get("s").and_then(Json::as_f64), None);
        assert_eq!(v.as_object().map(<[_]>::len), Some(9));
        assert_eq!(Json::Array(vec![]).get("a"), None);
        assert_eq!(Json::Null.as_str(), None);
    }

    #[test]
    fn errors_display_their_offset() {
        let e = parse("[1,]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid JSON at byte 3: unexpected character"
        );
    }

    /// A deterministic xorshift generator, so that failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const SEEDS: [&str; 4] = [
        r#"{"query":"红楼梦 \"校注\"","total":12,"page":1,"page_size":20,"hits":[{"id":-7,"title":"a\\b\n\u4e2d","authors":["曹雪芹"],"year":1982,"format":"book","language":"zh","availability":[{"library_id":"county","available":1,"total":2}]}],"facets":[{"field":"format","values":[{"value":"book","count":3,"selected":true,"label":null}]}],"suggestions":["\ud83d\ude00"]}"#,
        r#"{"libraries":[{"id":"county","name":{"zh":"县图书馆","en":"County"},"kind":"county","address":{"zh":"路"},"latitude":31.25,"longitude":-120.5e0,"hours":[{"weekday":1,"opens":"08:30","closes":"17:00"}]}]}"#,
        r#"[1.5E-2,-0,0,true,false,null,"",{"":[]},[[[]]],18446744073709551615,-9223372036854775808]"#,
        r#"{"type":"about:blank","title":"Not Found","status":404,"code":"not_found","errors":[{"field":"q","code":"too_long","message":"<script>"}]}"#,
    ];

    const PIECES: [&str; 32] = [
        "[", "]", "{", "}", "\"", ",", ":", "\\", "\\u", "\\ud83d", "\\ude00", "0", "1", "9", "-",
        "+", ".", "e", "E", "null", "true", "f", " ", "\n", "\t", "\u{0}", "\u{1f}", "中", "😀",
        "x", "1e999", "\"a\":",
    ];

    /// Mutates the seeds thousands of times and checks that the parser never
    /// panics and accepts exactly what serde_json accepts.
    #[test]
    fn garbled_input_never_panics_and_agrees_with_serde_json() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut accepted = 0;
        for round in 0..6000 {
            let seed = SEEDS[round % SEEDS.len()];
            let mut chars: Vec<char> = seed.chars().collect();
            for _ in 0..=rng.below(4) {
                let at = rng.below(chars.len() + 1);
                match rng.below(4) {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 if at < chars.len() => {
                        chars[at] = char::from(b' ' + rng.below(95) as u8);
                    }
                    2 => chars.truncate(at),
                    _ => {
                        let piece = PIECES[rng.below(PIECES.len())];
                        for (i, c) in piece.chars().enumerate() {
                            chars.insert((at + i).min(chars.len()), c);
                        }
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            let ours = parse(&text);
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{text}: {ours:?}");
            accepted += usize::from(ours.is_ok());
        }
        // The mutations must exercise both outcomes.
        assert!(accepted > 100, "{accepted}");
    }

    /// Random number-like texts must parse bit for bit as in serde_json.
    #[test]
    fn random_numbers_match_serde_json() {
        const ALPHABET: &[u8] = b"0123456789000999.eE+-";
        let mut rng = Rng(0xdead_beef_cafe_f00d);
        let mut floats = 0;
        for _ in 0..20_000 {
            let len = 1 + rng.below(30);
            let mut lit: String = (0..len)
                .map(|_| {
                    if rng.below(3) == 0 {
                        char::from(ALPHABET[rng.below(ALPHABET.len())])
                    } else {
                        char::from(b'0' + rng.below(10) as u8)
                    }
                })
                .collect();
            if rng.below(2) == 0 {
                lit.insert(0, '-');
            }
            let ours = parse(&lit);
            match serde_json::from_str::<serde_json::Value>(&lit) {
                Ok(serde_json::Value::Number(n)) => {
                    let same = match ours {
                        Ok(Json::Integer(i)) => {
                            n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)) == Some(i)
                        }
                        Ok(Json::Number(f)) => {
                            floats += 1;
                            n.is_f64() && n.as_f64().map(f64::to_bits) == Some(f.to_bits())
                        }
                        _ => false,
                    };
                    assert!(same, "{lit}: {ours:?} vs {n}");
                }
                Ok(other) => panic!("{lit}: {other:?}"),
                Err(_) => assert!(ours.is_err(), "{lit}: {ours:?}"),
            }
        }
        assert!(floats > 2000, "{floats}");
    }

    #[test]
    fn every_prefix_of_a_document_is_handled() {
        for seed in SEEDS {
            for (i, _) in seed.char_indices() {
                let prefix = &seed[..i];
                assert_eq!(
                    parse(prefix).is_ok(),
                    serde_json::from_str::<serde_json::Value>(prefix).is_ok(),
                    "{prefix}"
                );
            }
            assert!(parse(seed).is_ok());
        }
    }
}
