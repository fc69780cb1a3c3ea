//! The years of an award and their final reports (CERFA 15059): submitted by the
//! beneficiary (a member of the organisation, or the commune's referent), accepted or sent
//! back by an instructor, reminded by the job runner a month before they are due and once
//! more when late. An accepted report releases the installments tied to it
//! ([`releasable_in`], read by the payment under its lock).

use super::awards::{AwardRow, paris_day};
use super::instruction::{referent_emails, slug_of};
use super::{conflict, journal};
use crate::entities::{
    award, award_indicator, award_report, award_year, dossier_text, organisation_member, person,
};
use crate::outbox::{NewEmail, queue};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use time::{Date, Duration, Month, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::funding::award::{Schedule, report_due};
use trame_domain::funding::dossier::{Budget, DossierContent};
use trame_domain::funding::report::{Indicator, ReportContent, ReportState, Tranche, releasable};
use trame_domain::money::Euros;

pub use crate::entities::award_report::Model as ReportRow;
pub use crate::entities::award_year::Model as YearRow;

/// The day a year's report is due: six months after 31 December.
pub fn due_for(year: i32) -> Date {
    let end = Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MIN);
    report_due(end)
}

/// Writes an award's years, each with its report to come, inside the caller's transaction.
pub(crate) async fn add_years<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    scope: Scope,
    award_id: i64,
    years: &[(i32, Euros)],
) -> Result<(), StoreError> {
    for (year, amount) in years {
        award_year::ActiveModel {
            territory_id: Set(scope.territory_id()),
            award_id: Set(award_id),
            year: Set(*year),
            amount_cents: Set(amount.cents()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        award_report::ActiveModel {
            territory_id: Set(scope.territory_id()),
            award_id: Set(award_id),
            year: Set(*year),
            due_on: Set(due_for(*year)),
            state: Set(ReportState::Due.code().into()),
            content_json: Set(None),
            submitted_at: Set(None),
            submitted_by: Set(None),
            decided_at: Set(None),
            decided_by: Set(None),
            comment: Set(String::new()),
            reminders: Set(0),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// Writes an award's indicators, inside the caller's transaction.
pub(crate) async fn add_indicators<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    award_id: i64,
    indicators: &[Indicator],
) -> Result<(), StoreError> {
    for (k, i) in indicators.iter().enumerate() {
        award_indicator::ActiveModel {
            territory_id: Set(scope.territory_id()),
            award_id: Set(award_id),
            position: Set(i32::try_from(k).unwrap_or(0)),
            label: Set(i.label.chars().take(120).collect()),
            target: Set(i.target),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// What may have been paid of an award in total at this moment (inside the payment's
/// transaction): the schedule applied to each year, the signature part once the
/// convention is signed (or at once without a convention), the report part once the
/// year's report is accepted. Also says whether the award counts as signed.
pub(crate) async fn releasable_in<C: ConnectionTrait>(
    tx: &C,
    a: &AwardRow,
) -> Result<(Euros, bool), StoreError> {
    let years = award_year::Entity::find()
        .filter(award_year::Column::AwardId.eq(a.id))
        .all(tx)
        .await?;
    let reports = award_report::Entity::find()
        .filter(award_report::Column::AwardId.eq(a.id))
        .all(tx)
        .await?;
    let tranches: Vec<Tranche> = years
        .iter()
        .map(|y| Tranche {
            amount: Euros::from_cents(y.amount_cents),
            report_accepted: reports
                .iter()
                .any(|r| r.year == y.year && r.state == ReportState::Accepted.code()),
        })
        .collect();
    let signed = signed(a);
    let schedule = Schedule::parse(&a.schedule).unwrap_or_default();
    Ok((releasable(&schedule, &tranches, signed), signed))
}

/// Whether an award counts as signed: its convention is, or it needs none.
pub fn signed(a: &AwardRow) -> bool {
    !a.convention_required || a.convention_signed_on.is_some()
}

/// The emails of those who answer for an award's beneficiary: the organisation's members,
/// or the commune's referents.
async fn beneficiary_emails<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    a: &AwardRow,
) -> Result<Vec<String>, StoreError> {
    if let Some(code) = &a.commune_code {
        return referent_emails(tx, scope, code).await;
    }
    let Some(org) = a.organisation_id else {
        return Ok(Vec::new());
    };
    let ids: Vec<i64> = organisation_member::Entity::find()
        .filter(organisation_member::Column::TerritoryId.eq(scope.territory_id()))
        .filter(organisation_member::Column::OrganisationId.eq(org))
        .all(tx)
        .await?
        .into_iter()
        .map(|m| m.person_id)
        .collect();
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .filter(person::Column::Disabled.eq(false))
        .all(tx)
        .await?
        .into_iter()
        .map(|p| p.email)
        .collect())
}

/// Tells the beneficiary about its report, inside the caller's transaction.
async fn tell_beneficiary<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    actor_id: Option<i64>,
    scope: Scope,
    a: &AwardRow,
    subject: String,
    body: String,
) -> Result<(), StoreError> {
    for to in beneficiary_emails(tx, scope, a).await? {
        queue(
            tx,
            now,
            actor_id,
            NewEmail {
                territory_id: Some(scope.territory_id()),
                to: &to,
                subject: subject.clone(),
                body: body.clone(),
            },
        )
        .await?;
    }
    Ok(())
}

fn award_path(slug: &str, a: &AwardRow) -> String {
    if a.commune_code.is_some() {
        format!("/{slug}/conventions-commune/{}", a.id)
    } else {
        format!("/{slug}/mes-subventions/{}", a.id)
    }
}

async fn award_in<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    id: i64,
) -> Result<AwardRow, StoreError> {
    award::Entity::find_by_id(id)
        .filter(award::Column::TerritoryId.eq(scope.territory_id()))
        .first(tx)
        .await?
        .ok_or(StoreError::NotFound)
}

async fn report_in<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    award_id: i64,
    year: i32,
) -> Result<ReportRow, StoreError> {
    award_report::Entity::find()
        .filter(award_report::Column::TerritoryId.eq(scope.territory_id()))
        .filter(award_report::Column::AwardId.eq(award_id))
        .filter(award_report::Column::Year.eq(year))
        .first(tx)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The state of a stored report.
pub fn report_state(r: &ReportRow) -> ReportState {
    ReportState::from_code(&r.state).unwrap_or(ReportState::Due)
}

/// The checked content of a submitted report.
pub fn report_content(r: &ReportRow) -> Option<ReportContent> {
    r.content_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
}

impl Store {
    /// The years of an award, in order.
    pub async fn award_years(
        &self,
        scope: Scope,
        award_id: i64,
    ) -> Result<Vec<YearRow>, StoreError> {
        Ok(award_year::Entity::find()
            .filter(award_year::Column::TerritoryId.eq(scope.territory_id()))
            .filter(award_year::Column::AwardId.eq(award_id))
            .order_by_asc(award_year::Column::Year)
            .all(&self.db)
            .await?)
    }

    /// The indicators of an award, in order.
    pub async fn award_indicators(
        &self,
        scope: Scope,
        award_id: i64,
    ) -> Result<Vec<Indicator>, StoreError> {
        Ok(award_indicator::Entity::find()
            .filter(award_indicator::Column::TerritoryId.eq(scope.territory_id()))
            .filter(award_indicator::Column::AwardId.eq(award_id))
            .order_by_asc(award_indicator::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|i| Indicator {
                label: i.label,
                target: i.target,
            })
            .collect())
    }

    /// The reports of an award, by year.
    pub async fn award_reports(
        &self,
        scope: Scope,
        award_id: i64,
    ) -> Result<Vec<ReportRow>, StoreError> {
        Ok(award_report::Entity::find()
            .filter(award_report::Column::TerritoryId.eq(scope.territory_id()))
            .filter(award_report::Column::AwardId.eq(award_id))
            .order_by_asc(award_report::Column::Year)
            .all(&self.db)
            .await?)
    }

    /// One report of an award.
    pub async fn award_report(
        &self,
        scope: Scope,
        award_id: i64,
        year: i32,
    ) -> Result<ReportRow, StoreError> {
        report_in(&self.db, scope, award_id, year).await
    }

    /// Every report of the territory in one state, the oldest due first.
    pub async fn reports_in_state(
        &self,
        scope: Scope,
        state: ReportState,
    ) -> Result<Vec<ReportRow>, StoreError> {
        Ok(award_report::Entity::find()
            .filter(award_report::Column::TerritoryId.eq(scope.territory_id()))
            .filter(award_report::Column::State.eq(state.code()))
            .order_by_asc(award_report::Column::DueOn)
            .order_by_asc(award_report::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// The forecast a report is set against: the budget of the dossier the award comes
    /// from; none for a convention (its report carries its own forecast).
    pub async fn award_forecast(
        &self,
        scope: Scope,
        a: &AwardRow,
    ) -> Result<Option<Budget>, StoreError> {
        let Some(dossier_id) = a.dossier_id else {
            return Ok(None);
        };
        super::dossier_in(&self.db, scope, dossier_id).await?;
        Ok(dossier_text::Entity::find_by_id(dossier_id)
            .first(&self.db)
            .await?
            .and_then(|t| t.content_json)
            .and_then(|j| serde_json::from_str::<DossierContent>(&j).ok())
            .map(|c| c.budget))
    }

    /// Submits a report on behalf of the beneficiary (the caller checked that the person
    /// answers for it); only a report due or sent back may be.
    pub async fn submit_report(
        &self,
        person_id: i64,
        scope: Scope,
        award_id: i64,
        year: i32,
        content: &ReportContent,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let json =
            serde_json::to_string(content).map_err(|e| StoreError::Internal(e.to_string()))?;
        let tx = self.begin_write().await?;
        let a = award_in(&tx, scope, award_id).await?;
        let r = report_in(&tx, scope, award_id, year).await?;
        if !report_state(&r).open() {
            return Err(conflict(
                "results",
                "Ce compte rendu a déjà été déposé : il ne peut plus être modifié.",
            ));
        }
        let id = r.id;
        let mut am = r.into_active_model();
        am.state = Set(ReportState::Submitted.code().into());
        am.content_json = Set(Some(json));
        am.submitted_at = Set(Some(now));
        am.submitted_by = Set(Some(person_id));
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(person_id),
            scope,
            action::REPORT_SUBMIT,
            "award_report",
            id,
        )
        .await?;
        let slug = slug_of(&tx, scope).await?;
        tell_beneficiary(
            &tx,
            now,
            Some(person_id),
            scope,
            &a,
            format!("Compte rendu {year} déposé — {}", a.reference),
            format!(
                "Bonjour,\n\nLe compte rendu financier {year} de la subvention {} « {} » a bien été déposé le {}. Le service instructeur vous répondra dans Trame : {}\n",
                a.reference,
                a.title,
                trame_domain::format::french_date(paris_day(now)),
                award_path(&slug, &a)
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An instructor accepts a submitted report, or sends it back with a comment.
    pub async fn decide_report(
        &self,
        person_id: i64,
        scope: Scope,
        award_id: i64,
        year: i32,
        accept: bool,
        comment: &str,
    ) -> Result<(), StoreError> {
        let comment = comment.trim();
        if !accept && comment.is_empty() {
            return Err(conflict(
                "comment",
                "Dites au bénéficiaire ce qu'il doit compléter.",
            ));
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        let a = award_in(&tx, scope, award_id).await?;
        let r = report_in(&tx, scope, award_id, year).await?;
        if report_state(&r) != ReportState::Submitted {
            return Err(conflict(
                "comment",
                "Seul un compte rendu déposé peut être accepté ou renvoyé.",
            ));
        }
        let id = r.id;
        let mut am = r.into_active_model();
        let (state, act) = if accept {
            (ReportState::Accepted, action::REPORT_ACCEPT)
        } else {
            (ReportState::Incomplete, action::REPORT_RETURN)
        };
        am.state = Set(state.code().into());
        am.decided_at = Set(Some(now));
        am.decided_by = Set(Some(person_id));
        am.comment = Set(comment.chars().take(4000).collect());
        am.update(&tx).await?;
        journal(&tx, now, Some(person_id), scope, act, "award_report", id).await?;
        let slug = slug_of(&tx, scope).await?;
        let (subject, what) = if accept {
            (
                format!("Compte rendu {year} accepté — {}", a.reference),
                "a été accepté : le solde qui en dépend peut être versé.".to_owned(),
            )
        } else {
            (
                format!("Compte rendu {year} à compléter — {}", a.reference),
                format!("est à compléter :\n\n{comment}\n"),
            )
        };
        tell_beneficiary(
            &tx,
            now,
            Some(person_id),
            scope,
            &a,
            subject,
            format!(
                "Bonjour,\n\nLe compte rendu financier {year} de la subvention {} « {} » {what}\nVoir dans Trame : {}\n",
                a.reference,
                a.title,
                award_path(&slug, &a)
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Reminds the beneficiaries of reports still expected: once a month before the due day,
/// once more the day after it passed. Runs in the job runner's transaction; returns how
/// many reminders went out.
pub(crate) async fn remind_reports<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let today = paris_day(now);
    let open = [ReportState::Due.code(), ReportState::Incomplete.code()];
    let candidates = award_report::Entity::find()
        .filter(award_report::Column::State.is_in(open))
        .filter(award_report::Column::Reminders.lt(2))
        .filter(award_report::Column::DueOn.lte(today + Duration::days(30)))
        .all(tx)
        .await?;
    let mut n = 0;
    for r in candidates {
        let late = today > r.due_on;
        let due_reminder = r.reminders == 0 && !late;
        let late_reminder = late && r.reminders < 2;
        if !(due_reminder || late_reminder) {
            continue;
        }
        let scope = Scope {
            territory_id: r.territory_id,
        };
        let a = award_in(tx, scope, r.award_id).await?;
        let slug = slug_of(tx, scope).await?;
        let due = trame_domain::format::french_date(r.due_on);
        let (subject, lead) = if late {
            (
                format!("Compte rendu {} en retard — {}", r.year, a.reference),
                format!("était attendu le {due}"),
            )
        } else {
            (
                format!("Rappel : compte rendu {} attendu — {}", r.year, a.reference),
                format!("est attendu au plus tard le {due}"),
            )
        };
        tell_beneficiary(
            tx,
            now,
            None,
            scope,
            &a,
            subject,
            format!(
                "Bonjour,\n\nLe compte rendu financier {} de la subvention {} « {} » {lead}. Le solde de la subvention est versé après son acceptation.\n\nDéposez-le dans Trame : {}\n",
                r.year,
                a.reference,
                a.title,
                award_path(&slug, &a)
            ),
        )
        .await?;
        let id = r.id;
        let reminders = if late { 2 } else { 1 };
        let mut am = r.into_active_model();
        am.reminders = Set(reminders);
        am.update(tx).await?;
        journal(
            tx,
            now,
            None,
            scope,
            action::REPORT_REMIND,
            "award_report",
            id,
        )
        .await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_year_s_report_is_due_on_the_thirtieth_of_june_after_it() {
        assert_eq!(super::due_for(2025), time::macros::date!(2026 - 06 - 30));
    }
}
