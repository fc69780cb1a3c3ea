//! Organisations: legal forms, insertion kinds, and the command that creates or edits one,
//! parsed field by field from what a person typed.

use crate::ParseError;
use crate::identifiers::{CodeInsee, Rna, Siret};

mod kinds;
pub use kinds::{InsertionKind, LegalForm};
use std::collections::BTreeMap;
use time::Date;

/// Errors of a form, by field name; the messages are French.
pub type FieldErrors = BTreeMap<&'static str, String>;

/// What a person typed in the organisation form.
#[derive(Debug, Clone, Default)]
pub struct OrganisationInput {
    /// Name.
    pub name: String,
    /// SIRET, may be empty.
    pub siret: String,
    /// RNA, may be empty.
    pub rna: String,
    /// Legal form code.
    pub legal_form: String,
    /// Insertion kind code, may be empty.
    pub insertion_kind: String,
    /// ESUS approval date `YYYY-MM-DD`, may be empty.
    pub esus_approved_on: String,
    /// Address.
    pub address: String,
    /// INSEE code of the commune, may be empty.
    pub commune_code: String,
}

/// A valid organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Name.
    pub name: String,
    /// SIRET.
    pub siret: Option<Siret>,
    /// RNA.
    pub rna: Option<Rna>,
    /// Legal form.
    pub legal_form: LegalForm,
    /// Insertion kind, for [`LegalForm::Insertion`].
    pub insertion_kind: Option<InsertionKind>,
    /// ESUS approval date, for [`LegalForm::EntrepriseEsus`].
    pub esus_approved_on: Option<Date>,
    /// Address.
    pub address: String,
    /// Commune of the address.
    pub commune_code: Option<CodeInsee>,
}

/// Years an ESUS approval lasts (art. L3332-17-1 code du travail).
pub const ESUS_YEARS: i32 = 5;

fn optional<T>(
    raw: &str,
    parse: impl Fn(&str) -> Result<T, ParseError>,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    match parse(raw) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.insert(field, e.message);
            None
        }
    }
}

impl Organisation {
    /// Parses the form, `today` bounding the ESUS date. Every field is checked, so the
    /// person sees all the problems at once.
    pub fn parse(input: &OrganisationInput, today: Date) -> Result<Organisation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            errors.insert("name", "Le nom de l'organisation est obligatoire.".into());
        } else if name.chars().count() > 200 {
            errors.insert("name", "Le nom ne peut pas dépasser 200 caractères.".into());
        }
        let siret = optional(&input.siret, Siret::parse, "siret", &mut errors);
        let rna = optional(&input.rna, Rna::parse, "rna", &mut errors);
        let legal_form = LegalForm::from_code(&input.legal_form);
        if legal_form.is_none() {
            errors.insert("legal_form", "Choisissez la forme juridique.".into());
        }
        let insertion_kind = InsertionKind::from_code(&input.insertion_kind);
        let commune_code = optional(
            &input.commune_code,
            CodeInsee::parse,
            "commune_code",
            &mut errors,
        );
        let mut esus_approved_on = None;
        match legal_form {
            Some(LegalForm::Association)
                if siret.is_none()
                    && rna.is_none()
                    && !errors.contains_key("siret")
                    && !errors.contains_key("rna") =>
            {
                errors.insert(
                    "rna",
                    "Une association est identifiée par son numéro RNA ou son SIRET : indiquez au moins l'un des deux.".into(),
                );
            }
            Some(LegalForm::Insertion) if insertion_kind.is_none() => {
                errors.insert(
                    "insertion_kind",
                    "Précisez le type de structure (EI, AI, ACI, ETTI, EITI, GEIQ, EA ou ESAT)."
                        .into(),
                );
            }
            Some(LegalForm::EntrepriseEsus) => {
                let raw = input.esus_approved_on.trim();
                match Date::parse(
                    raw,
                    time::macros::format_description!("[year]-[month]-[day]"),
                ) {
                    Ok(d) if d > today => {
                        errors.insert(
                            "esus_approved_on",
                            "La date d'agrément ESUS ne peut pas être dans le futur.".into(),
                        );
                    }
                    Ok(d) => esus_approved_on = Some(d),
                    Err(_) if raw.is_empty() => {
                        errors.insert(
                            "esus_approved_on",
                            "Indiquez la date de l'agrément ESUS délivré par la DREETS.".into(),
                        );
                    }
                    Err(_) => {
                        errors.insert(
                            "esus_approved_on",
                            "La date doit s'écrire AAAA-MM-JJ, par exemple 2024-03-15.".into(),
                        );
                    }
                }
            }
            _ => {}
        }
        if let Some(form) = legal_form {
            let needs_siret = !matches!(form, LegalForm::Association | LegalForm::Public);
            if needs_siret && siret.is_none() && !errors.contains_key("siret") {
                errors.insert(
                    "siret",
                    "Le SIRET est obligatoire pour cette forme juridique.".into(),
                );
            }
        }
        let address = input.address.trim().to_owned();
        if address.chars().count() > 300 {
            errors.insert(
                "address",
                "L'adresse ne peut pas dépasser 300 caractères.".into(),
            );
        }
        match legal_form {
            Some(legal_form) if errors.is_empty() => Ok(Organisation {
                name,
                siret,
                rna,
                legal_form,
                insertion_kind: if legal_form == LegalForm::Insertion {
                    insertion_kind
                } else {
                    None
                },
                esus_approved_on,
                address,
                commune_code,
            }),
            _ => Err(errors),
        }
    }
}

/// When an ESUS approval granted on `approved_on` ends.
pub fn esus_expiry(approved_on: Date) -> Date {
    let year = approved_on.year() + ESUS_YEARS;
    approved_on
        .replace_year(year)
        // 29 February of a leap year ends on 28 February.
        .or_else(|_| {
            approved_on
                .replace_day(28)
                .and_then(|d| d.replace_year(year))
        })
        .unwrap_or(approved_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input(form: &str) -> OrganisationInput {
        OrganisationInput {
            name: "Les Jardins de Créteil".into(),
            legal_form: form.into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_association_needs_an_rna_or_a_siret() {
        let today = date!(2026 - 11 - 26);
        let e = Organisation::parse(&input("association"), today).unwrap_err();
        assert!(e["rna"].contains("au moins l'un des deux"));
        let ok = Organisation::parse(
            &OrganisationInput {
                rna: "W941234567".into(),
                ..input("association")
            },
            today,
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn every_field_error_is_reported_at_once() {
        let today = date!(2026 - 11 - 26);
        let e = Organisation::parse(
            &OrganisationInput {
                name: " ".into(),
                siret: "123".into(),
                legal_form: "entreprise_esus".into(),
                esus_approved_on: "2030-01-01".into(),
                commune_code: "9402".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        assert_eq!(
            e.keys().copied().collect::<Vec<_>>(),
            vec!["commune_code", "esus_approved_on", "name", "siret"]
        );
    }

    #[test]
    fn insertion_structures_say_their_kind_and_esus_lasts_five_years() {
        let today = date!(2026 - 11 - 26);
        let e = Organisation::parse(
            &OrganisationInput {
                siret: "73282932000074".into(),
                ..input("insertion")
            },
            today,
        )
        .unwrap_err();
        assert!(e.contains_key("insertion_kind"));
        let ok = Organisation::parse(
            &OrganisationInput {
                siret: "73282932000074".into(),
                insertion_kind: "aci".into(),
                ..input("insertion")
            },
            today,
        )
        .unwrap();
        assert_eq!(ok.insertion_kind, Some(InsertionKind::Aci));
        assert!(InsertionKind::Aci.is_siae() && !InsertionKind::Esat.is_siae());
        assert_eq!(esus_expiry(date!(2024 - 02 - 29)), date!(2029 - 02 - 28));
        assert_eq!(esus_expiry(date!(2024 - 03 - 15)), date!(2029 - 03 - 15));
    }
}
