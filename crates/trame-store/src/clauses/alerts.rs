//! The weekly alert of insertion clauses: every contract behind its pace, ending within
//! 60 days short of its target, or ended short within the last 60 days. The territory's
//! facilitators get one digest; each awardee's members get the lines of their own
//! contracts. Runs in the job runner's transaction, journaled once per territory.

use crate::audit::journal;
use crate::entities::{clause_contract, organisation_member, person, territory};
use crate::funding::awards::paris_day;
use crate::outbox::{NewEmail, emails_of_roles, queue};
use crate::{Scope, StoreError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::clauses::hours::hours_label;
use trame_domain::clauses::progress::{ENDING_SOON_DAYS, Progress};
use trame_domain::format::{french_date, parse_iso_date};
use trame_domain::role::Role;

/// Sends the week's alerts; returns how many contracts were in alert.
pub(crate) async fn alert_contracts<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let today = paris_day(now);
    let since = (today - Duration::days(ENDING_SOON_DAYS)).to_string();
    let contracts = clause_contract::Entity::find()
        .filter(clause_contract::Column::EndsOn.gte(since))
        .order_by_asc(clause_contract::Column::TerritoryId)
        .order_by_asc(clause_contract::Column::EndsOn)
        .all(tx)
        .await?;
    let mut by_territory: BTreeMap<i64, Vec<clause_contract::Model>> = BTreeMap::new();
    for c in contracts {
        by_territory.entry(c.territory_id).or_default().push(c);
    }
    let mut n = 0;
    for (territory_id, contracts) in by_territory {
        let scope = Scope { territory_id };
        let mut alerted: Vec<(clause_contract::Model, Progress)> = Vec::new();
        for c in contracts {
            let (Some(starts), Some(ends)) =
                (parse_iso_date(&c.notified_on), parse_iso_date(&c.ends_on))
            else {
                continue;
            };
            let p = Progress::of(
                c.target_hours,
                c.done_tenths,
                c.pending_tenths,
                starts,
                ends,
                today,
            );
            if p.status.is_alert() {
                alerted.push((c, p));
            }
        }
        if alerted.is_empty() {
            continue;
        }
        let slug = territory::Entity::find_by_id(territory_id)
            .one(tx)
            .await?
            .map(|t| t.slug)
            .unwrap_or_default();
        let line = |c: &clause_contract::Model, p: &Progress| {
            format!(
                "- {} « {} » ({}) : {} — {} réalisées sur {} h, {} % de la durée écoulée, fin le {}",
                c.reference,
                c.object,
                c.awardee_name,
                p.status.label(),
                hours_label(p.done_tenths),
                c.target_hours,
                p.elapsed_percent,
                parse_iso_date(&c.ends_on).map_or_else(|| c.ends_on.clone(), french_date),
            )
        };
        // The digest names the first 200; the list page has them all.
        let mut digest: Vec<String> = alerted.iter().take(200).map(|(c, p)| line(c, p)).collect();
        if alerted.len() > 200 {
            digest.push(format!("… et {} autres.", alerted.len() - 200));
        }
        for to in emails_of_roles(tx, scope, &[Role::Facilitator]).await? {
            queue(
                tx,
                now,
                None,
                NewEmail {
                    territory_id: Some(territory_id),
                    to: &to,
                    subject: format!("Clauses d'insertion : {} marché(s) à suivre", alerted.len()),
                    body: format!(
                        "Bonjour,\n\nCes marchés demandent votre attention cette semaine :\n{}\n\nLa liste : /{slug}/clauses\n",
                        digest.join("\n")
                    ),
                },
            )
            .await?;
        }
        // Each awardee hears of its own contracts.
        let mut by_org: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (c, p) in &alerted {
            if let Some(org) = c.awardee_org_id {
                by_org.entry(org).or_default().push(line(c, p));
            }
        }
        for (org, lines) in by_org {
            let members: Vec<i64> = organisation_member::Entity::find()
                .filter(organisation_member::Column::OrganisationId.eq(org))
                .all(tx)
                .await?
                .into_iter()
                .map(|m| m.person_id)
                .collect();
            let emails: Vec<String> = person::Entity::find()
                .filter(person::Column::Id.is_in(members))
                .filter(person::Column::Disabled.eq(false))
                .all(tx)
                .await?
                .into_iter()
                .map(|p| p.email)
                .collect();
            for to in emails {
                queue(
                    tx,
                    now,
                    None,
                    NewEmail {
                        territory_id: Some(territory_id),
                        to: &to,
                        subject: "Vos heures d'insertion : marché(s) à suivre".into(),
                        body: format!(
                            "Bonjour,\n\nOù en sont vos marchés avec clause d'insertion :\n{}\n\nDéclarez vos heures chaque mois : /{slug}/mes-marches\n",
                            lines.join("\n")
                        ),
                    },
                )
                .await?;
            }
        }
        // One journal entry per territory and week: the job's run is the state change.
        journal(
            tx,
            now,
            None,
            scope,
            action::CLAUSE_ALERT,
            "territory",
            territory_id,
        )
        .await?;
        n += u64::try_from(alerted.len()).unwrap_or(0);
    }
    Ok(n)
}
