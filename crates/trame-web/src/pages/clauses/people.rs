//! The people who work clause hours: the facilitators see and record them (their
//! eligibility validated on recording), a partner sees the people it referred. Every
//! read is in the access log.

use super::options;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::clauses::person::{Person, PersonInput, reference};
use trame_domain::clauses::vocab::{Ground, Moment, Outcome, SEXES, age_band};
use trame_domain::role::Role;
use trame_store::clauses::{PeopleOf, PersonRow};
use trame_store::funding::awards::paris_day;

/// A person as the pages show them.
pub struct PersonView {
    /// The row.
    pub p: PersonRow,
    /// Their reference.
    pub reference: String,
    /// Their ground, written out.
    pub ground: &'static str,
    /// Their age band this year.
    pub age: &'static str,
}

fn view(p: PersonRow, year: i32) -> PersonView {
    PersonView {
        reference: reference(p.id),
        ground: Ground::from_code(&p.ground).map_or("", |g| g.label()),
        age: age_band(p.birth_year, year),
        p,
    }
}

/// Whether the viewer records people and sees everyone (a facilitator or staff).
fn facilitates(ctx: &TerritoryCtx) -> bool {
    ctx.roles
        .iter()
        .any(|r| r.is_staff() || *r == Role::Facilitator)
}

/// Whose people the viewer sees.
async fn scope_of(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
) -> Result<Option<Vec<i64>>, AppError> {
    Ok(if facilitates(ctx) {
        None
    } else {
        Some(
            state
                .store
                .organisations_of(ctx.territory.scope(), user.person_id)
                .await?,
        )
    })
}

#[derive(Template)]
#[template(path = "clauses/people.html")]
struct PeoplePage {
    chrome: Chrome,
    slug: String,
    people: Vec<PersonView>,
    total: u64,
    search: String,
    can_record: bool,
    form: PersonInput,
    errors: Errors,
    grounds: Vec<(String, String)>,
    sexes: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
}

/// The list's search.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PeopleQuery {
    /// A last name's beginning, or a reference.
    #[serde(default)]
    q: String,
}

/// How many people a list shows.
const SHOWN: u64 = 100;

async fn people_page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    form: PersonInput,
    errors: Errors,
    search: String,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let year = paris_day(state.store.now()).year();
    let orgs = scope_of(state, &ctx, user).await?;
    let of = orgs.as_deref().map_or(PeopleOf::All, PeopleOf::Referred);
    let (rows, total) = state
        .store
        .clause_people(user.person_id, scope, of, &search, SHOWN)
        .await?;
    let people = rows.into_iter().map(|p| view(p, year)).collect();
    let failed = errors.any();
    let resp = render(&PeoplePage {
        chrome,
        slug: ctx.territory.slug.clone(),
        people,
        total,
        search,
        can_record: facilitates(&ctx),
        form,
        errors,
        grounds: options(Ground::ALL, Ground::code, Ground::label),
        sexes: SEXES
            .iter()
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
            .collect(),
        communes: state
            .store
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| (c.code_insee, c.name))
            .collect(),
        organisations: state
            .store
            .organisations(scope)
            .await?
            .into_iter()
            .map(|o| (o.id.to_string(), o.name))
            .collect(),
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/clauses/personnes`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    axum::extract::Query(q): axum::extract::Query<PeopleQuery>,
) -> Result<Response, AppError> {
    people_page(
        &state,
        ctx,
        &user,
        chrome,
        PersonInput::default(),
        Errors::default(),
        q.q.chars().take(80).collect(),
    )
    .await
}

/// `POST /{territoire}/clauses/personnes`: records a person, eligibility validated.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<PersonInput>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let year = paris_day(state.store.now()).year();
    let errors = match Person::parse(&form, year) {
        Ok(p) => {
            let mut errors = Errors::default();
            if let Some(code) = p.commune_code.as_deref()
                && !state
                    .store
                    .communes(scope)
                    .await?
                    .iter()
                    .any(|c| c.code_insee == code)
            {
                errors.add("commune_code", "Choisissez une commune du territoire.");
            }
            if !errors.any() {
                match state
                    .store
                    .create_clause_person(user.person_id, scope, &p)
                    .await
                {
                    Ok(id) => {
                        return Ok(Redirect::to(&format!(
                            "/{}/clauses/personnes/{id}",
                            ctx.territory.slug
                        ))
                        .into_response());
                    }
                    Err(e) => errors = Errors::from_store(e)?,
                }
            }
            errors
        }
        Err(e) => Errors(e),
    };
    people_page(&state, ctx, &user, chrome, form, errors, String::new()).await
}

#[derive(Template)]
#[template(path = "clauses/person.html")]
struct PersonPage {
    chrome: Chrome,
    slug: String,
    v: PersonView,
    referrer: Option<String>,
    commune: Option<String>,
    can_record: bool,
    contracts: Vec<(String, String)>,
    outcomes: Vec<(String, String, String, String)>,
    moments: Vec<(String, String)>,
    situations: Vec<(String, String)>,
    form: OutcomeForm,
    errors: Errors,
}

/// The form of an outcome.
#[derive(Debug, Default, serde::Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    contract: String,
    #[serde(default)]
    moment: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    observed_on: String,
}

/// `GET /{territoire}/clauses/personnes/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    person_page(
        &state,
        ctx,
        &user,
        chrome,
        path_id(&id)?,
        OutcomeForm::default(),
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/clauses/personnes/{id}/situations`: the person's outcome on one
/// contract, at the end of the mission or six months later.
pub async fn record_outcome(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    // The person must exist in the territory (404 otherwise).
    state
        .store
        .clause_person(user.person_id, scope, id, PeopleOf::All)
        .await?;
    let mut errors = Errors::default();
    let contract = form.contract.trim().parse::<i64>().ok();
    if contract.is_none() {
        errors.add("contract", "Choisissez le marché.");
    }
    let moment = Moment::from_code(form.moment.trim());
    if moment.is_none() {
        errors.add(
            "moment",
            "Choisissez le moment : fin de mission ou six mois après.",
        );
    }
    let outcome = Outcome::from_code(form.outcome.trim());
    if outcome.is_none() {
        errors.add("outcome", "Choisissez la situation.");
    }
    let observed = trame_domain::format::parse_iso_date(form.observed_on.trim());
    if observed.is_none() {
        errors.add(
            "observed_on",
            "Indiquez la date de la situation (AAAA-MM-JJ).",
        );
    }
    if let (Some(c), Some(m), Some(o), Some(d), false) =
        (contract, moment, outcome, observed, errors.any())
    {
        match state
            .store
            .record_outcome(user.person_id, scope, id, c, m, o, d)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/clauses/personnes/{id}#situations",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    person_page(&state, ctx, &user, chrome, id, form, errors).await
}

async fn person_page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    form: OutcomeForm,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let year = paris_day(state.store.now()).year();
    let orgs = scope_of(state, &ctx, user).await?;
    let of = orgs.as_deref().map_or(PeopleOf::All, PeopleOf::Referred);
    let p = state
        .store
        .clause_person(user.person_id, scope, id, of)
        .await?;
    let contracts = state.store.contracts_of_person(scope, id).await?;
    let reference_of = |c: i64| {
        contracts
            .iter()
            .find(|(id, _)| *id == c)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    };
    let outcomes = state
        .store
        .outcomes_of(scope, id)
        .await?
        .into_iter()
        .map(|o| {
            (
                reference_of(o.contract_id),
                Moment::from_code(&o.moment)
                    .map_or("", |m| m.label())
                    .to_owned(),
                Outcome::from_code(&o.outcome)
                    .map_or("", |m| m.label())
                    .to_owned(),
                o.observed_on,
            )
        })
        .collect();
    let referrer = match p.referring_org_id {
        Some(o) => Some(state.store.organisation(scope, o).await?.name),
        None => None,
    };
    let commune = match &p.commune_code {
        Some(code) => state
            .store
            .communes(scope)
            .await?
            .into_iter()
            .find(|c| &c.code_insee == code)
            .map(|c| c.name),
        None => None,
    };
    let failed = errors.any();
    let resp = render(&PersonPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        v: view(p, year),
        referrer,
        commune,
        can_record: facilitates(&ctx),
        contracts: contracts
            .iter()
            .map(|(id, r)| (id.to_string(), r.clone()))
            .collect(),
        outcomes,
        moments: options(Moment::ALL, Moment::code, Moment::label),
        situations: options(Outcome::ALL, Outcome::code, Outcome::label),
        form,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}
