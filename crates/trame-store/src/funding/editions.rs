//! Funding schemes and the editions of a call for projects.

use super::conflict;
use crate::audit::{self, Entry};
use crate::entities::{edition, edition_criterion, edition_envelope, scheme};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use time::OffsetDateTime;
use trame_domain::audit::action;
use trame_domain::funding::allocation::{Envelopes, Rule};
use trame_domain::funding::edition::{Criterion, Edition};
use trame_domain::money::Euros;
use trame_domain::organisation::LegalForm;

pub use crate::entities::edition::Model as EditionRow;
pub use crate::entities::edition_criterion::Model as CriterionRow;
pub use crate::entities::edition_envelope::Model as EnvelopeRow;
pub use crate::entities::scheme::Model as SchemeRow;

/// The kind of scheme of a call for projects.
pub const KIND_CALL: &str = "appel";

/// An earmarked sub-envelope as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeInput {
    /// Code (`pat`).
    pub code: String,
    /// Label (« Projet Alimentaire Territorial »).
    pub label: String,
    /// Amount.
    pub amount: Euros,
}

/// A checked edition and its settings, as saved.
#[derive(Debug, Clone)]
pub struct EditionInput {
    /// Calendar, envelopes and grid, checked as a whole.
    pub edition: Edition,
    /// Title.
    pub title: String,
    /// Presentation shown to applicants.
    pub description: String,
    /// Labels of the earmarked sub-envelopes, by code.
    pub envelope_labels: Vec<(String, String)>,
    /// Allocation rule: ceilings, minimum share, step.
    pub rule: Rule,
    /// Legal forms that may apply.
    pub allowed_forms: Vec<LegalForm>,
    /// Days a commune has to give its opinion.
    pub opinion_days: i32,
    /// Whether a commune's silence past the deadline counts as a favourable opinion.
    pub deemed_favourable: bool,
    /// Most dossiers one reviewer may be assigned in this edition.
    pub reviewer_cap: i32,
    /// Whether the amounts are illustrative (demo data).
    pub demo_amounts: bool,
}

/// An edition with its sub-envelopes and its grid.
#[derive(Debug, Clone)]
pub struct EditionFull {
    /// The edition.
    pub row: EditionRow,
    /// Its earmarked sub-envelopes.
    pub envelopes: Vec<EnvelopeRow>,
    /// Its scoring grid, in order.
    pub criteria: Vec<CriterionRow>,
}

impl EditionFull {
    /// The legal forms that may apply.
    pub fn allowed_forms(&self) -> Vec<LegalForm> {
        self.row
            .allowed_forms
            .split(',')
            .filter_map(LegalForm::from_code)
            .collect()
    }

    /// The general envelope and the sub-envelopes.
    pub fn envelopes(&self) -> Envelopes {
        let earmarked: std::collections::BTreeMap<String, Euros> = self
            .envelopes
            .iter()
            .map(|e| (e.code.clone(), Euros::from_cents(e.amount_cents)))
            .collect();
        let sub: i64 = earmarked.values().map(|e| e.cents()).sum();
        Envelopes {
            general: Euros::from_cents(self.row.total_cents - sub),
            earmarked,
        }
    }

    /// The allocation rule of the edition.
    pub fn rule(&self) -> Rule {
        Rule {
            ceiling: Euros::from_cents(self.row.ceiling_cents),
            ceiling_share_percent: u8::try_from(self.row.ceiling_share_percent).unwrap_or(100),
            minimum_share_percent: u8::try_from(self.row.minimum_share_percent).unwrap_or(50),
            step: Euros::from_cents(self.row.step_cents),
        }
    }

    /// The grid's weights as fractions, in order.
    pub fn weights(&self) -> Vec<f64> {
        self.criteria
            .iter()
            .map(|c| f64::from(c.weight_percent) / 100.0)
            .collect()
    }

    /// The grid as the domain sees it.
    pub fn grid(&self) -> Vec<Criterion> {
        self.criteria
            .iter()
            .map(|c| Criterion {
                code: c.code.clone(),
                label: c.label.clone(),
                weight_percent: u8::try_from(c.weight_percent).unwrap_or(0),
            })
            .collect()
    }

    /// Whether a first submission is accepted at `now`: published, opened and not closed.
    pub fn accepts_submissions(&self, now: OffsetDateTime) -> bool {
        self.row.published_at.is_some() && now >= self.row.opens_at && now <= self.row.closes_at
    }
}

fn fill(am: &mut edition::ActiveModel, input: &EditionInput) {
    let e = &input.edition;
    am.year = Set(e.year);
    am.title = Set(input.title.clone());
    am.description = Set(input.description.clone());
    am.opens_at = Set(e.opens_at);
    am.closes_at = Set(e.closes_at);
    am.total_cents = Set(e.total.cents());
    am.ceiling_cents = Set(input.rule.ceiling.cents());
    am.ceiling_share_percent = Set(i32::from(input.rule.ceiling_share_percent));
    am.minimum_share_percent = Set(i32::from(input.rule.minimum_share_percent));
    am.step_cents = Set(input.rule.step.cents());
    am.allowed_forms = Set(input
        .allowed_forms
        .iter()
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(","));
    am.opinion_days = Set(input.opinion_days);
    am.deemed_favourable = Set(input.deemed_favourable);
    am.reviewer_cap = Set(input.reviewer_cap);
    am.demo_amounts = Set(input.demo_amounts);
}

/// Replaces the sub-envelopes and the grid of an edition.
async fn write_children<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    edition_id: i64,
    input: &EditionInput,
) -> Result<(), StoreError> {
    edition_envelope::Entity::delete_many()
        .filter(edition_envelope::Column::EditionId.eq(edition_id))
        .exec(tx)
        .await?;
    edition_criterion::Entity::delete_many()
        .filter(edition_criterion::Column::EditionId.eq(edition_id))
        .exec(tx)
        .await?;
    for (code, amount) in &input.edition.earmarked {
        let label = input
            .envelope_labels
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| code.clone());
        edition_envelope::ActiveModel {
            territory_id: Set(scope.territory_id()),
            edition_id: Set(edition_id),
            code: Set(code.clone()),
            label: Set(label),
            amount_cents: Set(amount.cents()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for (i, c) in input.edition.grid.iter().enumerate() {
        edition_criterion::ActiveModel {
            territory_id: Set(scope.territory_id()),
            edition_id: Set(edition_id),
            position: Set(i32::try_from(i).unwrap_or(0)),
            code: Set(c.code.clone()),
            label: Set(c.label.clone()),
            weight_percent: Set(i32::from(c.weight_percent)),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

pub(crate) async fn edition_in<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    id: i64,
) -> Result<EditionFull, StoreError> {
    let row = edition::Entity::find_by_id(id)
        .filter(edition::Column::TerritoryId.eq(scope.territory_id()))
        .first(tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let envelopes = edition_envelope::Entity::find()
        .filter(edition_envelope::Column::EditionId.eq(id))
        .order_by_asc(edition_envelope::Column::Code)
        .all(tx)
        .await?;
    let criteria = edition_criterion::Entity::find()
        .filter(edition_criterion::Column::EditionId.eq(id))
        .order_by_asc(edition_criterion::Column::Position)
        .all(tx)
        .await?;
    Ok(EditionFull {
        row,
        envelopes,
        criteria,
    })
}

const YEAR_TAKEN: &str = "Ce dispositif a déjà une édition pour cette année.";

impl Store {
    /// The territory's call for projects, created on first use.
    pub async fn call_scheme(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
    ) -> Result<SchemeRow, StoreError> {
        self.ensure_scheme(
            actor_id,
            scope,
            KIND_CALL,
            "Appel à projets Initiatives d'ESS",
            "L'appel à projets annuel du territoire en faveur de l'économie sociale et solidaire.",
        )
        .await
    }

    /// The territory's first scheme of a kind, created on first use.
    pub(crate) async fn ensure_scheme(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        kind: &str,
        name: &str,
        description: &str,
    ) -> Result<SchemeRow, StoreError> {
        if let Some(s) = scheme::Entity::find()
            .filter(scheme::Column::TerritoryId.eq(scope.territory_id()))
            .filter(scheme::Column::Kind.eq(kind))
            .order_by_asc(scheme::Column::Id)
            .first(&self.db)
            .await?
        {
            return Ok(s);
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = scheme::ActiveModel {
            territory_id: Set(scope.territory_id()),
            kind: Set(kind.into()),
            name: Set(name.into()),
            description: Set(description.into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                actor_id,
                scope.territory_id(),
                action::SCHEME_CREATE,
                "scheme",
                row.id,
            ),
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(row)
    }

    /// Creates an edition of a scheme (unpublished).
    pub async fn create_edition(
        &self,
        actor_id: Option<i64>,
        scope: Scope,
        scheme_id: i64,
        input: &EditionInput,
    ) -> Result<EditionRow, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        scheme::Entity::find_by_id(scheme_id)
            .filter(scheme::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let taken = edition::Entity::find()
            .filter(edition::Column::SchemeId.eq(scheme_id))
            .filter(edition::Column::Year.eq(input.edition.year))
            .first(&tx)
            .await?;
        if taken.is_some() {
            return Err(conflict("year", YEAR_TAKEN));
        }
        let mut am = edition::ActiveModel {
            territory_id: Set(scope.territory_id()),
            scheme_id: Set(scheme_id),
            published_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        fill(&mut am, input);
        let row = am
            .insert(&tx)
            .await
            .map_err(|e| StoreError::unique_as(e, "year", YEAR_TAKEN))?;
        write_children(&tx, scope, row.id, input).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                actor_id,
                scope.territory_id(),
                action::EDITION_CREATE,
                "edition",
                row.id,
            ),
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(row)
    }

    /// Replaces an edition's settings.
    pub async fn update_edition(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        input: &EditionInput,
    ) -> Result<EditionRow, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let current = edition_in(&tx, scope, id).await?.row;
        let taken = edition::Entity::find()
            .filter(edition::Column::SchemeId.eq(current.scheme_id))
            .filter(edition::Column::Year.eq(input.edition.year))
            .filter(edition::Column::Id.ne(id))
            .first(&tx)
            .await?;
        if taken.is_some() {
            return Err(conflict("year", YEAR_TAKEN));
        }
        let mut am = current.into_active_model();
        fill(&mut am, input);
        let row = am.update(&tx).await?;
        write_children(&tx, scope, id, input).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::EDITION_UPDATE,
                "edition",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(row)
    }

    /// Publishes an edition: it shows on the territory's public page and accepts
    /// dossiers between its opening and its closing.
    pub async fn publish_edition(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let current = edition_in(&tx, scope, id).await?.row;
        if current.published_at.is_some() {
            return Err(conflict("publish", "Cette édition est déjà publiée."));
        }
        let mut am = current.into_active_model();
        am.published_at = Set(Some(now));
        am.update(&tx).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::EDITION_PUBLISH,
                "edition",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        self.cache.forget(scope.territory_id());
        Ok(())
    }

    /// Copies an edition for `year`: same envelopes, rules and grid, calendar shifted by
    /// the difference of years; unpublished.
    pub async fn copy_edition(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        year: i32,
    ) -> Result<EditionRow, StoreError> {
        let source = self.edition(scope, id).await?;
        let edition = Edition {
            year: source.row.year,
            opens_at: source.row.opens_at,
            closes_at: source.row.closes_at,
            total: Euros::from_cents(source.row.total_cents),
            earmarked: source.envelopes().earmarked,
            grid: source.grid(),
        }
        .copy_for(year);
        let title = source
            .row
            .title
            .replace(&source.row.year.to_string(), &year.to_string());
        let input = EditionInput {
            edition,
            title,
            description: source.row.description.clone(),
            envelope_labels: source
                .envelopes
                .iter()
                .map(|e| (e.code.clone(), e.label.clone()))
                .collect(),
            rule: source.rule(),
            allowed_forms: source.allowed_forms(),
            opinion_days: source.row.opinion_days,
            deemed_favourable: source.row.deemed_favourable,
            reviewer_cap: source.row.reviewer_cap,
            demo_amounts: false,
        };
        self.create_edition(Some(actor_id), scope, source.row.scheme_id, &input)
            .await
    }

    /// Every edition of the territory, latest year first.
    pub async fn editions(&self, scope: Scope) -> Result<Vec<EditionRow>, StoreError> {
        if let Some(e) = self.cache.editions(scope.territory_id()) {
            return Ok(e);
        }
        let ticket = self.cache.ticket();
        let editions = edition::Entity::find()
            .filter(edition::Column::TerritoryId.eq(scope.territory_id()))
            .order_by_desc(edition::Column::Year)
            .order_by_desc(edition::Column::Id)
            .all(&self.db)
            .await?;
        self.cache
            .keep_editions(ticket, scope.territory_id(), &editions);
        Ok(editions)
    }

    /// The published editions, latest year first.
    pub async fn published_editions(&self, scope: Scope) -> Result<Vec<EditionRow>, StoreError> {
        Ok(edition::Entity::find()
            .filter(edition::Column::TerritoryId.eq(scope.territory_id()))
            .filter(edition::Column::PublishedAt.is_not_null())
            .order_by_desc(edition::Column::Year)
            .all(&self.db)
            .await?)
    }

    /// One edition with its sub-envelopes and grid.
    pub async fn edition(&self, scope: Scope, id: i64) -> Result<EditionFull, StoreError> {
        edition_in(&self.db, scope, id).await
    }
}
