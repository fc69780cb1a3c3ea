//! Uploads (issue 7): a file is judged by its content and what it could hide, and, when
//! an antivirus is configured, scanned by ClamAV's daemon before anything is written —
//! a scan that cannot be made refuses the file.

use trame_domain::role::Role;
use trame_testkit::tools::{Clamd, EICAR};
use trame_testkit::{Client, TestApp};
use trame_web::WebConfig;

const PDF: &[u8] = crate::funding::PDF;
/// A harmless PDF that the test's antivirus knows as a threat (its MD5 is a signature).
const FLAGGED_PDF: &[u8] =
    b"%PDF-1.4\n% echantillon signale\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// The applicant's client and the path of a draft dossier of theirs.
async fn draft(app: &TestApp) -> anyhow::Result<(Client, String, i64)> {
    let org = crate::funding::applicants_association(app).await?;
    let edition = crate::funding::open_edition_of(app, &app.gpsea, 2027).await?;
    let mut c = app.client_as(&app.gpsea, Role::Applicant).await?;
    let r = c
        .post_form(
            &format!("/gpsea/appels/{edition}/deposer"),
            &[("organisation", &org.id.to_string())],
        )
        .await?;
    let id = crate::funding::id_after(&r, "/gpsea/mes-dossiers/");
    Ok((c, format!("/gpsea/mes-dossiers/{id}/pieces"), id))
}

async fn attachments(app: &TestApp, dossier: i64) -> anyhow::Result<usize> {
    Ok(app
        .store
        .attachments(app.gpsea.scope(), dossier)
        .await?
        .len())
}

async fn upload(
    c: &mut Client,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> anyhow::Result<(u16, String)> {
    let r = c
        .post_multipart(
            path,
            &[("kind", "statuts")],
            "file",
            name,
            "application/pdf",
            bytes,
        )
        .await?;
    Ok((r.status, r.body))
}

#[tokio::test]
async fn files_that_hide_something_are_refused_at_the_field_and_nothing_is_written()
-> anyhow::Result<()> {
    let app = TestApp::spawn().await?;
    let (mut c, path, id) = draft(&app).await?;
    let mut polyglot = PDF.to_vec();
    polyglot.extend_from_slice(
        b"PK\x03\x04evil.jsPK\x01\x02PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    );
    let active =
        b"%PDF-1.7\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n";
    for (name, bytes, says) in [
        (
            "../statuts.pdf",
            PDF,
            "chemin ou des caractères de contrôle",
        ),
        ("statuts\t.pdf", PDF, "chemin ou des caractères de contrôle"),
        ("statuts\u{7}.pdf", PDF, "n&#39;a pas pu être lu"),
        (
            "statuts.pdf",
            polyglot.as_slice(),
            "suivi d&#39;un autre fichier",
        ),
        ("statuts.pdf", active.as_slice(), "contenu actif"),
        (
            "statuts.pdf",
            b"\x7fELF\x02\x01\x01".as_slice(),
            "n&#39;est ni un PDF",
        ),
    ] {
        let (status, body) = upload(&mut c, &path, name, bytes).await?;
        assert_eq!(status, 422, "{name}");
        assert!(body.contains(says), "{name}: {body}");
        assert!(body.contains("id=\"file-error\""), "at the field");
    }
    assert_eq!(attachments(&app, id).await?, 0);
    let (status, _) = upload(&mut c, &path, "statuts.pdf", PDF).await?;
    assert_eq!(status, 303);
    assert_eq!(attachments(&app, id).await?, 1);
    Ok(())
}

#[tokio::test]
async fn every_upload_is_scanned_and_a_scan_that_cannot_be_made_refuses_the_file()
-> anyhow::Result<()> {
    let clamd = Clamd::start(&[EICAR, FLAGGED_PDF])?;
    // The EICAR test file, straight to the daemon.
    let verdict = trame_web::uploads::scan(&clamd.socket, EICAR).await;
    assert!(
        matches!(&verdict, Ok(trame_web::uploads::Verdict::Infected(name)) if name.contains("UNOFFICIAL")),
        "{verdict:?}"
    );
    assert_eq!(
        trame_web::uploads::scan(&clamd.socket, PDF).await,
        Ok(trame_web::uploads::Verdict::Clean)
    );
    // Through the application: the flagged file is refused at its field, a clean one
    // is written.
    let app = TestApp::spawn_with(WebConfig {
        clamd_socket: Some(clamd.socket.clone()),
        ..WebConfig::default()
    })
    .await?;
    let (mut c, path, id) = draft(&app).await?;
    let (status, body) = upload(&mut c, &path, "statuts.pdf", FLAGGED_PDF).await?;
    assert_eq!(status, 422);
    assert!(
        body.contains("L&#39;antivirus a détecté une menace"),
        "{body}"
    );
    assert_eq!(attachments(&app, id).await?, 0);
    let (status, _) = upload(&mut c, &path, "statuts.pdf", PDF).await?;
    assert_eq!(status, 303);
    // The daemon gone: the scan fails closed.
    drop(clamd);
    let (status, body) = upload(&mut c, &path, "rib.pdf", PDF).await?;
    assert_eq!(status, 422);
    assert!(body.contains("n&#39;a pas pu être faite"), "{body}");
    assert_eq!(attachments(&app, id).await?, 1);
    Ok(())
}
