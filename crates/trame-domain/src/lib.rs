//! Trame's domain: the rules and types that do not depend on the web, the database or the
//! clock.
//!
//! Guided tour:
//! - [`identifiers`]: `Siret`, `Siren`, `Rna`, `CodeInsee` — parsed once, trusted afterwards.
//! - [`money`]: `Euros`, an amount in integer cents.
//! - [`email`]: `Email`, normalised to lower case.
//! - [`password`]: the password policy (strength by length, no composition rules).
//! - [`role`]: the roles a person holds in a territory.
//! - [`territory`]: territory slugs and reference data.
//! - [`audit`]: the hash chain of the audit journal.
//! - [`clock`]: the clock is a parameter; production reads the system, tests freeze it.
//!
//! Every constructor that parses user input returns a [`ParseError`] whose message is
//! written in French for the person who typed the value.

/// `Display`, `TryFrom<String>` (through `parse`) and `From<T> for String` for a newtype
/// around a `String` field `.0`.
macro_rules! string_newtype_impls {
    ($t:ty) => {
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $t {
            type Error = $crate::ParseError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
    };
}

/// Declares a vocabulary (clauses, accompaniment…): an enum with its codes, labels and every term in order.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every term, in the order the pages list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The French label.
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            /// The term of a code.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|t| t.code() == code)
            }
        }
    };
}

pub mod accompaniment;
pub mod audit;
pub mod brand;
pub mod clauses;
pub mod clock;
pub mod directory;
pub mod email;
pub mod format;
pub mod funding;
pub mod geometry;
pub mod identifiers;
pub mod image;
pub mod interest;
pub mod map;
pub mod money;
pub mod organisation;
pub mod password;
pub mod pathways;
pub mod role;
pub mod showcase;
pub mod territory;
pub mod upload;

mod error;

pub use error::ParseError;
