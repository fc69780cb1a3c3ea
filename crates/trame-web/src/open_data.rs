//! Open data of a territory: the SCDL *subventions* 2.1.1 file of its awards, served at
//! `/{territoire}/donnees/subventions.csv` and written by `trame export scdl`.

use std::collections::HashMap;
use trame_docs::scdl::{ScdlRow, scdl_csv};
use trame_store::territories::Territory;
use trame_store::{Store, StoreError};

/// Why the file cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OpenDataError {
    /// The territory has not said which body awards its grants.
    #[error(
        "le SIRET de l'organisme attributaire n'est pas renseigné dans les paramètres du territoire"
    )]
    NoAwardingSiret,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The writer failed.
    #[error("{0}")]
    Docs(String),
}

/// The SCDL file of the territory's awards (of one year of decision if given).
pub async fn scdl_file(
    store: &Store,
    territory: &Territory,
    year: Option<i32>,
) -> Result<Vec<u8>, OpenDataError> {
    let siret = territory
        .awarding_siret
        .clone()
        .filter(|s| !s.is_empty())
        .ok_or(OpenDataError::NoAwardingSiret)?;
    let scope = territory.scope();
    let schemes: HashMap<i64, String> = store
        .schemes(scope)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut awards = store.awards(scope, year).await?;
    awards.sort_by(|a, b| {
        (a.row.decided_on, &a.row.reference).cmp(&(b.row.decided_on, &b.row.reference))
    });
    let rows: Vec<ScdlRow> = awards
        .iter()
        .map(|a| ScdlRow {
            nom_attribuant: territory.name.clone(),
            id_attribuant: siret.clone(),
            date_convention: a.row.convention_signed_on.unwrap_or(a.row.decided_on),
            reference_decision: a.row.deliberation_ref.clone(),
            nom_beneficiaire: a.beneficiary.clone(),
            id_beneficiaire: a.siret.clone(),
            rna_beneficiaire: a.rna.clone(),
            objet: a.row.title.clone(),
            montant: a.amount(),
            conditions_versement: a.schedule().describe(),
            periode_versement: a
                .paid_between
                .map_or((a.row.decided_on, None), |(from, to)| (from, Some(to))),
            pourcentage: (a.row.budget_cents > 0).then(|| {
                #[allow(clippy::cast_precision_loss)]
                let share = a.row.amount_cents as f64 / a.row.budget_cents as f64;
                share
            }),
            dispositif_aide: schemes.get(&a.row.scheme_id).cloned().unwrap_or_default(),
        })
        .collect();
    scdl_csv(&rows).map_err(|e| OpenDataError::Docs(e.to_string()))
}
