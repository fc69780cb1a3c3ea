//! The official list of EPT, EPCI and their member communes (INSEE's Code officiel
//! géographique and legal populations, through the npm package
//! `@etalab/decoupage-administratif`, MIT), embedded compressed so that a territory can be
//! created offline. `scripts/cog/build.py` rebuilds `data/cog.json.gz`.

use crate::StoreError;
use flate2::read::GzDecoder;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use trame_domain::identifiers::{CodeInsee, Siren};
use trame_domain::territory::{CommuneRef, TerritoryRef};

const COG_GZ: &[u8] = include_bytes!("../data/cog.json.gz");

#[derive(Debug, Deserialize)]
struct Cog {
    source: String,
    groupements: Vec<Groupement>,
    communes: HashMap<String, CogCommune>,
}

#[derive(Debug, Deserialize)]
struct Groupement {
    siren: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    membres: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CogCommune {
    nom: String,
    siren: Option<String>,
    departement: Option<String>,
    #[serde(default)]
    codes_postaux: Vec<String>,
    #[serde(default)]
    population: u32,
}

fn load() -> Result<Cog, StoreError> {
    let mut text = String::new();
    GzDecoder::new(COG_GZ)
        .read_to_string(&mut text)
        .map_err(|e| StoreError::Internal(format!("embedded COG: {e}")))?;
    serde_json::from_str(&text).map_err(|e| StoreError::Internal(format!("embedded COG: {e}")))
}

/// The version of the embedded list, for display.
pub fn source() -> Result<String, StoreError> {
    Ok(load()?.source)
}

/// An intercommunal body found in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// EPT, CC, CA, CU or METRO.
    pub kind: String,
    /// The territory, ready to create.
    pub reference: TerritoryRef,
}

/// The EPT or EPCI whose SIREN is `siren`, with its communes; `NotFound` when the list
/// has none.
pub fn find_groupement(siren: &Siren) -> Result<Found, StoreError> {
    let cog = load()?;
    let g = cog
        .groupements
        .iter()
        .find(|g| g.siren == siren.as_str())
        .ok_or(StoreError::NotFound)?;
    let mut departements: BTreeMap<String, usize> = BTreeMap::new();
    let mut communes = Vec::with_capacity(g.membres.len());
    for code in &g.membres {
        let Some(c) = cog.communes.get(code) else {
            continue;
        };
        let Ok(code_insee) = CodeInsee::parse(code) else {
            continue;
        };
        if let Some(d) = &c.departement {
            *departements.entry(d.clone()).or_default() += 1;
        }
        communes.push(CommuneRef {
            code_insee,
            nom: c.nom.clone(),
            codes_postaux: c.codes_postaux.clone(),
            population: c.population,
            siren: c.siren.as_deref().and_then(|s| Siren::parse(s).ok()),
            centroide: None,
        });
    }
    let departement = departements
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(d, _)| d)
        .unwrap_or_default();
    Ok(Found {
        kind: g.kind.clone(),
        reference: TerritoryRef {
            nom: g.nom.clone(),
            code: g.siren.clone(),
            departement,
            communes,
        },
    })
}

/// One commune of the official list, by INSEE code (any commune member of an EPT or EPCI).
pub fn find_commune(code: &CodeInsee) -> Result<CommuneRef, StoreError> {
    let cog = load()?;
    let c = cog
        .communes
        .get(code.as_str())
        .ok_or(StoreError::NotFound)?;
    Ok(CommuneRef {
        code_insee: code.clone(),
        nom: c.nom.clone(),
        codes_postaux: c.codes_postaux.clone(),
        population: c.population,
        siren: c.siren.as_deref().and_then(|s| Siren::parse(s).ok()),
        centroide: None,
    })
}

/// The places of the official list a zone d'éligibilité may name: communes, départements,
/// the SIREN of EPT/EPCI and of communes. Read once per process.
#[derive(Debug, Default)]
pub struct Places {
    communes: std::collections::HashSet<String>,
    departements: std::collections::HashSet<String>,
    sirens: std::collections::HashSet<String>,
}

impl Places {
    /// The embedded list's places.
    pub fn get() -> Result<&'static Places, StoreError> {
        static PLACES: std::sync::OnceLock<Places> = std::sync::OnceLock::new();
        if let Some(p) = PLACES.get() {
            return Ok(p);
        }
        let cog = load()?;
        let mut p = Places::default();
        for g in &cog.groupements {
            p.sirens.insert(g.siren.clone());
        }
        for (code, c) in cog.communes {
            p.sirens.extend(c.siren);
            p.departements.extend(c.departement);
            p.communes.insert(code);
        }
        Ok(PLACES.get_or_init(|| p))
    }

    /// Whether `code` is a commune of the list.
    pub fn is_commune(&self, code: &str) -> bool {
        self.communes.contains(code)
    }

    /// Whether a zone d'éligibilité code names a known place (`france` and foreign
    /// countries, `99…`, always do).
    pub fn is_zone(&self, code: &str) -> bool {
        code == "france"
            || (code.len() == 5 && code.starts_with("99"))
            || self.communes.contains(code)
            || self.departements.contains(code)
            || self.sirens.contains(code)
    }
}

/// A slug for a territory's name: lower-case ASCII words joined by dashes, at most 40
/// characters (`Grand Paris Sud Est Avenir` → `grand-paris-sud-est-avenir`).
pub fn slug_for(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut s: String = out.trim_end_matches('-').chars().take(40).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

fn fold_accent(c: char) -> Vec<char> {
    match c {
        'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => vec!['a'],
        'ç' | 'Ç' => vec!['c'],
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => vec!['e'],
        'î' | 'ï' | 'Î' | 'Ï' => vec!['i'],
        'ô' | 'ö' | 'Ô' | 'Ö' => vec!['o'],
        'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => vec!['u'],
        'ÿ' => vec!['y'],
        'œ' | 'Œ' => vec!['o', 'e'],
        'æ' | 'Æ' => vec!['a', 'e'],
        other => vec![other],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpsea_and_an_epci_are_found_with_their_communes() {
        let gpsea = find_groupement(&Siren::parse("200058006").unwrap()).unwrap();
        assert_eq!(gpsea.kind, "EPT");
        assert_eq!(gpsea.reference.nom, "Grand Paris Sud Est Avenir");
        assert_eq!(gpsea.reference.communes.len(), 16);
        assert_eq!(gpsea.reference.departement, "94");
        let creteil = gpsea
            .reference
            .communes
            .iter()
            .find(|c| c.nom == "Créteil")
            .unwrap();
        assert_eq!(creteil.codes_postaux, vec!["94000".to_string()]);
        // An EPCI: Plaine Commune is an EPT too; take a communauté de communes instead.
        let cc = find_groupement(&Siren::parse("200000172").unwrap()).unwrap();
        assert_eq!(cc.kind, "CC");
        assert!(!cc.reference.communes.is_empty());
        assert!(matches!(
            find_groupement(&Siren::parse("732829320").unwrap()),
            Err(StoreError::NotFound)
        ));
        assert!(source().unwrap().contains("decoupage-administratif"));
    }

    #[test]
    fn slugs_from_names() {
        assert_eq!(
            slug_for("Grand Paris Sud Est Avenir"),
            "grand-paris-sud-est-avenir"
        );
        assert_eq!(slug_for("CC Faucigny - Glières"), "cc-faucigny-glieres");
        assert_eq!(
            slug_for("Cœur d'Essonne Agglomération"),
            "coeur-d-essonne-agglomeration"
        );
    }
}
