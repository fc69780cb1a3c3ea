//! The directory's demonstration data: about 150 plausible services of some 60 structures
//! over the 16 communes of GPSEA (missions locales, E2C, PLIE, SIAE and ACI, mobility,
//! French language, health, housing, food, digital), all marked as demo data; and the
//! generator of `trame demo generate --services N` for benchmarks.
//!
//! The names are invented after the kinds of bodies found on the territory; none is a
//! real organisation's record.

use crate::directory::import::{ImportError, ImportOptions};
use crate::territories::Commune;
use crate::{Scope, Store, StoreError};
use trame_domain::directory::exchange::Exchange;
use trame_domain::directory::record::{Service, Structure};

/// Where a service is open.
#[derive(Clone, Copy)]
enum Zone {
    /// Its own commune.
    Commune,
    /// The whole territory.
    Territory,
    /// The département.
    Departement,
}

struct ServiceT {
    nom: &'static str,
    description: &'static str,
    thematiques: &'static [&'static str],
    kind: &'static str,
    frais: &'static str,
    publics: &'static [&'static str],
    zone: Zone,
    distance: bool,
}

struct StructureT {
    /// `{c}` stands for the commune's name.
    nom: &'static str,
    description: &'static str,
    reseaux: &'static [&'static str],
    /// The communes (INSEE) where one such structure stands.
    communes: &'static [&'static str],
    services: &'static [ServiceT],
}

const fn s(
    nom: &'static str,
    description: &'static str,
    thematiques: &'static [&'static str],
    kind: &'static str,
    frais: &'static str,
    publics: &'static [&'static str],
    zone: Zone,
) -> ServiceT {
    ServiceT {
        nom,
        description,
        thematiques,
        kind,
        frais,
        publics,
        zone,
        distance: false,
    }
}

const ALL_COMMUNES: &[&str] = &[
    "94002", "94004", "94011", "94019", "94028", "94044", "94047", "94048", "94053", "94055",
    "94056", "94059", "94060", "94070", "94071", "94075",
];

const TEMPLATES: &[StructureT] = &[
    StructureT {
        nom: "Mission locale de {c}",
        description: "Accueil, information et accompagnement des jeunes de 16 à 25 ans sortis du système scolaire : emploi, formation, santé, logement, mobilité.",
        reseaux: &["mission-locale"],
        communes: &["94028", "94071", "94002", "94044"],
        services: &[
            s(
                "Accompagnement vers l'emploi des 16-25 ans",
                "Un conseiller suit chaque jeune dans la durée : projet professionnel, candidatures, préparation aux entretiens, mise en relation avec des employeurs.",
                &[
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                    "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
                ],
                "accompagnement",
                "gratuit",
                &["jeunes"],
                Zone::Territory,
            ),
            s(
                "Contrat d'engagement jeune",
                "Un accompagnement intensif de 15 à 20 heures par semaine, avec une allocation mensuelle selon les ressources, pour accéder à un emploi ou une formation.",
                &[
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                    "se-former--trouver-sa-formation",
                ],
                "accompagnement",
                "gratuit",
                &["jeunes", "demandeurs-emploi"],
                Zone::Territory,
            ),
            s(
                "Aide au permis de conduire des jeunes",
                "Financement partiel du permis B et suivi jusqu'à l'examen pour les jeunes dont l'emploi dépend d'un véhicule.",
                &[
                    "mobilite--preparer-un-permis",
                    "mobilite--financer-ma-mobilite",
                ],
                "aide-financiere",
                "gratuit",
                &["jeunes"],
                Zone::Territory,
            ),
            s(
                "Point santé jeunes",
                "Une infirmière et une psychologue reçoivent les jeunes sans rendez-vous : droits à l'assurance maladie, bilan de santé, écoute.",
                &["sante--acces-aux-soins", "sante--sante-mentale"],
                "accompagnement",
                "gratuit",
                &["jeunes"],
                Zone::Commune,
            ),
        ],
    },
    StructureT {
        nom: "École de la deuxième chance du Val-de-Marne — site de {c}",
        description: "Une formation en alternance pour les jeunes de 16 à 25 ans sans diplôme ni qualification, avec des stages en entreprise.",
        reseaux: &["ecoles-de-la-deuxieme-chance"],
        communes: &["94028"],
        services: &[s(
            "Parcours de remise à niveau et stages en entreprise",
            "Six à dix mois pour reprendre les savoirs de base, découvrir des métiers en entreprise et construire un projet professionnel, avec une rémunération de stagiaire.",
            &[
                "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                "lecture-ecriture-calcul--maitriser-le-francais",
                "lecture-ecriture-calcul--maitriser-le-calcul",
            ],
            "formation",
            "gratuit",
            &["jeunes"],
            Zone::Departement,
        )],
    },
    StructureT {
        nom: "PLIE intercommunal — antenne de {c}",
        description: "Le plan local pour l'insertion et l'emploi accompagne les personnes les plus éloignées de l'emploi dans un parcours individualisé.",
        reseaux: &["plie"],
        communes: &["94028", "94044", "94071"],
        services: &[
            s(
                "Accompagnement renforcé vers l'emploi",
                "Un référent unique accompagne chaque participant jusqu'à l'emploi durable : diagnostic, levée des freins, formation, mise en situation de travail.",
                &[
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                    "preparer-sa-candidature--valoriser-ses-competences",
                ],
                "accompagnement",
                "gratuit",
                &["demandeurs-emploi", "beneficiaires-des-minimas-sociaux"],
                Zone::Territory,
            ),
            s(
                "Ateliers de recherche d'emploi",
                "Ateliers collectifs chaque semaine : CV, lettre de motivation, simulation d'entretien, usage des sites d'offres.",
                &[
                    "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
                    "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
                ],
                "atelier",
                "gratuit",
                &["demandeurs-emploi"],
                Zone::Territory,
            ),
        ],
    },
    StructureT {
        nom: "Jardins solidaires de {c}",
        description: "Atelier et chantier d'insertion en maraîchage biologique : des contrats de travail pour reprendre pied, et des paniers de légumes.",
        reseaux: &["aci", "inae"],
        communes: &["94011", "94047"],
        services: &[
            s(
                "Contrat en chantier d'insertion (maraîchage)",
                "Un contrat de 26 heures par semaine en maraîchage, avec un accompagnement socio-professionnel et des formations.",
                &[
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                    "remobilisation--bien-etre-confiance-en-soi",
                ],
                "accompagnement",
                "gratuit",
                &["demandeurs-emploi", "beneficiaires-des-minimas-sociaux"],
                Zone::Departement,
            ),
            s(
                "Paniers solidaires",
                "Des paniers de légumes de saison à prix réduit pour les foyers aux revenus modestes.",
                &["equipement-et-alimentation--alimentation"],
                "aide-materielle",
                "payant",
                &["familles"],
                Zone::Commune,
            ),
        ],
    },
    StructureT {
        nom: "Ressourcerie de {c}",
        description: "Collecte, réparation et revente d'objets de réemploi, en chantier d'insertion.",
        reseaux: &["ressourceries", "aci"],
        communes: &["94028", "94060", "94055"],
        services: &[
            s(
                "Emplois en ressourcerie",
                "Des postes en collecte, tri, réparation et vente, avec un accompagnement vers un emploi durable.",
                &[
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                    "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
                ],
                "accompagnement",
                "gratuit",
                &["demandeurs-emploi"],
                Zone::Departement,
            ),
            s(
                "Équipement de la maison à petits prix",
                "Meubles, électroménager et vêtements de réemploi, à petits prix, avec des bons pour les personnes orientées par un travailleur social.",
                &[
                    "equipement-et-alimentation--electromenager",
                    "equipement-et-alimentation--habillement",
                ],
                "aide-materielle",
                "payant",
                &["tous-publics"],
                Zone::Territory,
            ),
        ],
    },
    StructureT {
        nom: "Entreprise de travail temporaire d'insertion Sud-Est 94",
        description: "Des missions d'intérim dans le bâtiment, la logistique et la propreté, avec un accompagnement.",
        reseaux: &["etti"],
        communes: &["94011"],
        services: &[s(
            "Missions d'intérim d'insertion",
            "Des missions rémunérées en entreprise, un suivi par une chargée d'accompagnement, des formations sécurité.",
            &["trouver-un-emploi--repondre-a-des-offres-demploi"],
            "accompagnement",
            "gratuit",
            &["demandeurs-emploi"],
            Zone::Departement,
        )],
    },
    StructureT {
        nom: "Plateforme mobilité emploi",
        description: "Diagnostic et solutions de mobilité pour les personnes en insertion : permis, location, réparation, apprentissage du vélo.",
        reseaux: &["wimoov"],
        communes: &["94028"],
        services: &[
            s(
                "Bilan de compétences mobilité",
                "Un conseiller évalue les besoins de déplacement et propose un parcours adapté.",
                &["mobilite--etre-accompagne-dans-son-parcours-mobilite"],
                "accompagnement",
                "gratuit",
                &["demandeurs-emploi", "beneficiaires-des-minimas-sociaux"],
                Zone::Territory,
            ),
            s(
                "Location solidaire de scooters et voitures",
                "Location à un euro par jour pour se rendre à un emploi ou une formation, le temps de trouver une solution durable.",
                &["mobilite--acceder-a-un-vehicule"],
                "aide-materielle",
                "payant",
                &["demandeurs-emploi", "actifs"],
                Zone::Territory,
            ),
        ],
    },
    StructureT {
        nom: "Auto-école sociale de {c}",
        description: "Une auto-école associative pour celles et ceux qui ont besoin d'un accompagnement adapté.",
        reseaux: &[],
        communes: &["94044", "94002"],
        services: &[s(
            "Permis B accompagné",
            "Code et conduite à tarif solidaire, en petits groupes, avec un suivi pédagogique renforcé.",
            &["mobilite--preparer-un-permis"],
            "formation",
            "payant",
            &[
                "demandeurs-emploi",
                "jeunes",
                "beneficiaires-des-minimas-sociaux",
            ],
            Zone::Territory,
        )],
    },
    StructureT {
        nom: "Garage solidaire de {c}",
        description: "Réparation de véhicules à prix coûtant pour les personnes aux revenus modestes.",
        reseaux: &[],
        communes: &["94004"],
        services: &[s(
            "Réparation de véhicules à prix solidaire",
            "Entretien et réparation à prix coûtant, sur orientation d'un travailleur social ou d'un conseiller emploi.",
            &["mobilite--entretenir-reparer-son-vehicule"],
            "aide-materielle",
            "payant",
            &["beneficiaires-des-minimas-sociaux", "demandeurs-emploi"],
            Zone::Territory,
        )],
    },
    StructureT {
        nom: "Atelier vélo participatif de {c}",
        description: "Un atelier associatif pour apprendre à réparer son vélo et à circuler en ville.",
        reseaux: &[],
        communes: &["94002", "94071", "94059", "94028", "94075"],
        services: &[
            s(
                "Atelier de réparation de vélos",
                "Outils et conseils pour entretenir son vélo soi-même ; vélos d'occasion remis en état.",
                &[
                    "mobilite--mobilite-douce-partagee-collective",
                    "mobilite--entretenir-reparer-son-vehicule",
                ],
                "atelier",
                "payant",
                &["tous-publics"],
                Zone::Commune,
            ),
            s(
                "Apprendre à faire du vélo",
                "Séances pour adultes débutants : équilibre, circulation, itinéraires vers l'emploi.",
                &["mobilite--mobilite-douce-partagee-collective"],
                "atelier",
                "gratuit",
                &["femmes"],
                Zone::Commune,
            ),
        ],
    },
    StructureT {
        nom: "Centre social de {c}",
        description: "Un lieu d'accueil ouvert à tous les habitants : activités, ateliers et aide aux démarches.",
        reseaux: &["fcsf"],
        communes: ALL_COMMUNES,
        services: &[
            s(
                "Ateliers sociolinguistiques",
                "Apprendre le français de la vie quotidienne : rendez-vous, démarches, école des enfants, travail. Deux matinées par semaine.",
                &["lecture-ecriture-calcul--maitriser-le-francais"],
                "atelier",
                "gratuit",
                &["personnes-exilees", "femmes"],
                Zone::Commune,
            ),
            s(
                "Aide aux démarches administratives",
                "Un écrivain public et une médiatrice aident à remplir les dossiers : CAF, impôts, titres de séjour, retraite.",
                &[
                    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
                    "numerique--acceder-a-des-services-en-ligne",
                ],
                "accompagnement",
                "gratuit",
                &["tous-publics"],
                Zone::Commune,
            ),
        ],
    },
    StructureT {
        nom: "Épicerie solidaire de {c}",
        description: "Une épicerie où les familles orientées par un travailleur social font leurs courses à 10 à 30 % du prix.",
        reseaux: &["banques-alimentaires"],
        communes: &[
            "94028", "94002", "94011", "94071", "94044", "94004", "94019", "94059", "94075",
        ],
        services: &[s(
            "Épiceries solidaires : courses à petit prix",
            "Produits alimentaires et d'hygiène à prix réduit pendant trois à six mois, avec un projet (budget, dettes, équipement).",
            &[
                "equipement-et-alimentation--alimentation",
                "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
            ],
            "aide-materielle",
            "payant",
            &["familles", "beneficiaires-des-minimas-sociaux"],
            Zone::Commune,
        )],
    },
    StructureT {
        nom: "Espace numérique de {c}",
        description: "Un espace public numérique avec des conseillers numériques.",
        reseaux: &["conseillers-numeriques", "espaces-publics-numeriques"],
        communes: &[
            "94019", "94055", "94060", "94075", "94048", "94047", "94053", "94056", "94070",
        ],
        services: &[
            s(
                "Premiers pas sur l'ordinateur et le smartphone",
                "Ateliers en petits groupes : courriel, espace personnel France Travail, prise de rendez-vous en ligne.",
                &["numerique--maitriser-les-fondamentaux-du-numerique"],
                "atelier",
                "gratuit",
                &["seniors", "demandeurs-emploi"],
                Zone::Commune,
            ),
            s(
                "Ordinateurs reconditionnés",
                "Des ordinateurs remis à neuf pour les demandeurs d'emploi et les étudiants, à prix solidaire.",
                &["numerique--acquerir-un-equipement"],
                "aide-materielle",
                "payant",
                &["demandeurs-emploi", "etudiants"],
                Zone::Territory,
            ),
        ],
    },
    StructureT {
        nom: "Centre municipal de santé de {c}",
        description: "Médecine générale et spécialisée en secteur 1, tiers payant.",
        reseaux: &["cms"],
        communes: &["94028", "94002", "94011", "94071", "94044"],
        services: &[
            s(
                "Consultations sans dépassement d'honoraires",
                "Médecins généralistes et spécialistes, tiers payant, aide à l'ouverture des droits.",
                &["sante--acces-aux-soins"],
                "accompagnement",
                "gratuit",
                &["tous-publics"],
                Zone::Commune,
            ),
            s(
                "Bilan de santé des demandeurs d'emploi",
                "Un bilan complet pris en charge par l'assurance maladie, en lien avec les conseillers emploi.",
                &["sante--acces-aux-soins"],
                "information",
                "gratuit",
                &["demandeurs-emploi"],
                Zone::Territory,
            ),
        ],
    },
    StructureT {
        nom: "Point écoute addictions Sud-Est",
        description: "Consultations jeunes consommateurs et accompagnement des addictions.",
        reseaux: &["csapa"],
        communes: &["94028"],
        services: &[s(
            "Consultations addictions",
            "Entretiens confidentiels et gratuits avec un médecin, un psychologue ou une éducatrice.",
            &["sante--addictions", "sante--sante-mentale"],
            "accompagnement",
            "gratuit",
            &["jeunes", "actifs"],
            Zone::Departement,
        )],
    },
    StructureT {
        nom: "Service logement jeunes de {c}",
        description: "Information et accompagnement des jeunes dans l'accès au logement.",
        reseaux: &["residences-fjt"],
        communes: &["94028", "94071", "94002"],
        services: &[s(
            "Trouver un premier logement",
            "Aide à la recherche, aux garanties (Visale) et aux aides au logement ; places en résidence jeunes actifs.",
            &[
                "logement-hebergement--louer-un-logement",
                "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
            ],
            "accompagnement",
            "gratuit",
            &["jeunes"],
            Zone::Territory,
        )],
    },
    StructureT {
        nom: "Accueil de jour de {c}",
        description: "Accueil de jour des personnes sans domicile : douche, repas, domiciliation, orientation.",
        reseaux: &["federation-des-acteurs-de-la-solidarite"],
        communes: &["94028", "94002"],
        services: &[s(
            "Accueil de jour et domiciliation",
            "Un accueil inconditionnel chaque matin, une adresse pour recevoir son courrier, une orientation vers l'hébergement.",
            &[
                "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
                "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
            ],
            "accompagnement",
            "gratuit",
            &["personnes-en-situation-durgence"],
            Zone::Departement,
        )],
    },
    StructureT {
        nom: "Centre communal d'action sociale de {c}",
        description: "Le CCAS accompagne les habitants en difficulté : aides facultatives, domiciliation, instruction des demandes.",
        reseaux: &["ccas-cias"],
        communes: &[
            "94047", "94048", "94053", "94056", "94070", "94004", "94019",
        ],
        services: &[
            s(
                "Aides financières d'urgence",
                "Une aide ponctuelle pour une facture, une dépense de santé ou de mobilité, après un entretien avec un travailleur social.",
                &[
                    "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
                    "mobilite--financer-ma-mobilite",
                ],
                "aide-financiere",
                "gratuit",
                &["tous-publics"],
                Zone::Commune,
            ),
            s(
                "Prévenir les impayés de loyer",
                "Un accompagnement budgétaire et une médiation avec le bailleur pour se maintenir dans son logement.",
                &[
                    "logement-hebergement--reduire-les-impayes-de-loyer",
                    "logement-hebergement--se-maintenir-dans-le-logement",
                ],
                "accompagnement",
                "gratuit",
                &["familles", "seniors"],
                Zone::Commune,
            ),
        ],
    },
    StructureT {
        nom: "Point conseil budget Val-de-Marne Est",
        description: "Un conseil gratuit et confidentiel pour les personnes qui rencontrent des difficultés budgétaires.",
        reseaux: &["points-conseil-budget", "cresus"],
        communes: &["94071"],
        services: &[s(
            "Conseil budgétaire et surendettement",
            "Faire le point sur son budget, négocier avec les créanciers, monter un dossier de surendettement.",
            &[
                "difficultes-financieres--situation-dendettement-surendettement",
                "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
            ],
            "accompagnement",
            "gratuit",
            &["tous-publics"],
            Zone::Departement,
        )],
    },
    StructureT {
        nom: "Maison de l'emploi et des entreprises de {c}",
        description: "Le service intercommunal de l'emploi : offres locales, forums, accompagnement des créateurs.",
        reseaux: &["maisons-de-l-emploi"],
        communes: &["94028", "94044", "94004", "94071"],
        services: &[
            s(
                "Offres d'emploi du territoire et forums",
                "Les offres des entreprises locales, des clauses d'insertion et des forums de recrutement, avec un conseiller.",
                &[
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                    "preparer-sa-candidature--developper-son-reseau",
                ],
                "information",
                "gratuit",
                &["demandeurs-emploi", "actifs"],
                Zone::Territory,
            ),
            s(
                "Créer son activité",
                "Permanences pour définir et structurer son projet de création d'entreprise, orientation vers les financements.",
                &[
                    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
                    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
                ],
                "accompagnement",
                "gratuit",
                &["demandeurs-emploi", "actifs"],
                Zone::Territory,
            ),
        ],
    },
    StructureT {
        nom: "Centre d'information sur les droits des femmes et des familles",
        description: "Information juridique, accompagnement vers l'emploi et aide aux victimes de violences.",
        reseaux: &["cidff"],
        communes: &["94028"],
        services: &[
            s(
                "Accompagnement des femmes vers l'emploi",
                "Un accompagnement individuel et collectif pour les femmes éloignées de l'emploi, avec une solution de garde d'enfants.",
                &[
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                    "famille--garde-denfants",
                ],
                "accompagnement",
                "gratuit",
                &["femmes"],
                Zone::Departement,
            ),
            s(
                "Permanences juridiques",
                "Droit de la famille, du travail, violences : une juriste répond gratuitement.",
                &[
                    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
                    "famille--surmonter-conflits-separation-violence",
                ],
                "information",
                "gratuit",
                &["femmes", "familles"],
                Zone::Departement,
            ),
        ],
    },
    StructureT {
        nom: "Association de soutien scolaire et parentalité de {c}",
        description: "Soutien aux parents et aux enfants, garde ponctuelle pendant les démarches d'emploi.",
        reseaux: &["unaf"],
        communes: &["94053", "94055", "94070"],
        services: &[s(
            "Garde d'enfants pour rendez-vous d'emploi",
            "Une garde ponctuelle des enfants de moins de six ans pendant un entretien, une formation ou une démarche.",
            &["famille--garde-denfants"],
            "aide-materielle",
            "gratuit",
            &["familles", "demandeurs-emploi"],
            Zone::Commune,
        )],
    },
];

fn commune_name<'a>(communes: &'a [Commune], code: &'a str) -> &'a str {
    communes
        .iter()
        .find(|c| c.code_insee == code)
        .map_or(code, |c| c.name.as_str())
}

fn zone_of(z: Zone, commune: &str, territory_siren: &str) -> Vec<String> {
    match z {
        Zone::Commune => vec![commune.to_owned()],
        Zone::Territory => vec![territory_siren.to_owned()],
        Zone::Departement => vec![commune.chars().take(2).collect()],
    }
}

/// The demo exchange: each template at each of its communes. `copies` repeats the whole
/// set (copy `k` > 0 spreads the structures over every commune and numbers the names),
/// until `limit` services.
fn exchange(
    communes: &[Commune],
    territory_siren: &str,
    date_maj: &str,
    source: &str,
    limit: Option<usize>,
) -> Exchange {
    let mut ex = Exchange::default();
    let mut copy = 0usize;
    loop {
        for (ti, t) in TEMPLATES.iter().enumerate() {
            let places: Vec<&str> = if copy == 0 {
                t.communes.to_vec()
            } else {
                let k = (ti + copy) % ALL_COMMUNES.len();
                ALL_COMMUNES.get(k).copied().into_iter().collect()
            };
            for code in places {
                let cname = commune_name(communes, code);
                let postal = communes
                    .iter()
                    .find(|c| c.code_insee == code)
                    .and_then(|c| c.postal_codes.split(',').next().map(str::to_owned));
                let (lat, lon) = communes
                    .iter()
                    .find(|c| c.code_insee == code)
                    .map_or((None, None), |c| (c.lat, c.lon));
                let suffix = if copy == 0 {
                    String::new()
                } else {
                    format!(" ({copy})")
                };
                let sid = format!("s-{ti}-{code}-{copy}");
                let nom = format!("{}{suffix}", t.nom.replace("{c}", cname));
                let slug: String = cname
                    .to_lowercase()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect();
                ex.structures.push(Structure {
                    source: source.into(),
                    id: sid.clone(),
                    nom: nom.chars().take(150).collect(),
                    date_maj: date_maj.into(),
                    description: Some(t.description.into()),
                    code_insee: Some(code.into()),
                    code_postal: postal.clone(),
                    commune: Some(cname.into()),
                    adresse: Some(format!("{} place de la Mairie", 1 + ti % 40)),
                    latitude: lat,
                    longitude: lon,
                    courriel: Some(format!("contact-{ti}@{slug}.demo.example")),
                    telephone: Some(format!(
                        "01 45 {:02} {:02} {:02}",
                        10 + ti % 80,
                        code.len() * 7 % 100,
                        (ti * 13) % 100
                    )),
                    horaires_accueil: Some("Mo-Fr 09:00-12:30,13:30-17:30".into()),
                    reseaux_porteurs: (!t.reseaux.is_empty())
                        .then(|| t.reseaux.iter().map(|r| (*r).to_owned()).collect()),
                    ..Structure::default()
                });
                for (si, v) in t.services.iter().enumerate() {
                    if limit.is_some_and(|l| ex.services.len() >= l) {
                        return ex;
                    }
                    let accueil = if v.distance || (ti + si) % 5 == 0 {
                        vec!["en-presentiel".to_owned(), "a-distance".to_owned()]
                    } else {
                        vec!["en-presentiel".to_owned()]
                    };
                    ex.services.push(Service {
                        source: source.into(),
                        structure_id: sid.clone(),
                        id: format!("v-{ti}-{si}-{code}-{copy}"),
                        nom: format!("{}{suffix}", v.nom),
                        description: v.description.into(),
                        date_maj: date_maj.into(),
                        kind: Some(v.kind.into()),
                        thematiques: Some(v.thematiques.iter().map(|t| (*t).to_owned()).collect()),
                        frais: Some(v.frais.into()),
                        publics: Some(v.publics.iter().map(|p| (*p).to_owned()).collect()),
                        code_insee: Some(code.into()),
                        code_postal: postal.clone(),
                        commune: Some(cname.into()),
                        adresse: Some(format!("{} place de la Mairie", 1 + ti % 40)),
                        latitude: lat,
                        longitude: lon,
                        courriel: Some(format!("contact-{ti}@{slug}.demo.example")),
                        modes_accueil: Some(accueil),
                        modes_mobilisation: Some(vec!["telephoner".into(), "se-presenter".into()]),
                        mobilisable_par: Some(vec!["usagers".into(), "professionnels".into()]),
                        horaires_accueil: Some("Mo-Fr 09:00-12:30".into()),
                        zone_eligibilite: Some(zone_of(v.zone, code, territory_siren)),
                        ..Service::default()
                    });
                }
            }
        }
        copy += 1;
        if limit.is_none_or(|l| ex.services.len() >= l) {
            return ex;
        }
    }
}

fn import_error(e: ImportError) -> StoreError {
    match e {
        ImportError::Store(s) => s,
        ImportError::Rows(rows) => StoreError::Internal(format!(
            "demo directory: {}",
            rows.first().map(ToString::to_string).unwrap_or_default()
        )),
    }
}

impl Store {
    /// Loads the directory's demo records (published, marked as demo data).
    pub async fn load_demo_directory(
        &self,
        scope: Scope,
        territory_siren: &str,
    ) -> Result<usize, StoreError> {
        let communes = self.communes(scope).await?;
        let date = self.today();
        // Ten months ago, so that none is flagged as stale before two months.
        let date_maj = (date - time::Duration::days(300)).to_string();
        let ex = exchange(&communes, territory_siren, &date_maj, "trame-demo", None);
        self.import_demo(scope, &ex).await
    }

    /// Imports demo records, published and marked as demo data; returns how many services.
    async fn import_demo(&self, scope: Scope, ex: &Exchange) -> Result<usize, StoreError> {
        self.import_directory(
            None,
            scope,
            ex,
            ImportOptions {
                publish: true,
                demo: true,
            },
            &|_, _| {},
        )
        .await
        .map_err(import_error)?;
        Ok(ex.services.len())
    }

    /// Adds `n` generated services (and their structures) to the demo territory's
    /// directory, in one import; for benchmarks.
    pub async fn generate_directory(&self, n: u32) -> Result<usize, StoreError> {
        let territory = self.territory_by_slug("gpsea").await?;
        let communes = self.communes(territory.scope()).await?;
        let date_maj = self.today().to_string();
        let source = format!("trame-bench-{}", self.now().unix_timestamp());
        let ex = exchange(
            &communes,
            &territory.siren,
            &date_maj,
            &source,
            Some(n as usize),
        );
        self.import_demo(territory.scope(), &ex).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_holds_about_150_services_over_every_commune() {
        let ex = exchange(&[], "200058006", "2026-01-01", "trame-demo", None);
        assert!(
            (130..=180).contains(&ex.services.len()),
            "{}",
            ex.services.len()
        );
        for code in ALL_COMMUNES {
            assert!(
                ex.structures
                    .iter()
                    .any(|s| s.code_insee.as_deref() == Some(*code)),
                "{code} has no structure"
            );
        }
        let more = exchange(&[], "200058006", "2026-01-01", "b", Some(1000));
        assert_eq!(more.services.len(), 1000);
    }
}
