//! Referrals: the counsellor finds, from a barrier, the directory's services of its
//! theme open to the person's commune and sends the referral; the receiving structure's
//! members see what they received and accept or decline with a reason.

use super::{ROOT, commune_name, communes};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::format::french_date;
use trame_domain::format::paris_day;
use trame_domain::pathways::referral::{Answer, AnswerInput, EXPIRY_DAYS, expires_at};
use trame_domain::pathways::vocab::{Barrier, ReferralState};

/// `?frein=` on the referral page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct BarrierQuery {
    /// The barrier's id.
    #[serde(default)]
    pub frein: Option<String>,
}

/// The referral form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SendInput {
    /// The barrier's id.
    #[serde(default)]
    pub frein: String,
    /// The service's id.
    #[serde(default)]
    pub service: String,
    /// A message to the structure.
    #[serde(default)]
    pub message: String,
}

/// A service offered for the referral.
pub struct Offer {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its structure.
    pub structure: String,
    /// Its description.
    pub description: String,
}

#[derive(Template)]
#[template(path = "pathways/referral.html")]
struct ReferralPage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    file_id: i64,
    person: String,
    commune: String,
    /// Open barriers: (id, label).
    barriers: Vec<(String, String)>,
    chosen: Option<(String, String)>,
    offers: Vec<Offer>,
    form: SendInput,
    errors: Errors,
    expiry_days: i64,
}

async fn referral_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    form: SendInput,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let barriers: Vec<(String, String)> = v
        .barriers
        .iter()
        .filter(|b| b.lifted_on.is_none())
        .map(|b| {
            (
                b.id.to_string(),
                Barrier::from_code(&b.barrier)
                    .map_or_else(|| b.barrier.clone(), |t| t.label().to_owned()),
            )
        })
        .collect();
    let chosen = barriers.iter().find(|b| b.0 == form.frein.trim()).cloned();
    let offers = match &chosen {
        Some((bid, _)) => state
            .store
            .path_matching_services(
                user.person_id,
                scope,
                id,
                bid.parse().map_err(|_| AppError::NotFound)?,
            )
            .await?
            .into_iter()
            .map(|s| Offer {
                id: s.id.to_string(),
                name: s.record.nom.clone(),
                structure: s.structure_nom.clone(),
                description: s.record.description.chars().take(300).collect(),
            })
            .collect(),
        None => Vec::new(),
    };
    let communes = communes(state, scope).await?;
    let failed = errors.any();
    let resp = render(&ReferralPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        root: ROOT,
        file_id: id,
        person: format!("{} {}", v.file.first_name, v.file.last_name),
        commune: commune_name(&communes, &v.file.commune_code),
        barriers,
        chosen,
        offers,
        form,
        errors,
        expiry_days: EXPIRY_DAYS,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/parcours/{id}/orientation[?frein=ID]`.
pub async fn find(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<BarrierQuery>,
) -> Result<Response, AppError> {
    let form = SendInput {
        frein: q.frein.unwrap_or_default(),
        ..SendInput::default()
    };
    referral_page(
        &state,
        &ctx,
        &user,
        chrome,
        path_id(&id)?,
        form,
        Errors::default(),
    )
    .await
}

/// `POST /{territoire}/parcours/{id}/orientation`.
pub async fn send(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<SendInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let mut errors = Errors::default();
    let barrier = input.frein.trim().parse::<i64>().ok();
    let service = input.service.trim().parse::<i64>().ok();
    if barrier.is_none() {
        errors.add("frein", "Choisissez le frein que l'orientation doit lever.");
    }
    if service.is_none() {
        errors.add(
            "service",
            "Choisissez le service vers lequel orienter la personne.",
        );
    }
    if let (Some(b), Some(s)) = (barrier, service) {
        match state
            .store
            .send_path_referral(
                user.person_id,
                ctx.territory.scope(),
                id,
                b,
                s,
                &input.message,
            )
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/{ROOT}/{id}#orientations",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(trame_store::StoreError::NotFound) => {
                errors.add("frein", "Choisissez un frein du dossier.");
            }
            Err(e) => errors = Errors::from_store(e)?,
        }
    }
    referral_page(&state, &ctx, &user, chrome, id, input, errors).await
}

/// A referral received, as shown.
pub struct Received {
    /// Id.
    pub id: i64,
    /// The person.
    pub person: String,
    /// Their commune.
    pub commune: String,
    /// The theme.
    pub barrier: String,
    /// Service and structure.
    pub service: String,
    /// Who sent it: « name (organisation) », and when.
    pub from: String,
    /// The counsellor's message.
    pub message: String,
    /// Where it stands, written out.
    pub state: String,
    /// Whether it waits for an answer.
    pub waiting: bool,
    /// The day it expires, written out.
    pub expires: String,
    /// The reason of a refusal.
    pub reason: String,
}

#[derive(Template)]
#[template(path = "pathways/received.html")]
struct ReceivedPage {
    chrome: Chrome,
    slug: String,
    lines: Vec<Received>,
    /// The referral whose answer failed, with what was typed and the errors.
    failed: Option<(i64, AnswerInput, Errors)>,
}

impl ReceivedPage {
    fn errors_of(&self, id: &i64) -> Option<&Errors> {
        self.failed.as_ref().filter(|f| f.0 == *id).map(|f| &f.2)
    }

    fn error_of(&self, id: &i64, field: &str) -> Option<&str> {
        self.errors_of(id).and_then(|e| e.get(field))
    }

    fn reason_of(&self, id: &i64) -> &str {
        self.failed
            .as_ref()
            .filter(|f| f.0 == *id)
            .map_or("", |f| f.1.reason.as_str())
    }
}

async fn received_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    failed: Option<(i64, AnswerInput, Errors)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let communes = communes(state, scope).await?;
    let lines = state
        .store
        .path_referrals_received(user.person_id, scope)
        .await?
        .into_iter()
        .map(|r| Received {
            id: r.view.row.id,
            person: format!("{} {}", r.first_name, r.last_name),
            commune: commune_name(&communes, &r.commune_code),
            barrier: r.view.barrier.map_or("", Barrier::label).to_owned(),
            service: format!("{} ({})", r.view.service, r.view.structure),
            from: format!(
                "{} ({}), le {}",
                r.view.sent_by,
                r.from_organisation,
                french_date(paris_day(r.view.row.sent_at))
            ),
            message: r.view.row.message.clone(),
            state: r.view.state.label().to_owned(),
            waiting: r.view.state == ReferralState::Sent,
            expires: french_date(paris_day(expires_at(r.view.row.sent_at))),
            reason: r.view.row.reason.clone(),
        })
        .collect();
    let is_failed = failed.is_some();
    let resp = render(&ReceivedPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        lines,
        failed,
    })?;
    Ok(if is_failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/ma-structure/orientations`.
pub async fn received(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    received_page(&state, &ctx, &user, chrome, None).await
}

/// `POST /{territoire}/ma-structure/orientations/{id}`.
pub async fn answer(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<AnswerInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let current = state
        .store
        .path_referral_state(user.person_id, scope, id)
        .await?;
    let errors = match Answer::parse(&input, current) {
        Ok(a) => match state
            .store
            .answer_path_referral(user.person_id, scope, id, &a)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/{}/ma-structure/orientations#orientation-{id}",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    received_page(&state, &ctx, &user, chrome, Some((id, input, errors))).await
}
