//! The data·inclusion v1 vocabularies, embedded from
//! `crates/trame-domain/data/data-inclusion-v1/` (see its README for the source): each a
//! list of (value, label, description). A thématique's value is `category--sub-theme`; the
//! categories' labels are written here.

use serde::Deserialize;
use std::sync::OnceLock;

/// One entry of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Entry {
    /// Stable code, as exchanged.
    pub value: String,
    /// French label.
    pub label: String,
    /// French description, when the schema gives one.
    pub description: Option<String>,
}

/// The vocabularies of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// Thématiques (two levels, `category--sub-theme`).
    Thematiques,
    /// Publics.
    Publics,
    /// Types of service.
    TypesDeServices,
    /// Typologies of structure services (structure level).
    TypologiesDeServices,
    /// Fees.
    Frais,
    /// Modes d'accueil.
    ModesAccueil,
    /// How to mobilise the service.
    ModesMobilisation,
    /// Who may mobilise it.
    PersonnesMobilisatrices,
    /// Networks the structure belongs to.
    ReseauxPorteurs,
}

impl Vocabulary {
    /// Every vocabulary.
    pub const ALL: [Vocabulary; 9] = [
        Vocabulary::Thematiques,
        Vocabulary::Publics,
        Vocabulary::TypesDeServices,
        Vocabulary::TypologiesDeServices,
        Vocabulary::Frais,
        Vocabulary::ModesAccueil,
        Vocabulary::ModesMobilisation,
        Vocabulary::PersonnesMobilisatrices,
        Vocabulary::ReseauxPorteurs,
    ];

    /// The file it comes from.
    pub const fn file(self) -> &'static str {
        match self {
            Vocabulary::Thematiques => "thematiques.json",
            Vocabulary::Publics => "publics.json",
            Vocabulary::TypesDeServices => "types-de-services.json",
            Vocabulary::TypologiesDeServices => "typologies-de-services.json",
            Vocabulary::Frais => "frais.json",
            Vocabulary::ModesAccueil => "modes-accueil.json",
            Vocabulary::ModesMobilisation => "modes-mobilisation.json",
            Vocabulary::PersonnesMobilisatrices => "personnes-mobilisatrices.json",
            Vocabulary::ReseauxPorteurs => "reseaux-porteurs.json",
        }
    }

    const fn source(self) -> &'static str {
        match self {
            Vocabulary::Thematiques => {
                include_str!("../../data/data-inclusion-v1/thematiques.json")
            }
            Vocabulary::Publics => include_str!("../../data/data-inclusion-v1/publics.json"),
            Vocabulary::TypesDeServices => {
                include_str!("../../data/data-inclusion-v1/types-de-services.json")
            }
            Vocabulary::TypologiesDeServices => {
                include_str!("../../data/data-inclusion-v1/typologies-de-services.json")
            }
            Vocabulary::Frais => include_str!("../../data/data-inclusion-v1/frais.json"),
            Vocabulary::ModesAccueil => {
                include_str!("../../data/data-inclusion-v1/modes-accueil.json")
            }
            Vocabulary::ModesMobilisation => {
                include_str!("../../data/data-inclusion-v1/modes-mobilisation.json")
            }
            Vocabulary::PersonnesMobilisatrices => {
                include_str!("../../data/data-inclusion-v1/personnes-mobilisatrices.json")
            }
            Vocabulary::ReseauxPorteurs => {
                include_str!("../../data/data-inclusion-v1/reseaux-porteurs.json")
            }
        }
    }

    /// Its entries, in the schema's order (parsed once).
    pub fn entries(self) -> &'static [Entry] {
        static PARSED: OnceLock<Vec<Vec<Entry>>> = OnceLock::new();
        let all = PARSED.get_or_init(|| {
            Vocabulary::ALL
                .iter()
                // The files are embedded and checked by the tests: a parse failure is a
                // build defect, shown as an empty vocabulary rather than a crash.
                .map(|v| serde_json::from_str(v.source()).unwrap_or_default())
                .collect()
        });
        let k = Vocabulary::ALL
            .iter()
            .position(|v| *v == self)
            .unwrap_or_default();
        all.get(k).map_or(&[], Vec::as_slice)
    }

    /// The entry of a value.
    pub fn get(self, value: &str) -> Option<&'static Entry> {
        self.entries().iter().find(|e| e.value == value)
    }

    /// Whether a value belongs to it.
    pub fn contains(self, value: &str) -> bool {
        self.get(value).is_some()
    }
}

/// The categories of thématiques (first level): value and French label.
pub const CATEGORIES: [(&str, &str); 16] = [
    ("choisir-un-metier", "Choisir un métier"),
    ("creer-une-entreprise", "Créer une entreprise"),
    (
        "difficultes-administratives-ou-juridiques",
        "Difficultés administratives ou juridiques",
    ),
    ("difficultes-financieres", "Difficultés financières"),
    ("equipement-et-alimentation", "Équipement et alimentation"),
    ("famille", "Famille"),
    ("lecture-ecriture-calcul", "Lecture, écriture, calcul"),
    ("logement-hebergement", "Logement, hébergement"),
    ("mobilite", "Mobilité"),
    ("numerique", "Numérique"),
    ("preparer-sa-candidature", "Préparer sa candidature"),
    ("remobilisation", "Remobilisation"),
    ("sante", "Santé"),
    ("se-former", "Se former"),
    ("souvrir-a-linternational", "S'ouvrir à l'international"),
    ("trouver-un-emploi", "Trouver un emploi"),
];

/// The category (first level) of a thématique: `mobilite--…` → `mobilite`.
pub fn category_of(thematique: &str) -> &str {
    thematique.split_once("--").map_or(thematique, |(c, _)| c)
}

/// The label of a category.
pub fn category_label(category: &str) -> Option<&'static str> {
    CATEGORIES
        .iter()
        .find(|(v, _)| *v == category)
        .map(|(_, l)| *l)
}

/// The thématiques of a category, in the schema's order.
pub fn thematiques_of(category: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    Vocabulary::Thematiques
        .entries()
        .iter()
        .filter(move |e| category_of(&e.value) == category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_reads_and_every_thematique_has_a_labelled_category() {
        for v in Vocabulary::ALL {
            assert!(!v.entries().is_empty(), "{v:?}");
        }
        assert_eq!(Vocabulary::Thematiques.entries().len(), 69);
        assert_eq!(Vocabulary::Publics.entries().len(), 14);
        for e in Vocabulary::Thematiques.entries() {
            assert!(
                category_label(category_of(&e.value)).is_some(),
                "{} has no category label",
                e.value
            );
        }
        for (c, _) in CATEGORIES {
            assert!(thematiques_of(c).next().is_some(), "{c} is empty");
        }
        assert_eq!(
            Vocabulary::Frais.get("gratuit").map(|e| e.label.as_str()),
            Some("Gratuit")
        );
        assert!(!Vocabulary::Publics.contains("martiens"));
    }
}
