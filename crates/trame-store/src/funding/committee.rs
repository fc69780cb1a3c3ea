//! The committee: the ranking of an edition's dossiers under instruction, allocation
//! scenarios (the documented default rule, the optimal selection), the committee's
//! overrides with their reason, and the decisions recorded with the deliberation
//! reference.

use super::editions::{EditionFull, edition_in};
use super::instruction::checklist_complete;
use super::review::{ReviewView, dossier_score};
use super::{DossierRow, conflict, dossier_in, state_of};
use crate::audit::{self, Entry};
use crate::entities::{dossier, scenario, scenario_line};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use trame_domain::audit::action;
use trame_domain::funding::allocation::{Candidate, Line, Outcome, Rule, propose};
use trame_domain::funding::dossier::{State, Transition};
use trame_domain::funding::optimal::optimal;
use trame_domain::money::Euros;

pub use crate::entities::scenario::Model as ScenarioRow;
pub use crate::entities::scenario_line::Model as ScenarioLineRow;

/// A dossier in the committee's ranking.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The dossier.
    pub row: DossierRow,
    /// Its weighted score, once scored.
    pub score: Option<f64>,
    /// Whether the checklist is complete.
    pub eligible: bool,
    /// Its reviews.
    pub reviews: Vec<ReviewView>,
}

/// How a scenario was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioKind {
    /// The documented default rule.
    Rule,
    /// The greatest total weighted score within the envelopes.
    Optimal,
}

impl ScenarioKind {
    /// Stored code.
    pub const fn code(self) -> &'static str {
        match self {
            ScenarioKind::Rule => "regle",
            ScenarioKind::Optimal => "optimal",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<ScenarioKind> {
        match code {
            "regle" => Some(ScenarioKind::Rule),
            "optimal" => Some(ScenarioKind::Optimal),
            _ => None,
        }
    }

    /// French label.
    pub const fn label(self) -> &'static str {
        match self {
            ScenarioKind::Rule => "Règle par défaut (rang, plafonds, enveloppes)",
            ScenarioKind::Optimal => "Optimal (meilleur score total dans les enveloppes)",
        }
    }
}

/// A scenario and its lines in ranking order.
#[derive(Debug, Clone)]
pub struct ScenarioView {
    /// The scenario.
    pub row: ScenarioRow,
    /// Its lines.
    pub lines: Vec<ScenarioLineRow>,
}

impl ScenarioView {
    /// Total granted.
    pub fn total(&self) -> Euros {
        Euros::from_cents(self.lines.iter().map(|l| l.amount_cents).sum())
    }

    /// The line of a dossier.
    pub fn line(&self, dossier_id: i64) -> Option<&ScenarioLineRow> {
        self.lines.iter().find(|l| l.dossier_id == dossier_id)
    }
}

/// Stored code of an outcome.
pub fn outcome_code(o: &Outcome) -> &'static str {
    match o {
        Outcome::Granted { .. } => "retenu",
        Outcome::Ineligible => "ineligible",
        Outcome::BelowMinimum { .. } => "sous_minimum",
        Outcome::NotSelected => "non_retenu",
    }
}

/// French label of a stored outcome code.
pub fn outcome_label(code: &str) -> &'static str {
    match code {
        "retenu" => "Retenu",
        "ineligible" => "Inéligible",
        "sous_minimum" => "Reste sous le minimum",
        "non_retenu" => "Non retenu",
        "modifie" => "Montant fixé par le comité",
        _ => "—",
    }
}

impl Store {
    /// The dossiers of an edition that reach the committee (in instruction, in correction,
    /// or decided), with their weighted score and eligibility, best first.
    pub async fn ranking(&self, scope: Scope, edition_id: i64) -> Result<Vec<Ranked>, StoreError> {
        let ed = self.edition(scope, edition_id).await?;
        let rows = dossier::Entity::find()
            .filter(dossier::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dossier::Column::EditionId.eq(edition_id))
            .filter(dossier::Column::State.is_in([
                State::InReview.code(),
                State::CorrectionRequested.code(),
                State::Accepted.code(),
                State::Refused.code(),
            ]))
            .order_by_asc(dossier::Column::SubmittedAt)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut reviews = self.reviews_of_dossiers(scope, &ids).await?;
        let criteria: Vec<(String, f64)> = ed
            .criteria
            .iter()
            .map(|c| (c.code.clone(), f64::from(c.weight_percent) / 100.0))
            .collect();
        let mut ranked: Vec<Ranked> = rows
            .into_iter()
            .map(|row| {
                let reviews = reviews.remove(&row.id).unwrap_or_default();
                Ranked {
                    score: dossier_score(&reviews, &criteria),
                    eligible: checklist_complete(&row.checklist),
                    reviews,
                    row,
                }
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.eligible
                .cmp(&a.eligible)
                .then(b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)))
                .then(a.row.submitted_at.cmp(&b.row.submitted_at))
        });
        Ok(ranked)
    }

    /// Builds and stores a scenario over the edition's dossiers in instruction.
    pub async fn create_scenario(
        &self,
        actor_id: i64,
        scope: Scope,
        edition_id: i64,
        name: &str,
        kind: ScenarioKind,
        rule: Rule,
    ) -> Result<ScenarioRow, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(conflict("scenario_name", "Donnez un nom au scénario."));
        }
        let ranking = self.ranking(scope, edition_id).await?;
        let ed: EditionFull = self.edition(scope, edition_id).await?;
        let candidates: Vec<Candidate> = ranking
            .iter()
            .filter(|r| state_of(&r.row) == State::InReview)
            .map(|r| Candidate {
                id: r.row.id,
                score: r.score.unwrap_or(0.0),
                submitted_rank: r
                    .row
                    .submitted_at
                    .map(|t| t.unix_timestamp())
                    .unwrap_or(i64::MAX),
                eligible: r.eligible && r.score.is_some(),
                requested: Euros::from_cents(r.row.requested_cents),
                project_budget: Euros::from_cents(r.row.budget_cents),
                earmarked: r.row.envelope_code.clone(),
            })
            .collect();
        if candidates.is_empty() {
            return Err(conflict(
                "scenario_name",
                "Aucun dossier en instruction dans cette édition : rien à répartir.",
            ));
        }
        let lines: Vec<Line> = match kind {
            ScenarioKind::Rule => propose(&rule, &ed.envelopes(), &candidates),
            ScenarioKind::Optimal => optimal(&rule, &ed.envelopes(), &candidates),
        };
        let now = self.now();
        let tx = self.begin_write().await?;
        let s = scenario::ActiveModel {
            territory_id: Set(scope.territory_id()),
            edition_id: Set(edition_id),
            name: Set(name.chars().take(200).collect()),
            kind: Set(kind.code().into()),
            minimum_share_percent: Set(i32::from(rule.minimum_share_percent)),
            step_cents: Set(rule.step.cents()),
            created_by: Set(Some(actor_id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        for l in &lines {
            let (amount, from_earmarked) = match l.outcome {
                Outcome::Granted {
                    amount,
                    from_earmarked,
                } => (amount.cents(), from_earmarked.cents()),
                _ => (0, 0),
            };
            scenario_line::ActiveModel {
                territory_id: Set(scope.territory_id()),
                scenario_id: Set(s.id),
                dossier_id: Set(l.id),
                rank: Set(i32::try_from(l.rank).unwrap_or(i32::MAX)),
                outcome: Set(outcome_code(&l.outcome).into()),
                proposed_cents: Set(amount),
                amount_cents: Set(amount),
                from_earmarked_cents: Set(from_earmarked),
                override_reason: Set(None),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::SCENARIO_CREATE,
                "scenario",
                s.id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// The scenarios of an edition, oldest first, with their lines.
    pub async fn scenarios(
        &self,
        scope: Scope,
        edition_id: i64,
    ) -> Result<Vec<ScenarioView>, StoreError> {
        let rows = scenario::Entity::find()
            .filter(scenario::Column::TerritoryId.eq(scope.territory_id()))
            .filter(scenario::Column::EditionId.eq(edition_id))
            .order_by_asc(scenario::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
        let lines = scenario_line::Entity::find()
            .filter(scenario_line::Column::ScenarioId.is_in(ids))
            .order_by_asc(scenario_line::Column::Rank)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| ScenarioView {
                lines: lines
                    .iter()
                    .filter(|l| l.scenario_id == row.id)
                    .cloned()
                    .collect(),
                row,
            })
            .collect())
    }

    /// The committee sets a dossier's amount in a scenario, with its reason. The amount
    /// cannot exceed the request, and the scenario's total cannot exceed the edition's
    /// envelope.
    pub async fn override_amount(
        &self,
        actor_id: i64,
        scope: Scope,
        scenario_id: i64,
        dossier_id: i64,
        amount: Euros,
        reason: &str,
    ) -> Result<(), StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(conflict(
                "reason",
                "Le comité motive chaque montant qu'il modifie.",
            ));
        }
        if amount.cents() < 0 {
            return Err(conflict("amount", "Le montant ne peut pas être négatif."));
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        // The scenario row is locked on PostgreSQL (SQLite's writers are serialised
        // already): two overrides at once cannot both count on the other's old amount
        // and together pass the envelope.
        let mut q = scenario::Entity::find_by_id(scenario_id)
            .filter(scenario::Column::TerritoryId.eq(scope.territory_id()));
        if self.is_postgres() {
            use sea_orm::QuerySelect;
            q = q.lock_exclusive();
        }
        let s = q.first(&tx).await?.ok_or(StoreError::NotFound)?;
        let d = dossier_in(&tx, scope, dossier_id).await?;
        if amount.cents() > d.requested_cents {
            return Err(conflict(
                "amount",
                format!(
                    "Le montant dépasse la demande ({}).",
                    Euros::from_cents(d.requested_cents)
                ),
            ));
        }
        let lines = scenario_line::Entity::find()
            .filter(scenario_line::Column::ScenarioId.eq(scenario_id))
            .all(&tx)
            .await?;
        let line = lines
            .iter()
            .find(|l| l.dossier_id == dossier_id)
            .cloned()
            .ok_or(StoreError::NotFound)?;
        let ed = edition_in(&tx, scope, s.edition_id).await?;
        let others: i64 = lines
            .iter()
            .filter(|l| l.dossier_id != dossier_id)
            .map(|l| l.amount_cents)
            .sum();
        if others + amount.cents() > ed.row.total_cents {
            return Err(conflict(
                "amount",
                format!(
                    "Avec ce montant, le scénario dépasserait l'enveloppe de l'édition ({}).",
                    Euros::from_cents(ed.row.total_cents)
                ),
            ));
        }
        let sub_left = d
            .envelope_code
            .as_ref()
            .and_then(|code| ed.envelopes.iter().find(|e| &e.code == code))
            .map(|e| {
                e.amount_cents
                    - lines
                        .iter()
                        .filter(|l| l.dossier_id != dossier_id)
                        .map(|l| l.from_earmarked_cents)
                        .sum::<i64>()
            })
            .unwrap_or(0)
            .max(0);
        let id = line.id;
        let mut am = line.into_active_model();
        am.amount_cents = Set(amount.cents());
        am.from_earmarked_cents = Set(amount.cents().min(sub_left));
        am.outcome = Set("modifie".into());
        am.override_reason = Set(Some(reason.chars().take(1000).collect()));
        am.update(&tx).await?;
        audit::record(
            &tx,
            now,
            Entry::territory(
                Some(actor_id),
                scope.territory_id(),
                action::SCENARIO_OVERRIDE,
                "scenario_line",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the committee's decisions from a scenario, all at once: each dossier in
    /// instruction with an amount is accepted for it, the others refused; a pending
    /// correction request blocks the whole decision and is named.
    pub async fn decide_from_scenario(
        &self,
        actor_id: i64,
        scope: Scope,
        scenario_id: i64,
        deliberation_ref: &str,
    ) -> Result<usize, StoreError> {
        let deliberation_ref = deliberation_ref.trim();
        if deliberation_ref.is_empty() {
            return Err(conflict(
                "deliberation_ref",
                "Indiquez la référence de la délibération (par exemple « CT 2026-11-26 n° 12 »).",
            ));
        }
        if deliberation_ref.chars().count() > 100 {
            return Err(conflict(
                "deliberation_ref",
                "La référence ne peut dépasser 100 caractères.",
            ));
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        let s = scenario::Entity::find_by_id(scenario_id)
            .filter(scenario::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let pending = dossier::Entity::find()
            .filter(dossier::Column::EditionId.eq(s.edition_id))
            .filter(dossier::Column::State.eq(State::CorrectionRequested.code()))
            .all(&tx)
            .await?;
        if !pending.is_empty() {
            let refs: Vec<String> = pending.iter().map(|d| d.reference.clone()).collect();
            return Err(conflict(
                "deliberation_ref",
                format!(
                    "Des corrections attendent la réponse des porteurs ({}) : la décision est bloquée.",
                    refs.join(", ")
                ),
            ));
        }
        let lines = scenario_line::Entity::find()
            .filter(scenario_line::Column::ScenarioId.eq(scenario_id))
            .all(&tx)
            .await?;
        let mut decided = 0;
        for l in lines {
            let d = dossier_in(&tx, scope, l.dossier_id).await?;
            if state_of(&d) != State::InReview {
                continue;
            }
            let t = if l.amount_cents > 0 {
                Transition::Accept
            } else {
                Transition::Refuse
            };
            let next = state_of(&d)
                .apply(t)
                .map_err(|m| conflict("deliberation_ref", m))?;
            let id = d.id;
            let mut am = d.into_active_model();
            am.state = Set(next.code().into());
            am.decision_cents = Set(Some(l.amount_cents));
            am.deliberation_ref = Set(Some(deliberation_ref.to_owned()));
            am.decided_at = Set(Some(now));
            am.updated_at = Set(now);
            let d = am.update(&tx).await?;
            super::sync_communes(&tx, &d).await?;
            audit::record(
                &tx,
                now,
                Entry::territory(
                    Some(actor_id),
                    scope.territory_id(),
                    if t == Transition::Accept {
                        action::DOSSIER_ACCEPT
                    } else {
                        action::DOSSIER_REFUSE
                    },
                    "dossier",
                    id,
                ),
            )
            .await?;
            if t == Transition::Accept {
                let scheme_id = super::editions::edition_in(&tx, scope, d.edition_id)
                    .await?
                    .row
                    .scheme_id;
                super::awards::award_dossier(
                    &tx,
                    now,
                    Some(actor_id),
                    scope,
                    &d,
                    scheme_id,
                    super::awards::paris_day(now),
                )
                .await?;
            }
            decided += 1;
        }
        if decided == 0 {
            return Err(conflict(
                "deliberation_ref",
                "Aucun dossier de ce scénario n'attend de décision.",
            ));
        }
        tx.commit().await?;
        Ok(decided)
    }

    /// The laureates of an edition: accepted dossiers with their amounts, by amount.
    pub async fn laureates(
        &self,
        scope: Scope,
        edition_id: i64,
    ) -> Result<Vec<DossierRow>, StoreError> {
        Ok(dossier::Entity::find()
            .filter(dossier::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dossier::Column::EditionId.eq(edition_id))
            .filter(dossier::Column::State.eq(State::Accepted.code()))
            .order_by_desc(dossier::Column::DecisionCents)
            .all(&self.db)
            .await?)
    }
}
