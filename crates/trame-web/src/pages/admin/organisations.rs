//! Organisations of a territory: list, record, creation and edition.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trame_domain::format::paris_datetime;
use trame_domain::organisation::{
    InsertionKind, LegalForm, Organisation, OrganisationInput, esus_expiry,
};
use trame_domain::role::Role;
use trame_store::accounts::Person;
use trame_store::organisations::OrganisationRow;
use trame_store::territories::Commune;

/// An organisation as the list and the record show it.
pub struct OrgView {
    /// Row.
    pub row: OrganisationRow,
    /// Legal form label.
    pub form_label: &'static str,
    /// Insertion kind label.
    pub kind_label: Option<&'static str>,
    /// Commune name.
    pub commune: Option<String>,
    /// ESUS approval end, `JJ/MM/AAAA`.
    pub esus_until: Option<String>,
}

fn view(row: OrganisationRow, communes: &[Commune]) -> OrgView {
    OrgView {
        form_label: LegalForm::from_code(&row.legal_form)
            .map(LegalForm::label)
            .unwrap_or("—"),
        kind_label: row
            .siae_kind
            .as_deref()
            .and_then(InsertionKind::from_code)
            .map(InsertionKind::label),
        commune: row
            .commune_code
            .as_ref()
            .and_then(|code| communes.iter().find(|c| &c.code_insee == code))
            .map(|c| c.name.clone()),
        esus_until: row.esus_approved_on.map(|d| {
            let end = esus_expiry(d);
            format!(
                "{:02}/{:02}/{}",
                end.day(),
                u8::from(end.month()),
                end.year()
            )
        }),
        row,
    }
}

#[derive(Template)]
#[template(path = "admin/organisations.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    organisations: Vec<OrgView>,
    can_edit: bool,
}

/// `GET /{territoire}/admin/organisations`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let communes = state.store.communes(scope).await?;
    let organisations = state
        .store
        .organisations(scope)
        .await?
        .into_iter()
        .map(|o| view(o, &communes))
        .collect();
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        organisations,
        can_edit: ctx.roles.contains(&Role::TerritoryAdmin),
    })
}

/// An API token as a list shows it (an organisation's, or a staff member's own).
pub(crate) struct TokenRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) prefix: String,
    pub(crate) created: String,
    pub(crate) last_used: String,
    pub(crate) revoked: bool,
}

impl TokenRow {
    /// From a token's columns.
    pub(crate) fn of(
        id: i64,
        name: String,
        prefix: String,
        created_at: time::OffsetDateTime,
        last_used_at: Option<time::OffsetDateTime>,
        revoked: bool,
    ) -> TokenRow {
        TokenRow {
            id,
            name,
            prefix,
            created: paris_datetime(created_at),
            last_used: last_used_at
                .map(paris_datetime)
                .unwrap_or_else(|| "jamais".into()),
            revoked,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/organisation.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    org: OrgView,
    members: Vec<(Person, bool, bool)>,
    can_edit: bool,
    is_cae: bool,
    tokens: Vec<TokenRow>,
    /// A token just created, shown this once.
    new_token: Option<String>,
    /// Where the token forms post.
    token_base: String,
    errors: Errors,
}

pub(crate) async fn show_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: i64,
    new_token: Option<String>,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let row = state.store.organisation(scope, id).await?;
    let communes = state.store.communes(scope).await?;
    let members = state.store.organisation_members(scope, row.id).await?;
    let can_edit = ctx.roles.contains(&Role::TerritoryAdmin);
    let is_cae = row.legal_form == LegalForm::Cae.code();
    let tokens = if can_edit {
        state
            .store
            .api_tokens(scope, row.id)
            .await?
            .into_iter()
            .map(|t| {
                TokenRow::of(
                    t.id,
                    t.name,
                    t.prefix,
                    t.created_at,
                    t.last_used_at,
                    t.revoked_at.is_some(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let failed = errors.any();
    let resp = render(&ShowPage {
        token_base: format!("/{}/admin/organisations/{id}/jetons", ctx.territory.slug),
        chrome,
        slug: ctx.territory.slug,
        org: view(row, &communes),
        members,
        can_edit,
        is_cae,
        tokens,
        new_token,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// The id in a path; anything else is not found.
pub(crate) fn org_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// `GET /{territoire}/admin/organisations/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    show_page(&state, ctx, chrome, org_id(&id)?, None, Errors::default()).await
}

/// The organisation form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    siret: String,
    #[serde(default)]
    rna: String,
    #[serde(default)]
    legal_form: String,
    #[serde(default)]
    insertion_kind: String,
    #[serde(default)]
    esus_approved_on: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    commune_code: String,
}

impl From<&OrgForm> for OrganisationInput {
    fn from(f: &OrgForm) -> Self {
        OrganisationInput {
            name: f.name.clone(),
            siret: f.siret.clone(),
            rna: f.rna.clone(),
            legal_form: f.legal_form.clone(),
            insertion_kind: f.insertion_kind.clone(),
            esus_approved_on: f.esus_approved_on.clone(),
            address: f.address.clone(),
            commune_code: f.commune_code.clone(),
        }
    }
}

impl From<&OrganisationRow> for OrgForm {
    fn from(o: &OrganisationRow) -> Self {
        OrgForm {
            name: o.name.clone(),
            siret: o.siret.clone().unwrap_or_default(),
            rna: o.rna.clone().unwrap_or_default(),
            legal_form: o.legal_form.clone(),
            insertion_kind: o.siae_kind.clone().unwrap_or_default(),
            esus_approved_on: o
                .esus_approved_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            address: o.address.clone(),
            commune_code: o.commune_code.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/organisation_form.html")]
struct FormPage {
    chrome: Chrome,
    slug: String,
    /// `None` when creating.
    id: Option<i64>,
    form: OrgForm,
    errors: Errors,
    communes: Vec<Commune>,
    forms: [LegalForm; 10],
    kinds: [InsertionKind; 8],
}

async fn form_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: Option<i64>,
    form: OrgForm,
    errors: Errors,
) -> Result<Response, AppError> {
    let failed = errors.any();
    let communes = state.store.communes(ctx.territory.scope()).await?;
    let page = render(&FormPage {
        chrome,
        slug: ctx.territory.slug,
        id,
        form,
        errors,
        communes,
        forms: LegalForm::ALL,
        kinds: InsertionKind::ALL,
    })?;
    Ok(if failed { unprocessable(page) } else { page })
}

/// `GET /{territoire}/admin/organisations/nouvelle`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    form_page(
        &state,
        ctx,
        chrome,
        None,
        OrgForm::default(),
        Errors::default(),
    )
    .await
}

/// `GET /{territoire}/admin/organisations/{id}/modifier`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let row = state
        .store
        .organisation(ctx.territory.scope(), org_id(&id)?)
        .await?;
    form_page(
        &state,
        ctx,
        chrome,
        Some(row.id),
        OrgForm::from(&row),
        Errors::default(),
    )
    .await
}

async fn save(
    state: AppState,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    id: Option<i64>,
    form: OrgForm,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let today = state.store.today();
    let mut errors = match Organisation::parse(&OrganisationInput::from(&form), today) {
        Ok(org) => {
            let commune_ok = match &org.commune_code {
                Some(code) => state
                    .store
                    .communes(scope)
                    .await?
                    .iter()
                    .any(|c| c.code_insee == code.as_str()),
                None => true,
            };
            if commune_ok {
                let saved = match id {
                    Some(id) => {
                        state
                            .store
                            .update_organisation(Some(user.person_id), scope, id, &org)
                            .await
                    }
                    None => {
                        state
                            .store
                            .create_organisation(Some(user.person_id), scope, &org)
                            .await
                    }
                };
                match saved {
                    Ok(row) => {
                        return Ok(Redirect::to(&format!(
                            "/{}/admin/organisations/{}",
                            ctx.territory.slug, row.id
                        ))
                        .into_response());
                    }
                    Err(e) => Errors::from_store(e)?,
                }
            } else {
                let mut e = Errors::default();
                e.add("commune_code", "Choisissez une commune du territoire.");
                e
            }
        }
        Err(field_errors) => Errors(field_errors),
    };
    if !errors.any() {
        errors.add("name", "Le formulaire n'a pas pu être enregistré.");
    }
    form_page(&state, ctx, chrome, id, form, errors).await
}

/// `POST /{territoire}/admin/organisations/nouvelle`.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(form): Form<OrgForm>,
) -> Result<Response, AppError> {
    save(state, ctx, user, chrome, None, form).await
}

/// `POST /{territoire}/admin/organisations/{id}/modifier`.
pub async fn update(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<OrgForm>,
) -> Result<Response, AppError> {
    let id = org_id(&id)?;
    state.store.organisation(ctx.territory.scope(), id).await?;
    save(state, ctx, user, chrome, Some(id), form).await
}

/// The flags of a person acting for the organisation.
#[derive(Debug, Deserialize)]
pub struct MemberFlags {
    #[serde(default)]
    manager: Option<String>,
    #[serde(default)]
    hosted_entrepreneur: Option<String>,
}

/// `POST /{territoire}/admin/organisations/{id}/membres/{person}`: manager and hosted
/// entrepreneur flags.
pub async fn set_member_flags(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, person)): Path<(String, String, String)>,
    Form(form): Form<MemberFlags>,
) -> Result<Response, AppError> {
    let id = org_id(&id)?;
    let person: i64 = person.parse().map_err(|_| AppError::NotFound)?;
    match state
        .store
        .set_organisation_member_flags(
            user.person_id,
            ctx.territory.scope(),
            id,
            person,
            form.manager.is_some(),
            form.hosted_entrepreneur.is_some(),
        )
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/{}/admin/organisations/{id}", ctx.territory.slug))
                .into_response(),
        ),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            show_page(&state, ctx, chrome, id, None, errors).await
        }
    }
}
