//! Awards and payments: one award per accepted dossier (created with the decision, in the
//! same transaction), payments recorded against what remains, the de minimis ledger of
//! an undertaking, and the rows of the SCDL open-data file.

use super::{DossierRow, conflict, journal};
use crate::entities::{award, organisation, payment, scheme};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use time::{Date, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::funding::award::{
    CONVENTION_THRESHOLD, Counted, Ledger, Schedule, check_payment,
};
use trame_domain::funding::report::check_release;
use trame_domain::money::Euros;

pub use crate::entities::award::Model as AwardRow;
pub use crate::entities::payment::Model as PaymentRow;

pub use trame_domain::format::paris_day;

/// The SIREN of an organisation: the first nine digits of its SIRET.
fn siren_of(siret: Option<&str>) -> Option<String> {
    siret.and_then(|s| s.get(..9)).map(str::to_owned)
}

/// An award with its beneficiary and what has been paid.
#[derive(Debug, Clone)]
pub struct AwardLine {
    /// The award.
    pub row: AwardRow,
    /// The beneficiary's name (organisation, or commune).
    pub beneficiary: String,
    /// The beneficiary's SIRET, when known.
    pub siret: Option<String>,
    /// The beneficiary's RNA number, when known.
    pub rna: Option<String>,
    /// Paid so far.
    pub paid: Euros,
    /// First and last payment dates, when any.
    pub paid_between: Option<(Date, Date)>,
}

impl AwardLine {
    /// Awarded.
    pub fn amount(&self) -> Euros {
        Euros::from_cents(self.row.amount_cents)
    }

    /// What remains to pay.
    pub fn remaining(&self) -> Euros {
        Euros::from_cents(self.row.amount_cents - self.paid.cents())
    }

    /// The payment schedule (the default one if the stored one cannot be read).
    pub fn schedule(&self) -> Schedule {
        Schedule::parse(&self.row.schedule).unwrap_or_default()
    }
}

/// Creates the award of a dossier just accepted, inside the decision's transaction.
pub(crate) async fn award_dossier<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    actor_id: Option<i64>,
    scope: Scope,
    dossier: &DossierRow,
    scheme_id: i64,
    decided_on: Date,
) -> Result<AwardRow, StoreError> {
    let s = scheme::Entity::find_by_id(scheme_id)
        .filter(scheme::Column::TerritoryId.eq(scope.territory_id()))
        .first(tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let amount = dossier.decision_cents.unwrap_or(0);
    let content: Option<trame_domain::funding::dossier::DossierContent> =
        crate::entities::dossier_text::Entity::find_by_id(dossier.id)
            .first(tx)
            .await?
            .and_then(|t| t.content_json)
            .and_then(|j| serde_json::from_str(&j).ok());
    let row = award::ActiveModel {
        territory_id: Set(scope.territory_id()),
        scheme_id: Set(scheme_id),
        organisation_id: Set(Some(dossier.organisation_id)),
        commune_code: Set(None),
        dossier_id: Set(Some(dossier.id)),
        reference: Set(dossier.reference.clone()),
        title: Set(dossier.title.chars().take(256).collect()),
        amount_cents: Set(amount),
        budget_cents: Set(dossier.budget_cents),
        decided_on: Set(decided_on),
        deliberation_ref: Set(dossier.deliberation_ref.clone().unwrap_or_default()),
        siege: Set(false),
        schedule: Set(Schedule::parse(&s.schedule).unwrap_or_default().stored()),
        convention_required: Set(amount > CONVENTION_THRESHOLD.cents() || s.convention_always),
        convention_signed_on: Set(None),
        starts_on: Set(content.as_ref().map(|c| c.starts_on)),
        ends_on: Set(content.as_ref().map(|c| c.ends_on)),
        created_at: Set(now),
        category: Set(String::new()),
        commune_visa_on: Set(None),
        commune_visa_by: Set(None),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    // One year: the one the project ends in (its financial report covers it).
    let year = content
        .as_ref()
        .map_or(decided_on.year(), |c| c.ends_on.year());
    super::reports::add_years(tx, now, scope, row.id, &[(year, Euros::from_cents(amount))]).await?;
    journal(
        tx,
        now,
        actor_id,
        scope,
        action::AWARD_CREATE,
        "award",
        row.id,
    )
    .await?;
    Ok(row)
}

/// Writes a payment and its journal entry, inside the caller's transaction (checked by
/// the caller against what remains).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_payment<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    actor_id: Option<i64>,
    scope: Scope,
    award_id: i64,
    paid_on: Date,
    amount: Euros,
    mandate_ref: &str,
) -> Result<PaymentRow, StoreError> {
    let row = payment::ActiveModel {
        territory_id: Set(scope.territory_id()),
        award_id: Set(award_id),
        paid_on: Set(paid_on),
        amount_cents: Set(amount.cents()),
        mandate_ref: Set(mandate_ref.to_owned()),
        created_by: Set(actor_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(
        tx,
        now,
        actor_id,
        scope,
        action::PAYMENT_CREATE,
        "payment",
        row.id,
    )
    .await?;
    Ok(row)
}

/// Reads awards with their beneficiaries and payments.
pub(crate) async fn lines_of<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    rows: Vec<AwardRow>,
) -> Result<Vec<AwardLine>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let org_ids: Vec<i64> = rows.iter().filter_map(|r| r.organisation_id).collect();
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(db)
        .await?;
    let payments = payment::Entity::find()
        .filter(payment::Column::TerritoryId.eq(scope.territory_id()))
        .filter(payment::Column::AwardId.is_in(ids))
        .all(db)
        .await?;
    let communes = crate::entities::commune::Entity::find()
        .filter(crate::entities::commune::Column::TerritoryId.eq(scope.territory_id()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let org = orgs.iter().find(|o| Some(o.id) == row.organisation_id);
            let mine: Vec<&PaymentRow> = payments.iter().filter(|p| p.award_id == row.id).collect();
            let paid = Euros::from_cents(mine.iter().map(|p| p.amount_cents).sum());
            let first = mine.iter().map(|p| p.paid_on).min();
            let last = mine.iter().map(|p| p.paid_on).max();
            let beneficiary = match (org, &row.commune_code) {
                (Some(o), _) => o.name.clone(),
                (None, Some(code)) => communes
                    .iter()
                    .find(|c| &c.code_insee == code)
                    .map(|c| format!("Commune de {}", c.name))
                    .unwrap_or_else(|| code.clone()),
                (None, None) => String::new(),
            };
            AwardLine {
                beneficiary,
                siret: org.and_then(|o| o.siret.clone()),
                rna: org.and_then(|o| o.rna.clone()),
                paid,
                paid_between: first.zip(last),
                row,
            }
        })
        .collect())
}

impl Store {
    /// The territory's funding schemes.
    pub async fn schemes(
        &self,
        scope: Scope,
    ) -> Result<Vec<super::editions::SchemeRow>, StoreError> {
        Ok(scheme::Entity::find()
            .filter(scheme::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(scheme::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Changes a scheme's settings: whether its awards below the legal threshold need a
    /// convention too, and the default payment schedule of its new awards.
    pub async fn update_scheme(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        convention_always: bool,
        schedule: &Schedule,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let s = scheme::Entity::find_by_id(id)
            .filter(scheme::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: scheme::ActiveModel = s.into();
        am.convention_always = Set(convention_always);
        am.schedule = Set(schedule.stored());
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::SCHEME_UPDATE,
            "scheme",
            id,
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(())
    }

    /// The territory's awards, latest decided first; of one year of decision if given.
    pub async fn awards(
        &self,
        scope: Scope,
        year: Option<i32>,
    ) -> Result<Vec<AwardLine>, StoreError> {
        let mut q =
            award::Entity::find().filter(award::Column::TerritoryId.eq(scope.territory_id()));
        if let Some(y) = year {
            let from =
                Date::from_ordinal_date(y, 1).map_err(|e| StoreError::Internal(e.to_string()))?;
            let to = Date::from_ordinal_date(y + 1, 1)
                .map_err(|e| StoreError::Internal(e.to_string()))?;
            q = q
                .filter(award::Column::DecidedOn.gte(from))
                .filter(award::Column::DecidedOn.lt(to));
        }
        let rows = q
            .order_by_desc(award::Column::DecidedOn)
            .order_by_asc(award::Column::Reference)
            .all(&self.db)
            .await?;
        lines_of(&self.db, scope, rows).await
    }

    /// The awards of the organisations a person acts for.
    pub async fn awards_of_person(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<AwardLine>, StoreError> {
        let orgs: Vec<i64> = self
            .person_organisations(scope, person_id)
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect();
        self.awards_of_organisations(scope, &orgs).await
    }

    /// The awards of some organisations of the territory, latest decided first.
    pub async fn awards_of_organisations(
        &self,
        scope: Scope,
        orgs: &[i64],
    ) -> Result<Vec<AwardLine>, StoreError> {
        self.awards_where(
            scope,
            award::Column::OrganisationId.is_in(orgs.iter().copied()),
        )
        .await
    }

    /// The territory's awards that meet `condition`, latest decided first.
    pub(crate) async fn awards_where(
        &self,
        scope: Scope,
        condition: sea_orm::sea_query::SimpleExpr,
    ) -> Result<Vec<AwardLine>, StoreError> {
        let rows = award::Entity::find()
            .filter(award::Column::TerritoryId.eq(scope.territory_id()))
            .filter(condition)
            .order_by_desc(award::Column::DecidedOn)
            .order_by_asc(award::Column::Reference)
            .all(&self.db)
            .await?;
        lines_of(&self.db, scope, rows).await
    }

    /// One award of the organisations a person acts for; `NotFound` otherwise.
    pub async fn award_of_person(
        &self,
        scope: Scope,
        person_id: i64,
        id: i64,
    ) -> Result<AwardLine, StoreError> {
        self.awards_of_person(scope, person_id)
            .await?
            .into_iter()
            .find(|a| a.row.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// One award with its beneficiary and payments.
    pub async fn award(&self, scope: Scope, id: i64) -> Result<AwardLine, StoreError> {
        let row = award::Entity::find_by_id(id)
            .filter(award::Column::TerritoryId.eq(scope.territory_id()))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        lines_of(&self.db, scope, vec![row])
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)
    }

    /// Every payment of the territory with its award's reference and beneficiary, in date
    /// order (for the export).
    pub async fn all_payments(
        &self,
        scope: Scope,
    ) -> Result<Vec<(PaymentRow, AwardLine)>, StoreError> {
        let awards = self.awards(scope, None).await?;
        let payments = payment::Entity::find()
            .filter(payment::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_asc(payment::Column::PaidOn)
            .order_by_asc(payment::Column::Id)
            .all(&self.db)
            .await?;
        Ok(payments
            .into_iter()
            .filter_map(|p| {
                let a = awards.iter().find(|a| a.row.id == p.award_id)?.clone();
                Some((p, a))
            })
            .collect())
    }

    /// The payments of an award, in date order.
    pub async fn payments(
        &self,
        scope: Scope,
        award_id: i64,
    ) -> Result<Vec<PaymentRow>, StoreError> {
        Ok(payment::Entity::find()
            .filter(payment::Column::TerritoryId.eq(scope.territory_id()))
            .filter(payment::Column::AwardId.eq(award_id))
            .order_by_asc(payment::Column::PaidOn)
            .order_by_asc(payment::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Records the date the convention was signed by both parties: not in the future, not
    /// before the decision.
    pub async fn sign_convention(
        &self,
        actor_id: i64,
        scope: Scope,
        award_id: i64,
        signed_on: Date,
    ) -> Result<(), StoreError> {
        let now = self.now();
        if signed_on > paris_day(now) {
            return Err(conflict(
                "signed_on",
                "La date de signature ne peut être dans le futur.",
            ));
        }
        let tx = self.begin_write().await?;
        let a = award::Entity::find_by_id(award_id)
            .filter(award::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if a.commune_code.is_some() && a.commune_visa_on.is_none() {
            return Err(conflict(
                "signed_on",
                "La commune doit d'abord viser la convention (son référent la vise dans Trame).",
            ));
        }
        if signed_on < a.decided_on {
            return Err(conflict(
                "signed_on",
                "La convention ne peut être signée avant la décision d'attribution.",
            ));
        }
        let mut am: award::ActiveModel = a.into();
        am.convention_signed_on = Set(Some(signed_on));
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::AWARD_SIGN,
            "award",
            award_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a payment; refused above what remains of the award, and above what the
    /// schedule releases so far (signature, accepted reports) — checked under the write
    /// lock, so two payments at once cannot both pass.
    pub async fn record_payment(
        &self,
        actor_id: i64,
        scope: Scope,
        award_id: i64,
        paid_on: Date,
        amount: Euros,
        mandate_ref: &str,
    ) -> Result<PaymentRow, StoreError> {
        let mandate_ref = mandate_ref.trim();
        if mandate_ref.is_empty() || mandate_ref.chars().count() > 50 {
            return Err(conflict(
                "mandate_ref",
                "Indiquez la référence du mandat (50 caractères au plus).",
            ));
        }
        let now = self.now();
        if paid_on > paris_day(now) {
            return Err(conflict(
                "paid_on",
                "La date du versement ne peut être dans le futur.",
            ));
        }
        let tx = self.begin_write().await?;
        let mut q = award::Entity::find_by_id(award_id)
            .filter(award::Column::TerritoryId.eq(scope.territory_id()));
        if self.backend == crate::Backend::Postgres {
            use sea_orm::QuerySelect;
            q = q.lock_exclusive();
        }
        let a = q.first(&tx).await?.ok_or(StoreError::NotFound)?;
        let paid: i64 = payment::Entity::find()
            .filter(payment::Column::AwardId.eq(award_id))
            .all(&tx)
            .await?
            .iter()
            .map(|p| p.amount_cents)
            .sum();
        check_payment(
            amount,
            Euros::from_cents(a.amount_cents),
            Euros::from_cents(paid),
        )
        .map_err(|m| conflict("amount", m))?;
        let (open, signed) = super::reports::releasable_in(&tx, &a).await?;
        check_release(amount, open, Euros::from_cents(paid), signed)
            .map_err(|m| conflict("amount", m))?;
        let row = insert_payment(
            &tx,
            now,
            Some(actor_id),
            scope,
            award_id,
            paid_on,
            amount,
            mandate_ref,
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The de minimis ledger of the undertaking with this SIREN at `at`: the territory's
    /// awards to its organisations over the rolling 3 years.
    pub async fn de_minimis(
        &self,
        scope: Scope,
        siren: &str,
        at: Date,
        siege: bool,
    ) -> Result<Ledger, StoreError> {
        let orgs: Vec<i64> = organisation::Entity::find()
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .filter(organisation::Column::Siret.starts_with(siren))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|o| siren_of(o.siret.as_deref()).as_deref() == Some(siren))
            .map(|o| o.id)
            .collect();
        let counted: Vec<Counted> = award::Entity::find()
            .filter(award::Column::TerritoryId.eq(scope.territory_id()))
            .filter(award::Column::OrganisationId.is_in(orgs))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| Counted {
                decided_on: a.decided_on,
                amount: Euros::from_cents(a.amount_cents),
                label: format!("{} — {}", a.reference, a.title),
            })
            .collect();
        Ok(Ledger::at(&counted, at, siege))
    }

    /// The de minimis ledger of an award's beneficiary on the award's date, when the
    /// beneficiary has a SIRET.
    pub async fn de_minimis_of(
        &self,
        scope: Scope,
        line: &AwardLine,
    ) -> Result<Option<Ledger>, StoreError> {
        match siren_of(line.siret.as_deref()) {
            Some(siren) => Ok(Some(
                self.de_minimis(scope, &siren, line.row.decided_on, line.row.siege)
                    .await?,
            )),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_siren_is_the_siret_s_first_nine_digits() {
        assert_eq!(
            super::siren_of(Some("35600000000048")),
            Some("356000000".to_owned())
        );
        assert_eq!(super::siren_of(None), None);
    }
}
