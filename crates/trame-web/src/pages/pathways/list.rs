//! The counsellors' list of the files they reach, and the form that opens a new one.

use super::{ROOT, commune_name, communes};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::accompaniment::{day, label_of};
use crate::pages::clauses::options;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::accompaniment::vocab::{Answer, Education, EntryStatus, SEXES};
use trame_domain::clauses::vocab::Ground;
use trame_domain::pathways::pathway::{DEFAULT_ALERT_DAYS, DEFAULT_MAX_MONTHS, File, FileInput};
use trame_domain::pathways::vocab::ExitReason;
use trame_store::pathways::NewFile;

/// A file in the list, as shown.
pub struct Line {
    /// Id.
    pub id: i64,
    /// « Prénom Nom ».
    pub name: String,
    /// Commune's name.
    pub commune: String,
    /// Entry, written out.
    pub entered: String,
    /// The last day, written out.
    pub ends_by: String,
    /// The referent counsellor.
    pub referent: String,
    /// The holding organisation.
    pub organisation: String,
    /// Whether it is shared with the viewer.
    pub shared: bool,
    /// Where it stands, written out.
    pub standing: String,
    /// The end is near (or passed) and the person has not exited.
    pub alert: bool,
}

#[derive(Template)]
#[template(path = "pathways/list.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    lines: Vec<Line>,
    open: usize,
}

/// `GET /{territoire}/parcours`.
pub async fn index(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let today = state.store.today();
    let communes = communes(&state, scope).await?;
    let files = state.store.path_files(user.person_id, scope).await?;
    let lines: Vec<Line> = files
        .into_iter()
        .map(|l| {
            let days = trame_store::pathways::days_of(&l.file);
            let left = days.alert(today, DEFAULT_ALERT_DAYS);
            let standing = match (&l.file.exited_on, &l.file.exit_reason) {
                (Some(d), Some(r)) => format!(
                    "Sorti le {} : {}",
                    day(d),
                    label_of(r, ExitReason::from_code, ExitReason::label)
                ),
                _ => match left {
                    Some(n) if n < 0 => "En parcours : durée maximale dépassée".to_owned(),
                    Some(n) => format!("En parcours : fin dans {n} jours"),
                    None => "En parcours".to_owned(),
                },
            };
            Line {
                id: l.file.id,
                name: format!("{} {}", l.file.first_name, l.file.last_name),
                commune: commune_name(&communes, &l.file.commune_code),
                entered: day(&l.file.entered_on),
                ends_by: day(&l.file.ends_by),
                referent: l.referent,
                organisation: l.organisation,
                shared: l.shared,
                alert: l.file.exited_on.is_none() && left.is_some(),
                standing,
            }
        })
        .collect();
    let open = lines
        .iter()
        .filter(|l| l.standing.starts_with("En parcours"))
        .count();
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: ROOT,
        lines,
        open,
    })
}

/// The new file form: the file and the organisation that holds it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NewFileInput {
    /// The holding organisation's id.
    #[serde(default)]
    pub organisation: String,
    /// The file.
    #[serde(flatten)]
    pub file: FileInput,
}

#[derive(Template)]
#[template(path = "pathways/new.html")]
struct NewPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    form: NewFileInput,
    errors: Errors,
    organisations: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    grounds: Vec<(String, String)>,
    sexes: Vec<(String, String)>,
    entry_statuses: Vec<(String, String)>,
    educations: Vec<(String, String)>,
    answers: Vec<(String, String)>,
    max_months: u8,
}

async fn new_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    mut form: NewFileInput,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let organisations: Vec<(String, String)> = state
        .store
        .path_organisations(scope, user.person_id)
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    if form.organisation.is_empty() && organisations.len() == 1 {
        form.organisation = organisations
            .first()
            .map(|o| o.0.clone())
            .unwrap_or_default();
    }
    let failed = errors.any();
    let resp = render(&NewPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: ROOT,
        form,
        errors,
        organisations,
        communes: communes(state, scope).await?,
        grounds: options(Ground::ALL, Ground::code, Ground::label),
        sexes: SEXES
            .iter()
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
            .collect(),
        entry_statuses: options(EntryStatus::ALL, EntryStatus::code, EntryStatus::label),
        educations: options(Education::ALL, Education::code, Education::label),
        answers: options(Answer::ALL, Answer::code, Answer::label),
        max_months: DEFAULT_MAX_MONTHS,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/parcours/nouveau`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    new_page(
        &state,
        &ctx,
        &user,
        chrome,
        NewFileInput::default(),
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/parcours/nouveau`.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(input): Form<NewFileInput>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let codes: Vec<String> = communes(&state, scope)
        .await?
        .into_iter()
        .map(|c| c.0)
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let parsed = File::parse(&input.file, &codes, state.store.today());
    let organisation = input.organisation.trim().parse::<i64>().ok();
    let mut errors = match &parsed {
        Ok(_) => Errors::default(),
        Err(e) => Errors(e.clone()),
    };
    if organisation.is_none() {
        errors.add(
            "organisation",
            "Choisissez l'organisation qui suit la personne.",
        );
    }
    if let (Ok(file), Some(organisation), false) = (parsed, organisation, errors.any()) {
        let new = NewFile {
            organisation,
            file,
            max_months: DEFAULT_MAX_MONTHS,
        };
        match state
            .store
            .create_path_file(user.person_id, scope, &new)
            .await
        {
            Ok(id) => {
                return Ok(
                    Redirect::to(&format!("/{}/{ROOT}/{id}", ctx.territory.slug)).into_response(),
                );
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    new_page(&state, &ctx, &user, chrome, input, errors).await
}
