//! Email addresses, normalised to lower case and trimmed.

use crate::ParseError;
use serde::{Deserialize, Serialize};

/// An email address with one `@`, a local part and a domain with a dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an address typed by a person.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(ParseError::new("L'adresse électronique est obligatoire."));
        }
        let bad = || ParseError::new("L'adresse électronique doit avoir la forme nom@domaine.fr.");
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || domain.starts_with('-')
        {
            return Err(bad());
        }
        Ok(Self(s))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_impls!(Email);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_and_refuses() {
        assert_eq!(
            Email::parse("  Agent@GPSEA.fr ")
                .map(|e| e.to_string())
                .ok(),
            Some("agent@gpsea.fr".into())
        );
        for bad in [
            "",
            "agent",
            "agent@",
            "@gpsea.fr",
            "a@b",
            "a b@c.fr",
            "a@b@c.fr",
            "a@.fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    proptest! {
        #[test]
        fn parsed_emails_are_stable(local in "[a-z0-9._+-]{1,20}", host in "[a-z0-9][a-z0-9-]{0,11}", tld in "[a-z]{2,6}") {
            let raw = format!("{local}@{host}.{tld}");
            let once = Email::parse(&raw);
            prop_assert!(once.is_ok());
            if let Ok(e) = once {
                prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
            }
        }
    }
}
