//! The agents' directory: every service whatever its state, the state changed in one
//! click, a service edited field by field with the schema's checks, and a data·inclusion
//! file imported from the browser with a report per row.

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, conflict, unprocessable};
use crate::pages::funding::path_id;
use crate::pages::{CurrentUser, render};
use askama::Template;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trame_domain::directory::exchange::{self, RowError};
use trame_domain::directory::listing::Status;
use trame_domain::directory::record::Service;
use trame_domain::directory::vocab::{Entry, Vocabulary};
use trame_store::directory::import::{Counts, ImportError, ImportOptions};
use trame_store::directory::{ADMIN_PAGE, AdminFilter, ListedService};

/// The list's query.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AdminQuery {
    /// State code.
    #[serde(default)]
    pub etat: String,
    /// Words of the name.
    #[serde(default)]
    pub q: String,
    /// `1`: only services not updated for a year.
    #[serde(default)]
    pub ancien: String,
    /// Page.
    #[serde(default)]
    pub page: Option<String>,
}

/// A line of the agents' list.
pub struct AdminLine {
    /// The service.
    pub s: ListedService,
    /// Not updated for a year.
    pub stale: bool,
}

#[derive(Template)]
#[template(path = "directory/admin.html")]
struct AdminPage {
    chrome: Chrome,
    slug: String,
    query: AdminQuery,
    counts: Vec<(Status, u64)>,
    states: [Status; 3],
    lines: Vec<AdminLine>,
    total: u64,
    page: u64,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// The day a year before today: a service updated before it is stale.
pub fn stale_before(state: &AppState) -> String {
    let today = trame_store::funding::awards::paris_day(state.store.now());
    today
        .replace_year(today.year() - 1)
        .unwrap_or(today)
        .to_string()
}

/// `GET /{territoire}/admin/annuaire`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(query): Query<AdminQuery>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let page: u64 = query
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let before = stale_before(&state);
    let filter = AdminFilter {
        status: Status::parse(&query.etat),
        q: query.q.chars().take(100).collect(),
        updated_before: (query.ancien == "1").then(|| before.clone()),
        page,
    };
    let (total, rows) = state.store.directory_admin_list(scope, &filter).await?;
    let pages = total.div_ceil(ADMIN_PAGE).max(1);
    let base = serde_urlencoded::to_string([
        ("etat", &query.etat),
        ("q", &query.q),
        ("ancien", &query.ancien),
    ])
    .unwrap_or_default();
    render(&AdminPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        counts: state.store.directory_counts(scope).await?,
        states: Status::ALL,
        lines: rows
            .into_iter()
            .map(|s| AdminLine {
                stale: s.record.date_maj < before,
                s,
            })
            .collect(),
        total,
        page,
        pages,
        prev: (page > 1).then(|| format!("{base}&page={}", page - 1)),
        next: (page < pages).then(|| format!("{base}&page={}", page + 1)),
        query,
    })
}

/// The state-change form.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    /// The new state.
    pub etat: String,
}

/// `POST /{territoire}/admin/annuaire/services/{id}/etat`.
pub async fn set_status(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    change_service_status(Side::Agent, &state, &ctx, &user, path_id(&id)?, &form).await
}

/// Changes the state of a service the caller may edit, then back to its page.
pub async fn change_service_status(
    side: Side,
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    id: i64,
    form: &StatusForm,
) -> Result<Response, AppError> {
    let status = Status::parse(&form.etat).ok_or(AppError::BadRequest("etat"))?;
    state
        .store
        .set_service_status(Some(user.person_id), ctx.territory.scope(), id, status)
        .await?;
    Ok(Redirect::to(&format!(
        "{}?etat=1",
        side.service_path(&ctx.territory.slug, id)
    ))
    .into_response())
}

/// A checkbox of a vocabulary.
pub struct Check {
    /// Code.
    pub value: String,
    /// Label.
    pub label: String,
    /// Ticked.
    pub checked: bool,
}

pub(crate) fn checks(v: Vocabulary, selected: Option<&Vec<String>>) -> Vec<Check> {
    v.entries()
        .iter()
        .map(|e: &Entry| Check {
            value: e.value.clone(),
            label: e.label.clone(),
            checked: selected.is_some_and(|s| s.contains(&e.value)),
        })
        .collect()
}

/// A group of choices of the form.
pub struct Group {
    /// Field name.
    pub name: &'static str,
    /// Legend.
    pub legend: &'static str,
    /// Choices.
    pub items: Vec<Check>,
    /// One choice only.
    pub radio: bool,
}

#[derive(Template)]
#[template(path = "directory/service_form.html")]
struct EditPage {
    chrome: Chrome,
    slug: String,
    /// The service's path on this side (the agents' or the member's).
    base: String,
    /// The page to go back to, and its label.
    back: (String, &'static str),
    /// The structure's page on this side.
    structure_link: String,
    s: ListedService,
    f: Service,
    zone: String,
    groups: Vec<Group>,
    states: [Status; 3],
    errors: Errors,
    saved: bool,
    status_changed: bool,
    /// The record changed since the form was opened: the person's input is shown again.
    stale: bool,
}

/// Who edits a service: an agent (any service) or a member of its structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// A territory agent, from the agents' directory.
    Agent,
    /// A member of the structure's organisation, from « Ma structure ».
    Member,
}

impl Side {
    /// The service's path on this side.
    pub fn service_path(self, slug: &str, id: i64) -> String {
        match self {
            Side::Agent => format!("/{slug}/admin/annuaire/services/{id}"),
            Side::Member => format!("/{slug}/ma-structure/services/{id}"),
        }
    }

    /// The structure's path on this side.
    pub fn structure_path(self, slug: &str, id: i64) -> String {
        match self {
            Side::Agent => format!("/{slug}/admin/annuaire/structures/{id}"),
            Side::Member => format!("/{slug}/ma-structure/{id}"),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn edit_page(
    side: Side,
    chrome: Chrome,
    slug: String,
    s: ListedService,
    f: Service,
    errors: Errors,
    saved: bool,
    status_changed: bool,
) -> EditPage {
    let one = |v: &Option<String>| v.clone().map(|x| vec![x]);
    EditPage {
        zone: f.zone_eligibilite.clone().unwrap_or_default().join(", "),
        groups: vec![
            Group {
                name: "type",
                legend: "Type de service",
                items: checks(Vocabulary::TypesDeServices, one(&f.kind).as_ref()),
                radio: true,
            },
            Group {
                name: "frais",
                legend: "Frais",
                items: checks(Vocabulary::Frais, one(&f.frais).as_ref()),
                radio: true,
            },
            Group {
                name: "thematiques",
                legend: "Thématiques",
                items: checks(Vocabulary::Thematiques, f.thematiques.as_ref()),
                radio: false,
            },
            Group {
                name: "publics",
                legend: "Publics",
                items: checks(Vocabulary::Publics, f.publics.as_ref()),
                radio: false,
            },
            Group {
                name: "modes_accueil",
                legend: "Modes d'accueil",
                items: checks(Vocabulary::ModesAccueil, f.modes_accueil.as_ref()),
                radio: false,
            },
            Group {
                name: "modes_mobilisation",
                legend: "Comment le mobiliser",
                items: checks(Vocabulary::ModesMobilisation, f.modes_mobilisation.as_ref()),
                radio: false,
            },
            Group {
                name: "mobilisable_par",
                legend: "Qui peut le mobiliser",
                items: checks(
                    Vocabulary::PersonnesMobilisatrices,
                    f.mobilisable_par.as_ref(),
                ),
                radio: false,
            },
        ],
        states: Status::ALL,
        base: side.service_path(&slug, s.id),
        structure_link: side.structure_path(&slug, s.structure_id),
        back: match side {
            Side::Agent => (format!("/{slug}/admin/annuaire"), "Retour à la liste"),
            Side::Member => (
                side.structure_path(&slug, s.structure_id),
                "Retour à ma structure",
            ),
        },
        chrome,
        slug,
        s,
        f,
        errors,
        saved,
        status_changed,
        stale: false,
    }
}

/// `GET /{territoire}/admin/annuaire/services/{id}`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let s = state
        .store
        .directory_service(ctx.territory.scope(), path_id(&id)?, false)
        .await?;
    service_form(Side::Agent, chrome, &ctx, s, &q)
}

/// The edit page of a service the caller may edit, with the notices of the query.
pub fn service_form(
    side: Side,
    chrome: Chrome,
    ctx: &TerritoryCtx,
    s: ListedService,
    q: &std::collections::HashMap<String, String>,
) -> Result<Response, AppError> {
    let f = s.record.clone();
    render(&edit_page(
        side,
        chrome,
        ctx.territory.slug.clone(),
        s,
        f,
        Errors::default(),
        q.contains_key("enregistre"),
        q.contains_key("etat"),
    ))
}

pub(crate) fn text(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

pub(crate) fn values(pairs: &[(String, String)], name: &str) -> Option<Vec<String>> {
    let v: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    (!v.is_empty()).then_some(v)
}

/// The service a submitted form describes, over the stored one.
fn service_of(stored: &Service, pairs: &[(String, String)]) -> Service {
    let mut s = stored.clone();
    s.nom = text(pairs, "nom").unwrap_or_default();
    s.description = text(pairs, "description").unwrap_or_default();
    s.kind = text(pairs, "type");
    s.frais = text(pairs, "frais");
    s.frais_precisions = text(pairs, "frais_precisions");
    s.thematiques = values(pairs, "thematiques");
    s.publics = values(pairs, "publics");
    s.publics_precisions = text(pairs, "publics_precisions");
    s.conditions_acces = text(pairs, "conditions_acces");
    s.modes_accueil = values(pairs, "modes_accueil");
    s.modes_mobilisation = values(pairs, "modes_mobilisation");
    s.mobilisable_par = values(pairs, "mobilisable_par");
    s.mobilisation_precisions = text(pairs, "mobilisation_precisions");
    s.lien_mobilisation = text(pairs, "lien_mobilisation");
    s.zone_eligibilite = text(pairs, "zone_eligibilite").map(|z| {
        z.split([',', ';', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    });
    s.adresse = text(pairs, "adresse");
    s.code_postal = text(pairs, "code_postal");
    s.commune = text(pairs, "commune");
    s.code_insee = text(pairs, "code_insee");
    s.courriel = text(pairs, "courriel");
    s.telephone = text(pairs, "telephone");
    s.contact_nom_prenom = text(pairs, "contact_nom_prenom");
    s.horaires_accueil = text(pairs, "horaires_accueil");
    s
}

/// The schema's field names a form shows errors at.
const FIELDS: [&str; 22] = [
    "nom",
    "description",
    "type",
    "frais",
    "frais_precisions",
    "thematiques",
    "publics",
    "publics_precisions",
    "conditions_acces",
    "modes_accueil",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_precisions",
    "lien_mobilisation",
    "zone_eligibilite",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "courriel",
    "telephone",
    "horaires_accueil",
];

/// The faults of a record's check, each at its form field (`fields`: the form's field
/// names; a fault elsewhere shows at the name).
pub(crate) fn field_errors(rows: Vec<RowError>, fields: &[&'static str]) -> Errors {
    let mut errors = Errors::default();
    for r in rows {
        let field = fields
            .iter()
            .find(|f| **f == r.field)
            .copied()
            .unwrap_or("nom");
        errors.add(field, r.message);
    }
    errors
}

/// `POST /{territoire}/admin/annuaire/services/{id}`.
pub async fn update(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let stored = state
        .store
        .directory_service(ctx.territory.scope(), path_id(&id)?, false)
        .await?;
    save_service_form(Side::Agent, &state, ctx, user, chrome, stored, &pairs).await
}

/// Checks and saves a service's form for a caller who may edit it; the form again with
/// each error at its field, or back to the page.
pub async fn save_service_form(
    side: Side,
    state: &AppState,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    stored: ListedService,
    pairs: &[(String, String)],
) -> Result<Response, AppError> {
    let id = stored.id;
    let edit = service_of(&stored.record, pairs);
    let mut dated = edit.clone();
    dated.date_maj = trame_store::funding::awards::paris_day(state.store.now()).to_string();
    let problems = state.store.check_service(&dated)?;
    if !problems.is_empty() {
        return Ok(unprocessable(render(&edit_page(
            side,
            chrome,
            ctx.territory.slug.clone(),
            stored,
            edit,
            field_errors(problems, &FIELDS),
            false,
            false,
        ))?));
    }
    let seen = text(pairs, "version").and_then(|v| v.parse().ok());
    match state
        .store
        .save_service(user.person_id, ctx.territory.scope(), id, &edit, seen)
        .await
    {
        Ok(()) => {}
        Err(trame_store::StoreError::Stale) => {
            // Shown again over the current version, which the next save replaces.
            let current = state
                .store
                .directory_service(ctx.territory.scope(), id, false)
                .await?;
            let mut page = edit_page(
                side,
                chrome,
                ctx.territory.slug.clone(),
                current,
                edit,
                Errors::default(),
                false,
                false,
            );
            page.stale = true;
            return Ok(conflict(render(&page)?));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!(
        "{}?enregistre=1",
        side.service_path(&ctx.territory.slug, id)
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "directory/import.html")]
struct ImportPage {
    chrome: Chrome,
    slug: String,
    errors: Errors,
    rows: Vec<RowError>,
    outcome: Option<(Counts, Counts)>,
    file_name: String,
}

/// `GET /{territoire}/admin/annuaire/import`.
pub async fn import_form(ctx: TerritoryCtx, chrome: Chrome) -> Result<Response, AppError> {
    render(&ImportPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        errors: Errors::default(),
        rows: Vec::new(),
        outcome: None,
        file_name: String::new(),
    })
}

/// `POST /{territoire}/admin/annuaire/import`: one file, JSON or CSV; all or nothing.
pub async fn import(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut bytes = Vec::new();
    let mut name = String::new();
    let mut publish = false;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("fichier") => {
                name = field.file_name().unwrap_or("fichier.json").to_owned();
                bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("fichier"))?
                    .to_vec();
            }
            Some("publier") => publish = true,
            _ => {}
        }
    }
    let mut page = ImportPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        errors: Errors::default(),
        rows: Vec::new(),
        outcome: None,
        file_name: name.chars().take(200).collect(),
    };
    if bytes.is_empty() {
        page.errors.add(
            "fichier",
            "Choisissez un fichier JSON ou CSV au format data·inclusion.",
        );
        return Ok(unprocessable(render(&page)?));
    }
    if let Err(message) = crate::uploads::check(&state, &bytes).await {
        page.errors.add("fichier", message);
        return Ok(unprocessable(render(&page)?));
    }
    let ex = match exchange::read_named(&name, &bytes) {
        Ok(ex) => ex,
        Err(rows) => {
            page.errors.add(
                "fichier",
                format!("{} erreur(s) : rien n'a été importé.", rows.len()),
            );
            page.rows = rows;
            return Ok(unprocessable(render(&page)?));
        }
    };
    match state
        .store
        .import_directory(
            Some(user.person_id),
            ctx.territory.scope(),
            &ex,
            ImportOptions {
                publish,
                demo: false,
            },
            &|_, _| {},
        )
        .await
    {
        Ok(o) => {
            page.outcome = Some((o.structures, o.services));
            render(&page)
        }
        Err(ImportError::Rows(rows)) => {
            page.errors.add(
                "fichier",
                format!("{} erreur(s) : rien n'a été importé.", rows.len()),
            );
            page.rows = rows;
            Ok(unprocessable(render(&page)?))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}
