//! The map and the equity dashboard. The map (`/{territoire}/carte`) is drawn on the
//! server as SVG from the communes' centroids: each commune a disc (area by population)
//! that links to the directory filtered on it, coloured by how many services of the
//! current search are open to its residents, with the same figures in a table beside it.
//! The dashboard (`/{territoire}/equite`) sets, for each commune, the services open to its
//! residents per 10,000 inhabitants (all, and by category of thématique) against the
//! territory's rate, a gap being under half of it, and the funding awarded to projects in
//! the commune; a choropleth per indicator; CSV export.

use super::public::{DirQuery, search_of};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::pages::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use trame_domain::directory::vocab::CATEGORIES;
use trame_domain::geometry::{Outline, draw};
use trame_domain::map::{Point, class_bounds, class_of, schematic};
use trame_domain::money::Euros;
use trame_search::Search;
use trame_store::territories::Commune;

/// The fills of the five classes, light to dark (ColorBrewer « Blues »).
const FILLS: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

/// A commune on the map.
pub struct Disc {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Centre and radius.
    pub cx: f64,
    /// Centre.
    pub cy: f64,
    /// Radius.
    pub r: f64,
    /// Fill colour.
    pub fill: &'static str,
    /// The value in words.
    pub value: String,
    /// Where it links.
    pub href: String,
    /// Label position.
    pub label_y: f64,
    /// The commune's outline as an SVG path, when the territory imported outlines.
    pub path: Option<String>,
}

/// The legend: one line per class.
pub struct LegendLine {
    /// Fill.
    pub fill: &'static str,
    /// Range, in words.
    pub range: String,
}

/// A map ready for the template.
pub struct MapView {
    /// Title, for its label.
    pub title: String,
    /// Drawing width.
    pub width: u32,
    /// Drawing height.
    pub height: u32,
    /// Discs, or outlines.
    pub discs: Vec<Disc>,
    /// Drawn from imported outlines (else from the communes' centroids).
    pub outlined: bool,
    /// Legend.
    pub legend: Vec<LegendLine>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 480.0;

fn map_view(
    title: String,
    communes: &[Commune],
    outlines: &[Outline],
    values: &BTreeMap<String, f64>,
    words: impl Fn(f64) -> String,
    href: impl Fn(&Commune) -> String,
) -> MapView {
    let points: Vec<Point> = communes
        .iter()
        .filter_map(|c| {
            Some(Point {
                code: c.code_insee.clone(),
                name: c.name.clone(),
                lat: c.lat?,
                lon: c.lon?,
                population: c.population,
            })
        })
        .collect();
    let all: Vec<f64> = values.values().copied().collect();
    let bounds = class_bounds(&all);
    let disc = |code: String, name: String, cx: f64, cy: f64, r: f64, path: Option<String>| {
        let c = communes.iter().find(|c| c.code_insee == code)?;
        let v = values.get(&code).copied().unwrap_or_default();
        Some(Disc {
            fill: FILLS.get(class_of(&bounds, v)).copied().unwrap_or(FILLS[0]),
            value: words(v),
            href: href(c),
            label_y: if path.is_some() {
                cy + 4.0
            } else {
                cy + r + 13.0
            },
            code,
            name,
            cx,
            cy,
            r,
            path,
        })
    };
    let discs: Vec<Disc> = if outlines.is_empty() {
        schematic(&points, WIDTH, HEIGHT, 60.0)
            .into_iter()
            .filter_map(|p| disc(p.code, p.name, p.cx, p.cy, p.r, None))
            .collect()
    } else {
        // A commune the file did not outline gets a small square at its centre, drawn
        // with the same projection.
        let mut all: Vec<Outline> = outlines.to_vec();
        for p in &points {
            if !outlines.iter().any(|o| o.code == p.code) {
                let d = 0.004;
                all.push(Outline {
                    code: p.code.clone(),
                    rings: vec![vec![
                        (p.lon - d, p.lat - d),
                        (p.lon + d, p.lat - d),
                        (p.lon + d, p.lat + d),
                        (p.lon - d, p.lat + d),
                        (p.lon - d, p.lat - d),
                    ]],
                });
            }
        }
        draw(&all, WIDTH, HEIGHT, 20.0)
            .into_iter()
            .filter_map(|d| {
                let name = communes
                    .iter()
                    .find(|c| c.code_insee == d.code)?
                    .name
                    .clone();
                disc(d.code, name, d.label.0, d.label.1, 0.0, Some(d.path))
            })
            .collect()
    };
    let mut legend = Vec::new();
    let mut low = all.iter().copied().fold(f64::INFINITY, f64::min);
    for (i, b) in bounds.iter().enumerate() {
        legend.push(LegendLine {
            fill: FILLS.get(i).copied().unwrap_or(FILLS[4]),
            range: if (low - b).abs() < f64::EPSILON {
                words(*b)
            } else {
                format!("{} à {}", words(low), words(*b))
            },
        });
        low = *b;
    }
    MapView {
        title,
        width: WIDTH as u32,
        height: HEIGHT as u32,
        outlined: !outlines.is_empty(),
        discs,
        legend,
    }
}

fn count_words(v: f64) -> String {
    format!("{v:.0}")
}

fn rate_words(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

/// A commune's line of the map's table.
pub struct MapRow {
    /// The commune.
    pub name: String,
    /// Its code.
    pub code: String,
    /// Services of the search open to its residents.
    pub services: usize,
    /// Structures located there.
    pub structures: usize,
}

#[derive(Template)]
#[template(path = "directory/map.html")]
struct MapPage {
    chrome: Chrome,
    slug: String,
    map: MapView,
    rows: Vec<MapRow>,
    back: String,
    summary: String,
}

/// `GET /{territoire}/carte`: the current search on the map.
pub async fn map(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(mut query): Query<DirQuery>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let communes = state.store.communes(scope).await?;
    let index = state.search.fresh(&state.store, scope).await?;
    query.commune.clear();
    query.page = None;
    let base = search_of(&query, &communes, &ctx.territory.siren);
    let structures = state.store.structures_per_commune(scope).await?;
    let mut values = BTreeMap::new();
    let mut rows = Vec::new();
    for c in &communes {
        let mut s = Search {
            offset: 0,
            limit: 1,
            ..base.clone()
        };
        s.filters.push((
            "z".into(),
            crate::search::commune_zone(&c.code_insee, c.siren.as_deref(), &ctx.territory.siren),
        ));
        let n = index
            .count(&s)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        values.insert(c.code_insee.clone(), n as f64);
        rows.push(MapRow {
            name: c.name.clone(),
            code: c.code_insee.clone(),
            services: n,
            structures: structures.get(&c.code_insee).copied().unwrap_or_default(),
        });
    }
    let q = query.without_page();
    let sep = if q.is_empty() { "" } else { "&" };
    let slug = ctx.territory.slug.clone();
    let outlines = state.store.outlines(scope).await?;
    let map = map_view(
        "Services ouverts aux habitants de chaque commune".into(),
        &communes,
        &outlines,
        &values,
        count_words,
        |c| format!("/{slug}/annuaire?{q}{sep}commune={}", c.code_insee),
    );
    render(&MapPage {
        chrome,
        back: format!("/{slug}/annuaire{}{q}", if q.is_empty() { "" } else { "?" }),
        slug,
        map,
        rows,
        summary: super::public::summary(&query, &communes),
    })
}

/// The dashboard's query.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EquityQuery {
    /// `services` (default), a category of thématique, or `financement`.
    #[serde(default)]
    pub indicateur: String,
}

/// One cell: a rate and whether it is a gap.
pub struct Cell {
    /// Per 10,000 inhabitants.
    pub rate: f64,
    /// In words.
    pub text: String,
    /// Under half the territory's rate.
    pub gap: bool,
}

/// A commune's line of the dashboard.
pub struct EquityRow {
    /// Name.
    pub name: String,
    /// Code.
    pub code: String,
    /// Population.
    pub population: i64,
    /// All services, then each category.
    pub cells: Vec<Cell>,
    /// Funding awarded, cents.
    pub funding_cents: i64,
    /// Funding in words.
    pub funding: String,
    /// Funding per inhabitant, in words.
    pub funding_per_head: String,
    /// Insertion hours done on contracts executed in the commune (validated), tenths.
    pub clause_tenths: i64,
    /// Those hours, in words.
    pub clause_hours: String,
    /// Those hours per 1,000 inhabitants, in words.
    pub clause_per_thousand: String,
    /// ESS projects accompanied in the commune.
    pub acc_projects: i64,
    /// Jobs they created at their latest outcome, in words (full-time equivalents).
    pub acc_jobs: String,
    /// Jobs, tenths of a full-time equivalent.
    pub acc_jobs_tenths: i64,
    /// Positive exits from insertion pathways of its residents.
    pub positive_exits: i64,
    /// Hires at employment forums of its residents.
    pub forum_hires: i64,
}

struct Table {
    columns: Vec<(String, String)>,
    rows: Vec<EquityRow>,
    territory: Vec<String>,
}

async fn table(state: &AppState, ctx: &TerritoryCtx) -> Result<Table, AppError> {
    let scope = ctx.territory.scope();
    let communes = state.store.communes(scope).await?;
    let index = state.search.fresh(&state.store, scope).await?;
    let funding = state.store.funding_by_commune(scope, None).await?;
    let clause_hours = state.store.clause_hours_by_commune(scope).await?;
    let accompanied = state.store.acc_dashboard(scope, None, None).await?.communes;
    let pathways = state
        .store
        .path_dashboard(scope, trame_store::pathways::Sight::Territory, None, None)
        .await?
        .communes;
    let hires = state.store.forum_hires_by_commune(scope).await?;
    let mut columns = vec![("services".to_owned(), "Tous services".to_owned())];
    columns.extend(
        CATEGORIES
            .iter()
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned())),
    );
    let population: i64 = communes.iter().map(|c| c.population).sum::<i64>().max(1);
    let mut counts: Vec<Vec<usize>> = Vec::new();
    for c in &communes {
        let zone =
            crate::search::commune_zone(&c.code_insee, c.siren.as_deref(), &ctx.territory.siren);
        let mut line = Vec::new();
        for (code, _) in &columns {
            let mut filters = vec![("z".to_owned(), zone.clone())];
            if code != "services" {
                filters.push(("t".to_owned(), vec![code.clone()]));
            }
            let n = index
                .count(&Search {
                    filters,
                    limit: 1,
                    ..Search::default()
                })
                .map_err(|e| AppError::Internal(e.to_string()))?;
            line.push(n);
        }
        counts.push(line);
    }
    // The territory's rate: services open to residents, weighted by population.
    let territory_rates: Vec<f64> = (0..columns.len())
        .map(|k| {
            let open: f64 = communes
                .iter()
                .zip(&counts)
                .map(|(c, line)| {
                    line.get(k).copied().unwrap_or_default() as f64 * c.population as f64
                })
                .sum();
            open / population as f64 / population as f64 * 10_000.0
        })
        .collect();
    let rows = communes
        .iter()
        .zip(&counts)
        .map(|(c, line)| {
            let pop = c.population.max(1) as f64;
            let cents = funding.get(&c.code_insee).copied().unwrap_or_default();
            EquityRow {
                name: c.name.clone(),
                code: c.code_insee.clone(),
                population: c.population,
                cells: line
                    .iter()
                    .zip(&territory_rates)
                    .map(|(n, t)| {
                        let rate = *n as f64 / pop * 10_000.0;
                        Cell {
                            rate,
                            text: rate_words(rate),
                            gap: rate < t / 2.0,
                        }
                    })
                    .collect(),
                funding_cents: cents,
                funding: Euros::from_cents(cents).to_string(),
                funding_per_head: rate_words(cents as f64 / 100.0 / pop),
                clause_tenths: clause_hours.get(&c.code_insee).copied().unwrap_or_default(),
                clause_hours: trame_domain::clauses::hours::hours_label(
                    clause_hours.get(&c.code_insee).copied().unwrap_or_default(),
                ),
                clause_per_thousand: rate_words(
                    clause_hours.get(&c.code_insee).copied().unwrap_or_default() as f64
                        / 10.0
                        / pop
                        * 1_000.0,
                ),
                acc_projects: accompanied
                    .get(&Some(c.code_insee.clone()))
                    .map_or(0, |s| s.projects),
                acc_jobs_tenths: accompanied
                    .get(&Some(c.code_insee.clone()))
                    .map_or(0, |s| s.jobs_tenths),
                positive_exits: pathways.get(&c.code_insee).map_or(0, |n| n.positive),
                forum_hires: hires.get(&c.code_insee).copied().unwrap_or_default(),
                acc_jobs: crate::pages::accompaniment::fte(
                    accompanied
                        .get(&Some(c.code_insee.clone()))
                        .map_or(0, |s| s.jobs_tenths),
                ),
            }
        })
        .collect();
    Ok(Table {
        columns,
        rows,
        territory: territory_rates.iter().map(|r| rate_words(*r)).collect(),
    })
}

#[derive(Template)]
#[template(path = "directory/equity.html")]
struct EquityPage {
    chrome: Chrome,
    slug: String,
    territory_name: String,
    indicator: String,
    indicator_label: String,
    columns: Vec<(String, String)>,
    rows: Vec<EquityRow>,
    territory: Vec<String>,
    map: MapView,
}

/// `GET /{territoire}/equite`.
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(q): Query<EquityQuery>,
) -> Result<Response, AppError> {
    let t = table(&state, &ctx).await?;
    let communes = state.store.communes(ctx.territory.scope()).await?;
    let slug = ctx.territory.slug.clone();
    let (indicator, label, values): (String, String, BTreeMap<String, f64>) =
        if q.indicateur == "clauses" {
            (
                "clauses".into(),
                "Heures d'insertion réalisées (clauses) pour 1 000 habitants".into(),
                t.rows
                    .iter()
                    .map(|r| {
                        (
                            r.code.clone(),
                            r.clause_tenths as f64 / 10.0 / r.population.max(1) as f64 * 1_000.0,
                        )
                    })
                    .collect(),
            )
        } else if q.indicateur == "accompagnement" {
            (
                "accompagnement".into(),
                "Projets d'ESS accompagnés pour 10 000 habitants".into(),
                t.rows
                    .iter()
                    .map(|r| {
                        (
                            r.code.clone(),
                            r.acc_projects as f64 / r.population.max(1) as f64 * 10_000.0,
                        )
                    })
                    .collect(),
            )
        } else if q.indicateur == "sorties" || q.indicateur == "forums" {
            let exits = q.indicateur == "sorties";
            (
                q.indicateur.clone(),
                if exits {
                    "Sorties positives de parcours d'insertion pour 10 000 habitants".into()
                } else {
                    "Embauches issues des forums de l'emploi pour 10 000 habitants".into()
                },
                t.rows
                    .iter()
                    .map(|r| {
                        let n = if exits {
                            r.positive_exits
                        } else {
                            r.forum_hires
                        };
                        (
                            r.code.clone(),
                            n as f64 / r.population.max(1) as f64 * 10_000.0,
                        )
                    })
                    .collect(),
            )
        } else if q.indicateur == "financement" {
            (
                "financement".into(),
                "Financement attribué par habitant (€)".into(),
                t.rows
                    .iter()
                    .map(|r| {
                        (
                            r.code.clone(),
                            r.funding_cents as f64 / 100.0 / r.population.max(1) as f64,
                        )
                    })
                    .collect(),
            )
        } else {
            let k = t
                .columns
                .iter()
                .position(|(c, _)| *c == q.indicateur)
                .unwrap_or(0);
            let (code, name) = t.columns.get(k).cloned().unwrap_or_default();
            (
                code,
                format!("Services pour 10 000 habitants — {name}"),
                t.rows
                    .iter()
                    .map(|r| (r.code.clone(), r.cells.get(k).map_or(0.0, |c| c.rate)))
                    .collect(),
            )
        };
    let theme = if [
        "services",
        "financement",
        "clauses",
        "accompagnement",
        "sorties",
        "forums",
    ]
    .contains(&indicator.as_str())
    {
        String::new()
    } else {
        format!("thematique={indicator}&")
    };
    let outlines = state.store.outlines(ctx.territory.scope()).await?;
    let map = map_view(
        label.clone(),
        &communes,
        &outlines,
        &values,
        rate_words,
        |c| format!("/{slug}/annuaire?{theme}commune={}", c.code_insee),
    );
    render(&EquityPage {
        chrome,
        territory_name: ctx.territory.name.clone(),
        slug,
        indicator,
        indicator_label: label,
        columns: t.columns,
        rows: t.rows,
        territory: t.territory,
        map,
    })
}

/// `GET /{territoire}/equite.csv`: the dashboard's table.
pub async fn dashboard_csv(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
) -> Result<Response, AppError> {
    let t = table(&state, &ctx).await?;
    use trame_docs::table::{Cell as Out, Format, Table as Sheet, write};
    let mut headers = vec![
        "code_insee".to_owned(),
        "commune".to_owned(),
        "population".to_owned(),
    ];
    headers.extend(
        t.columns
            .iter()
            .map(|(c, _)| format!("{c}_pour_10000_habitants")),
    );
    headers.push("financement_attribue_euros".into());
    headers.push("heures_insertion_clauses".into());
    headers.push("projets_ess_accompagnes".into());
    headers.push("emplois_crees_etp".into());
    headers.push("sorties_positives_parcours".into());
    headers.push("embauches_forums".into());
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut line = vec![
                Out::Text(r.code.clone()),
                Out::Text(r.name.clone()),
                Out::Int(r.population),
            ];
            line.extend(r.cells.iter().map(|c| Out::Text(format!("{:.2}", c.rate))));
            line.push(Out::Money(Euros::from_cents(r.funding_cents)));
            line.push(Out::Text(format!(
                "{}.{}",
                r.clause_tenths / 10,
                r.clause_tenths % 10
            )));
            line.push(Out::Int(r.acc_projects));
            line.push(Out::Text(format!(
                "{}.{}",
                r.acc_jobs_tenths / 10,
                r.acc_jobs_tenths % 10
            )));
            line.push(Out::Int(r.positive_exits));
            line.push(Out::Int(r.forum_hires));
            line
        })
        .collect();
    let bytes = write(
        &Sheet {
            name: "Équité territoriale".into(),
            headers,
            rows,
        },
        Format::Csv,
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"equite-territoriale.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
