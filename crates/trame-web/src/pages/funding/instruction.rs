//! Instruction, for the territory's staff: the list of submitted dossiers (filtered,
//! paginated, with bulk actions), and one dossier with its states, checklist, labels,
//! reviewers, commune opinions, messages and private annotations.

use super::apply::{MessageForm, MessageView, messages};
use super::{DossierView, dossier_view, download, path_id};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::format::paris_datetime;
use trame_domain::format::paris_day;
use trame_domain::funding::dossier::{State as DState, Transition};
use trame_domain::funding::edition::eligibility;
use trame_domain::organisation::LegalForm;
use trame_store::funding::dossiers::{DossierFilter, DossierLine};
use trame_store::funding::editions::EditionRow;
use trame_store::funding::instruction::{CHECKLIST, opinion_status};
use trame_store::funding::review::ReviewStatus;
use trame_store::territories::Commune;

/// Rows per page of the list.
pub const PER_PAGE: u64 = 50;

/// Filters, as in the query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    edition: String,
    #[serde(default)]
    etat: String,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    etiquette: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    fait: String,
}

impl ListQuery {
    pub(crate) fn filter(&self) -> DossierFilter {
        DossierFilter {
            edition_id: self.edition.parse().ok(),
            state: DState::from_code(&self.etat).map(|s| s.code().to_owned()),
            commune: (!self.commune.is_empty()).then(|| self.commune.clone()),
            text: (!self.q.trim().is_empty()).then(|| self.q.clone()),
            label: (!self.etiquette.trim().is_empty()).then(|| self.etiquette.trim().to_owned()),
            page: self.page.parse().unwrap_or(1),
            per_page: PER_PAGE,
        }
    }

    /// The filters as a query string, with a page when given.
    fn query_string(&self, page: Option<u64>) -> String {
        let mut pairs = vec![
            ("edition", self.edition.as_str()),
            ("etat", self.etat.as_str()),
            ("commune", self.commune.as_str()),
            ("q", self.q.as_str()),
            ("etiquette", self.etiquette.as_str()),
        ];
        pairs.retain(|(_, v)| !v.is_empty());
        let page = page.map(|p| p.to_string());
        if let Some(p) = &page {
            pairs.push(("page", p.as_str()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The query string for another page.
    fn page_link(&self, page: u64) -> String {
        self.query_string(Some(page))
    }
}

/// A line of the list.
pub struct Line {
    /// The dossier and its organisation.
    pub line: DossierLine,
    /// State label.
    pub state: &'static str,
    /// Requested.
    pub requested: String,
    /// Submitted at.
    pub submitted: String,
    /// Labels.
    pub labels: Vec<String>,
}

#[derive(Template)]
#[template(path = "funding/instruction.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    lines: Vec<Line>,
    total: u64,
    page: u64,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
    query: ListQuery,
    filters: String,
    editions: Vec<EditionRow>,
    states: [DState; 7],
    communes: Vec<Commune>,
    done: Option<String>,
    errors: Errors,
}

pub(crate) fn labels_of(stored: &str) -> Vec<String> {
    stored
        .split('|')
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn list_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    query: ListQuery,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let filter = query.filter();
    let page = state.store.dossier_page(scope, &filter).await?;
    let pages = page.total.div_ceil(PER_PAGE).max(1);
    let current = filter.page.max(1);
    let lines = page
        .lines
        .into_iter()
        .map(|line| Line {
            state: DState::from_code(&line.row.state)
                .unwrap_or(DState::Draft)
                .label(),
            requested: super::eur(line.row.requested_cents),
            submitted: line
                .row
                .submitted_at
                .map(paris_datetime)
                .unwrap_or_default(),
            labels: labels_of(&line.row.labels),
            line,
        })
        .collect();
    let failed = errors.any();
    let resp = render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        lines,
        total: page.total,
        page: current,
        pages,
        prev: (current > 1).then(|| query.page_link(current - 1)),
        next: (current < pages).then(|| query.page_link(current + 1)),
        done: (!query.fait.is_empty()).then(|| query.fait.clone()),
        filters: Some(query.query_string(None))
            .filter(|q| !q.is_empty())
            .map(|q| format!("?{q}"))
            .unwrap_or_default(),
        query,
        editions: state.store.editions(scope).await?,
        states: DState::ALL,
        communes: state.store.communes(scope).await?,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/instruction`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    list_page(&state, ctx, chrome, query, Errors::default()).await
}

fn transition_of(code: &str) -> Option<Transition> {
    match code {
        "instruire" => Some(Transition::Instruct),
        "corriger" => Some(Transition::RequestCorrection),
        "classer" => Some(Transition::Close),
        _ => None,
    }
}

/// `POST /{territoire}/instruction/lot`: one action on the checked dossiers, all or none.
pub async fn bulk(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "dossiers")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let action = pairs
        .iter()
        .find(|(k, _)| k == "action")
        .and_then(|(_, v)| transition_of(v))
        .filter(|t| matches!(t, Transition::Instruct | Transition::Close));
    let Some(t) = action else {
        let mut errors = Errors::default();
        errors.add("action", "Choisissez une action.");
        return list_page(&state, ctx, chrome, ListQuery::default(), errors).await;
    };
    match state
        .store
        .instruct_many(user.person_id, ctx.territory.scope(), &ids, t)
        .await
    {
        Ok(n) => Ok(
            Redirect::to(&format!("/{}/instruction?fait={n}", ctx.territory.slug)).into_response(),
        ),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            list_page(&state, ctx, chrome, ListQuery::default(), errors).await
        }
    }
}

/// A checklist item with the platform's suggestion.
pub struct CheckItem {
    /// Code.
    pub code: &'static str,
    /// Label.
    pub label: &'static str,
    /// Checked by an instructor.
    pub checked: bool,
    /// What the platform found, in French.
    pub hint: String,
}

/// A review as the instructors see it.
pub struct ReviewLine {
    /// Review id.
    pub id: i64,
    /// Reviewer.
    pub reviewer: String,
    /// Status.
    pub status: &'static str,
    /// Whether it can be withdrawn.
    pub removable: bool,
}

/// An opinion as the instructors see it.
pub struct OpinionLine {
    /// Commune name.
    pub commune: String,
    /// Status.
    pub status: String,
    /// Comment.
    pub comment: String,
}

#[derive(Template)]
#[template(path = "funding/instruct.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    d: DossierView,
    att_base: String,
    can_instruct: bool,
    can_request: bool,
    can_close: bool,
    checklist: Vec<CheckItem>,
    labels: String,
    reviews: Vec<ReviewLine>,
    members: Vec<(i64, String)>,
    opinions: Vec<OpinionLine>,
    messages: Vec<MessageView>,
    errors: Errors,
}

async fn show_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: i64,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let row = state.store.dossier(scope, id).await?;
    let st = DState::from_code(&row.state).unwrap_or(DState::Draft);
    if st == DState::Draft {
        // Drafts belong to their applicant until submitted.
        return Err(AppError::NotFound);
    }
    let ed = state.store.edition(scope, row.edition_id).await?;
    let org = state.store.organisation(scope, row.organisation_id).await?;
    let now = state.store.now();
    let communes = state.store.communes(scope).await?;
    let commune_name = |code: &str| {
        communes
            .iter()
            .find(|c| c.code_insee == code)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| code.to_owned())
    };
    let attachments = state.store.attachments(scope, id).await?;
    let has = |k: &str| attachments.iter().any(|a| a.kind == k);
    let checked: Vec<&str> = row.checklist.split(',').collect();
    let form = LegalForm::from_code(&org.legal_form).unwrap_or(LegalForm::Entreprise);
    let checklist = CHECKLIST
        .iter()
        .map(|(code, label)| CheckItem {
            code,
            label,
            checked: checked.contains(code),
            hint: match *code {
                "famille" => {
                    match eligibility(
                        form,
                        org.esus_approved_on,
                        &ed.allowed_forms(),
                        paris_day(now),
                    ) {
                        Ok(()) => format!("{} : admise par l'appel.", form.label()),
                        Err(m) => m,
                    }
                }
                "territoire" => {
                    "Communes cochées parmi celles du territoire (contrôlé au dépôt).".into()
                }
                "budget" => "Budget équilibré (contrôlé au dépôt) ; cohérence à apprécier.".into(),
                _ => format!(
                    "Statuts : {} ; RIB : {} ; {} pièce(s) au total.",
                    if has("statuts") {
                        "présents"
                    } else {
                        "absents"
                    },
                    if has("rib") { "présent" } else { "absent" },
                    attachments.len()
                ),
            },
        })
        .collect();
    let reviews = state
        .store
        .dossier_reviews(scope, id)
        .await?
        .into_iter()
        .map(|r| ReviewLine {
            id: r.row.id,
            status: ReviewStatus::of(&r.row).label(),
            removable: r.row.scored_at.is_none(),
            reviewer: r.reviewer,
        })
        .collect();
    let opinions = state
        .store
        .dossier_opinions(scope, id)
        .await?
        .into_iter()
        .map(|o| OpinionLine {
            commune: commune_name(&o.commune_code),
            status: opinion_status(&o, ed.row.deemed_favourable, now),
            comment: o.comment.clone(),
        })
        .collect();
    let failed = errors.any();
    let resp = render(&ShowPage {
        att_base: format!("/{}/instruction/{id}/pieces", ctx.territory.slug),
        can_instruct: st.apply(Transition::Instruct).is_ok(),
        can_request: st.apply(Transition::RequestCorrection).is_ok(),
        can_close: st.apply(Transition::Close).is_ok(),
        checklist,
        labels: labels_of(&row.labels).join(", "),
        reviews,
        members: state.store.committee_members(scope).await?,
        opinions,
        messages: messages(state, scope, id, true).await?,
        d: dossier_view(state, scope, row).await?,
        chrome,
        slug: ctx.territory.slug,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/instruction/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    show_page(&state, ctx, chrome, path_id(&id)?, Errors::default()).await
}

/// Redirects to the dossier, or shows it with the store's conflict at its field.
async fn after(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: i64,
    anchor: &str,
    result: Result<(), trame_store::StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/{}/instruction/{id}#{anchor}",
            ctx.territory.slug
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            show_page(state, ctx, chrome, id, errors).await
        }
    }
}

/// The action form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    message: String,
}

/// `POST /{territoire}/instruction/{id}/action`.
pub async fn act(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let result = match transition_of(&form.action) {
        Some(t) => {
            state
                .store
                .instruct(user.person_id, ctx.territory.scope(), id, t, &form.message)
                .await
        }
        None => Err(trame_store::StoreError::Conflict {
            field: "action",
            message: "Choisissez une action.".into(),
        }),
    };
    after(&state, ctx, chrome, id, "etat", result).await
}

/// `POST /{territoire}/instruction/{id}/messages`: a message to the applicant or a private
/// annotation.
pub async fn message(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<MessageForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    state.store.dossier(scope, id).await?;
    let result = state
        .store
        .add_dossier_message(user.person_id, scope, id, &form.kind, &form.body)
        .await;
    after(&state, ctx, chrome, id, "messages", result).await
}

/// The labels form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LabelsForm {
    #[serde(default)]
    labels: String,
}

/// `POST /{territoire}/instruction/{id}/etiquettes`.
pub async fn labels(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<LabelsForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let labels: Vec<String> = form.labels.split(',').map(str::to_owned).collect();
    let result = state
        .store
        .set_dossier_labels(user.person_id, ctx.territory.scope(), id, &labels)
        .await;
    after(&state, ctx, chrome, id, "etiquettes", result).await
}

/// `POST /{territoire}/instruction/{id}/controle`.
pub async fn checklist(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let checked: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "items")
        .map(|(_, v)| v)
        .collect();
    let result = state
        .store
        .set_dossier_checklist(user.person_id, ctx.territory.scope(), id, &checked)
        .await;
    after(&state, ctx, chrome, id, "controle", result).await
}

/// The reviewer form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReviewerForm {
    #[serde(default)]
    reviewer: String,
}

/// `POST /{territoire}/instruction/{id}/evaluateurs`.
pub async fn assign(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ReviewerForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let result = match form.reviewer.parse::<i64>() {
        Ok(r) => {
            state
                .store
                .assign_reviewer(user.person_id, ctx.territory.scope(), id, r)
                .await
        }
        Err(_) => Err(trame_store::StoreError::Conflict {
            field: "reviewer",
            message: "Choisissez un membre du comité.".into(),
        }),
    };
    after(&state, ctx, chrome, id, "evaluateurs", result).await
}

/// `POST /{territoire}/instruction/{id}/evaluateurs/{review}/retirer`.
pub async fn unassign(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, review)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let review = path_id(&review)?;
    if !state
        .store
        .dossier_reviews(scope, id)
        .await?
        .iter()
        .any(|r| r.row.id == review)
    {
        return Err(AppError::NotFound);
    }
    let result = state
        .store
        .unassign_reviewer(user.person_id, scope, review)
        .await;
    after(&state, ctx, chrome, id, "evaluateurs", result).await
}

/// `GET /{territoire}/instruction/{id}/pieces/{piece}`.
pub async fn attachment(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    Path((_, id, piece)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state.store.dossier(scope, path_id(&id)?).await?;
    if d.state == DState::Draft.code() {
        return Err(AppError::NotFound);
    }
    let (a, bytes) = state
        .store
        .attachment_content(scope, d.id, path_id(&piece)?)
        .await?;
    Ok(download(&a, bytes))
}
