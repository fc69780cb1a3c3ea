//! The upload checks, on files written by hand.
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
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
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
