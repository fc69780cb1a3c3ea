//! The SCDL *subventions* 2.1.1 file: one row per award, the columns and formats of the
//! schema published on schema.data.gouv.fr (a copy is in `../shared/schemas`; the tests
//! validate the output with the `frictionless` validator).

use crate::DocsError;
use time::Date;
use trame_domain::money::Euros;

/// The schema's columns, in order.
pub const COLUMNS: [&str; 16] = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
];

/// One award as the open data shows it.
#[derive(Debug, Clone)]
pub struct ScdlRow {
    /// The awarding body's name.
    pub nom_attribuant: String,
    /// The awarding body's SIRET.
    pub id_attribuant: String,
    /// The convention's date, or the decision's without a convention.
    pub date_convention: Date,
    /// The deliberation's reference.
    pub reference_decision: String,
    /// The beneficiary's name.
    pub nom_beneficiaire: String,
    /// The beneficiary's SIRET, when it has one.
    pub id_beneficiaire: Option<String>,
    /// The beneficiary's RNA number, when it has one.
    pub rna_beneficiaire: Option<String>,
    /// What the award is for.
    pub objet: String,
    /// Amount awarded.
    pub montant: Euros,
    /// How it is paid, in words.
    pub conditions_versement: String,
    /// The payment period: first and last payment (or the decision's date alone).
    pub periode_versement: (Date, Option<Date>),
    /// Share of the project's budget, between 0 and 1 (`None` when the budget is unknown:
    /// written as 1, the whole of a budget that is the subsidy itself).
    pub pourcentage: Option<f64>,
    /// The scheme's name.
    pub dispositif_aide: String,
}

fn money(e: Euros) -> String {
    let c = e.cents();
    format!("{}.{:02}", c / 100, (c % 100).abs())
}

fn share(p: Option<f64>) -> String {
    let v = p.filter(|v| v.is_finite()).unwrap_or(1.0).clamp(0.01, 1.0);
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn cut(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The file: UTF-8, comma-separated, header row.
pub fn scdl_csv(rows: &[ScdlRow]) -> Result<Vec<u8>, DocsError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for r in rows {
        let (from, to) = r.periode_versement;
        let period = match to {
            Some(to) if to != from => format!("{from}/{to}"),
            _ => from.to_string(),
        };
        w.write_record([
            r.nom_attribuant.as_str(),
            r.id_attribuant.as_str(),
            &r.date_convention.to_string(),
            r.reference_decision.as_str(),
            r.nom_beneficiaire.as_str(),
            r.id_beneficiaire.as_deref().unwrap_or(""),
            r.rna_beneficiaire.as_deref().unwrap_or(""),
            &cut(&r.objet, 256),
            &money(r.montant),
            "aide en numéraire",
            &cut(&r.conditions_versement, 256),
            &period,
            "",
            "non",
            &share(r.pourcentage),
            r.dispositif_aide.as_str(),
        ])?;
    }
    w.into_inner().map_err(|e| DocsError::Io(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn amounts_shares_and_periods_take_the_schema_s_forms() {
        assert_eq!(money(Euros::from_cents(1_200_005)), "12000.05");
        assert_eq!(share(Some(0.4)), "0.4");
        assert_eq!(share(Some(0.0)), "0.01");
        assert_eq!(share(Some(3.0)), "1");
        assert_eq!(share(None), "1");
        let row = ScdlRow {
            nom_attribuant: "Grand Paris Sud Est Avenir".into(),
            id_attribuant: "20005800600012".into(),
            date_convention: date!(2024 - 11 - 20),
            reference_decision: "CT 2024-11-20 n° 7".into(),
            nom_beneficiaire: "La Cour Cyclette".into(),
            id_beneficiaire: None,
            rna_beneficiaire: Some("W941000001".into()),
            objet: "Atelier vélo, solidaire".into(),
            montant: Euros::from_cents(800_000),
            conditions_versement: "80 % à la signature".into(),
            periode_versement: (date!(2024 - 12 - 20), Some(date!(2025 - 12 - 20))),
            pourcentage: Some(0.25),
            dispositif_aide: "Appel à projets Initiatives d'ESS".into(),
        };
        let text = scdl_csv(&[row])
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.first().copied(), Some(COLUMNS.join(",").as_str()));
        assert_eq!(
            lines.get(1).copied(),
            Some(
                "Grand Paris Sud Est Avenir,20005800600012,2024-11-20,CT 2024-11-20 n° 7,La Cour Cyclette,,W941000001,\"Atelier vélo, solidaire\",8000.00,aide en numéraire,80 % à la signature,2024-12-20/2025-12-20,,non,0.25,Appel à projets Initiatives d'ESS"
            )
        );
    }
}
