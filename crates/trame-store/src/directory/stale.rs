//! The daily flag of services not updated for twelve months: each published service whose
//! `date_maj` is more than a year old, and not yet flagged, is flagged once. Its structure
//! is told (at the structure's email), and the territory's agents get one message listing
//! the services flagged that day. A later update clears the flag.

use super::Status;
use crate::audit::{self, Entry};
use crate::entities::{dir_service, dir_structure, territory};
use crate::funding::awards::paris_day;
use crate::outbox::{NewEmail, queue};
use crate::{Scope, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use trame_domain::audit::action;
use trame_domain::role::Role;

/// Flags the stale services of every territory; returns how many were flagged.
pub(crate) async fn flag_stale_services<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let today = paris_day(now);
    let before = today
        .replace_year(today.year() - 1)
        .unwrap_or(today)
        .to_string();
    let rows = dir_service::Entity::find()
        .filter(dir_service::Column::Status.eq(Status::Publie.as_str()))
        .filter(dir_service::Column::DateMaj.lt(before))
        .filter(dir_service::Column::StaleNotifiedAt.is_null())
        .order_by_asc(dir_service::Column::TerritoryId)
        .order_by_asc(dir_service::Column::StructureId)
        .all(tx)
        .await?;
    let mut by_territory: BTreeMap<i64, Vec<dir_service::Model>> = BTreeMap::new();
    for r in rows {
        by_territory.entry(r.territory_id).or_default().push(r);
    }
    let mut n = 0;
    for (territory_id, services) in by_territory {
        let scope = Scope { territory_id };
        let slug = territory::Entity::find_by_id(territory_id)
            .one(tx)
            .await?
            .map(|t| t.slug)
            .unwrap_or_default();
        let mut lines = Vec::new();
        let mut by_structure: BTreeMap<i64, Vec<&dir_service::Model>> = BTreeMap::new();
        for s in &services {
            by_structure.entry(s.structure_id).or_default().push(s);
            lines.push(format!(
                "- {} (mis à jour le {}) : /{slug}/admin/annuaire/services/{}",
                s.nom, s.date_maj, s.id
            ));
        }
        for (structure_id, list) in by_structure {
            let Some(st) = dir_structure::Entity::find_by_id(structure_id)
                .one(tx)
                .await?
            else {
                continue;
            };
            let email =
                serde_json::from_str::<trame_domain::directory::record::Structure>(&st.record)
                    .ok()
                    .and_then(|r| r.courriel);
            if let Some(to) = email {
                let names: Vec<String> = list.iter().map(|s| format!("- {}", s.nom)).collect();
                queue(
                    tx,
                    now,
                    None,
                    NewEmail {
                        territory_id: Some(territory_id),
                        to: &to,
                        subject: format!("Vos services dans l'annuaire — {}", st.nom),
                        body: format!(
                            "Bonjour,\n\nLes services suivants de {} n'ont pas été mis à jour depuis plus d'un an dans l'annuaire du territoire :\n{}\n\nMerci de vérifier qu'ils sont toujours proposés et de signaler les changements au territoire, pour que les habitants et les professionnels trouvent une information juste.\n",
                            st.nom,
                            names.join("\n")
                        ),
                    },
                )
                .await?;
            }
        }
        for to in
            crate::outbox::emails_of_roles(tx, scope, &[Role::Agent, Role::TerritoryAdmin]).await?
        {
            queue(
                tx,
                now,
                None,
                NewEmail {
                    territory_id: Some(territory_id),
                    to: &to,
                    subject: format!("{} service(s) de l'annuaire à mettre à jour", services.len()),
                    body: format!(
                        "Bonjour,\n\nCes services publiés n'ont pas été mis à jour depuis plus d'un an ; leurs structures ont été prévenues.\n{}\n\nLa liste complète : /{slug}/admin/annuaire?ancien=1\n",
                        lines.join("\n")
                    ),
                },
            )
            .await?;
        }
        for s in &services {
            dir_service::Entity::update_many()
                .col_expr(dir_service::Column::StaleNotifiedAt, Expr::value(Some(now)))
                .filter(dir_service::Column::Id.eq(s.id))
                .exec(tx)
                .await?;
            audit::record(
                tx,
                now,
                Entry::territory(
                    None,
                    territory_id,
                    action::DIR_SERVICE_STALE,
                    "dir_service",
                    s.id,
                ),
            )
            .await?;
            n += 1;
        }
    }
    Ok(n)
}
