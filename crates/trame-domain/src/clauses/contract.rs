//! A public contract (or lot) that carries an insertion clause: what it buys, for how
//! much, from when and for how long, where, from whom, and its target of hours.

use super::target::{Inputs, Target, trade};
use super::vocab::ClauseType;
use crate::format::parse_iso_date;
use crate::identifiers::Siret;
use crate::interest::text;
use crate::organisation::FieldErrors;
use time::{Date, Month};

/// A contract as typed in the form (or read from a DECP file).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ContractInput {
    /// The buyer's id among the territory's buyers.
    #[serde(default)]
    pub buyer: String,
    /// The operation it belongs to (« Rénovation du groupe scolaire Jules-Ferry »), free
    /// text, optional.
    #[serde(default)]
    pub operation: String,
    /// The contract's reference (its DECP `id`, or the buyer's number).
    #[serde(default)]
    pub reference: String,
    /// What it buys.
    #[serde(default)]
    pub object: String,
    /// Its main CPV code, `45000000-7`.
    #[serde(default)]
    pub cpv: String,
    /// Amount excluding tax, in euros.
    #[serde(default)]
    pub amount: String,
    /// Day it was notified, `YYYY-MM-DD`.
    #[serde(default)]
    pub notified_on: String,
    /// Duration in months.
    #[serde(default)]
    pub duration_months: String,
    /// INSEE code of the commune where it is carried out.
    #[serde(default)]
    pub commune_code: String,
    /// The awardee's SIRET.
    #[serde(default)]
    pub awardee_siret: String,
    /// The awardee's name.
    #[serde(default)]
    pub awardee_name: String,
    /// Code of [`ClauseType`].
    #[serde(default)]
    pub clause_type: String,
    /// `calcul` (the calculator) or `manuel` (hours set by hand, with a reason).
    #[serde(default)]
    pub target_mode: String,
    /// A trade code whose default labour share applies when `labour_share` is empty.
    #[serde(default)]
    pub trade: String,
    /// Labour share, percent.
    #[serde(default)]
    pub labour_share: String,
    /// Insertion rate, percent.
    #[serde(default)]
    pub rate: String,
    /// Loaded hourly cost, euros.
    #[serde(default)]
    pub hourly_cost: String,
    /// Hours set by hand.
    #[serde(default)]
    pub manual_hours: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// A checked contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// Operation, if any.
    pub operation: Option<String>,
    /// Reference.
    pub reference: String,
    /// Object.
    pub object: String,
    /// CPV code as written (`45000000-7` or `45000000`).
    pub cpv: String,
    /// Amount excluding tax.
    pub amount: crate::money::Euros,
    /// Notification day.
    pub notified_on: Date,
    /// Duration in months (1 to 120).
    pub duration_months: u16,
    /// Commune of execution, if any (checked against the territory by the caller).
    pub commune_code: Option<String>,
    /// Awardee.
    pub awardee_siret: Siret,
    /// Awardee's name.
    pub awardee_name: String,
    /// Clause type.
    pub clause_type: ClauseType,
    /// Target.
    pub target: Target,
}

/// The last day of a contract notified on `from` that lasts `months` months.
pub fn end_of(from: Date, months: u16) -> Date {
    let total = i32::from(from.month() as u8) - 1 + i32::from(months);
    let year = from.year() + total.div_euclid(12);
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1))
        .unwrap_or(Month::January);
    let day = from.day().min(month.length(year));
    Date::from_calendar_date(year, month, day)
        .ok()
        .and_then(Date::previous_day)
        .unwrap_or(from)
}

/// Whether `cpv` reads as a CPV code: eight digits, optionally a dash and a check digit.
pub fn cpv_valid(cpv: &str) -> bool {
    let (code, check) = cpv.split_once('-').unwrap_or((cpv, ""));
    code.len() == 8
        && code.chars().all(|c| c.is_ascii_digit())
        && (check.is_empty() || (check.len() == 1 && check.chars().all(|c| c.is_ascii_digit())))
}

impl Contract {
    /// Checks the form; each fault in French at its field. The target's fields are those
    /// of [`Inputs::parse`] (`amount`, `labour_share`, `rate`, `hourly_cost`) or
    /// `manual_hours` and `reason`.
    pub fn parse(input: &ContractInput) -> Result<Contract, FieldErrors> {
        let mut errors = FieldErrors::new();
        let operation = text(
            &mut errors,
            "operation",
            &input.operation,
            "l'opération",
            200,
            false,
        );
        let reference = text(
            &mut errors,
            "reference",
            &input.reference,
            "la référence du marché",
            60,
            true,
        );
        let object = text(
            &mut errors,
            "object",
            &input.object,
            "l'objet du marché",
            500,
            true,
        );
        let cpv = input.cpv.trim().to_owned();
        if !cpv_valid(&cpv) {
            errors.insert(
                "cpv",
                "Le code CPV s'écrit avec huit chiffres, suivis ou non d'un tiret et d'un chiffre de contrôle (par exemple 45454000-4).".into(),
            );
        }
        let notified_on = parse_iso_date(input.notified_on.trim());
        if notified_on.is_none() {
            errors.insert(
                "notified_on",
                "Indiquez la date de notification (AAAA-MM-JJ).".into(),
            );
        }
        let duration_months = match input.duration_months.trim().parse::<u16>() {
            Ok(d) if (1..=120).contains(&d) => Some(d),
            _ => {
                errors.insert(
                    "duration_months",
                    "La durée s'écrit en mois entiers, de 1 à 120.".into(),
                );
                None
            }
        };
        let commune_code = Some(input.commune_code.trim().to_owned()).filter(|c| !c.is_empty());
        let awardee_siret = match Siret::parse(&input.awardee_siret) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.insert("awardee_siret", e.message);
                None
            }
        };
        let awardee_name = text(
            &mut errors,
            "awardee_name",
            &input.awardee_name,
            "le nom du titulaire",
            200,
            true,
        );
        let clause_type = ClauseType::from_code(input.clause_type.trim());
        if clause_type.is_none() {
            errors.insert("clause_type", "Choisissez le type de clause.".into());
        }
        let target = if input.target_mode == "manuel" {
            if crate::money::Euros::parse(&input.amount).is_err() {
                errors.insert(
                    "amount",
                    "Indiquez le montant du marché hors taxes, en euros.".into(),
                );
            }
            Target::manual(&input.manual_hours, &input.reason).map_err(|e| {
                for (k, v) in e {
                    errors.insert(if k == "hours" { "manual_hours" } else { k }, v);
                }
            })
        } else {
            let share = if input.labour_share.trim().is_empty() {
                trade(input.trade.trim())
                    .map(|t| t.labour_share.to_string())
                    .unwrap_or_default()
            } else {
                input.labour_share.clone()
            };
            Inputs::parse(&input.amount, &share, &input.rate, &input.hourly_cost)
                .map(Target::Computed)
                .map_err(|e| errors.extend(e))
        };
        let amount = match &target {
            Ok(Target::Computed(i)) => Some(i.amount),
            _ => crate::money::Euros::parse(&input.amount)
                .ok()
                .filter(|a| a.cents() > 0),
        };
        match (
            notified_on,
            duration_months,
            awardee_siret,
            clause_type,
            target,
            amount,
        ) {
            (
                Some(notified_on),
                Some(duration_months),
                Some(awardee_siret),
                Some(clause_type),
                Ok(target),
                Some(amount),
            ) if errors.is_empty() => Ok(Contract {
                operation: Some(operation).filter(|o| !o.is_empty()),
                reference,
                object,
                cpv,
                amount,
                notified_on,
                duration_months,
                commune_code,
                awardee_siret,
                awardee_name,
                clause_type,
                target,
            }),
            _ => Err(errors),
        }
    }

    /// Its last day.
    pub fn ends_on(&self) -> Date {
        end_of(self.notified_on, self.duration_months)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> ContractInput {
        ContractInput {
            buyer: "1".into(),
            reference: "2026-GPSEA-014".into(),
            object: "Réhabilitation du gymnase".into(),
            cpv: "45454000-4".into(),
            amount: "1 000 000".into(),
            notified_on: "2026-03-15".into(),
            duration_months: "18".into(),
            awardee_siret: "73282932000074".into(),
            awardee_name: "Bâti Sud".into(),
            clause_type: "condition_execution".into(),
            labour_share: "50".into(),
            rate: "5".into(),
            hourly_cost: "30".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_contract_with_its_computed_target() {
        let c = Contract::parse(&input()).unwrap();
        assert_eq!(c.target.hours(), 833);
        assert_eq!(c.ends_on(), date!(2027 - 09 - 14));
        assert_eq!(c.clause_type, ClauseType::Execution);
    }

    #[test]
    fn the_trade_gives_the_labour_share() {
        let mut i = input();
        i.labour_share.clear();
        i.trade = "peinture".into();
        let c = Contract::parse(&i).unwrap();
        // 1,000,000 × 70 % × 5 % ÷ 30 = 1,166.7
        assert_eq!(c.target.hours(), 1167);
    }

    #[test]
    fn a_manual_target_needs_its_reason_at_its_field() {
        let mut i = input();
        i.target_mode = "manuel".into();
        i.manual_hours = "1200".into();
        let e = Contract::parse(&i).unwrap_err();
        assert!(e.contains_key("reason"), "{e:?}");
        i.reason = "Chantier à forte main-d'œuvre non qualifiée".into();
        assert_eq!(Contract::parse(&i).unwrap().target.hours(), 1200);
        i.manual_hours = "-3".into();
        assert!(
            Contract::parse(&i)
                .unwrap_err()
                .contains_key("manual_hours")
        );
    }

    #[test]
    fn every_bad_field_is_told() {
        let e = Contract::parse(&ContractInput {
            cpv: "4545".into(),
            notified_on: "15/03/2026".into(),
            duration_months: "0".into(),
            awardee_siret: "123".into(),
            ..Default::default()
        })
        .unwrap_err();
        for f in [
            "reference",
            "object",
            "cpv",
            "amount",
            "notified_on",
            "duration_months",
            "awardee_siret",
            "awardee_name",
            "clause_type",
            "labour_share",
            "rate",
            "hourly_cost",
        ] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
    }

    #[test]
    fn ends_of_months() {
        assert_eq!(end_of(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 27));
        assert_eq!(end_of(date!(2026 - 01 - 01), 12), date!(2026 - 12 - 31));
        assert_eq!(end_of(date!(2026 - 11 - 15), 2), date!(2027 - 01 - 14));
        assert!(cpv_valid("45000000"));
        assert!(!cpv_valid("4500000-7"));
        assert!(!cpv_valid("45000000-77"));
    }
}
