//! Employment forums: a day, a place, a theme and a capacity; employers exhibit with their
//! job offers; job seekers register online or through a counsellor, never beyond the
//! capacity (the store takes a place by a conditional update); check-in on the day;
//! interviews and hires recorded afterwards, each traced back to the forum.

use crate::format::french_date;
use crate::identifiers::Siret;
use crate::interest::{date, text};
use crate::organisation::FieldErrors;
use time::Date;

/// The largest capacity a forum may announce.
pub const MAX_CAPACITY: i32 = 10_000;

/// A forum as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ForumInput {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Day.
    #[serde(default)]
    pub held_on: String,
    /// Place (address or hall).
    #[serde(default)]
    pub place: String,
    /// Commune (INSEE code).
    #[serde(default)]
    pub commune: String,
    /// Theme (« Métiers du soin », « Clauses d'insertion du BTP »…).
    #[serde(default)]
    pub theme: String,
    /// Places for job seekers.
    #[serde(default)]
    pub capacity: String,
}

/// A checked forum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forum {
    /// Title.
    pub title: String,
    /// Day.
    pub held_on: Date,
    /// Place.
    pub place: String,
    /// Commune.
    pub commune: String,
    /// Theme.
    pub theme: String,
    /// Places.
    pub capacity: i32,
}

impl Forum {
    /// Checks a forum of a territory of `communes`, created on `today` (a forum is
    /// announced ahead: not in the past).
    pub fn parse(input: &ForumInput, communes: &[&str], today: Date) -> Result<Forum, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = text(&mut errors, "title", &input.title, "le titre", 200, true);
        let place = text(&mut errors, "place", &input.place, "le lieu", 300, true);
        let theme = text(&mut errors, "theme", &input.theme, "le thème", 200, true);
        let held_on = date(
            &mut errors,
            "held_on",
            &input.held_on,
            "la date du forum",
            true,
        );
        if held_on.is_some_and(|d| d < today) {
            errors.insert(
                "held_on",
                "Un forum s'annonce à l'avance : la date est passée.".into(),
            );
        }
        let commune = input.commune.trim().to_owned();
        if !communes.contains(&commune.as_str()) {
            errors.insert("commune", "Choisissez une commune du territoire.".into());
        }
        let capacity = match input.capacity.trim().parse::<i32>() {
            Ok(c) if (1..=MAX_CAPACITY).contains(&c) => Some(c),
            _ => {
                errors.insert(
                    "capacity",
                    format!("Indiquez le nombre de places, de 1 à {MAX_CAPACITY}."),
                );
                None
            }
        };
        match (held_on, capacity) {
            (Some(held_on), Some(capacity)) if errors.is_empty() => Ok(Forum {
                title,
                held_on,
                place,
                commune,
                theme,
                capacity,
            }),
            _ => Err(errors),
        }
    }
}

/// An exhibiting employer as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct EmployerInput {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// SIRET.
    #[serde(default)]
    pub siret: String,
}

/// A checked employer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employer {
    /// Name.
    pub name: String,
    /// SIRET.
    pub siret: Siret,
}

impl Employer {
    /// Checks an employer.
    pub fn parse(input: &EmployerInput) -> Result<Employer, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = text(
            &mut errors,
            "name",
            &input.name,
            "le nom de l'employeur",
            200,
            true,
        );
        let siret = match Siret::parse(&input.siret) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.insert("siret", e.message);
                None
            }
        };
        match siret {
            Some(siret) if errors.is_empty() => Ok(Employer { name, siret }),
            _ => Err(errors),
        }
    }
}

/// A job offer as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct OfferInput {
    /// Job title.
    #[serde(default)]
    pub title: String,
    /// Contract (CDI, CDD, intérim, alternance…).
    #[serde(default)]
    pub contract: String,
    /// Positions open.
    #[serde(default)]
    pub positions: String,
    /// The insertion-clause contract it comes from, if any (id).
    #[serde(default)]
    pub clause_contract: String,
}

/// A checked offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Job title.
    pub title: String,
    /// Contract.
    pub contract: String,
    /// Positions.
    pub positions: i32,
    /// The insertion-clause contract.
    pub clause_contract: Option<i64>,
}

impl Offer {
    /// Checks an offer.
    pub fn parse(input: &OfferInput) -> Result<Offer, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = text(
            &mut errors,
            "title",
            &input.title,
            "l'intitulé du poste",
            200,
            true,
        );
        let contract = text(
            &mut errors,
            "contract",
            &input.contract,
            "le type de contrat",
            100,
            true,
        );
        let positions = match input.positions.trim().parse::<i32>() {
            Ok(n) if (1..=500).contains(&n) => Some(n),
            _ => {
                errors.insert(
                    "positions",
                    "Indiquez le nombre de postes, de 1 à 500.".into(),
                );
                None
            }
        };
        let clause_contract = match input.clause_contract.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.insert(
                        "clause_contract",
                        "Choisissez un marché à clause d'insertion de la liste.".into(),
                    );
                    None
                }
            },
        };
        match positions {
            Some(positions) if errors.is_empty() => Ok(Offer {
                title,
                contract,
                positions,
                clause_contract,
            }),
            _ => Err(errors),
        }
    }
}

/// A job seeker's registration as typed (online or by a counsellor).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct RegistrationInput {
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Email, for the confirmation.
    #[serde(default)]
    pub email: String,
    /// Phone (optional).
    #[serde(default)]
    pub phone: String,
    /// Commune of residence (INSEE code; empty: outside the territory).
    #[serde(default)]
    pub commune: String,
    /// `oui` when the person agrees that the forum's organisers keep these data for a
    /// year after the forum (for the interviews and hires that come of it).
    #[serde(default)]
    pub consent: String,
}

/// A checked registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email (lower case).
    pub email: crate::email::Email,
    /// Phone.
    pub phone: String,
    /// Commune of residence, when in the territory.
    pub commune: Option<String>,
}

impl Registration {
    /// Checks a registration from a territory of `communes`.
    pub fn parse(
        input: &RegistrationInput,
        communes: &[&str],
    ) -> Result<Registration, FieldErrors> {
        let mut errors = FieldErrors::new();
        let first_name = text(
            &mut errors,
            "first_name",
            &input.first_name,
            "le prénom",
            80,
            true,
        );
        let last_name = text(
            &mut errors,
            "last_name",
            &input.last_name,
            "le nom",
            80,
            true,
        );
        let email = match crate::email::Email::parse(&input.email) {
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
        if !phone.is_empty()
            && !phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '+' | '-'))
        {
            errors.insert(
                "phone",
                "Le téléphone ne contient que des chiffres, espaces, points ou le signe +.".into(),
            );
        }
        let commune = match input.commune.trim() {
            "" => None,
            c if communes.contains(&c) => Some(c.to_owned()),
            _ => {
                errors.insert(
                    "commune",
                    "Choisissez la commune dans la liste, ou « hors du territoire ».".into(),
                );
                None
            }
        };
        if input.consent.trim() != "oui" {
            errors.insert(
                "consent",
                "Cochez la case pour accepter que les organisateurs gardent ces informations un an après le forum."
                    .into(),
            );
        }
        match email {
            Some(email) if errors.is_empty() => Ok(Registration {
                first_name,
                last_name,
                email,
                phone,
                commune,
            }),
            _ => Err(errors),
        }
    }
}

vocabulary! {
    /// What came of a meeting at a forum.
    ResultKind {
        /// A job interview.
        Interview = ("entretien", "Entretien d'embauche"),
        /// A hire.
        Hire = ("embauche", "Embauche"),
    }
}

/// A result as typed: which registered person, which employer, which offer, what.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ResultInput {
    /// The registration's id.
    #[serde(default)]
    pub registration: String,
    /// The employer's id.
    #[serde(default)]
    pub employer: String,
    /// The offer's id (optional).
    #[serde(default)]
    pub offer: String,
    /// A code of [`ResultKind`].
    #[serde(default)]
    pub kind: String,
}

/// A checked result (the ids are checked against the forum by the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForumResult {
    /// The registration.
    pub registration: i64,
    /// The employer.
    pub employer: i64,
    /// The offer.
    pub offer: Option<i64>,
    /// What.
    pub kind: ResultKind,
}

impl ForumResult {
    /// Checks a result.
    pub fn parse(input: &ResultInput) -> Result<ForumResult, FieldErrors> {
        let mut errors = FieldErrors::new();
        let id = |errors: &mut FieldErrors, field: &'static str, raw: &str, message: &str| {
            let v = raw.trim().parse::<i64>().ok();
            if v.is_none() {
                errors.insert(field, message.into());
            }
            v
        };
        let registration = id(
            &mut errors,
            "registration",
            &input.registration,
            "Choisissez la personne inscrite.",
        );
        let employer = id(
            &mut errors,
            "employer",
            &input.employer,
            "Choisissez l'employeur.",
        );
        let offer = match input.offer.trim() {
            "" => None,
            raw => id(
                &mut errors,
                "offer",
                raw,
                "Choisissez l'offre dans la liste.",
            ),
        };
        let kind = ResultKind::from_code(input.kind.trim());
        if kind.is_none() {
            errors.insert("kind", "Choisissez : entretien ou embauche.".into());
        }
        match (registration, employer, kind) {
            (Some(registration), Some(employer), Some(kind)) if errors.is_empty() => {
                Ok(ForumResult {
                    registration,
                    employer,
                    offer,
                    kind,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Checks that a registration to a forum held on `held_on` is taken on `today`: before
/// the day is over.
pub fn check_registration_open(held_on: Date, today: Date) -> Result<(), (&'static str, String)> {
    if today > held_on {
        Err((
            "forum",
            format!(
                "Le forum du {} est passé : les inscriptions sont closes.",
                french_date(held_on)
            ),
        ))
    } else {
        Ok(())
    }
}

/// The message when no place is left.
pub fn full(capacity: i32) -> String {
    format!("Le forum est complet : ses {capacity} places sont prises.")
}

/// Checks that a check-in, an interview or a hire is recorded on or after the forum's day.
pub fn check_on_or_after(held_on: Date, today: Date) -> Result<(), (&'static str, String)> {
    if today < held_on {
        Err((
            "forum",
            format!(
                "Le forum a lieu le {} : on ne l'enregistre pas avant.",
                french_date(held_on)
            ),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_registration_has_a_name_an_email_and_consent() {
        let ok = RegistrationInput {
            first_name: "Inès".into(),
            last_name: "Martin".into(),
            email: "Ines.Martin@exemple.fr".into(),
            phone: "06 12 34 56 78".into(),
            commune: "94028".into(),
            consent: "oui".into(),
        };
        let r = Registration::parse(&ok, &["94028"]).expect("valid");
        assert_eq!(r.email.as_str(), "ines.martin@exemple.fr");
        let e = Registration::parse(
            &RegistrationInput {
                email: "pas-une-adresse".into(),
                phone: "appelez-moi".into(),
                commune: "75056".into(),
                consent: String::new(),
                ..ok.clone()
            },
            &["94028"],
        )
        .expect_err("bad");
        for field in ["email", "phone", "commune", "consent"] {
            assert!(e.contains_key(field), "{field}");
        }
        let outside = RegistrationInput {
            commune: String::new(),
            ..ok
        };
        assert_eq!(
            Registration::parse(&outside, &["94028"]).map(|r| r.commune),
            Ok(None)
        );
    }

    #[test]
    fn a_result_names_the_person_the_employer_and_what() {
        let r = ForumResult::parse(&ResultInput {
            registration: "3".into(),
            employer: "4".into(),
            offer: String::new(),
            kind: "embauche".into(),
        })
        .expect("valid");
        assert_eq!(
            (r.registration, r.employer, r.offer, r.kind),
            (3, 4, None, ResultKind::Hire)
        );
        let e = ForumResult::parse(&ResultInput::default()).expect_err("empty");
        assert_eq!(e.len(), 3);
    }

    const TODAY: Date = date!(2026 - 11 - 26);

    fn forum() -> ForumInput {
        ForumInput {
            title: "Forum de l'emploi de Créteil".into(),
            held_on: "2027-02-11".into(),
            place: "Maison des syndicats, Créteil".into(),
            commune: "94028".into(),
            theme: "Métiers du soin et du service à la personne".into(),
            capacity: "50".into(),
        }
    }

    #[test]
    fn a_forum_is_announced_ahead_with_its_places() {
        assert_eq!(
            Forum::parse(&forum(), &["94028"], TODAY).map(|f| f.capacity),
            Ok(50)
        );
        let e = Forum::parse(
            &ForumInput {
                held_on: "2026-11-01".into(),
                capacity: "0".into(),
                commune: "75056".into(),
                title: String::new(),
                ..forum()
            },
            &["94028"],
            TODAY,
        )
        .expect_err("refused");
        for f in ["held_on", "capacity", "commune", "title"] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
    }

    #[test]
    fn employers_and_offers_are_checked() {
        assert!(
            Employer::parse(&EmployerInput {
                name: "Hôpital".into(),
                siret: "73282932000074".into()
            })
            .is_ok()
        );
        assert!(
            Employer::parse(&EmployerInput {
                name: "Hôpital".into(),
                siret: "123".into()
            })
            .expect_err("siret")
            .contains_key("siret")
        );
        let offer = OfferInput {
            title: "Aide-soignant".into(),
            contract: "CDI".into(),
            positions: "3".into(),
            clause_contract: String::new(),
        };
        assert_eq!(Offer::parse(&offer).map(|o| o.positions), Ok(3));
        assert!(
            Offer::parse(&OfferInput {
                positions: "0".into(),
                ..offer.clone()
            })
            .is_err()
        );
        assert!(
            Offer::parse(&OfferInput {
                clause_contract: "x".into(),
                ..offer
            })
            .expect_err("clause")
            .contains_key("clause_contract")
        );
    }

    #[test]
    fn registration_closes_after_the_day_and_records_come_after_it() {
        let day = date!(2027 - 02 - 11);
        assert!(check_registration_open(day, day).is_ok());
        assert!(check_registration_open(day, date!(2027 - 02 - 12)).is_err());
        assert!(check_on_or_after(day, TODAY).is_err());
        assert!(check_on_or_after(day, day).is_ok());
        assert!(full(50).contains("50 places"));
    }
}
