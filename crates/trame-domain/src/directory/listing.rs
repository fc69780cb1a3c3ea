//! What the directory lists filter on: the state of a record, the codes a service is
//! found by, and the places whose residents a commune filter looks for.

use super::record::Service;
use super::vocab::category_of;

/// The state of a structure or a service: only published ones are public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Being written; seen only by the agents and the structure's members.
    Brouillon,
    /// Public.
    Publie,
    /// No longer offered; kept for the history, never public.
    Archive,
}

impl Status {
    /// Every state, in the order of a record's life.
    pub const ALL: [Status; 3] = [Status::Brouillon, Status::Publie, Status::Archive];

    /// The stored code.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Brouillon => "brouillon",
            Status::Publie => "publie",
            Status::Archive => "archive",
        }
    }

    /// The French label.
    pub const fn label(self) -> &'static str {
        match self {
            Status::Brouillon => "Brouillon",
            Status::Publie => "Publié",
            Status::Archive => "Archivé",
        }
    }

    /// The state a stored code names.
    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// The kinds of code a service is filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeKind {
    /// Thématique: the category and the `category--sub-theme` code.
    Thematique,
    /// Public.
    Public,
    /// Type of service.
    Type,
    /// Frais.
    Frais,
    /// Mode d'accueil.
    ModeAccueil,
    /// A place of the zone d'éligibilité, as written.
    Zone,
}

impl CodeKind {
    /// Every kind.
    pub const ALL: [CodeKind; 6] = [
        CodeKind::Thematique,
        CodeKind::Public,
        CodeKind::Type,
        CodeKind::Frais,
        CodeKind::ModeAccueil,
        CodeKind::Zone,
    ];

    /// The stored one-letter code.
    pub const fn as_str(self) -> &'static str {
        match self {
            CodeKind::Thematique => "t",
            CodeKind::Public => "p",
            CodeKind::Type => "y",
            CodeKind::Frais => "f",
            CodeKind::ModeAccueil => "a",
            CodeKind::Zone => "z",
        }
    }

    /// The kind a stored letter names.
    pub fn parse(code: &str) -> Option<CodeKind> {
        CodeKind::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

impl Service {
    /// The codes the service is found by. A thématique gives its category too, so a
    /// filter on « Mobilité » finds every mobility sub-theme. A service without a zone
    /// d'éligibilité is taken to serve the residents of its own commune.
    pub fn codes(&self) -> Vec<(CodeKind, String)> {
        let mut out: Vec<(CodeKind, String)> = Vec::new();
        for t in self.thematiques.iter().flatten() {
            out.push((CodeKind::Thematique, category_of(t).to_owned()));
            out.push((CodeKind::Thematique, t.clone()));
        }
        for (kind, values) in [
            (CodeKind::Public, self.publics.as_ref()),
            (CodeKind::ModeAccueil, self.modes_accueil.as_ref()),
        ] {
            out.extend(values.into_iter().flatten().map(|v| (kind, v.clone())));
        }
        out.extend(self.kind.iter().map(|v| (CodeKind::Type, v.clone())));
        out.extend(self.frais.iter().map(|v| (CodeKind::Frais, v.clone())));
        match (&self.zone_eligibilite, &self.code_insee) {
            (Some(zone), _) if !zone.is_empty() => {
                out.extend(zone.iter().map(|z| (CodeKind::Zone, z.clone())));
            }
            (_, Some(commune)) => out.push((CodeKind::Zone, commune.clone())),
            _ => {}
        }
        out.sort();
        out.dedup();
        out
    }
}

/// A commune as a zone d'éligibilité sees it.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// Its INSEE code.
    pub code_insee: &'a str,
    /// Its SIREN, when known.
    pub siren: Option<&'a str>,
    /// The SIREN of its territory (EPT or EPCI).
    pub territory_siren: &'a str,
}

impl Place<'_> {
    /// The zone codes that include the commune: itself, its département, its territory,
    /// the commune as a body, and France.
    pub fn zone_codes(&self) -> Vec<String> {
        let dept_len = if self.code_insee.starts_with("97") {
            3
        } else {
            2
        };
        let mut out = vec![
            self.code_insee.to_owned(),
            self.code_insee.chars().take(dept_len).collect(),
            self.territory_siren.to_owned(),
            "france".to_owned(),
        ];
        out.extend(self.siren.map(str::to_owned));
        out.retain(|c| !c.is_empty());
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_is_found_by_its_category_and_its_sub_theme() {
        let s = Service {
            thematiques: Some(vec![
                "mobilite--preparer-un-permis".into(),
                "mobilite--louer-un-vehicule".into(),
            ]),
            publics: Some(vec!["jeunes".into()]),
            frais: Some("gratuit".into()),
            code_insee: Some("94028".into()),
            ..Service::default()
        };
        let codes = s.codes();
        assert_eq!(
            codes
                .iter()
                .filter(|(k, c)| *k == CodeKind::Thematique && c == "mobilite")
                .count(),
            1
        );
        assert!(codes.contains(&(CodeKind::Zone, "94028".into())));
        assert!(codes.contains(&(CodeKind::Frais, "gratuit".into())));
    }

    #[test]
    fn a_commune_is_in_its_departement_its_territory_and_france() {
        let p = Place {
            code_insee: "94028",
            siren: Some("219400280"),
            territory_siren: "200058006",
        };
        assert_eq!(
            p.zone_codes(),
            vec!["200058006", "219400280", "94", "94028", "france"]
        );
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }
}
