//! The participant data European funds (FSE+) require of each person accompanied:
//! collected with the person's consent, at entry, at exit and six months after.
//! Sensitive questions (disability, homelessness) may be left unanswered.

use super::vocab::{Answer, Education, EntryStatus, ExitStatus, SEXES};
use crate::interest::{date, text};
use crate::organisation::FieldErrors;
use time::Date;

/// What is recorded at entry, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct EntryInput {
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
    /// Day of entry into the programme.
    #[serde(default)]
    pub entered_on: String,
    /// Code of [`EntryStatus`].
    #[serde(default)]
    pub status: String,
    /// Code of [`Education`].
    #[serde(default)]
    pub education: String,
    /// Code of [`Answer`]: disability.
    #[serde(default)]
    pub disability: String,
    /// Code of [`Answer`]: homeless or excluded from housing.
    #[serde(default)]
    pub homeless: String,
    /// `oui` when the person consents to the processing for the funder's reporting.
    #[serde(default)]
    pub consent: String,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// `F` or `M`.
    pub sex: &'static str,
    /// Year of birth.
    pub birth_year: i32,
    /// Day of entry.
    pub entered_on: Date,
    /// Situation at entry.
    pub status: EntryStatus,
    /// Education.
    pub education: Education,
    /// Disability.
    pub disability: Answer,
    /// Homelessness.
    pub homeless: Answer,
}

fn choice<T: Copy>(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    from: fn(&str) -> Option<T>,
    message: &str,
) -> Option<T> {
    let v = from(raw.trim());
    if v.is_none() {
        errors.insert(field, message.into());
    }
    v
}

impl Entry {
    /// Checks the entry, recorded on `today`.
    pub fn parse(input: &EntryInput, today: Date) -> Result<Entry, FieldErrors> {
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
        let sex = SEXES
            .iter()
            .map(|(c, _)| *c)
            .find(|c| *c == input.sex.trim());
        if sex.is_none() {
            errors.insert("sex", "Choisissez le sexe.".into());
        }
        let year = today.year();
        let birth_year = match input.birth_year.trim().parse::<i32>() {
            Ok(y) if (year - 100..=year - 15).contains(&y) => Some(y),
            _ => {
                errors.insert(
                    "birth_year",
                    format!(
                        "Indiquez l'année de naissance, de {} à {}.",
                        year - 100,
                        year - 15
                    ),
                );
                None
            }
        };
        let entered_on = date(
            &mut errors,
            "entered_on",
            &input.entered_on,
            "la date d'entrée",
            true,
        );
        if entered_on.is_some_and(|d| d > today) {
            errors.insert("entered_on", "La date d'entrée est à venir.".into());
        }
        let status = choice(
            &mut errors,
            "status",
            &input.status,
            EntryStatus::from_code,
            "Choisissez la situation à l'entrée.",
        );
        let education = choice(
            &mut errors,
            "education",
            &input.education,
            Education::from_code,
            "Choisissez le niveau de diplôme.",
        );
        let disability = choice(
            &mut errors,
            "disability",
            &input.disability,
            Answer::from_code,
            "Choisissez une réponse, « ne souhaite pas répondre » compris.",
        );
        let homeless = choice(
            &mut errors,
            "homeless",
            &input.homeless,
            Answer::from_code,
            "Choisissez une réponse, « ne souhaite pas répondre » compris.",
        );
        if input.consent.trim() != "oui" {
            errors.insert(
                "consent",
                "Sans l'accord de la personne, ces données ne sont pas enregistrées.".into(),
            );
        }
        match (
            sex, birth_year, entered_on, status, education, disability, homeless,
        ) {
            (
                Some(sex),
                Some(birth_year),
                Some(entered_on),
                Some(status),
                Some(education),
                Some(disability),
                Some(homeless),
            ) if errors.is_empty() => Ok(Entry {
                first_name,
                last_name,
                sex,
                birth_year,
                entered_on,
                status,
                education,
                disability,
                homeless,
            }),
            _ => Err(errors),
        }
    }
}

/// A situation at exit or six months after, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ResultInput {
    /// `sortie` or `6_mois`.
    #[serde(default)]
    pub moment: String,
    /// Day observed.
    #[serde(default)]
    pub observed_on: String,
    /// Code of [`ExitStatus`].
    #[serde(default)]
    pub status: String,
}

/// When a result is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultMoment {
    /// On leaving the programme.
    Exit,
    /// Six months after leaving.
    SixMonths,
}

/// A checked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultEntry {
    /// When.
    pub moment: ResultMoment,
    /// Day.
    pub observed_on: Date,
    /// Situation.
    pub status: ExitStatus,
}

impl ResultEntry {
    /// Checks a result for a participant who entered on `entered_on` and left on
    /// `exited_on` (for the six-month result), recorded on `today`.
    pub fn parse(
        input: &ResultInput,
        entered_on: Date,
        exited_on: Option<Date>,
        today: Date,
    ) -> Result<ResultEntry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let moment = match input.moment.trim() {
            "sortie" => Some(ResultMoment::Exit),
            "6_mois" => Some(ResultMoment::SixMonths),
            _ => {
                errors.insert(
                    "moment",
                    "Choisissez : à la sortie ou six mois après.".into(),
                );
                None
            }
        };
        let observed_on = date(
            &mut errors,
            "observed_on",
            &input.observed_on,
            "la date",
            true,
        );
        if let (Some(m), Some(d)) = (moment, observed_on) {
            if d > today {
                errors.insert("observed_on", "La date est à venir.".into());
            } else {
                match m {
                    ResultMoment::Exit if d < entered_on => {
                        errors.insert("observed_on", "La sortie ne peut précéder l'entrée.".into());
                    }
                    ResultMoment::SixMonths => match exited_on {
                        None => {
                            errors
                                .insert("moment", "Notez d'abord la situation à la sortie.".into());
                        }
                        Some(exit) => {
                            let first = crate::clauses::contract::end_of(exit, 5);
                            if d < first {
                                errors.insert(
                                    "observed_on",
                                    format!(
                                        "La situation à six mois se note à partir du {}.",
                                        crate::format::french_date(first)
                                    ),
                                );
                            }
                        }
                    },
                    ResultMoment::Exit => {}
                }
            }
        }
        let status = choice(
            &mut errors,
            "status",
            &input.status,
            ExitStatus::from_code,
            "Choisissez la situation.",
        );
        match (moment, observed_on, status) {
            (Some(moment), Some(observed_on), Some(status)) if errors.is_empty() => {
                Ok(ResultEntry {
                    moment,
                    observed_on,
                    status,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 26);

    fn entry() -> EntryInput {
        EntryInput {
            first_name: "Nadia".into(),
            last_name: "Benali".into(),
            sex: "F".into(),
            birth_year: "1990".into(),
            entered_on: "2026-03-02".into(),
            status: "chomeur".into(),
            education: "cite_5_8".into(),
            disability: "ne_se_prononce_pas".into(),
            homeless: "non".into(),
            consent: "oui".into(),
        }
    }

    #[test]
    fn an_entry_needs_consent_and_accepts_a_declined_answer() {
        let e = Entry::parse(&entry(), TODAY).expect("valid");
        assert_eq!(e.disability, Answer::Declined);
        let bad = Entry::parse(
            &EntryInput {
                consent: String::new(),
                birth_year: "2020".into(),
                disability: String::new(),
                ..entry()
            },
            TODAY,
        )
        .expect_err("refused");
        assert!(bad.contains_key("consent"));
        assert!(bad.contains_key("birth_year"));
        assert!(bad.contains_key("disability"));
    }

    #[test]
    fn six_months_come_after_the_exit() {
        let entered = date!(2026 - 03 - 02);
        let exit = ResultInput {
            moment: "sortie".into(),
            observed_on: "2026-09-30".into(),
            status: "activite_creee".into(),
        };
        assert!(ResultEntry::parse(&exit, entered, None, TODAY).is_ok());
        let six = ResultInput {
            moment: "6_mois".into(),
            observed_on: "2026-11-26".into(),
            status: "activite_creee".into(),
        };
        assert!(
            ResultEntry::parse(&six, entered, None, TODAY)
                .expect_err("no exit")
                .contains_key("moment")
        );
        let e = ResultEntry::parse(&six, entered, Some(date!(2026 - 09 - 30)), TODAY)
            .expect_err("early");
        assert!(e["observed_on"].contains("à partir du"));
        assert!(ResultEntry::parse(&six, entered, Some(date!(2026 - 05 - 15)), TODAY).is_ok());
    }
}
