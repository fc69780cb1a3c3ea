//! The team's forum pages: the list and the creation form; a forum's page with its
//! employers and offers, the registrations with their check-in, and the interviews and
//! hires recorded afterwards.

use super::ForumLine;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::clauses::options;
use crate::pages::funding::path_id;
use crate::pages::pathways::{commune_name, communes};
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::format::french_date;
use trame_domain::format::paris_day;
use trame_domain::pathways::forum::{
    Employer, EmployerInput, Forum, ForumInput, ForumResult, Offer, OfferInput, ResultInput,
    ResultKind,
};

/// Where the team's pages live.
pub const ROOT: &str = "gestion-forums";

#[derive(Template)]
#[template(path = "forums/team_list.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    lines: Vec<ForumLine>,
    form: ForumInput,
    errors: Errors,
    communes: Vec<(String, String)>,
}

async fn list_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    chrome: Chrome,
    form: ForumInput,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let today = state.store.today();
    let communes = communes(state, scope).await?;
    let lines = state
        .store
        .forums(scope)
        .await?
        .iter()
        .map(|f| ForumLine::of(f, today, &communes))
        .collect();
    let failed = errors.any();
    let resp = render(&ListPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: ROOT,
        lines,
        form,
        errors,
        communes,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/gestion-forums`.
pub async fn index(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    list_page(
        &state,
        &ctx,
        chrome,
        ForumInput::default(),
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/gestion-forums`.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(input): Form<ForumInput>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let codes: Vec<String> = communes(&state, scope)
        .await?
        .into_iter()
        .map(|c| c.0)
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let errors = match Forum::parse(&input, &codes, state.store.today()) {
        Ok(f) => match state.store.create_forum(user.person_id, scope, &f).await {
            Ok(id) => {
                return Ok(
                    Redirect::to(&format!("/{}/{ROOT}/{id}", ctx.territory.slug)).into_response(),
                );
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    list_page(&state, &ctx, chrome, input, errors).await
}

/// A registration as the team's page shows it.
pub struct Seat {
    /// Id.
    pub id: i64,
    /// « Prénom Nom ».
    pub name: String,
    /// Email, phone.
    pub contact: String,
    /// Commune.
    pub commune: String,
    /// How: online, or the counsellor's registration (with a pathway file or not).
    pub how: String,
    /// Checked in at, written out.
    pub checked_in: Option<String>,
}

/// A result as shown.
pub struct Outcome {
    /// The person.
    pub person: String,
    /// The employer.
    pub employer: String,
    /// The offer.
    pub offer: String,
    /// What.
    pub kind: String,
}

/// The forms of a forum's page.
#[derive(Default)]
pub struct Forms {
    /// Employer.
    pub employer: EmployerInput,
    /// Its errors.
    pub employer_errors: Errors,
    /// Offer and its employer.
    pub offer: OfferInput,
    /// The offer's employer.
    pub offer_employer: String,
    /// Its errors.
    pub offer_errors: Errors,
    /// Check-in errors.
    pub check_in_errors: Errors,
    /// Result.
    pub result: ResultInput,
    /// Its errors.
    pub result_errors: Errors,
}

impl Forms {
    fn failed(&self) -> bool {
        self.employer_errors.any()
            || self.offer_errors.any()
            || self.check_in_errors.any()
            || self.result_errors.any()
    }
}

#[derive(Template)]
#[template(path = "forums/team_show.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    line: ForumLine,
    held: bool,
    employers: Vec<(String, String)>,
    offers: Vec<(String, String)>,
    offer_lines: Vec<(String, Vec<String>)>,
    contracts: Vec<(String, String)>,
    seats: Vec<Seat>,
    seat_options: Vec<(String, String)>,
    checked_in: usize,
    outcomes: Vec<Outcome>,
    interviews: usize,
    hires: usize,
    kinds: Vec<(String, String)>,
    f: Forms,
}

async fn show_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    f: Forms,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let v = state.store.forum_view(scope, id).await?;
    let today = state.store.today();
    let communes = communes(state, scope).await?;
    let regs = state
        .store
        .forum_registrations(user.person_id, scope, id)
        .await?;
    let results = state.store.forum_results(scope, id).await?;
    let employers: Vec<(String, String)> = v
        .employers
        .iter()
        .map(|(e, _)| (e.id.to_string(), format!("{} ({})", e.name, e.siret)))
        .collect();
    let offers: Vec<(String, String)> = v
        .employers
        .iter()
        .flat_map(|(e, os)| {
            os.iter()
                .map(move |o| (o.id.to_string(), format!("{} — {}", o.title, e.name)))
        })
        .collect();
    let offer_lines = v
        .employers
        .iter()
        .map(|(e, os)| {
            (
                e.name.clone(),
                os.iter()
                    .map(|o| {
                        format!(
                            "{} ({}, {} poste(s)){}",
                            o.title,
                            o.contract,
                            o.positions,
                            if o.clause_contract_id.is_some() {
                                " — clause d'insertion"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let name_of = |rid: i64| {
        regs.iter()
            .find(|r| r.id == rid)
            .map(|r| format!("{} {}", r.first_name, r.last_name))
            .unwrap_or_default()
    };
    let employer_of = |eid: i64| {
        v.employers
            .iter()
            .find(|(e, _)| e.id == eid)
            .map(|(e, _)| e.name.clone())
            .unwrap_or_default()
    };
    let offer_of = |oid: Option<i64>| {
        oid.and_then(|oid| {
            v.employers
                .iter()
                .flat_map(|(_, os)| os.iter())
                .find(|o| o.id == oid)
                .map(|o| o.title.clone())
        })
        .unwrap_or_else(|| "—".to_owned())
    };
    let outcomes: Vec<Outcome> = results
        .iter()
        .map(|r| Outcome {
            person: name_of(r.registration_id),
            employer: employer_of(r.employer_id),
            offer: offer_of(r.offer_id),
            kind: ResultKind::from_code(&r.kind)
                .map_or_else(|| r.kind.clone(), |k| k.label().to_owned()),
        })
        .collect();
    let seats: Vec<Seat> = regs
        .iter()
        .map(|r| Seat {
            id: r.id,
            name: format!("{} {}", r.first_name, r.last_name),
            contact: [r.email.clone().unwrap_or_default(), r.phone.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            commune: r.commune_code.as_deref().map_or_else(
                || "Hors territoire".to_owned(),
                |c| commune_name(&communes, c),
            ),
            how: match (r.registered_by, r.path_file_id) {
                (_, Some(_)) => "Par son conseiller (parcours)".to_owned(),
                (Some(_), None) => "Par un conseiller".to_owned(),
                (None, None) => "En ligne".to_owned(),
            },
            checked_in: r.checked_in_at.map(|t| french_date(paris_day(t))),
        })
        .collect();
    let line = ForumLine::of(&v.forum, today, &communes);
    let held = trame_domain::format::parse_iso_date(&v.forum.held_on).is_some_and(|d| d <= today);
    let page = ShowPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: ROOT,
        held,
        employers,
        offers,
        offer_lines,
        contracts: state
            .store
            .forum_contract_choices(scope)
            .await?
            .into_iter()
            .map(|(id, r, o)| (id.to_string(), format!("{r} — {o}")))
            .collect(),
        seat_options: seats
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect(),
        checked_in: seats.iter().filter(|s| s.checked_in.is_some()).count(),
        interviews: results
            .iter()
            .filter(|r| r.kind == ResultKind::Interview.code())
            .count(),
        hires: results
            .iter()
            .filter(|r| r.kind == ResultKind::Hire.code())
            .count(),
        seats,
        outcomes,
        kinds: options(ResultKind::ALL, ResultKind::code, ResultKind::label),
        line,
        f,
    };
    let failed = page.f.failed();
    let resp = render(&page)?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/gestion-forums/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    show_page(&state, &ctx, &user, chrome, path_id(&id)?, Forms::default()).await
}

fn back(ctx: &TerritoryCtx, id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/{}/{ROOT}/{id}#{anchor}", ctx.territory.slug)).into_response()
}

/// `POST /{territoire}/gestion-forums/{id}/employeurs`.
pub async fn add_employer(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<EmployerInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let errors = match Employer::parse(&input) {
        Ok(e) => match state
            .store
            .add_forum_employer(user.person_id, ctx.territory.scope(), id, &e)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "employeurs")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        employer: input,
        employer_errors: errors,
        ..Forms::default()
    };
    show_page(&state, &ctx, &user, chrome, id, f).await
}

/// The offer form: the offer and its employer.
#[derive(Debug, Default, serde::Deserialize)]
pub struct OfferForm {
    /// The employer's id.
    #[serde(default)]
    pub offer_employer: String,
    /// The offer.
    #[serde(flatten)]
    pub offer: OfferInput,
}

/// `POST /{territoire}/gestion-forums/{id}/offres`.
pub async fn add_offer(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<OfferForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let parsed = Offer::parse(&input.offer);
    let mut errors = match &parsed {
        Ok(_) => Errors::default(),
        Err(e) => Errors(e.clone()),
    };
    let employer = input.offer_employer.trim().parse::<i64>().ok();
    if employer.is_none() {
        errors.add(
            "offer_employer",
            "Choisissez l'employeur qui propose l'offre.",
        );
    }
    if let (Ok(o), Some(employer), false) = (parsed, employer, errors.any()) {
        match state
            .store
            .add_forum_offer(user.person_id, ctx.territory.scope(), id, employer, &o)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "employeurs")),
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    let f = Forms {
        offer: input.offer,
        offer_employer: input.offer_employer,
        offer_errors: errors,
        ..Forms::default()
    };
    show_page(&state, &ctx, &user, chrome, id, f).await
}

/// A check-in: which registration.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CheckIn {
    /// The registration's id.
    #[serde(default)]
    pub registration: String,
}

/// `POST /{territoire}/gestion-forums/{id}/presence`.
pub async fn check_in(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<CheckIn>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    match input.registration.trim().parse::<i64>() {
        Err(_) => errors.add("registration", "Choisissez la personne inscrite."),
        Ok(r) => match state
            .store
            .check_in_forum(user.person_id, ctx.territory.scope(), id, r)
            .await
        {
            Ok(()) => return Ok(back(&ctx, id, "inscrits")),
            Err(trame_store::StoreError::NotFound) => {
                errors.add(
                    "registration",
                    "Choisissez une personne inscrite à ce forum.",
                );
            }
            Err(e) => errors = Errors::from_store(e)?,
        },
    }
    let f = Forms {
        check_in_errors: errors,
        ..Forms::default()
    };
    show_page(&state, &ctx, &user, chrome, id, f).await
}

/// `POST /{territoire}/gestion-forums/{id}/resultats`.
pub async fn record_result(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ResultInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let errors = match ForumResult::parse(&input) {
        Ok(r) => match state
            .store
            .record_forum_result(user.person_id, ctx.territory.scope(), id, &r)
            .await
        {
            Ok(_) => return Ok(back(&ctx, id, "resultats")),
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    let f = Forms {
        result: input,
        result_errors: errors,
        ..Forms::default()
    };
    show_page(&state, &ctx, &user, chrome, id, f).await
}
