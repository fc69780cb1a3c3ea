//! The demo's two employment forums: one forty days ago (registrations from the pathways
//! and online, check-ins, interviews and hires) and one in six weeks, 20 employers each.

use super::{EMPLOYERS, FIRST, LAST, at, pick, siret_from};
use crate::audit::journal;
use crate::entities::{forum_offer, forum_registration, forum_result};
use crate::forums::{insert_employer, insert_forum};
use crate::{Scope, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::format::paris_day;
use trame_domain::identifiers::Siret;
use trame_domain::pathways::forum::{Employer, Forum, ResultKind};

/// Writes the two forums in `tx`; `files` are the demo's pathway files (id, first name,
/// last name, commune), some of whom their counsellor (`partner`) registers.
pub(super) async fn seed<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    scope: Scope,
    partner: i64,
    communes: &[String],
    files: &[(i64, String, String, String)],
) -> Result<(), StoreError> {
    let today = paris_day(now);
    // Two forums: one forty days ago, one in six weeks, 20 employers each.
    let mut forum_ids = Vec::new();
    for (k, (title, held_on, theme, capacity)) in [
        (
            "Forum de l'emploi de l'automne",
            today - Duration::days(40),
            "Métiers du soin, de la propreté et de la logistique",
            150,
        ),
        (
            "Forum de l'emploi d'hiver",
            today + Duration::days(42),
            "Clauses d'insertion du BTP et des services",
            200,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let forum = Forum {
            title: title.to_owned(),
            held_on,
            place: pick(
                &[
                    "Maison des syndicats, 11 rue des Archives",
                    "Espace Jean-Marie Poirier, 1 esplanade du 18 juin 1940",
                ],
                k,
            )
            .to_owned(),
            commune: pick(&["94028", "94071"], k).to_owned(),
            theme: theme.to_owned(),
            capacity,
        };
        let id = insert_forum(tx, now, None, scope, &forum, true).await?;
        let mut employers = Vec::new();
        for (n, (name, job, contract)) in EMPLOYERS.iter().enumerate() {
            let e = Employer {
                name: (*name).to_owned(),
                siret: Siret::parse(&siret_from(4_410_000_000_000 + n as u64 * 1_000 + k as u64))
                    .map_err(|e| StoreError::Internal(e.message))?,
            };
            let eid = insert_employer(tx, now, None, scope, id, &e).await?;
            let o = forum_offer::ActiveModel {
                territory_id: Set(scope.territory_id()),
                forum_id: Set(id),
                employer_id: Set(eid),
                title: Set((*job).to_owned()),
                contract: Set((*contract).to_owned()),
                positions: Set(1 + (n % 4) as i32),
                clause_contract_id: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            journal(
                tx,
                now,
                None,
                scope,
                action::FORUM_OFFER_CREATE,
                "forum_offer",
                o.id,
            )
            .await?;
            employers.push((eid, o.id));
        }
        forum_ids.push((id, held_on, employers));
    }
    // Registrations: pathway participants and people registered online.
    for (k, (forum_id, held_on, employers)) in forum_ids.iter().enumerate() {
        let past = *held_on < today;
        let count = if past { 90 } else { 35 };
        for n in 0..count {
            let from_file = files
                .get((n / 3 + k * 7) % files.len())
                .filter(|_| n % 3 == 0);
            let (first, last, commune, file) = match from_file {
                Some((fid, f, l, c)) => (f.clone(), l.clone(), Some(c.clone()), Some(*fid)),
                None => (
                    FIRST
                        .get((n + 5) % FIRST.len())
                        .copied()
                        .unwrap_or("Alex")
                        .to_owned(),
                    LAST.get((n + 3) % LAST.len())
                        .copied()
                        .unwrap_or("Martin")
                        .to_owned(),
                    communes.get(n % communes.len().max(1)).cloned(),
                    None,
                ),
            };
            let registered_at = at(*held_on - Duration::days(10 + (n % 15) as i64)).min(now);
            let reg = forum_registration::ActiveModel {
                territory_id: Set(scope.territory_id()),
                forum_id: Set(*forum_id),
                first_name: Set(first),
                last_name: Set(last),
                email: Set(file.is_none().then(|| format!("inscrit{k}-{n}@exemple.fr"))),
                phone: Set(String::new()),
                commune_code: Set(commune),
                path_file_id: Set(file),
                registered_by: Set(file.map(|_| partner)),
                registered_at: Set(registered_at),
                checked_in_at: Set((past && n % 4 != 3).then(|| at(*held_on))),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            journal(
                tx,
                now,
                None,
                scope,
                action::FORUM_REGISTER,
                "forum_registration",
                reg.id,
            )
            .await?;
            if past && n % 4 != 3 && n % 3 != 2 {
                let (eid, oid) = employers
                    .get(n % employers.len())
                    .copied()
                    .unwrap_or_default();
                let kind = if n % 5 == 0 {
                    ResultKind::Hire
                } else {
                    ResultKind::Interview
                };
                let res = forum_result::ActiveModel {
                    territory_id: Set(scope.territory_id()),
                    forum_id: Set(*forum_id),
                    registration_id: Set(reg.id),
                    employer_id: Set(eid),
                    offer_id: Set(Some(oid)),
                    kind: Set(kind.code().to_owned()),
                    recorded_by: Set(partner),
                    recorded_at: Set(at(*held_on + Duration::days(7))),
                    ..Default::default()
                }
                .insert(tx)
                .await?;
                journal(
                    tx,
                    now,
                    None,
                    scope,
                    action::FORUM_RESULT,
                    "forum_result",
                    res.id,
                )
                .await?;
            }
        }
        crate::entities::forum::Entity::update_many()
            .col_expr(
                crate::entities::forum::Column::Registered,
                sea_orm::sea_query::Expr::value(count as i32),
            )
            .filter(crate::entities::forum::Column::Id.eq(*forum_id))
            .exec(tx)
            .await?;
    }
    Ok(())
}
