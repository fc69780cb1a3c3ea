//! The applicant's side: opening a dossier, saving its draft, submitting it (and answering
//! a correction request), attachments; and the lists the instructors filter.

use super::editions::edition_in;
use super::{DossierRow, conflict, dossier_in, journal, state_of};
use crate::entities::{
    attachment, attachment_blob, dossier, dossier_commune, dossier_message, organisation,
    organisation_member,
};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    FromQueryResult, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, RelationTrait,
};
use sha2::{Digest, Sha256};
use trame_domain::audit::action;
use trame_domain::format::paris_datetime;
use trame_domain::funding::attachment::{LASTING_KINDS, MAX_BYTES};
use trame_domain::funding::dossier::{DossierContent, DossierForm, State, Transition};

pub use crate::entities::attachment::Model as AttachmentRow;

/// The organisations a person acts for, in the territory.
pub(crate) async fn organisations_of<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    person_id: i64,
) -> Result<Vec<i64>, StoreError> {
    Ok(organisation_member::Entity::find()
        .filter(organisation_member::Column::TerritoryId.eq(scope.territory_id()))
        .filter(organisation_member::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.organisation_id)
        .collect())
}

/// A dossier of one of the person's organisations, inside a transaction; `NotFound` for
/// anyone else's.
async fn applicant_dossier_in<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    person_id: i64,
    id: i64,
) -> Result<DossierRow, StoreError> {
    let row = dossier_in(tx, scope, id).await?;
    if organisations_of(tx, scope, person_id)
        .await?
        .contains(&row.organisation_id)
    {
        Ok(row)
    } else {
        Err(StoreError::NotFound)
    }
}

/// What describes an attachment besides its bytes.
struct NewAttachment<'a> {
    kind: &'a str,
    filename: &'a str,
    mime: &'a str,
}

/// Writes an attachment's record, its bytes and its journal entry, inside the caller's
/// transaction: no file without its record.
async fn insert_attachment<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    person_id: i64,
    scope: Scope,
    dossier_id: i64,
    meta: NewAttachment<'_>,
    bytes: Vec<u8>,
) -> Result<AttachmentRow, StoreError> {
    let a = attachment::ActiveModel {
        territory_id: Set(scope.territory_id()),
        dossier_id: Set(dossier_id),
        kind: Set(meta.kind.to_owned()),
        filename: Set(meta.filename.to_owned()),
        mime: Set(meta.mime.to_owned()),
        size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(hex::encode(Sha256::digest(&bytes))),
        uploaded_by: Set(Some(person_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    // Without RETURNING: the bytes are not read back.
    attachment_blob::Entity::insert(attachment_blob::ActiveModel {
        attachment_id: Set(a.id),
        bytes: Set(bytes),
    })
    .exec_without_returning(tx)
    .await?;
    journal(
        tx,
        now,
        Some(person_id),
        scope,
        action::ATTACHMENT_ADD,
        "attachment",
        a.id,
    )
    .await?;
    Ok(a)
}

/// Opens a draft for an organisation the person acts for, inside the caller's
/// transaction (see [`Store::open_dossier`]).
pub(crate) async fn open_dossier_in<C: ConnectionTrait>(
    tx: &C,
    now: time::OffsetDateTime,
    person_id: i64,
    scope: Scope,
    edition_id: i64,
    organisation_id: i64,
) -> Result<DossierRow, StoreError> {
    let ed = edition_in(tx, scope, edition_id).await?;
    if !organisations_of(tx, scope, person_id)
        .await?
        .contains(&organisation_id)
    {
        return Err(StoreError::NotFound);
    }
    if !ed.accepts_submissions(now) {
        return Err(conflict(
            "edition",
            format!(
                "Cette édition n'accepte pas de dépôt aujourd'hui (du {} au {}).",
                paris_datetime(ed.row.opens_at),
                paris_datetime(ed.row.closes_at)
            ),
        ));
    }
    let count = dossier::Entity::find()
        .filter(dossier::Column::EditionId.eq(edition_id))
        .count(tx)
        .await?;
    let reference = format!("AAP-{}-{:04}", ed.row.year, count + 1);
    let row = dossier::ActiveModel {
        territory_id: Set(scope.territory_id()),
        edition_id: Set(edition_id),
        organisation_id: Set(organisation_id),
        reference: Set(reference),
        state: Set(State::Draft.code().into()),
        title: Set(String::new()),
        requested_cents: Set(0),
        budget_cents: Set(0),
        jobs_fte_tenths: Set(0),
        envelope_code: Set(None),
        entrepreneur_id: Set(None),
        submitted_at: Set(None),
        labels: Set(String::new()),
        checklist: Set(String::new()),
        decision_cents: Set(None),
        deliberation_ref: Set(None),
        decided_at: Set(None),
        created_by: Set(Some(person_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|e| {
        StoreError::unique_as(e, "edition", "Réessayez : un autre dépôt était en cours.")
    })?;
    super::write_texts(tx, row.id, "{}".into(), None).await?;
    journal(
        tx,
        now,
        Some(person_id),
        scope,
        action::DOSSIER_CREATE,
        "dossier",
        row.id,
    )
    .await?;
    // The organisation's lasting documents, from its latest dossier.
    let previous = dossier::Entity::find()
        .filter(dossier::Column::OrganisationId.eq(organisation_id))
        .filter(dossier::Column::Id.ne(row.id))
        .order_by_desc(dossier::Column::Id)
        .first(tx)
        .await?;
    if let Some(prev) = previous {
        let lasting = attachment::Entity::find()
            .filter(attachment::Column::DossierId.eq(prev.id))
            .filter(attachment::Column::Kind.is_in(LASTING_KINDS))
            .find_also_related(attachment_blob::Entity)
            .all(tx)
            .await?;
        for (a, blob) in lasting {
            let Some(blob) = blob else { continue };
            let meta = NewAttachment {
                kind: &a.kind,
                filename: &a.filename,
                mime: &a.mime,
            };
            insert_attachment(tx, now, person_id, scope, row.id, meta, blob.bytes).await?;
        }
    }
    Ok(row)
}

/// Filters of the instructors' list.
#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    /// Edition.
    pub edition_id: Option<i64>,
    /// State code.
    pub state: Option<String>,
    /// INSEE code of a commune concerned.
    pub commune: Option<String>,
    /// Words of the title or the reference.
    pub text: Option<String>,
    /// A label.
    pub label: Option<String>,
    /// Page, from 1.
    pub page: u64,
    /// Rows per page.
    pub per_page: u64,
}

/// What a list shows of a dossier: never its content, so that sorting and paging a long
/// list moves small rows.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct DossierSummary {
    /// Id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// State code.
    pub state: String,
    /// Amount requested, cents.
    pub requested_cents: i64,
    /// Submitted at.
    pub submitted_at: Option<time::OffsetDateTime>,
    /// Labels, `|a|b|`.
    pub labels: String,
    /// Organisation's name.
    pub organisation: String,
}

/// A line of a dossier list.
#[derive(Debug, Clone)]
pub struct DossierLine {
    /// The dossier.
    pub row: DossierSummary,
    /// Its organisation's name.
    pub organisation: String,
}

/// The list's columns, with the organisation's name; `q` reads `dossier` or joins it.
fn summary_columns<E: EntityTrait>(q: sea_orm::Select<E>) -> sea_orm::Select<E> {
    use sea_orm::QuerySelect;
    q.select_only()
        .columns([
            dossier::Column::Id,
            dossier::Column::Reference,
            dossier::Column::Title,
            dossier::Column::State,
            dossier::Column::RequestedCents,
            dossier::Column::SubmittedAt,
            dossier::Column::Labels,
        ])
        .column_as(organisation::Column::Name, "organisation")
        .join(
            sea_orm::JoinType::InnerJoin,
            dossier::Relation::Organisation.def(),
        )
}

/// How many rows a query matches, counted by the database.
async fn count_rows<E: EntityTrait>(
    q: sea_orm::Select<E>,
    db: &sea_orm::DatabaseConnection,
) -> Result<u64, StoreError> {
    let n: Option<i64> = q
        .select_only()
        .column_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "n")
        .into_tuple()
        .first(db)
        .await?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

fn lines(rows: Vec<DossierSummary>) -> Vec<DossierLine> {
    rows.into_iter()
        .map(|row| DossierLine {
            organisation: row.organisation.clone(),
            row,
        })
        .collect()
}

/// The query that counts a list's rows.
enum Counter {
    Commune(sea_orm::Select<dossier_commune::Entity>),
    Dossier(sea_orm::Select<dossier::Entity>),
}

/// A page of dossiers and the count of all that match.
#[derive(Debug, Clone)]
pub struct DossierPage {
    /// The lines.
    pub lines: Vec<DossierLine>,
    /// How many match the filter.
    pub total: u64,
}

impl Store {
    /// Opens a draft for an organisation the person acts for. The edition must accept
    /// submissions; the lasting attachments (statutes, bank details) of the organisation's
    /// latest dossier are offered again by being copied.
    pub async fn open_dossier(
        &self,
        person_id: i64,
        scope: Scope,
        edition_id: i64,
        organisation_id: i64,
    ) -> Result<DossierRow, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = open_dossier_in(&tx, now, person_id, scope, edition_id, organisation_id).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The organisations a person acts for, by name.
    pub async fn person_organisations(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<crate::organisations::OrganisationRow>, StoreError> {
        let ids = organisations_of(&self.db, scope, person_id).await?;
        Ok(organisation::Entity::find()
            .filter(organisation::Column::TerritoryId.eq(scope.territory_id()))
            .filter(organisation::Column::Id.is_in(ids))
            .order_by_asc(organisation::Column::Name)
            .all(&self.db)
            .await?)
    }

    /// A dossier the person may see as an applicant (one of their organisations');
    /// `NotFound` otherwise.
    pub async fn applicant_dossier(
        &self,
        scope: Scope,
        person_id: i64,
        id: i64,
    ) -> Result<DossierRow, StoreError> {
        applicant_dossier_in(&self.db, scope, person_id, id).await
    }

    /// The dossiers of the organisations a person acts for, latest first.
    pub async fn applicant_dossiers(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<DossierLine>, StoreError> {
        let orgs = organisations_of(&self.db, scope, person_id).await?;
        let rows = summary_columns(
            dossier::Entity::find()
                .filter(dossier::Column::TerritoryId.eq(scope.territory_id()))
                .filter(dossier::Column::OrganisationId.is_in(orgs)),
        )
        .order_by_desc(dossier::Column::Id)
        .into_model::<DossierSummary>()
        .all(&self.db)
        .await?;
        Ok(lines(rows))
    }

    /// Saves the form as typed, while the applicant may edit the dossier.
    pub async fn save_draft(
        &self,
        person_id: i64,
        scope: Scope,
        id: i64,
        form: &DossierForm,
    ) -> Result<DossierRow, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = applicant_dossier_in(&tx, scope, person_id, id).await?;
        if !state_of(&row).editable_by_applicant() {
            return Err(conflict(
                "state",
                "Ce dossier est déposé : il ne peut plus être modifié.",
            ));
        }
        let json = serde_json::to_string(form).map_err(|e| StoreError::Internal(e.to_string()))?;
        let mut am = row.into_active_model();
        super::write_texts(&tx, id, json, None).await?;
        if state_of_am(&am) == State::Draft {
            am.title = Set(form.title.trim().chars().take(200).collect());
        }
        am.updated_at = Set(now);
        let row = am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(person_id),
            scope,
            action::DOSSIER_SAVE,
            "dossier",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Submits a draft (first submission, before the closing date) or answers a correction
    /// request (accepted after it), with the checked content. `answer` is the applicant's
    /// note to the instructors, for a correction.
    pub async fn submit_dossier(
        &self,
        person_id: i64,
        scope: Scope,
        id: i64,
        form: &DossierForm,
        content: &DossierContent,
        answer: &str,
    ) -> Result<DossierRow, StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = applicant_dossier_in(&tx, scope, person_id, id).await?;
        let state = state_of(&row);
        let transition = match state {
            State::Draft => Transition::Submit,
            State::CorrectionRequested => Transition::AnswerCorrection,
            _ => {
                return Err(conflict("state", "Ce dossier est déjà déposé."));
            }
        };
        if transition == Transition::Submit {
            let ed = edition_in(&tx, scope, row.edition_id).await?;
            if now > ed.row.closes_at {
                return Err(conflict(
                    "closing",
                    format!(
                        "L'appel à projets a clos le {} : un premier dépôt n'est plus possible. Contactez le service instructeur si vous pensez à une erreur.",
                        paris_datetime(ed.row.closes_at)
                    ),
                ));
            }
        }
        let next = state.apply(transition).map_err(|m| conflict("state", m))?;
        let content_json =
            serde_json::to_string(content).map_err(|e| StoreError::Internal(e.to_string()))?;
        let draft_json =
            serde_json::to_string(form).map_err(|e| StoreError::Internal(e.to_string()))?;
        let first_submission = row.submitted_at.is_none();
        let mut am = row.into_active_model();
        am.state = Set(next.code().into());
        am.title = Set(content.title.clone());
        am.requested_cents = Set(content.requested.cents());
        am.budget_cents = Set(content.budget.expenses().cents());
        am.jobs_fte_tenths = Set(content.jobs_fte_tenths);
        am.envelope_code = Set(content.envelope.clone());
        am.entrepreneur_id = Set(content.entrepreneur);
        if first_submission {
            am.submitted_at = Set(Some(now));
        }
        am.updated_at = Set(now);
        let row = am.update(&tx).await?;
        super::write_texts(&tx, id, draft_json, Some(content_json)).await?;
        dossier_commune::Entity::delete_many()
            .filter(dossier_commune::Column::DossierId.eq(id))
            .exec(&tx)
            .await?;
        for code in &content.communes {
            dossier_commune::ActiveModel {
                territory_id: Set(scope.territory_id()),
                dossier_id: Set(id),
                commune_code: Set(code.clone()),
                state: Set(row.state.clone()),
                submitted_at: Set(row.submitted_at),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        if transition == Transition::AnswerCorrection {
            let body = answer.trim();
            let m = dossier_message::ActiveModel {
                territory_id: Set(scope.territory_id()),
                dossier_id: Set(id),
                author_id: Set(Some(person_id)),
                kind: Set("reponse".into()),
                body: Set(if body.is_empty() {
                    "Dossier corrigé et déposé à nouveau.".into()
                } else {
                    body.chars().take(4000).collect()
                }),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            journal(
                &tx,
                now,
                Some(person_id),
                scope,
                action::DOSSIER_MESSAGE,
                "dossier_message",
                m.id,
            )
            .await?;
            // Communes added by the correction are consulted too.
            super::instruction::request_opinions(&tx, now, scope, &row).await?;
        }
        let act = if transition == Transition::Submit {
            action::DOSSIER_SUBMIT
        } else {
            action::DOSSIER_ANSWER_CORRECTION
        };
        journal(&tx, now, Some(person_id), scope, act, "dossier", id).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The dossiers of one organisation, latest created first.
    pub async fn organisation_dossiers(
        &self,
        scope: Scope,
        organisation_id: i64,
    ) -> Result<Vec<DossierRow>, StoreError> {
        Ok(dossier::Entity::find()
            .filter(dossier::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dossier::Column::OrganisationId.eq(organisation_id))
            .order_by_desc(dossier::Column::CreatedAt)
            .order_by_desc(dossier::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// A dossier's draft as typed, and its checked content once submitted.
    pub async fn dossier_texts(
        &self,
        scope: Scope,
        id: i64,
    ) -> Result<(DossierForm, Option<DossierContent>), StoreError> {
        dossier_in(&self.db, scope, id).await?;
        let t = crate::entities::dossier_text::Entity::find_by_id(id)
            .first(&self.db)
            .await?;
        Ok(match t {
            Some(t) => (
                serde_json::from_str(&t.draft_json).unwrap_or_default(),
                t.content_json
                    .as_deref()
                    .and_then(|j| serde_json::from_str(j).ok()),
            ),
            None => (DossierForm::default(), None),
        })
    }

    /// A dossier of the territory (for the staff and the pages that checked access).
    pub async fn dossier(&self, scope: Scope, id: i64) -> Result<DossierRow, StoreError> {
        dossier_in(&self.db, scope, id).await
    }

    /// The INSEE codes of the communes a dossier concerns.
    pub async fn dossier_communes(&self, scope: Scope, id: i64) -> Result<Vec<String>, StoreError> {
        Ok(dossier_commune::Entity::find()
            .filter(dossier_commune::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dossier_commune::Column::DossierId.eq(id))
            .order_by_asc(dossier_commune::Column::CommuneCode)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| c.commune_code)
            .collect())
    }

    /// The instructors' list: submitted dossiers (never drafts), filtered, by submission.
    ///
    /// Filtered by commune, the list reads the commune rows, which carry the dossier's
    /// state and submission time: an index gives the page in order and the count, and only
    /// the page's dossiers are read. Otherwise it reads the dossiers by the index on
    /// (territory, state, submission).
    pub async fn dossier_page(
        &self,
        scope: Scope,
        filter: &DossierFilter,
    ) -> Result<DossierPage, StoreError> {
        // Conditions on the dossier itself.
        let mut on_dossier = Condition::all();
        if let Some(e) = filter.edition_id {
            on_dossier = on_dossier.add(dossier::Column::EditionId.eq(e));
        }
        if let Some(t) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = format!("%{}%", t.replace(['%', '_'], ""));
            on_dossier = on_dossier.add(
                Condition::any()
                    .add(dossier::Column::Title.like(pattern.clone()))
                    .add(dossier::Column::Reference.like(pattern)),
            );
        }
        if let Some(l) = filter.label.as_deref().filter(|l| !l.is_empty()) {
            on_dossier = on_dossier
                .add(dossier::Column::Labels.like(format!("%|{}|%", l.replace(['%', '_'], ""))));
        }
        let per_page = filter.per_page.clamp(1, 200);
        let page = filter.page.max(1);
        let offset = (page - 1) * per_page;
        let backend = self.db.get_database_backend();
        let draft = State::Draft.code();
        let (mut stmt, count) = if let Some(c) = &filter.commune {
            use dossier_commune::Column as DC;
            let mut base = dossier_commune::Entity::find()
                .filter(DC::TerritoryId.eq(scope.territory_id()))
                .filter(DC::CommuneCode.eq(c.clone()))
                .filter(DC::State.ne(draft));
            if let Some(s) = &filter.state {
                base = base.filter(DC::State.eq(s.clone()));
            }
            let joined = base
                .clone()
                .join(
                    sea_orm::JoinType::InnerJoin,
                    dossier_commune::Relation::Dossier.def(),
                )
                .filter(dossier::Column::TerritoryId.eq(scope.territory_id()))
                .filter(on_dossier.clone());
            let stmt = summary_columns(joined.clone())
                .order_by_desc(DC::SubmittedAt)
                .order_by_desc(DC::DossierId)
                .build(backend);
            let count = if on_dossier.is_empty() {
                Counter::Commune(base)
            } else {
                Counter::Commune(joined)
            };
            (stmt, count)
        } else {
            let mut q = dossier::Entity::find()
                .filter(dossier::Column::TerritoryId.eq(scope.territory_id()))
                .filter(dossier::Column::State.ne(draft))
                .filter(on_dossier);
            if let Some(s) = &filter.state {
                q = q.filter(dossier::Column::State.eq(s.clone()));
            }
            let stmt = summary_columns(q.clone())
                .order_by_desc(dossier::Column::SubmittedAt)
                .order_by_desc(dossier::Column::Id)
                .build(backend);
            (stmt, Counter::Dossier(q))
        };
        // LIMIT and OFFSET are written into the text, not bound (see `crate::query`).
        stmt.sql = crate::query::with_limit(stmt.sql, per_page, offset);
        let rows = DossierSummary::find_by_statement(stmt)
            .all(&self.db)
            .await?;
        // A page that is neither full nor past the end is the last one: it tells the
        // count without a second statement. Otherwise the count reads the indexes.
        let shown = u64::try_from(rows.len()).unwrap_or(u64::MAX);
        let total = if (shown > 0 && shown < per_page) || (shown == 0 && page == 1) {
            offset + shown
        } else {
            match count {
                Counter::Commune(q) => count_rows(q, &self.db).await?,
                Counter::Dossier(q) => count_rows(q, &self.db).await?,
            }
        };
        Ok(DossierPage {
            lines: lines(rows),
            total,
        })
    }

    /// Adds an attachment to a dossier the applicant may still edit. The bytes and the
    /// record are written in one transaction: no file without its record.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &self,
        person_id: i64,
        scope: Scope,
        dossier_id: i64,
        kind: &str,
        filename: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Result<AttachmentRow, StoreError> {
        if bytes.len() > MAX_BYTES {
            return Err(conflict("file", "Le fichier dépasse 10 Mo."));
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = applicant_dossier_in(&tx, scope, person_id, dossier_id).await?;
        if !state_of(&row).editable_by_applicant() {
            return Err(conflict(
                "file",
                "Ce dossier est déposé : ses pièces ne peuvent plus changer.",
            ));
        }
        let meta = NewAttachment {
            kind,
            filename,
            mime,
        };
        let a = insert_attachment(&tx, now, person_id, scope, dossier_id, meta, bytes).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Removes an attachment from a dossier the applicant may still edit.
    pub async fn remove_attachment(
        &self,
        person_id: i64,
        scope: Scope,
        dossier_id: i64,
        attachment_id: i64,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = applicant_dossier_in(&tx, scope, person_id, dossier_id).await?;
        if !state_of(&row).editable_by_applicant() {
            return Err(conflict(
                "file",
                "Ce dossier est déposé : ses pièces ne peuvent plus changer.",
            ));
        }
        let res = attachment::Entity::delete_many()
            .filter(attachment::Column::Id.eq(attachment_id))
            .filter(attachment::Column::DossierId.eq(dossier_id))
            .exec(&tx)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        journal(
            &tx,
            now,
            Some(person_id),
            scope,
            action::ATTACHMENT_REMOVE,
            "attachment",
            attachment_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The attachments of a dossier, without their bytes.
    pub async fn attachments(
        &self,
        scope: Scope,
        dossier_id: i64,
    ) -> Result<Vec<AttachmentRow>, StoreError> {
        Ok(attachment::Entity::find()
            .filter(attachment::Column::TerritoryId.eq(scope.territory_id()))
            .filter(attachment::Column::DossierId.eq(dossier_id))
            .order_by_asc(attachment::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// One attachment of a dossier with its bytes.
    pub async fn attachment_content(
        &self,
        scope: Scope,
        dossier_id: i64,
        attachment_id: i64,
    ) -> Result<(AttachmentRow, Vec<u8>), StoreError> {
        let (a, blob) = attachment::Entity::find_by_id(attachment_id)
            .filter(attachment::Column::TerritoryId.eq(scope.territory_id()))
            .filter(attachment::Column::DossierId.eq(dossier_id))
            .find_also_related(attachment_blob::Entity)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let blob = blob.ok_or_else(|| StoreError::Internal("attachment without bytes".into()))?;
        Ok((a, blob.bytes))
    }
}

fn state_of_am(am: &dossier::ActiveModel) -> State {
    match &am.state {
        sea_orm::ActiveValue::Set(s) | sea_orm::ActiveValue::Unchanged(s) => {
            State::from_code(s).unwrap_or(State::Draft)
        }
        sea_orm::ActiveValue::NotSet => State::Draft,
    }
}
