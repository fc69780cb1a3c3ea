//! A structure and a service as data·inclusion v1 exchanges them (field names, types and
//! rules of `../shared/schemas/data-inclusion-v1/{structure,service}.json`), with the check
//! that names each faulty field in French. Import, export and the edit forms all go
//! through these two types, so what Trame accepts is what the schema accepts.

use super::vocab::Vocabulary;
use crate::organisation::FieldErrors;
use serde::{Deserialize, Serialize};
use time::Date;

/// A structure (an organisation that offers services).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Structure {
    /// Who produced the record (`trame-gpsea`, `dora`…).
    pub source: String,
    /// Its id within the source.
    pub id: String,
    /// Name, 3 to 150 characters.
    pub nom: String,
    /// Last update, `YYYY-MM-DD`.
    pub date_maj: String,
    /// SIRET, 14 digits.
    #[serde(default)]
    pub siret: Option<String>,
    /// Street address.
    #[serde(default)]
    pub adresse: Option<String>,
    /// Address complement.
    #[serde(default)]
    pub complement_adresse: Option<String>,
    /// INSEE code of the commune.
    #[serde(default)]
    pub code_insee: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub code_postal: Option<String>,
    /// Commune name.
    #[serde(default)]
    pub commune: Option<String>,
    /// Latitude (WGS 84).
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude (WGS 84).
    #[serde(default)]
    pub longitude: Option<f64>,
    /// Email.
    #[serde(default)]
    pub courriel: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub telephone: Option<String>,
    /// Website.
    #[serde(default)]
    pub site_web: Option<String>,
    /// Link to the record at its source.
    #[serde(default)]
    pub lien_source: Option<String>,
    /// Description, 5 to 10,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// Opening hours (OpenStreetMap `opening_hours` syntax).
    #[serde(default)]
    pub horaires_accueil: Option<String>,
    /// Link to the place's accessibility information.
    #[serde(default)]
    pub accessibilite_lieu: Option<String>,
    /// Networks the structure belongs to.
    #[serde(default)]
    pub reseaux_porteurs: Option<Vec<String>>,
}

/// A service offered by a structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Service {
    /// Who produced the record.
    pub source: String,
    /// The structure's id within the source.
    pub structure_id: String,
    /// Its id within the source.
    pub id: String,
    /// Name, 3 to 150 characters.
    pub nom: String,
    /// What it is, 5 to 10,000 characters.
    pub description: String,
    /// Last update, `YYYY-MM-DD`.
    pub date_maj: String,
    /// Type of service.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Thématiques (`category--sub-theme`).
    #[serde(default)]
    pub thematiques: Option<Vec<String>>,
    /// Fees.
    #[serde(default)]
    pub frais: Option<String>,
    /// Fees, in words.
    #[serde(default)]
    pub frais_precisions: Option<String>,
    /// Publics.
    #[serde(default)]
    pub publics: Option<Vec<String>>,
    /// Publics, in words.
    #[serde(default)]
    pub publics_precisions: Option<String>,
    /// Conditions of access.
    #[serde(default)]
    pub conditions_acces: Option<String>,
    /// Street address.
    #[serde(default)]
    pub adresse: Option<String>,
    /// Address complement.
    #[serde(default)]
    pub complement_adresse: Option<String>,
    /// INSEE code of the commune.
    #[serde(default)]
    pub code_insee: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub code_postal: Option<String>,
    /// Commune name.
    #[serde(default)]
    pub commune: Option<String>,
    /// Latitude (WGS 84).
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude (WGS 84).
    #[serde(default)]
    pub longitude: Option<f64>,
    /// Email.
    #[serde(default)]
    pub courriel: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub telephone: Option<String>,
    /// Contact person.
    #[serde(default)]
    pub contact_nom_prenom: Option<String>,
    /// Link to mobilise the service.
    #[serde(default)]
    pub lien_mobilisation: Option<String>,
    /// Link to the record at its source.
    #[serde(default)]
    pub lien_source: Option<String>,
    /// Modes d'accueil.
    #[serde(default)]
    pub modes_accueil: Option<Vec<String>>,
    /// How to mobilise it.
    #[serde(default)]
    pub modes_mobilisation: Option<Vec<String>>,
    /// Who may mobilise it.
    #[serde(default)]
    pub mobilisable_par: Option<Vec<String>>,
    /// Mobilisation, in words.
    #[serde(default)]
    pub mobilisation_precisions: Option<String>,
    /// Opening hours.
    #[serde(default)]
    pub horaires_accueil: Option<String>,
    /// Who is eligible, by place: commune (INSEE), département, EPCI (SIREN), foreign
    /// country (99xxx) or `france`.
    #[serde(default)]
    pub zone_eligibilite: Option<Vec<String>>,
    /// Length in weeks.
    #[serde(default)]
    pub nombre_semaines: Option<i64>,
    /// Hours per week.
    #[serde(default)]
    pub volume_horaire_hebdomadaire: Option<f64>,
}

fn required(errors: &mut FieldErrors, field: &'static str, value: &str, what: &str) {
    if value.trim().is_empty() {
        errors.insert(field, format!("{what} est obligatoire."));
    }
}

fn length(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
    what: &str,
) {
    let n = value.chars().count();
    if n < min || n > max {
        errors.insert(
            field,
            format!("{what} compte de {min} à {max} caractères ({n} ici)."),
        );
    }
}

fn date(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    let d = crate::format::parse_iso_date(value);
    match d {
        None => {
            errors.insert(
                field,
                "La date de mise à jour s'écrit AAAA-MM-JJ, par exemple 2026-11-26.".into(),
            );
        }
        Some(d) if d.year() < 2000 => {
            errors.insert(
                field,
                "La date de mise à jour doit être postérieure au 1er janvier 2000.".into(),
            );
        }
        Some(_) => {}
    }
    d
}

fn pattern(
    errors: &mut FieldErrors,
    field: &'static str,
    value: Option<&String>,
    ok: impl Fn(&str) -> bool,
    message: &str,
) {
    if let Some(v) = value
        && !ok(v)
    {
        errors.insert(field, message.to_owned());
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn word_chars(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.chars().count()) && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn uri(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > "http://".len()
        && s.len() <= 2083
        && !s.chars().any(char::is_whitespace)
}

fn email(s: &str) -> bool {
    crate::email::Email::parse(s).is_ok()
}

fn coordinates(errors: &mut FieldErrors, lat: Option<f64>, lon: Option<f64>) {
    if lat.is_some_and(|l| !(-90.0..=90.0).contains(&l)) {
        errors.insert("latitude", "La latitude va de -90 à 90.".into());
    }
    if lon.is_some_and(|l| !(-180.0..=180.0).contains(&l)) {
        errors.insert("longitude", "La longitude va de -180 à 180.".into());
    }
}

fn codes(
    errors: &mut FieldErrors,
    field: &'static str,
    values: Option<&Vec<String>>,
    vocab: Vocabulary,
    at_least_one: bool,
    what: &str,
) {
    let Some(values) = values else { return };
    if at_least_one && values.is_empty() {
        errors.insert(field, format!("Indiquez au moins un élément : {what}."));
        return;
    }
    if let Some(bad) = values.iter().find(|v| !vocab.contains(v)) {
        errors.insert(
            field,
            format!("« {bad} » n'est pas une valeur admise ({what})."),
        );
        return;
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = values.iter().find(|v| !seen.insert(v.as_str())) {
        errors.insert(field, format!("« {twice} » figure deux fois ({what})."));
    }
}

fn address(
    errors: &mut FieldErrors,
    code_insee: Option<&String>,
    code_postal: Option<&String>,
    courriel: Option<&String>,
) {
    pattern(
        errors,
        "code_insee",
        code_insee,
        |s| word_chars(s, 5, 5),
        "Le code INSEE de la commune compte 5 caractères (par exemple 94028).",
    );
    pattern(
        errors,
        "code_postal",
        code_postal,
        |s| digits(s, 5),
        "Le code postal compte 5 chiffres.",
    );
    pattern(
        errors,
        "courriel",
        courriel,
        email,
        "Le courriel n'a pas la forme nom@domaine.fr.",
    );
}

/// One place of a zone d'éligibilité: commune, département, EPCI, foreign country, France.
pub fn is_zone(code: &str) -> bool {
    code == "france"
        || word_chars(code, 5, 5)
        || word_chars(code, 2, 3)
        || digits(code, 9)
        || (digits(code, 5) && code.starts_with("99"))
}

impl Structure {
    /// Checks a structure against the schema's rules; every error names its field.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        required(&mut e, "source", &self.source, "La source");
        required(&mut e, "id", &self.id, "L'identifiant");
        length(&mut e, "nom", &self.nom, 3, 150, "Le nom");
        date(&mut e, "date_maj", &self.date_maj);
        pattern(
            &mut e,
            "siret",
            self.siret.as_ref(),
            |s| digits(s, 14),
            "Le SIRET compte 14 chiffres.",
        );
        address(
            &mut e,
            self.code_insee.as_ref(),
            self.code_postal.as_ref(),
            self.courriel.as_ref(),
        );
        for (field, value) in [
            ("site_web", self.site_web.as_ref()),
            ("lien_source", self.lien_source.as_ref()),
            ("accessibilite_lieu", self.accessibilite_lieu.as_ref()),
        ] {
            pattern(
                &mut e,
                field,
                value,
                uri,
                "Le lien doit commencer par https:// (ou http://).",
            );
        }
        if let Some(d) = &self.description {
            length(&mut e, "description", d, 5, 10_000, "La description");
        }
        coordinates(&mut e, self.latitude, self.longitude);
        codes(
            &mut e,
            "reseaux_porteurs",
            self.reseaux_porteurs.as_ref(),
            Vocabulary::ReseauxPorteurs,
            false,
            "réseaux porteurs",
        );
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

impl Service {
    /// Checks a service against the schema's rules; every error names its field.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        required(&mut e, "source", &self.source, "La source");
        required(&mut e, "structure_id", &self.structure_id, "La structure");
        required(&mut e, "id", &self.id, "L'identifiant");
        length(&mut e, "nom", &self.nom, 3, 150, "Le nom");
        length(
            &mut e,
            "description",
            &self.description,
            5,
            10_000,
            "La description",
        );
        date(&mut e, "date_maj", &self.date_maj);
        if let Some(k) = &self.kind
            && !Vocabulary::TypesDeServices.contains(k)
        {
            e.insert(
                "type",
                format!("« {k} » n'est pas un type de service admis."),
            );
        }
        if let Some(f) = &self.frais
            && !Vocabulary::Frais.contains(f)
        {
            e.insert(
                "frais",
                format!("« {f} » : les frais sont gratuit ou payant."),
            );
        }
        codes(
            &mut e,
            "thematiques",
            self.thematiques.as_ref(),
            Vocabulary::Thematiques,
            false,
            "thématiques",
        );
        codes(
            &mut e,
            "publics",
            self.publics.as_ref(),
            Vocabulary::Publics,
            true,
            "publics",
        );
        if let Some(p) = &self.publics
            && p.len() > 1
            && p.iter().any(|v| v == "tous-publics")
            && !e.contains_key("publics")
        {
            e.insert(
                "publics",
                "« tous-publics » ne se combine pas avec d'autres publics.".into(),
            );
        }
        codes(
            &mut e,
            "modes_accueil",
            self.modes_accueil.as_ref(),
            Vocabulary::ModesAccueil,
            false,
            "modes d'accueil",
        );
        codes(
            &mut e,
            "modes_mobilisation",
            self.modes_mobilisation.as_ref(),
            Vocabulary::ModesMobilisation,
            true,
            "modes de mobilisation",
        );
        codes(
            &mut e,
            "mobilisable_par",
            self.mobilisable_par.as_ref(),
            Vocabulary::PersonnesMobilisatrices,
            true,
            "qui peut mobiliser le service",
        );
        address(
            &mut e,
            self.code_insee.as_ref(),
            self.code_postal.as_ref(),
            self.courriel.as_ref(),
        );
        for (field, value) in [
            ("lien_mobilisation", self.lien_mobilisation.as_ref()),
            ("lien_source", self.lien_source.as_ref()),
        ] {
            pattern(
                &mut e,
                field,
                value,
                uri,
                "Le lien doit commencer par https:// (ou http://).",
            );
        }
        coordinates(&mut e, self.latitude, self.longitude);
        if let Some(zone) = &self.zone_eligibilite {
            if zone.is_empty() {
                e.insert(
                    "zone_eligibilite",
                    "Indiquez au moins une commune, un département, un EPCI ou « france ».".into(),
                );
            } else if let Some(bad) = zone.iter().find(|z| !is_zone(z)) {
                e.insert(
                    "zone_eligibilite",
                    format!(
                        "« {bad} » n'est ni un code commune, ni un département, ni un SIREN d'EPCI, ni « france »."
                    ),
                );
            }
        }
        if self.nombre_semaines.is_some_and(|n| n < 0) {
            e.insert(
                "nombre_semaines",
                "Le nombre de semaines est positif.".into(),
            );
        }
        if self
            .volume_horaire_hebdomadaire
            .is_some_and(|h| !(0.0..=168.0).contains(&h))
        {
            e.insert(
                "volume_horaire_hebdomadaire",
                "Le volume horaire hebdomadaire va de 0 à 168 heures.".into(),
            );
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Service {
        Service {
            source: "trame-gpsea".into(),
            structure_id: "s-1".into(),
            id: "v-1".into(),
            nom: "Auto-école sociale".into(),
            description: "Préparer le permis B avec un accompagnement.".into(),
            date_maj: "2026-11-26".into(),
            kind: Some("accompagnement".into()),
            thematiques: Some(vec!["mobilite--preparer-un-permis".into()]),
            frais: Some("payant".into()),
            publics: Some(vec!["demandeurs-emploi".into(), "jeunes".into()]),
            modes_mobilisation: Some(vec!["telephoner".into()]),
            mobilisable_par: Some(vec!["professionnels".into()]),
            zone_eligibilite: Some(vec!["94028".into(), "94".into(), "200058006".into()]),
            code_insee: Some("94028".into()),
            courriel: Some("contact@exemple.fr".into()),
            ..Service::default()
        }
    }

    #[test]
    fn a_complete_service_passes_and_reads_back_from_its_json() {
        let s = service();
        assert_eq!(s.check(), Ok(()));
        let json = serde_json::to_string(&s).expect("json");
        assert!(json.contains("\"type\":\"accompagnement\""));
        let back: Service = serde_json::from_str(&json).expect("back");
        assert_eq!(back, s);
    }

    #[test]
    fn each_fault_is_named_at_its_field_in_french() {
        let mut s = service();
        s.nom = "Ab".into();
        s.date_maj = "26/11/2026".into();
        s.thematiques = Some(vec!["mobilite--voler".into()]);
        s.publics = Some(vec!["jeunes".into(), "jeunes".into()]);
        s.zone_eligibilite = Some(vec!["Créteil et alentours".into()]);
        s.lien_mobilisation = Some("www.exemple.fr".into());
        s.latitude = Some(123.0);
        let e = s.check().expect_err("faulty");
        for field in [
            "nom",
            "date_maj",
            "thematiques",
            "publics",
            "zone_eligibilite",
            "lien_mobilisation",
            "latitude",
        ] {
            assert!(e.contains_key(field), "{field}: {e:?}");
        }
        assert!(e["publics"].contains("deux fois"));
    }

    #[test]
    fn a_structure_needs_its_name_source_and_date() {
        let s = Structure {
            source: "trame-gpsea".into(),
            id: "s-1".into(),
            nom: "Mission locale de Créteil".into(),
            date_maj: "2026-11-26".into(),
            siret: Some("12345".into()),
            reseaux_porteurs: Some(vec!["mission-locale".into()]),
            ..Structure::default()
        };
        let e = s.check().expect_err("bad SIRET");
        assert_eq!(e.keys().copied().collect::<Vec<_>>(), vec!["siret"]);
    }

    #[test]
    fn the_zones_of_the_schema() {
        for ok in [
            "94028",
            "2A004",
            "94",
            "971",
            "200058006",
            "99134",
            "france",
        ] {
            assert!(is_zone(ok), "{ok}");
        }
        for bad in ["9402", "Créteil!", "", "FRANCE "] {
            assert!(!is_zone(bad), "{bad}");
        }
    }
}
