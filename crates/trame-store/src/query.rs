//! Reading one row without a bound `LIMIT`.
//!
//! SeaORM's `one()` sends `LIMIT ?` with 1 as a bound value. SQLite (3.45 and later)
//! looks at a bound LIMIT when it plans the statement, and so marks the statement to be
//! parsed and planned again each time a value is bound: every `one()` was re-prepared on
//! every call, although the statement cache held it (measured on the instructors' list: a
//! twelfth of the database thread's time went to re-preparing). [`First::first`] writes the
//! `LIMIT 1` into the SQL text instead, so the prepared statement is reused.

use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Select, Selector, SelectorTrait,
};

/// `LIMIT n` written into the statement's text, before a row lock if there is one.
pub(crate) fn with_limit(mut sql: String, limit: u64, offset: u64) -> String {
    let clause = if offset > 0 {
        format!(" LIMIT {limit} OFFSET {offset}")
    } else {
        format!(" LIMIT {limit}")
    };
    match sql.rfind(" FOR UPDATE") {
        Some(at) => sql.insert_str(at, &clause),
        None => sql.push_str(&clause),
    }
    sql
}

/// The first row of a query, as `one()` gives it, with a literal `LIMIT 1`.
pub(crate) trait First {
    /// What a row reads as.
    type Item;
    /// The first row, if any.
    async fn first<C: ConnectionTrait>(self, db: &C) -> Result<Option<Self::Item>, DbErr>;
}

impl<S: SelectorTrait> First for Selector<S> {
    type Item = S::Item;

    async fn first<C: ConnectionTrait>(self, db: &C) -> Result<Option<S::Item>, DbErr> {
        let mut stmt = self.into_statement(db.get_database_backend());
        stmt.sql = with_limit(stmt.sql, 1, 0);
        match db.query_one_raw(stmt).await? {
            Some(row) => Ok(Some(S::from_raw_query_result(row)?)),
            None => Ok(None),
        }
    }
}

impl<E> First for Select<E>
where
    E: EntityTrait,
    E::Model: FromQueryResult,
{
    type Item = E::Model;

    async fn first<C: ConnectionTrait>(self, db: &C) -> Result<Option<E::Model>, DbErr> {
        self.into_model::<E::Model>().first(db).await
    }
}

#[cfg(test)]
mod tests {
    use super::with_limit;

    #[test]
    fn the_limit_goes_before_a_row_lock() {
        assert_eq!(
            with_limit("SELECT a FROM t".into(), 1, 0),
            "SELECT a FROM t LIMIT 1"
        );
        assert_eq!(
            with_limit("SELECT a FROM t WHERE b = $1 FOR UPDATE".into(), 1, 0),
            "SELECT a FROM t WHERE b = $1 LIMIT 1 FOR UPDATE"
        );
        assert_eq!(
            with_limit("SELECT a FROM t ORDER BY a".into(), 50, 100),
            "SELECT a FROM t ORDER BY a LIMIT 50 OFFSET 100"
        );
    }
}
