//! Helpers shared by the migrations from Funding I on.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// Creates a territory-owned table: `id`, `territory_id` (cascading from the territory),
/// the given columns, and foreign keys `(column, table)` that cascade too.
pub(super) async fn owned(
    m: &SchemaManager<'_>,
    name: &str,
    cols: Vec<ColumnDef>,
    fks: &[(&str, &str)],
) -> Result<(), DbErr> {
    let mut t = Table::create();
    t.table(a(name))
        .col(big_pk_auto(a("id")))
        .col(big_integer(a("territory_id")));
    for mut c in cols {
        t.col(&mut c);
    }
    for (col, to) in [("territory_id", "territory")].iter().chain(fks) {
        t.foreign_key(
            ForeignKey::create()
                .name(format!("fk_{name}_{col}"))
                .from(a(name), a(col))
                .to(a(to), a("id"))
                .on_delete(ForeignKeyAction::Cascade),
        );
    }
    m.create_table(t.to_owned()).await
}

pub(super) async fn index(
    m: &SchemaManager<'_>,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(format!(
        "{}_{table}_{}",
        if unique { "ux" } else { "ix" },
        cols.join("_")
    ))
    .table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}
