//! An application to a call for candidates, the jury's scoring grid and the decision.
//!
//! Eligibility: the person lives on the territory, or the activity is set up there.

use super::vocab::{ApplicantKind, Stage};
use crate::email::Email;
use crate::identifiers::Siret;
use crate::interest::text;
use crate::organisation::FieldErrors;

/// An application as typed in the public form.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ApplicationInput {
    /// Code of [`ApplicantKind`].
    #[serde(default)]
    pub kind: String,
    /// The person's first name (the carrier, or the structure's contact).
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Email, where the decision is sent.
    #[serde(default)]
    pub email: String,
    /// Phone, optional.
    #[serde(default)]
    pub phone: String,
    /// The structure's name (a structure), or the CAE hosting the person, optional.
    #[serde(default)]
    pub structure_name: String,
    /// The structure's SIRET, if it has one.
    #[serde(default)]
    pub siret: String,
    /// INSEE code of the commune the person lives in, among the territory's, or empty.
    #[serde(default)]
    pub commune_residence: String,
    /// INSEE code of the commune the activity is (to be) set up in, or empty.
    #[serde(default)]
    pub commune_activity: String,
    /// The project's name.
    #[serde(default)]
    pub project_name: String,
    /// What it is, for whom, why it belongs to the ESS.
    #[serde(default)]
    pub summary: String,
    /// Code of the [`Stage`] the project is at.
    #[serde(default)]
    pub stage: String,
    /// What support is expected, optional.
    #[serde(default)]
    pub needs: String,
    /// `oui` when the person accepts that the territory processes these data to study
    /// the application.
    #[serde(default)]
    pub consent: String,
}

/// A checked application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// Who applies.
    pub kind: ApplicantKind,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: Email,
    /// Phone (may be empty).
    pub phone: String,
    /// Structure name (may be empty for a person).
    pub structure_name: String,
    /// SIRET, if given.
    pub siret: Option<Siret>,
    /// Commune of residence, if on the territory.
    pub commune_residence: Option<String>,
    /// Commune of the activity, if on the territory.
    pub commune_activity: Option<String>,
    /// Project name.
    pub project_name: String,
    /// Summary.
    pub summary: String,
    /// Stage.
    pub stage: Stage,
    /// Needs (may be empty).
    pub needs: String,
}

impl Application {
    /// The commune the project counts for: where the activity is, else where the person
    /// lives.
    pub fn commune(&self) -> Option<&str> {
        self.commune_activity
            .as_deref()
            .or(self.commune_residence.as_deref())
    }

    /// Checks the form against the territory's communes; each fault in French at its
    /// field.
    pub fn parse(input: &ApplicationInput, communes: &[&str]) -> Result<Application, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = ApplicantKind::from_code(input.kind.trim());
        if kind.is_none() {
            errors.insert(
                "kind",
                "Dites si vous candidatez comme personne ou comme structure.".into(),
            );
        }
        let first_name = text(
            &mut errors,
            "first_name",
            &input.first_name,
            "votre prénom",
            80,
            true,
        );
        let last_name = text(
            &mut errors,
            "last_name",
            &input.last_name,
            "votre nom",
            80,
            true,
        );
        let email = match Email::parse(&input.email) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.insert("email", e.message);
                None
            }
        };
        let phone = text(
            &mut errors,
            "phone",
            &input.phone,
            "le téléphone",
            30,
            false,
        );
        let structure_name = text(
            &mut errors,
            "structure_name",
            &input.structure_name,
            "le nom de la structure",
            200,
            kind == Some(ApplicantKind::Structure),
        );
        let siret = match input.siret.trim() {
            "" => None,
            raw => match Siret::parse(raw) {
                Ok(s) => Some(s),
                Err(e) => {
                    errors.insert("siret", e.message);
                    None
                }
            },
        };
        let mut commune = |field: &'static str, raw: &str| -> Option<String> {
            let raw = raw.trim();
            if raw.is_empty() {
                None
            } else if communes.contains(&raw) {
                Some(raw.to_owned())
            } else {
                errors.insert(field, "Choisissez une commune dans la liste.".into());
                None
            }
        };
        let commune_residence = commune("commune_residence", &input.commune_residence);
        let commune_activity = commune("commune_activity", &input.commune_activity);
        if commune_residence.is_none()
            && commune_activity.is_none()
            && !errors.contains_key("commune_residence")
            && !errors.contains_key("commune_activity")
        {
            errors.insert(
                "commune_activity",
                "L'appel est ouvert aux personnes qui habitent le territoire ou qui y implantent \
                 leur activité : choisissez une commune du territoire pour l'une ou l'autre."
                    .into(),
            );
        }
        let project_name = text(
            &mut errors,
            "project_name",
            &input.project_name,
            "le nom du projet",
            200,
            true,
        );
        let summary = text(
            &mut errors,
            "summary",
            &input.summary,
            "la présentation du projet",
            3_000,
            true,
        );
        let stage = Stage::from_code(input.stage.trim());
        if stage.is_none() {
            errors.insert("stage", "Dites où en est le projet.".into());
        }
        let needs = text(
            &mut errors,
            "needs",
            &input.needs,
            "vos attentes",
            1_500,
            false,
        );
        if input.consent.trim() != "oui" {
            errors.insert(
                "consent",
                "Pour étudier votre candidature, le territoire doit enregistrer ces données : \
                 cochez la case pour l'accepter."
                    .into(),
            );
        }
        match (kind, email, stage) {
            (Some(kind), Some(email), Some(stage)) if errors.is_empty() => Ok(Application {
                kind,
                first_name,
                last_name,
                email,
                phone,
                structure_name,
                siret,
                commune_residence,
                commune_activity,
                project_name,
                summary,
                stage,
                needs,
            }),
            _ => Err(errors),
        }
    }
}

/// The jury's grid: each criterion is marked from 0 to [`MAX_MARK`].
pub const CRITERIA: [(&str, &str); 4] = [
    ("motivation", "Motivation et capacité du porteur"),
    ("utilite", "Utilité sociale et fonctionnement d'ESS"),
    ("ancrage", "Ancrage sur le territoire"),
    ("faisabilite", "Faisabilité économique"),
];

/// The highest mark of a criterion.
pub const MAX_MARK: u8 = 5;

/// A jury member's marks as typed: one per criterion, by code, and a comment.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ScoreInput {
    /// Mark of `motivation`.
    #[serde(default)]
    pub motivation: String,
    /// Mark of `utilite`.
    #[serde(default)]
    pub utilite: String,
    /// Mark of `ancrage`.
    #[serde(default)]
    pub ancrage: String,
    /// Mark of `faisabilite`.
    #[serde(default)]
    pub faisabilite: String,
    /// Comment, optional.
    #[serde(default)]
    pub comment: String,
}

/// A checked score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Marks in the order of [`CRITERIA`].
    pub marks: [u8; 4],
    /// Comment.
    pub comment: String,
}

impl Score {
    /// The total, out of 20.
    pub fn total(&self) -> u8 {
        self.marks.iter().sum()
    }

    /// Checks the marks; each fault in French at its criterion.
    pub fn parse(input: &ScoreInput) -> Result<Score, FieldErrors> {
        let mut errors = FieldErrors::new();
        let raw = [
            &input.motivation,
            &input.utilite,
            &input.ancrage,
            &input.faisabilite,
        ];
        let mut marks = [0u8; 4];
        for ((mark, raw), (code, label)) in marks.iter_mut().zip(raw).zip(CRITERIA) {
            match raw.trim().parse::<u8>() {
                Ok(m) if m <= MAX_MARK => *mark = m,
                _ => {
                    errors.insert(
                        code,
                        format!("« {label} » : une note entière de 0 à {MAX_MARK}."),
                    );
                }
            }
        }
        let comment = text(
            &mut errors,
            "comment",
            &input.comment,
            "le commentaire",
            2_000,
            false,
        );
        if errors.is_empty() {
            Ok(Score { marks, comment })
        } else {
            Err(errors)
        }
    }
}

/// A decision as typed: `retenue` or `non_retenue`, and a message to the applicant.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct DecisionInput {
    /// `retenue` or `non_retenue`.
    #[serde(default)]
    pub decision: String,
    /// The reason (required when not selected), sent to the applicant.
    #[serde(default)]
    pub reason: String,
}

/// A checked decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Whether the application is selected.
    pub selected: bool,
    /// The message sent to the applicant (may be empty when selected).
    pub reason: String,
}

impl Decision {
    /// Checks the decision.
    pub fn parse(input: &DecisionInput) -> Result<Decision, FieldErrors> {
        let mut errors = FieldErrors::new();
        let selected = match input.decision.trim() {
            "retenue" => Some(true),
            "non_retenue" => Some(false),
            _ => {
                errors.insert(
                    "decision",
                    "Choisissez « retenue » ou « non retenue ».".into(),
                );
                None
            }
        };
        let reason = text(
            &mut errors,
            "reason",
            &input.reason,
            "le motif",
            2_000,
            false,
        );
        if selected == Some(false) && reason.chars().count() < 10 {
            errors.insert(
                "reason",
                "Expliquez au candidat pourquoi sa candidature n'est pas retenue (10 caractères au moins)."
                    .into(),
            );
        }
        match selected {
            Some(selected) if errors.is_empty() => Ok(Decision { selected, reason }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMUNES: [&str; 2] = ["94028", "94002"];

    fn input() -> ApplicationInput {
        ApplicationInput {
            kind: "personne".into(),
            first_name: "Nadia".into(),
            last_name: "Benali".into(),
            email: "nadia@example.org".into(),
            commune_residence: "94028".into(),
            project_name: "Jeux coopératifs".into(),
            summary: "Des jeux de société coopératifs pour les écoles.".into(),
            stage: "idee".into(),
            consent: "oui".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_resident_or_an_activity_on_the_territory_is_eligible() {
        let a = Application::parse(&input(), &COMMUNES).expect("resident");
        assert_eq!(a.commune(), Some("94028"));
        let a = Application::parse(
            &ApplicationInput {
                commune_residence: String::new(),
                commune_activity: "94002".into(),
                ..input()
            },
            &COMMUNES,
        )
        .expect("activity");
        assert_eq!(a.commune(), Some("94002"));
        let e = Application::parse(
            &ApplicationInput {
                commune_residence: String::new(),
                ..input()
            },
            &COMMUNES,
        )
        .expect_err("neither");
        assert!(e["commune_activity"].contains("habitent le territoire"));
        let e = Application::parse(
            &ApplicationInput {
                commune_residence: "75056".into(),
                ..input()
            },
            &COMMUNES,
        )
        .expect_err("outside");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e.contains_key("commune_residence"));
    }

    #[test]
    fn consent_and_a_structure_name_are_required() {
        let e = Application::parse(
            &ApplicationInput {
                kind: "structure".into(),
                consent: String::new(),
                siret: "12345678901234".into(),
                ..input()
            },
            &COMMUNES,
        )
        .expect_err("refused");
        assert!(e.contains_key("consent"));
        assert!(e.contains_key("structure_name"));
        assert!(e.contains_key("siret"));
    }

    #[test]
    fn marks_are_whole_and_within_the_grid() {
        let ok = ScoreInput {
            motivation: "5".into(),
            utilite: "4".into(),
            ancrage: "3".into(),
            faisabilite: "0".into(),
            comment: String::new(),
        };
        assert_eq!(Score::parse(&ok).map(|s| s.total()), Ok(12));
        let bad = Score::parse(&ScoreInput {
            motivation: "6".into(),
            utilite: "-1".into(),
            ancrage: "2,5".into(),
            faisabilite: String::new(),
            ..ok
        })
        .expect_err("refused");
        assert_eq!(bad.len(), 4);
    }

    #[test]
    fn a_refusal_says_why() {
        assert!(
            Decision::parse(&DecisionInput {
                decision: "retenue".into(),
                reason: String::new()
            })
            .is_ok()
        );
        let e = Decision::parse(&DecisionInput {
            decision: "non_retenue".into(),
            reason: "non".into(),
        })
        .expect_err("too short");
        assert!(e.contains_key("reason"));
    }
}
