//! Editions of the call for projects, as the territory's staff set them up: list, form
//! (calendar in Paris time, envelopes, ceilings, eligibility, grid), publication, copy
//! from last year's.

use super::{eur, path_id};
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
use std::collections::BTreeMap;
use time::PrimitiveDateTime;
use trame_domain::format::paris_offset;
use trame_domain::funding::allocation::Rule;
use trame_domain::funding::edition::{
    Criterion, Edition, default_grid, ess_families, paris_to_utc,
};
use trame_domain::money::Euros;
use trame_domain::organisation::LegalForm;
use trame_store::funding::editions::{EditionFull, EditionInput, EditionRow};

/// Rows offered for earmarked sub-envelopes.
const ENVELOPE_ROWS: usize = 3;
/// Rows offered for the grid.
const CRITERION_ROWS: usize = 8;

/// A sub-envelope row as typed.
#[derive(Debug, Clone, Default)]
pub struct EnvelopeForm {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Amount.
    pub amount: String,
}

/// A criterion row as typed.
#[derive(Debug, Clone, Default)]
pub struct CriterionForm {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Weight in percent.
    pub weight: String,
}

/// The edition form as typed.
#[derive(Debug, Clone, Default)]
pub struct EditionForm {
    year: String,
    title: String,
    description: String,
    opens_at: String,
    closes_at: String,
    total: String,
    ceiling: String,
    ceiling_share: String,
    minimum_share: String,
    step: String,
    opinion_days: String,
    deemed_favourable: bool,
    reviewer_cap: String,
    forms: Vec<String>,
    envelopes: Vec<EnvelopeForm>,
    criteria: Vec<CriterionForm>,
}

fn local_input(t: time::OffsetDateTime) -> String {
    let l = t.to_offset(paris_offset(t));
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}",
        l.year(),
        u8::from(l.month()),
        l.day(),
        l.hour(),
        l.minute()
    )
}

fn cents_input(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        format!("{},{:02}", cents / 100, cents % 100)
    }
}

impl EditionForm {
    fn rows(mut self) -> Self {
        self.envelopes
            .resize(ENVELOPE_ROWS, EnvelopeForm::default());
        self.criteria
            .resize(CRITERION_ROWS, CriterionForm::default());
        self
    }

    /// A blank form with GPSEA's defaults.
    fn defaults(year: i32) -> Self {
        EditionForm {
            year: year.to_string(),
            title: format!("Appel à projets Initiatives d'ESS {year}"),
            ceiling: "15000".into(),
            ceiling_share: "80".into(),
            minimum_share: "50".into(),
            step: "100".into(),
            opinion_days: "15".into(),
            deemed_favourable: true,
            reviewer_cap: "20".into(),
            forms: ess_families().iter().map(|f| f.code().to_owned()).collect(),
            criteria: default_grid()
                .into_iter()
                .map(|c| CriterionForm {
                    code: c.code,
                    label: c.label,
                    weight: c.weight_percent.to_string(),
                })
                .collect(),
            ..Default::default()
        }
        .rows()
    }

    fn of(e: &EditionFull) -> Self {
        let r = &e.row;
        EditionForm {
            year: r.year.to_string(),
            title: r.title.clone(),
            description: r.description.clone(),
            opens_at: local_input(r.opens_at),
            closes_at: local_input(r.closes_at),
            total: cents_input(r.total_cents),
            ceiling: cents_input(r.ceiling_cents),
            ceiling_share: r.ceiling_share_percent.to_string(),
            minimum_share: r.minimum_share_percent.to_string(),
            step: cents_input(r.step_cents),
            opinion_days: r.opinion_days.to_string(),
            deemed_favourable: r.deemed_favourable,
            reviewer_cap: r.reviewer_cap.to_string(),
            forms: e
                .allowed_forms()
                .iter()
                .map(|f| f.code().to_owned())
                .collect(),
            envelopes: e
                .envelopes
                .iter()
                .map(|v| EnvelopeForm {
                    code: v.code.clone(),
                    label: v.label.clone(),
                    amount: cents_input(v.amount_cents),
                })
                .collect(),
            criteria: e
                .criteria
                .iter()
                .map(|c| CriterionForm {
                    code: c.code.clone(),
                    label: c.label.clone(),
                    weight: c.weight_percent.to_string(),
                })
                .collect(),
        }
        .rows()
    }

    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = EditionForm::default().rows();
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "year" => f.year = v,
                "title" => f.title = v,
                "description" => f.description = v,
                "opens_at" => f.opens_at = v,
                "closes_at" => f.closes_at = v,
                "total" => f.total = v,
                "ceiling" => f.ceiling = v,
                "ceiling_share" => f.ceiling_share = v,
                "minimum_share" => f.minimum_share = v,
                "step" => f.step = v,
                "opinion_days" => f.opinion_days = v,
                "deemed_favourable" => f.deemed_favourable = true,
                "reviewer_cap" => f.reviewer_cap = v,
                "forms" => f.forms.push(v),
                other => {
                    let mut parts = other.splitn(3, '_');
                    let (Some(group), Some(n), Some(what)) =
                        (parts.next(), parts.next(), parts.next())
                    else {
                        continue;
                    };
                    let Ok(n) = n.parse::<usize>() else { continue };
                    match group {
                        "env" => {
                            if let Some(row) = f.envelopes.get_mut(n) {
                                match what {
                                    "code" => row.code = v,
                                    "label" => row.label = v,
                                    "amount" => row.amount = v,
                                    _ => {}
                                }
                            }
                        }
                        "crit" => {
                            if let Some(row) = f.criteria.get_mut(n) {
                                match what {
                                    "code" => row.code = v,
                                    "label" => row.label = v,
                                    "weight" => row.weight = v,
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        f
    }

    fn has_form(&self, code: &&str) -> bool {
        self.forms.iter().any(|f| f == code)
    }

    /// Checks the whole form; every problem at its field.
    fn parse(&self) -> Result<EditionInput, Errors> {
        let mut errors = Errors::default();
        let int =
            |raw: &str, field: &'static str, lo: i64, hi: i64, msg: &str, errors: &mut Errors| {
                match raw.trim().parse::<i64>() {
                    Ok(v) if (lo..=hi).contains(&v) => v,
                    _ => {
                        errors.add(field, msg.to_owned());
                        lo
                    }
                }
            };
        let money = |raw: &str, field: &'static str, errors: &mut Errors| match Euros::parse(raw) {
            Ok(e) if e.cents() > 0 => e,
            Ok(_) => {
                errors.add(field, "Le montant doit être positif.");
                Euros::ZERO
            }
            Err(e) => {
                errors.add(field, e.message);
                Euros::ZERO
            }
        };
        let when = |raw: &str, field: &'static str, errors: &mut Errors| {
            PrimitiveDateTime::parse(
                raw.trim(),
                time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
            )
            .map(paris_to_utc)
            .map_err(|_| {
                errors.add(
                    field,
                    "Indiquez la date et l'heure (heure de Paris), par exemple 2027-03-01 à 09:00.",
                )
            })
            .ok()
        };
        let year = int(
            &self.year,
            "year",
            2000,
            2100,
            "L'année doit être comprise entre 2000 et 2100.",
            &mut errors,
        );
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.add("title", "Le titre est obligatoire.");
        }
        let opens = when(&self.opens_at, "opens_at", &mut errors);
        let closes = when(&self.closes_at, "closes_at", &mut errors);
        let total = money(&self.total, "total", &mut errors);
        let ceiling = money(&self.ceiling, "ceiling", &mut errors);
        let step = money(&self.step, "step", &mut errors);
        let share = int(
            &self.ceiling_share,
            "ceiling_share",
            1,
            100,
            "Une part de 1 à 100 %.",
            &mut errors,
        );
        let minimum = int(
            &self.minimum_share,
            "minimum_share",
            0,
            100,
            "Une part de 0 à 100 %.",
            &mut errors,
        );
        let opinion_days = int(
            &self.opinion_days,
            "opinion_days",
            1,
            90,
            "Un délai de 1 à 90 jours.",
            &mut errors,
        );
        let reviewer_cap = int(
            &self.reviewer_cap,
            "reviewer_cap",
            1,
            500,
            "Un nombre de 1 à 500 dossiers.",
            &mut errors,
        );
        let allowed: Vec<LegalForm> = LegalForm::ALL
            .into_iter()
            .filter(|f| self.forms.iter().any(|c| c == f.code()))
            .collect();
        if allowed.is_empty() {
            errors.add("forms", "Cochez au moins une famille de structures admise.");
        }
        let mut earmarked = BTreeMap::new();
        let mut labels = Vec::new();
        for (i, e) in self.envelopes.iter().enumerate() {
            let code: String = e
                .code
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if code.is_empty() && e.amount.trim().is_empty() && e.label.trim().is_empty() {
                continue;
            }
            if code.is_empty() {
                errors.add(
                    "envelopes",
                    format!(
                        "Enveloppe {} : indiquez un code court, par exemple « pat ».",
                        i + 1
                    ),
                );
                continue;
            }
            match Euros::parse(&e.amount) {
                Ok(a) => {
                    earmarked.insert(code.clone(), a);
                }
                Err(m) => errors.add("envelopes", format!("Enveloppe « {code} » : {}", m.message)),
            }
            let label = if e.label.trim().is_empty() {
                code.clone()
            } else {
                e.label.trim().to_owned()
            };
            labels.push((code, label));
        }
        let mut grid = Vec::new();
        for (i, c) in self.criteria.iter().enumerate() {
            if c.label.trim().is_empty() && c.weight.trim().is_empty() {
                continue;
            }
            let code = if c.code.trim().is_empty() {
                format!("critere{}", i + 1)
            } else {
                c.code.trim().to_owned()
            };
            match c.weight.trim().parse::<u8>() {
                Ok(w) if w <= 100 && !c.label.trim().is_empty() => grid.push(Criterion {
                    code,
                    label: c.label.trim().to_owned(),
                    weight_percent: w,
                }),
                _ => errors.add(
                    "grid",
                    format!("Critère {} : un intitulé et un poids de 0 à 100 %.", i + 1),
                ),
            }
        }
        let (Some(opens), Some(closes)) = (opens, closes) else {
            return Err(errors);
        };
        if errors.any() {
            // Report the rest too, as far as it can be checked.
            if let Err(more) = Edition::check(year as i32, opens, closes, total, earmarked, grid) {
                for (k, v) in more {
                    if errors.get(k).is_none() && !matches!(k, "total") {
                        errors.add(k, v);
                    }
                }
            }
            return Err(errors);
        }
        let edition = Edition::check(
            i32::try_from(year).unwrap_or(2000),
            opens,
            closes,
            total,
            earmarked,
            grid,
        )
        .map_err(|e| {
            let mut errors = Errors::default();
            for (k, v) in e {
                errors.add(if k == "earmarked" { "envelopes" } else { k }, v);
            }
            errors
        })?;
        Ok(EditionInput {
            edition,
            title,
            description: self.description.trim().to_owned(),
            envelope_labels: labels,
            rule: Rule {
                ceiling,
                ceiling_share_percent: u8::try_from(share).unwrap_or(100),
                minimum_share_percent: u8::try_from(minimum).unwrap_or(50),
                step,
            },
            allowed_forms: allowed,
            opinion_days: i32::try_from(opinion_days).unwrap_or(15),
            deemed_favourable: self.deemed_favourable,
            reviewer_cap: i32::try_from(reviewer_cap).unwrap_or(20),
            demo_amounts: false,
        })
    }
}

/// An edition as the list shows it.
pub struct EditionLine {
    /// Row.
    pub row: EditionRow,
    /// Envelope.
    pub total: String,
    /// Status label.
    pub status: &'static str,
}

/// The status of an edition at `now`.
pub(crate) fn status(row: &EditionRow, now: time::OffsetDateTime) -> &'static str {
    match row.published_at {
        None => "Brouillon (non publiée)",
        Some(_) if now < row.opens_at => "Publiée, ouverture à venir",
        Some(_) if now <= row.closes_at => "Ouverte aux dépôts",
        Some(_) => "Close",
    }
}

#[derive(Template)]
#[template(path = "funding/editions.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    editions: Vec<EditionLine>,
    next_year: i32,
    errors: Errors,
}

async fn list_page(
    state: &AppState,
    ctx: TerritoryCtx,
    chrome: Chrome,
    errors: Errors,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let now = state.store.now();
    let editions: Vec<EditionLine> = state
        .store
        .editions(scope)
        .await?
        .into_iter()
        .map(|row| EditionLine {
            total: eur(row.total_cents),
            status: status(&row, now),
            row,
        })
        .collect();
    let next_year = editions
        .iter()
        .map(|e| e.row.year)
        .max()
        .map_or(now.year(), |y| y + 1);
    let failed = errors.any();
    let resp = render(&ListPage {
        chrome,
        slug: ctx.territory.slug,
        editions,
        next_year,
        errors,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/admin/appels`.
pub async fn list(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    list_page(&state, ctx, chrome, Errors::default()).await
}

#[derive(Template)]
#[template(path = "funding/edition_form.html")]
struct FormPage {
    chrome: Chrome,
    slug: String,
    id: Option<i64>,
    published: bool,
    form: EditionForm,
    all_forms: [LegalForm; 10],
    errors: Errors,
    saved: bool,
}

impl FormPage {
    fn checked(&self, f: &LegalForm) -> bool {
        self.form.has_form(&f.code())
    }
}

fn form_page(
    ctx: TerritoryCtx,
    chrome: Chrome,
    id: Option<i64>,
    published: bool,
    form: EditionForm,
    errors: Errors,
    saved: bool,
) -> Result<Response, AppError> {
    let failed = errors.any();
    let resp = render(&FormPage {
        chrome,
        slug: ctx.territory.slug,
        id,
        published,
        form,
        all_forms: LegalForm::ALL,
        errors,
        saved,
    })?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/admin/appels/nouvelle`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let year = state.store.now().year() + 1;
    form_page(
        ctx,
        chrome,
        None,
        false,
        EditionForm::defaults(year),
        Errors::default(),
        false,
    )
}

/// `POST /{territoire}/admin/appels/nouvelle`.
pub async fn create(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = EditionForm::from_pairs(&pairs);
    let input = match form.parse() {
        Ok(i) => i,
        Err(errors) => return form_page(ctx, chrome, None, false, form, errors, false),
    };
    let scope = ctx.territory.scope();
    let scheme = state.store.call_scheme(Some(user.person_id), scope).await?;
    match state
        .store
        .create_edition(Some(user.person_id), scope, scheme.id, &input)
        .await
    {
        Ok(row) => Ok(Redirect::to(&format!(
            "/{}/admin/appels/{}?enregistre=1",
            ctx.territory.slug, row.id
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            form_page(ctx, chrome, None, false, form, errors, false)
        }
    }
}

/// Query of the edition page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    enregistre: Option<String>,
}

/// `GET /{territoire}/admin/appels/{id}`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    let e = state
        .store
        .edition(ctx.territory.scope(), path_id(&id)?)
        .await?;
    form_page(
        ctx,
        chrome,
        Some(e.row.id),
        e.row.published_at.is_some(),
        EditionForm::of(&e),
        Errors::default(),
        q.enregistre.is_some(),
    )
}

/// `POST /{territoire}/admin/appels/{id}`.
pub async fn update(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let current = state.store.edition(scope, path_id(&id)?).await?;
    let published = current.row.published_at.is_some();
    let form = EditionForm::from_pairs(&pairs);
    let input = match form.parse() {
        Ok(i) => i,
        Err(errors) => {
            return form_page(
                ctx,
                chrome,
                Some(current.row.id),
                published,
                form,
                errors,
                false,
            );
        }
    };
    match state
        .store
        .update_edition(user.person_id, scope, current.row.id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/admin/appels/{}?enregistre=1",
            ctx.territory.slug, current.row.id
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            form_page(
                ctx,
                chrome,
                Some(current.row.id),
                published,
                form,
                errors,
                false,
            )
        }
    }
}

/// `POST /{territoire}/admin/appels/{id}/publier`.
pub async fn publish(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let id = path_id(&id)?;
    match state.store.publish_edition(user.person_id, scope, id).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/{}/admin/appels/{id}?enregistre=1",
            ctx.territory.slug
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            let current = state.store.edition(scope, id).await?;
            form_page(
                ctx,
                chrome,
                Some(id),
                true,
                EditionForm::of(&current),
                errors,
                false,
            )
        }
    }
}

/// The copy form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CopyForm {
    #[serde(default)]
    year: String,
}

/// `POST /{territoire}/admin/appels/{id}/copier`: next year's edition from this one.
pub async fn copy(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CopyForm>,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let id = path_id(&id)?;
    let year = match form.year.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            let mut errors = Errors::default();
            errors.add(
                "year",
                "Indiquez l'année de la nouvelle édition, par exemple 2027.",
            );
            return list_page(&state, ctx, chrome, errors).await;
        }
    };
    match state
        .store
        .copy_edition(user.person_id, scope, id, year)
        .await
    {
        Ok(row) => Ok(Redirect::to(&format!(
            "/{}/admin/appels/{}?enregistre=1",
            ctx.territory.slug, row.id
        ))
        .into_response()),
        Err(e) => {
            let errors = Errors::from_store(e)?;
            list_page(&state, ctx, chrome, errors).await
        }
    }
}
