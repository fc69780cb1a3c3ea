//! The yearly report of insertion clauses (the facilitator's): per buyer, contract,
//! company and commune, the people, ways and outcomes; two charts drawn on the server with
//! their data tables; the contracts' table as CSV, XLSX or ODS; a PDF per buyer or for all.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::charts::BarChart;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::pages::funding::documents::{pdf, render_pdf};
use crate::pages::funding::exports::{download, format_of};
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde_json::json;
use std::collections::HashMap;
use trame_docs::pdf::Template as Pdf;
use trame_docs::table::{Cell, Table};
use trame_domain::clauses::hours::hours_label;
use trame_domain::clauses::vocab::{Ground, Moment, Outcome, Way};
use trame_domain::format::french_date;
use trame_store::clauses::report::{Line, YearReport};
use trame_store::funding::awards::paris_day;

/// The report's choice: year and buyer.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    annee: String,
    #[serde(default)]
    acheteur: String,
}

/// A line as the page and the files write it.
pub struct LineView {
    /// The line.
    pub l: Line,
    /// Target, written out.
    pub target: String,
    /// Done, written out.
    pub done: String,
    /// Done against target, percent written out.
    pub percent: String,
}

fn percent(done_tenths: i64, target_hours: i64) -> String {
    if target_hours <= 0 {
        "—".into()
    } else {
        format!("{} %", done_tenths * 10 / target_hours.max(1))
    }
}

fn view(l: Line) -> LineView {
    LineView {
        target: hours_label(l.target_hours * 10),
        done: hours_label(l.done_tenths),
        percent: percent(l.done_tenths, l.target_hours),
        l,
    }
}

struct Resolved {
    year: i32,
    buyer: Option<i64>,
    buyer_name: Option<String>,
    report: YearReport,
}

async fn resolve(
    state: &AppState,
    ctx: &TerritoryCtx,
    q: &ReportQuery,
) -> Result<Resolved, AppError> {
    let scope = ctx.territory.scope();
    let this_year = paris_day(state.store.now()).year();
    let year = q
        .annee
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=this_year + 1).contains(y))
        .unwrap_or(this_year);
    let buyers = state.store.clause_buyers(scope).await?;
    let buyer = q
        .acheteur
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|b| buyers.iter().any(|x| x.id == *b));
    let buyer_name = buyer.and_then(|b| buyers.iter().find(|x| x.id == b).map(|x| x.name.clone()));
    let mut report = state.store.clause_year_report(scope, year, buyer).await?;
    let communes: HashMap<String, String> = state
        .store
        .communes(scope)
        .await?
        .into_iter()
        .map(|c| (c.code_insee, c.name))
        .collect();
    for l in &mut report.communes {
        l.label = communes
            .get(&l.key)
            .cloned()
            .unwrap_or_else(|| "Plusieurs communes ou tout le territoire".into());
    }
    Ok(Resolved {
        year,
        buyer,
        buyer_name,
        report,
    })
}

fn label_of<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    c: &str,
) -> String {
    all.iter()
        .find(|t| code(**t) == c)
        .map_or_else(|| c.to_owned(), |t| label(*t).to_owned())
}

#[derive(Template)]
#[template(path = "clauses/report.html")]
struct ReportPage {
    chrome: Chrome,
    slug: String,
    year: i32,
    years: Vec<i32>,
    buyer: String,
    buyers: Vec<(String, String)>,
    scope_label: String,
    total: LineView,
    women: usize,
    men: usize,
    buyers_table: Vec<LineView>,
    contracts: Vec<LineView>,
    companies: Vec<LineView>,
    communes: Vec<LineView>,
    months: Vec<(String, String)>,
    ages: Vec<(String, usize)>,
    grounds: Vec<(String, usize)>,
    ways: Vec<(String, String)>,
    outcomes: Vec<(String, String, usize)>,
    month_chart: BarChart,
    commune_chart: BarChart,
    query: String,
}

/// `GET /{territoire}/clauses/bilan`.
pub async fn page(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let r = resolve(&state, &ctx, &q).await?;
    let this_year = paris_day(state.store.now()).year();
    let rep = r.report;
    let month_chart = BarChart::new(
        "mois",
        &format!("Heures réalisées par mois en {}", r.year),
        &rep.months
            .iter()
            .map(|(m, t)| (m.label(), *t as f64, hours_label(*t)))
            .collect::<Vec<_>>(),
    );
    let commune_chart = BarChart::new(
        "communes",
        &format!("Heures réalisées par commune d'exécution en {}", r.year),
        &rep.communes
            .iter()
            .map(|l| {
                (
                    l.label.clone(),
                    l.done_tenths as f64,
                    hours_label(l.done_tenths),
                )
            })
            .collect::<Vec<_>>(),
    );
    let buyers = state
        .store
        .clause_buyers(ctx.territory.scope())
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), b.name))
        .collect();
    render(&ReportPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        year: r.year,
        years: (2020..=this_year + 1).rev().collect(),
        buyer: r.buyer.map(|b| b.to_string()).unwrap_or_default(),
        buyers,
        scope_label: r
            .buyer_name
            .clone()
            .unwrap_or_else(|| "Tous les acheteurs".into()),
        total: view(rep.total.clone()),
        women: rep.people.women,
        men: rep.people.men,
        months: rep
            .months
            .iter()
            .map(|(m, t)| (m.label(), hours_label(*t)))
            .collect(),
        ages: rep
            .people
            .ages
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect(),
        grounds: rep
            .people
            .grounds
            .iter()
            .map(|(k, v)| (label_of(Ground::ALL, Ground::code, Ground::label, k), *v))
            .collect(),
        ways: rep
            .ways
            .iter()
            .map(|(k, v)| {
                (
                    label_of(Way::ALL, Way::code, Way::label, k),
                    hours_label(*v),
                )
            })
            .collect(),
        outcomes: rep
            .outcomes
            .iter()
            .map(|((m, o), n)| {
                (
                    label_of(Moment::ALL, Moment::code, Moment::label, m),
                    label_of(Outcome::ALL, Outcome::code, Outcome::label, o),
                    *n,
                )
            })
            .collect(),
        buyers_table: rep.buyers.into_iter().map(view).collect(),
        contracts: rep.contracts.into_iter().map(view).collect(),
        companies: rep.companies.into_iter().map(view).collect(),
        communes: rep.communes.into_iter().map(view).collect(),
        month_chart,
        commune_chart,
        query: format!(
            "annee={}{}",
            r.year,
            r.buyer
                .map(|b| format!("&acheteur={b}"))
                .unwrap_or_default()
        ),
    })
}

/// `GET /{territoire}/clauses/bilan/export/{format}`: the contracts of the report.
pub async fn export(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let format = format_of(&format)?;
    let r = resolve(&state, &ctx, &q).await?;
    let rows = r
        .report
        .contracts
        .iter()
        .map(|l| {
            vec![
                Cell::Int(i64::from(r.year)),
                Cell::Text(l.label.clone()),
                Cell::Int(l.target_hours),
                Cell::Text(format!("{},{}", l.done_tenths / 10, l.done_tenths % 10)),
                Cell::Int(i64::try_from(l.people).unwrap_or(i64::MAX)),
            ]
        })
        .collect();
    let table = Table {
        name: format!("Clauses {}", r.year),
        headers: [
            "Année",
            "Marché",
            "Objectif de l'année (h)",
            "Réalisé (h)",
            "Personnes",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    };
    download(&table, format, &format!("bilan-clauses-{}", r.year))
}

fn pdf_rows(lines: &[Line], with_extra: Option<&dyn Fn(&Line) -> String>) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| {
            let mut row = vec![l.label.clone()];
            if let Some(f) = with_extra {
                row.push(f(l));
            }
            row.extend([
                hours_label(l.target_hours * 10),
                format!(
                    "{} ({})",
                    hours_label(l.done_tenths),
                    percent(l.done_tenths, l.target_hours)
                ),
                l.people.to_string(),
            ]);
            row
        })
        .collect()
}

/// `GET /{territoire}/clauses/bilan.pdf`: the yearly report, for a buyer or all.
pub async fn report_pdf(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let r = resolve(&state, &ctx, &q).await?;
    let rep = &r.report;
    let scope = ctx.territory.scope();
    let companies: HashMap<String, String> = state
        .store
        .contracts(scope, trame_store::clauses::ContractsOf::All)
        .await?
        .into_iter()
        .map(|c| (c.row.id.to_string(), c.row.awardee_name))
        .collect();
    let company_of = |l: &Line| companies.get(&l.key).cloned().unwrap_or_default();
    let data = json!({
        "title_document": format!("Bilan des clauses d'insertion {}", r.year),
        "issuer": ctx.territory.name,
        "issuer_siret": ctx.territory.awarding_siret.clone().unwrap_or_default(),
        "date": french_date(paris_day(state.store.now())),
        "year": r.year.to_string(),
        "scope": r.buyer_name.clone().unwrap_or_else(|| "Tous les acheteurs".into()),
        "done": hours_label(rep.total.done_tenths),
        "target": hours_label(rep.total.target_hours * 10),
        "percent": percent(rep.total.done_tenths, rep.total.target_hours),
        "people": rep.total.people.to_string(),
        "women": rep.people.women.to_string(),
        "men": rep.people.men.to_string(),
        "months": rep.months.iter().map(|(m, t)| json!([m.label(), hours_label(*t), *t])).collect::<Vec<_>>(),
        "contracts": pdf_rows(&rep.contracts, Some(&company_of)),
        "companies": pdf_rows(&rep.companies, None),
        "communes": pdf_rows(&rep.communes, None),
        "ages": rep.people.ages.iter().map(|(k, v)| vec![(*k).to_owned(), v.to_string()]).collect::<Vec<_>>(),
        "grounds": rep.people.grounds.iter().map(|(k, v)| vec![label_of(Ground::ALL, Ground::code, Ground::label, k), v.to_string()]).collect::<Vec<_>>(),
        "ways": rep.ways.iter().map(|(k, v)| vec![label_of(Way::ALL, Way::code, Way::label, k), hours_label(*v)]).collect::<Vec<_>>(),
        "outcomes": rep.outcomes.iter().map(|((m, o), n)| vec![label_of(Moment::ALL, Moment::code, Moment::label, m), label_of(Outcome::ALL, Outcome::code, Outcome::label, o), n.to_string()]).collect::<Vec<_>>(),
    });
    let bytes = tokio::task::spawn_blocking({
        let state = state.clone();
        move || render_pdf(&state, Pdf::ClauseReport, &data)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(pdf(bytes, &format!("bilan-clauses-{}", r.year)))
}
