//! Who a project belongs to and who advises it: the team corrects the holder's email
//! (the account that follows the project) and names the referent adviser, who reads
//! every session's summary. By default the referent is the first adviser to record a
//! session.

use super::projects::{names, project_in};
use super::{CohortRow, Team, cohort_in, conflict};
use crate::audit::journal;
use crate::entities::{acc_project, membership, organisation_member};
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::BTreeSet;
use trame_domain::audit::action;
use trame_domain::email::Email;
use trame_domain::role::Role;

/// The people who may advise a cohort's projects, by name: for the territory's team, its
/// active admins, agents and facilitators and the members of the cohort's support
/// provider; for a provider, its own members.
async fn advisers_of<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    team: &Team,
    cohort: &CohortRow,
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut ids = BTreeSet::new();
    if matches!(team, Team::Territory) {
        let roles = [Role::TerritoryAdmin, Role::Agent, Role::Facilitator].map(Role::code);
        for m in membership::Entity::find()
            .filter(membership::Column::TerritoryId.eq(scope.territory_id()))
            .filter(membership::Column::Role.is_in(roles))
            .filter(membership::Column::DisabledAt.is_null())
            .all(db)
            .await?
        {
            ids.insert(m.person_id);
        }
    }
    if let Some(provider) = cohort.provider_org_id {
        for m in organisation_member::Entity::find()
            .filter(organisation_member::Column::TerritoryId.eq(scope.territory_id()))
            .filter(organisation_member::Column::OrganisationId.eq(provider))
            .all(db)
            .await?
        {
            ids.insert(m.person_id);
        }
    }
    let mut people: Vec<(i64, String)> = names(db, ids).await?.into_iter().collect();
    people.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(people)
}

impl Store {
    /// The people `team` may name referent adviser of cohort `cohort_id`'s projects.
    pub async fn acc_advisers(
        &self,
        scope: Scope,
        team: &Team,
        cohort_id: i64,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let cohort = cohort_in(&self.db, scope, team, cohort_id).await?;
        advisers_of(&self.db, scope, team, &cohort).await
    }

    /// Sets a project's holder email and referent adviser (`None`: the next adviser to
    /// record a session). The adviser must be one `team` may name.
    pub async fn set_acc_project_people(
        &self,
        actor_id: i64,
        scope: Scope,
        team: &Team,
        project_id: i64,
        holder_email: &Email,
        adviser_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let (_, cohort) = project_in(&tx, scope, team, project_id).await?;
        if let Some(a) = adviser_id
            && !advisers_of(&tx, scope, team, &cohort)
                .await?
                .iter()
                .any(|(id, _)| *id == a)
        {
            return Err(conflict(
                "adviser",
                "Choisissez un conseiller de l'équipe de cette promotion.",
            ));
        }
        acc_project::Entity::update_many()
            .col_expr(
                acc_project::Column::HolderEmail,
                Expr::value(holder_email.as_str().to_owned()),
            )
            .col_expr(acc_project::Column::AdviserId, Expr::value(adviser_id))
            .col_expr(acc_project::Column::UpdatedAt, Expr::value(now))
            .filter(acc_project::Column::Id.eq(project_id))
            .exec(&tx)
            .await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_PROJECT_PEOPLE,
            "acc_project",
            project_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
