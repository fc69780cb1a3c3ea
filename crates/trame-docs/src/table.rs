//! Tables exported as CSV, XLSX and ODS: the same rows, three files that LibreOffice and
//! Excel open. A text cell is always text: in XLSX and ODS it is written as a string (never
//! a formula), and in CSV a text that a spreadsheet would read as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with an apostrophe, the
//! OWASP advice against CSV injection.

use crate::DocsError;
use time::Date;
use trame_domain::money::Euros;

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, never read as a formula.
    Text(String),
    /// An amount in euros.
    Money(Euros),
    /// A calendar date.
    Date(Date),
    /// A whole number.
    Int(i64),
    /// Nothing.
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

/// A table: its name (the sheet's), its column headers and its rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Sheet name (at most 31 characters are kept).
    pub name: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as the headers.
    pub rows: Vec<Vec<Cell>>,
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated, UTF-8.
    Csv,
    /// Office Open XML (Excel).
    Xlsx,
    /// OpenDocument (LibreOffice).
    Ods,
}

impl Format {
    /// From a file extension.
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }
}

/// Writes `table` in `format`.
pub fn write(table: &Table, format: Format) -> Result<Vec<u8>, DocsError> {
    match format {
        Format::Csv => to_csv(table),
        Format::Xlsx => to_xlsx(table),
        Format::Ods => to_ods(table),
    }
}

/// A text as a CSV cell that no spreadsheet reads as a formula.
pub fn csv_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn money_text(e: Euros) -> String {
    let c = e.cents();
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (c / 100).abs(), (c % 100).abs())
}

#[allow(clippy::cast_precision_loss)]
fn money_number(e: Euros) -> f64 {
    e.cents() as f64 / 100.0
}

fn to_csv(table: &Table) -> Result<Vec<u8>, DocsError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.headers.iter().map(|h| csv_safe(h)))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(t) => csv_safe(t),
            Cell::Money(e) => money_text(*e),
            Cell::Date(d) => d.to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    w.into_inner().map_err(|e| DocsError::Io(e.to_string()))
}

fn sheet_name(name: &str) -> String {
    // Neither Excel nor LibreOffice accept these in a sheet name; 31 characters at most.
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(31)
        .collect();
    if cleaned.trim().is_empty() {
        "Export".into()
    } else {
        cleaned
    }
}

fn to_xlsx(table: &Table) -> Result<Vec<u8>, DocsError> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let xerr = |e: rust_xlsxwriter::XlsxError| DocsError::Io(e.to_string());
    let mut book = Workbook::new();
    let bold = XFormat::new().set_bold();
    let money = XFormat::new().set_num_format("#,##0.00 \"€\"");
    let date = XFormat::new().set_num_format("dd/mm/yyyy");
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&table.name)).map_err(xerr)?;
    for (c, h) in (0u16..).zip(&table.headers) {
        sheet
            .write_string_with_format(0, c, h, &bold)
            .map_err(xerr)?;
        sheet.set_column_width(c, 18).map_err(xerr)?;
    }
    for (r, row) in (1u32..).zip(&table.rows) {
        for (c, cell) in (0u16..).zip(row) {
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(r, c, t).map_err(xerr)?;
                }
                Cell::Money(e) => {
                    sheet
                        .write_number_with_format(r, c, money_number(*e), &money)
                        .map_err(xerr)?;
                }
                Cell::Date(d) => {
                    let x = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        u16::try_from(d.year()).unwrap_or(1900),
                        u8::from(d.month()),
                        d.day(),
                    )
                    .map_err(xerr)?;
                    sheet
                        .write_datetime_with_format(r, c, &x, &date)
                        .map_err(xerr)?;
                }
                Cell::Int(n) => {
                    #[allow(clippy::cast_precision_loss)]
                    let v = *n as f64;
                    sheet.write_number(r, c, v).map_err(xerr)?;
                }
                Cell::Empty => {}
            }
        }
    }
    book.save_to_buffer().map_err(xerr)
}

fn to_ods(table: &Table) -> Result<Vec<u8>, DocsError> {
    use spreadsheet_ods::format::create_loc_number_format_fixed;
    use spreadsheet_ods::{CellStyle, ValueFormatDateTime};
    use spreadsheet_ods::{Sheet, WorkBook};
    let locale = icu_locale_core::locale!("fr-FR");
    let mut book = WorkBook::new_empty();
    book.locale_settings(locale.clone());
    // Amounts with two decimals and grouping; dates as dd/mm/yyyy.
    let number = book.add_number_format(create_loc_number_format_fixed(
        "montant",
        locale.clone(),
        2,
        true,
    ));
    let money = book.add_cellstyle(CellStyle::new("montant_cellule", &number));
    let mut day = ValueFormatDateTime::new_localized("jour", locale);
    day.part_day().long_style().build();
    day.part_text("/").build();
    day.part_month().long_style().build();
    day.part_text("/").build();
    day.part_year().long_style().build();
    let day = book.add_datetime_format(day);
    let date = book.add_cellstyle(CellStyle::new("jour_cellule", &day));
    let mut sheet = Sheet::new(sheet_name(&table.name));
    for (c, h) in (0u32..).zip(&table.headers) {
        sheet.set_value(0, c, h.as_str());
    }
    for (r, row) in (1u32..).zip(&table.rows) {
        for (c, cell) in (0u32..).zip(row) {
            match cell {
                Cell::Text(t) => sheet.set_value(r, c, t.as_str()),
                Cell::Money(e) => sheet.set_styled_value(r, c, money_number(*e), &money),
                Cell::Date(d) => {
                    if let Some(nd) = chrono::NaiveDate::from_ymd_opt(
                        d.year(),
                        u32::from(u8::from(d.month())),
                        u32::from(d.day()),
                    ) {
                        sheet.set_styled_value(r, c, nd, &date);
                    }
                }
                Cell::Int(n) => {
                    #[allow(clippy::cast_precision_loss)]
                    let v = *n as f64;
                    sheet.set_value(r, c, v);
                }
                Cell::Empty => {}
            }
        }
    }
    book.push_sheet(sheet);
    spreadsheet_ods::write_ods_buf(&mut book, Vec::new()).map_err(|e| DocsError::Io(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn sample() -> Table {
        Table {
            name: "Subventions [2026]".into(),
            headers: vec![
                "Bénéficiaire".into(),
                "Montant".into(),
                "Décision".into(),
                "N°".into(),
            ],
            rows: vec![vec![
                Cell::Text("=HYPERLINK(\"http://x\";\"y\")".into()),
                Cell::Money(Euros::from_cents(1_234_567)),
                Cell::Date(date!(2026 - 11 - 26)),
                Cell::Int(7),
            ]],
        }
    }

    #[test]
    fn csv_text_never_starts_a_formula() {
        assert_eq!(csv_safe("=1+1"), "'=1+1");
        assert_eq!(csv_safe("-2"), "'-2");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("La Cour Cyclette"), "La Cour Cyclette");
        let text = to_csv(&sample())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",12345.67,2026-11-26,7"),
            "{text}"
        );
    }

    fn starts_a_formula(field: &str) -> bool {
        field.starts_with(['=', '+', '-', '@', '\t', '\r'])
    }

    proptest::proptest! {
        /// Whatever people type, no text cell of a CSV export starts a formula, and the
        /// text comes back whole (behind the apostrophe when it needed one).
        #[test]
        fn no_text_cell_of_a_csv_export_starts_a_formula(
            // (A byte-order mark opening the file is dropped by readers: not a cell.)
            header in "[^\u{feff}]{0,12}",
            texts in proptest::collection::vec("[=+@\\-\t\r]?.{0,20}", 1..6),
        ) {
            let table = Table {
                name: "Export".into(),
                headers: vec![header.clone()],
                rows: texts.iter().map(|t| vec![Cell::Text(t.clone())]).collect(),
            };
            let bytes = to_csv(&table).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice());
            let originals = std::iter::once(&header).chain(texts.iter());
            for (record, original) in reader.records().zip(originals) {
                let record = record.map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
                let field = record.get(0).unwrap_or_default();
                proptest::prop_assert!(!starts_a_formula(field), "{field:?}");
                proptest::prop_assert!(
                    field == original.as_str() || field == format!("'{original}"),
                    "{field:?} from {original:?}"
                );
            }
        }
    }

    #[test]
    fn xlsx_and_ods_are_zip_files() {
        for f in [Format::Xlsx, Format::Ods] {
            let bytes = write(&sample(), f).unwrap_or_default();
            assert!(bytes.starts_with(b"PK\x03\x04"), "{f:?}");
            // What these writers produce passes the upload check (a budget exported from
            // Trame can be attached again).
            use trame_domain::funding::attachment::{Format as Upload, inspect};
            let expected = match f {
                Format::Xlsx => Upload::Xlsx,
                _ => Upload::Ods,
            };
            assert_eq!(
                inspect("budget", &bytes, &[Upload::Pdf, Upload::Ods, Upload::Xlsx]),
                Ok(expected),
                "{f:?}"
            );
        }
        assert_eq!(sheet_name("a/b:c"), "a b c");
        assert_eq!(sheet_name(""), "Export");
    }
}
