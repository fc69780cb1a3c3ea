//! French administrative identifiers: SIRET, SIREN, RNA and INSEE commune codes.

use crate::ParseError;
use serde::{Deserialize, Serialize};

/// SIREN of La Poste, whose SIRETs follow a digit-sum rule instead of Luhn.
const LA_POSTE_SIREN: &str = "356000000";

/// Strips spaces, non-breaking spaces, dots and dashes that people type inside numbers.
fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '.' | '-'))
        .collect()
}

/// The Luhn checksum over a string of ASCII digits.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(d) = c.to_digit(10) else {
            return false;
        };
        let v = if i % 2 == 1 {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            d
        };
        sum += v;
    }
    sum.is_multiple_of(10)
}

fn digit_sum(digits: &str) -> u32 {
    digits.chars().filter_map(|c| c.to_digit(10)).sum()
}

/// A SIREN: 9 digits with a valid Luhn checksum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siren(String);

impl Siren {
    /// Parses a SIREN typed by a person (spaces allowed).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = compact(input);
        if s.is_empty() {
            return Err(ParseError::new("Le SIREN est obligatoire."));
        }
        if s.len() != 9 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::new(
                "Le SIREN doit compter exactement 9 chiffres.",
            ));
        }
        if !luhn_valid(&s) {
            return Err(ParseError::new(
                "Ce SIREN n'existe pas : sa clé de contrôle est fausse. Vérifiez les 9 chiffres.",
            ));
        }
        Ok(Self(s))
    }

    /// The 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A SIRET: 14 digits; Luhn checksum, or La Poste's digit sum multiple of 5.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siret(String);

impl Siret {
    /// Parses a SIRET typed by a person (spaces allowed).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = compact(input);
        if s.is_empty() {
            return Err(ParseError::new("Le SIRET est obligatoire."));
        }
        if s.len() != 14 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::new(
                "Le SIRET doit compter exactement 14 chiffres (SIREN à 9 chiffres suivi du NIC à 5 chiffres).",
            ));
        }
        let valid = if s.starts_with(LA_POSTE_SIREN) {
            luhn_valid(&s) || digit_sum(&s).is_multiple_of(5)
        } else {
            luhn_valid(&s)
        };
        if !valid {
            return Err(ParseError::new(
                "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez les 14 chiffres.",
            ));
        }
        Ok(Self(s))
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SIREN of the undertaking (the first 9 digits).
    pub fn siren(&self) -> Siren {
        Siren(self.0.chars().take(9).collect())
    }
}

/// An RNA number of an association: `W` followed by 9 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rna(String);

impl Rna {
    /// Parses an RNA number (case-insensitive `W`, spaces allowed).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = compact(input).to_uppercase();
        if s.is_empty() {
            return Err(ParseError::new("Le numéro RNA est obligatoire."));
        }
        let mut chars = s.chars();
        let starts_w = chars.next() == Some('W');
        let rest: String = chars.collect();
        if !starts_w || rest.len() != 9 || !rest.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::new(
                "Le numéro RNA s'écrit W suivi de 9 chiffres, par exemple W941234567.",
            ));
        }
        Ok(Self(s))
    }

    /// The RNA number, `W` and 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An INSEE commune code (code officiel géographique): 5 characters, digits or
/// `2A`/`2B` for Corsica.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodeInsee(String);

impl CodeInsee {
    /// Parses an INSEE commune code.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim().to_uppercase();
        if s.is_empty() {
            return Err(ParseError::new(
                "Le code INSEE de la commune est obligatoire.",
            ));
        }
        let ok = s.len() == 5
            && (s.chars().all(|c| c.is_ascii_digit())
                || ((s.starts_with("2A") || s.starts_with("2B"))
                    && s.chars().skip(2).all(|c| c.is_ascii_digit())));
        if !ok {
            return Err(ParseError::new(
                "Le code INSEE d'une commune compte 5 caractères : 5 chiffres, ou 2A/2B suivi de 3 chiffres en Corse (par exemple 94028).",
            ));
        }
        if s.starts_with("00") {
            return Err(ParseError::new(
                "Aucun département ne commence par 00 : vérifiez le code INSEE.",
            ));
        }
        Ok(Self(s))
    }

    /// The 5 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The département part: 3 characters for overseas (97x), else 2.
    pub fn departement(&self) -> &str {
        let n = if self.0.starts_with("97") { 3 } else { 2 };
        self.0.get(..n).unwrap_or(&self.0)
    }
}

string_newtype_impls!(Siren);
string_newtype_impls!(Siret);
string_newtype_impls!(Rna);
string_newtype_impls!(CodeInsee);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sirets() {
        // GPSEA's SIREN and Créteil's SIREN are real and pass Luhn.
        assert!(Siren::parse("200058006").is_ok());
        assert!(Siren::parse("219 400 280").is_ok());
        assert!(Siren::parse("200058007").is_err());
        // La Poste head office: digit sum multiple of 5, not Luhn.
        assert!(Siret::parse("35600000049837").is_ok());
        assert!(Siret::parse("35600000000001").is_ok());
        assert!(Siret::parse("35600000000002").is_err());
        // The La Poste rule applies to La Poste alone.
        assert!(Siret::parse("73282932000075").is_err());
        assert_eq!(
            Siret::parse("732 829 320 00074")
                .map(|s| s.siren().to_string())
                .ok(),
            Some("732829320".to_string())
        );
    }

    #[test]
    fn messages_are_french_and_specific() {
        let e = Siret::parse("123").err().map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some(
                "Le SIRET doit compter exactement 14 chiffres (SIREN à 9 chiffres suivi du NIC à 5 chiffres)."
            )
        );
        assert!(Rna::parse("W12345678").is_err());
        assert_eq!(
            Rna::parse("w941234567").map(|r| r.to_string()).ok(),
            Some("W941234567".into())
        );
    }

    #[test]
    fn insee_codes() {
        assert!(CodeInsee::parse("94028").is_ok());
        assert!(CodeInsee::parse("2A004").is_ok());
        assert_eq!(
            CodeInsee::parse("97411")
                .map(|c| c.departement().to_string())
                .ok(),
            Some("974".into())
        );
        assert!(CodeInsee::parse("2C004").is_err());
        assert!(CodeInsee::parse("9402").is_err());
        assert!(CodeInsee::parse("00123").is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Appends the Luhn check digit to `body`.
    fn with_luhn_digit(body: &str) -> String {
        (0..10)
            .map(|d| format!("{body}{d}"))
            .find(|s| luhn_valid(s))
            .unwrap_or_default()
    }

    proptest! {
        #[test]
        fn every_luhn_valid_siret_parses_and_keeps_its_siren(body in "[1-9][0-9]{12}") {
            let s = with_luhn_digit(&body);
            let siret = Siret::parse(&s);
            prop_assert!(siret.is_ok());
            if let Ok(siret) = siret {
                prop_assert_eq!(siret.siren().to_string(), s[..9].to_string());
            }
        }

        #[test]
        fn one_changed_digit_is_refused(body in "[1-9][0-9]{12}", pos in 0usize..14, delta in 1u32..10) {
            let s = with_luhn_digit(&body);
            prop_assume!(!s.starts_with(LA_POSTE_SIREN));
            let mut chars: Vec<char> = s.chars().collect();
            let d = chars[pos].to_digit(10).unwrap_or(0);
            chars[pos] = char::from_digit((d + delta) % 10, 10).unwrap_or('0');
            let changed: String = chars.into_iter().collect();
            prop_assert!(Siret::parse(&changed).is_err());
        }

        #[test]
        fn spaces_do_not_matter(body in "[1-9][0-9]{7}") {
            let s = with_luhn_digit(&body);
            let spaced = format!("{} {} {}", &s[..3], &s[3..6], &s[6..]);
            prop_assert_eq!(Siren::parse(&spaced), Siren::parse(&s));
        }

        #[test]
        fn an_rna_is_w_and_nine_digits(digits in "[0-9]{9}", other in "[A-VX-Z][0-9]{9}|W[0-9]{8}|W[0-9]{10}") {
            let rna = Rna::parse(&format!("W{digits}"));
            prop_assert!(rna.is_ok());
            prop_assert!(Rna::parse(&format!("w{digits}")).is_ok(), "lower case is accepted");
            prop_assert!(Rna::parse(&other).is_err(), "{} accepted", other);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,30}") {
            let _ = Siret::parse(&s);
            let _ = Siren::parse(&s);
            let _ = Rna::parse(&s);
            let _ = CodeInsee::parse(&s);
        }
    }
}
