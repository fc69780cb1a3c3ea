//! Hours from a timesheet file (CSV, XLSX or ODS): one line per contract, person, month
//! and way. Every line is checked and reported; one fault and nothing is written. The
//! facilitator imports for any contract, a company for its own only.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use trame_domain::clauses::hours::Line;
use trame_domain::clauses::person::id_of_reference;
use trame_domain::clauses::vocab::{Source, Way};
use trame_domain::format::parse_iso_date;
use trame_domain::upload::Format;
use trame_store::clauses::{ContractRow, Declared};

/// The columns of a timesheet, in order, with the names a header may give them.
const COLUMNS: [(&str, &[&str]); 5] = [
    (
        "marché",
        &[
            "marche",
            "marché",
            "reference marche",
            "référence marché",
            "reference du marche",
            "référence du marché",
        ],
    ),
    (
        "personne",
        &[
            "personne",
            "reference personne",
            "référence personne",
            "reference de la personne",
            "référence de la personne",
        ],
    ),
    ("mois", &["mois"]),
    (
        "modalité",
        &[
            "modalite",
            "modalité",
            "modalite de realisation",
            "modalité de réalisation",
        ],
    ),
    (
        "heures",
        &[
            "heures",
            "nombre d'heures",
            "heures travaillees",
            "heures travaillées",
        ],
    ),
];

/// One line of the report.
pub struct ReportLine {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    /// What it says, or why it is refused.
    pub messages: Vec<String>,
}

impl ReportLine {
    /// Whether the line is accepted.
    pub fn ok(&self) -> bool {
        self.messages.is_empty()
    }
}

#[derive(Template)]
#[template(path = "clauses/import.html")]
struct ImportPage {
    chrome: Chrome,
    action: String,
    back: String,
    errors: Errors,
    report: Vec<ReportLine>,
    refused: usize,
    imported: Option<String>,
    file_name: String,
}

/// The query after a successful import.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Imported {
    #[serde(default)]
    importe: Option<String>,
}

fn paths(ctx: &TerritoryCtx, company: bool) -> (String, String) {
    let slug = &ctx.territory.slug;
    if company {
        (
            format!("/{slug}/mes-marches/import"),
            format!("/{slug}/mes-marches"),
        )
    } else {
        (
            format!("/{slug}/clauses/import"),
            format!("/{slug}/clauses"),
        )
    }
}

fn page(ctx: &TerritoryCtx, chrome: Chrome, company: bool) -> ImportPage {
    let (action, back) = paths(ctx, company);
    ImportPage {
        chrome,
        action,
        back,
        errors: Errors::default(),
        report: Vec::new(),
        refused: 0,
        imported: None,
        file_name: String::new(),
    }
}

/// `GET /{territoire}/clauses/import` and `/{territoire}/mes-marches/import`.
async fn form(
    ctx: TerritoryCtx,
    chrome: Chrome,
    q: Imported,
    company: bool,
) -> Result<Response, AppError> {
    let mut p = page(&ctx, chrome, company);
    p.imported = q
        .importe
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    render(&p)
}

/// `GET /{territoire}/clauses/import`.
pub async fn facilitator_form(
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(q): Query<Imported>,
) -> Result<Response, AppError> {
    form(ctx, chrome, q, false).await
}

/// `GET /{territoire}/mes-marches/import`.
pub async fn company_form(
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(q): Query<Imported>,
) -> Result<Response, AppError> {
    form(ctx, chrome, q, true).await
}

/// `POST /{territoire}/clauses/import`.
pub async fn facilitator_import(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    multipart: Multipart,
) -> Result<Response, AppError> {
    import(&state, ctx, &user, chrome, multipart, false).await
}

/// `POST /{territoire}/mes-marches/import`.
pub async fn company_import(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    multipart: Multipart,
) -> Result<Response, AppError> {
    import(&state, ctx, &user, chrome, multipart, true).await
}

fn normalise(header: &str) -> String {
    header.trim().to_lowercase().replace(['_', '-'], " ")
}

fn way_of(raw: &str) -> Option<Way> {
    let raw = raw.trim();
    Way::from_code(raw).or_else(|| {
        let lower = raw.to_lowercase();
        Way::ALL
            .iter()
            .copied()
            .find(|w| !lower.is_empty() && w.label().to_lowercase().starts_with(&lower))
    })
}

async fn import(
    state: &AppState,
    ctx: TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    mut multipart: Multipart,
    company: bool,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let mut p = page(&ctx, chrome, company);
    let mut bytes = Vec::new();
    let mut name = String::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("fichier") {
            name = field.file_name().unwrap_or("releve.csv").to_owned();
            bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::BadRequest("fichier"))?
                .to_vec();
        }
    }
    p.file_name = name.chars().take(200).collect();
    if bytes.is_empty() {
        p.errors.add(
            "fichier",
            "Choisissez un relevé d'heures (CSV, XLSX ou ODS).",
        );
        return Ok(unprocessable(render(&p)?));
    }
    let checked = if bytes.starts_with(b"PK\x03\x04") {
        let (b, format) =
            crate::uploads::check_upload(state, name.clone(), bytes, &[Format::Xlsx, Format::Ods])
                .await?;
        bytes = b;
        format.map(|_| ())
    } else {
        crate::uploads::check(state, &bytes).await
    };
    if let Err(m) = checked {
        p.errors.add("fichier", m);
        return Ok(unprocessable(render(&p)?));
    }
    let rows = match tokio::task::spawn_blocking({
        let name = name.clone();
        move || trame_docs::sheet::rows(&name, &bytes)
    })
    .await
    .map_err(|e| AppError::Internal(format!("timesheet: {e}")))?
    {
        Ok(rows) => rows,
        Err(m) => {
            p.errors.add("fichier", m);
            return Ok(unprocessable(render(&p)?));
        }
    };
    let mut rows = rows.into_iter();
    let header: Vec<String> = rows
        .next()
        .unwrap_or_default()
        .iter()
        .map(|h| normalise(h))
        .collect();
    let mut at = Vec::new();
    let mut missing = Vec::new();
    for (label, names) in COLUMNS {
        match header.iter().position(|h| names.contains(&h.as_str())) {
            Some(pos) => at.push(pos),
            None => missing.push(label),
        }
    }
    if !missing.is_empty() {
        p.errors.add(
            "fichier",
            format!(
                "La première ligne doit nommer les colonnes marché, personne, mois, modalité et heures ; il manque : {}.",
                missing.join(", ")
            ),
        );
        return Ok(unprocessable(render(&p)?));
    }
    let rows: Vec<Vec<String>> = rows.collect();
    if rows.is_empty() {
        p.errors
            .add("fichier", "Le relevé ne contient aucune ligne d'heures.");
        return Ok(unprocessable(render(&p)?));
    }
    let cell = |r: &Vec<String>, i: usize| {
        r.get(at.get(i).copied().unwrap_or(0))
            .cloned()
            .unwrap_or_default()
    };
    // The contracts named, and which of them this reader may declare on.
    let mut refs: Vec<String> = rows.iter().map(|r| cell(r, 0)).collect();
    refs.sort();
    refs.dedup();
    let mut contracts: HashMap<String, ContractRow> = state
        .store
        .contracts_by_reference(scope, &refs)
        .await?
        .into_iter()
        .map(|c| (c.reference.clone(), c))
        .collect();
    if company {
        let orgs = state.store.organisations_of(scope, user.person_id).await?;
        contracts.retain(|_, c| c.awardee_org_id.is_some_and(|o| orgs.contains(&o)));
    }
    let mut lines = Vec::new();
    let mut index_of_line = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let mut messages = Vec::new();
        let reference = cell(r, 0);
        let contract = contracts.get(&reference);
        if contract.is_none() {
            messages.push(format!("Marché inconnu : « {reference} »."));
        }
        let person = id_of_reference(&cell(r, 1));
        if person.is_none() {
            messages.push(format!(
                "Personne : « {} » n'est pas une référence (par exemple P00042).",
                cell(r, 1)
            ));
        }
        let way = way_of(&cell(r, 3)).map(|w| w.code()).unwrap_or("?");
        if let Some(c) = contract {
            let starts = parse_iso_date(&c.notified_on).unwrap_or(time::Date::MIN);
            let ends = parse_iso_date(&c.ends_on).unwrap_or(time::Date::MIN);
            match Line::parse(&cell(r, 2), way, &cell(r, 4), starts, ends) {
                Ok(line) => {
                    if let Some(person_id) = person {
                        index_of_line.push(p.report.len());
                        lines.push(Declared {
                            contract_id: c.id,
                            person_id,
                            line,
                        });
                    }
                }
                Err(e) => messages.extend(e.into_values()),
            }
        }
        p.report.push(ReportLine {
            line: i + 2,
            messages,
        });
    }
    let source = if company {
        Source::Company
    } else {
        Source::File
    };
    if p.report.iter().all(ReportLine::ok) {
        match state
            .store
            .declare_hours(user.person_id, scope, source, &lines)
            .await?
        {
            Ok(n) => {
                let (action, _) = paths(&ctx, company);
                return Ok(Redirect::to(&format!("{action}?importe={n}")).into_response());
            }
            Err(faults) => {
                for f in faults {
                    if let Some(line) = index_of_line
                        .get(f.index)
                        .and_then(|i| p.report.get_mut(*i))
                    {
                        line.messages.push(f.message);
                    }
                }
            }
        }
    }
    p.refused = p.report.iter().filter(|l| !l.ok()).count();
    p.errors.add(
        "fichier",
        format!(
            "{} ligne(s) refusée(s) sur {} : rien n'a été importé.",
            p.refused,
            p.report.len()
        ),
    );
    Ok(unprocessable(render(&p)?))
}
