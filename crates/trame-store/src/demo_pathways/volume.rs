//! The benchmark volume of insertion pathways (`trame demo parcours --files N
//! --counsellors M`): files, barriers, steps and referrals for the demo PLIE.

use super::{GROUNDS, at};
use crate::entities::{dir_service, path_barrier, path_file, path_referral, path_step};
use crate::{Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use time::Duration;
use trame_domain::directory::listing::Status;
use trame_domain::email::Email;
use trame_domain::format::paris_day;
use trame_domain::pathways::pathway::Days;
use trame_domain::pathways::vocab::{Barrier, ExitReason, ReferralState, StepKind, StepStatus};
use trame_domain::role::Role;

/// A volume of generated pathways, for benchmarks (`trame demo parcours`).
#[derive(Debug, Clone, Copy)]
pub struct PathVolume {
    /// Files (participants).
    pub files: u32,
    /// Counsellors of the demo PLIE (the demo's three and generated ones).
    pub counsellors: u32,
}

impl Store {
    /// Adds generated pathway files to the demo PLIE: one to three barriers each, a
    /// diagnosis step, a referral for the first barrier, a third exited. Multi-row
    /// inserts of 500; deterministic (a fixed linear congruential sequence). Returns the
    /// files written.
    pub async fn generate_pathways(&self, v: PathVolume) -> Result<u64, StoreError> {
        let territory = self.territory_by_slug("gpsea").await?;
        let scope = territory.scope();
        let plie = crate::entities::organisation::Entity::find()
            .filter(crate::entities::organisation::Column::TerritoryId.eq(scope.territory_id()))
            .filter(crate::entities::organisation::Column::Name.starts_with("PLIE Sud-Est Avenir"))
            .all(&self.db)
            .await?
            .first()
            .map(|o| o.id)
            .ok_or(StoreError::NotFound)?;
        let mut counsellors: Vec<i64> = crate::entities::organisation_member::Entity::find()
            .filter(crate::entities::organisation_member::Column::OrganisationId.eq(plie))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect();
        let mut k = 0u32;
        while counsellors.len() < v.counsellors as usize {
            k += 1;
            let email = Email::parse(&format!("conseiller{k}@genere.demo.trame.test"))
                .map_err(|e| StoreError::Internal(e.message))?;
            let p = self
                .create_person(
                    None,
                    &email,
                    &format!("Conseiller généré {k}"),
                    crate::demo::DEMO_PASSWORD,
                )
                .await?;
            self.add_membership(None, scope, p.id, Role::Partner)
                .await?;
            self.add_organisation_member(
                counsellors.first().copied().unwrap_or(p.id),
                scope,
                plie,
                p.id,
            )
            .await?;
            counsellors.push(p.id);
        }
        let communes: Vec<String> = self
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| c.code_insee)
            .collect();
        let services: Vec<(i64, i64)> = dir_service::Entity::find()
            .filter(dir_service::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dir_service::Column::Status.eq(Status::Publie.as_str()))
            .order_by_asc(dir_service::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.structure_id))
            .collect();
        let now = self.now();
        let today = paris_day(now);
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n.max(1)
        };
        let pick = |xs: &[String], i: u64| xs.get(i as usize).cloned().unwrap_or_default();
        let tx = self.begin_write().await?;
        let mut written = 0u64;
        let mut remaining = v.files;
        while remaining > 0 {
            let n = remaining.min(500);
            remaining -= n;
            let before: i64 = path_file::Entity::find()
                .filter(path_file::Column::TerritoryId.eq(scope.territory_id()))
                .order_by_desc(path_file::Column::Id)
                .one(&tx)
                .await?
                .map_or(0, |f| f.id);
            let mut rows = Vec::with_capacity(n as usize);
            let mut plans = Vec::with_capacity(n as usize);
            for _ in 0..n {
                let entered = today - Duration::days(30 + next(1_000) as i64);
                let days = Days::of(entered, 36);
                let exited = (next(3) == 0)
                    .then(|| entered + Duration::days(20 + next(300) as i64))
                    .filter(|d| *d < today);
                let reason = exited.map(|_| {
                    ExitReason::ALL
                        .get(next(ExitReason::ALL.len() as u64) as usize)
                        .copied()
                        .unwrap_or(ExitReason::Cdi)
                });
                let referent = counsellors
                    .get(next(counsellors.len() as u64) as usize)
                    .copied()
                    .unwrap_or_default();
                written += 1;
                rows.push(path_file::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    organisation_id: Set(plie),
                    referent_id: Set(referent),
                    first_name: Set("Participant".to_owned()),
                    last_name: Set(format!("Généré {written}")),
                    sex: Set(if next(2) == 0 { "F" } else { "M" }.to_owned()),
                    birth_year: Set(1960 + next(45) as i32),
                    commune_code: Set(pick(&communes, next(communes.len() as u64))),
                    ground: Set(pick(
                        &GROUNDS.map(str::to_owned),
                        next(GROUNDS.len() as u64),
                    )),
                    entered_on: Set(entered.to_string()),
                    ends_by: Set(days.ends_by.to_string()),
                    entry_status: Set("chomeur_longue_duree".to_owned()),
                    education: Set("cite_0_2".to_owned()),
                    disability: Set("non".to_owned()),
                    homeless: Set("non".to_owned()),
                    consent_at: Set(at(entered)),
                    exited_on: Set(exited.map(|d| d.to_string())),
                    exit_reason: Set(reason.map(|r| r.code().to_owned())),
                    exit_note: Set(String::new()),
                    follow_up_on: Set(None),
                    follow_up: Set(None),
                    last_contact_on: Set(exited.unwrap_or(today).to_string()),
                    anonymised_at: Set(None),
                    is_demo: Set(true),
                    created_at: Set(at(entered)),
                    updated_at: Set(now),
                    ..Default::default()
                });
                plans.push((entered, 1 + next(3) as usize, referent));
            }
            path_file::Entity::insert_many(rows)
                .exec_without_returning(&tx)
                .await?;
            let ids: Vec<i64> = path_file::Entity::find()
                .filter(path_file::Column::TerritoryId.eq(scope.territory_id()))
                .filter(path_file::Column::Id.gt(before))
                .order_by_asc(path_file::Column::Id)
                .all(&tx)
                .await?
                .into_iter()
                .map(|f| f.id)
                .collect();
            let mut barriers = Vec::new();
            let mut steps = Vec::new();
            for (id, (entered, count, _)) in ids.iter().zip(&plans) {
                let first = next(Barrier::ALL.len() as u64) as usize;
                for b in 0..*count {
                    let barrier = Barrier::ALL
                        .get((first + b) % Barrier::ALL.len())
                        .copied()
                        .unwrap_or(Barrier::Mobility);
                    barriers.push(path_barrier::ActiveModel {
                        territory_id: Set(scope.territory_id()),
                        file_id: Set(*id),
                        barrier: Set(barrier.code().to_owned()),
                        note: Set(String::new()),
                        identified_on: Set(entered.to_string()),
                        lifted_on: Set((next(2) == 0)
                            .then(|| (*entered + Duration::days(60)).min(today).to_string())),
                        created_at: Set(at(*entered)),
                        ..Default::default()
                    });
                }
                steps.push(path_step::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    file_id: Set(*id),
                    kind: Set(StepKind::Diagnosis.code().to_owned()),
                    title: Set("Diagnostic socioprofessionnel".to_owned()),
                    starts_on: Set(entered.to_string()),
                    ends_on: Set(Some((*entered + Duration::days(14)).min(today).to_string())),
                    status: Set(StepStatus::Done.code().to_owned()),
                    created_at: Set(at(*entered)),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
            path_barrier::Entity::insert_many(barriers)
                .exec_without_returning(&tx)
                .await?;
            path_step::Entity::insert_many(steps)
                .exec_without_returning(&tx)
                .await?;
            // A referral for each file's first barrier, to a service of the directory.
            let firsts: Vec<path_barrier::Model> = path_barrier::Entity::find()
                .filter(path_barrier::Column::FileId.gt(before))
                .order_by_asc(path_barrier::Column::Id)
                .all(&tx)
                .await?;
            let mut seen = std::collections::HashSet::new();
            let mut referrals = Vec::new();
            for b in firsts {
                if !seen.insert(b.file_id) {
                    continue;
                }
                let Some((service, structure)) =
                    services.get(next(services.len() as u64) as usize).copied()
                else {
                    continue;
                };
                let sent = at(trame_domain::format::parse_iso_date(&b.identified_on)
                    .unwrap_or(today)
                    + Duration::days(5));
                let state = [
                    ReferralState::Accepted,
                    ReferralState::Declined,
                    ReferralState::Sent,
                ]
                .get(next(3) as usize)
                .copied()
                .unwrap_or(ReferralState::Sent);
                let referent = plans
                    .get(ids.iter().position(|i| *i == b.file_id).unwrap_or(0))
                    .map_or(0, |p| p.2);
                referrals.push(path_referral::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    file_id: Set(b.file_id),
                    barrier_id: Set(b.id),
                    service_id: Set(service),
                    structure_id: Set(structure),
                    message: Set(String::new()),
                    sent_by: Set(referent),
                    sent_at: Set(sent),
                    state: Set(state.code().to_owned()),
                    answered_by: Set(None),
                    answered_at: Set(
                        (state != ReferralState::Sent).then(|| sent + Duration::days(3))
                    ),
                    reason: Set(if state == ReferralState::Declined {
                        "Complet pour cette session.".to_owned()
                    } else {
                        String::new()
                    }),
                    ..Default::default()
                });
            }
            if !referrals.is_empty() {
                path_referral::Entity::insert_many(referrals)
                    .exec_without_returning(&tx)
                    .await?;
            }
        }
        tx.commit().await?;
        self.cache.forget_pathways(Some(scope.territory_id()));
        Ok(written)
    }
}
