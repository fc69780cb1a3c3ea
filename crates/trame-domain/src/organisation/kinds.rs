//! The vocabularies of organisations: legal forms, and kinds of insertion and
//! sheltered-employment structures.

/// The legal form of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LegalForm {
    /// Association loi 1901.
    Association,
    /// Société coopérative et participative.
    Scop,
    /// Société coopérative d'intérêt collectif.
    Scic,
    /// Coopérative d'activité et d'emploi: hosts entrepreneurs who have no SIRET of their own.
    Cae,
    /// Mutuelle.
    Mutuelle,
    /// Fondation.
    Fondation,
    /// Company approved ESUS (entreprise solidaire d'utilité sociale).
    EntrepriseEsus,
    /// Insertion structure (SIAE) or sheltered employment (EA, ESAT) or GEIQ.
    Insertion,
    /// Commune or public body.
    Public,
    /// Any other company.
    Entreprise,
}

impl LegalForm {
    /// Every form, in the order forms list them.
    pub const ALL: [LegalForm; 10] = [
        LegalForm::Association,
        LegalForm::Scop,
        LegalForm::Scic,
        LegalForm::Cae,
        LegalForm::Mutuelle,
        LegalForm::Fondation,
        LegalForm::EntrepriseEsus,
        LegalForm::Insertion,
        LegalForm::Public,
        LegalForm::Entreprise,
    ];

    /// Stable code.
    pub const fn code(self) -> &'static str {
        match self {
            LegalForm::Association => "association",
            LegalForm::Scop => "scop",
            LegalForm::Scic => "scic",
            LegalForm::Cae => "cae",
            LegalForm::Mutuelle => "mutuelle",
            LegalForm::Fondation => "fondation",
            LegalForm::EntrepriseEsus => "entreprise_esus",
            LegalForm::Insertion => "insertion",
            LegalForm::Public => "public",
            LegalForm::Entreprise => "entreprise",
        }
    }

    /// French label.
    pub const fn label(self) -> &'static str {
        match self {
            LegalForm::Association => "Association",
            LegalForm::Scop => "SCOP (société coopérative et participative)",
            LegalForm::Scic => "SCIC (société coopérative d'intérêt collectif)",
            LegalForm::Cae => "CAE (coopérative d'activité et d'emploi)",
            LegalForm::Mutuelle => "Mutuelle",
            LegalForm::Fondation => "Fondation",
            LegalForm::EntrepriseEsus => "Entreprise agréée ESUS",
            LegalForm::Insertion => {
                "Structure d'insertion ou d'emploi adapté (SIAE, EA, ESAT, GEIQ)"
            }
            LegalForm::Public => "Commune ou organisme public",
            LegalForm::Entreprise => "Autre entreprise",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<LegalForm> {
        LegalForm::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Whether the form belongs to the social and solidarity economy (loi 2014-856, art. 1).
    pub const fn is_ess(self) -> bool {
        !matches!(self, LegalForm::Public | LegalForm::Entreprise)
    }
}

/// The kind of an insertion or sheltered-employment structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InsertionKind {
    /// Entreprise d'insertion.
    Ei,
    /// Association intermédiaire.
    Ai,
    /// Atelier et chantier d'insertion.
    Aci,
    /// Entreprise de travail temporaire d'insertion.
    Etti,
    /// Entreprise d'insertion par le travail indépendant.
    Eiti,
    /// Groupement d'employeurs pour l'insertion et la qualification.
    Geiq,
    /// Entreprise adaptée.
    Ea,
    /// Établissement et service d'accompagnement par le travail.
    Esat,
}

impl InsertionKind {
    /// Every kind.
    pub const ALL: [InsertionKind; 8] = [
        InsertionKind::Ei,
        InsertionKind::Ai,
        InsertionKind::Aci,
        InsertionKind::Etti,
        InsertionKind::Eiti,
        InsertionKind::Geiq,
        InsertionKind::Ea,
        InsertionKind::Esat,
    ];

    /// Stable code.
    pub const fn code(self) -> &'static str {
        match self {
            InsertionKind::Ei => "ei",
            InsertionKind::Ai => "ai",
            InsertionKind::Aci => "aci",
            InsertionKind::Etti => "etti",
            InsertionKind::Eiti => "eiti",
            InsertionKind::Geiq => "geiq",
            InsertionKind::Ea => "ea",
            InsertionKind::Esat => "esat",
        }
    }

    /// French label.
    pub const fn label(self) -> &'static str {
        match self {
            InsertionKind::Ei => "EI — entreprise d'insertion",
            InsertionKind::Ai => "AI — association intermédiaire",
            InsertionKind::Aci => "ACI — atelier et chantier d'insertion",
            InsertionKind::Etti => "ETTI — entreprise de travail temporaire d'insertion",
            InsertionKind::Eiti => "EITI — entreprise d'insertion par le travail indépendant",
            InsertionKind::Geiq => {
                "GEIQ — groupement d'employeurs pour l'insertion et la qualification"
            }
            InsertionKind::Ea => "EA — entreprise adaptée",
            InsertionKind::Esat => {
                "ESAT — établissement et service d'accompagnement par le travail"
            }
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<InsertionKind> {
        InsertionKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether it is a SIAE (approved ESUS automatically).
    pub const fn is_siae(self) -> bool {
        matches!(
            self,
            InsertionKind::Ei
                | InsertionKind::Ai
                | InsertionKind::Aci
                | InsertionKind::Etti
                | InsertionKind::Eiti
        )
    }
}
