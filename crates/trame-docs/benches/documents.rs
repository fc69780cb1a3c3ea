//! The generated documents, side by side in one run: a convention PDF (typst, embedded
//! fonts), a submission receipt PDF, and the export of 1,000 awards as CSV, XLSX and ODS.
//! The ratios to read: each export against the CSV one, and a PDF against a 1,000-row
//! spreadsheet. Run: `cargo bench -p trame-docs --bench documents`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use time::macros::date;
use trame_docs::pdf::{Template, render};
use trame_docs::table::{Cell, Format, Table, write};
use trame_domain::money::Euros;

fn convention() -> serde_json::Value {
    serde_json::json!({
        "title_document": "Convention CONV-2026-001",
        "issuer": "Grand Paris Sud Est Avenir",
        "issuer_siret": "20005800600012",
        "date": "26/11/2026",
        "reference": "CONV-2026-001",
        "beneficiary": "Mission locale de Créteil",
        "beneficiary_id": "",
        "object": "Accompagnement des 16–25 ans vers l'emploi et la formation",
        "decided_on": "20/01/2026",
        "deliberation": "CT 2026-01-20 n° 4",
        "amount": "220 000,00 €",
        "share": "",
        "budget": "",
        "installments": [
            {"label": "80 % à la signature", "amount": "80 % du montant de l’année"},
            {"label": "20 % à l'acceptation du compte rendu final", "amount": "20 % du montant de l’année"}
        ],
        "years": [
            {"year": "2026", "amount": "110 000,00 €", "due": "30/06/2027"},
            {"year": "2027", "amount": "110 000,00 €", "due": "30/06/2028"}
        ],
        "indicators": [
            {"label": "Jeunes accompagnés", "target": "900"},
            {"label": "Entrées en emploi ou en formation", "target": "400"}
        ],
        "schedule": "80 % à la signature, 20 % à l'acceptation du compte rendu final",
        "convention": "oui",
        "report_due": "30/06/2027",
        "period": "du 01/01/2026 au 31/12/2027",
    })
}

fn receipt() -> serde_json::Value {
    serde_json::json!({
        "title_document": "Accusé de dépôt AAP-2026-0001",
        "issuer": "Grand Paris Sud Est Avenir",
        "issuer_siret": "20005800600012",
        "date": "26/11/2026",
        "reference": "AAP-2026-0001",
        "object": "Recyclerie solidaire",
        "beneficiary": "Ressourcerie du Plateau",
        "submitted_at": "26/11/2026 à 10:42",
        "scheme": "Appel à projets Initiatives d'ESS 2026",
        "attachments": [
            {"name": "statuts.pdf", "sha256": "9f2c1e0b7a5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3"},
            {"name": "rib.pdf", "sha256": "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"}
        ],
    })
}

/// 1,000 awards as the awards export writes them.
fn awards() -> Table {
    let rows = (0..1_000i64)
        .map(|i| {
            vec![
                Cell::Text(format!("AAP-2026-{i:04}")),
                Cell::Text(format!("Association n° {i}")),
                Cell::Text("Projet d'économie sociale et solidaire".into()),
                Cell::Date(date!(2026 - 07 - 04)),
                Cell::Money(Euros::from_cents(500_000 + i * 1_000)),
                Cell::Money(Euros::from_cents(400_000 + i * 800)),
                Cell::Text("80 % à la signature, 20 % au compte rendu".into()),
                Cell::Int(i % 16),
            ]
        })
        .collect();
    Table {
        name: "Subventions".into(),
        headers: [
            "Référence",
            "Bénéficiaire",
            "Objet",
            "Décision",
            "Montant",
            "Versé",
            "Échéancier",
            "Commune",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        rows,
    }
}

fn documents(c: &mut Criterion) {
    let today = date!(2026 - 11 - 26);
    let table = awards();
    let mut g = c.benchmark_group("documents");
    g.sample_size(20);
    g.bench_function("pdf/convention", |b| {
        let data = convention();
        b.iter(|| render(Template::Convention, black_box(&data), today))
    });
    g.bench_function("pdf/receipt", |b| {
        let data = receipt();
        b.iter(|| render(Template::Receipt, black_box(&data), today))
    });
    for (name, format) in [
        ("export-1000/csv", Format::Csv),
        ("export-1000/xlsx", Format::Xlsx),
        ("export-1000/ods", Format::Ods),
    ] {
        g.bench_function(name, |b| b.iter(|| write(black_box(&table), format)));
    }
    g.finish();
}

criterion_group!(benches, documents);
criterion_main!(benches);
