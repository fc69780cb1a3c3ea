//! The pathways' dashboard — files, exits and positive exits by year, commune and
//! referent; barriers; referrals; exits by reason — as charts each beside its data
//! table, and the funder's FSE+ export (no names). The territory's staff see every file;
//! a counsellor sees their organisations' files.

use super::{ROOT, commune_name, communes};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::charts::BarChart;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::middleware::CurrentUser;
use crate::pages::accompaniment::label_of;
use crate::pages::funding::exports::{download, format_of};
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use trame_docs::table::{Cell, Table};
use trame_domain::accompaniment::vocab::{Answer, Education, EntryStatus, ExitStatus};
use trame_domain::clauses::vocab::{Ground, age_band};
use trame_domain::format::parse_iso_date;
use trame_domain::pathways::vocab::ExitReason;
use trame_domain::role::Role;
use trame_store::pathways::{Counts, Sight};

/// A line of a table.
pub struct Line {
    /// What it counts.
    pub label: String,
    /// Files.
    pub files: i64,
    /// In their pathway.
    pub ongoing: i64,
    /// Exited.
    pub exited: i64,
    /// Positive exits.
    pub positive: i64,
    /// Positive exits per hundred exits, written out.
    pub rate: String,
}

impl Line {
    fn of(label: String, c: &Counts) -> Line {
        Line {
            label,
            files: c.files,
            ongoing: c.ongoing(),
            exited: c.exited,
            positive: c.positive,
            rate: c
                .positive_rate()
                .map_or_else(|| "—".to_owned(), |r| format!("{r} %")),
        }
    }
}

#[derive(Template)]
#[template(path = "pathways/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    whole: bool,
    year: String,
    commune: String,
    years_options: Vec<(String, String)>,
    communes_options: Vec<(String, String)>,
    total: Line,
    years: Vec<Line>,
    communes: Vec<Line>,
    referents: Vec<Line>,
    commune_chart: BarChart,
    reasons: Vec<(String, i64, bool)>,
    reason_chart: BarChart,
    barriers: Vec<(String, i64, i64)>,
    barrier_chart: BarChart,
    referrals: Vec<(String, i64)>,
    query: String,
}

/// The dashboard's filters.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Filters {
    /// A year of entry, or empty for all.
    #[serde(default)]
    pub annee: Option<String>,
    /// A commune's INSEE code, or empty for all.
    #[serde(default)]
    pub commune: Option<String>,
}

fn sight_of(ctx: &TerritoryCtx, user: &CurrentUser) -> Sight {
    if ctx
        .roles
        .iter()
        .any(|r| matches!(r, Role::TerritoryAdmin | Role::Agent))
    {
        Sight::Territory
    } else {
        Sight::Own(user.person_id)
    }
}

/// `GET /{territoire}/parcours/tableau-de-bord`.
pub async fn page(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Query(f): Query<Filters>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let communes = communes(&state, scope).await?;
    let year = f
        .annee
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok());
    let commune = f
        .commune
        .as_deref()
        .map(str::trim)
        .filter(|c| communes.iter().any(|x| x.0 == *c));
    let sight = sight_of(&ctx, &user);
    let d = state
        .store
        .path_dashboard(scope, sight, year, commune)
        .await?;
    let commune_lines: Vec<Line> = d
        .communes
        .iter()
        .map(|(c, n)| Line::of(commune_name(&communes, c), n))
        .collect();
    let commune_chart = BarChart::new(
        "sorties-positives-communes",
        "Sorties positives par commune de résidence",
        &commune_lines
            .iter()
            .map(|l| (l.label.clone(), l.positive as f64, l.positive.to_string()))
            .collect::<Vec<_>>(),
    );
    let reasons: Vec<(String, i64, bool)> = d
        .reasons
        .iter()
        .map(|(r, n)| (r.label().to_owned(), *n, r.positive()))
        .collect();
    let reason_chart = BarChart::new(
        "motifs",
        "Sorties par motif",
        &reasons
            .iter()
            .map(|(l, n, _)| (l.clone(), *n as f64, n.to_string()))
            .collect::<Vec<_>>(),
    );
    let barriers: Vec<(String, i64, i64)> = d
        .barriers
        .iter()
        .map(|(b, n, l)| (b.label().to_owned(), *n, *l))
        .collect();
    let barrier_chart = BarChart::new(
        "freins",
        "Freins repérés par thème",
        &barriers
            .iter()
            .map(|(l, n, _)| (l.clone(), *n as f64, n.to_string()))
            .collect::<Vec<_>>(),
    );
    let query = [
        year.map(|y| format!("annee={y}")),
        commune.map(|c| format!("commune={c}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("&");
    render(&DashboardPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: ROOT,
        whole: matches!(sight, Sight::Territory),
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        commune: commune.unwrap_or_default().to_owned(),
        years_options: d
            .all_years
            .iter()
            .map(|y| (y.to_string(), y.to_string()))
            .collect(),
        communes_options: communes.clone(),
        total: Line::of("Total".into(), &d.total),
        years: d
            .years
            .iter()
            .map(|(y, c)| Line::of(y.to_string(), c))
            .collect(),
        communes: commune_lines,
        referents: d
            .referents
            .iter()
            .map(|(id, c)| Line::of(d.referent_names.get(id).cloned().unwrap_or_default(), c))
            .collect(),
        commune_chart,
        reasons,
        reason_chart,
        barriers,
        barrier_chart,
        referrals: d
            .referrals
            .iter()
            .map(|(s, n)| (s.label().to_owned(), *n))
            .collect(),
        query,
    })
}

/// `GET /{territoire}/parcours/export/{format}[?annee=YYYY]`: one line per file with the
/// FSE+ indicators at entry, exit and six months after. No names.
pub async fn export(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, format)): Path<(String, String)>,
    Query(f): Query<Filters>,
) -> Result<Response, AppError> {
    let format = format_of(&format)?;
    let scope = ctx.territory.scope();
    let year = f
        .annee
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok());
    let lines = state
        .store
        .path_fse_lines(user.person_id, scope, sight_of(&ctx, &user), year)
        .await?;
    let communes = communes(&state, scope).await?;
    let date = |d: &Option<String>| {
        d.as_deref()
            .and_then(parse_iso_date)
            .map_or(Cell::Empty, Cell::Date)
    };
    let rows = lines
        .iter()
        .map(|(p, org)| {
            let entered = parse_iso_date(&p.entered_on);
            let reason = p.exit_reason.as_deref().and_then(ExitReason::from_code);
            vec![
                Cell::Int(p.id),
                Cell::Text(org.clone()),
                Cell::Text(commune_name(&communes, &p.commune_code)),
                Cell::Text(p.sex.clone()),
                Cell::Text(age_band(p.birth_year, entered.map_or(0, |d| d.year())).to_owned()),
                Cell::Text(label_of(&p.ground, Ground::from_code, Ground::label)),
                entered.map_or(Cell::Empty, Cell::Date),
                Cell::Text(label_of(
                    &p.entry_status,
                    EntryStatus::from_code,
                    EntryStatus::label,
                )),
                Cell::Text(label_of(
                    &p.education,
                    Education::from_code,
                    Education::label,
                )),
                Cell::Text(label_of(&p.disability, Answer::from_code, Answer::label)),
                Cell::Text(label_of(&p.homeless, Answer::from_code, Answer::label)),
                date(&p.exited_on),
                reason.map_or(Cell::Empty, |r| Cell::Text(r.label().to_owned())),
                reason.map_or(Cell::Empty, |r| {
                    Cell::Text(if r.positive() { "Oui" } else { "Non" }.to_owned())
                }),
                date(&p.follow_up_on),
                p.follow_up.as_deref().map_or(Cell::Empty, |s| {
                    Cell::Text(label_of(s, ExitStatus::from_code, ExitStatus::label))
                }),
            ]
        })
        .collect();
    let table = Table {
        name: "Parcours FSE+".into(),
        headers: [
            "Numéro",
            "Organisation",
            "Commune",
            "Sexe",
            "Âge à l'entrée",
            "Critère d'entrée",
            "Entrée",
            "Situation à l'entrée",
            "Niveau de diplôme",
            "Handicap",
            "Sans domicile ou exclu du logement",
            "Sortie",
            "Motif de sortie",
            "Sortie positive",
            "Suivi à six mois",
            "Situation à six mois",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    };
    let stem = year.map_or_else(
        || "parcours-fse".to_owned(),
        |y| format!("parcours-fse-{y}"),
    );
    download(&table, format, &stem)
}
