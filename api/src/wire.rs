//! JSON for the app: miniserde's parser and traits, with each wire type's
//! decoding and encoding generated from its one declaration.
//!
//! The server reads and writes the same types with serde (derived as
//! usual); the app uses miniserde, whose code is a fraction of
//! serde_json's in WASM. miniserde's own derive rejects serde's attributes,
//! so the wire types are declared inside [`wire_struct!`] and
//! [`wire_enum!`]: the declaration is an ordinary struct or enum with its
//! serde attributes, and the macros read those attributes to generate the
//! miniserde impls, so the two readings cannot be declared differently.
//!
//! What the generated decoders guarantee (tests below and the server's
//! drift test check it against serde):
//! - a missing field with `#[serde(default)]` takes its type's default, a
//!   missing `Option` field is `None`, any other missing field is an error;
//! - `null` is only an `Option`'s `None`, never another field's default;
//! - unknown object keys are ignored; an enum declared with `else Unknown`
//!   decodes a name it does not know to `Unknown`;
//! - integers must be written as integers within the field's range; huge
//!   numbers become floats and fail an integer field;
//! - nothing panics on hostile text: miniserde's parser keeps its nesting
//!   on the heap (no recursion), rejects unpaired UTF-16 surrogates and
//!   bad escapes, and reports every failure as one `Error`.
//!
//! Where the two readings differ on documents no server sends: serde
//! rejects a key given twice while miniserde keeps the last value, and
//! serde also accepts a struct written as an array.

pub use miniserde::{Deserialize, Error, Serialize};

/// Decodes JSON text as a `T`.
pub fn from_json<T: Deserialize>(text: &str) -> Result<T, Error> {
    miniserde::json::from_str(text)
}

/// Encodes a value as JSON text (request bodies).
pub fn to_json<T: Serialize>(value: &T) -> String {
    miniserde::json::to_string(value)
}

/// Declares a wire struct: the struct as written (with its derives and
/// serde attributes), plus miniserde's `Deserialize` and `Serialize`.
///
/// Every field is `pub`; before it come its doc comments, then at most
/// one `#[serde(...)]` attribute. From that attribute the macro reads
/// `default` (a missing field takes `Default::default()`) and `rename =
/// "name"` (the wire name); other options (such as `skip_serializing_if`)
/// are for serde only. A custom default function is refused: give the
/// field a type whose `Default` is right.
///
/// A leading `@decode_only` declares a type that is not shared with the
/// server (no serde derives, no serde attributes allowed).
#[macro_export]
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[serde($($opt:tt)*)])?
                pub $field:ident : $fty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[doc = $doc])*
                $(#[serde($($opt)*)])?
                pub $field: $fty,
            )*
        }
        $crate::__wire_struct_impls!($name { $( $field : $fty [$($($opt)*)?] ),* });
    };
    (
        @decode_only
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                pub $field:ident : $fty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[doc = $doc])*
                pub $field: $fty,
            )*
        }
        $crate::__wire_struct_impls!($name { $( $field : $fty [] ),* });
    };
}

/// The miniserde impls of a struct declared with [`wire_struct!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_struct_impls {
    ($name:ident { $( $field:ident : $fty:ty [$($opt:tt)*] ),* }) => {
        const _: () = {
            use $crate::__private::{Box, Cow, de, ser, miniserde as m};

            /// Where the decoded value goes: miniserde's "place" pattern.
            #[repr(C)]
            struct Place {
                out: Option<$name>,
            }

            impl m::Deserialize for $name {
                fn begin(out: &mut Option<Self>) -> &mut dyn de::Visitor {
                    // SAFETY: `Place` is `repr(C)` with `Option<$name>` as
                    // its only field, so both have one layout; this is the
                    // cast miniserde's own derive and `make_place!` make.
                    unsafe { &mut *(out as *mut Option<$name>).cast::<Place>() }
                }
            }

            impl de::Visitor for Place {
                fn map(&mut self) -> m::Result<Box<dyn de::Map + '_>> {
                    Ok(Box::new(Fields {
                        $( $field: None, )*
                        out: &mut self.out,
                    }))
                }
            }

            /// The fields read so far.
            struct Fields<'a> {
                $( $field: Option<$fty>, )*
                out: &'a mut Option<$name>,
            }

            impl de::Map for Fields<'_> {
                fn key(&mut self, k: &str) -> m::Result<&mut dyn de::Visitor> {
                    $(
                        if k == $crate::__wire_name!($field; $($opt)*) {
                            return Ok(m::Deserialize::begin(&mut self.$field));
                        }
                    )*
                    Ok(<dyn de::Visitor>::ignore())
                }

                fn finish(&mut self) -> m::Result<()> {
                    *self.out = Some($name {
                        $(
                            $field: match self.$field.take() {
                                Some(v) => v,
                                None => $crate::__wire_default!($fty; $($opt)*)?,
                            },
                        )*
                    });
                    Ok(())
                }
            }

            impl m::Serialize for $name {
                fn begin(&self) -> ser::Fragment<'_> {
                    ser::Fragment::Map(Box::new(Members { data: self, next: 0 }))
                }
            }

            /// The members of a value being encoded, one by one.
            struct Members<'a> {
                data: &'a $name,
                next: usize,
            }

            impl ser::Map for Members<'_> {
                fn next(&mut self) -> Option<(Cow<'_, str>, &dyn m::Serialize)> {
                    let wanted = self.next;
                    self.next += 1;
                    let mut i = 0usize;
                    $(
                        if wanted == i {
                            return Some((
                                Cow::Borrowed($crate::__wire_name!($field; $($opt)*)),
                                &self.data.$field,
                            ));
                        }
                        i += 1;
                    )*
                    let _ = i;
                    None
                }
            }
        };
    };
}

/// The wire name of a field: its `rename`, else its name.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_name {
    ($field:ident;) => {
        stringify!($field)
    };
    ($field:ident; rename = $wire:literal $(, $($rest:tt)*)?) => {
        $wire
    };
    ($field:ident; $key:ident $(= $value:literal)? $(, $($rest:tt)*)?) => {
        $crate::__wire_name!($field; $($($rest)*)?)
    };
}

/// The value of a missing field: its default where declared, `None` for
/// an `Option`, an error otherwise.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_default {
    ($fty:ty;) => {
        <$fty as $crate::__private::miniserde::Deserialize>::default()
            .ok_or($crate::__private::miniserde::Error)
    };
    ($fty:ty; default = $f:literal $(, $($rest:tt)*)?) => {
        compile_error!("wire_struct!: custom default functions are not supported; use a type whose Default is right")
    };
    ($fty:ty; default $(, $($rest:tt)*)?) => {
        Ok::<$fty, $crate::__private::miniserde::Error>(Default::default())
    };
    ($fty:ty; $key:ident $(= $value:literal)? $(, $($rest:tt)*)?) => {
        $crate::__wire_default!($fty; $($($rest)*)?)
    };
}

/// Declares a wire enum of unit variants, each with its wire name
/// (`Book = "book"`): the enum with `#[serde(rename)]` on each variant, an
/// `as_str` and a `parse` of those names, and miniserde's `Deserialize`
/// and `Serialize`. `else Unknown` after the braces adds a catch-all
/// variant (`#[serde(other)]`) that every name this version does not know
/// decodes to; `parse` never returns it.
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal
            ),* $(,)?
        }
        $(else $other:ident)?
    ) => {
        $(#[$meta])*
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                $variant,
            )*
            $(
                /// A value this version does not know (sent by a newer backend).
                #[serde(other, rename = "unknown")]
                $other,
            )?
        }

        impl $name {
            /// The wire name, also used in query strings.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $wire, )*
                    $( $name::$other => "unknown", )?
                }
            }

            /// The variant of a wire name; `None` for names this version
            /// does not know.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $( $wire => Some($name::$variant), )*
                    _ => None,
                }
            }
        }

        const _: () = {
            use $crate::__private::{Cow, de, ser, miniserde as m};

            /// Where the decoded value goes: miniserde's "place" pattern.
            #[repr(C)]
            struct Place {
                out: Option<$name>,
            }

            impl m::Deserialize for $name {
                fn begin(out: &mut Option<Self>) -> &mut dyn de::Visitor {
                    // SAFETY: as in `wire_struct!`.
                    unsafe { &mut *(out as *mut Option<$name>).cast::<Place>() }
                }
            }

            impl de::Visitor for Place {
                fn string(&mut self, s: &str) -> m::Result<()> {
                    let value = $name::parse(s) $( .or(Some($name::$other)) )?;
                    self.out = Some(value.ok_or(m::Error)?);
                    Ok(())
                }
            }

            impl m::Serialize for $name {
                fn begin(&self) -> ser::Fragment<'_> {
                    ser::Fragment::Str(Cow::Borrowed(self.as_str()))
                }
            }
        };
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::wire_struct! {
        /// A struct for the macro's own tests.
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct Sample {
            /// Required.
            pub id: i64,
            #[serde(rename = "type")]
            pub kind: Colour,
            #[serde(default)]
            pub tags: Vec<String>,
            pub note: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extra: Option<u8>,
        }
    }

    crate::wire_enum! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum Colour {
            Red = "red",
            DeepBlue = "deep_blue",
        }
        else Unknown
    }

    crate::wire_enum! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum Strict {
            Only = "only",
        }
    }

    #[test]
    fn fields_defaults_and_names() {
        let s: Sample =
            from_json(r#"{"id":7,"type":"deep_blue","ignored":[1,{"a":null}]}"#).unwrap();
        assert_eq!(
            s,
            Sample {
                id: 7,
                kind: Colour::DeepBlue,
                tags: vec![],
                note: None,
                extra: None
            }
        );
        assert!(
            from_json::<Sample>(r#"{"type":"red"}"#).is_err(),
            "id is required"
        );
        assert!(
            from_json::<Sample>(r#"{"id":1}"#).is_err(),
            "type is required"
        );
        assert!(from_json::<Sample>(r#"{"id":1,"type":"red","tags":null}"#).is_err());
        let s: Sample = from_json(r#"{"id":1,"type":"mauve","note":"x"}"#).unwrap();
        assert_eq!(s.kind, Colour::Unknown);
        assert_eq!(s.note.as_deref(), Some("x"));
        assert!(from_json::<Strict>(r#""other""#).is_err());
        assert_eq!(from_json::<Strict>(r#""only""#).unwrap(), Strict::Only);
        assert_eq!(Colour::parse("unknown"), None);
        assert_eq!(Colour::Unknown.as_str(), "unknown");
    }

    #[test]
    fn encoding_round_trips_through_serde() {
        let s = Sample {
            id: -3,
            kind: Colour::Red,
            tags: vec!["引号\"\\\n".into()],
            note: Some("</script>".into()),
            extra: Some(255),
        };
        let text = to_json(&s);
        assert_eq!(serde_json::from_str::<Sample>(&text).unwrap(), s);
        assert_eq!(from_json::<Sample>(&text).unwrap(), s);
        assert_eq!(
            serde_json::to_value(Colour::DeepBlue).unwrap(),
            serde_json::json!("deep_blue")
        );
    }

    #[test]
    fn integers_follow_their_range() {
        for bad in [
            r#"{"id":1.0,"type":"red"}"#,
            r#"{"id":1e3,"type":"red"}"#,
            r#"{"id":99999999999999999999,"type":"red"}"#,
            r#"{"id":1,"type":"red","extra":256}"#,
            r#"{"id":1,"type":"red","extra":-1}"#,
            r#"{"id":"1","type":"red"}"#,
        ] {
            assert!(from_json::<Sample>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<Sample>(bad).is_err(), "{bad}");
        }
    }
}
