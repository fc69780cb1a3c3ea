//! Reading a table a person uploads: CSV (UTF-8, `;` or `,`), XLSX or ODS, first sheet.
//! Every cell comes back as text, as the person typed it: numbers in the French way
//! (`35,5`), dates as `YYYY-MM-DD`, so that the same checks apply whatever the format.

use calamine::{Data, Reader};
use std::io::Cursor;

/// The most rows a table may have.
pub const MAX_ROWS: usize = 100_000;

/// The rows of the table, header first; a French message when it cannot be read.
pub fn rows(name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let lower = name.to_lowercase();
    let rows = if bytes.starts_with(b"PK\x03\x04")
        || lower.ends_with(".xlsx")
        || lower.ends_with(".ods")
    {
        workbook(bytes)?
    } else {
        csv_rows(bytes)?
    };
    if rows.len() > MAX_ROWS + 1 {
        return Err(format!(
            "Le fichier compte plus de {MAX_ROWS} lignes : découpez-le."
        ));
    }
    Ok(rows
        .into_iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .collect())
}

fn workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let unreadable = |_| {
        "Le classeur ne peut pas être lu : enregistrez-le au format XLSX, ODS ou CSV.".to_owned()
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "Le classeur n'a aucune feuille.".to_owned())?
        .map_err(unreadable)?;
    Ok(range
        .rows()
        .take(MAX_ROWS + 2)
        .map(|r| r.iter().map(cell).collect())
        .collect())
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "vrai" } else { "faux" }.to_owned(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A float as a person would type it: `35`, `35,5`.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}").replace('.', ",")
    }
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| "Le fichier CSV doit être enregistré en UTF-8.".to_owned())?;
    let header = text.lines().next().unwrap_or_default();
    let delimiter = if header.matches(';').count() >= header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records().take(MAX_ROWS + 2) {
        let record = record.map_err(|e| {
            format!(
                "Le fichier CSV est mal formé (ligne {}).",
                e.position().map_or(0, |p| p.line())
            )
        })?;
        out.push(record.iter().map(|c| c.trim().to_owned()).collect());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_either_delimiter_and_a_bom() {
        let r = rows(
            "h.csv",
            "\u{feff}marche;personne;heures\nA;P00001;35,5\n\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(
            r,
            vec![
                vec!["marche", "personne", "heures"],
                vec!["A", "P00001", "35,5"]
            ]
        );
        let r = rows("h.csv", b"a,b\n1,2\n").unwrap();
        assert_eq!(r.len(), 2);
        assert!(rows("h.csv", b"\xff\xfe").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn an_xlsx_written_by_our_own_writer_reads_back() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "mois").unwrap();
        sheet.write_string(0, 1, "heures").unwrap();
        sheet.write_string(1, 0, "2026-10").unwrap();
        sheet.write_number(1, 1, 35.5).unwrap();
        sheet.write_number(2, 1, 70.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let r = rows("h.xlsx", &bytes).unwrap();
        assert_eq!(
            r,
            vec![
                vec!["mois", "heures"],
                vec!["2026-10", "35,5"],
                vec!["", "70"]
            ]
        );
        assert!(rows("h.xlsx", b"PK\x03\x04garbage").is_err());
    }
}
