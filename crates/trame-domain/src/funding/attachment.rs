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

/// The most a spreadsheet's archive may hold once inflated (a zip bomb holds far more).
pub const MAX_INFLATED: u64 = 200 * 1024 * 1024;
/// The most entries a spreadsheet's archive may hold.
const MAX_ENTRIES: usize = 5_000;

/// Checks an uploaded file before anything is written: its name (no path, no control
/// character), its format decided by its content among `accepted`, and what that format
/// could hide — a PDF with active content (JavaScript, launch actions, embedded files) or
/// with another file appended (a PDF and ZIP polyglot) or HTML in its first bytes; a
/// spreadsheet archive with paths outside itself, macros, or more than
/// [`MAX_INFLATED`] bytes once inflated (each entry is inflated to count it, whatever
/// its header claims). The refusal is a French sentence for the file's field.
pub fn inspect(name: &str, bytes: &[u8], accepted: &[Format]) -> Result<Format, String> {
    if name
        .chars()
        .any(|c| c.is_control() || c == '/' || c == '\\')
        || name.contains("..")
    {
        return Err("Le nom du fichier contient un chemin ou des caractères de contrôle : renommez le fichier (lettres, chiffres, espaces) puis envoyez-le de nouveau.".into());
    }
    let what = match accepted {
        [Format::Pdf] => "un PDF",
        _ => "un PDF, ni un tableur ODS ou XLSX",
    };
    let format = sniff(bytes)
        .filter(|f| accepted.contains(f))
        .ok_or_else(|| {
            format!(
                "Ce fichier n'est pas {what} (son contenu est vérifié, pas seulement son nom).",
            )
            .replace("n'est pas un PDF, ni", "n'est ni un PDF, ni")
        })?;
    match format {
        Format::Pdf => inspect_pdf(bytes)?,
        Format::Ods | Format::Xlsx => inspect_zip(bytes)?,
    }
    Ok(format)
}

fn inspect_pdf(bytes: &[u8]) -> Result<(), String> {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if contains(&lower, b"<script") || contains(&lower, b"<html") {
        return Err("Ce fichier mêle un PDF et une page web : il est refusé. Enregistrez le document de nouveau en PDF (« Imprimer en PDF ») puis envoyez cette copie.".into());
    }
    let tail_start = bytes.len().saturating_sub(65_557);
    let tail = bytes.get(tail_start..).unwrap_or_default();
    let end = bytes
        .get(bytes.len().saturating_sub(1024)..)
        .unwrap_or_default();
    if contains(tail, b"PK\x05\x06") || !contains(end, b"%%EOF") {
        return Err("Ce PDF est suivi d'un autre fichier (ou il est tronqué) : il est refusé. Enregistrez le document de nouveau en PDF puis envoyez cette copie.".into());
    }
    let active = [
        b"/JavaScript".as_slice(),
        b"/Launch",
        b"/EmbeddedFile",
        b"/RichMedia",
    ];
    // A JavaScript action always names its type `/JavaScript` (`/JS` alone, three
    // bytes, turns up by chance in compressed streams).
    if active.iter().any(|a| contains(bytes, a)) {
        return Err("Ce PDF contient du contenu actif (JavaScript, commande ou fichier incorporé) : enregistrez-le de nouveau avec « Imprimer en PDF » puis envoyez cette copie.".into());
    }
    Ok(())
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 2).map(|x| {
        usize::from(u16::from_le_bytes([
            x.first().copied().unwrap_or(0),
            x.get(1).copied().unwrap_or(0),
        ]))
    })
}

fn u32_at(b: &[u8], at: usize) -> Option<u64> {
    let x = b.get(at..at + 4)?;
    let mut a = [0u8; 4];
    a.copy_from_slice(x);
    Some(u64::from(u32::from_le_bytes(a)))
}

fn inspect_zip(bytes: &[u8]) -> Result<(), String> {
    const DAMAGED: &str = "Ce tableur est endommagé (son archive ne se lit pas) : enregistrez-le de nouveau puis envoyez-le.";
    const BOMB: &str = "Ce tableur se décompresse en bien plus de données qu'un tableur n'en contient : il est refusé.";
    // End of central directory: the last `PK 5 6` within the comment's reach.
    let from = bytes.len().saturating_sub(65_557);
    let eocd = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes.get(i..i + 4) == Some(b"PK\x05\x06".as_slice()))
        .ok_or(DAMAGED)?;
    let entries = u16_at(bytes, eocd + 10).ok_or(DAMAGED)?;
    let cd_offset =
        usize::try_from(u32_at(bytes, eocd + 16).ok_or(DAMAGED)?).map_err(|_| DAMAGED)?;
    if entries > MAX_ENTRIES {
        return Err(BOMB.into());
    }
    let mut at = cd_offset;
    let mut inflated_total = 0u64;
    for _ in 0..entries {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02".as_slice()) {
            return Err(DAMAGED.into());
        }
        let method = u16_at(bytes, at + 10).ok_or(DAMAGED)?;
        let compressed = u32_at(bytes, at + 20).ok_or(DAMAGED)?;
        let name_len = u16_at(bytes, at + 28).ok_or(DAMAGED)?;
        let extra_len = u16_at(bytes, at + 30).ok_or(DAMAGED)?;
        let comment_len = u16_at(bytes, at + 32).ok_or(DAMAGED)?;
        let local = usize::try_from(u32_at(bytes, at + 42).ok_or(DAMAGED)?).map_err(|_| DAMAGED)?;
        let name = bytes.get(at + 46..at + 46 + name_len).ok_or(DAMAGED)?;
        let name = String::from_utf8_lossy(name);
        if name.starts_with('/')
            || name.contains('\\')
            || name.split('/').any(|part| part == "..")
            || name.chars().any(char::is_control)
        {
            return Err(
                "Ce tableur contient un fichier rangé hors de son archive : il est refusé.".into(),
            );
        }
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("vbaproject.bin")
            || lower.starts_with("basic/")
            || lower.starts_with("scripts/")
        {
            return Err("Ce tableur contient des macros : enregistrez-le sans macros (au format .xlsx ou .ods) puis envoyez-le de nouveau.".into());
        }
        // The entry's data, after its local header.
        if bytes.get(local..local + 4) != Some(b"PK\x03\x04".as_slice()) {
            return Err(DAMAGED.into());
        }
        let local_name = u16_at(bytes, local + 26).ok_or(DAMAGED)?;
        let local_extra = u16_at(bytes, local + 28).ok_or(DAMAGED)?;
        let start = local + 30 + local_name + local_extra;
        let len = usize::try_from(compressed).map_err(|_| DAMAGED)?;
        let data = bytes.get(start..start + len).ok_or(DAMAGED)?;
        let budget = MAX_INFLATED.saturating_sub(inflated_total);
        let size = match method {
            0 => data.len() as u64,
            8 => {
                let mut sink = std::io::sink();
                let mut reader =
                    std::io::Read::take(flate2::read::DeflateDecoder::new(data), budget + 1);
                std::io::copy(&mut reader, &mut sink).map_err(|_| DAMAGED)?
            }
            _ => return Err(DAMAGED.into()),
        };
        inflated_total += size;
        if inflated_total > MAX_INFLATED {
            return Err(BOMB.into());
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(())
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

    /// A ZIP archive of `(name, content, deflated)` entries, written by hand.
    pub(crate) fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        use std::io::Write;
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, content, deflated) in entries {
            let data = if *deflated {
                let mut e =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
                e.write_all(content).unwrap();
                e.finish().unwrap()
            } else {
                content.to_vec()
            };
            let mut crc = flate2::Crc::new();
            crc.update(content);
            let method: u16 = if *deflated { 8 } else { 0 };
            let offset = out.len() as u32;
            let head = |sig: &[u8], central: bool| {
                let mut h = sig.to_vec();
                if central {
                    h.extend_from_slice(&20u16.to_le_bytes());
                }
                h.extend_from_slice(&20u16.to_le_bytes());
                h.extend_from_slice(&0u16.to_le_bytes());
                h.extend_from_slice(&method.to_le_bytes());
                h.extend_from_slice(&[0; 4]);
                h.extend_from_slice(&crc.sum().to_le_bytes());
                h.extend_from_slice(&(data.len() as u32).to_le_bytes());
                h.extend_from_slice(&(content.len() as u32).to_le_bytes());
                h.extend_from_slice(&(name.len() as u16).to_le_bytes());
                h.extend_from_slice(&0u16.to_le_bytes());
                h
            };
            out.extend(head(b"PK\x03\x04", false));
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&data);
            let mut c = head(b"PK\x01\x02", true);
            // Comment length, disk, internal and external attributes.
            c.extend_from_slice(&[0; 10]);
            c.extend_from_slice(&offset.to_le_bytes());
            c.extend_from_slice(name.as_bytes());
            central.extend(c);
        }
        let cd_offset = out.len() as u32;
        let cd_len = central.len() as u32;
        out.extend(central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&cd_len.to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    const ODS: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    const ALL: [Format; 3] = [Format::Pdf, Format::Ods, Format::Xlsx];

    #[test]
    fn a_clean_pdf_and_a_clean_spreadsheet_pass() {
        assert_eq!(inspect("statuts.pdf", PDF, &ALL), Ok(Format::Pdf));
        let ods = zip(&[
            ("mimetype", ODS, false),
            ("content.xml", &[b'a'; 5000], true),
        ]);
        assert_eq!(inspect("budget.ods", &ods, &ALL), Ok(Format::Ods));
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<Types/>", true),
            ("xl/workbook.xml", b"<workbook/>", true),
        ]);
        assert_eq!(inspect("budget.xlsx", &xlsx, &ALL), Ok(Format::Xlsx));
        assert!(inspect("budget.xlsx", &xlsx, &[Format::Pdf]).is_err());
    }

    #[test]
    fn names_with_a_path_or_control_characters_are_refused() {
        for name in [
            "../statuts.pdf",
            "a/b.pdf",
            "C:\\statuts.pdf",
            "statuts\u{0}.pdf",
            "rib\n.pdf",
        ] {
            let e = inspect(name, PDF, &ALL).unwrap_err();
            assert!(
                e.contains("chemin ou des caractères de contrôle"),
                "{name}: {e}"
            );
        }
    }

    #[test]
    fn pdfs_with_active_content_or_another_file_are_refused() {
        let with = |extra: &[u8]| {
            let mut b = b"%PDF-1.7\n".to_vec();
            b.extend_from_slice(extra);
            b.extend_from_slice(b"\n%%EOF\n");
            b
        };
        for active in [
            b"<</S/JavaScript/JS(app.alert(1))>>".as_slice(),
            b"<</S/Launch/F(cmd.exe)>>",
            b"<</Type/EmbeddedFile>>",
        ] {
            assert!(
                inspect("a.pdf", &with(active), &ALL)
                    .unwrap_err()
                    .contains("contenu actif")
            );
        }
        // A PDF with a ZIP appended (a polyglot), and one that is an HTML page too.
        let mut polyglot = PDF.to_vec();
        polyglot.extend(zip(&[("evil.js", b"alert(1)", false)]));
        assert!(
            inspect("a.pdf", &polyglot, &ALL)
                .unwrap_err()
                .contains("suivi d'un autre fichier")
        );
        let html = with(b"<html><script>alert(1)</script>");
        assert!(
            inspect("a.pdf", &html, &ALL)
                .unwrap_err()
                .contains("page web")
        );
        // Renamed executables are not PDFs.
        assert!(
            inspect("a.pdf", b"MZ\x90\x00", &ALL)
                .unwrap_err()
                .contains("n'est ni un PDF")
        );
    }

    #[test]
    fn spreadsheets_that_hide_a_bomb_a_path_or_macros_are_refused() {
        let mega = vec![0u8; 1024 * 1024];
        let mut entries: Vec<(String, &[u8], bool)> = vec![("mimetype".into(), ODS, false)];
        for i in 0..210 {
            entries.push((format!("d{i}.xml"), &mega, true));
        }
        let refs: Vec<(&str, &[u8], bool)> = entries
            .iter()
            .map(|(n, c, d)| (n.as_str(), *c, *d))
            .collect();
        let bomb = zip(&refs);
        assert!(bomb.len() < 1_000_000, "{} bytes", bomb.len());
        assert!(
            inspect("b.ods", &bomb, &ALL)
                .unwrap_err()
                .contains("décompresse")
        );
        let slip = zip(&[
            ("mimetype", ODS, false),
            ("../../etc/cron.d/x", b"x", false),
        ]);
        assert!(
            inspect("b.ods", &slip, &ALL)
                .unwrap_err()
                .contains("hors de son archive")
        );
        let macros = zip(&[
            ("[Content_Types].xml", b"<Types/>", true),
            ("xl/workbook.xml", b"<workbook/>", true),
            ("xl/vbaProject.bin", b"\xd0\xcf", false),
        ]);
        assert!(
            inspect("b.xlsx", &macros, &ALL)
                .unwrap_err()
                .contains("macros")
        );
        let mut cut = zip(&[("mimetype", ODS, false), ("content.xml", b"<x/>", true)]);
        cut.truncate(cut.len() - 10);
        assert!(
            inspect("b.ods", &cut, &ALL)
                .unwrap_err()
                .contains("endommagé")
        );
    }

    proptest::proptest! {
        /// No upload, however broken, makes the inspector panic: random bytes, and a
        /// real archive or PDF with bytes overwritten anywhere.
        #[test]
        fn any_bytes_are_judged_without_panic(
            noise in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
            at in 0usize..400,
            base in 0usize..3,
        ) {
            let _ = inspect("f", &noise, &ALL);
            let mut file = match base {
                0 => PDF.to_vec(),
                1 => zip(&[("mimetype", ODS, false), ("content.xml", b"<a/>", true)]),
                _ => zip(&[("[Content_Types].xml", b"<T/>", true), ("xl/workbook.xml", b"<w/>", true)]),
            };
            let at = at % file.len().max(1);
            for (i, b) in noise.iter().take(16).enumerate() {
                if let Some(x) = file.get_mut(at + i) {
                    *x = *b;
                }
            }
            let _ = inspect("f", &file, &ALL);
        }
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
