//! Attachments of a dossier: their kinds, their size limit, and their format decided by
//! their content (never by the name or the browser's claim).

/// Largest attachment accepted: 10 MB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of attachment a dossier asks for, with their French labels.
pub const KINDS: [(&str, &str); 5] = [
    ("statuts", "Statuts"),
    ("rib", "Relevé d'identité bancaire"),
    ("budget", "Budget prévisionnel de la structure"),
    ("comptes", "Derniers comptes approuvés"),
    ("autre", "Autre pièce"),
];

/// Kinds that stay valid from one year to the next, offered again on a new dossier.
pub const LASTING_KINDS: [&str; 2] = ["statuts", "rib"];

/// The French label of a kind.
pub fn kind_label(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Pièce")
}

/// A format Trame accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PDF.
    Pdf,
    /// OpenDocument spreadsheet.
    Ods,
    /// Office Open XML spreadsheet.
    Xlsx,
}

impl Format {
    /// MIME type served back.
    pub const fn mime(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// File extension.
    pub const fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Ods => "ods",
            Format::Xlsx => "xlsx",
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The format of a file from its first bytes: a PDF header, or a ZIP container holding an
/// OpenDocument spreadsheet's `mimetype` or a workbook's `xl/workbook.xml`.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // OpenDocument: the first entry is `mimetype`, stored, holding the media type.
    if bytes.get(30..38) == Some(b"mimetype".as_slice())
        && bytes
            .get(38..38 + 46)
            .is_some_and(|m| m == b"application/vnd.oasis.opendocument.spreadsheet")
    {
        return Some(Format::Ods);
    }
    if contains(bytes, b"xl/workbook.xml") && contains(bytes, b"[Content_Types].xml") {
        return Some(Format::Xlsx);
    }
    None
}

/// A file name safe to store and to send back: no path, no control characters, at most
/// 120 characters, with the extension of its real format.
pub fn clean_filename(raw: &str, format: Format) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let stem: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .take(120)
        .collect();
    let stem = stem.trim();
    let stem = if stem.is_empty() { "piece" } else { stem };
    format!("{stem}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_decided_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Format::Pdf));
        let mut ods = b"PK\x03\x04".to_vec();
        ods.resize(30, 0);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(sniff(&ods), Some(Format::Ods));
        let xlsx = b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml".to_vec();
        assert_eq!(sniff(&xlsx), Some(Format::Xlsx));
        assert_eq!(sniff(b"PK\x03\x04word/document.xml"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b"<html>%PDF-"), None);
    }

    #[test]
    fn file_names_lose_their_path_and_take_their_real_extension() {
        assert_eq!(
            clean_filename("C:\\docs\\statuts 2024.exe", Format::Pdf),
            "statuts 2024.pdf"
        );
        assert_eq!(
            clean_filename("../../etc/passwd", Format::Ods),
            "passwd.ods"
        );
        assert_eq!(clean_filename("", Format::Xlsx), "piece.xlsx");
    }
}
