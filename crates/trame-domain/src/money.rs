//! Money: `Euros` holds an amount in integer cents; never a float.

use crate::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in euros, stored as integer cents. Negative amounts are allowed (balances);
/// the forms that need a positive amount check it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Euros(i64);

/// The largest amount a person may type: one thousand million euros.
const MAX_CENTS: i64 = 100_000_000_000;

impl Euros {
    /// Zero euros.
    pub const ZERO: Euros = Euros(0);

    /// An amount from a number of cents.
    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Adds two amounts; `None` on overflow.
    pub fn checked_add(self, other: Euros) -> Option<Euros> {
        self.0.checked_add(other.0).map(Euros)
    }

    /// Parses an amount typed the French way: `1 234,56`, `1234.5`, `12 €`, `-3,00`.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let cleaned: String = input
            .trim()
            .trim_end_matches('€')
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if cleaned.is_empty() {
            return Err(ParseError::new("Le montant est obligatoire."));
        }
        let (negative, body) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let body = body.replace(',', ".");
        let mut parts = body.splitn(2, '.');
        let whole = parts.next().unwrap_or("");
        let frac = parts.next().unwrap_or("");
        let bad = || {
            ParseError::new(
                "Le montant doit être un nombre d'euros, avec au plus deux décimales (par exemple 1 250,50).",
            )
        };
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac_cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse::<i64>().map_err(|_| bad())?,
        };
        let cents = whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(frac_cents))
            .filter(|c| *c <= MAX_CENTS)
            .ok_or_else(|| ParseError::new("Ce montant est trop élevé."))?;
        Ok(Self(if negative { -cents } else { cents }))
    }
}

impl fmt::Display for Euros {
    /// French format: `1 234,56 €` with a narrow no-break space between thousands.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let grouped = crate::format::group_digits(abs / 100);
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{grouped},{:02}\u{a0}€", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_french_amounts() {
        assert_eq!(Euros::parse("1 234,56").map(Euros::cents), Ok(123_456));
        assert_eq!(Euros::parse("60000 €").map(Euros::cents), Ok(6_000_000));
        assert_eq!(Euros::parse("12.5").map(Euros::cents), Ok(1_250));
        assert_eq!(Euros::parse("-3,00").map(Euros::cents), Ok(-300));
        assert!(Euros::parse("12,345").is_err());
        assert!(Euros::parse("douze").is_err());
        assert!(Euros::parse("").is_err());
        assert!(Euros::parse("99999999999999999999").is_err());
    }

    #[test]
    fn formats_french_amounts() {
        assert_eq!(
            Euros::from_cents(6_000_000).to_string(),
            "60\u{202f}000,00\u{a0}€"
        );
        assert_eq!(Euros::from_cents(-5).to_string(), "-0,05\u{a0}€");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(cents in -MAX_CENTS..=MAX_CENTS) {
            let e = Euros::from_cents(cents);
            prop_assert_eq!(Euros::parse(&e.to_string()), Ok(e));
        }
    }
}
