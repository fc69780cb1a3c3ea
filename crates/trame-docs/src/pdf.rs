//! PDF documents made with the typst compiler as a library (an exact version, pinned in
//! `Cargo.toml`). Nothing is fetched: the fonts are embedded TTF files (Liberation Sans,
//! SIL OFL — `fonts/`), the templates are compiled in (`templates/*.typ`) and import
//! nothing, and a document can read no file. Every value a user typed reaches the template
//! as data, through `sys.inputs`, never spliced into the markup: a name such as
//! `#panic()` or `]` is printed as it is.

use crate::DocsError;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Array, Bytes, Datetime, Dict, Str, Value};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Page, font and letterhead, put before every template.
const COMMON: &str = include_str!("../templates/_common.typ");

/// The embedded fonts.
const FONTS: [&[u8]; 3] = [
    include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../fonts/LiberationSans-Italic.ttf"),
];

/// The documents Trame makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The convention of an award, with its payment schedule.
    Convention,
    /// The letter that tells an applicant their project is supported.
    Acceptance,
    /// The letter that tells an applicant their project is not supported.
    Refusal,
    /// The receipt of a submitted dossier.
    Receipt,
    /// The yearly report of insertion clauses, for a buyer or all.
    ClauseReport,
}

impl Template {
    fn source(self) -> &'static str {
        match self {
            Template::Convention => include_str!("../templates/convention.typ"),
            Template::Acceptance => include_str!("../templates/acceptance.typ"),
            Template::Refusal => include_str!("../templates/refusal.typ"),
            Template::Receipt => include_str!("../templates/receipt.typ"),
            Template::ClauseReport => include_str!("../templates/clause_report.typ"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Template::Convention => "/convention.typ",
            Template::Acceptance => "/acceptance.typ",
            Template::Refusal => "/refusal.typ",
            Template::Receipt => "/receipt.typ",
            Template::ClauseReport => "/clause_report.typ",
        }
    }
}

/// The fonts, read once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS_LOADED: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS_LOADED.get_or_init(|| {
        let fonts: Vec<Font> = FONTS
            .iter()
            .flat_map(|bytes| Font::iter(Bytes::new(*bytes)))
            .collect();
        let book = FontBook::from_fonts(&fonts);
        (LazyHash::new(book), fonts)
    })
}

/// The world a document is compiled in: one source, the embedded fonts, no files.
struct DocumentWorld {
    library: LazyHash<Library>,
    main: Source,
    today: Option<Datetime>,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        self.today
    }
}

/// JSON data as typst values: objects become dictionaries, arrays arrays, everything else
/// strings, integers, floats, booleans or `none`.
fn value_of(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Str(Str::from(s.as_str())),
        serde_json::Value::Array(items) => {
            Value::Array(items.iter().map(value_of).collect::<Array>())
        }
        serde_json::Value::Object(map) => {
            let mut d = Dict::new();
            for (k, v) in map {
                d.insert(Str::from(k.as_str()), value_of(v));
            }
            Value::Dict(d)
        }
    }
}

/// Compiles `template` with `data` (a JSON object, the template's `sys.inputs`) into a PDF.
/// `today` is the date the document carries.
pub fn render(
    template: Template,
    data: &serde_json::Value,
    today: time::Date,
) -> Result<Vec<u8>, DocsError> {
    let inputs = match value_of(data) {
        Value::Dict(d) => d,
        _ => {
            return Err(DocsError::Io(
                "the document's data must be an object".into(),
            ));
        }
    };
    let library = Library::builder().with_inputs(inputs).build();
    let id = FileId::new(None, VirtualPath::new(template.name()));
    let world = DocumentWorld {
        library: LazyHash::new(library),
        main: Source::new(id, format!("{COMMON}\n{}", template.source())),
        today: Datetime::from_ymd(today.year(), u8::from(today.month()), today.day()),
    };
    let document: PagedDocument = typst::compile(&world).output.map_err(|errors| {
        DocsError::Io(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        DocsError::Io(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
