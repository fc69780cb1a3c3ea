//! The participants' files: opened with consent, listed for the counsellors who reach
//! them, read whole (logged), shared with other organisations, closed by an exit and
//! completed six months after it.

use super::referrals::{ReferralView, referrals_of};
use super::steps::{BarrierRow, StepRow};
use super::{Reach, file_in, file_to_write, orgs_of, touch};
use crate::accompaniment::names;
use crate::audit::journal;
use crate::entities::{organisation, path_barrier, path_file, path_share, path_step};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use std::collections::HashMap;
use trame_domain::accompaniment::vocab::ExitStatus;
use trame_domain::audit::action;
use trame_domain::format::paris_day;
use trame_domain::pathways::pathway::{Days, Exit, File};

/// A file as stored.
pub type FileRow = path_file::Model;

/// A file to open.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The organisation that holds it (the counsellor's).
    pub organisation: i64,
    /// The checked file.
    pub file: File,
    /// The pathway's longest length, in months.
    pub max_months: u8,
}

/// A file in a counsellor's list.
#[derive(Debug, Clone)]
pub struct ListedFile {
    /// The file.
    pub file: FileRow,
    /// The holding organisation's name.
    pub organisation: String,
    /// The referent counsellor's name.
    pub referent: String,
    /// Whether the viewer reaches it by a share.
    pub shared: bool,
}

/// A file, whole.
#[derive(Debug, Clone)]
pub struct FileView {
    /// The file.
    pub file: FileRow,
    /// How the viewer reaches it.
    pub reach: Reach,
    /// The holding organisation's name.
    pub organisation: String,
    /// The referent counsellor's name.
    pub referent: String,
    /// The barriers, in the order they were found.
    pub barriers: Vec<BarrierRow>,
    /// The steps, by start.
    pub steps: Vec<StepRow>,
    /// The referrals, newest first.
    pub referrals: Vec<ReferralView>,
    /// The organisations it is shared with: id and name.
    pub shares: Vec<(i64, String)>,
}

impl FileView {
    /// The pathway's days.
    pub fn days(&self) -> Days {
        days_of(&self.file)
    }
}

/// The days of a stored file.
pub fn days_of(f: &FileRow) -> Days {
    let entered_on = trame_domain::format::parse_iso_date(&f.entered_on).unwrap_or(time::Date::MIN);
    Days {
        entered_on,
        ends_by: trame_domain::format::parse_iso_date(&f.ends_by).unwrap_or(entered_on),
    }
}

async fn org_names<C: sea_orm::ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, StoreError> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

impl Store {
    /// The files the viewer reaches: their organisations' and those shared with them,
    /// open ones first, then by name. The read is logged.
    pub async fn path_files(
        &self,
        viewer: i64,
        scope: Scope,
    ) -> Result<Vec<ListedFile>, StoreError> {
        let orgs = orgs_of(&self.db, scope, viewer).await?;
        let shared: Vec<i64> = path_share::Entity::find()
            .select_only()
            .column(path_share::Column::FileId)
            .filter(path_share::Column::TerritoryId.eq(scope.territory_id()))
            .filter(path_share::Column::OrganisationId.is_in(orgs.clone()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let rows = path_file::Entity::find()
            .filter(path_file::Column::TerritoryId.eq(scope.territory_id()))
            .filter(path_file::Column::AnonymisedAt.is_null())
            .filter(
                Condition::any()
                    .add(path_file::Column::OrganisationId.is_in(orgs.clone()))
                    .add(path_file::Column::Id.is_in(shared)),
            )
            .order_by_asc(path_file::Column::LastName)
            .order_by_asc(path_file::Column::FirstName)
            .order_by_asc(path_file::Column::Id)
            .all(&self.db)
            .await?;
        let people = names(&self.db, rows.iter().map(|r| r.referent_id)).await?;
        let orgs_named = org_names(&self.db, rows.iter().map(|r| r.organisation_id)).await?;
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "path_file.list",
            &format!("territory:{}/parcours", scope.territory_id()),
        )
        .await?;
        let mut out: Vec<ListedFile> = rows
            .into_iter()
            .map(|f| ListedFile {
                organisation: orgs_named
                    .get(&f.organisation_id)
                    .cloned()
                    .unwrap_or_default(),
                referent: people.get(&f.referent_id).cloned().unwrap_or_default(),
                shared: !orgs.contains(&f.organisation_id),
                file: f,
            })
            .collect();
        out.sort_by_key(|l| l.file.exited_on.is_some());
        Ok(out)
    }

    /// The files `sight` covers entered in `year` (or every year), anonymised ones
    /// included, by entry, with their organisation's name: the lines of the funder's
    /// export, which carries no name. The export is logged.
    pub async fn path_fse_lines(
        &self,
        viewer: i64,
        scope: Scope,
        sight: super::Sight,
        year: Option<i32>,
    ) -> Result<Vec<(FileRow, String)>, StoreError> {
        let mut q = path_file::Entity::find()
            .filter(path_file::Column::TerritoryId.eq(scope.territory_id()));
        if let super::Sight::Own(person) = sight {
            q = q.filter(
                path_file::Column::OrganisationId.is_in(orgs_of(&self.db, scope, person).await?),
            );
        }
        if let Some(y) = year {
            q = q
                .filter(path_file::Column::EnteredOn.gte(format!("{y:04}-01-01")))
                .filter(path_file::Column::EnteredOn.lte(format!("{y:04}-12-31")));
        }
        let rows = q
            .order_by_asc(path_file::Column::EnteredOn)
            .order_by_asc(path_file::Column::Id)
            .all(&self.db)
            .await?;
        let orgs = org_names(&self.db, rows.iter().map(|r| r.organisation_id)).await?;
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "path_file.export",
            &format!(
                "territory:{}/parcours/fse/{}",
                scope.territory_id(),
                year.map_or_else(|| "tout".to_owned(), |y| y.to_string())
            ),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|f| {
                let o = orgs.get(&f.organisation_id).cloned().unwrap_or_default();
                (f, o)
            })
            .collect())
    }

    /// Opens a file, the viewer as its referent counsellor, consent given now.
    pub async fn create_path_file(
        &self,
        viewer: i64,
        scope: Scope,
        new: &NewFile,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        if !orgs_of(&tx, scope, viewer)
            .await?
            .contains(&new.organisation)
        {
            return Err(StoreError::Conflict {
                field: "organisation",
                message: "Choisissez l'une de vos organisations.".into(),
            });
        }
        let e = &new.file.entry;
        let days = Days::of(e.entered_on, new.max_months);
        let row = path_file::ActiveModel {
            territory_id: Set(scope.territory_id()),
            organisation_id: Set(new.organisation),
            referent_id: Set(viewer),
            first_name: Set(e.first_name.clone()),
            last_name: Set(e.last_name.clone()),
            sex: Set(e.sex.to_owned()),
            birth_year: Set(e.birth_year),
            commune_code: Set(new.file.commune.clone()),
            ground: Set(new.file.ground.code().to_owned()),
            entered_on: Set(days.entered_on.to_string()),
            ends_by: Set(days.ends_by.to_string()),
            entry_status: Set(e.status.code().to_owned()),
            education: Set(e.education.code().to_owned()),
            disability: Set(e.disability.code().to_owned()),
            homeless: Set(e.homeless.code().to_owned()),
            consent_at: Set(now),
            exited_on: Set(None),
            exit_reason: Set(None),
            exit_note: Set(String::new()),
            follow_up_on: Set(None),
            follow_up: Set(None),
            last_contact_on: Set(paris_day(now).to_string()),
            anonymised_at: Set(None),
            is_demo: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        journal(
            &tx,
            now,
            Some(viewer),
            scope,
            action::PATH_FILE_CREATE,
            "path_file",
            row.id,
        )
        .await?;
        tx.commit().await?;
        self.cache.forget_pathways(Some(scope.territory_id()));
        Ok(row.id)
    }

    /// A file, whole, if the viewer reaches it. The read is logged.
    pub async fn path_file(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
    ) -> Result<FileView, StoreError> {
        let (file, reach) = file_in(&self.db, scope, viewer, id).await?;
        let barriers = path_barrier::Entity::find()
            .filter(path_barrier::Column::FileId.eq(id))
            .order_by_asc(path_barrier::Column::Id)
            .all(&self.db)
            .await?;
        let steps = path_step::Entity::find()
            .filter(path_step::Column::FileId.eq(id))
            .order_by_asc(path_step::Column::StartsOn)
            .order_by_asc(path_step::Column::Id)
            .all(&self.db)
            .await?;
        let shares = path_share::Entity::find()
            .filter(path_share::Column::FileId.eq(id))
            .order_by_asc(path_share::Column::Id)
            .all(&self.db)
            .await?;
        let referrals = referrals_of(&self.db, scope, &[id], self.now()).await?;
        let orgs = org_names(
            &self.db,
            shares
                .iter()
                .map(|s| s.organisation_id)
                .chain([file.organisation_id]),
        )
        .await?;
        let referent = names(&self.db, [file.referent_id])
            .await?
            .remove(&file.referent_id)
            .unwrap_or_default();
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "path_file.read",
            &format!("path_file:{id}"),
        )
        .await?;
        Ok(FileView {
            organisation: orgs.get(&file.organisation_id).cloned().unwrap_or_default(),
            referent,
            reach,
            barriers,
            steps,
            referrals,
            shares: shares
                .into_iter()
                .map(|s| {
                    let name = orgs.get(&s.organisation_id).cloned().unwrap_or_default();
                    (s.organisation_id, name)
                })
                .collect(),
            file,
        })
    }

    /// Shares a file with another organisation of the territory, which then reads it.
    pub async fn share_path_file(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
        organisation_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, id).await?;
        let org = organisation::Entity::find_by_id(organisation_id)
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?;
        if org.is_none() || organisation_id == file.organisation_id {
            return Err(StoreError::Conflict {
                field: "organisation",
                message: "Choisissez une autre organisation du territoire.".into(),
            });
        }
        path_share::ActiveModel {
            territory_id: Set(scope.territory_id()),
            file_id: Set(id),
            organisation_id: Set(organisation_id),
            shared_by: Set(viewer),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(e, "organisation", "Le dossier est déjà partagé avec elle.")
        })?;
        self.end_file_write(
            tx,
            &file,
            now,
            viewer,
            scope,
            (action::PATH_FILE_SHARE, "path_file", id),
        )
        .await?;
        Ok(())
    }

    /// Ends a share.
    pub async fn unshare_path_file(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
        organisation_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, id).await?;
        let gone = path_share::Entity::delete_many()
            .filter(path_share::Column::FileId.eq(id))
            .filter(path_share::Column::OrganisationId.eq(organisation_id))
            .exec(&tx)
            .await?;
        if gone.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        self.end_file_write(
            tx,
            &file,
            now,
            viewer,
            scope,
            (action::PATH_FILE_UNSHARE, "path_file", id),
        )
        .await?;
        Ok(())
    }

    /// Registers a file's participant to a forum (no email needed), traced to the file.
    pub async fn register_file_to_forum(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
        forum_id: i64,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, id).await?;
        let seeker = crate::forums::Seeker {
            first_name: file.first_name.clone(),
            last_name: file.last_name.clone(),
            email: None,
            phone: String::new(),
            commune: Some(file.commune_code.clone()),
            path_file: Some(id),
        };
        let reg =
            crate::forums::take_place(&tx, now, Some(viewer), scope, forum_id, &seeker).await?;
        touch(&tx, &file, now).await?;
        tx.commit().await?;
        self.cache.forget_pathways(Some(scope.territory_id()));
        Ok(reg)
    }

    /// A file's forum registrations: (forum, registration, results), newest forum first.
    pub async fn path_file_forums(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
    ) -> Result<Vec<crate::forums::FileForum>, StoreError> {
        file_in(&self.db, scope, viewer, id).await?;
        crate::forums::of_file(&self.db, id).await
    }

    /// Records the exit (once).
    pub async fn exit_path_file(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
        exit: &Exit,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, id).await?;
        if file.exited_on.is_some() {
            return Err(StoreError::Conflict {
                field: "reason",
                message: "La sortie de ce parcours est déjà enregistrée.".into(),
            });
        }
        let mut f: path_file::ActiveModel = file.into();
        f.exited_on = Set(Some(exit.exited_on.to_string()));
        f.exit_reason = Set(Some(exit.reason.code().to_owned()));
        f.exit_note = Set(exit.note.clone());
        f.last_contact_on = Set(paris_day(now).to_string());
        f.updated_at = Set(now);
        f.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(viewer),
            scope,
            action::PATH_FILE_EXIT,
            "path_file",
            id,
        )
        .await?;
        tx.commit().await?;
        self.cache.forget_pathways(Some(scope.territory_id()));
        Ok(())
    }

    /// Records the situation six months after the exit.
    pub async fn path_follow_up(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
        situation: ExitStatus,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, id).await?;
        if file.exited_on.is_none() {
            return Err(StoreError::Conflict {
                field: "situation",
                message: "Enregistrez d'abord la sortie du parcours.".into(),
            });
        }
        let mut f: path_file::ActiveModel = file.into();
        f.follow_up_on = Set(Some(paris_day(now).to_string()));
        f.follow_up = Set(Some(situation.code().to_owned()));
        f.last_contact_on = Set(paris_day(now).to_string());
        f.updated_at = Set(now);
        f.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(viewer),
            scope,
            action::PATH_FILE_FOLLOW_UP,
            "path_file",
            id,
        )
        .await?;
        tx.commit().await?;
        self.cache.forget_pathways(Some(scope.territory_id()));
        Ok(())
    }
}
