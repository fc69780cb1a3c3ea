//! The counsellors' pages: the files they reach, a new file, and a file's page with its
//! barriers, steps, referrals, exit, six-month situation and sharing.

use super::{ROOT, commune_name, communes};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::accompaniment::{day, label_of};
use crate::pages::clauses::options;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::accompaniment::vocab::{Answer, Education, EntryStatus, ExitStatus, SEXES};
use trame_domain::clauses::vocab::Ground;
use trame_domain::pathways::pathway::{
    BarrierEntry, BarrierInput, DEFAULT_ALERT_DAYS, DEFAULT_MAX_MONTHS, Exit, ExitInput, File,
    FileInput, Step, StepInput, check_follow_up,
};
use trame_domain::pathways::vocab::{Barrier, ExitReason, StepKind, StepStatus};
use trame_store::pathways::{FileView, NewFile, Reach};

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
    let today = state.store.now().date();
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
    let parsed = File::parse(&input.file, &codes, state.store.now().date());
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

/// A step as the file's page shows it.
pub struct StepLine {
    /// The row's id.
    pub id: i64,
    /// The type, written out.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Dates, written out.
    pub dates: String,
    /// The status, written out.
    pub status: String,
    /// The row as a form, to change it.
    pub input: StepInput,
}

/// A barrier as the file's page shows it.
pub struct BarrierLine {
    /// The row's id.
    pub id: i64,
    /// The theme.
    pub label: String,
    /// Note.
    pub note: String,
    /// Found on, written out.
    pub identified: String,
    /// Lifted on, written out.
    pub lifted: Option<String>,
}

/// A referral as the file's page shows it.
pub struct ReferralLine {
    /// Service.
    pub service: String,
    /// Structure.
    pub structure: String,
    /// Barrier theme.
    pub barrier: String,
    /// Sent on, written out, and by whom.
    pub sent: String,
    /// State, written out.
    pub state: String,
    /// Whether it was accepted.
    pub accepted: bool,
    /// The structure's reason, when declined.
    pub reason: String,
}

/// The forms of a file's page, with what was typed and their errors.
#[derive(Default)]
pub struct Forms {
    /// A barrier.
    pub barrier: BarrierInput,
    /// Its errors (and a lift's).
    pub barrier_errors: Errors,
    /// A new step.
    pub step: StepInput,
    /// Its errors.
    pub step_errors: Errors,
    /// The step being changed, with its errors.
    pub editing: Option<(i64, StepInput, Errors)>,
    /// The exit.
    pub exit: ExitInput,
    /// Its errors.
    pub exit_errors: Errors,
    /// The six-month situation.
    pub follow_up: String,
    /// Its errors.
    pub follow_up_errors: Errors,
    /// The forum to register the person to.
    pub forum: String,
    /// Its errors.
    pub forum_errors: Errors,
    /// The organisation to share with.
    pub share: String,
    /// Its errors.
    pub share_errors: Errors,
}

impl Forms {
    fn failed(&self) -> bool {
        self.barrier_errors.any()
            || self.step_errors.any()
            || self.editing.as_ref().is_some_and(|e| e.2.any())
            || self.exit_errors.any()
            || self.follow_up_errors.any()
            || self.share_errors.any()
            || self.forum_errors.any()
    }
}

#[derive(Template)]
#[template(path = "pathways/file.html")]
struct FilePage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    v: FileView,
    writes: bool,
    commune: String,
    ground: String,
    entered: String,
    ends_by: String,
    alert: Option<String>,
    entry_status: String,
    education: String,
    disability: String,
    homeless: String,
    barriers: Vec<BarrierLine>,
    steps: Vec<StepLine>,
    referrals: Vec<ReferralLine>,
    exit: Option<(String, String, String, bool)>,
    follow_up: Option<(String, String)>,
    follow_up_hint: String,
    f: Forms,
    barrier_options: Vec<(String, String)>,
    step_kinds: Vec<(String, String)>,
    step_statuses: Vec<(String, String)>,
    exit_reasons: Vec<(String, String)>,
    situations: Vec<(String, String)>,
    share_options: Vec<(String, String)>,
    forum_options: Vec<(String, String)>,
    forums: Vec<FileForumLine>,
}

/// A forum the person is registered to, as the file's page shows it.
pub struct FileForumLine {
    /// Forum's id.
    pub id: i64,
    /// Title and day.
    pub title: String,
    /// Checked in.
    pub came: bool,
    /// What came of it: « Embauche — Employeur ».
    pub results: Vec<String>,
}

impl FilePage {
    fn editing_errors(&self, id: &i64) -> Option<&Errors> {
        self.f
            .editing
            .as_ref()
            .filter(|(e, _, _)| e == id)
            .map(|(_, _, errors)| errors)
    }
}

async fn file_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    f: Forms,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let today = state.store.now().date();
    let communes = communes(state, scope).await?;
    let p = &v.file;
    let exit = match (&p.exited_on, &p.exit_reason) {
        (Some(d), Some(r)) => Some((
            day(d),
            label_of(r, ExitReason::from_code, ExitReason::label),
            p.exit_note.clone(),
            ExitReason::from_code(r).is_some_and(ExitReason::positive),
        )),
        _ => None,
    };
    let follow_up = match (&p.follow_up_on, &p.follow_up) {
        (Some(d), Some(s)) => Some((
            day(d),
            label_of(s, ExitStatus::from_code, ExitStatus::label),
        )),
        _ => None,
    };
    let follow_up_due = p
        .exited_on
        .as_deref()
        .and_then(trame_domain::format::parse_iso_date)
        .map(|d| {
            trame_domain::format::french_date(trame_domain::pathways::pathway::add_months(d, 6))
        });
    let barriers = v
        .barriers
        .iter()
        .map(|b| BarrierLine {
            id: b.id,
            label: label_of(&b.barrier, Barrier::from_code, Barrier::label),
            note: b.note.clone(),
            identified: day(&b.identified_on),
            lifted: b.lifted_on.as_deref().map(day),
        })
        .collect();
    let steps = v
        .steps
        .iter()
        .map(|s| StepLine {
            id: s.id,
            kind: label_of(&s.kind, StepKind::from_code, StepKind::label),
            title: s.title.clone(),
            dates: match &s.ends_on {
                Some(e) => format!("du {} au {}", day(&s.starts_on), day(e)),
                None => format!("à partir du {}", day(&s.starts_on)),
            },
            status: label_of(&s.status, StepStatus::from_code, StepStatus::label),
            input: StepInput {
                step_kind: s.kind.clone(),
                starts_on: s.starts_on.clone(),
                ends_on: s.ends_on.clone().unwrap_or_default(),
                status: s.status.clone(),
                title: s.title.clone(),
            },
        })
        .collect();
    let referrals = v
        .referrals
        .iter()
        .map(|r| ReferralLine {
            service: r.service.clone(),
            structure: r.structure.clone(),
            barrier: r.barrier.map_or("", Barrier::label).to_owned(),
            sent: format!(
                "{} par {}",
                trame_domain::format::french_date(r.row.sent_at.date()),
                r.sent_by
            ),
            state: r.state.label().to_owned(),
            accepted: r.state == trame_domain::pathways::vocab::ReferralState::Accepted,
            reason: r.row.reason.clone(),
        })
        .collect();
    let shared: Vec<i64> = v.shares.iter().map(|s| s.0).collect();
    let share_options = state
        .store
        .organisations(scope)
        .await?
        .into_iter()
        .filter(|o| o.id != p.organisation_id && !shared.contains(&o.id))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let registered = state
        .store
        .path_file_forums(user.person_id, scope, id)
        .await?;
    let forum_options = state
        .store
        .forums(scope)
        .await?
        .into_iter()
        .filter(|f| {
            trame_domain::format::parse_iso_date(&f.held_on).is_some_and(|d| d >= today)
                && f.registered < f.capacity
                && !registered.iter().any(|r| r.forum.id == f.id)
        })
        .map(|f| {
            (
                f.id.to_string(),
                format!("{} — {}", f.title, day(&f.held_on)),
            )
        })
        .collect();
    let forums = registered
        .iter()
        .map(|r| FileForumLine {
            id: r.forum.id,
            title: format!("{}, le {}", r.forum.title, day(&r.forum.held_on)),
            came: r.registration.checked_in_at.is_some(),
            results: r
                .results
                .iter()
                .map(|(res, employer)| {
                    format!(
                        "{} — {employer}",
                        trame_domain::pathways::forum::ResultKind::from_code(&res.kind)
                            .map_or_else(|| res.kind.clone(), |k| k.label().to_owned())
                    )
                })
                .collect(),
        })
        .collect();
    let days = v.days();
    let page = FilePage {
        forum_options,
        forums,
        chrome,
        slug: ctx.territory.slug.clone(),
        root: ROOT,
        writes: v.reach == Reach::Holder,
        commune: commune_name(&communes, &p.commune_code),
        ground: label_of(&p.ground, Ground::from_code, Ground::label),
        entered: day(&p.entered_on),
        ends_by: day(&p.ends_by),
        alert: match days.alert(today, DEFAULT_ALERT_DAYS) {
            _ if p.exited_on.is_some() => None,
            Some(left) if left < 0 => Some(format!(
                "La durée maximale du parcours est dépassée depuis {} jour(s) : enregistrez la sortie.",
                -left
            )),
            Some(left) => Some(format!(
                "Le parcours atteint sa durée maximale dans {left} jour(s), le {} : préparez la sortie.",
                day(&p.ends_by)
            )),
            None => None,
        },
        entry_status: label_of(&p.entry_status, EntryStatus::from_code, EntryStatus::label),
        education: label_of(&p.education, Education::from_code, Education::label),
        disability: label_of(&p.disability, Answer::from_code, Answer::label),
        homeless: label_of(&p.homeless, Answer::from_code, Answer::label),
        barriers,
        steps,
        referrals,
        exit,
        follow_up,
        follow_up_hint: follow_up_due
            .map(|d| format!("À noter à partir du {d}."))
            .unwrap_or_default(),
        barrier_options: options(Barrier::ALL, Barrier::code, Barrier::label),
        step_kinds: options(StepKind::ALL, StepKind::code, StepKind::label),
        step_statuses: options(StepStatus::ALL, StepStatus::code, StepStatus::label),
        exit_reasons: options(ExitReason::ALL, ExitReason::code, ExitReason::label),
        situations: options(ExitStatus::ALL, ExitStatus::code, ExitStatus::label),
        share_options,
        v,
        f,
    };
    let failed = page.f.failed();
    let resp = render(&page)?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/parcours/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    file_page(&state, &ctx, &user, chrome, path_id(&id)?, Forms::default()).await
}

fn back(ctx: &TerritoryCtx, id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/{}/{ROOT}/{id}#{anchor}", ctx.territory.slug)).into_response()
}

/// `POST /{territoire}/parcours/{id}/freins`.
pub async fn add_barrier(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<BarrierInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let errors = match BarrierEntry::parse(&input) {
        Ok(b) => match state
            .store
            .add_path_barrier(user.person_id, ctx.territory.scope(), id, &b)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "freins")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        barrier: input,
        barrier_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// A form that names one row of the file.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RowInput {
    /// The row's id.
    #[serde(default)]
    pub row: String,
}

/// `POST /{territoire}/parcours/{id}/freins/lever`.
pub async fn lift_barrier(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<RowInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.row.trim().parse::<i64>() {
        Err(_) => errors.add("barrier", "Choisissez le frein levé."),
        Ok(row) => match state
            .store
            .lift_path_barrier(user.person_id, ctx.territory.scope(), id, row)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "freins")),
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        barrier_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/parcours/{id}/etapes`.
pub async fn add_step(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<StepInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let errors = match Step::parse(&input, v.days(), state.store.now().date()) {
        Ok(s) => match state
            .store
            .add_path_step(user.person_id, scope, id, &s)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "etapes")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        step: input,
        step_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// A step's change: which step, and its new values.
#[derive(Debug, Default, serde::Deserialize)]
pub struct StepChange {
    /// The step's id.
    #[serde(default)]
    pub row: String,
    /// Its values.
    #[serde(flatten)]
    pub step: StepInput,
}

/// `POST /{territoire}/parcours/{id}/etapes/modifier`.
pub async fn update_step(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<StepChange>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let Ok(row) = input.row.trim().parse::<i64>() else {
        let mut errors = Errors::default();
        errors.add("step_kind", "Choisissez l'étape à modifier.");
        let f = Forms {
            step_errors: errors,
            ..Forms::default()
        };
        return file_page(&state, &ctx, &user, chrome, id, f).await;
    };
    let errors = match Step::parse(&input.step, v.days(), state.store.now().date()) {
        Ok(s) => match state
            .store
            .update_path_step(user.person_id, scope, id, row, &s)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "etapes")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        editing: Some((row, input.step, errors)),
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/parcours/{id}/sortie`.
pub async fn record_exit(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ExitInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let errors = match Exit::parse(&input, v.days(), state.store.now().date()) {
        Ok(e) => match state
            .store
            .exit_path_file(user.person_id, scope, id, &e)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "sortie")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        exit: input,
        exit_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// The six-month situation as typed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FollowUpInput {
    /// A code of [`ExitStatus`].
    #[serde(default)]
    pub situation: String,
}

/// `POST /{territoire}/parcours/{id}/suivi`.
pub async fn record_follow_up(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<FollowUpInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let exited = v
        .file
        .exited_on
        .as_deref()
        .and_then(trame_domain::format::parse_iso_date);
    let mut errors = Errors::default();
    match exited {
        None => errors.add("situation", "Enregistrez d'abord la sortie du parcours."),
        Some(d) => match check_follow_up(&input.situation, d, state.store.now().date()) {
            Ok(s) => match state
                .store
                .path_follow_up(user.person_id, scope, id, s)
                .await
            {
                Ok(()) => return Ok(back(&ctx, id, "sortie")),
                Err(e) => errors = Errors::from_store(e)?,
            },
            Err((field, message)) => errors.add(field, message),
        },
    }
    let f = Forms {
        follow_up: input.situation,
        follow_up_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// The organisation to share with, or to stop sharing with.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ShareInput {
    /// The organisation's id.
    #[serde(default)]
    pub organisation: String,
}

/// `POST /{territoire}/parcours/{id}/partage`.
pub async fn share(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ShareInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.organisation.trim().parse::<i64>() {
        Err(_) => errors.add("organisation", "Choisissez l'organisation."),
        Ok(org) => match state
            .store
            .share_path_file(user.person_id, ctx.territory.scope(), id, org)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "partage")),
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        share: input.organisation,
        share_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/parcours/{id}/partage/retirer`.
pub async fn unshare(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ShareInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.organisation.trim().parse::<i64>() {
        Err(_) => errors.add("organisation", "Choisissez le partage à retirer."),
        Ok(org) => match state
            .store
            .unshare_path_file(user.person_id, ctx.territory.scope(), id, org)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "partage")),
            Err(trame_store::StoreError::NotFound) => {
                errors.add("organisation", "Le dossier n'est pas partagé avec elle.");
            }
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        share_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}

/// The forum to register the person to.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ForumChoice {
    /// The forum's id.
    #[serde(default)]
    pub forum: String,
}

/// `POST /{territoire}/parcours/{id}/forum`.
pub async fn register_to_forum(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ForumChoice>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.forum.trim().parse::<i64>() {
        Err(_) => errors.add("forum", "Choisissez le forum."),
        Ok(forum) => match state
            .store
            .register_file_to_forum(user.person_id, ctx.territory.scope(), id, forum)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "forums")),
            Err(trame_store::StoreError::NotFound) => {
                errors.add("forum", "Choisissez un forum de la liste.");
            }
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        forum: input.forum,
        forum_errors: errors,
        ..Forms::default()
    };
    file_page(&state, &ctx, &user, chrome, id, f).await
}
