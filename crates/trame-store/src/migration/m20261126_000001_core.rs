//! The platform core: territories, communes, people, memberships, sessions, the audit
//! journal (append-only, enforced by triggers on both backends), the access log and the
//! job runner's tables.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(from: &str, col: &str, to: &str, cascade: bool) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.name(format!("fk_{from}_{col}"))
        .from(a(from), a(col))
        .to(a(to), a("id"));
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    }
    f
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("territory"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("slug"), 40))
                .col(string(a("name")))
                .col(string_len(a("siren"), 9))
                .col(string_len(a("departement"), 3))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("commune"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("territory_id")))
                .col(string_len(a("code_insee"), 5))
                .col(string(a("name")))
                .col(big_integer(a("population")))
                .col(double(a("lat")))
                .col(double(a("lon")))
                .foreign_key(&mut fk("commune", "territory_id", "territory", true))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_commune_territory_code")
                .table(a("commune"))
                .col(a("territory_id"))
                .col(a("code_insee"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("person"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("email"), 254))
                .col(string(a("display_name")))
                .col(string(a("password_hash")))
                .col(integer(a("failed_logins")).default(0))
                .col(timestamp_with_time_zone_null(a("locked_until")))
                .col(boolean(a("disabled")).default(false))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("membership"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("territory_id")))
                .col(big_integer(a("person_id")))
                .col(string_len(a("role"), 40))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("membership", "territory_id", "territory", true))
                .foreign_key(&mut fk("membership", "person_id", "person", true))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_membership_territory_person_role")
                .table(a("membership"))
                .col(a("territory_id"))
                .col(a("person_id"))
                .col(a("role"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_membership_person")
                .table(a("membership"))
                .col(a("person_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("session"))
                .col(string_len(a("token_hash"), 64).primary_key())
                .col(big_integer(a("person_id")))
                .col(big_integer_null(a("current_territory_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("last_seen_at")))
                .foreign_key(&mut fk("session", "person_id", "person", true))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_session_person")
                .table(a("session"))
                .col(a("person_id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("audit_chain_head"))
                .col(string_len(a("chain"), 64).primary_key())
                .col(big_integer(a("seq")))
                .col(string_len(a("hash"), 64))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("audit_event"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("chain"), 64))
                .col(big_integer(a("seq")))
                .col(timestamp_with_time_zone(a("occurred_at")))
                .col(big_integer_null(a("actor_id")))
                .col(big_integer_null(a("territory_id")))
                .col(string_len(a("action"), 80))
                .col(string_len(a("object_type"), 60))
                .col(string_len(a("object_id"), 80))
                .col(string_len(a("prev_hash"), 64))
                .col(string_len(a("hash"), 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_audit_event_chain_seq")
                .table(a("audit_event"))
                .col(a("chain"))
                .col(a("seq"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_event_territory")
                .table(a("audit_event"))
                .col(a("territory_id"))
                .col(a("id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("access_log"))
                .col(big_pk_auto(a("id")))
                .col(timestamp_with_time_zone(a("occurred_at")))
                .col(big_integer(a("actor_id")))
                .col(big_integer_null(a("territory_id")))
                .col(string_len(a("operation"), 80))
                .col(string_len(a("data_ref"), 120))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_access_log_occurred")
                .table(a("access_log"))
                .col(a("occurred_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("job_lease"))
                .col(string_len(a("name"), 40).primary_key())
                .col(string_len(a("holder"), 80))
                .col(timestamp_with_time_zone(a("expires_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("job_run"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("job"), 60))
                .col(string_len(a("period_key"), 40))
                .col(timestamp_with_time_zone(a("started_at")))
                .col(timestamp_with_time_zone_null(a("finished_at")))
                .col(string_null(a("outcome")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_job_run_job_period")
                .table(a("job_run"))
                .col(a("job"))
                .col(a("period_key"))
                .unique()
                .to_owned(),
        )
        .await?;

        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO audit_chain_head (chain, seq, hash) VALUES ('{}', 0, '{}')",
            trame_domain::audit::PLATFORM_CHAIN,
            trame_domain::audit::GENESIS_HASH
        ))
        .await?;
        match m.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION trame_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN RAISE EXCEPTION 'audit journal is append-only'; END $$;",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
                     FOR EACH ROW EXECUTE FUNCTION trame_audit_append_only();",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
                     FOR EACH STATEMENT EXECUTE FUNCTION trame_audit_append_only();",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                     BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                     BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the core migration cannot be reverted: it holds the audit journal".into(),
        ))
    }
}
