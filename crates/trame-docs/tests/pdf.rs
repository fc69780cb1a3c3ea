//! The PDF documents: they compile with the embedded fonts only, carry their data as
//! text (read back with `pdftotext`, from poppler-utils), and print typed values as typed
//! — markup in a name is not interpreted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use time::macros::date;
use trame_docs::pdf::{Template, render};

/// The text of a PDF, spaces collapsed.
fn text_of(pdf: &[u8]) -> anyhow::Result<String> {
    trame_testkit::tools::pdf_text(pdf)
}

/// Spaces and line breaks collapsed, for comparisons across the layout.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn convention_data(beneficiary: &str) -> serde_json::Value {
    serde_json::json!({
        "title_document": "Convention AAP-2026-0001",
        "issuer": "Grand Paris Sud Est Avenir",
        "issuer_siret": "20005800600012",
        "date": "26/11/2026",
        "reference": "AAP-2026-0001",
        "beneficiary": beneficiary,
        "beneficiary_id": "RNA W941000127",
        "object": "Recyclerie solidaire",
        "decided_on": "17/12/2026",
        "deliberation": "CT 2026-12-17 n° 42",
        "amount": "24 000,00 €",
        "share": "40 %",
        "budget": "60 000,00 €",
        "installments": [
            {"label": "80 % à la signature", "amount": "19 200,00 €"},
            {"label": "20 % à l'acceptation du compte rendu final", "amount": "4 800,00 €"}
        ],
        "report_due": "30/06/2027",
        "period": ""
    })
}

#[test]
fn a_convention_carries_its_parties_amount_and_schedule() -> anyhow::Result<()> {
    let pdf = render(
        Template::Convention,
        &convention_data("Ressourcerie du Mont-Mesly"),
        date!(2026 - 11 - 26),
    )?;
    assert!(pdf.starts_with(b"%PDF-"));
    // Trame's own PDFs pass the upload check (a signed convention comes back).
    use trame_domain::funding::attachment::{Format, inspect};
    assert_eq!(
        inspect("convention.pdf", &pdf, &[Format::Pdf]),
        Ok(Format::Pdf)
    );
    let text = flat(&text_of(&pdf)?);
    for expected in [
        "Convention d’attribution de subvention",
        "Grand Paris Sud Est Avenir",
        "Ressourcerie du Mont-Mesly",
        "24 000,00 €",
        "80 % à la signature",
        "19 200,00 €",
        "4 800,00 €",
        "30/06/2027",
        "CT 2026-12-17 n° 42",
    ] {
        assert!(text.contains(expected), "{expected} missing from: {text}");
    }
    Ok(())
}

#[test]
fn typed_values_are_printed_never_run() -> anyhow::Result<()> {
    let hostile = "#panic(\"x\") ] *gras* $x$ \\ @ref <l> // fin";
    let pdf = render(
        Template::Convention,
        &convention_data(hostile),
        date!(2026 - 11 - 26),
    )?;
    let text = flat(&text_of(&pdf)?);
    assert!(text.contains(&flat(hostile)), "{text}");
    Ok(())
}

#[test]
fn letters_and_receipts_compile() -> anyhow::Result<()> {
    let data = serde_json::json!({
        "issuer": "Grand Paris Sud Est Avenir",
        "date": "26/11/2026",
        "reference": "AAP-2026-0002",
        "beneficiary": "La Cour Cyclette",
        "object": "Vélo-école",
        "decided_on": "17/12/2026",
        "deliberation": "CT 2026-12-17 n° 42",
        "amount": "8 000,00 €",
        "schedule": "80 % à la signature, 20 % à l'acceptation du compte rendu final",
        "convention": "non",
        "scheme": "l'appel à projets Initiatives d'ESS 2026",
        "submitted_at": "26/11/2026 à 10:12",
        "attachments": [{"name": "statuts.pdf", "sha256": "ab12"}]
    });
    for (t, expected) in [
        (Template::Acceptance, "8 000,00 €"),
        (Template::Refusal, "n’a pas retenu votre projet"),
        (Template::Receipt, "statuts.pdf"),
    ] {
        let pdf = render(t, &data, date!(2026 - 11 - 26))?;
        let text = flat(&text_of(&pdf)?);
        assert!(text.contains(expected), "{t:?}: {text}");
    }
    Ok(())
}
