//! The register of the intérêt territorial: the public page (what is pooled, since when,
//! by which deliberation, with its PDF) and the agents' pages (deliberations, their
//! document, the policies they declare).

use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::funding::{download_named, path_id};
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::format::long_french_date;
use trame_domain::funding::attachment::{Format, MAX_BYTES, clean_filename};
use trame_domain::interest::{
    Deliberation, DeliberationInput, Interest, Policy, PolicyInput, Standing,
};
use trame_store::funding::awards::paris_day;
use trame_store::interest::{NewDocument, PolicyRow, RegisterEntry};

/// A policy as the pages show it.
pub struct PolicyView {
    /// The row.
    pub p: PolicyRow,
    /// Where it stands today.
    pub standing: Standing,
    /// Its first day, written out.
    pub from: String,
    /// Its last day, written out.
    pub until: Option<String>,
}

/// A deliberation as the pages show it.
pub struct EntryView {
    /// The entry.
    pub e: RegisterEntry,
    /// Day of the vote, written out.
    pub decided: String,
    /// What it says of the interest.
    pub interest: Interest,
    /// Its policies.
    pub policies: Vec<PolicyView>,
}

fn written(iso: &str) -> String {
    trame_domain::format::parse_iso_date(iso).map_or_else(|| iso.to_owned(), long_french_date)
}

fn views(state: &AppState, entries: Vec<RegisterEntry>) -> Vec<EntryView> {
    let today = paris_day(state.store.now());
    entries
        .into_iter()
        .map(|e| EntryView {
            decided: written(&e.deliberation.decided_on),
            interest: e.interest(),
            policies: e
                .policies
                .iter()
                .map(|p| {
                    let from = trame_domain::format::parse_iso_date(&p.effective_from);
                    let until = p
                        .effective_until
                        .as_deref()
                        .and_then(trame_domain::format::parse_iso_date);
                    PolicyView {
                        standing: from
                            .map_or(Standing::Upcoming, |f| Standing::of(f, until, today)),
                        from: written(&p.effective_from),
                        until: p.effective_until.as_deref().map(written),
                        p: p.clone(),
                    }
                })
                .collect(),
            e,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "register/public.html")]
struct PublicPage {
    chrome: Chrome,
    slug: String,
    territory: String,
    entries: Vec<EntryView>,
    in_force: Vec<(String, String, String, String)>,
    pending: Option<String>,
}

/// `GET /{territoire}/interet-territorial`.
pub async fn public(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let entries = views(
        &state,
        state.store.interest_register(ctx.territory.scope()).await?,
    );
    // What is pooled today: every policy in force, with its deliberation.
    let in_force = entries
        .iter()
        .flat_map(|e| {
            e.policies
                .iter()
                .filter(|p| p.standing == Standing::InForce)
                .map(|p| {
                    (
                        p.p.title.clone(),
                        p.p.description.clone(),
                        p.from.clone(),
                        format!("{} du {}", e.e.deliberation.reference, e.decided),
                    )
                })
        })
        .collect::<Vec<_>>();
    // While no deliberation specifies the interest, the latest conservatory one says so.
    let pending = (!entries.iter().any(|e| e.interest == Interest::Specified))
        .then(|| entries.first().map(|e| e.decided.clone()))
        .flatten();
    render(&PublicPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        territory: ctx.territory.name.clone(),
        entries,
        in_force,
        pending,
    })
}

/// `GET /{territoire}/interet-territorial/deliberations/{id}/document`.
pub async fn document(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (name, bytes) = state
        .store
        .interest_document(ctx.territory.scope(), path_id(&id)?)
        .await?;
    Ok(download_named(&name, Format::Pdf.mime(), bytes))
}

#[derive(Template)]
#[template(path = "register/admin.html")]
struct AdminPage {
    chrome: Chrome,
    slug: String,
    entries: Vec<EntryView>,
    form: DeliberationInput,
    errors: Errors,
    interests: [Interest; 2],
}

async fn admin_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    form: DeliberationInput,
    errors: Errors,
) -> Result<Response, AppError> {
    let failed = errors.any();
    let entries = views(
        state,
        state.store.interest_register(ctx.territory.scope()).await?,
    );
    let resp = render(&AdminPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        entries,
        form,
        errors,
        interests: Interest::ALL,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/admin/interet-territorial`: the register and a form for a new
/// deliberation.
pub async fn admin(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    admin_page(
        &state,
        ctx,
        chrome,
        DeliberationInput::default(),
        Errors::default(),
    )
    .await
}

/// A deliberation form read from a multipart body, with its optional PDF.
struct Submitted {
    form: DeliberationInput,
    document: Option<NewDocument>,
    errors: Errors,
}

async fn read_deliberation(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<Submitted, AppError> {
    let mut form = DeliberationInput::default();
    let mut errors = Errors::default();
    let mut name = String::new();
    let mut bytes: Vec<u8> = Vec::new();
    let mut too_big = false;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                errors.add("document", crate::pages::funding::apply::UNREADABLE);
                break;
            }
        };
        let key = field.name().unwrap_or_default().to_owned();
        if key == "document" {
            name = field.file_name().unwrap_or_default().to_owned();
            while let Ok(Some(chunk)) = field.chunk().await {
                if bytes.len() + chunk.len() > MAX_BYTES {
                    too_big = true;
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        match key.as_str() {
            "decided_on" => form.decided_on = value,
            "reference" => form.reference = value,
            "title" => form.title = value,
            "summary" => form.summary = value,
            "interest" => form.interest = value,
            _ => {}
        }
    }
    let document = if too_big {
        errors.add(
            "document",
            format!("Le fichier dépasse {} Mo.", MAX_BYTES / (1024 * 1024)),
        );
        None
    } else if bytes.is_empty() {
        None
    } else {
        let (bytes, checked) =
            crate::uploads::check_upload(state, name.clone(), bytes, &[Format::Pdf]).await?;
        match checked {
            Ok(_) => Some(NewDocument {
                filename: clean_filename(&name, Format::Pdf),
                bytes,
            }),
            Err(message) => {
                errors.add("document", message);
                None
            }
        }
    };
    Ok(Submitted {
        form,
        document,
        errors,
    })
}

fn checked(state: &AppState, s: &mut Submitted) -> Option<Deliberation> {
    match Deliberation::parse(&s.form, paris_day(state.store.now())) {
        Ok(d) if !s.errors.any() => Some(d),
        Ok(_) => None,
        Err(e) => {
            for (k, v) in e {
                s.errors.add(k, v);
            }
            None
        }
    }
}

/// `POST /{territoire}/admin/interet-territorial` (multipart, `_csrf` in the query).
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let mut s = read_deliberation(&state, multipart).await?;
    let Some(d) = checked(&state, &mut s) else {
        return admin_page(&state, ctx, chrome, s.form, s.errors).await;
    };
    let id = state
        .store
        .create_deliberation(user.person_id, ctx.territory.scope(), &d, s.document)
        .await?;
    Ok(Redirect::to(&format!(
        "/{}/admin/interet-territorial/{id}?enregistre=1",
        ctx.territory.slug
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "register/deliberation.html")]
struct EntryPage {
    chrome: Chrome,
    slug: String,
    entry: EntryView,
    form: DeliberationInput,
    errors: Errors,
    interests: [Interest; 2],
    policy: PolicyInput,
    policy_errors: Errors,
}

struct EntryForms {
    form: Option<DeliberationInput>,
    errors: Errors,
    policy: PolicyInput,
    policy_errors: Errors,
}

impl EntryForms {
    fn blank() -> Self {
        EntryForms {
            form: None,
            errors: Errors::default(),
            policy: PolicyInput::default(),
            policy_errors: Errors::default(),
        }
    }
}

async fn entry_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: i64,
    forms: EntryForms,
) -> Result<Response, AppError> {
    let failed = forms.errors.any() || forms.policy_errors.any();
    let entry = state
        .store
        .interest_entry(ctx.territory.scope(), id)
        .await?;
    let d = &entry.deliberation;
    let form = forms.form.unwrap_or_else(|| DeliberationInput {
        decided_on: d.decided_on.clone(),
        reference: d.reference.clone(),
        title: d.title.clone(),
        summary: d.summary.clone(),
        interest: d.interest.clone(),
    });
    let entry = views(state, vec![entry])
        .pop()
        .ok_or_else(|| AppError::Internal("one entry gives one view".into()))?;
    let resp = render(&EntryPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        entry,
        form,
        errors: forms.errors,
        interests: Interest::ALL,
        policy: forms.policy,
        policy_errors: forms.policy_errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/admin/interet-territorial/{id}`.
pub async fn entry(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    entry_page(&state, ctx, chrome, path_id(&id)?, EntryForms::blank()).await
}

/// `POST /{territoire}/admin/interet-territorial/{id}` (multipart, `_csrf` in the query).
pub async fn update(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    state.store.interest_entry(scope, id).await?;
    let mut s = read_deliberation(&state, multipart).await?;
    let mut forms = EntryForms::blank();
    if let Some(d) = checked(&state, &mut s) {
        match state
            .store
            .update_deliberation(user.person_id, scope, id, &d, s.document)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/{}/admin/interet-territorial/{id}?enregistre=1",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => s.errors = Errors::from_store(e)?,
        }
    }
    forms.form = Some(s.form);
    forms.errors = s.errors;
    entry_page(&state, ctx, chrome, id, forms).await
}

/// `POST /{territoire}/admin/interet-territorial/{id}/politiques`.
pub async fn add_policy(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<PolicyInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let entry = state.store.interest_entry(scope, id).await?;
    let mut forms = EntryForms::blank();
    let decided = trame_domain::format::parse_iso_date(&entry.deliberation.decided_on)
        .ok_or_else(|| AppError::Internal("stored deliberation date".into()))?;
    match Policy::parse(&input, decided) {
        Ok(p) => match state.store.add_policy(user.person_id, scope, id, &p).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/admin/interet-territorial/{id}?enregistre=1#politiques",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => forms.policy_errors = Errors::from_store(e)?,
        },
        Err(e) => forms.policy_errors = Errors(e),
    }
    forms.policy = input;
    entry_page(&state, ctx, chrome, id, forms).await
}

#[derive(Template)]
#[template(path = "register/policy.html")]
struct PolicyPage {
    chrome: Chrome,
    slug: String,
    deliberation_id: i64,
    policy_id: i64,
    deliberation: String,
    form: PolicyInput,
    errors: Errors,
}

/// `GET /{territoire}/admin/interet-territorial/{id}/politiques/{politique}`.
pub async fn policy_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id, pid)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (id, pid) = (path_id(&id)?, path_id(&pid)?);
    let entry = state
        .store
        .interest_entry(ctx.territory.scope(), id)
        .await?;
    let p = entry
        .policies
        .iter()
        .find(|p| p.id == pid)
        .ok_or(trame_store::StoreError::NotFound)?;
    let form = PolicyInput {
        title: p.title.clone(),
        description: p.description.clone(),
        effective_from: p.effective_from.clone(),
        effective_until: p.effective_until.clone().unwrap_or_default(),
    };
    render(&PolicyPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        deliberation_id: id,
        policy_id: pid,
        deliberation: entry.deliberation.reference.clone(),
        form,
        errors: Errors::default(),
    })
}

/// `POST /{territoire}/admin/interet-territorial/{id}/politiques/{politique}`.
pub async fn update_policy(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, pid)): Path<(String, String, String)>,
    Form(input): Form<PolicyInput>,
) -> Result<Response, AppError> {
    let (id, pid) = (path_id(&id)?, path_id(&pid)?);
    let scope = ctx.territory.scope();
    let entry = state.store.interest_entry(scope, id).await?;
    if !entry.policies.iter().any(|p| p.id == pid) {
        return Err(trame_store::StoreError::NotFound.into());
    }
    let decided = trame_domain::format::parse_iso_date(&entry.deliberation.decided_on)
        .ok_or_else(|| AppError::Internal("stored deliberation date".into()))?;
    let errors = match Policy::parse(&input, decided) {
        Ok(p) => match state
            .store
            .update_policy(user.person_id, scope, id, pid, &p)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/{}/admin/interet-territorial/{id}?enregistre=1#politiques",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    Ok(unprocessable(render(&PolicyPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        deliberation_id: id,
        policy_id: pid,
        deliberation: entry.deliberation.reference.clone(),
        form: input,
        errors,
    })?))
}
