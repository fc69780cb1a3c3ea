//! A person who works clause hours: the minimum of personal data (names, sex and birth
//! year for the reports' counts, commune), the ground of eligibility with its proof, and
//! the organisation that referred them.

use super::vocab::Ground;
use crate::interest::text;
use crate::organisation::FieldErrors;

/// A person as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PersonInput {
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// `F` or `M`.
    #[serde(default)]
    pub sex: String,
    /// Year of birth.
    #[serde(default)]
    pub birth_year: String,
    /// INSEE code of the commune of residence (optional).
    #[serde(default)]
    pub commune_code: String,
    /// Code of [`Ground`].
    #[serde(default)]
    pub ground: String,
    /// The proof seen (« attestation France Travail du 3 mars 2026 »): its description,
    /// never the document.
    #[serde(default)]
    pub proof: String,
    /// The referring organisation's id, if any.
    #[serde(default)]
    pub referring_org: String,
}

/// A checked person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// `F` or `M`.
    pub sex: &'static str,
    /// Year of birth.
    pub birth_year: i32,
    /// Commune, if any (checked against the territory by the caller).
    pub commune_code: Option<String>,
    /// Ground.
    pub ground: Ground,
    /// Proof.
    pub proof: String,
    /// Referring organisation (checked by the caller).
    pub referring_org: Option<i64>,
}

impl Person {
    /// Checks the form; `year` is this year (people are 16 to 70).
    pub fn parse(input: &PersonInput, year: i32) -> Result<Person, FieldErrors> {
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
        let sex = super::vocab::SEXES
            .iter()
            .map(|(c, _)| *c)
            .find(|c| *c == input.sex.trim());
        if sex.is_none() {
            errors.insert("sex", "Choisissez femme ou homme.".into());
        }
        let birth_year = match input.birth_year.trim().parse::<i32>() {
            Ok(y) if (year - 70..=year - 16).contains(&y) => y,
            _ => {
                errors.insert(
                    "birth_year",
                    format!(
                        "Indiquez l'année de naissance, de {} à {}.",
                        year - 70,
                        year - 16
                    ),
                );
                0
            }
        };
        let ground = Ground::from_code(input.ground.trim());
        if ground.is_none() {
            errors.insert(
                "ground",
                "Choisissez le motif d'éligibilité parmi les publics des clauses.".into(),
            );
        }
        let proof = text(
            &mut errors,
            "proof",
            &input.proof,
            "le justificatif vu (par exemple « attestation France Travail du 3 mars 2026 »)",
            300,
            true,
        );
        let referring_org = match input.referring_org.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.insert(
                        "referring_org",
                        "Choisissez l'organisation prescriptrice.".into(),
                    );
                    None
                }
            },
        };
        match (sex, ground) {
            (Some(sex), Some(ground)) if errors.is_empty() => Ok(Person {
                first_name,
                last_name,
                sex,
                birth_year,
                commune_code: Some(input.commune_code.trim().to_owned()).filter(|c| !c.is_empty()),
                ground,
                proof,
                referring_org,
            }),
            _ => Err(errors),
        }
    }
}

/// The reference a company uses for a person, instead of their name: `P00042`.
pub fn reference(id: i64) -> String {
    format!("P{id:05}")
}

/// The id behind a reference (`P00042`, `p42`, `42`).
pub fn id_of_reference(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let digits = raw
        .strip_prefix('P')
        .or_else(|| raw.strip_prefix('p'))
        .unwrap_or(raw);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_and_their_faults() {
        let ok = PersonInput {
            first_name: "Awa".into(),
            last_name: "Diallo".into(),
            sex: "F".into(),
            birth_year: "1998".into(),
            ground: "rqth".into(),
            proof: "Notification MDPH du 2 février 2026".into(),
            ..Default::default()
        };
        let p = Person::parse(&ok, 2026).unwrap();
        assert_eq!(p.ground, Ground::Rqth);
        let e = Person::parse(
            &PersonInput {
                birth_year: "2015".into(),
                sex: "X".into(),
                referring_org: "abc".into(),
                ..Default::default()
            },
            2026,
        )
        .unwrap_err();
        for f in [
            "first_name",
            "last_name",
            "sex",
            "birth_year",
            "ground",
            "proof",
            "referring_org",
        ] {
            assert!(e.contains_key(f), "{f}");
        }
    }

    #[test]
    fn references() {
        assert_eq!(reference(42), "P00042");
        assert_eq!(id_of_reference("P00042"), Some(42));
        assert_eq!(id_of_reference(" p7 "), Some(7));
        assert_eq!(id_of_reference("P-1"), None);
        assert_eq!(id_of_reference("P0"), None);
    }
}
