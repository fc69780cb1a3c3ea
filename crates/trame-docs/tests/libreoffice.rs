//! The exported files open in LibreOffice (headless): each converts to PDF, and the
//! spreadsheets read back with their text as text — a cell that looks like a formula is
//! not computed — and their amounts as numbers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use time::macros::date;
use trame_docs::table::{Cell, Format, Table, write};
use trame_domain::money::Euros;
use trame_testkit::tools::libreoffice_convert;

#[test]
fn exports_open_in_libreoffice_with_text_kept_as_text() -> anyhow::Result<()> {
    let table = Table {
        name: "Versements".into(),
        headers: vec![
            "Bénéficiaire".into(),
            "Montant".into(),
            "Date".into(),
            "N°".into(),
        ],
        rows: vec![
            vec![
                Cell::Text("=1+1".into()),
                Cell::Money(Euros::from_cents(800_050)),
                Cell::Date(date!(2026 - 11 - 26)),
                Cell::Int(3),
            ],
            vec![
                Cell::Text("Régie de Quartier de Créteil".into()),
                Cell::Money(Euros::from_cents(250_000)),
                Cell::Date(date!(2025 - 01 - 31)),
                Cell::Empty,
            ],
        ],
    };
    let dir = tempfile::tempdir()?;
    for format in [Format::Csv, Format::Xlsx, Format::Ods] {
        let file = dir.path().join(format!("export.{}", format.extension()));
        std::fs::write(&file, write(&table, format)?)?;
        let out = dir.path().join(format.extension());
        std::fs::create_dir_all(&out)?;
        libreoffice_convert(&file, "pdf", &out)?;
        if format == Format::Csv {
            continue;
        }
        // Read back as CSV (comma, UTF-8): text as typed, numbers as numbers.
        let csv = libreoffice_convert(&file, "csv:Text - txt - csv (StarCalc):44,34,76", &out)?;
        let text = std::fs::read_to_string(csv)?;
        let first = text.lines().nth(1).unwrap_or_default();
        assert!(first.starts_with("=1+1,"), "{format:?}: {first}");
        // The amount is a number shown with two decimals, the date a date.
        assert!(
            first.contains("8,000.50") || first.contains("000,50"),
            "{format:?}: {first}"
        );
        assert!(first.contains("26/11/2026"), "{format:?}: {first}");
        assert!(
            text.contains("Régie de Quartier de Créteil"),
            "{format:?}: {text}"
        );
    }
    Ok(())
}
