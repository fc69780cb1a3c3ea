//! Review: committee members assigned to dossiers (at most the edition's cap each), who
//! declare their interests before seeing a dossier — a conflict recuses them — then score
//! each criterion of the grid from 0 to 20 with a comment.

use super::editions::edition_in;
use super::{DossierRow, conflict, dossier_in, journal};
use crate::entities::{dossier, membership, person, review, review_score};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use std::collections::BTreeMap;
use trame_domain::audit::action;
use trame_domain::funding::allocation::weighted_score;
use trame_domain::role::Role;

pub use crate::entities::review::Model as ReviewRow;

/// The highest score on a criterion.
pub const MAX_SCORE: i32 = 20;

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStatus {
    /// The reviewer has not declared their interests yet.
    ToDeclare,
    /// Recused for a conflict of interest.
    Recused,
    /// Declared, not scored yet.
    ToScore,
    /// Scored.
    Scored,
}

impl ReviewStatus {
    /// Of a review row.
    pub fn of(r: &ReviewRow) -> ReviewStatus {
        match (r.conflict, r.scored_at) {
            (None, _) => ReviewStatus::ToDeclare,
            (Some(true), _) => ReviewStatus::Recused,
            (Some(false), None) => ReviewStatus::ToScore,
            (Some(false), Some(_)) => ReviewStatus::Scored,
        }
    }

    /// French label.
    pub const fn label(self) -> &'static str {
        match self {
            ReviewStatus::ToDeclare => "Déclaration d'intérêts à faire",
            ReviewStatus::Recused => "Récusé (conflit d'intérêts)",
            ReviewStatus::ToScore => "À noter",
            ReviewStatus::Scored => "Noté",
        }
    }
}

/// A review with its reviewer's name and its scores by criterion.
#[derive(Debug, Clone)]
pub struct ReviewView {
    /// The review.
    pub row: ReviewRow,
    /// Reviewer's name.
    pub reviewer: String,
    /// Scores by criterion code.
    pub scores: BTreeMap<String, i32>,
}

/// The weighted score of a dossier from its scored, non-recused reviews: the mean score
/// per criterion, weighted by the grid; `None` before any score.
pub fn dossier_score(reviews: &[ReviewView], criteria: &[(String, f64)]) -> Option<f64> {
    let scored: Vec<&ReviewView> = reviews
        .iter()
        .filter(|r| ReviewStatus::of(&r.row) == ReviewStatus::Scored)
        .collect();
    if scored.is_empty() {
        return None;
    }
    let means: Vec<f64> = criteria
        .iter()
        .map(|(code, _)| {
            let values: Vec<f64> = scored
                .iter()
                .filter_map(|r| r.scores.get(code).map(|s| f64::from(*s)))
                .collect();
            if values.is_empty() {
                0.0
            } else {
                values.iter().sum::<f64>() / values.len() as f64
            }
        })
        .collect();
    let weights: Vec<f64> = criteria.iter().map(|(_, w)| *w).collect();
    Some(weighted_score(&means, &weights))
}

impl Store {
    /// Assigns a committee member to a dossier, within the edition's cap per reviewer.
    pub async fn assign_reviewer(
        &self,
        actor_id: i64,
        scope: Scope,
        dossier_id: i64,
        reviewer_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let d = dossier_in(&tx, scope, dossier_id).await?;
        let state = super::state_of(&d);
        if state == trame_domain::funding::dossier::State::Draft || state.is_final() {
            return Err(conflict(
                "reviewer",
                "Seul un dossier déposé et non décidé peut être confié à un évaluateur.",
            ));
        }
        let is_member = membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
            .filter(membership::Column::PersonId.eq(reviewer_id))
            .filter(membership::Column::Role.eq(Role::CommitteeMember.code()))
            .filter(membership::Column::DisabledAt.is_null())
            .first(&tx)
            .await?
            .is_some();
        if !is_member {
            return Err(conflict(
                "reviewer",
                "Choisissez un membre du comité de sélection.",
            ));
        }
        let ed = edition_in(&tx, scope, d.edition_id).await?;
        let edition_dossiers: Vec<i64> = dossier::Entity::find()
            .filter(dossier::Column::EditionId.eq(d.edition_id))
            .all(&tx)
            .await?
            .into_iter()
            .map(|x| x.id)
            .collect();
        let load = review::Entity::find()
            .filter(review::Column::ReviewerId.eq(reviewer_id))
            .filter(review::Column::DossierId.is_in(edition_dossiers))
            .count(&tx)
            .await?;
        if load >= u64::try_from(ed.row.reviewer_cap).unwrap_or(0) {
            return Err(conflict(
                "reviewer",
                format!(
                    "Ce membre a déjà {load} dossier(s) à évaluer, le maximum de l'édition ({}).",
                    ed.row.reviewer_cap
                ),
            ));
        }
        let r = review::ActiveModel {
            territory_id: Set(scope.territory_id()),
            dossier_id: Set(dossier_id),
            reviewer_id: Set(reviewer_id),
            assigned_by: Set(Some(actor_id)),
            assigned_at: Set(now),
            conflict: Set(None),
            conflict_note: Set(String::new()),
            declared_at: Set(None),
            comment: Set(String::new()),
            scored_at: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "reviewer", "Ce membre évalue déjà ce dossier."))?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::REVIEW_ASSIGN,
            "review",
            r.id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws an assignment that has no score yet.
    pub async fn unassign_reviewer(
        &self,
        actor_id: i64,
        scope: Scope,
        review_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let r = review::Entity::find_by_id(review_id)
            .filter(review::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if r.scored_at.is_some() {
            return Err(conflict(
                "reviewer",
                "Cette évaluation est notée : elle reste au dossier.",
            ));
        }
        review::Entity::delete_by_id(review_id).exec(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::REVIEW_UNASSIGN,
            "review",
            review_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The reviews of a dossier with names and scores.
    pub async fn dossier_reviews(
        &self,
        scope: Scope,
        dossier_id: i64,
    ) -> Result<Vec<ReviewView>, StoreError> {
        let mut all = self.reviews_of_dossiers(scope, &[dossier_id]).await?;
        Ok(all.remove(&dossier_id).unwrap_or_default())
    }

    /// The reviews of several dossiers, by dossier.
    pub async fn reviews_of_dossiers(
        &self,
        scope: Scope,
        dossier_ids: &[i64],
    ) -> Result<BTreeMap<i64, Vec<ReviewView>>, StoreError> {
        let rows = review::Entity::find()
            .filter(review::Column::TerritoryId.eq(scope.territory_id()))
            .filter(review::Column::DossierId.is_in(dossier_ids.to_vec()))
            .order_by_asc(review::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let scores = review_score::Entity::find()
            .filter(review_score::Column::ReviewId.is_in(ids))
            .all(&self.db)
            .await?;
        let people = person::Entity::find()
            .filter(
                person::Column::Id.is_in(rows.iter().map(|r| r.reviewer_id).collect::<Vec<_>>()),
            )
            .all(&self.db)
            .await?;
        let mut out: BTreeMap<i64, Vec<ReviewView>> = BTreeMap::new();
        for r in rows {
            let view = ReviewView {
                reviewer: people
                    .iter()
                    .find(|p| p.id == r.reviewer_id)
                    .map(|p| p.display_name.clone())
                    .unwrap_or_default(),
                scores: scores
                    .iter()
                    .filter(|s| s.review_id == r.id)
                    .map(|s| (s.criterion_code.clone(), s.score))
                    .collect(),
                row: r,
            };
            out.entry(view.row.dossier_id).or_default().push(view);
        }
        Ok(out)
    }

    /// A reviewer's assignments with their dossiers, latest first.
    pub async fn reviewer_assignments(
        &self,
        scope: Scope,
        reviewer_id: i64,
    ) -> Result<Vec<(ReviewRow, DossierRow)>, StoreError> {
        let rows = review::Entity::find()
            .filter(review::Column::TerritoryId.eq(scope.territory_id()))
            .filter(review::Column::ReviewerId.eq(reviewer_id))
            .order_by_desc(review::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.dossier_id).collect();
        let dossiers = dossier::Entity::find()
            .filter(dossier::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let d = dossiers.iter().find(|d| d.id == r.dossier_id)?.clone();
                Some((r, d))
            })
            .collect())
    }

    /// One of a reviewer's assignments; `NotFound` for anyone else's.
    pub async fn reviewer_assignment(
        &self,
        scope: Scope,
        reviewer_id: i64,
        review_id: i64,
    ) -> Result<(ReviewView, DossierRow), StoreError> {
        let r = review::Entity::find_by_id(review_id)
            .filter(review::Column::TerritoryId.eq(scope.territory_id()))
            .filter(review::Column::ReviewerId.eq(reviewer_id))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let d = dossier_in(&self.db, scope, r.dossier_id).await?;
        let mut views = self.dossier_reviews(scope, d.id).await?;
        let pos = views
            .iter()
            .position(|v| v.row.id == review_id)
            .ok_or(StoreError::NotFound)?;
        Ok((views.swap_remove(pos), d))
    }

    /// The reviewer declares their interests: a conflict recuses them for good.
    pub async fn declare_interests(
        &self,
        reviewer_id: i64,
        scope: Scope,
        review_id: i64,
        conflict_of_interest: bool,
        note: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let r = review::Entity::find_by_id(review_id)
            .filter(review::Column::TerritoryId.eq(scope.territory_id()))
            .filter(review::Column::ReviewerId.eq(reviewer_id))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if r.conflict.is_some() {
            return Err(conflict("conflict", "La déclaration est déjà faite."));
        }
        let mut am = r.into_active_model();
        am.conflict = Set(Some(conflict_of_interest));
        am.conflict_note = Set(note.trim().chars().take(1000).collect());
        am.declared_at = Set(Some(now));
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(reviewer_id),
            scope,
            action::REVIEW_DECLARE,
            "review",
            review_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the reviewer's scores (every criterion of the grid, 0–20) and comment.
    pub async fn score_dossier(
        &self,
        reviewer_id: i64,
        scope: Scope,
        review_id: i64,
        scores: &BTreeMap<String, i32>,
        comment: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let r = review::Entity::find_by_id(review_id)
            .filter(review::Column::TerritoryId.eq(scope.territory_id()))
            .filter(review::Column::ReviewerId.eq(reviewer_id))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        match r.conflict {
            None => {
                return Err(conflict(
                    "conflict",
                    "Déclarez d'abord vos intérêts pour ce dossier.",
                ));
            }
            Some(true) => {
                return Err(conflict(
                    "conflict",
                    "Vous êtes récusé pour ce dossier : vous ne pouvez pas le noter.",
                ));
            }
            Some(false) => {}
        }
        let d = dossier_in(&tx, scope, r.dossier_id).await?;
        if super::state_of(&d).is_final() {
            return Err(conflict(
                "scores",
                "Le dossier est décidé : les notes sont closes.",
            ));
        }
        let ed = edition_in(&tx, scope, d.edition_id).await?;
        for c in &ed.criteria {
            match scores.get(&c.code) {
                Some(s) if (0..=MAX_SCORE).contains(s) => {}
                _ => {
                    return Err(conflict(
                        "scores",
                        format!("Notez « {} » de 0 à {MAX_SCORE}.", c.label),
                    ));
                }
            }
        }
        review_score::Entity::delete_many()
            .filter(review_score::Column::ReviewId.eq(review_id))
            .exec(&tx)
            .await?;
        for c in &ed.criteria {
            review_score::ActiveModel {
                territory_id: Set(scope.territory_id()),
                review_id: Set(review_id),
                criterion_code: Set(c.code.clone()),
                score: Set(scores.get(&c.code).copied().unwrap_or(0)),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        let mut am = r.into_active_model();
        am.comment = Set(comment.trim().chars().take(4000).collect());
        am.scored_at = Set(Some(now));
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(reviewer_id),
            scope,
            action::REVIEW_SCORE,
            "review",
            review_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The committee members of the territory: (person id, name).
    pub async fn committee_members(&self, scope: Scope) -> Result<Vec<(i64, String)>, StoreError> {
        let ids: Vec<i64> = membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
            .filter(membership::Column::Role.eq(Role::CommitteeMember.code()))
            .filter(membership::Column::DisabledAt.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect();
        Ok(person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .order_by_asc(person::Column::DisplayName)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.display_name))
            .collect())
    }
}
