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
use trame_domain::clauses::vocab::{Ground, SEXES, age_band};
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
    can_record: bool,
    form: PersonInput,
    errors: Errors,
    grounds: Vec<(String, String)>,
    sexes: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
}

async fn people_page(
    state: &AppState,
    ctx: TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    form: PersonInput,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let year = paris_day(state.store.now()).year();
    let orgs = scope_of(state, &ctx, user).await?;
    let of = orgs.as_deref().map_or(PeopleOf::All, PeopleOf::Referred);
    let people = state
        .store
        .clause_people(user.person_id, scope, of)
        .await?
        .into_iter()
        .map(|p| view(p, year))
        .collect();
    let failed = errors.any();
    let resp = render(&PeoplePage {
        chrome,
        slug: ctx.territory.slug.clone(),
        people,
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
) -> Result<Response, AppError> {
    people_page(
        &state,
        ctx,
        &user,
        chrome,
        PersonInput::default(),
        Errors::default(),
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
    people_page(&state, ctx, &user, chrome, form, errors).await
}

#[derive(Template)]
#[template(path = "clauses/person.html")]
struct PersonPage {
    chrome: Chrome,
    slug: String,
    v: PersonView,
    referrer: Option<String>,
    commune: Option<String>,
}

/// `GET /{territoire}/clauses/personnes/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let year = paris_day(state.store.now()).year();
    let orgs = scope_of(&state, &ctx, &user).await?;
    let of = orgs.as_deref().map_or(PeopleOf::All, PeopleOf::Referred);
    let p = state
        .store
        .clause_person(user.person_id, scope, path_id(&id)?, of)
        .await?;
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
    render(&PersonPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        v: view(p, year),
        referrer,
        commune,
    })
}
