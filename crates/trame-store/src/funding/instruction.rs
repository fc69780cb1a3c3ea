//! Instruction: states, messages and annotations, labels, the checklist, commune opinions
//! (requests, answers, reminders) and the communes each referent answers for.

use super::editions::edition_in;
use super::{DossierRow, conflict, dossier_in, journal, state_of};
use crate::entities::{
    commune_referent, dossier, dossier_commune, dossier_message, opinion_request,
    organisation_member, person, territory,
};
use crate::outbox::{NewEmail, queue};
use crate::query::First;
use crate::{Scope, Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use time::{Duration, OffsetDateTime};
use trame_domain::audit::action;
use trame_domain::format::paris_datetime;
use trame_domain::funding::dossier::{State, Transition};

pub use crate::entities::dossier_message::Model as MessageRow;
pub use crate::entities::opinion_request::Model as OpinionRow;

/// The items of the eligibility and completeness checklist.
pub const CHECKLIST: [(&str, &str); 4] = [
    (
        "famille",
        "La structure relève d'une famille de l'ESS admise par l'appel",
    ),
    ("territoire", "Le projet se déroule sur le territoire"),
    ("budget", "Le budget est équilibré et cohérent"),
    ("pieces", "Les pièces sont complètes et lisibles"),
];

/// Whether a stored checklist has every item checked: the dossier is eligible.
pub fn checklist_complete(stored: &str) -> bool {
    let checked: Vec<&str> = stored.split(',').collect();
    CHECKLIST.iter().all(|(code, _)| checked.contains(code))
}

/// The answers a commune may give.
pub const ANSWERS: [(&str, &str); 3] = [
    ("favorable", "Favorable"),
    ("reserve", "Favorable avec réserves"),
    ("defavorable", "Défavorable"),
];

/// How an opinion reads today: its answer, or what its silence means past the deadline.
pub fn opinion_status(o: &OpinionRow, deemed_favourable: bool, now: OffsetDateTime) -> String {
    match o.answer.as_deref() {
        Some(a) => ANSWERS
            .iter()
            .find(|(c, _)| *c == a)
            .map(|(_, l)| (*l).to_owned())
            .unwrap_or_else(|| a.to_owned()),
        None if now > o.due_at && deemed_favourable => {
            "Réputé favorable (sans réponse dans le délai)".into()
        }
        None if now > o.due_at => "Sans avis (délai dépassé)".into(),
        None => format!("En attente (jusqu'au {})", paris_datetime(o.due_at)),
    }
}

pub(crate) async fn slug_of<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
) -> Result<String, StoreError> {
    Ok(territory::Entity::find_by_id(scope.territory_id())
        .first(tx)
        .await?
        .map(|t| t.slug)
        .unwrap_or_default())
}

/// The emails of the referents of a commune.
pub(crate) async fn referent_emails<C: ConnectionTrait>(
    tx: &C,
    scope: Scope,
    commune_code: &str,
) -> Result<Vec<String>, StoreError> {
    let ids: Vec<i64> = commune_referent::Entity::find()
        .filter(commune_referent::Column::TerritoryId.eq(scope.territory_id()))
        .filter(commune_referent::Column::CommuneCode.eq(commune_code))
        .all(tx)
        .await?
        .into_iter()
        .map(|r| r.person_id)
        .collect();
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .filter(person::Column::Disabled.eq(false))
        .all(tx)
        .await?
        .into_iter()
        .map(|p| p.email)
        .collect())
}

/// Asks each commune the dossier concerns for its opinion, once per commune, with the
/// edition's deadline; the referents are told by email.
pub(crate) async fn request_opinions<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    scope: Scope,
    row: &DossierRow,
) -> Result<(), StoreError> {
    let ed = edition_in(tx, scope, row.edition_id).await?;
    let slug = slug_of(tx, scope).await?;
    let communes = dossier_commune::Entity::find()
        .filter(dossier_commune::Column::DossierId.eq(row.id))
        .all(tx)
        .await?;
    for c in communes {
        let exists = opinion_request::Entity::find()
            .filter(opinion_request::Column::DossierId.eq(row.id))
            .filter(opinion_request::Column::CommuneCode.eq(c.commune_code.clone()))
            .first(tx)
            .await?;
        if exists.is_some() {
            continue;
        }
        let due = now + Duration::days(i64::from(ed.row.opinion_days));
        let o = opinion_request::ActiveModel {
            territory_id: Set(scope.territory_id()),
            dossier_id: Set(row.id),
            commune_code: Set(c.commune_code.clone()),
            requested_at: Set(now),
            due_at: Set(due),
            answer: Set(None),
            comment: Set(String::new()),
            answered_by: Set(None),
            answered_at: Set(None),
            reminded_at: Set(None),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        journal(
            tx,
            now,
            None,
            scope,
            action::OPINION_REQUEST,
            "opinion_request",
            o.id,
        )
        .await?;
        for to in referent_emails(tx, scope, &c.commune_code).await? {
            queue(
                tx,
                now,
                None,
                NewEmail {
                    territory_id: Some(scope.territory_id()),
                    to: &to,
                    subject: format!("Avis demandé sur le dossier {}", row.reference),
                    body: format!(
                        "Bonjour,\n\nLe dossier {} « {} » concerne votre commune. Votre avis est attendu avant le {}.\n\nRépondez dans Trame, rubrique « Avis des communes » : /{slug}/avis\n",
                        row.reference,
                        row.title,
                        paris_datetime(due)
                    ),
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// Writes a message on a dossier and journals it.
async fn write_message<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    actor_id: i64,
    scope: Scope,
    dossier_id: i64,
    kind: &str,
    body: &str,
) -> Result<(), StoreError> {
    let m = dossier_message::ActiveModel {
        territory_id: Set(scope.territory_id()),
        dossier_id: Set(dossier_id),
        author_id: Set(Some(actor_id)),
        kind: Set(kind.to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    journal(
        tx,
        now,
        Some(actor_id),
        scope,
        action::DOSSIER_MESSAGE,
        "dossier_message",
        m.id,
    )
    .await
}

/// Emails the people acting for the dossier's organisation.
async fn tell_applicants<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    scope: Scope,
    row: &DossierRow,
    subject: String,
    body: String,
) -> Result<(), StoreError> {
    let ids: Vec<i64> = organisation_member::Entity::find()
        .filter(organisation_member::Column::OrganisationId.eq(row.organisation_id))
        .all(tx)
        .await?
        .into_iter()
        .map(|m| m.person_id)
        .collect();
    for p in person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .filter(person::Column::Disabled.eq(false))
        .all(tx)
        .await?
    {
        queue(
            tx,
            now,
            None,
            NewEmail {
                territory_id: Some(scope.territory_id()),
                to: &p.email,
                subject: subject.clone(),
                body: body.clone(),
            },
        )
        .await?;
    }
    Ok(())
}

/// Applies an instructor's transition to one dossier inside `tx`.
async fn apply_in<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
    actor_id: i64,
    scope: Scope,
    id: i64,
    t: Transition,
    message: &str,
) -> Result<(), StoreError> {
    let row = dossier_in(tx, scope, id).await?;
    if matches!(t, Transition::Submit | Transition::AnswerCorrection) {
        return Err(conflict("action", "Seul le porteur dépose son dossier."));
    }
    if matches!(t, Transition::Accept | Transition::Refuse) {
        return Err(conflict(
            "action",
            "Les décisions se prennent en comité, avec la référence de la délibération.",
        ));
    }
    let next = state_of(&row)
        .apply(t)
        .map_err(|m| conflict("action", format!("{} : {m}", row.reference)))?;
    let body = message.trim();
    if t == Transition::RequestCorrection && body.is_empty() {
        return Err(conflict(
            "message",
            "Précisez ce que le porteur doit corriger.",
        ));
    }
    let mut am = row.clone().into_active_model();
    am.state = Set(next.code().into());
    am.updated_at = Set(now);
    let row = am.update(tx).await?;
    super::sync_communes(tx, &row).await?;
    let act = match t {
        Transition::Instruct => action::DOSSIER_INSTRUCT,
        Transition::RequestCorrection => action::DOSSIER_REQUEST_CORRECTION,
        _ => action::DOSSIER_CLOSE,
    };
    journal(tx, now, Some(actor_id), scope, act, "dossier", id).await?;
    match t {
        Transition::Instruct => request_opinions(tx, now, scope, &row).await?,
        Transition::RequestCorrection => {
            write_message(tx, now, actor_id, scope, id, "correction", body).await?;
            let slug = slug_of(tx, scope).await?;
            tell_applicants(
                tx,
                now,
                scope,
                &row,
                format!("Correction demandée sur votre dossier {}", row.reference),
                format!(
                    "Bonjour,\n\nLe service instructeur demande une correction de votre dossier {} « {} » :\n\n{body}\n\nCorrigez-le et déposez-le à nouveau dans Trame : /{slug}/mes-dossiers/{}\n",
                    row.reference, row.title, row.id
                ),
            )
            .await?;
        }
        _ => {
            if !body.is_empty() {
                write_message(tx, now, actor_id, scope, id, "message", body).await?;
            }
        }
    }
    Ok(())
}

impl Store {
    /// An instructor's transition: open the instruction (commune opinions are requested),
    /// request a correction (with its message; the applicant is told), or close without
    /// decision.
    pub async fn instruct(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        t: Transition,
        message: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let tx = self.begin_write().await?;
        apply_in(&tx, now, actor_id, scope, id, t, message).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The same transition on a selection, all or nothing: when one dossier refuses it,
    /// none changes and the message names it.
    pub async fn instruct_many(
        &self,
        actor_id: i64,
        scope: Scope,
        ids: &[i64],
        t: Transition,
    ) -> Result<usize, StoreError> {
        if ids.is_empty() {
            return Err(conflict("selection", "Cochez au moins un dossier."));
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        for id in ids {
            apply_in(&tx, now, actor_id, scope, *id, t, "").await?;
        }
        tx.commit().await?;
        Ok(ids.len())
    }

    /// Adds a message to the thread between the applicant and the instructors, or a
    /// private annotation (`annotation`, instructors only). The applicant's side calls it
    /// with `kind = "message"` after checking the dossier is theirs.
    pub async fn add_dossier_message(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        kind: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        let body = body.trim();
        if body.is_empty() {
            return Err(conflict("body", "Le message est vide."));
        }
        if body.chars().count() > 4000 {
            return Err(conflict(
                "body",
                "Le message ne peut dépasser 4 000 caractères.",
            ));
        }
        let kind = if kind == "annotation" {
            "annotation"
        } else {
            "message"
        };
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = dossier_in(&tx, scope, id).await?;
        write_message(&tx, now, actor_id, scope, id, kind, body).await?;
        if kind == "message" && !state_of(&row).is_final() {
            let author_is_applicant = organisation_member::Entity::find()
                .filter(organisation_member::Column::OrganisationId.eq(row.organisation_id))
                .filter(organisation_member::Column::PersonId.eq(actor_id))
                .first(&tx)
                .await?
                .is_some();
            if !author_is_applicant {
                tell_applicants(
                    &tx,
                    now,
                    scope,
                    &row,
                    format!("Nouveau message sur votre dossier {}", row.reference),
                    format!("Bonjour,\n\nLe service instructeur vous a écrit au sujet du dossier {} :\n\n{body}\n", row.reference),
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The messages of a dossier, oldest first; annotations only when asked for.
    pub async fn dossier_messages(
        &self,
        scope: Scope,
        id: i64,
        with_annotations: bool,
    ) -> Result<Vec<(MessageRow, String)>, StoreError> {
        let mut q = dossier_message::Entity::find()
            .filter(dossier_message::Column::TerritoryId.eq(scope.territory_id()))
            .filter(dossier_message::Column::DossierId.eq(id));
        if !with_annotations {
            q = q.filter(dossier_message::Column::Kind.ne("annotation"));
        }
        let rows = q
            .order_by_asc(dossier_message::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().filter_map(|m| m.author_id).collect();
        let people = person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| {
                let name = m
                    .author_id
                    .and_then(|a| people.iter().find(|p| p.id == a))
                    .map(|p| p.display_name.clone())
                    .unwrap_or_else(|| "Trame".into());
                (m, name)
            })
            .collect())
    }

    /// Replaces a dossier's labels (instructors only; never shown to the applicant).
    pub async fn set_dossier_labels(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        labels: &[String],
    ) -> Result<(), StoreError> {
        let mut clean: Vec<String> = labels
            .iter()
            .map(|l| {
                l.trim()
                    .replace(['|', ','], " ")
                    .chars()
                    .take(40)
                    .collect::<String>()
            })
            .filter(|l| !l.is_empty())
            .collect();
        clean.sort();
        clean.dedup();
        let stored = if clean.is_empty() {
            String::new()
        } else {
            format!("|{}|", clean.join("|"))
        };
        if stored.len() > 400 {
            return Err(conflict(
                "labels",
                "Trop d'étiquettes (400 caractères au plus).",
            ));
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = dossier_in(&tx, scope, id).await?;
        let mut am = row.into_active_model();
        am.labels = Set(stored);
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::DOSSIER_LABELS,
            "dossier",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the checklist: the codes of the items checked.
    pub async fn set_dossier_checklist(
        &self,
        actor_id: i64,
        scope: Scope,
        id: i64,
        checked: &[String],
    ) -> Result<(), StoreError> {
        let codes: Vec<&str> = CHECKLIST
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| checked.iter().any(|x| x == c))
            .collect();
        let now = self.now();
        let tx = self.begin_write().await?;
        let row = dossier_in(&tx, scope, id).await?;
        if state_of(&row) == State::Draft {
            return Err(StoreError::NotFound);
        }
        let mut am = row.into_active_model();
        am.checklist = Set(codes.join(","));
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::DOSSIER_CHECKLIST,
            "dossier",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The opinion requests of a dossier.
    pub async fn dossier_opinions(
        &self,
        scope: Scope,
        id: i64,
    ) -> Result<Vec<OpinionRow>, StoreError> {
        Ok(opinion_request::Entity::find()
            .filter(opinion_request::Column::TerritoryId.eq(scope.territory_id()))
            .filter(opinion_request::Column::DossierId.eq(id))
            .order_by_asc(opinion_request::Column::CommuneCode)
            .all(&self.db)
            .await?)
    }

    /// The communes a referent answers for.
    pub async fn referent_communes(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<String>, StoreError> {
        Ok(commune_referent::Entity::find()
            .filter(commune_referent::Column::TerritoryId.eq(scope.territory_id()))
            .filter(commune_referent::Column::PersonId.eq(person_id))
            .order_by_asc(commune_referent::Column::CommuneCode)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.commune_code)
            .collect())
    }

    /// Sets the communes a referent answers for (territory admin).
    pub async fn set_referent_communes(
        &self,
        actor_id: i64,
        scope: Scope,
        person_id: i64,
        codes: &[String],
    ) -> Result<(), StoreError> {
        let known: Vec<String> = self
            .communes(scope)
            .await?
            .into_iter()
            .map(|c| c.code_insee)
            .collect();
        if let Some(bad) = codes.iter().find(|c| !known.contains(c)) {
            return Err(conflict(
                "communes",
                format!("La commune {bad} n'appartient pas au territoire."),
            ));
        }
        let now = self.now();
        let tx = self.begin_write().await?;
        commune_referent::Entity::delete_many()
            .filter(commune_referent::Column::TerritoryId.eq(scope.territory_id()))
            .filter(commune_referent::Column::PersonId.eq(person_id))
            .exec(&tx)
            .await?;
        for code in codes {
            commune_referent::ActiveModel {
                territory_id: Set(scope.territory_id()),
                person_id: Set(person_id),
                commune_code: Set(code.clone()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        journal(
            &tx,
            now,
            Some(actor_id),
            scope,
            action::REFERENT_SET,
            "person",
            person_id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The opinion requests for the communes a referent answers for, with their dossier,
    /// latest first.
    pub async fn referent_opinions(
        &self,
        scope: Scope,
        person_id: i64,
    ) -> Result<Vec<(OpinionRow, DossierRow)>, StoreError> {
        let communes = self.referent_communes(scope, person_id).await?;
        let opinions = opinion_request::Entity::find()
            .filter(opinion_request::Column::TerritoryId.eq(scope.territory_id()))
            .filter(opinion_request::Column::CommuneCode.is_in(communes))
            .order_by_desc(opinion_request::Column::RequestedAt)
            .order_by_desc(opinion_request::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = opinions.iter().map(|o| o.dossier_id).collect();
        let dossiers = dossier::Entity::find()
            .filter(dossier::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        Ok(opinions
            .into_iter()
            .filter_map(|o| {
                let d = dossiers.iter().find(|d| d.id == o.dossier_id)?.clone();
                Some((o, d))
            })
            .collect())
    }

    /// One opinion request a referent answers for; `NotFound` for another commune's.
    pub async fn referent_opinion(
        &self,
        scope: Scope,
        person_id: i64,
        id: i64,
    ) -> Result<(OpinionRow, DossierRow), StoreError> {
        let o = opinion_request::Entity::find_by_id(id)
            .filter(opinion_request::Column::TerritoryId.eq(scope.territory_id()))
            .first(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !self
            .referent_communes(scope, person_id)
            .await?
            .contains(&o.commune_code)
        {
            return Err(StoreError::NotFound);
        }
        let d = dossier_in(&self.db, scope, o.dossier_id).await?;
        Ok((o, d))
    }

    /// Whether a person is the referent of a commune the dossier concerns.
    pub async fn is_referent_for(
        &self,
        scope: Scope,
        person_id: i64,
        dossier_id: i64,
    ) -> Result<bool, StoreError> {
        let mine = self.referent_communes(scope, person_id).await?;
        Ok(self
            .dossier_communes(scope, dossier_id)
            .await?
            .iter()
            .any(|c| mine.contains(c)))
    }

    /// A referent's answer, before the deadline and once.
    pub async fn answer_opinion(
        &self,
        person_id: i64,
        scope: Scope,
        id: i64,
        answer: &str,
        comment: &str,
    ) -> Result<(), StoreError> {
        if !ANSWERS.iter().any(|(c, _)| *c == answer) {
            return Err(conflict(
                "answer",
                "Choisissez un avis : favorable, favorable avec réserves ou défavorable.",
            ));
        }
        let comment = comment.trim();
        if answer != "favorable" && comment.is_empty() {
            return Err(conflict(
                "comment",
                "Motivez un avis réservé ou défavorable en quelques mots.",
            ));
        }
        let (o, _) = self.referent_opinion(scope, person_id, id).await?;
        let now = self.now();
        let tx = self.begin_write().await?;
        let o = opinion_request::Entity::find_by_id(o.id)
            .first(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if o.answer.is_some() {
            return Err(conflict("answer", "La commune a déjà donné son avis."));
        }
        if now > o.due_at {
            return Err(conflict(
                "answer",
                "Le délai de réponse est passé : l'avis suit la règle de l'édition.",
            ));
        }
        let mut am = o.into_active_model();
        am.answer = Set(Some(answer.to_owned()));
        am.comment = Set(comment.chars().take(4000).collect());
        am.answered_by = Set(Some(person_id));
        am.answered_at = Set(Some(now));
        am.update(&tx).await?;
        journal(
            &tx,
            now,
            Some(person_id),
            scope,
            action::OPINION_ANSWER,
            "opinion_request",
            id,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Reminds the referents of unanswered requests due within three days, once per request.
/// Runs in the job runner's transaction; returns how many requests were reminded.
pub(crate) async fn remind_opinions<C: ConnectionTrait>(
    tx: &C,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let due = opinion_request::Entity::find()
        .filter(opinion_request::Column::Answer.is_null())
        .filter(opinion_request::Column::RemindedAt.is_null())
        .filter(opinion_request::Column::DueAt.gt(now))
        .filter(opinion_request::Column::DueAt.lte(now + Duration::days(3)))
        .all(tx)
        .await?;
    let mut n = 0;
    for o in due {
        let scope = Scope {
            territory_id: o.territory_id,
        };
        let d = dossier_in(tx, scope, o.dossier_id).await?;
        let slug = slug_of(tx, scope).await?;
        for to in referent_emails(tx, scope, &o.commune_code).await? {
            queue(
                tx,
                now,
                None,
                NewEmail {
                    territory_id: Some(o.territory_id),
                    to: &to,
                    subject: format!("Rappel : avis attendu sur le dossier {}", d.reference),
                    body: format!(
                        "Bonjour,\n\nL'avis de votre commune sur le dossier {} « {} » est attendu avant le {}.\n\nRépondez dans Trame : /{slug}/avis/{}\n",
                        d.reference,
                        d.title,
                        paris_datetime(o.due_at),
                        o.id
                    ),
                },
            )
            .await?;
        }
        let id = o.id;
        let mut am = o.into_active_model();
        am.reminded_at = Set(Some(now));
        am.update(tx).await?;
        journal(
            tx,
            now,
            None,
            scope,
            action::OPINION_REMIND,
            "opinion_request",
            id,
        )
        .await?;
        n += 1;
    }
    Ok(n)
}
