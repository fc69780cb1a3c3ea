//! The audit journal's hash chain. Each territory (and the platform itself) has one chain;
//! each entry's hash covers its content and the previous entry's hash, so any edit or
//! deletion of a past entry breaks every hash after it.
//!
//! Entries carry no personal data: an actor id, an action code, an object type and id.

use sha2::{Digest, Sha256};

/// The hash before the first entry of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The key of the platform-wide chain (entries without a territory).
pub const PLATFORM_CHAIN: &str = "platform";

/// The chain key of a territory.
pub fn territory_chain(territory_id: i64) -> String {
    format!("territory:{territory_id}")
}

/// What an entry says, in the order the hash covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryContent<'a> {
    /// Chain the entry belongs to.
    pub chain: &'a str,
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Instant, as RFC 3339 UTC with seconds precision.
    pub occurred_at: &'a str,
    /// Person who acted; `None` for the system.
    pub actor_id: Option<i64>,
    /// Territory concerned.
    pub territory_id: Option<i64>,
    /// Action code, such as `person.create`.
    pub action: &'a str,
    /// Object type, such as `person`.
    pub object_type: &'a str,
    /// Object id.
    pub object_id: &'a str,
}

/// The hash of an entry given its predecessor's hash.
pub fn entry_hash(prev_hash: &str, e: &EntryContent<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        e.chain,
        &e.seq.to_string(),
        e.occurred_at,
        &e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
        &e.territory_id.map(|t| t.to_string()).unwrap_or_default(),
        e.action,
        e.object_type,
        e.object_id,
    ] {
        h.update(part.as_bytes());
        // A separator that cannot occur in the parts keeps ("ab","c") apart from ("a","bc").
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// The action codes written to the journal (`object.verb`).
pub mod action {
    /// Création du territoire.
    pub const TERRITORY_CREATE: &str = "territory.create";
    /// Attribution d'un rôle.
    pub const MEMBERSHIP_CREATE: &str = "membership.create";
    /// Création d'un compte.
    pub const PERSON_CREATE: &str = "person.create";
    /// Connexion réussie.
    pub const PERSON_LOGIN: &str = "person.login";
    /// Échec de connexion.
    pub const PERSON_LOGIN_FAILED: &str = "person.login_failed";
    /// Verrouillage du compte.
    pub const PERSON_LOCK: &str = "person.lock";
    /// Ouverture de session.
    pub const SESSION_OPEN: &str = "session.open";
    /// Déconnexion.
    pub const SESSION_CLOSE: &str = "session.close";
    /// Changement de territoire.
    pub const SESSION_SWITCH_TERRITORY: &str = "session.switch_territory";
    /// Tâche planifiée.
    pub const JOB_RUN: &str = "job.run";

    /// Création d'une organisation.
    pub const ORGANISATION_CREATE: &str = "organisation.create";
    /// Modification d'une organisation.
    pub const ORGANISATION_UPDATE: &str = "organisation.update";
    /// Rattachement à une organisation.
    pub const ORGANISATION_MEMBER_ADD: &str = "organisation_member.create";
    /// Modification des paramètres du territoire.
    pub const TERRITORY_UPDATE: &str = "territory.update";
    /// Retrait d'un rôle.
    pub const MEMBERSHIP_DELETE: &str = "membership.delete";
    /// Désactivation d'un membre.
    pub const MEMBERSHIP_DISABLE: &str = "membership.disable";
    /// Réactivation d'un membre.
    pub const MEMBERSHIP_ENABLE: &str = "membership.enable";
    /// Envoi d'une invitation.
    pub const INVITATION_CREATE: &str = "invitation.create";
    /// Acceptation d'une invitation.
    pub const INVITATION_ACCEPT: &str = "invitation.accept";
    /// Retrait d'une invitation.
    pub const INVITATION_REVOKE: &str = "invitation.revoke";
    /// Courriel mis en file.
    pub const EMAIL_QUEUE: &str = "email.queue";
    /// Courriel envoyé.
    pub const EMAIL_SEND: &str = "email.send";

    /// Création d'un jeton d'API.
    pub const API_TOKEN_CREATE: &str = "api_token.create";
    /// Retrait d'un jeton d'API.
    pub const API_TOKEN_REVOKE: &str = "api_token.revoke";

    /// Ajout d'une commune au territoire.
    pub const COMMUNE_ADD: &str = "commune.create";
    /// Retrait d'une commune du territoire.
    pub const COMMUNE_REMOVE: &str = "commune.delete";

    /// Modification d'un rattachement à une organisation.
    pub const ORGANISATION_MEMBER_UPDATE: &str = "organisation_member.update";

    /// Liaison d'une identité ProConnect à un compte.
    pub const PERSON_LINK_IDENTITY: &str = "person_identity.create";

    /// Création d'un dispositif.
    pub const SCHEME_CREATE: &str = "scheme.create";

    /// Création d'une édition d'appel à projets.
    pub const EDITION_CREATE: &str = "edition.create";

    /// Modification d'une édition d'appel à projets.
    pub const EDITION_UPDATE: &str = "edition.update";

    /// Publication d'une édition d'appel à projets.
    pub const EDITION_PUBLISH: &str = "edition.publish";

    /// Ouverture d'un dossier.
    pub const DOSSIER_CREATE: &str = "dossier.create";

    /// Enregistrement d'un brouillon de dossier.
    pub const DOSSIER_SAVE: &str = "dossier.save";

    /// Dépôt d'un dossier.
    pub const DOSSIER_SUBMIT: &str = "dossier.submit";

    /// Passage d'un dossier en instruction.
    pub const DOSSIER_INSTRUCT: &str = "dossier.instruct";

    /// Demande de correction d'un dossier.
    pub const DOSSIER_REQUEST_CORRECTION: &str = "dossier.request_correction";

    /// Réponse à une demande de correction.
    pub const DOSSIER_ANSWER_CORRECTION: &str = "dossier.answer_correction";

    /// Décision : dossier accepté.
    pub const DOSSIER_ACCEPT: &str = "dossier.accept";

    /// Décision : dossier refusé.
    pub const DOSSIER_REFUSE: &str = "dossier.refuse";

    /// Dossier classé sans suite.
    pub const DOSSIER_CLOSE: &str = "dossier.close";

    /// Modification des étiquettes d'un dossier.
    pub const DOSSIER_LABELS: &str = "dossier.labels";

    /// Contrôle d'éligibilité et de complétude.
    pub const DOSSIER_CHECKLIST: &str = "dossier.checklist";

    /// Message sur un dossier.
    pub const DOSSIER_MESSAGE: &str = "dossier_message.create";

    /// Ajout d'une pièce jointe.
    pub const ATTACHMENT_ADD: &str = "attachment.create";

    /// Retrait d'une pièce jointe.
    pub const ATTACHMENT_REMOVE: &str = "attachment.delete";

    /// Demande d'avis à une commune.
    pub const OPINION_REQUEST: &str = "opinion_request.create";

    /// Avis d'une commune.
    pub const OPINION_ANSWER: &str = "opinion_request.answer";

    /// Relance d'une demande d'avis.
    pub const OPINION_REMIND: &str = "opinion_request.remind";

    /// Communes d'un référent communal.
    pub const REFERENT_SET: &str = "commune_referent.update";

    /// Attribution d'un dossier à un évaluateur.
    pub const REVIEW_ASSIGN: &str = "review.create";

    /// Retrait d'un dossier à un évaluateur.
    pub const REVIEW_UNASSIGN: &str = "review.delete";

    /// Déclaration d'intérêts d'un évaluateur.
    pub const REVIEW_DECLARE: &str = "review.declare";

    /// Notation d'un dossier.
    pub const REVIEW_SCORE: &str = "review.score";

    /// Création d'un scénario de répartition.
    pub const SCENARIO_CREATE: &str = "scenario.create";

    /// Montant modifié par le comité.
    pub const SCENARIO_OVERRIDE: &str = "scenario_line.update";

    /// Création d'une subvention attribuée.
    pub const AWARD_CREATE: &str = "award.create";

    /// Enregistrement d'un versement.
    pub const PAYMENT_CREATE: &str = "payment.create";

    /// Signature de la convention d'une subvention.
    pub const AWARD_SIGN: &str = "award.sign";

    /// Visa de la commune sur sa convention.
    pub const AWARD_VISA: &str = "award.visa";

    /// Dépôt d'un compte rendu financier.
    pub const REPORT_SUBMIT: &str = "award_report.submit";

    /// Acceptation d'un compte rendu financier.
    pub const REPORT_ACCEPT: &str = "award_report.accept";

    /// Compte rendu financier renvoyé pour complément.
    pub const REPORT_RETURN: &str = "award_report.return";

    /// Relance d'un compte rendu financier attendu.
    pub const REPORT_REMIND: &str = "award_report.remind";

    /// Réglages d'un dispositif modifiés.
    pub const SCHEME_UPDATE: &str = "scheme.update";

    /// Création d'un jeton d'API personnel (agent).
    pub const STAFF_TOKEN_CREATE: &str = "staff_token.create";

    /// Révocation d'un jeton d'API personnel (agent).
    pub const STAFF_TOKEN_REVOKE: &str = "staff_token.revoke";

    /// Import d'un fichier data·inclusion dans l'annuaire (objet : la révision de
    /// l'annuaire que portent les fiches modifiées).
    pub const DIRECTORY_IMPORT: &str = "directory.import";

    /// Changement d'état d'une structure de l'annuaire.
    pub const DIR_STRUCTURE_STATUS: &str = "dir_structure.status";

    /// Changement d'état d'un service de l'annuaire.
    pub const DIR_SERVICE_STATUS: &str = "dir_service.status";

    /// Modification d'un service de l'annuaire.
    pub const DIR_SERVICE_UPDATE: &str = "dir_service.update";

    /// Service signalé comme non mis à jour depuis un an.
    pub const DIR_SERVICE_STALE: &str = "dir_service.stale";

    /// Délibération ajoutée au registre de l'intérêt territorial.
    pub const INTEREST_DELIBERATION_CREATE: &str = "interest_deliberation.create";

    /// Délibération du registre modifiée.
    pub const INTEREST_DELIBERATION_UPDATE: &str = "interest_deliberation.update";

    /// Document d'une délibération déposé ou remplacé.
    pub const INTEREST_DOCUMENT_SET: &str = "interest_document.update";

    /// Politique déclarée d'intérêt territorial.
    pub const INTEREST_POLICY_CREATE: &str = "interest_policy.create";

    /// Politique d'intérêt territorial modifiée.
    pub const INTEREST_POLICY_UPDATE: &str = "interest_policy.update";

    /// Projet ESS ajouté à la vitrine.
    pub const SHOWCASE_CREATE: &str = "showcase_project.create";

    /// Projet ESS de la vitrine modifié (publication, consentement…).
    pub const SHOWCASE_UPDATE: &str = "showcase_project.update";

    /// Lauréats des appels à projets proposés pour la vitrine, même s'il n'y en avait
    /// aucun de nouveau (objet : le territoire).
    pub const SHOWCASE_PROPOSE: &str = "showcase_project.propose";

    /// Contours des communes importés pour la carte (objet : le territoire).
    pub const OUTLINES_IMPORT: &str = "commune_outline.import";

    /// Modification d'une structure de l'annuaire.
    pub const DIR_STRUCTURE_UPDATE: &str = "dir_structure.update";

    /// Rattachement d'une structure de l'annuaire à une organisation, dont les membres la tiennent à jour.
    pub const DIR_STRUCTURE_LINK: &str = "dir_structure.link";

    /// Acheteur ajouté aux clauses d'insertion.
    pub const CLAUSE_BUYER_CREATE: &str = "clause_buyer.create";

    /// Marché avec clause d'insertion enregistré.
    pub const CLAUSE_CONTRACT_CREATE: &str = "clause_contract.create";

    /// Marchés importés d'un fichier DECP (objet : le territoire).
    pub const CLAUSE_CONTRACT_IMPORT: &str = "clause_contract.import";

    /// Personne en clause d'insertion enregistrée, éligibilité validée.
    pub const CLAUSE_PERSON_CREATE: &str = "clause_person.create";

    /// Heures d'insertion déclarées.
    pub const CLAUSE_HOURS_DECLARE: &str = "clause_hours.declare";

    /// Heures d'insertion validées.
    pub const CLAUSE_HOURS_VALIDATE: &str = "clause_hours.validate";

    /// Heures d'insertion rejetées.
    pub const CLAUSE_HOURS_REJECT: &str = "clause_hours.reject";

    /// Paramètres des clauses du territoire modifiés (parts de main-d'œuvre, coût de référence, convention).
    pub const CLAUSE_SETTINGS_UPDATE: &str = "clause_setting.update";

    /// Marché en alerte signalé au facilitateur et au titulaire (retard, fin proche).
    pub const CLAUSE_ALERT: &str = "clause_contract.alert";

    /// Situation d'une personne à la sortie enregistrée.
    pub const CLAUSE_OUTCOME_SET: &str = "clause_outcome.set";

    /// Promotion d'accompagnement créée.
    pub const ACC_COHORT_CREATE: &str = "acc_cohort.create";

    /// Appel à candidatures de l'accompagnement publié.
    pub const ACC_CALL_CREATE: &str = "acc_call.create";

    /// Appel à candidatures clos par anticipation.
    pub const ACC_CALL_CLOSE: &str = "acc_call.close";

    /// Membre du jury désigné pour un appel à candidatures.
    pub const ACC_JURY_ASSIGN: &str = "acc_jury.assign";

    /// Candidature à l'accompagnement déposée.
    pub const ACC_APPLICATION_SUBMIT: &str = "acc_application.submit";

    /// Candidature notée par un membre du jury.
    pub const ACC_SCORE_SET: &str = "acc_score.set";

    /// Décision sur une candidature notifiée.
    pub const ACC_APPLICATION_DECIDE: &str = "acc_application.decide";

    /// Projet accompagné passé à une autre étape.
    pub const ACC_PROJECT_STAGE: &str = "acc_project.stage";

    /// Séance individuelle enregistrée.
    pub const ACC_SESSION_CREATE: &str = "acc_session.create";

    /// Atelier collectif enregistré.
    pub const ACC_WORKSHOP_CREATE: &str = "acc_workshop.create";

    /// Jalon d'un projet accompagné enregistré.
    pub const ACC_MILESTONE_CREATE: &str = "acc_milestone.create";

    /// Résultat d'un projet accompagné enregistré.
    pub const ACC_OUTCOME_SET: &str = "acc_outcome.set";

    /// Projet accompagné proposé pour la vitrine des projets soutenus.
    pub const ACC_PROJECT_SHOWCASE: &str = "acc_project.showcase";

    /// Projet accompagné passé à l'appel à projets : brouillon de dossier prérempli.
    pub const ACC_PROJECT_DOSSIER: &str = "acc_project.dossier";

    /// Porteur (adresse) ou conseiller référent d'un projet accompagné modifié.
    pub const ACC_PROJECT_PEOPLE: &str = "acc_project.people";

    /// Participant enregistré pour le suivi FSE+.
    pub const ACC_PARTICIPANT_CREATE: &str = "acc_participant.create";

    /// Situation d'un participant à la sortie ou à six mois enregistrée.
    pub const ACC_PARTICIPANT_RESULT: &str = "acc_participant.result";

    /// Dossier de parcours ouvert, avec le consentement de la personne.
    pub const PATH_FILE_CREATE: &str = "path_file.create";

    /// Dossier de parcours partagé avec une organisation.
    pub const PATH_FILE_SHARE: &str = "path_file.share";

    /// Partage d'un dossier de parcours retiré.
    pub const PATH_FILE_UNSHARE: &str = "path_file.unshare";

    /// Sortie de parcours enregistrée.
    pub const PATH_FILE_EXIT: &str = "path_file.exit";

    /// Situation six mois après la sortie de parcours enregistrée.
    pub const PATH_FILE_FOLLOW_UP: &str = "path_file.follow_up";

    /// Frein à l'emploi repéré.
    pub const PATH_BARRIER_CREATE: &str = "path_barrier.create";

    /// Frein à l'emploi levé.
    pub const PATH_BARRIER_LIFT: &str = "path_barrier.lift";

    /// Étape de parcours enregistrée.
    pub const PATH_STEP_CREATE: &str = "path_step.create";

    /// Étape de parcours mise à jour.
    pub const PATH_STEP_UPDATE: &str = "path_step.update";

    /// Orientation envoyée vers un service de l'annuaire.
    pub const PATH_REFERRAL_SEND: &str = "path_referral.send";

    /// Réponse de la structure à une orientation.
    pub const PATH_REFERRAL_ANSWER: &str = "path_referral.answer";

    /// Dossier de parcours anonymisé au terme de sa conservation.
    pub const PATH_FILE_ANONYMISE: &str = "path_file.anonymise";

    /// Forum de l'emploi créé.
    pub const FORUM_CREATE: &str = "forum.create";

    /// Employeur ajouté à un forum.
    pub const FORUM_EMPLOYER_CREATE: &str = "forum_employer.create";

    /// Offre d'emploi ajoutée à un forum.
    pub const FORUM_OFFER_CREATE: &str = "forum_offer.create";

    /// Inscription à un forum de l'emploi.
    pub const FORUM_REGISTER: &str = "forum_registration.create";

    /// Présence au forum enregistrée.
    pub const FORUM_CHECK_IN: &str = "forum_registration.check_in";

    /// Entretien ou embauche issu d'un forum enregistré.
    pub const FORUM_RESULT: &str = "forum_result.create";

    /// Every action code.
    pub const ALL: &[&str] = &[
        TERRITORY_CREATE,
        MEMBERSHIP_CREATE,
        PERSON_CREATE,
        PERSON_LOGIN,
        PERSON_LOGIN_FAILED,
        PERSON_LOCK,
        SESSION_OPEN,
        SESSION_CLOSE,
        SESSION_SWITCH_TERRITORY,
        JOB_RUN,
        ORGANISATION_CREATE,
        ORGANISATION_UPDATE,
        ORGANISATION_MEMBER_ADD,
        TERRITORY_UPDATE,
        MEMBERSHIP_DELETE,
        MEMBERSHIP_DISABLE,
        MEMBERSHIP_ENABLE,
        INVITATION_CREATE,
        INVITATION_ACCEPT,
        INVITATION_REVOKE,
        EMAIL_QUEUE,
        EMAIL_SEND,
        API_TOKEN_CREATE,
        API_TOKEN_REVOKE,
        COMMUNE_ADD,
        COMMUNE_REMOVE,
        ORGANISATION_MEMBER_UPDATE,
        PERSON_LINK_IDENTITY,
        SCHEME_CREATE,
        EDITION_CREATE,
        EDITION_UPDATE,
        EDITION_PUBLISH,
        DOSSIER_CREATE,
        DOSSIER_SAVE,
        DOSSIER_SUBMIT,
        DOSSIER_INSTRUCT,
        DOSSIER_REQUEST_CORRECTION,
        DOSSIER_ANSWER_CORRECTION,
        DOSSIER_ACCEPT,
        DOSSIER_REFUSE,
        DOSSIER_CLOSE,
        DOSSIER_LABELS,
        DOSSIER_CHECKLIST,
        DOSSIER_MESSAGE,
        ATTACHMENT_ADD,
        ATTACHMENT_REMOVE,
        OPINION_REQUEST,
        OPINION_ANSWER,
        OPINION_REMIND,
        REFERENT_SET,
        REVIEW_ASSIGN,
        REVIEW_UNASSIGN,
        REVIEW_DECLARE,
        REVIEW_SCORE,
        SCENARIO_CREATE,
        SCENARIO_OVERRIDE,
        AWARD_CREATE,
        PAYMENT_CREATE,
        AWARD_SIGN,
        AWARD_VISA,
        REPORT_SUBMIT,
        REPORT_ACCEPT,
        REPORT_RETURN,
        REPORT_REMIND,
        SCHEME_UPDATE,
        STAFF_TOKEN_CREATE,
        STAFF_TOKEN_REVOKE,
        DIRECTORY_IMPORT,
        DIR_STRUCTURE_STATUS,
        DIR_SERVICE_STATUS,
        DIR_SERVICE_UPDATE,
        DIR_SERVICE_STALE,
        INTEREST_DELIBERATION_CREATE,
        INTEREST_DELIBERATION_UPDATE,
        INTEREST_DOCUMENT_SET,
        INTEREST_POLICY_CREATE,
        INTEREST_POLICY_UPDATE,
        SHOWCASE_CREATE,
        SHOWCASE_UPDATE,
        SHOWCASE_PROPOSE,
        OUTLINES_IMPORT,
        DIR_STRUCTURE_UPDATE,
        DIR_STRUCTURE_LINK,
        CLAUSE_BUYER_CREATE,
        CLAUSE_CONTRACT_CREATE,
        CLAUSE_CONTRACT_IMPORT,
        CLAUSE_PERSON_CREATE,
        CLAUSE_HOURS_DECLARE,
        CLAUSE_HOURS_VALIDATE,
        CLAUSE_HOURS_REJECT,
        CLAUSE_OUTCOME_SET,
        CLAUSE_ALERT,
        CLAUSE_SETTINGS_UPDATE,
        ACC_COHORT_CREATE,
        ACC_CALL_CREATE,
        ACC_CALL_CLOSE,
        ACC_JURY_ASSIGN,
        ACC_APPLICATION_SUBMIT,
        ACC_SCORE_SET,
        ACC_APPLICATION_DECIDE,
        ACC_PROJECT_STAGE,
        ACC_SESSION_CREATE,
        ACC_WORKSHOP_CREATE,
        ACC_MILESTONE_CREATE,
        ACC_OUTCOME_SET,
        ACC_PROJECT_SHOWCASE,
        ACC_PROJECT_DOSSIER,
        ACC_PROJECT_PEOPLE,
        ACC_PARTICIPANT_CREATE,
        ACC_PARTICIPANT_RESULT,
        PATH_FILE_CREATE,
        PATH_FILE_SHARE,
        PATH_FILE_UNSHARE,
        PATH_FILE_EXIT,
        PATH_FILE_FOLLOW_UP,
        PATH_BARRIER_CREATE,
        PATH_BARRIER_LIFT,
        PATH_STEP_CREATE,
        PATH_STEP_UPDATE,
        PATH_REFERRAL_SEND,
        PATH_REFERRAL_ANSWER,
        PATH_FILE_ANONYMISE,
        FORUM_CREATE,
        FORUM_EMPLOYER_CREATE,
        FORUM_OFFER_CREATE,
        FORUM_REGISTER,
        FORUM_CHECK_IN,
        FORUM_RESULT,
    ];
}

/// The French label of an action code, for the journal pages; the code itself when it
/// has no label.
pub fn action_label(code: &str) -> &str {
    match code {
        action::TERRITORY_CREATE => "Création du territoire",
        action::MEMBERSHIP_CREATE => "Attribution d'un rôle",
        action::PERSON_CREATE => "Création d'un compte",
        action::PERSON_LOGIN => "Connexion réussie",
        action::PERSON_LOGIN_FAILED => "Échec de connexion",
        action::PERSON_LOCK => "Verrouillage du compte",
        action::SESSION_OPEN => "Ouverture de session",
        action::SESSION_CLOSE => "Déconnexion",
        action::SESSION_SWITCH_TERRITORY => "Changement de territoire",
        action::JOB_RUN => "Tâche planifiée",
        action::ORGANISATION_CREATE => "Création d'une organisation",
        action::ORGANISATION_UPDATE => "Modification d'une organisation",
        action::ORGANISATION_MEMBER_ADD => "Rattachement à une organisation",
        action::TERRITORY_UPDATE => "Modification des paramètres du territoire",
        action::MEMBERSHIP_DELETE => "Retrait d'un rôle",
        action::MEMBERSHIP_DISABLE => "Désactivation d'un membre",
        action::MEMBERSHIP_ENABLE => "Réactivation d'un membre",
        action::INVITATION_CREATE => "Envoi d'une invitation",
        action::INVITATION_ACCEPT => "Acceptation d'une invitation",
        action::INVITATION_REVOKE => "Retrait d'une invitation",
        action::EMAIL_QUEUE => "Courriel mis en file",
        action::EMAIL_SEND => "Courriel envoyé",
        action::API_TOKEN_CREATE => "Création d'un jeton d'API",
        action::API_TOKEN_REVOKE => "Retrait d'un jeton d'API",
        action::COMMUNE_ADD => "Ajout d'une commune",
        action::COMMUNE_REMOVE => "Retrait d'une commune",
        action::ORGANISATION_MEMBER_UPDATE => "Modification d'un rattachement",
        action::PERSON_LINK_IDENTITY => "Liaison d'une identité ProConnect",
        action::SCHEME_CREATE => "Création d'un dispositif",
        action::EDITION_CREATE => "Création d'une édition d'appel à projets",
        action::EDITION_UPDATE => "Modification d'une édition d'appel à projets",
        action::EDITION_PUBLISH => "Publication d'une édition d'appel à projets",
        action::DOSSIER_CREATE => "Ouverture d'un dossier",
        action::DOSSIER_SAVE => "Enregistrement d'un brouillon de dossier",
        action::DOSSIER_SUBMIT => "Dépôt d'un dossier",
        action::DOSSIER_INSTRUCT => "Passage d'un dossier en instruction",
        action::DOSSIER_REQUEST_CORRECTION => "Demande de correction d'un dossier",
        action::DOSSIER_ANSWER_CORRECTION => "Réponse à une demande de correction",
        action::DOSSIER_ACCEPT => "Décision : dossier accepté",
        action::DOSSIER_REFUSE => "Décision : dossier refusé",
        action::DOSSIER_CLOSE => "Dossier classé sans suite",
        action::DOSSIER_LABELS => "Modification des étiquettes d'un dossier",
        action::DOSSIER_CHECKLIST => "Contrôle d'éligibilité et de complétude",
        action::DOSSIER_MESSAGE => "Message sur un dossier",
        action::ATTACHMENT_ADD => "Ajout d'une pièce jointe",
        action::ATTACHMENT_REMOVE => "Retrait d'une pièce jointe",
        action::OPINION_REQUEST => "Demande d'avis à une commune",
        action::OPINION_ANSWER => "Avis d'une commune",
        action::OPINION_REMIND => "Relance d'une demande d'avis",
        action::REFERENT_SET => "Communes d'un référent communal",
        action::REVIEW_ASSIGN => "Attribution d'un dossier à un évaluateur",
        action::REVIEW_UNASSIGN => "Retrait d'un dossier à un évaluateur",
        action::REVIEW_DECLARE => "Déclaration d'intérêts d'un évaluateur",
        action::REVIEW_SCORE => "Notation d'un dossier",
        action::SCENARIO_CREATE => "Création d'un scénario de répartition",
        action::SCENARIO_OVERRIDE => "Montant modifié par le comité",
        action::AWARD_CREATE => "Subvention attribuée",
        action::PAYMENT_CREATE => "Versement enregistré",
        action::AWARD_SIGN => "Convention signée",
        action::AWARD_VISA => "Convention visée par la commune",
        action::REPORT_SUBMIT => "Compte rendu financier déposé",
        action::REPORT_ACCEPT => "Compte rendu financier accepté",
        action::REPORT_RETURN => "Compte rendu financier à compléter",
        action::REPORT_REMIND => "Relance d'un compte rendu financier",
        action::SCHEME_UPDATE => "Réglages d'un dispositif modifiés",
        action::STAFF_TOKEN_CREATE => "Création d'un jeton d'API personnel",
        action::STAFF_TOKEN_REVOKE => "Révocation d'un jeton d'API personnel",
        action::DIRECTORY_IMPORT => "Import data·inclusion dans l'annuaire",
        action::DIR_STRUCTURE_STATUS => "Changement d'état d'une structure de l'annuaire",
        action::DIR_SERVICE_STATUS => "Changement d'état d'un service de l'annuaire",
        action::DIR_SERVICE_UPDATE => "Service de l'annuaire modifié",
        action::DIR_SERVICE_STALE => "Service signalé sans mise à jour depuis un an",
        action::INTEREST_DELIBERATION_CREATE => {
            "Délibération ajoutée au registre de l'intérêt territorial"
        }
        action::INTEREST_DELIBERATION_UPDATE => "Délibération du registre modifiée",
        action::INTEREST_DOCUMENT_SET => "Document d'une délibération déposé",
        action::INTEREST_POLICY_CREATE => "Politique déclarée d'intérêt territorial",
        action::INTEREST_POLICY_UPDATE => "Politique d'intérêt territorial modifiée",
        action::CLAUSE_BUYER_CREATE => "Acheteur ajouté aux clauses d'insertion",
        action::CLAUSE_CONTRACT_CREATE => "Marché avec clause d'insertion enregistré",
        action::CLAUSE_CONTRACT_IMPORT => {
            "Marchés importés d'un fichier DECP (objet : le territoire)"
        }
        action::CLAUSE_PERSON_CREATE => {
            "Personne en clause d'insertion enregistrée, éligibilité validée"
        }
        action::CLAUSE_HOURS_DECLARE => "Heures d'insertion déclarées",
        action::CLAUSE_HOURS_VALIDATE => "Heures d'insertion validées",
        action::CLAUSE_HOURS_REJECT => "Heures d'insertion rejetées",
        action::CLAUSE_SETTINGS_UPDATE => "Paramètres des clauses d'insertion modifiés",
        action::CLAUSE_ALERT => "Marché en alerte signalé (retard, fin proche)",
        action::CLAUSE_OUTCOME_SET => "Situation d'une personne à la sortie enregistrée",
        action::SHOWCASE_CREATE => "Projet ajouté à la vitrine des projets soutenus",
        action::SHOWCASE_UPDATE => "Projet de la vitrine modifié",
        action::SHOWCASE_PROPOSE => "Lauréats proposés pour la vitrine",
        action::OUTLINES_IMPORT => "Contours des communes importés",
        action::DIR_STRUCTURE_UPDATE => "Structure de l'annuaire modifiée",
        action::DIR_STRUCTURE_LINK => "Structure de l'annuaire rattachée à une organisation",
        action::ACC_COHORT_CREATE => "Promotion d'accompagnement créée",
        action::ACC_CALL_CREATE => "Appel à candidatures de l'accompagnement publié",
        action::ACC_CALL_CLOSE => "Appel à candidatures clos par anticipation",
        action::ACC_JURY_ASSIGN => "Membre du jury désigné pour un appel à candidatures",
        action::ACC_APPLICATION_SUBMIT => "Candidature à l'accompagnement déposée",
        action::ACC_SCORE_SET => "Candidature notée par un membre du jury",
        action::ACC_APPLICATION_DECIDE => "Décision sur une candidature notifiée",
        action::ACC_PROJECT_STAGE => "Projet accompagné passé à une autre étape",
        action::ACC_SESSION_CREATE => "Séance individuelle enregistrée",
        action::ACC_WORKSHOP_CREATE => "Atelier collectif enregistré",
        action::ACC_MILESTONE_CREATE => "Jalon d'un projet accompagné enregistré",
        action::ACC_OUTCOME_SET => "Résultat d'un projet accompagné enregistré",
        action::ACC_PROJECT_SHOWCASE => "Projet accompagné proposé pour la vitrine",
        action::ACC_PROJECT_DOSSIER => "Projet accompagné passé à l'appel à projets",
        action::ACC_PROJECT_PEOPLE => {
            "Porteur ou conseiller référent d'un projet accompagné modifié"
        }
        action::ACC_PARTICIPANT_CREATE => "Participant enregistré pour le suivi FSE+",
        action::ACC_PARTICIPANT_RESULT => {
            "Situation d'un participant à la sortie ou à six mois enregistrée"
        }
        action::PATH_FILE_CREATE => {
            "Dossier de parcours ouvert, avec le consentement de la personne"
        }
        action::PATH_FILE_SHARE => "Dossier de parcours partagé avec une organisation",
        action::PATH_FILE_UNSHARE => "Partage d'un dossier de parcours retiré",
        action::PATH_FILE_EXIT => "Sortie de parcours enregistrée",
        action::PATH_FILE_FOLLOW_UP => "Situation six mois après la sortie de parcours enregistrée",
        action::PATH_BARRIER_CREATE => "Frein à l'emploi repéré",
        action::PATH_BARRIER_LIFT => "Frein à l'emploi levé",
        action::PATH_STEP_CREATE => "Étape de parcours enregistrée",
        action::PATH_STEP_UPDATE => "Étape de parcours mise à jour",
        action::PATH_REFERRAL_SEND => "Orientation envoyée vers un service de l'annuaire",
        action::PATH_REFERRAL_ANSWER => "Réponse de la structure à une orientation",
        action::PATH_FILE_ANONYMISE => {
            "Dossier de parcours anonymisé deux ans après le dernier contact"
        }
        action::FORUM_CREATE => "Forum de l'emploi créé",
        action::FORUM_EMPLOYER_CREATE => "Employeur ajouté à un forum",
        action::FORUM_OFFER_CREATE => "Offre d'emploi ajoutée à un forum",
        action::FORUM_REGISTER => "Inscription à un forum de l'emploi",
        action::FORUM_CHECK_IN => "Présence au forum enregistrée",
        action::FORUM_RESULT => "Entretien ou embauche issu d'un forum enregistré",
        other => other,
    }
}

/// The French name of an object type.
pub fn object_label(object_type: &str) -> &str {
    match object_type {
        "territory" => "territoire",
        "membership" => "rôle",
        "person" => "personne",
        "job_run" => "exécution de tâche",
        "organisation" => "organisation",
        "organisation_member" => "rattachement",
        "invitation" => "invitation",
        "outbox_email" => "courriel",
        "api_token" => "jeton d'API",
        "commune" => "commune",
        "scheme" => "dispositif",
        "edition" => "édition d'appel à projets",
        "dossier" => "dossier",
        "dossier_message" => "message",
        "attachment" => "pièce jointe",
        "opinion_request" => "demande d'avis",
        "commune_referent" => "référent communal",
        "review" => "évaluation",
        "scenario" => "scénario",
        "scenario_line" => "ligne de scénario",
        "award" => "subvention",
        "payment" => "versement",
        "award_report" => "compte rendu financier",
        "staff_token" => "jeton d'API personnel",
        "dir_revision" => "révision de l'annuaire",
        "dir_structure" => "structure de l'annuaire",
        "dir_service" => "service de l'annuaire",
        "acc_cohort" => "promotion d'accompagnement",
        "acc_call" => "appel à candidatures",
        "acc_jury" => "membre de jury",
        "acc_application" => "candidature",
        "acc_score" => "note de jury",
        "acc_project" => "projet accompagné",
        "acc_session" => "séance d'accompagnement",
        "acc_workshop" => "atelier collectif",
        "acc_milestone" => "jalon",
        "acc_outcome" => "résultat d'un projet",
        "acc_participant" => "participant",
        "path_file" => "dossier de parcours",
        "path_barrier" => "frein à l'emploi",
        "path_step" => "étape de parcours",
        "path_referral" => "orientation",
        "forum" => "forum de l'emploi",
        "forum_employer" => "employeur d'un forum",
        "forum_offer" => "offre d'emploi d'un forum",
        "forum_registration" => "inscription à un forum",
        "forum_result" => "résultat d'un forum",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample<'a>(action: &'a str) -> EntryContent<'a> {
        EntryContent {
            chain: "territory:1",
            seq: 1,
            occurred_at: "2026-11-26T12:00:00Z",
            actor_id: Some(3),
            territory_id: Some(1),
            action,
            object_type: "person",
            object_id: "3",
        }
    }

    #[test]
    fn every_action_has_a_french_label() {
        for code in action::ALL {
            assert_ne!(action_label(code), *code, "{code} needs a label");
        }
    }

    #[test]
    fn any_change_changes_the_hash() {
        let a = entry_hash(GENESIS_HASH, &sample("person.create"));
        let b = entry_hash(GENESIS_HASH, &sample("person.update"));
        let c = entry_hash(&a, &sample("person.create"));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
    }
}
