//! Reading contracts from a DECP v2 JSON file (données essentielles de la commande
//! publique, format of the arrêté of 22 December 2022): `{"marches": {"marche": [...]}}`
//! or `{"marches": [...]}`. Only the contracts whose `considerationsSociales` carry a
//! social consideration are kept, with those flags; each becomes a [`ContractInput`]
//! whose target the caller computes with the territory's rate and hourly cost.

use super::contract::ContractInput;
use super::vocab::ClauseType;
use serde_json::Value;

/// A contract read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecpContract {
    /// Its position in the file's list, from 1.
    pub position: usize,
    /// The buyer's SIRET (`acheteur.id`).
    pub buyer_siret: String,
    /// The social considerations, as written in the file.
    pub considerations: Vec<String>,
    /// The contract, ready to check (target fields left to the caller).
    pub input: ContractInput,
}

/// What the file says of a contract, read into a clause type: a reserved contract, an
/// award criterion, or (a « clause sociale ») an execution condition.
pub fn clause_type_of(considerations: &[String]) -> Option<ClauseType> {
    let has = |s: &str| {
        considerations
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case(s))
    };
    if has("Marché réservé") {
        Some(ClauseType::ReservedSiae)
    } else if has("Clause sociale") {
        Some(ClauseType::Execution)
    } else if has("Critère social") {
        Some(ClauseType::AwardCriterion)
    } else {
        None
    }
}

/// The trade whose labour share fits a CPV code best, for the calculator's default.
pub fn trade_for_cpv(cpv: &str) -> &'static str {
    let p = |prefix: &str| cpv.starts_with(prefix);
    if p("45442") || p("45440") {
        "peinture"
    } else if p("45262") || p("452") && !p("4523") {
        "maconnerie"
    } else if p("45223") {
        "charpente-metallique"
    } else if p("4523") || p("4524") {
        "reseaux"
    } else if p("909") {
        "nettoyage"
    } else if p("773") || p("7731") {
        "espaces-verts"
    } else if p("555") {
        "restauration"
    } else {
        "second-oeuvre"
    }
}

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn considerations(m: &Value) -> Vec<String> {
    let raw = m.get("considerationsSociales");
    let list = match raw {
        Some(Value::Object(o)) => o
            .get("considerationSociale")
            .cloned()
            .unwrap_or(Value::Null),
        Some(other) => other.clone(),
        None => Value::Null,
    };
    match list {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        Value::String(s) => s.split(',').map(|x| x.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// Reads the file: the contracts with a social consideration, or a French message.
pub fn read(bytes: &[u8]) -> Result<Vec<DecpContract>, String> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("Le fichier n'est pas un JSON lisible (ligne {}).", e.line()))?;
    let list = match v.get("marches") {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(o)) => match o.get("marche") {
            Some(Value::Array(a)) => a.clone(),
            Some(one @ Value::Object(_)) => vec![one.clone()],
            _ => Vec::new(),
        },
        _ => {
            return Err(
                "Ce fichier n'est pas au format DECP : il n'a pas de liste « marches ».".into(),
            );
        }
    };
    Ok(list
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let considerations = considerations(m);
            let clause = clause_type_of(&considerations)?;
            let titulaire = m
                .get("titulaires")
                .and_then(Value::as_array)
                .and_then(|t| t.first())
                .map(|t| t.get("titulaire").unwrap_or(t).clone())
                .unwrap_or(Value::Null);
            let lieu = m.get("lieuExecution").cloned().unwrap_or(Value::Null);
            let commune = if text(&lieu, "typeCode").to_lowercase().contains("commune") {
                text(&lieu, "code")
            } else {
                String::new()
            };
            let cpv = text(m, "codeCPV");
            Some(DecpContract {
                position: i + 1,
                buyer_siret: m.get("acheteur").map(|a| text(a, "id")).unwrap_or_default(),
                input: ContractInput {
                    reference: text(m, "id"),
                    object: text(m, "objet"),
                    amount: text(m, "montant").replace('.', ","),
                    notified_on: text(m, "dateNotification").chars().take(10).collect(),
                    duration_months: text(m, "dureeMois"),
                    commune_code: commune,
                    awardee_siret: text(&titulaire, "id"),
                    clause_type: clause.code().to_owned(),
                    trade: trade_for_cpv(&cpv).to_owned(),
                    cpv,
                    ..Default::default()
                },
                considerations,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"marches": {"marche": [
      {"id": "20260012300", "acheteur": {"id": "20005800600012"}, "nature": "Marché",
       "objet": "Rénovation du gymnase", "codeCPV": "45262500-6", "dureeMois": 18,
       "dateNotification": "2026-03-15", "montant": 1000000.5,
       "lieuExecution": {"code": "94028", "typeCode": "Code commune"},
       "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": "73282932000074"}}],
       "considerationsSociales": {"considerationSociale": ["Clause sociale", "Critère social"]}},
      {"id": "20260012301", "acheteur": {"id": "20005800600012"}, "objet": "Fournitures",
       "codeCPV": "30192000-1", "considerationsSociales": {"considerationSociale": ["Pas de considération sociale"]}},
      {"id": "20260012302", "acheteur": {"id": "20005800600012"}, "objet": "Entretien des espaces verts",
       "codeCPV": "77310000-6", "dureeMois": 36, "dateNotification": "2025-09-01", "montant": 240000,
       "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": "73282932000074"}}],
       "considerationsSociales": {"considerationSociale": "Marché réservé"}}
    ]}}"#;

    #[test]
    fn keeps_the_contracts_with_a_social_consideration_and_their_flags() {
        let read = read(FILE.as_bytes()).unwrap();
        assert_eq!(read.len(), 2);
        let first = &read[0];
        assert_eq!(first.position, 1);
        assert_eq!(first.input.clause_type, "condition_execution");
        assert_eq!(first.input.amount, "1000000,5");
        assert_eq!(first.input.commune_code, "94028");
        assert_eq!(first.input.trade, "maconnerie");
        assert_eq!(
            first.considerations,
            vec!["Clause sociale", "Critère social"]
        );
        assert_eq!(read[1].input.clause_type, "reserve_siae");
        assert_eq!(read[1].input.trade, "espaces-verts");
        assert_eq!(read[1].position, 3);
    }

    #[test]
    fn a_file_that_is_not_decp_is_told() {
        assert!(read(b"{").unwrap_err().contains("JSON"));
        assert!(read(b"{\"x\": 1}").unwrap_err().contains("DECP"));
        assert!(read(b"{\"marches\": []}").unwrap().is_empty());
    }
}
