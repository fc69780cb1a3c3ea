//! A file's page: its barriers, referrals, steps, forums, exit, six-month situation,
//! sharing and FSE+ data, each form with what was typed and its errors.

use super::{ROOT, commune_name, communes};
use crate::AppState;
use crate::access::TerritoryCtx;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, unprocessable};
use crate::middleware::CurrentUser;
use crate::pages::accompaniment::{day, label_of};
use crate::pages::clauses::options;
use crate::pages::funding::path_id;
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trame_domain::accompaniment::vocab::{Answer, Education, EntryStatus, ExitStatus};
use trame_domain::clauses::vocab::Ground;
use trame_domain::format::paris_day;
use trame_domain::pathways::pathway::{BarrierInput, DEFAULT_ALERT_DAYS, ExitInput, StepInput};
use trame_domain::pathways::vocab::{Barrier, ExitReason, StepKind, StepStatus};
use trame_store::pathways::{FileView, Reach};
/// A step as the file's page shows it.
pub struct StepLine {
    /// The row's id.
    pub id: i64,
    /// The type, written out.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Dates, written out.
    pub dates: String,
    /// The status, written out.
    pub status: String,
    /// The row as a form, to change it.
    pub input: StepInput,
}

/// A barrier as the file's page shows it.
pub struct BarrierLine {
    /// The row's id.
    pub id: i64,
    /// The theme.
    pub label: String,
    /// Note.
    pub note: String,
    /// Found on, written out.
    pub identified: String,
    /// Lifted on, written out.
    pub lifted: Option<String>,
}

/// A referral as the file's page shows it.
pub struct ReferralLine {
    /// Service.
    pub service: String,
    /// Structure.
    pub structure: String,
    /// Barrier theme.
    pub barrier: String,
    /// Sent on, written out, and by whom.
    pub sent: String,
    /// State, written out.
    pub state: String,
    /// Whether it was accepted.
    pub accepted: bool,
    /// The structure's reason, when declined.
    pub reason: String,
}

/// The forms of a file's page, with what was typed and their errors.
#[derive(Default)]
pub struct Forms {
    /// A barrier.
    pub barrier: BarrierInput,
    /// Its errors (and a lift's).
    pub barrier_errors: Errors,
    /// A new step.
    pub step: StepInput,
    /// Its errors.
    pub step_errors: Errors,
    /// The step being changed, with its errors.
    pub editing: Option<(i64, StepInput, Errors)>,
    /// The exit.
    pub exit: ExitInput,
    /// Its errors.
    pub exit_errors: Errors,
    /// The six-month situation.
    pub follow_up: String,
    /// Its errors.
    pub follow_up_errors: Errors,
    /// The forum to register the person to.
    pub forum: String,
    /// Its errors.
    pub forum_errors: Errors,
    /// The organisation to share with.
    pub share: String,
    /// Its errors.
    pub share_errors: Errors,
}

impl Forms {
    fn failed(&self) -> bool {
        self.barrier_errors.any()
            || self.step_errors.any()
            || self.editing.as_ref().is_some_and(|e| e.2.any())
            || self.exit_errors.any()
            || self.follow_up_errors.any()
            || self.share_errors.any()
            || self.forum_errors.any()
    }
}

#[derive(Template)]
#[template(path = "pathways/file.html")]
struct FilePage {
    chrome: Chrome,
    slug: String,
    root: &'static str,
    v: FileView,
    writes: bool,
    commune: String,
    ground: String,
    entered: String,
    ends_by: String,
    alert: Option<String>,
    entry_status: String,
    education: String,
    disability: String,
    homeless: String,
    barriers: Vec<BarrierLine>,
    steps: Vec<StepLine>,
    referrals: Vec<ReferralLine>,
    exit: Option<(String, String, String, bool)>,
    follow_up: Option<(String, String)>,
    follow_up_hint: String,
    f: Forms,
    barrier_options: Vec<(String, String)>,
    step_kinds: Vec<(String, String)>,
    step_statuses: Vec<(String, String)>,
    exit_reasons: Vec<(String, String)>,
    situations: Vec<(String, String)>,
    share_options: Vec<(String, String)>,
    forum_options: Vec<(String, String)>,
    forums: Vec<FileForumLine>,
}

/// A forum the person is registered to, as the file's page shows it.
pub struct FileForumLine {
    /// Forum's id.
    pub id: i64,
    /// Title and day.
    pub title: String,
    /// Checked in.
    pub came: bool,
    /// What came of it: « Embauche — Employeur ».
    pub results: Vec<String>,
}

impl FilePage {
    /// The day of the person's consent, in Paris.
    fn consented(&self) -> String {
        trame_domain::format::french_date(paris_day(self.v.file.consent_at))
    }

    fn editing_errors(&self, id: &i64) -> Option<&Errors> {
        self.f
            .editing
            .as_ref()
            .filter(|(e, _, _)| e == id)
            .map(|(_, _, errors)| errors)
    }
}

pub(super) async fn file_page(
    state: &AppState,
    ctx: &TerritoryCtx,
    user: &CurrentUser,
    chrome: Chrome,
    id: i64,
    f: Forms,
) -> Result<Response, AppError> {
    let scope = ctx.territory.scope();
    let v = state.store.path_file(user.person_id, scope, id).await?;
    let today = state.store.today();
    let communes = communes(state, scope).await?;
    let p = &v.file;
    let exit = match (&p.exited_on, &p.exit_reason) {
        (Some(d), Some(r)) => Some((
            day(d),
            label_of(r, ExitReason::from_code, ExitReason::label),
            p.exit_note.clone(),
            ExitReason::from_code(r).is_some_and(ExitReason::positive),
        )),
        _ => None,
    };
    let follow_up = match (&p.follow_up_on, &p.follow_up) {
        (Some(d), Some(s)) => Some((
            day(d),
            label_of(s, ExitStatus::from_code, ExitStatus::label),
        )),
        _ => None,
    };
    let follow_up_due = p
        .exited_on
        .as_deref()
        .and_then(trame_domain::format::parse_iso_date)
        .map(|d| {
            trame_domain::format::french_date(trame_domain::pathways::pathway::add_months(d, 6))
        });
    let barriers = v
        .barriers
        .iter()
        .map(|b| BarrierLine {
            id: b.id,
            label: label_of(&b.barrier, Barrier::from_code, Barrier::label),
            note: b.note.clone(),
            identified: day(&b.identified_on),
            lifted: b.lifted_on.as_deref().map(day),
        })
        .collect();
    let steps = v
        .steps
        .iter()
        .map(|s| StepLine {
            id: s.id,
            kind: label_of(&s.kind, StepKind::from_code, StepKind::label),
            title: s.title.clone(),
            dates: match &s.ends_on {
                Some(e) => format!("du {} au {}", day(&s.starts_on), day(e)),
                None => format!("à partir du {}", day(&s.starts_on)),
            },
            status: label_of(&s.status, StepStatus::from_code, StepStatus::label),
            input: StepInput {
                step_kind: s.kind.clone(),
                starts_on: s.starts_on.clone(),
                ends_on: s.ends_on.clone().unwrap_or_default(),
                status: s.status.clone(),
                title: s.title.clone(),
            },
        })
        .collect();
    let referrals = v
        .referrals
        .iter()
        .map(|r| ReferralLine {
            service: r.service.clone(),
            structure: r.structure.clone(),
            barrier: r.barrier.map_or("", Barrier::label).to_owned(),
            sent: format!(
                "{} par {}",
                trame_domain::format::french_date(paris_day(r.row.sent_at)),
                r.sent_by
            ),
            state: r.state.label().to_owned(),
            accepted: r.state == trame_domain::pathways::vocab::ReferralState::Accepted,
            reason: r.row.reason.clone(),
        })
        .collect();
    let shared: Vec<i64> = v.shares.iter().map(|s| s.0).collect();
    let share_options = state
        .store
        .organisations(scope)
        .await?
        .into_iter()
        .filter(|o| o.id != p.organisation_id && !shared.contains(&o.id))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let registered = state
        .store
        .path_file_forums(user.person_id, scope, id)
        .await?;
    let forum_options = state
        .store
        .forums(scope)
        .await?
        .into_iter()
        .filter(|f| {
            trame_domain::format::parse_iso_date(&f.held_on).is_some_and(|d| d >= today)
                && f.registered < f.capacity
                && !registered.iter().any(|r| r.forum.id == f.id)
        })
        .map(|f| {
            (
                f.id.to_string(),
                format!("{} — {}", f.title, day(&f.held_on)),
            )
        })
        .collect();
    let forums = registered
        .iter()
        .map(|r| FileForumLine {
            id: r.forum.id,
            title: format!("{}, le {}", r.forum.title, day(&r.forum.held_on)),
            came: r.registration.checked_in_at.is_some(),
            results: r
                .results
                .iter()
                .map(|(res, employer)| {
                    format!(
                        "{} — {employer}",
                        trame_domain::pathways::forum::ResultKind::from_code(&res.kind)
                            .map_or_else(|| res.kind.clone(), |k| k.label().to_owned())
                    )
                })
                .collect(),
        })
        .collect();
    let days = v.days();
    let page = FilePage {
        forum_options,
        forums,
        chrome,
        slug: ctx.territory.slug.clone(),
        root: ROOT,
        writes: v.reach == Reach::Holder,
        commune: commune_name(&communes, &p.commune_code),
        ground: label_of(&p.ground, Ground::from_code, Ground::label),
        entered: day(&p.entered_on),
        ends_by: day(&p.ends_by),
        alert: match days.alert(today, DEFAULT_ALERT_DAYS) {
            _ if p.exited_on.is_some() => None,
            Some(left) if left < 0 => Some(format!(
                "La durée maximale du parcours est dépassée depuis {} jour(s) : enregistrez la sortie.",
                -left
            )),
            Some(left) => Some(format!(
                "Le parcours atteint sa durée maximale dans {left} jour(s), le {} : préparez la sortie.",
                day(&p.ends_by)
            )),
            None => None,
        },
        entry_status: label_of(&p.entry_status, EntryStatus::from_code, EntryStatus::label),
        education: label_of(&p.education, Education::from_code, Education::label),
        disability: label_of(&p.disability, Answer::from_code, Answer::label),
        homeless: label_of(&p.homeless, Answer::from_code, Answer::label),
        barriers,
        steps,
        referrals,
        exit,
        follow_up,
        follow_up_hint: follow_up_due
            .map(|d| format!("À noter à partir du {d}."))
            .unwrap_or_default(),
        barrier_options: options(Barrier::ALL, Barrier::code, Barrier::label),
        step_kinds: options(StepKind::ALL, StepKind::code, StepKind::label),
        step_statuses: options(StepStatus::ALL, StepStatus::code, StepStatus::label),
        exit_reasons: options(ExitReason::ALL, ExitReason::code, ExitReason::label),
        situations: options(ExitStatus::ALL, ExitStatus::code, ExitStatus::label),
        share_options,
        v,
        f,
    };
    let failed = page.f.failed();
    let resp = render(&page)?;
    Ok(if failed { unprocessable(resp) } else { resp })
}

/// `GET /{territoire}/parcours/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: TerritoryCtx,
    user: CurrentUser,
    chrome: Chrome,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    file_page(&state, &ctx, &user, chrome, path_id(&id)?, Forms::default()).await
}

pub(super) fn back(ctx: &TerritoryCtx, id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/{}/{ROOT}/{id}#{anchor}", ctx.territory.slug)).into_response()
}
