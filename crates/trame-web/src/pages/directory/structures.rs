//! A structure's page for those who keep it up to date: the agents (every structure:
//! its record, its state, the organisation whose members edit it) and the structure's
//! own members (« Ma structure »: their structures and services only).

use super::admin::{
    Side, StatusForm, change_service_status, checks, field_errors, save_service_form, service_form,
    text, values,
};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, conflict, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use trame_domain::directory::listing::Status;
use trame_domain::directory::record::Structure;
use trame_domain::directory::vocab::Vocabulary;
use trame_store::directory::{ListedService, ListedStructure};
use trame_store::organisations::OrganisationRow;

use super::admin::Check;

#[derive(Template)]
#[template(path = "directory/structure_form.html")]
struct StructurePage {
    chrome: Chrome,
    slug: String,
    side: Side,
    base: String,
    s: ListedStructure,
    f: Structure,
    networks: Vec<Check>,
    services: Vec<ListedService>,
    organisations: Vec<OrganisationRow>,
    states: [Status; 3],
    errors: Errors,
    notice: Option<&'static str>,
    /// The record changed since the form was opened: the person's input is shown again.
    stale: bool,
}

impl StructurePage {
    fn service_path(&self, id: &i64) -> String {
        self.side.service_path(&self.slug, *id)
    }

    fn is_agent(&self) -> bool {
        self.side == Side::Agent
    }
}

#[allow(clippy::too_many_arguments)]
async fn structure_page(
    side: Side,
    state: &AppState,
    ctx: &TerritoryCtx,
    chrome: Chrome,
    s: ListedStructure,
    f: Option<Structure>,
    errors: Errors,
    notice: Option<&'static str>,
    stale: bool,
) -> Result<Response, AppError> {
    let f = f.unwrap_or_else(|| s.record.clone());
    let scope = ctx.territory.scope();
    let failed = errors.any() || stale;
    let organisations = match side {
        Side::Agent => state.store.organisations(scope).await?,
        Side::Member => Vec::new(),
    };
    let slug = ctx.territory.slug.clone();
    let resp = render(&StructurePage {
        base: side.structure_path(&slug, s.id),
        networks: checks(Vocabulary::ReseauxPorteurs, f.reseaux_porteurs.as_ref()),
        services: state.store.structure_services(scope, s.id, false).await?,
        organisations,
        states: Status::ALL,
        chrome,
        slug,
        side,
        s,
        f,
        errors,
        notice,
        stale,
    })?;
    Ok(match (stale, failed) {
        (true, _) => conflict(resp),
        (false, true) => unprocessable(resp),
        (false, false) => resp,
    })
}

fn notice_of(q: &HashMap<String, String>) -> Option<&'static str> {
    if q.contains_key("enregistre") {
        Some("La structure est enregistrée.")
    } else if q.contains_key("etat") {
        Some("L'état de la structure est modifié.")
    } else if q.contains_key("rattachee") {
        Some("Le rattachement de la structure est enregistré.")
    } else {
        None
    }
}

/// The structure a submitted form describes, over the stored one.
fn structure_of(stored: &Structure, pairs: &[(String, String)]) -> Structure {
    let mut s = stored.clone();
    s.nom = text(pairs, "nom").unwrap_or_default();
    s.siret = text(pairs, "siret");
    s.description = text(pairs, "description");
    s.adresse = text(pairs, "adresse");
    s.complement_adresse = text(pairs, "complement_adresse");
    s.code_postal = text(pairs, "code_postal");
    s.commune = text(pairs, "commune");
    s.code_insee = text(pairs, "code_insee");
    s.courriel = text(pairs, "courriel");
    s.telephone = text(pairs, "telephone");
    s.site_web = text(pairs, "site_web");
    s.horaires_accueil = text(pairs, "horaires_accueil");
    s.accessibilite_lieu = text(pairs, "accessibilite_lieu");
    s.reseaux_porteurs = values(pairs, "reseaux_porteurs");
    s
}

/// The schema's field names the structure form shows errors at.
const FIELDS: [&str; 14] = [
    "nom",
    "siret",
    "description",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "code_insee",
    "courriel",
    "telephone",
    "site_web",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
];

async fn save(
    side: Side,
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    stored: ListedStructure,
    pairs: &[(String, String)],
) -> Result<Response, AppError> {
    let edit = structure_of(&stored.record, pairs);
    let mut dated = edit.clone();
    dated.date_maj = trame_store::funding::awards::paris_day(state.store.now()).to_string();
    let problems = state.store.check_structure(&dated)?;
    if !problems.is_empty() {
        return structure_page(
            side,
            state,
            ctx,
            chrome,
            stored,
            Some(edit),
            field_errors(problems, &FIELDS),
            None,
            false,
        )
        .await;
    }
    let seen = text(pairs, "version").and_then(|v| v.parse().ok());
    match state
        .store
        .save_structure(
            user.person_id,
            ctx.territory.scope(),
            stored.id,
            &edit,
            seen,
        )
        .await
    {
        Ok(()) => {}
        Err(trame_store::StoreError::Stale) => {
            // Shown again over the current version, which the next save replaces.
            let current = state
                .store
                .directory_structure(ctx.territory.scope(), stored.id, false)
                .await?;
            return structure_page(
                side,
                state,
                ctx,
                chrome,
                current,
                Some(edit),
                Errors::default(),
                None,
                true,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!(
        "{}?enregistre=1",
        side.structure_path(&ctx.territory.slug, stored.id)
    ))
    .into_response())
}

/// `GET /{territoire}/admin/annuaire/structures/{id}`.
pub async fn admin_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .directory_structure(ctx.territory.scope(), path_id(&id)?, false)
        .await?;
    structure_page(
        Side::Agent,
        &state,
        &ctx,
        chrome,
        s,
        None,
        Errors::default(),
        notice_of(&q),
        false,
    )
    .await
}

/// `POST /{territoire}/admin/annuaire/structures/{id}`.
pub async fn admin_update(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .directory_structure(ctx.territory.scope(), path_id(&id)?, false)
        .await?;
    save(Side::Agent, &state, &ctx, &user, chrome, s, &pairs).await
}

/// `POST /{territoire}/admin/annuaire/structures/{id}/etat`: the structure's state (a
/// structure not published hides all its services).
pub async fn admin_status(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let status = Status::parse(&form.etat).ok_or(AppError::BadRequest("etat"))?;
    state
        .store
        .set_structure_status(Some(user.person_id), ctx.territory.scope(), id, status)
        .await?;
    Ok(Redirect::to(&format!(
        "{}?etat=1",
        Side::Agent.structure_path(&ctx.territory.slug, id)
    ))
    .into_response())
}

/// The link form.
#[derive(Debug, serde::Deserialize)]
pub struct LinkForm {
    /// An organisation's id, or `aucune` to unlink.
    #[serde(default)]
    organisation_id: String,
}

/// `POST /{territoire}/admin/annuaire/structures/{id}/organisation`.
pub async fn admin_link(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    // « aucune » unlinks; an empty choice is a mistake, not an unlink.
    let org = match form.organisation_id.trim() {
        "aucune" => Ok(None),
        raw => raw.parse::<i64>().map(Some).map_err(|_| {
            let mut e = Errors::default();
            e.add(
                "organisation_id",
                "Choisissez une organisation, ou « Aucune ».",
            );
            e
        }),
    };
    let org = match org {
        Ok(o) => o,
        Err(errors) => {
            let s = state.store.directory_structure(scope, id, false).await?;
            return structure_page(
                Side::Agent,
                &state,
                &ctx,
                chrome,
                s,
                None,
                errors,
                None,
                false,
            )
            .await;
        }
    };
    match state
        .store
        .link_structure(user.person_id, scope, id, org)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?rattachee=1",
            Side::Agent.structure_path(&ctx.territory.slug, id)
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            let s = state.store.directory_structure(scope, id, false).await?;
            structure_page(
                Side::Agent,
                &state,
                &ctx,
                chrome,
                s,
                None,
                errors,
                None,
                false,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "directory/mine.html")]
struct MinePage {
    chrome: Chrome,
    slug: String,
    structures: Vec<(ListedStructure, Vec<ListedService>)>,
}

/// `GET /{territoire}/ma-structure`: the structures of the person's organisations.
pub async fn mine(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let mut structures = Vec::new();
    for s in state
        .store
        .structures_of_person(scope, user.person_id)
        .await?
    {
        let services = state.store.structure_services(scope, s.id, false).await?;
        structures.push((s, services));
    }
    render(&MinePage {
        chrome,
        slug: ctx.territory.slug.clone(),
        structures,
    })
}

/// `GET /{territoire}/ma-structure/{id}`.
pub async fn member_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .member_structure(ctx.territory.scope(), user.person_id, path_id(&id)?)
        .await?;
    structure_page(
        Side::Member,
        &state,
        &ctx,
        chrome,
        s,
        None,
        Errors::default(),
        notice_of(&q),
        false,
    )
    .await
}

/// `POST /{territoire}/ma-structure/{id}`.
pub async fn member_update(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .member_structure(ctx.territory.scope(), user.person_id, path_id(&id)?)
        .await?;
    save(Side::Member, &state, &ctx, &user, chrome, s, &pairs).await
}

/// `GET /{territoire}/ma-structure/services/{id}`.
pub async fn member_service_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .member_service(ctx.territory.scope(), user.person_id, path_id(&id)?)
        .await?;
    service_form(Side::Member, chrome, &ctx, s, &q)
}

/// `POST /{territoire}/ma-structure/services/{id}`.
pub async fn member_service_update(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .member_service(ctx.territory.scope(), user.person_id, path_id(&id)?)
        .await?;
    save_service_form(Side::Member, &state, ctx, user, chrome, s, &pairs).await
}

/// `POST /{territoire}/ma-structure/services/{id}/etat`.
pub async fn member_service_status(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .member_service(ctx.territory.scope(), user.person_id, path_id(&id)?)
        .await?;
    change_service_status(Side::Member, &state, &ctx, &user, s.id, &form).await
}
