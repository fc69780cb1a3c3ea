//! The applicant's side: opening a dossier on an open edition, the CERFA 12156 form saved
//! as the person types (htmx) or with its button (without JavaScript), attachments,
//! submission and its receipt, the answer to a correction request, and the message
//! thread with the instructors.

use super::{AttachmentView, DossierView, dossier_view, download, is_htmx, path_id};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::{MaybeUser, render};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use trame_domain::format::{paris_datetime, paris_offset};
use trame_domain::funding::attachment::{Format, KINDS, MAX_BYTES, clean_filename};
use trame_domain::funding::dossier::{
    CofunderForm, DossierContent, DossierForm, DossierRules, EXPENSE_ACCOUNTS, REVENUE_ACCOUNTS,
    State as DState, budget_field,
};
use trame_domain::funding::edition::eligibility;
use trame_domain::money::Euros;
use trame_domain::organisation::LegalForm;
use trame_store::Scope;
use trame_store::funding::DossierRow;
use trame_store::funding::dossiers::DossierLine;
use trame_store::funding::editions::EditionFull;
use trame_store::territories::Commune;

/// A message of the thread as shown.
pub struct MessageView {
    /// Author's name.
    pub author: String,
    /// When, Paris time.
    pub when: String,
    /// What kind of message.
    pub kind: &'static str,
    /// Text.
    pub body: String,
}

/// The French label of a message kind.
pub(crate) fn message_kind(kind: &str) -> &'static str {
    match kind {
        "correction" => "Demande de correction",
        "reponse" => "Réponse du porteur",
        "annotation" => "Annotation interne",
        _ => "Message",
    }
}

pub(crate) async fn messages(
    state: &AppState,
    scope: Scope,
    id: i64,
    with_annotations: bool,
) -> Result<Vec<MessageView>, AppError> {
    Ok(state
        .store
        .dossier_messages(scope, id, with_annotations)
        .await?
        .into_iter()
        .map(|(m, author)| MessageView {
            author,
            when: paris_datetime(m.created_at),
            kind: message_kind(&m.kind),
            body: m.body,
        })
        .collect())
}

/// A line of the applicant's list.
pub struct MyLine {
    /// The line.
    pub line: DossierLine,
    /// State label.
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "funding/my_dossiers.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    dossiers: Vec<MyLine>,
}

/// `GET /{territoire}/mes-dossiers`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let dossiers = state
        .store
        .applicant_dossiers(ctx.territory.scope(), user.person_id)
        .await?
        .into_iter()
        .map(|line| MyLine {
            state: DState::from_code(&line.row.state)
                .unwrap_or(DState::Draft)
                .label(),
            line,
        })
        .collect();
    render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        dossiers,
    })
}

/// The form to open a dossier.
#[derive(Debug, Default, serde::Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    organisation: String,
}

/// `POST /{territoire}/appels/{id}/deposer`: opens a draft for the chosen organisation.
pub async fn open(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<OpenForm>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let edition_id = path_id(&id)?;
    let ed = state.store.edition(scope, edition_id).await?;
    let orgs = state
        .store
        .person_organisations(scope, user.person_id)
        .await?;
    let fail = |message: String| {
        let mut errors = Errors::default();
        errors.add("organisation", message);
        errors
    };
    let Some(org) = form
        .organisation
        .parse::<i64>()
        .ok()
        .and_then(|id| orgs.iter().find(|o| o.id == id))
    else {
        let errors = fail("Choisissez la structure qui dépose.".into());
        return super::calls::show_page(
            &state,
            ctx,
            chrome,
            MaybeUser(Some(user)),
            edition_id,
            errors,
        )
        .await;
    };
    let form_of = LegalForm::from_code(&org.legal_form).unwrap_or(LegalForm::Entreprise);
    if let Err(m) = eligibility(
        form_of,
        org.esus_approved_on,
        &ed.allowed_forms(),
        state.store.today(),
    ) {
        return super::calls::show_page(
            &state,
            ctx,
            chrome,
            MaybeUser(Some(user)),
            edition_id,
            fail(m),
        )
        .await;
    }
    match state
        .store
        .open_dossier(user.person_id, scope, edition_id, org.id)
        .await
    {
        Ok(d) => Ok(
            Redirect::to(&format!("/{}/mes-dossiers/{}", ctx.territory.slug, d.id)).into_response(),
        ),
        Err(trame_store::StoreError::Conflict { message, .. }) => {
            super::calls::show_page(
                &state,
                ctx,
                chrome,
                MaybeUser(Some(user)),
                edition_id,
                fail(message),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A budget field of the form.
pub struct BudgetInput {
    /// Account group.
    pub account: u8,
    /// Field name.
    pub field: &'static str,
    /// Label.
    pub label: &'static str,
    /// Value as typed.
    pub value: String,
}

/// A co-funder row of the form and its field name.
pub struct CofunderRow {
    /// As typed.
    pub row: CofunderForm,
    /// Field name (`cofunder_1`…).
    pub field: &'static str,
}

/// A text area of the form.
pub struct TextArea {
    /// Field name.
    pub field: &'static str,
    /// Label.
    pub label: &'static str,
    /// Hint.
    pub hint: &'static str,
    /// Value as typed.
    pub value: String,
}

#[derive(Template)]
#[template(path = "funding/dossier_form.html")]
struct FormPage {
    texts: Vec<TextArea>,
    chrome: Chrome,
    slug: String,
    d: DossierRow,
    organisation: String,
    edition_title: String,
    closes: String,
    correcting: bool,
    form: DossierForm,
    communes: Vec<Commune>,
    expenses: Vec<BudgetInput>,
    revenues: Vec<BudgetInput>,
    cofunders: Vec<CofunderRow>,
    envelopes: Vec<(String, String)>,
    entrepreneurs: Option<Vec<(i64, String)>>,
    attachments: Vec<AttachmentView>,
    kinds: [(&'static str, &'static str); 5],
    messages: Vec<MessageView>,
    errors: Errors,
    saved: bool,
    max_mb: usize,
}

impl FormPage {
    fn commune_checked(&self, code: &str) -> bool {
        self.form.communes.iter().any(|c| c == code)
    }
}

/// The hosted entrepreneurs of a CAE; `None` for another organisation.
async fn entrepreneurs(
    state: &AppState,
    scope: Scope,
    organisation_id: i64,
) -> Result<Option<Vec<(i64, String)>>, AppError> {
    let org = state.store.organisation(scope, organisation_id).await?;
    if org.legal_form != LegalForm::Cae.code() {
        return Ok(None);
    }
    Ok(Some(
        state
            .store
            .organisation_members(scope, organisation_id)
            .await?
            .into_iter()
            .filter(|(_, _, hosted)| *hosted)
            .map(|(p, _, _)| (p.id, p.display_name))
            .collect(),
    ))
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    d: DossierRow,
    form: Option<DossierForm>,
    errors: Errors,
    saved: bool,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let form = match form {
        Some(f) => f,
        None => state.store.dossier_texts(scope, d.id).await?.0,
    };
    let ed: EditionFull = state.store.edition(scope, d.edition_id).await?;
    let org = state.store.organisation(scope, d.organisation_id).await?;
    let budget = |accounts: &[(u8, &'static str)]| -> Vec<BudgetInput> {
        accounts
            .iter()
            .map(|(a, label)| BudgetInput {
                account: *a,
                field: budget_field(*a),
                label,
                value: form.budget_value(*a).to_owned(),
            })
            .collect()
    };
    let texts = [
        (
            "summary",
            "Résumé",
            "Quelques phrases : le besoin, la réponse, les personnes concernées.",
            &form.summary,
        ),
        ("objectives", "Objectifs", "", &form.objectives),
        ("actions", "Actions prévues", "", &form.actions),
        ("public", "Public visé", "", &form.public),
    ]
    .into_iter()
    .map(|(field, label, hint, value)| TextArea {
        field,
        label,
        hint,
        value: value.clone(),
    })
    .collect();
    let failed = errors.any();
    let resp = render(&FormPage {
        texts,
        expenses: budget(&EXPENSE_ACCOUNTS),
        revenues: budget(&REVENUE_ACCOUNTS),
        cofunders: form
            .cofunder_rows()
            .into_iter()
            .zip([
                "cofunder_1",
                "cofunder_2",
                "cofunder_3",
                "cofunder_4",
                "cofunder_5",
            ])
            .map(|(row, field)| CofunderRow { row, field })
            .collect(),
        communes: state.store.communes(scope).await?,
        envelopes: ed
            .envelopes
            .iter()
            .map(|e| (e.code.clone(), e.label.clone()))
            .collect(),
        entrepreneurs: entrepreneurs(state, scope, d.organisation_id).await?,
        attachments: state
            .store
            .attachments(scope, d.id)
            .await?
            .iter()
            .map(AttachmentView::of)
            .collect(),
        kinds: KINDS,
        messages: messages(state, scope, d.id, false).await?,
        correcting: d.state == DState::CorrectionRequested.code(),
        organisation: org.name,
        edition_title: ed.row.title.clone(),
        closes: paris_datetime(ed.row.closes_at),
        chrome,
        slug: ctx.territory.slug,
        d,
        form,
        errors,
        saved,
        max_mb: MAX_BYTES / (1024 * 1024),
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

#[derive(Template)]
#[template(path = "funding/my_dossier.html")]
struct ViewPage {
    chrome: Chrome,
    slug: String,
    d: DossierView,
    att_base: String,
    messages: Vec<MessageView>,
    errors: Errors,
}

async fn view_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    d: DossierRow,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let att_base = format!("/{}/mes-dossiers/{}/pieces", ctx.territory.slug, d.id);
    let messages = messages(state, scope, d.id, false).await?;
    let failed = errors.any();
    let resp = render(&ViewPage {
        d: dossier_view(state, scope, d).await?,
        chrome,
        slug: ctx.territory.slug,
        att_base,
        messages,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// Query of the dossier page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DossierQuery {
    #[serde(default)]
    enregistre: Option<String>,
}

/// `GET /{territoire}/mes-dossiers/{id}`: the form while the applicant may edit, else the
/// dossier as submitted with its messages.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<DossierQuery>,
) -> Result<Response, AppError> {
    let d = state
        .store
        .applicant_dossier(ctx.territory.scope(), user.person_id, path_id(&id)?)
        .await?;
    if DState::from_code(&d.state).is_some_and(DState::editable_by_applicant) {
        form_page(
            &state,
            ctx,
            chrome,
            d,
            None,
            Errors::default(),
            q.enregistre.is_some(),
        )
        .await
    } else {
        view_page(&state, ctx, chrome, d, Errors::default()).await
    }
}

fn saved_fragment(state: &AppState) -> Response {
    let now = state.store.now();
    let local = now.to_offset(paris_offset(now));
    Html(format!(
        "<p id=\"autosave-status\" class=\"muted\" role=\"status\">Brouillon enregistré à {:02}:{:02}.</p>",
        local.hour(),
        local.minute()
    ))
    .into_response()
}

/// `POST /{territoire}/mes-dossiers/{id}`: saves the draft as typed. From htmx (as the
/// person types) the answer is the status line; without JavaScript, the page again.
pub async fn save(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    headers: HeaderMap,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state
        .store
        .applicant_dossier(scope, user.person_id, path_id(&id)?)
        .await?;
    let form = DossierForm::from_pairs(&pairs);
    match state
        .store
        .save_draft(user.person_id, scope, d.id, &form)
        .await
    {
        Ok(_) if is_htmx(&headers) => Ok(saved_fragment(&state)),
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/mes-dossiers/{}?enregistre=1",
            ctx.territory.slug, d.id
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            view_page(&state, ctx, chrome, d, errors).await
        }
    }
}

/// `POST /{territoire}/mes-dossiers/{id}/deposer`: saves what was typed, checks it all,
/// and submits (or answers the correction request).
pub async fn submit(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state
        .store
        .applicant_dossier(scope, user.person_id, path_id(&id)?)
        .await?;
    let form = DossierForm::from_pairs(&pairs);
    let answer = pairs
        .iter()
        .find(|(k, _)| k == "answer")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    // Nothing typed is lost, whatever comes next.
    if let Err(e) = state
        .store
        .save_draft(user.person_id, scope, d.id, &form)
        .await
    {
        let errors = Errors::from_store(e)?;
        return view_page(&state, ctx, chrome, d, errors).await;
    }
    let ed = state.store.edition(scope, d.edition_id).await?;
    let rules = DossierRules {
        communes: state
            .store
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| c.code_insee)
            .collect(),
        envelopes: ed.envelopes.iter().map(|e| e.code.clone()).collect(),
        ceiling: Euros::from_cents(ed.row.ceiling_cents),
        ceiling_share_percent: u8::try_from(ed.row.ceiling_share_percent).unwrap_or(100),
        hosted_entrepreneurs: entrepreneurs(&state, scope, d.organisation_id)
            .await?
            .map(|v| v.into_iter().map(|(id, _)| id).collect()),
    };
    let mut errors = Errors::default();
    let content = match DossierContent::parse(&form, &rules) {
        Ok(c) => Some(c),
        Err(e) => {
            errors = Errors(e);
            None
        }
    };
    let kinds: Vec<String> = state
        .store
        .attachments(scope, d.id)
        .await?
        .into_iter()
        .map(|a| a.kind)
        .collect();
    let missing: Vec<&str> = [("statuts", "les statuts"), ("rib", "le RIB")]
        .iter()
        .filter(|(k, _)| !kinds.iter().any(|x| x == k))
        .map(|(_, l)| *l)
        .collect();
    if !missing.is_empty() {
        errors.add(
            "file",
            format!("Joignez {} avant de déposer.", missing.join(" et ")),
        );
    }
    let d = state.store.dossier(scope, d.id).await?;
    let Some(content) = content.filter(|_| !errors.any()) else {
        return form_page(&state, ctx, chrome, d, Some(form), errors, false).await;
    };
    match state
        .store
        .submit_dossier(user.person_id, scope, d.id, &form, &content, &answer)
        .await
    {
        Ok(row) => Ok(Redirect::to(&format!(
            "/{}/mes-dossiers/{}/recepisse",
            ctx.territory.slug, row.id
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            form_page(&state, ctx, chrome, d, Some(form), errors, false).await
        }
    }
}

#[derive(Template)]
#[template(path = "funding/receipt.html")]
struct ReceiptPage {
    chrome: Chrome,
    slug: String,
    d: DossierView,
    edition: String,
}

/// `GET /{territoire}/mes-dossiers/{id}/recepisse`.
pub async fn receipt(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state
        .store
        .applicant_dossier(scope, user.person_id, path_id(&id)?)
        .await?;
    if d.submitted_at.is_none() {
        return Err(AppError::NotFound);
    }
    let edition = state.store.edition(scope, d.edition_id).await?.row.title;
    render(&ReceiptPage {
        d: dossier_view(&state, scope, d).await?,
        chrome,
        slug: ctx.territory.slug,
        edition,
    })
}

/// What a file field whose part cannot be read (a control character in its name, a
/// broken upload) says.
pub(crate) const UNREADABLE: &str = "Le fichier n'a pas pu être lu : son nom contient peut-être des caractères de contrôle, ou l'envoi a été interrompu. Renommez-le puis envoyez-le de nouveau.";

/// `POST /{territoire}/mes-dossiers/{id}/pieces` (multipart, `_csrf` in the query): the
/// file is read chunk by chunk and refused past 10 MB; its format is decided by its
/// content.
pub async fn upload(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state
        .store
        .applicant_dossier(scope, user.person_id, path_id(&id)?)
        .await?;
    let mut kind = String::new();
    let mut name = String::new();
    let mut bytes: Vec<u8> = Vec::new();
    let mut too_big = false;
    let mut unreadable = false;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                unreadable = true;
                break;
            }
        };
        match field.name() {
            Some("kind") => kind = field.text().await.unwrap_or_default(),
            Some("file") => {
                name = field.file_name().unwrap_or_default().to_owned();
                while let Ok(Some(chunk)) = field.chunk().await {
                    if bytes.len() + chunk.len() > MAX_BYTES {
                        too_big = true;
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if too_big {
                    break;
                }
            }
            _ => {}
        }
    }
    let mut errors = Errors::default();
    if !KINDS.iter().any(|(k, _)| *k == kind) {
        errors.add("kind", "Choisissez le type de pièce.");
    }
    let mut format = None;
    if too_big {
        errors.add(
            "file",
            format!("Le fichier dépasse {} Mo.", MAX_BYTES / (1024 * 1024)),
        );
    } else if unreadable {
        errors.add("file", UNREADABLE);
    } else if bytes.is_empty() {
        errors.add("file", "Choisissez un fichier.");
    } else {
        const ACCEPTED: &[Format] = &[Format::Pdf, Format::Ods, Format::Xlsx];
        let checked;
        (bytes, checked) =
            crate::uploads::check_upload(&state, name.clone(), bytes, ACCEPTED).await?;
        match checked {
            Ok(f) => format = Some(f),
            Err(message) => errors.add("file", message),
        }
    }
    let (false, Some(format)) = (errors.any(), format) else {
        return form_page(&state, ctx, chrome, d, None, errors, false).await;
    };
    match state
        .store
        .add_attachment(
            user.person_id,
            scope,
            d.id,
            &kind,
            &clean_filename(&name, format),
            format.mime(),
            bytes,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/mes-dossiers/{}?enregistre=1#pieces",
            ctx.territory.slug, d.id
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            form_page(&state, ctx, chrome, d, None, errors, false).await
        }
    }
}

/// `POST /{territoire}/mes-dossiers/{id}/pieces/{piece}/retirer`.
pub async fn remove_attachment(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id, piece)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state
        .store
        .applicant_dossier(scope, user.person_id, path_id(&id)?)
        .await?;
    match state
        .store
        .remove_attachment(user.person_id, scope, d.id, path_id(&piece)?)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/{}/mes-dossiers/{}#pieces",
            ctx.territory.slug, d.id
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            view_page(&state, ctx, chrome, d, errors).await
        }
    }
}

/// `GET /{territoire}/mes-dossiers/{id}/pieces/{piece}`.
pub async fn attachment(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    Path((_, id, piece)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state
        .store
        .applicant_dossier(scope, user.person_id, path_id(&id)?)
        .await?;
    let (a, bytes) = state
        .store
        .attachment_content(scope, d.id, path_id(&piece)?)
        .await?;
    Ok(download(&a, bytes))
}

/// A message form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    pub(crate) body: String,
    #[serde(default)]
    pub(crate) kind: String,
}

/// `POST /{territoire}/mes-dossiers/{id}/messages`.
pub async fn message(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<MessageForm>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let d = state
        .store
        .applicant_dossier(scope, user.person_id, path_id(&id)?)
        .await?;
    match state
        .store
        .add_dossier_message(user.person_id, scope, d.id, "message", &form.body)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/{}/mes-dossiers/{}#messages",
            ctx.territory.slug, d.id
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            view_page(&state, ctx, chrome, d, errors).await
        }
    }
}
