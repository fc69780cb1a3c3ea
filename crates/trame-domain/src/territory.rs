//! Territories: the slug that prefixes their URLs, and the reference data that describes
//! them (communes with INSEE code, population and centroid).

use crate::ParseError;
use crate::identifiers::{CodeInsee, Siren};
use serde::{Deserialize, Serialize};

/// Words a territory slug may not take, because they are top-level routes.
const RESERVED: &[&str] = &[
    "static",
    "connexion",
    "deconnexion",
    "compte",
    "healthz",
    "readyz",
    "api",
    "admin",
    "territoires",
];

/// A territory's URL prefix: 2–40 lower-case letters, digits and dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TerritorySlug(String);

impl TerritorySlug {
    /// Parses a slug.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim();
        let ok = (2..=40).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if !ok {
            return Err(ParseError::new(
                "L'identifiant du territoire compte de 2 à 40 caractères : lettres minuscules sans accent, chiffres et tirets.",
            ));
        }
        if RESERVED.contains(&s) {
            return Err(ParseError::new(
                "Cet identifiant est réservé par la plateforme ; choisissez-en un autre.",
            ));
        }
        Ok(Self(s.to_string()))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype_impls!(TerritorySlug);

/// A point in WGS 84.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Centroid {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
}

/// A commune as described by the territory's reference file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneRef {
    /// INSEE code.
    pub code_insee: CodeInsee,
    /// Official name.
    pub nom: String,
    /// Postal codes.
    #[serde(default)]
    pub codes_postaux: Vec<String>,
    /// Legal population.
    pub population: u32,
    /// SIREN of the commune, when known.
    #[serde(default)]
    pub siren: Option<Siren>,
    /// Centroid, for maps, when the source gives one.
    #[serde(default)]
    pub centroide: Option<Centroid>,
}

/// A territory's reference file (`territoire-*.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerritoryRef {
    /// Name.
    pub nom: String,
    /// SIREN of the EPT or EPCI (`code` in the file).
    pub code: String,
    /// Département code.
    pub departement: String,
    /// Member communes.
    pub communes: Vec<CommuneRef>,
}

impl TerritoryRef {
    /// Total population of the member communes.
    pub fn population(&self) -> u64 {
        self.communes.iter().map(|c| u64::from(c.population)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(TerritorySlug::parse("gpsea").is_ok());
        assert!(TerritorySlug::parse("grand-orly-2").is_ok());
        assert!(TerritorySlug::parse("GPSEA").is_err());
        assert!(TerritorySlug::parse("static").is_err());
        assert!(TerritorySlug::parse("-x").is_err());
    }
}
