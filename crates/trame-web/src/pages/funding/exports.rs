//! Exports for the staff, as CSV, XLSX or ODS (`…/export/{format}`): the submitted
//! dossiers (with the list's filters), the awards, the payments. Text cells are never read
//! as formulas (see `trame_docs::table`).

use super::instruction::ListQuery;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use trame_docs::table::{Cell, Format, Table, write};
use trame_domain::funding::dossier::State as DState;
use trame_domain::money::Euros;

pub(crate) fn format_of(raw: &str) -> Result<Format, AppError> {
    Format::from_extension(raw).ok_or(AppError::NotFound)
}

pub(crate) fn download(table: &Table, format: Format, stem: &str) -> Result<Response, AppError> {
    let bytes = write(table, format).map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"{stem}.{}\"", format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Empty, text)
}

/// `GET /{territoire}/instruction/export/{format}`: the dossiers the list shows, every page.
pub async fn dossiers(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, format)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let format = format_of(&format)?;
    let scope = ctx.territory.scope();
    let mut filter = query.filter();
    filter.per_page = 200;
    filter.page = 1;
    let mut rows = Vec::new();
    loop {
        let page = state.store.dossier_page(scope, &filter).await?;
        let n = page.lines.len();
        for l in page.lines {
            let r = l.row;
            rows.push(vec![
                text(&r.reference),
                text(&r.title),
                text(&l.organisation),
                text(DState::from_code(&r.state).map_or(r.state.as_str(), |s| s.label())),
                Cell::Money(Euros::from_cents(r.requested_cents)),
                r.submitted_at.map_or(Cell::Empty, |t| {
                    Cell::Date(trame_store::funding::awards::paris_day(t))
                }),
                text(r.labels.trim_matches('|').replace('|', ", ").as_str()),
            ]);
        }
        if n < 200 {
            break;
        }
        filter.page += 1;
    }
    let table = Table {
        name: "Dossiers".into(),
        headers: [
            "Référence",
            "Projet",
            "Structure",
            "État",
            "Montant demandé",
            "Déposé le",
            "Étiquettes",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    };
    download(&table, format, &format!("dossiers-{}", ctx.territory.slug))
}

/// `GET /{territoire}/subventions/export/{format}`: every award.
pub async fn awards(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, format)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let format = format_of(&format)?;
    let awards = state.store.awards(ctx.territory.scope(), None).await?;
    let rows = awards
        .iter()
        .map(|a| {
            vec![
                text(&a.row.reference),
                text(&a.beneficiary),
                opt_text(a.siret.as_deref()),
                opt_text(a.rna.as_deref()),
                text(&a.row.title),
                Cell::Date(a.row.decided_on),
                text(&a.row.deliberation_ref),
                Cell::Money(a.amount()),
                Cell::Money(a.paid),
                Cell::Money(a.remaining()),
                text(&a.schedule().describe()),
                a.row.convention_signed_on.map_or(Cell::Empty, Cell::Date),
            ]
        })
        .collect();
    let table = Table {
        name: "Subventions".into(),
        headers: [
            "Référence",
            "Bénéficiaire",
            "SIRET",
            "RNA",
            "Objet",
            "Décision",
            "Délibération",
            "Montant",
            "Versé",
            "Reste à verser",
            "Échéancier",
            "Convention signée le",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    };
    download(
        &table,
        format,
        &format!("subventions-{}", ctx.territory.slug),
    )
}

/// `GET /{territoire}/versements/export/{format}`: every payment, with its award.
pub async fn payments(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, format)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let format = format_of(&format)?;
    let scope = ctx.territory.scope();
    let rows = state
        .store
        .all_payments(scope)
        .await?
        .into_iter()
        .map(|(p, a)| {
            vec![
                Cell::Date(p.paid_on),
                text(&a.row.reference),
                text(&a.beneficiary),
                Cell::Money(Euros::from_cents(p.amount_cents)),
                text(&p.mandate_ref),
            ]
        })
        .collect();
    let table = Table {
        name: "Versements".into(),
        headers: ["Date", "Subvention", "Bénéficiaire", "Montant", "Mandat"]
            .map(str::to_owned)
            .to_vec(),
        rows,
    };
    download(
        &table,
        format,
        &format!("versements-{}", ctx.territory.slug),
    )
}
