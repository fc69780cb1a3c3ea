//! The participants' FSE+ data: recorded on the project's page with consent, completed
//! on the participant's page at exit and six months after, exported for the funder.

use super::{TEAM_ROOT, day, label_of, team_of};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::clauses::options;
use crate::pages::funding::exports::{download, format_of};
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_docs::table::{Cell, Table};
use trame_domain::accompaniment::participant::{ResultEntry, ResultInput};
use trame_domain::accompaniment::vocab::{Answer, Education, EntryStatus, ExitStatus};
use trame_domain::clauses::vocab::age_band;
use trame_domain::format::parse_iso_date;
use trame_store::accompaniment::ParticipantRow;

/// A participant as the pages show it.
pub struct ParticipantView {
    /// The row.
    pub p: ParticipantRow,
    /// Entry, written out.
    pub entered: String,
    /// Situation at entry.
    pub status: String,
    /// Education.
    pub education: String,
    /// At exit: (day, situation).
    pub exit: Option<(String, String)>,
    /// Six months after.
    pub six: Option<(String, String)>,
    /// The day of the person's consent, in Paris.
    pub consented: String,
}

impl ParticipantView {
    /// The view of a row.
    pub fn of(p: ParticipantRow) -> ParticipantView {
        let result = |d: &Option<String>, s: &Option<String>| match (d, s) {
            (Some(d), Some(s)) => Some((
                day(d),
                label_of(s, ExitStatus::from_code, ExitStatus::label),
            )),
            _ => None,
        };
        ParticipantView {
            entered: day(&p.entered_on),
            status: label_of(&p.entry_status, EntryStatus::from_code, EntryStatus::label),
            education: label_of(&p.education, Education::from_code, Education::label),
            exit: result(&p.exited_on, &p.exit_status),
            six: result(&p.six_months_on, &p.six_months_status),
            consented: trame_domain::format::french_date(trame_domain::format::paris_day(
                p.consent_at,
            )),
            p,
        }
    }
}

#[derive(Template)]
#[template(path = "accompaniment/participant.html")]
struct ParticipantPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    v: ParticipantView,
    disability: String,
    homeless: String,
    form: ResultInput,
    errors: Errors,
    statuses: Vec<(String, String)>,
    moments: Vec<(String, String)>,
}

async fn participant_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    form: ResultInput,
    errors: Errors,
) -> Result<Response, AppError> {
    let team = team_of(state, ctx, user).await?;
    let p = state
        .store
        .acc_participant(user.person_id, ctx.territory.scope(), &team, id)
        .await?;
    let failed = errors.any();
    let resp = render(&ParticipantPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: TEAM_ROOT,
        disability: label_of(&p.disability, Answer::from_code, Answer::label),
        homeless: label_of(&p.homeless, Answer::from_code, Answer::label),
        v: ParticipantView::of(p),
        form,
        errors,
        statuses: options(ExitStatus::ALL, ExitStatus::code, ExitStatus::label),
        moments: vec![
            ("sortie".into(), "À la sortie".into()),
            ("6_mois".into(), "Six mois après la sortie".into()),
        ],
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/suivi-accompagnement/participants/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    participant_page(
        &state,
        &ctx,
        &user,
        chrome,
        id,
        ResultInput::default(),
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/suivi-accompagnement/participants/{id}/situation`.
pub async fn record_result(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ResultInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let team = team_of(&state, &ctx, &user).await?;
    let p = state
        .store
        .acc_participant(user.person_id, scope, &team, id)
        .await?;
    let entered = parse_iso_date(&p.entered_on).unwrap_or(time::Date::MIN);
    let exited = p.exited_on.as_deref().and_then(parse_iso_date);
    let errors = match ResultEntry::parse(&input, entered, exited, state.store.today()) {
        Ok(r) => match state
            .store
            .record_acc_participant_result(user.person_id, scope, &team, id, &r)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{TEAM_ROOT}/participants/{id}",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    participant_page(&state, &ctx, &user, chrome, id, input, errors).await
}

/// `?annee=YYYY` on the export.
#[derive(Debug, Default, serde::Deserialize)]
pub struct YearQuery {
    /// The year of entry, or nothing for every year.
    #[serde(default)]
    pub annee: Option<String>,
}

/// `GET /{territoire}/suivi-accompagnement/fse/export/{format}`: one line per participant
/// with the FSE+ entry, exit and six-month indicators. Names are left out: the funder
/// counts people, the territory keeps who they are.
pub async fn export(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let format = format_of(&format)?;
    let year = q
        .annee
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok());
    let lines = state
        .store
        .acc_fse_lines(user.person_id, ctx.territory.scope(), year)
        .await?;
    let communes = state.store.communes(ctx.territory.scope()).await?;
    let commune = |code: &Option<String>| {
        code.as_ref()
            .map(|c| {
                communes
                    .iter()
                    .find(|x| &x.code_insee == c)
                    .map_or_else(|| c.clone(), |x| x.name.clone())
            })
            .unwrap_or_default()
    };
    let date = |d: &Option<String>| {
        d.as_deref()
            .and_then(parse_iso_date)
            .map_or(Cell::Empty, Cell::Date)
    };
    let text = |s: &Option<String>, from: fn(&str) -> Option<ExitStatus>| {
        s.as_deref().map_or(Cell::Empty, |c| {
            Cell::Text(label_of(c, from, ExitStatus::label))
        })
    };
    let rows = lines
        .iter()
        .map(|l| {
            let entered = parse_iso_date(&l.p.entered_on);
            vec![
                Cell::Int(l.p.id),
                Cell::Text(l.cohort.clone()),
                Cell::Text(l.project.clone()),
                Cell::Text(commune(&l.commune)),
                Cell::Text(l.p.sex.clone()),
                Cell::Text(age_band(l.p.birth_year, entered.map_or(0, |d| d.year())).to_owned()),
                entered.map_or(Cell::Empty, Cell::Date),
                Cell::Text(label_of(
                    &l.p.entry_status,
                    EntryStatus::from_code,
                    EntryStatus::label,
                )),
                Cell::Text(label_of(
                    &l.p.education,
                    Education::from_code,
                    Education::label,
                )),
                Cell::Text(label_of(&l.p.disability, Answer::from_code, Answer::label)),
                Cell::Text(label_of(&l.p.homeless, Answer::from_code, Answer::label)),
                date(&l.p.exited_on),
                text(&l.p.exit_status, ExitStatus::from_code),
                date(&l.p.six_months_on),
                text(&l.p.six_months_status, ExitStatus::from_code),
            ]
        })
        .collect();
    let table = Table {
        name: "Participants FSE+".into(),
        headers: [
            "Numéro",
            "Promotion",
            "Projet",
            "Commune",
            "Sexe",
            "Âge à l'entrée",
            "Entrée",
            "Situation à l'entrée",
            "Niveau de diplôme",
            "Handicap",
            "Sans domicile ou exclu du logement",
            "Sortie",
            "Situation à la sortie",
            "Suivi à six mois",
            "Situation à six mois",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    };
    let stem = year.map_or_else(
        || "participants-fse".to_owned(),
        |y| format!("participants-fse-{y}"),
    );
    download(&table, format, &stem)
}
