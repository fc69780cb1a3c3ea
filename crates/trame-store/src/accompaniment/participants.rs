//! The people accompanied, with the data European funds (FSE+) require: recorded with
//! their consent at entry, completed at exit and six months after, exported for the
//! funder. Every read is in the access log.

use super::projects::project_in;
use super::{Team, conflict};
use crate::audit::journal;
use crate::entities::{acc_cohort, acc_participant, acc_project};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;
use trame_domain::accompaniment::participant::{Entry, ResultEntry, ResultMoment};
use trame_domain::audit::action;

/// A participant as stored.
pub type ParticipantRow = acc_participant::Model;

/// A participant with their project and cohort, for the funder's export.
#[derive(Debug, Clone)]
pub struct FseLine {
    /// The participant.
    pub p: ParticipantRow,
    /// The project's name.
    pub project: String,
    /// The project's commune.
    pub commune: Option<String>,
    /// The cohort's name.
    pub cohort: String,
}

impl Store {
    /// A project's participants, by entry. The read is logged.
    pub async fn acc_participants(
        &self,
        viewer: i64,
        scope: Scope,
        team: &Team,
        project_id: i64,
    ) -> Result<Vec<ParticipantRow>, StoreError> {
        project_in(&self.db, scope, team, project_id).await?;
        let rows = acc_participant::Entity::find()
            .filter(acc_participant::Column::ProjectId.eq(project_id))
            .order_by_asc(acc_participant::Column::EnteredOn)
            .order_by_asc(acc_participant::Column::Id)
            .all(&self.db)
            .await?;
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "acc_participant.list",
            &format!("acc_project:{project_id}"),
        )
        .await?;
        Ok(rows)
    }

    /// One participant, with its project's id, if `team` reaches its cohort. The read is
    /// logged.
    pub async fn acc_participant(
        &self,
        viewer: i64,
        scope: Scope,
        team: &Team,
        id: i64,
    ) -> Result<ParticipantRow, StoreError> {
        let p = acc_participant::Entity::find_by_id(id)
            .filter(acc_participant::Column::TerritoryId.eq(scope.territory_id()))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        project_in(&self.db, scope, team, p.project_id).await?;
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "acc_participant.read",
            &format!("acc_participant:{id}"),
        )
        .await?;
        Ok(p)
    }

    /// Records a participant of a project, with consent given now.
    pub async fn add_acc_participant(
        &self,
        actor_id: i64,
        scope: Scope,
        team: &Team,
        project_id: i64,
        e: &Entry,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        project_in(&tx, scope, team, project_id).await?;
        let row = acc_participant::ActiveModel {
            territory_id: Set(scope.territory_id()),
            project_id: Set(project_id),
            first_name: Set(e.first_name.clone()),
            last_name: Set(e.last_name.clone()),
            sex: Set(e.sex.to_owned()),
            birth_year: Set(e.birth_year),
            entered_on: Set(e.entered_on.to_string()),
            entry_status: Set(e.status.code().to_owned()),
            education: Set(e.education.code().to_owned()),
            disability: Set(e.disability.code().to_owned()),
            homeless: Set(e.homeless.code().to_owned()),
            consent_at: Set(now),
            exited_on: Set(None),
            exit_status: Set(None),
            six_months_on: Set(None),
            six_months_status: Set(None),
            is_demo: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_PARTICIPANT_CREATE,
            "acc_participant",
            row.id,
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Records a participant's situation at exit or six months after (the exit first).
    pub async fn record_acc_participant_result(
        &self,
        actor_id: i64,
        scope: Scope,
        team: &Team,
        id: i64,
        r: &ResultEntry,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let p = acc_participant::Entity::find_by_id(id)
            .filter(acc_participant::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        project_in(&tx, scope, team, p.project_id).await?;
        let mut am: acc_participant::ActiveModel = p.clone().into();
        match r.moment {
            ResultMoment::Exit => {
                if p.six_months_on.is_some() {
                    return Err(conflict(
                        "moment",
                        "La situation à six mois est notée : la sortie ne change plus.",
                    ));
                }
                am.exited_on = Set(Some(r.observed_on.to_string()));
                am.exit_status = Set(Some(r.status.code().to_owned()));
            }
            ResultMoment::SixMonths => {
                if p.exited_on.is_none() {
                    return Err(conflict(
                        "moment",
                        "Notez d'abord la situation à la sortie.",
                    ));
                }
                am.six_months_on = Set(Some(r.observed_on.to_string()));
                am.six_months_status = Set(Some(r.status.code().to_owned()));
            }
        }
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::ACC_PARTICIPANT_RESULT,
            "acc_participant",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every participant who entered in `year` (all years when `None`), for the
    /// funder's export, by entry. The read is logged.
    pub async fn acc_fse_lines(
        &self,
        viewer: i64,
        scope: Scope,
        year: Option<i32>,
    ) -> Result<Vec<FseLine>, StoreError> {
        let mut q = acc_participant::Entity::find()
            .filter(acc_participant::Column::TerritoryId.eq(scope.territory_id()));
        if let Some(y) = year {
            q = q
                .filter(acc_participant::Column::EnteredOn.gte(format!("{y:04}-01-01")))
                .filter(acc_participant::Column::EnteredOn.lte(format!("{y:04}-12-31")));
        }
        let rows = q
            .order_by_asc(acc_participant::Column::EnteredOn)
            .order_by_asc(acc_participant::Column::Id)
            .all(&self.db)
            .await?;
        let projects: HashMap<i64, acc_project::Model> = acc_project::Entity::find()
            .filter(acc_project::Column::TerritoryId.eq(scope.territory_id()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let cohorts: HashMap<i64, String> = acc_cohort::Entity::find()
            .filter(acc_cohort::Column::TerritoryId.eq(scope.territory_id()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "acc_participant.export",
            &format!(
                "territory:{}/fse/{}",
                scope.territory_id(),
                year.map_or_else(|| "tout".to_owned(), |y| y.to_string())
            ),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|p| {
                let project = projects.get(&p.project_id);
                FseLine {
                    project: project.map(|x| x.name.clone()).unwrap_or_default(),
                    commune: project.and_then(|x| x.commune_code.clone()),
                    cohort: project
                        .and_then(|x| cohorts.get(&x.cohort_id).cloned())
                        .unwrap_or_default(),
                    p,
                }
            })
            .collect())
    }
}
