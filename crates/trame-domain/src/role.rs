//! The roles a person holds in a territory. A person may hold several roles in one
//! territory and belong to several territories.

use serde::{Deserialize, Serialize};

/// A role within one territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Administers the territory: members, settings, journal.
    TerritoryAdmin,
    /// A territory agent who instructs files (instructeur).
    Agent,
    /// A member of a selection committee.
    CommitteeMember,
    /// The referent of one commune.
    CommuneReferent,
    /// A partner organisation: mission locale, PLIE, SIAE…
    Partner,
    /// A member of an applicant organisation (association, social enterprise).
    Applicant,
    /// A company meeting insertion clauses.
    Company,
    /// A facilitator (chargé d'accompagnement) of the ESS programme or a clause.
    Facilitator,
}

impl Role {
    /// Every role, in the order pages list them.
    pub const ALL: [Role; 8] = [
        Role::TerritoryAdmin,
        Role::Agent,
        Role::CommitteeMember,
        Role::CommuneReferent,
        Role::Partner,
        Role::Applicant,
        Role::Company,
        Role::Facilitator,
    ];

    /// The stable code stored in the database and used on the command line.
    pub const fn code(self) -> &'static str {
        match self {
            Role::TerritoryAdmin => "territory_admin",
            Role::Agent => "agent",
            Role::CommitteeMember => "committee_member",
            Role::CommuneReferent => "commune_referent",
            Role::Partner => "partner",
            Role::Applicant => "applicant",
            Role::Company => "company",
            Role::Facilitator => "facilitator",
        }
    }

    /// The French label shown to people.
    pub const fn label(self) -> &'static str {
        match self {
            Role::TerritoryAdmin => "Administrateur du territoire",
            Role::Agent => "Agent instructeur",
            Role::CommitteeMember => "Membre de comité de sélection",
            Role::CommuneReferent => "Référent communal",
            Role::Partner => "Organisation partenaire",
            Role::Applicant => "Membre d'une structure porteuse",
            Role::Company => "Entreprise",
            Role::Facilitator => "Chargé d'accompagnement",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this role belongs to the territory's own staff (sees internal pages).
    pub const fn is_staff(self) -> bool {
        matches!(self, Role::TerritoryAdmin | Role::Agent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
