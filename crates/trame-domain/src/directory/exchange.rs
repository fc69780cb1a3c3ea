//! data·inclusion files in and out: JSON (an object with `structures` and `services`, or
//! a list of either) and CSV (one file per kind, the schema's field names as headers,
//! lists written `a,b,c`), and the check of a whole file before anything is written.
//! Every fault is reported with its file, its row, the record's id, the field and a
//! French reason.

use super::record::{Service, Structure};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Which records a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Structures.
    Structures,
    /// Services.
    Services,
}

impl Kind {
    /// French name, for reports.
    pub const fn label(self) -> &'static str {
        match self {
            Kind::Structures => "structures",
            Kind::Services => "services",
        }
    }
}

/// One fault of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Structures or services.
    pub kind: Kind,
    /// Row: the element's rank in a JSON list, the line in a CSV file (the header is
    /// line 1); 0 for the file as a whole.
    pub row: usize,
    /// The record's id, when it could be read.
    pub id: String,
    /// The field, or empty for the whole row.
    pub field: String,
    /// The reason, in French.
    pub message: String,
}

impl RowError {
    fn new(kind: Kind, row: usize, id: &str, field: &str, message: impl Into<String>) -> Self {
        RowError {
            kind,
            row,
            id: id.to_owned(),
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ", self.kind.label())?;
        if self.row > 0 {
            write!(f, "ligne {}", self.row)?;
        }
        if !self.id.is_empty() {
            write!(f, " (id {})", self.id)?;
        }
        if !self.field.is_empty() {
            write!(f, ", champ {}", self.field)?;
        }
        write!(f, " : {}", self.message)
    }
}

/// The records of one or more files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exchange {
    /// Structures, in file order.
    pub structures: Vec<Structure>,
    /// Services, in file order.
    pub services: Vec<Service>,
}

const LIST_FIELDS: [&str; 8] = [
    "reseaux_porteurs",
    "thematiques",
    "publics",
    "modes_accueil",
    "modes_mobilisation",
    "mobilisable_par",
    "zone_eligibilite",
    "typologies",
];
const NUMBER_FIELDS: [&str; 4] = [
    "latitude",
    "longitude",
    "nombre_semaines",
    "volume_horaire_hebdomadaire",
];

fn id_of(v: &Value) -> String {
    match v.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(other) if !other.is_null() => other.to_string(),
        _ => String::new(),
    }
}

fn typed<T: serde::de::DeserializeOwned>(
    kind: Kind,
    row: usize,
    v: Value,
    errors: &mut Vec<RowError>,
) -> Option<T> {
    let id = id_of(&v);
    match serde_json::from_value::<T>(v) {
        Ok(t) => Some(t),
        Err(e) => {
            // serde names the missing or mistyped field in its message.
            let text = e.to_string();
            let field = text
                .split('`')
                .nth(1)
                .filter(|f| !f.contains(' '))
                .unwrap_or("")
                .to_owned();
            let message = if text.starts_with("missing field") {
                "Ce champ obligatoire manque.".to_owned()
            } else {
                format!("Valeur d'un type inattendu ({text}).")
            };
            errors.push(RowError::new(kind, row, &id, &field, message));
            None
        }
    }
}

fn add(ex: &mut Exchange, kind: Kind, row: usize, v: Value, errors: &mut Vec<RowError>) {
    match kind {
        Kind::Structures => ex.structures.extend(typed(kind, row, v, errors)),
        Kind::Services => ex.services.extend(typed(kind, row, v, errors)),
    }
}

fn kind_of(v: &Value) -> Kind {
    if v.get("structure_id").is_some() {
        Kind::Services
    } else {
        Kind::Structures
    }
}

/// Reads a JSON file: `{"structures": […], "services": […]}` or a list of structures or
/// of services (told apart by `structure_id`).
pub fn read_json(bytes: &[u8]) -> Result<Exchange, Vec<RowError>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        vec![RowError::new(
            Kind::Structures,
            0,
            "",
            "",
            format!(
                "Le fichier n'est pas un JSON lisible (ligne {}, colonne {}).",
                e.line(),
                e.column()
            ),
        )]
    })?;
    let mut ex = Exchange::default();
    let mut errors = Vec::new();
    match value {
        Value::Object(mut o) if o.contains_key("structures") || o.contains_key("services") => {
            for kind in [Kind::Structures, Kind::Services] {
                match o.remove(kind.label()) {
                    Some(Value::Array(items)) => {
                        for (i, v) in items.into_iter().enumerate() {
                            add(&mut ex, kind, i + 1, v, &mut errors);
                        }
                    }
                    None | Some(Value::Null) => {}
                    Some(_) => errors.push(RowError::new(
                        kind,
                        0,
                        "",
                        kind.label(),
                        "Une liste était attendue.",
                    )),
                }
            }
        }
        Value::Array(items) => {
            let kind = items.first().map_or(Kind::Structures, kind_of);
            for (i, v) in items.into_iter().enumerate() {
                add(&mut ex, kind, i + 1, v, &mut errors);
            }
        }
        _ => errors.push(RowError::new(
            Kind::Structures,
            0,
            "",
            "",
            "Le fichier doit contenir une liste de structures ou de services, ou un objet avec les clés « structures » et « services ».",
        )),
    }
    if errors.is_empty() {
        Ok(ex)
    } else {
        Err(errors)
    }
}

/// Reads a CSV file of structures or of services (told apart by a `structure_id`
/// column). Separator `,` or `;`; lists as `a,b` (or a JSON list).
pub fn read_csv(bytes: &[u8]) -> Result<Exchange, Vec<RowError>> {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let semicolons = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if semicolons > commas { b';' } else { b',' })
        .flexible(false)
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    let file_error = |message: String| vec![RowError::new(Kind::Structures, 0, "", "", message)];
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| file_error(format!("L'en-tête du fichier CSV est illisible : {e}.")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let kind = if headers.iter().any(|h| h == "structure_id") {
        Kind::Services
    } else {
        Kind::Structures
    };
    let mut ex = Exchange::default();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError::new(
                    kind,
                    line,
                    "",
                    "",
                    format!("Ligne illisible : {e}."),
                ));
                continue;
            }
        };
        let mut o = Map::new();
        let mut id = String::new();
        let mut bad = false;
        for (h, cell) in headers.iter().zip(record.iter()) {
            let cell = cell.trim();
            if h == "id" {
                id = cell.to_owned();
            }
            if cell.is_empty() {
                continue;
            }
            let v = if LIST_FIELDS.contains(&h.as_str()) {
                if cell.starts_with('[') {
                    serde_json::from_str(cell).unwrap_or(Value::Null)
                } else {
                    Value::Array(
                        cell.split(',')
                            .map(|s| Value::String(s.trim().to_owned()))
                            .filter(|v| v.as_str() != Some(""))
                            .collect(),
                    )
                }
            } else if NUMBER_FIELDS.contains(&h.as_str()) {
                match cell.replace(',', ".").parse::<f64>() {
                    Ok(n) if h == "nombre_semaines" && n.fract() == 0.0 => Value::from(n as i64),
                    Ok(n) if h != "nombre_semaines" => Value::from(n),
                    _ => {
                        errors.push(RowError::new(
                            kind,
                            line,
                            &id,
                            h,
                            format!("« {cell} » n'est pas un nombre."),
                        ));
                        bad = true;
                        continue;
                    }
                }
            } else {
                Value::String(cell.to_owned())
            };
            o.insert(h.clone(), v);
        }
        if !bad {
            add(&mut ex, kind, line, Value::Object(o), &mut errors);
        }
    }
    if errors.is_empty() {
        Ok(ex)
    } else {
        Err(errors)
    }
}

/// Reads a file by its name: `.csv` as CSV, anything else as JSON.
pub fn read_named(name: &str, bytes: &[u8]) -> Result<Exchange, Vec<RowError>> {
    if name.to_ascii_lowercase().ends_with(".csv") {
        read_csv(bytes)
    } else {
        read_json(bytes)
    }
}

impl Exchange {
    /// Adds another file's records after these.
    pub fn extend(&mut self, other: Exchange) {
        self.structures.extend(other.structures);
        self.services.extend(other.services);
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.structures.len() + self.services.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn csv_of<T: Serialize>(records: &[T], headers: &[&str]) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers).map_err(|e| e.to_string())?;
    for r in records {
        let v = serde_json::to_value(r).map_err(|e| e.to_string())?;
        let row: Vec<String> = headers
            .iter()
            .map(|h| match v.get(*h) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(","),
                Some(other) => other.to_string(),
            })
            .collect();
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The field names of a record type, in declaration order.
fn fields_of<T: Serialize + Default>() -> Vec<String> {
    match serde_json::to_value(T::default()) {
        Ok(Value::Object(o)) => o.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Structures as CSV (every field of the schema, in its order).
pub fn structures_csv(records: &[Structure]) -> Result<Vec<u8>, String> {
    let names = fields_of::<Structure>();
    csv_of(
        records,
        &names.iter().map(String::as_str).collect::<Vec<_>>(),
    )
}

/// Services as CSV (every field of the schema, in its order).
pub fn services_csv(records: &[Service]) -> Result<Vec<u8>, String> {
    let names = fields_of::<Service>();
    csv_of(
        records,
        &names.iter().map(String::as_str).collect::<Vec<_>>(),
    )
}

/// What the check needs to know about places and about the structures already stored.
pub trait Context {
    /// Whether a commune code exists.
    fn is_commune(&self, code: &str) -> bool;
    /// Whether a zone d'éligibilité code names a known place.
    fn is_zone(&self, code: &str) -> bool;
    /// Whether a structure (source, id) is already stored.
    fn has_structure(&self, source: &str, id: &str) -> bool;
    /// Today, in Paris: a record cannot be updated in the future.
    fn today(&self) -> time::Date;
}

fn future(kind: Kind, row: usize, id: &str, date_maj: &str, cx: &dyn Context) -> Option<RowError> {
    crate::format::parse_iso_date(date_maj)
        .filter(|d| *d > cx.today())
        .map(|_| {
            RowError::new(
                kind,
                row,
                id,
                "date_maj",
                "La date de mise à jour ne peut pas être dans le futur.",
            )
        })
}

/// Checks a whole exchange: each record against the schema, the communes and zones
/// against the official list, ids unique within the file, each service's structure in
/// the file or already stored. Empty when the file can be written.
pub fn check(ex: &Exchange, cx: &dyn Context) -> Vec<RowError> {
    let mut errors = Vec::new();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for (i, s) in ex.structures.iter().enumerate() {
        let row = i + 1;
        if let Err(e) = s.check() {
            for (field, message) in e {
                errors.push(RowError::new(Kind::Structures, row, &s.id, field, message));
            }
        }
        errors.extend(future(Kind::Structures, row, &s.id, &s.date_maj, cx));
        if let Some(c) = &s.code_insee
            && !c.is_empty()
            && !cx.is_commune(c)
        {
            errors.push(RowError::new(
                Kind::Structures,
                row,
                &s.id,
                "code_insee",
                format!("Le code INSEE « {c} » ne correspond à aucune commune."),
            ));
        }
        if !seen.insert((&s.source, &s.id)) {
            errors.push(RowError::new(
                Kind::Structures,
                row,
                &s.id,
                "id",
                "Cet identifiant figure déjà plus haut dans le fichier.",
            ));
        }
    }
    let structures = seen;
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for (i, s) in ex.services.iter().enumerate() {
        let row = i + 1;
        if let Err(e) = s.check() {
            for (field, message) in e {
                errors.push(RowError::new(Kind::Services, row, &s.id, field, message));
            }
        }
        errors.extend(future(Kind::Services, row, &s.id, &s.date_maj, cx));
        if let Some(c) = &s.code_insee
            && !c.is_empty()
            && !cx.is_commune(c)
        {
            errors.push(RowError::new(
                Kind::Services,
                row,
                &s.id,
                "code_insee",
                format!("Le code INSEE « {c} » ne correspond à aucune commune."),
            ));
        }
        if let Some(bad) = s
            .zone_eligibilite
            .iter()
            .flatten()
            .find(|z| super::record::is_zone(z) && !cx.is_zone(z))
        {
            errors.push(RowError::new(
                Kind::Services,
                row,
                &s.id,
                "zone_eligibilite",
                format!("« {bad} » ne correspond à aucune commune, aucun département ni aucun EPCI connu."),
            ));
        }
        if !s.structure_id.is_empty()
            && !structures.contains(&(s.source.as_str(), s.structure_id.as_str()))
            && !cx.has_structure(&s.source, &s.structure_id)
        {
            errors.push(RowError::new(
                Kind::Services,
                row,
                &s.id,
                "structure_id",
                format!(
                    "La structure « {} » (source {}) n'est ni dans le fichier ni dans l'annuaire.",
                    s.structure_id, s.source
                ),
            ));
        }
        if !seen.insert((&s.source, &s.id)) {
            errors.push(RowError::new(
                Kind::Services,
                row,
                &s.id,
                "id",
                "Cet identifiant figure déjà plus haut dans le fichier.",
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Gpsea;
    impl Context for Gpsea {
        fn is_commune(&self, code: &str) -> bool {
            code.starts_with("940")
        }
        fn is_zone(&self, code: &str) -> bool {
            code == "94" || code == "france" || self.is_commune(code)
        }
        fn has_structure(&self, _: &str, id: &str) -> bool {
            id == "deja-la"
        }
        fn today(&self) -> time::Date {
            time::macros::date!(2026 - 11 - 26)
        }
    }

    const FILE: &str = r#"{"structures": [
        {"source": "t", "id": "s1", "nom": "Mission locale", "date_maj": "2026-11-01", "code_insee": "94028"}
      ], "services": [
        {"source": "t", "id": "v1", "structure_id": "s1", "nom": "Permis B", "description": "Préparer le permis.", "date_maj": "2026-11-01", "zone_eligibilite": ["94"]},
        {"source": "t", "id": "v2", "structure_id": "deja-la", "nom": "Atelier", "description": "Un atelier numérique.", "date_maj": "2026-11-01"}
      ]}"#;

    proptest::proptest! {
        /// No file, however broken, makes the import reader panic: it reads or it tells
        /// its faults.
        #[test]
        fn any_bytes_read_or_fail_cleanly(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = read_json(&bytes);
            let _ = read_csv(&bytes);
            let _ = read_named("f.json", &bytes);
            let _ = read_named("f.csv", &bytes);
        }

        /// A good file with any one value replaced by arbitrary text still reads or is
        /// refused with faults, and what reads is then checked without panicking.
        #[test]
        fn a_good_file_with_any_value_changed_is_judged_without_panic(
            target in proptest::sample::select(vec!["s1", "v1", "Mission locale", "2026-11-01", "94028", "Permis B", "94"]),
            value in "\\PC{0,20}",
        ) {
            let changed = FILE.replacen(&format!("\"{target}\""), &serde_json::to_string(&value).unwrap_or_default(), 1);
            if let Ok(ex) = read_json(changed.as_bytes()) {
                let _ = check(&ex, &Gpsea);
            }
        }

        /// What is written as CSV reads back to the same records.
        #[test]
        fn services_round_trip_through_csv(name in "[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' ,;\"-]{2,39}", description in "[^\\s\\p{C}]\\PC{0,59}") {
            // Values are read trimmed; each starts with a visible character, for a blank
            // required value is rightly refused (the case CI once drew).
            let mut ex = read_json(FILE.as_bytes()).expect("reads");
            if let Some(s) = ex.services.first_mut() {
                s.nom = name.trim().to_owned();
                s.description = description.trim().to_owned();
            }
            let csv = services_csv(&ex.services).expect("writes");
            let back = read_csv(&csv).expect("reads back");
            proptest::prop_assert_eq!(back.services, ex.services);
        }
    }

    #[test]
    fn a_good_file_reads_and_checks_clean() {
        let ex = read_json(FILE.as_bytes()).expect("reads");
        assert_eq!((ex.structures.len(), ex.services.len()), (1, 2));
        assert_eq!(check(&ex, &Gpsea), vec![]);
    }

    #[test]
    fn each_fault_names_its_row_and_field() {
        let bad = FILE
            .replace("\"94028\"", "\"94999x\"")
            .replace("\"deja-la\"", "\"absente\"")
            .replace("[\"94\"]", "[\"75\"]");
        let ex = read_json(bad.as_bytes()).expect("reads");
        let e = check(&ex, &Gpsea);
        let at: Vec<(Kind, usize, &str)> = e
            .iter()
            .map(|e| (e.kind, e.row, e.field.as_str()))
            .collect();
        assert!(at.contains(&(Kind::Structures, 1, "code_insee")), "{e:?}");
        assert!(
            at.contains(&(Kind::Services, 1, "zone_eligibilite")),
            "{e:?}"
        );
        assert!(at.contains(&(Kind::Services, 2, "structure_id")), "{e:?}");
        let missing = read_json(br#"[{"source": "t", "id": "s1", "date_maj": "2026-11-01"}]"#)
            .expect_err("no nom");
        assert_eq!(missing[0].field, "nom");
        assert!(missing[0].to_string().contains("ligne 1"));
    }

    #[test]
    fn csv_round_trips_lists_and_numbers() {
        let ex = read_json(FILE.as_bytes()).expect("reads");
        let csv = services_csv(&ex.services).expect("csv");
        let back = read_csv(&csv).expect("reads back");
        assert_eq!(back.services, ex.services);
        let structures = structures_csv(&ex.structures).expect("csv");
        assert_eq!(
            read_csv(&structures).expect("back").structures,
            ex.structures
        );
        let bad = b"source;id;structure_id;nom;description;date_maj;latitude\nt;v1;s1;Permis;Le permis B.;2026-11-01;nord\n";
        let e = read_csv(bad).expect_err("latitude");
        assert_eq!((e[0].row, e[0].field.as_str()), (2, "latitude"));
    }
}
