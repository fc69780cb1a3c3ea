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
