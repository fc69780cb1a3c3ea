//! The public side: the open calls for candidates and the application form, which needs
//! no account.

use super::day;
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::pages::clauses::options;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::accompaniment::application::{Application, ApplicationInput};
use trame_domain::accompaniment::programme::Window;
use trame_domain::accompaniment::vocab::{ApplicantKind, Stage};
use trame_store::accompaniment::{CallRow, window_of};

/// A call as the public pages show it.
pub struct CallView {
    /// The call.
    pub c: CallRow,
    /// Where it stands today.
    pub window: Window,
    /// Opening day, written out.
    pub opens: String,
    /// Closing day, written out.
    pub closes: String,
}

impl CallView {
    /// The view of a call on `today`.
    pub fn of(c: CallRow, today: time::Date) -> CallView {
        CallView {
            window: window_of(&c, today),
            opens: day(&c.opens_on),
            closes: day(&c.closes_on),
            c,
        }
    }

    /// Whether it accepts applications.
    pub fn open(&self) -> bool {
        self.window == Window::Open
    }
}

#[derive(Template)]
#[template(path = "accompaniment/public.html")]
struct IndexPage {
    chrome: Chrome,
    slug: String,
    territory: String,
    calls: Vec<CallView>,
}

/// `GET /{territoire}/accompagnement`.
pub async fn index(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let today = state.store.today();
    let calls = state
        .store
        .acc_calls(ctx.territory.scope())
        .await?
        .into_iter()
        .map(|c| CallView::of(c, today))
        .collect();
    render(&IndexPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        territory: ctx.territory.name.clone(),
        calls,
    })
}

#[derive(Template)]
#[template(path = "accompaniment/call.html")]
struct CallPage {
    chrome: Chrome,
    slug: String,
    call: CallView,
    form: ApplicationInput,
    errors: Errors,
    communes: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    stages: Vec<(String, String)>,
    received: Option<String>,
}

/// `?recue=N` after an application.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Received {
    /// The application's number.
    #[serde(default)]
    recue: Option<String>,
}

async fn call_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    chrome: Chrome,
    id: i64,
    form: ApplicationInput,
    errors: Errors,
    received: Option<String>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let call = CallView::of(state.store.acc_call(scope, id).await?, state.store.today());
    let failed = errors.any();
    let resp = render(&CallPage {
        chrome,
        slug: ctx.territory.slug.clone(),
        call,
        form,
        errors,
        communes: state
            .store
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| (c.code_insee, c.name))
            .collect(),
        kinds: options(
            ApplicantKind::ALL,
            ApplicantKind::code,
            ApplicantKind::label,
        ),
        stages: options(Stage::ALL, Stage::code, Stage::label),
        received: received.filter(|n| n.chars().all(|c| c.is_ascii_digit())),
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/accompagnement/appels/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<Received>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let form = ApplicationInput {
        kind: ApplicantKind::Person.code().into(),
        stage: Stage::Idea.code().into(),
        ..Default::default()
    };
    call_page(&state, &ctx, chrome, id, form, Errors::default(), q.recue).await
}

/// `POST /{territoire}/accompagnement/appels/{id}`: the application, from anyone.
pub async fn apply(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(input): Form<ApplicationInput>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let scope = ctx.territory.scope();
    let communes = state.store.communes(scope).await?;
    let codes: Vec<&str> = communes.iter().map(|c| c.code_insee.as_str()).collect();
    let errors = match Application::parse(&input, &codes) {
        Ok(a) => match state.store.submit_acc_application(scope, id, &a).await {
            Ok(n) => {
                return Ok(Redirect::to(&format!(
                    "/{}/accompagnement/appels/{id}?recue={n}",
                    ctx.territory.slug
                ))
                .into_response());
            }
            Err(e) => Errors::from_store(e)?,
        },
        Err(e) => Errors(e),
    };
    call_page(&state, &ctx, chrome, id, input, errors, None).await
}
