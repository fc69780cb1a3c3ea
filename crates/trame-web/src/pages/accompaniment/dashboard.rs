//! The programme's dashboard: projects per stage, hours delivered and jobs created, by
//! commune and by year, as charts each beside its data table; the funder's export.

use super::{TEAM_ROOT, fte, hours};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::charts::BarChart;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::pages::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use trame_store::accompaniment::Sums;

/// A line of a table: label and its sums written out.
pub struct Line {
    /// What the line counts.
    pub label: String,
    /// Projects.
    pub projects: i64,
    /// Individual hours.
    pub individual: String,
    /// Collective hours.
    pub collective: String,
    /// Jobs created.
    pub jobs: String,
    /// Projects still active, of those with an outcome.
    pub active: String,
}

impl Line {
    fn of(label: String, s: &Sums) -> Line {
        Line {
            label,
            projects: s.projects,
            individual: hours(s.individual_tenths),
            collective: hours(s.collective_tenths),
            jobs: fte(s.jobs_tenths),
            active: format!("{} sur {}", s.active, s.with_outcome),
        }
    }
}

#[derive(Template)]
#[template(path = "accompaniment/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    year: String,
    commune: String,
    years: Vec<(String, String)>,
    communes_options: Vec<(String, String)>,
    total: Line,
    stages: Vec<(String, i64)>,
    stage_chart: BarChart,
    years_table: Vec<Line>,
    year_chart: BarChart,
    communes: Vec<Line>,
    jobs_chart: BarChart,
    query: String,
}

/// The dashboard's filters.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Filters {
    /// A year, or empty for all.
    #[serde(default)]
    pub annee: Option<String>,
    /// A commune's INSEE code, or empty for all.
    #[serde(default)]
    pub commune: Option<String>,
}

/// `GET /{territoire}/suivi-accompagnement/tableau-de-bord`.
pub async fn page(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(f): Query<Filters>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let communes = state.store.communes(scope).await?;
    let year = f
        .annee
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok());
    let commune = f
        .commune
        .as_deref()
        .map(str::trim)
        .filter(|c| communes.iter().any(|x| x.code_insee == *c));
    let d = state.store.acc_dashboard(scope, year, commune).await?;
    let name = |code: &Option<String>| {
        code.as_ref().map_or_else(
            || "Commune non renseignée".to_owned(),
            |c| {
                communes
                    .iter()
                    .find(|x| &x.code_insee == c)
                    .map_or_else(|| c.clone(), |x| x.name.clone())
            },
        )
    };
    let stage_chart = BarChart::new(
        "etapes",
        "Projets par étape",
        &d.stages
            .iter()
            .map(|(s, n)| (s.label().to_owned(), *n as f64, n.to_string()))
            .collect::<Vec<_>>(),
    );
    let year_chart = BarChart::new(
        "annees",
        "Heures d'accompagnement individuel par année de promotion",
        &d.years
            .iter()
            .map(|(y, s)| {
                (
                    y.to_string(),
                    s.individual_tenths as f64,
                    hours(s.individual_tenths),
                )
            })
            .collect::<Vec<_>>(),
    );
    let mut communes_lines: Vec<Line> = d
        .communes
        .iter()
        .map(|(c, s)| Line::of(name(c), s))
        .collect();
    communes_lines.sort_by(|a, b| a.label.cmp(&b.label));
    let jobs_chart = BarChart::new(
        "emplois",
        "Emplois créés par commune (équivalents temps plein)",
        &d.communes
            .iter()
            .map(|(c, s)| (name(c), s.jobs_tenths as f64 / 10.0, fte(s.jobs_tenths)))
            .collect::<Vec<_>>(),
    );
    let query = year.map_or_else(String::new, |y| format!("annee={y}"));
    render(&DashboardPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: TEAM_ROOT,
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        commune: commune.unwrap_or_default().to_owned(),
        years: d
            .all_years
            .iter()
            .map(|y| (y.to_string(), y.to_string()))
            .collect(),
        communes_options: communes
            .iter()
            .map(|c| (c.code_insee.clone(), c.name.clone()))
            .collect(),
        total: Line::of("Ensemble".into(), &d.total),
        stages: d
            .stages
            .iter()
            .map(|(s, n)| (s.label().to_owned(), *n))
            .collect(),
        stage_chart,
        years_table: d
            .years
            .iter()
            .map(|(y, s)| Line::of(y.to_string(), s))
            .collect(),
        year_chart,
        communes: communes_lines,
        jobs_chart,
        query,
    })
}
