//! What Trame's check of a structure or a service accepts, the official data·inclusion
//! validator (PyPI `data-inclusion-schema`, see `scripts/validators.txt`) accepts too; and
//! records it refuses, Trame refuses at the same field.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use trame_domain::directory::record::{Service, Structure};

fn structure() -> Structure {
    Structure {
        source: "trame-gpsea".into(),
        id: "s-1".into(),
        nom: "Mission locale de Créteil".into(),
        date_maj: "2026-11-26".into(),
        siret: Some("73282932000074".into()),
        adresse: Some("1 place de l'Abbaye".into()),
        code_insee: Some("94028".into()),
        code_postal: Some("94000".into()),
        commune: Some("Créteil".into()),
        latitude: Some(48.7904),
        longitude: Some(2.4556),
        courriel: Some("contact@exemple.fr".into()),
        site_web: Some("https://www.exemple.fr".into()),
        description: Some("Accueil des jeunes de 16 à 25 ans.".into()),
        reseaux_porteurs: Some(vec!["mission-locale".into()]),
        ..Structure::default()
    }
}

fn service() -> Service {
    Service {
        source: "trame-gpsea".into(),
        structure_id: "s-1".into(),
        id: "v-1".into(),
        nom: "Auto-école sociale".into(),
        description: "Préparer le permis B avec un accompagnement.".into(),
        date_maj: "2026-11-26".into(),
        kind: Some("accompagnement".into()),
        thematiques: Some(vec![
            "mobilite--preparer-un-permis".into(),
            "mobilite--financer-ma-mobilite".into(),
        ]),
        frais: Some("payant".into()),
        publics: Some(vec!["demandeurs-emploi".into(), "jeunes".into()]),
        modes_accueil: Some(vec!["en-presentiel".into()]),
        modes_mobilisation: Some(vec!["telephoner".into(), "envoyer-un-courriel".into()]),
        mobilisable_par: Some(vec!["professionnels".into(), "usagers".into()]),
        zone_eligibilite: Some(vec!["94028".into(), "94".into(), "200058006".into()]),
        code_insee: Some("94028".into()),
        telephone: Some("01 23 45 67 89".into()),
        lien_mobilisation: Some("https://www.exemple.fr/inscription".into()),
        nombre_semaines: Some(12),
        volume_horaire_hebdomadaire: Some(6.5),
        ..Service::default()
    }
}

#[test]
fn what_trame_accepts_the_official_validator_accepts() -> anyhow::Result<()> {
    let s = structure();
    let v = service();
    assert_eq!(s.check(), Ok(()));
    assert_eq!(v.check(), Ok(()));
    trame_testkit::tools::data_inclusion_validate("structure", &serde_json::json!([s]))?;
    trame_testkit::tools::data_inclusion_validate("service", &serde_json::json!([v]))?;
    Ok(())
}

#[test]
fn what_the_official_validator_refuses_trame_refuses_at_its_field() -> anyhow::Result<()> {
    let mut bad = Vec::new();
    let mut v = service();
    v.thematiques = Some(vec!["mobilite--voler".into()]);
    bad.push(("thematiques", v));
    let mut v = service();
    v.nom = "Ab".into();
    bad.push(("nom", v));
    let mut v = service();
    v.publics = Some(Vec::new());
    bad.push(("publics", v));
    let mut v = service();
    v.zone_eligibilite = Some(vec!["Créteil et alentours".into()]);
    bad.push(("zone_eligibilite", v));
    let mut v = service();
    v.code_postal = Some("940".into());
    bad.push(("code_postal", v));
    let mut v = service();
    v.publics = Some(vec!["tous-publics".into(), "jeunes".into()]);
    bad.push(("publics", v));
    let mut v = service();
    v.date_maj = "1999-12-31".into();
    bad.push(("date_maj", v));
    for (field, v) in bad {
        let errors = v.check().expect_err(field);
        assert!(errors.contains_key(field), "{field}: {errors:?}");
        assert!(
            trame_testkit::tools::data_inclusion_validate("service", &serde_json::json!([v]))
                .is_err(),
            "the official validator accepts the record Trame refuses at {field}"
        );
    }
    let mut s = structure();
    s.siret = Some("123".into());
    assert!(s.check().expect_err("siret").contains_key("siret"));
    assert!(
        trame_testkit::tools::data_inclusion_validate("structure", &serde_json::json!([s]))
            .is_err()
    );
    Ok(())
}
