//! Uploaded files: their format decided by their content (never by the name or the
//! browser's claim), what that format could hide ([`inspect`]), and a safe name to keep.

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
mod tests;
