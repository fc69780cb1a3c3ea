//! Territory administration: branding and the awarding body's SIRET on the territory,
//! postal codes and SIREN on communes (whose centroids become optional: the official list
//! has none), organisations and their members, invitations, the email outbox, and the
//! deactivation of a membership.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(from: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.name(format!("fk_{from}_{col}"))
        .from(a(from), a(col))
        .to(a(to), a("id"))
        .on_delete(ForeignKeyAction::Cascade);
    f
}

async fn add_column(m: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    let mut col = col;
    m.alter_table(
        Table::alter()
            .table(a(table))
            .add_column(&mut col)
            .to_owned(),
    )
    .await
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            m,
            "territory",
            string_len(a("primary_color"), 7)
                .default("#1d4f7a")
                .to_owned(),
        )
        .await?;
        add_column(m, "territory", string_len_null(a("awarding_siret"), 14)).await?;
        add_column(m, "territory", blob_null(a("logo"))).await?;
        add_column(m, "territory", string_len_null(a("logo_mime"), 40)).await?;
        add_column(
            m,
            "membership",
            timestamp_with_time_zone_null(a("disabled_at")),
        )
        .await?;

        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE commune ALTER COLUMN lat DROP NOT NULL,
                       ALTER COLUMN lon DROP NOT NULL,
                       ADD COLUMN siren varchar(9) NULL,
                       ADD COLUMN postal_codes varchar(200) NOT NULL DEFAULT ''",
                )
                .await?;
            }
            _ => {
                // SQLite cannot relax NOT NULL in place: rebuild the table.
                db.execute_unprepared(
                    "CREATE TABLE commune_new (
                       id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
                       territory_id bigint NOT NULL REFERENCES territory (id) ON DELETE CASCADE,
                       code_insee varchar(5) NOT NULL,
                       name varchar NOT NULL,
                       population bigint NOT NULL,
                       lat double NULL,
                       lon double NULL,
                       siren varchar(9) NULL,
                       postal_codes varchar(200) NOT NULL DEFAULT ''
                     );
                     INSERT INTO commune_new (id, territory_id, code_insee, name, population, lat, lon)
                       SELECT id, territory_id, code_insee, name, population, lat, lon FROM commune;
                     DROP TABLE commune;
                     ALTER TABLE commune_new RENAME TO commune;
                     CREATE UNIQUE INDEX ux_commune_territory_code ON commune (territory_id, code_insee);",
                )
                .await?;
            }
        }

        m.create_table(
            Table::create()
                .table(a("organisation"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("territory_id")))
                .col(string(a("name")))
                .col(string_len_null(a("siret"), 14))
                .col(string_len_null(a("rna"), 10))
                .col(string_len(a("legal_form"), 40))
                .col(string_len_null(a("siae_kind"), 10))
                .col(date_null(a("esus_approved_on")))
                .col(string(a("address")).default(""))
                .col(string_len_null(a("commune_code"), 5))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("organisation", "territory_id", "territory"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_organisation_territory_siret",
            "organisation",
            &["territory_id", "siret"],
            true,
        )
        .await?;
        index(
            m,
            "ux_organisation_territory_rna",
            "organisation",
            &["territory_id", "rna"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("organisation_member"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("territory_id")))
                .col(big_integer(a("organisation_id")))
                .col(big_integer(a("person_id")))
                .col(boolean(a("manager")).default(false))
                .col(boolean(a("hosted_entrepreneur")).default(false))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk(
                    "organisation_member",
                    "organisation_id",
                    "organisation",
                ))
                .foreign_key(&mut fk("organisation_member", "person_id", "person"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_organisation_member",
            "organisation_member",
            &["organisation_id", "person_id"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("invitation"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("territory_id")))
                .col(string_len(a("email"), 254))
                .col(string_len(a("role"), 40))
                .col(big_integer_null(a("organisation_id")))
                .col(string_len_uniq(a("token_hash"), 64))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("accepted_at")))
                .col(timestamp_with_time_zone_null(a("revoked_at")))
                .foreign_key(&mut fk("invitation", "territory_id", "territory"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_invitation_territory",
            "invitation",
            &["territory_id", "id"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("outbox_email"))
                .col(big_pk_auto(a("id")))
                .col(big_integer_null(a("territory_id")))
                .col(string_len(a("recipient"), 254))
                .col(string(a("subject")))
                .col(text(a("body")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("sent_at")))
                .col(string_null(a("last_error")))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_outbox_territory",
            "outbox_email",
            &["territory_id", "id"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("migrations are append-only".into()))
    }
}
