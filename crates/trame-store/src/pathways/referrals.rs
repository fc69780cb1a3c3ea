//! Referrals (orientations): from a barrier of a file to a service of the directory
//! that works on its theme and is open to the participant's commune; answered by the
//! members of the organisation that keeps the receiving structure; expired when left
//! unanswered for 30 days (read at the time, whatever is stored).

use super::{file_to_write, orgs_of};
use crate::accompaniment::names;
use crate::directory::ListedService;
use crate::entities::{
    commune, dir_code, dir_service, dir_structure, organisation, path_barrier, path_file,
    path_referral, territory,
};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;
use time::OffsetDateTime;
use trame_domain::audit::action;
use trame_domain::directory::listing::{CodeKind, Place, Status};
use trame_domain::pathways::referral::{Answer, Target, check_target, state_at};
use trame_domain::pathways::vocab::{Barrier, ReferralState};

/// A service that matches a barrier.
pub type Matching = ListedService;

/// A referral with what its pages show.
#[derive(Debug, Clone)]
pub struct ReferralView {
    /// The referral.
    pub row: path_referral::Model,
    /// Where it stands now (expired when unanswered for 30 days).
    pub state: ReferralState,
    /// The barrier's theme.
    pub barrier: Option<Barrier>,
    /// The service's name.
    pub service: String,
    /// The structure's name.
    pub structure: String,
    /// Who sent it.
    pub sent_by: String,
    /// Who answered it.
    pub answered_by: Option<String>,
}

/// A referral received by one of the viewer's structures, with the person referred.
#[derive(Debug, Clone)]
pub struct ReceivedReferral {
    /// The referral.
    pub view: ReferralView,
    /// The person's first name.
    pub first_name: String,
    /// The person's last name.
    pub last_name: String,
    /// The person's commune (INSEE code).
    pub commune_code: String,
    /// The organisation of the counsellor who sent it.
    pub from_organisation: String,
}

/// The referrals of these files, newest first, with their state at `now`.
pub(crate) async fn referrals_of<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    file_ids: &[i64],
    now: OffsetDateTime,
) -> Result<Vec<ReferralView>, StoreError> {
    let rows = path_referral::Entity::find()
        .filter(path_referral::Column::TerritoryId.eq(scope.territory_id()))
        .filter(path_referral::Column::FileId.is_in(file_ids.iter().copied()))
        .order_by_desc(path_referral::Column::SentAt)
        .order_by_desc(path_referral::Column::Id)
        .all(db)
        .await?;
    views(db, rows, now).await
}

async fn views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<path_referral::Model>,
    now: OffsetDateTime,
) -> Result<Vec<ReferralView>, StoreError> {
    let services: HashMap<i64, String> = dir_service::Entity::find()
        .filter(dir_service::Column::Id.is_in(rows.iter().map(|r| r.service_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.nom))
        .collect();
    let structures: HashMap<i64, String> = dir_structure::Entity::find()
        .filter(dir_structure::Column::Id.is_in(rows.iter().map(|r| r.structure_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.nom))
        .collect();
    let barriers: HashMap<i64, String> = path_barrier::Entity::find()
        .filter(path_barrier::Column::Id.is_in(rows.iter().map(|r| r.barrier_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.barrier))
        .collect();
    let people = names(
        db,
        rows.iter()
            .flat_map(|r| std::iter::once(r.sent_by).chain(r.answered_by)),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let stored = ReferralState::from_code(&row.state).unwrap_or(ReferralState::Sent);
            ReferralView {
                state: state_at(stored, row.sent_at, now),
                barrier: barriers
                    .get(&row.barrier_id)
                    .and_then(|b| Barrier::from_code(b)),
                service: services.get(&row.service_id).cloned().unwrap_or_default(),
                structure: structures
                    .get(&row.structure_id)
                    .cloned()
                    .unwrap_or_default(),
                sent_by: people.get(&row.sent_by).cloned().unwrap_or_default(),
                answered_by: row.answered_by.and_then(|p| people.get(&p).cloned()),
                row,
            }
        })
        .collect())
}

/// The zone codes that include a commune of the territory.
async fn commune_zones<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    code_insee: &str,
) -> Result<Vec<String>, StoreError> {
    let c = commune::Entity::find()
        .filter(commune::Column::TerritoryId.eq(scope.territory_id()))
        .filter(commune::Column::CodeInsee.eq(code_insee))
        .first(db)
        .await?;
    let t = territory::Entity::find_by_id(scope.territory_id())
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Place {
        code_insee,
        siren: c.as_ref().and_then(|c| c.siren.as_deref()),
        territory_siren: &t.siren,
    }
    .zone_codes())
}

/// The barrier of a file, by id.
async fn barrier_of<C: ConnectionTrait>(
    db: &C,
    file_id: i64,
    barrier_id: i64,
) -> Result<(path_barrier::Model, Barrier), StoreError> {
    let b = path_barrier::Entity::find_by_id(barrier_id)
        .filter(path_barrier::Column::FileId.eq(file_id))
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let theme = Barrier::from_code(&b.barrier).ok_or(StoreError::NotFound)?;
    Ok((b, theme))
}

fn first_error(errors: trame_domain::organisation::FieldErrors) -> StoreError {
    match errors.into_iter().next() {
        Some((field, message)) => StoreError::Conflict { field, message },
        None => StoreError::Internal("empty errors".into()),
    }
}

impl Store {
    /// The published services that work on a barrier's theme and are open to the
    /// participant's commune (a service without a zone serves the whole territory), by
    /// name, at most 50.
    pub async fn path_matching_services(
        &self,
        viewer: i64,
        scope: Scope,
        file_id: i64,
        barrier_id: i64,
    ) -> Result<Vec<Matching>, StoreError> {
        let file = file_to_write(&self.db, scope, viewer, file_id).await?;
        let (_, theme) = barrier_of(&self.db, file_id, barrier_id).await?;
        let zones = commune_zones(&self.db, scope, &file.commune_code).await?;
        let of_theme = Query::select()
            .column(dir_code::Column::ServiceId)
            .from(dir_code::Entity)
            .and_where(dir_code::Column::TerritoryId.eq(scope.territory_id()))
            .and_where(dir_code::Column::Kind.eq(CodeKind::Thematique.as_str()))
            .and_where(dir_code::Column::Code.eq(theme.code()))
            .to_owned();
        let in_zone = Query::select()
            .column(dir_code::Column::ServiceId)
            .from(dir_code::Entity)
            .and_where(dir_code::Column::TerritoryId.eq(scope.territory_id()))
            .and_where(dir_code::Column::Kind.eq(CodeKind::Zone.as_str()))
            .and_where(dir_code::Column::Code.is_in(zones))
            .to_owned();
        let zoned = Query::select()
            .column(dir_code::Column::ServiceId)
            .from(dir_code::Entity)
            .and_where(dir_code::Column::TerritoryId.eq(scope.territory_id()))
            .and_where(dir_code::Column::Kind.eq(CodeKind::Zone.as_str()))
            .to_owned();
        let rows = dir_service::Entity::find()
            .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_service::Column::Status.eq(Status::Publie.as_str()))
            .filter(dir_service::Column::Id.in_subquery(of_theme))
            .filter(
                Condition::any()
                    .add(dir_service::Column::Id.in_subquery(in_zone))
                    .add(dir_service::Column::Id.not_in_subquery(zoned)),
            )
            .order_by_asc(dir_service::Column::Nom)
            .limit(200)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut listed = self.services_by_ids(scope, &ids).await?;
        listed.retain(|s| s.structure_status == Status::Publie);
        listed.truncate(50);
        Ok(listed)
    }

    /// Sends a referral from a barrier to a service: the service must be published, work
    /// on the barrier's theme and serve the participant's commune; one waiting referral
    /// per service and file.
    pub async fn send_path_referral(
        &self,
        viewer: i64,
        scope: Scope,
        file_id: i64,
        barrier_id: i64,
        service_id: i64,
        message: &str,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let message = message.trim();
        if message.chars().count() > 2_000 {
            return Err(StoreError::Conflict {
                field: "message",
                message: "Le message : 2 000 caractères au plus.".into(),
            });
        }
        let tx = self.begin_write().await?;
        let file = file_to_write(&tx, scope, viewer, file_id).await?;
        if file.exited_on.is_some() {
            return Err(StoreError::Conflict {
                field: "service",
                message: "Le parcours est terminé : il n'y a plus d'orientation à envoyer.".into(),
            });
        }
        let (_, theme) = barrier_of(&tx, file_id, barrier_id).await?;
        let service = dir_service::Entity::find_by_id(service_id)
            .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
            .first(&tx)
            .await?
            .ok_or_else(|| StoreError::Conflict {
                field: "service",
                message: "Choisissez un service de l'annuaire.".into(),
            })?;
        let structure = dir_structure::Entity::find_by_id(service.structure_id)
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let codes = dir_code::Entity::find()
            .filter(dir_code::Column::ServiceId.eq(service_id))
            .all(&tx)
            .await?;
        let of = |kind: CodeKind| {
            codes
                .iter()
                .filter(|c| c.kind == kind.as_str())
                .map(|c| c.code.clone())
                .collect::<Vec<_>>()
        };
        let target = Target {
            open: service.status == Status::Publie.as_str()
                && structure.status == Status::Publie.as_str(),
            thematiques: of(CodeKind::Thematique),
            zones: of(CodeKind::Zone),
        };
        let zones = commune_zones(&tx, scope, &file.commune_code).await?;
        check_target(theme, &zones, &target).map_err(first_error)?;
        let waiting = path_referral::Entity::find()
            .filter(path_referral::Column::FileId.eq(file_id))
            .filter(path_referral::Column::ServiceId.eq(service_id))
            .filter(path_referral::Column::State.eq(ReferralState::Sent.code()))
            .all(&tx)
            .await?
            .into_iter()
            .any(|r| state_at(ReferralState::Sent, r.sent_at, now) == ReferralState::Sent);
        if waiting {
            return Err(StoreError::Conflict {
                field: "service",
                message: "Une orientation vers ce service attend déjà sa réponse.".into(),
            });
        }
        let row = path_referral::ActiveModel {
            territory_id: Set(scope.territory_id()),
            file_id: Set(file_id),
            barrier_id: Set(barrier_id),
            service_id: Set(service_id),
            structure_id: Set(structure.id),
            message: Set(message.to_owned()),
            sent_by: Set(viewer),
            sent_at: Set(now),
            state: Set(ReferralState::Sent.code().to_owned()),
            answered_by: Set(None),
            answered_at: Set(None),
            reason: Set(String::new()),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        self.end_file_write(
            tx,
            &file,
            now,
            viewer,
            scope,
            (action::PATH_REFERRAL_SEND, "path_referral", row.id),
        )
        .await?;
        Ok(row.id)
    }

    /// The referrals received by the structures the viewer's organisations keep, waiting
    /// ones first, then newest. The read is logged.
    pub async fn path_referrals_received(
        &self,
        viewer: i64,
        scope: Scope,
    ) -> Result<Vec<ReceivedReferral>, StoreError> {
        let orgs = orgs_of(&self.db, scope, viewer).await?;
        let structures: Vec<i64> = dir_structure::Entity::find()
            .select_only()
            .column(dir_structure::Column::Id)
            .filter(dir_structure::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_structure::Column::OrganisationId.is_in(orgs))
            .into_tuple()
            .all(&self.db)
            .await?;
        let rows = path_referral::Entity::find()
            .filter(path_referral::Column::TerritoryId.eq(scope.territory_id()))
            .filter(path_referral::Column::StructureId.is_in(structures))
            .order_by_desc(path_referral::Column::SentAt)
            .order_by_desc(path_referral::Column::Id)
            .limit(500)
            .all(&self.db)
            .await?;
        let files: HashMap<i64, path_file::Model> = path_file::Entity::find()
            .filter(path_file::Column::Id.is_in(rows.iter().map(|r| r.file_id)))
            .filter(path_file::Column::AnonymisedAt.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|f| (f.id, f))
            .collect();
        let from: HashMap<i64, String> = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(files.values().map(|f| f.organisation_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let views = views(&self.db, rows, self.now()).await?;
        self.log_access(
            viewer,
            Some(scope.territory_id()),
            "path_referral.received",
            &format!("territory:{}/orientations", scope.territory_id()),
        )
        .await?;
        let mut out: Vec<ReceivedReferral> = views
            .into_iter()
            .filter_map(|view| {
                let f = files.get(&view.row.file_id)?;
                Some(ReceivedReferral {
                    first_name: f.first_name.clone(),
                    last_name: f.last_name.clone(),
                    commune_code: f.commune_code.clone(),
                    from_organisation: from.get(&f.organisation_id).cloned().unwrap_or_default(),
                    view,
                })
            })
            .collect();
        out.sort_by_key(|r| r.view.state != ReferralState::Sent);
        Ok(out)
    }

    /// Where a referral received by one of the viewer's structures stands now.
    pub async fn path_referral_state(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
    ) -> Result<ReferralState, StoreError> {
        let r = received_in(&self.db, scope, viewer, id).await?;
        let stored = ReferralState::from_code(&r.state).unwrap_or(ReferralState::Sent);
        Ok(state_at(stored, r.sent_at, self.now()))
    }

    /// The receiving structure's answer to a waiting referral.
    pub async fn answer_path_referral(
        &self,
        viewer: i64,
        scope: Scope,
        id: i64,
        answer: &Answer,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let r = received_in(&tx, scope, viewer, id).await?;
        let stored = ReferralState::from_code(&r.state).unwrap_or(ReferralState::Sent);
        if state_at(stored, r.sent_at, now) != ReferralState::Sent {
            return Err(StoreError::Conflict {
                field: "answer",
                message: "Cette orientation n'attend plus de réponse (déjà répondue ou expirée)."
                    .into(),
            });
        }
        let file = path_file::Entity::find_by_id(r.file_id)
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut m: path_referral::ActiveModel = r.into();
        m.state = Set(answer.state.code().to_owned());
        m.reason = Set(answer.reason.clone());
        m.answered_by = Set(Some(viewer));
        m.answered_at = Set(Some(now));
        m.update(&tx).await?;
        self.end_file_write(
            tx,
            &file,
            now,
            viewer,
            scope,
            (action::PATH_REFERRAL_ANSWER, "path_referral", id),
        )
        .await?;
        Ok(())
    }
}

/// A referral to a structure kept by one of the viewer's organisations; `NotFound`
/// otherwise.
async fn received_in<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    viewer: i64,
    id: i64,
) -> Result<path_referral::Model, StoreError> {
    let r = path_referral::Entity::find_by_id(id)
        .filter(path_referral::Column::TerritoryId.eq(scope.territory_id()))
        .first(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let keeper = dir_structure::Entity::find_by_id(r.structure_id)
        .first(db)
        .await?
        .and_then(|s| s.organisation_id);
    let orgs = orgs_of(db, scope, viewer).await?;
    match keeper {
        Some(o) if orgs.contains(&o) => Ok(r),
        _ => Err(StoreError::NotFound),
    }
}
