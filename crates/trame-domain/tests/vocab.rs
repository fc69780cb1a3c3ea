//! The embedded data·inclusion vocabularies are exactly the enumerations of the schema in
//! `../shared/schemas/data-inclusion-v1` (read by the test only).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use trame_domain::directory::vocab::Vocabulary;

fn schema(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/data-inclusion-v1")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("the shared schema")).expect("JSON")
}

/// The values, sorted: the schema's order of an enumeration is not the files' order.
fn values(v: Vocabulary) -> Vec<String> {
    let mut all: Vec<String> = v.entries().iter().map(|e| e.value.clone()).collect();
    all.sort();
    all
}

fn enumeration(doc: &serde_json::Value, def: &str) -> Vec<String> {
    let mut all: Vec<String> = doc["$defs"][def]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{def} has an enum"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    all.sort();
    all
}

#[test]
fn the_vocabularies_are_those_of_the_schema() {
    let service = schema("service.json");
    for (v, def) in [
        (Vocabulary::Thematiques, "Thematique"),
        (Vocabulary::Publics, "Public"),
        (Vocabulary::TypesDeServices, "TypeService"),
        (Vocabulary::Frais, "Frais"),
        (Vocabulary::ModesAccueil, "ModeAccueil"),
        (Vocabulary::ModesMobilisation, "ModeMobilisation"),
        (Vocabulary::PersonnesMobilisatrices, "PersonneMobilisatrice"),
    ] {
        assert_eq!(values(v), enumeration(&service, def), "{def}");
    }
    let structure = schema("structure.json");
    assert_eq!(
        values(Vocabulary::ReseauxPorteurs),
        enumeration(&structure, "ReseauPorteur")
    );
}
