//! Backups of an embedded (SQLite) deployment and the content digest that proves a
//! restored database identical to its backup.
//!
//! `VACUUM INTO` writes a consistent copy of the database while it keeps serving (it reads
//! one snapshot; writers carry on in the WAL). Logos are stored in the database, so the
//! copy holds every file of the deployment. PostgreSQL deployments use `pg_dump` and
//! `pg_restore` (see ARCHITECTURE.md, "Backup and restore").

use crate::entities::*;
use crate::{Backend, Store, StoreError};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use sha2::{Digest, Sha256};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of the SQLite database to `target`, which must not exist.
    pub async fn backup_sqlite(&self, target: &Path) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::Config(
                "la sauvegarde intégrée concerne SQLite ; pour PostgreSQL, utilisez pg_dump (voir ARCHITECTURE.md)".into(),
            ));
        }
        if target.exists() {
            return Err(StoreError::Config(format!(
                "{} existe déjà : choisissez un autre fichier",
                target.display()
            )));
        }
        let path = target.to_str().ok_or_else(|| {
            StoreError::Config("le chemin de la sauvegarde doit être en UTF-8".into())
        })?;
        self.db
            .execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
            .await?;
        Ok(())
    }

    /// Checks the database file's integrity (`PRAGMA integrity_check`), for restores.
    pub async fn integrity_check(&self) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return Ok(());
        }
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                "PRAGMA integrity_check",
            ))
            .await?
            .ok_or_else(|| StoreError::Internal("integrity_check returned nothing".into()))?;
        let verdict: String = row.try_get_by_index(0)?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Config(format!(
                "la base est endommagée : {verdict}"
            )))
        }
    }

    /// A SHA-256 over the content of every table, read in primary-key order: two
    /// databases with the same digest hold the same data.
    pub async fn content_digest(&self) -> Result<String, StoreError> {
        let mut h = Sha256::new();
        macro_rules! table {
            ($m:ident, $col:expr) => {{
                let rows = $m::Entity::find().order_by_asc($col).all(&self.db).await?;
                h.update(format!("{}:{:?}\n", stringify!($m), rows).as_bytes());
            }};
        }
        table!(territory, territory::Column::Id);
        table!(commune, commune::Column::Id);
        table!(person, person::Column::Id);
        table!(membership, membership::Column::Id);
        table!(session, session::Column::TokenHash);
        table!(audit_chain_head, audit_chain_head::Column::Chain);
        table!(audit_event, audit_event::Column::Id);
        table!(access_log, access_log::Column::Id);
        table!(job_lease, job_lease::Column::Name);
        table!(job_run, job_run::Column::Id);
        table!(organisation, organisation::Column::Id);
        table!(organisation_member, organisation_member::Column::Id);
        table!(invitation, invitation::Column::Id);
        table!(outbox_email, outbox_email::Column::Id);
        table!(api_token, api_token::Column::Id);
        table!(person_identity, person_identity::Column::Id);
        table!(oidc_login, oidc_login::Column::StateHash);
        table!(territory_logo, territory_logo::Column::TerritoryId);
        table!(scheme, scheme::Column::Id);
        table!(edition, edition::Column::Id);
        table!(edition_envelope, edition_envelope::Column::Id);
        table!(edition_criterion, edition_criterion::Column::Id);
        table!(dossier, dossier::Column::Id);
        table!(dossier_commune, dossier_commune::Column::Id);
        table!(attachment, attachment::Column::Id);
        table!(dossier_message, dossier_message::Column::Id);
        table!(commune_referent, commune_referent::Column::Id);
        table!(opinion_request, opinion_request::Column::Id);
        table!(review, review::Column::Id);
        table!(review_score, review_score::Column::Id);
        table!(scenario, scenario::Column::Id);
        table!(scenario_line, scenario_line::Column::Id);
        table!(attachment_blob, attachment_blob::Column::AttachmentId);
        table!(dossier_text, dossier_text::Column::DossierId);
        table!(award, award::Column::Id);
        table!(payment, payment::Column::Id);
        table!(award_year, award_year::Column::Id);
        table!(award_indicator, award_indicator::Column::Id);
        table!(award_report, award_report::Column::Id);
        table!(staff_token, staff_token::Column::Id);
        table!(dir_structure, dir_structure::Column::Id);
        table!(dir_service, dir_service::Column::Id);
        table!(dir_code, dir_code::Column::Id);
        table!(dir_revision, dir_revision::Column::Id);
        table!(interest_deliberation, interest_deliberation::Column::Id);
        table!(interest_document, interest_document::Column::Id);
        table!(interest_policy, interest_policy::Column::Id);
        table!(showcase_project, showcase_project::Column::Id);
        table!(commune_outline, commune_outline::Column::Id);
        table!(idempotency_key, idempotency_key::Column::KeyHash);
        table!(clause_buyer, clause_buyer::Column::Id);
        table!(clause_operation, clause_operation::Column::Id);
        table!(clause_contract, clause_contract::Column::Id);
        table!(clause_person, clause_person::Column::Id);
        table!(clause_hours, clause_hours::Column::Id);
        table!(clause_outcome, clause_outcome::Column::Id);
        table!(clause_trade, clause_trade::Column::Id);
        table!(clause_setting, clause_setting::Column::Id);
        table!(clause_tally_person, clause_tally_person::Column::Id);
        table!(clause_tally_month, clause_tally_month::Column::Id);
        table!(acc_cohort, acc_cohort::Column::Id);
        table!(acc_call, acc_call::Column::Id);
        table!(acc_jury, acc_jury::Column::Id);
        table!(acc_application, acc_application::Column::Id);
        table!(acc_score, acc_score::Column::Id);
        table!(acc_project, acc_project::Column::Id);
        table!(acc_stage_change, acc_stage_change::Column::Id);
        table!(acc_session, acc_session::Column::Id);
        table!(acc_workshop, acc_workshop::Column::Id);
        table!(acc_attendance, acc_attendance::Column::Id);
        table!(acc_milestone, acc_milestone::Column::Id);
        table!(acc_outcome, acc_outcome::Column::Id);
        table!(acc_participant, acc_participant::Column::Id);
        table!(path_file, path_file::Column::Id);
        table!(path_share, path_share::Column::Id);
        table!(path_barrier, path_barrier::Column::Id);
        table!(path_step, path_step::Column::Id);
        table!(path_referral, path_referral::Column::Id);
        table!(path_elimination, path_elimination::Column::Id);
        table!(forum, forum::Column::Id);
        table!(forum_employer, forum_employer::Column::Id);
        table!(forum_offer, forum_offer::Column::Id);
        table!(forum_registration, forum_registration::Column::Id);
        table!(forum_result, forum_result::Column::Id);
        Ok(hex::encode(h.finalize()))
    }
}
