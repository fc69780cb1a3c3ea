//! Sending the outbox through SMTP, when `smtp_host` is set. Trame speaks plain SMTP to a
//! relay it trusts (a local postfix or the territory's relay on its private network),
//! which handles TLS and delivery; without `smtp_host`, messages stay in the outbox where
//! territory admins read them.

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use trame_store::Store;

/// The SMTP settings.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Relay host.
    pub host: String,
    /// Relay port.
    pub port: u16,
    /// Login, when the relay asks for one.
    pub credentials: Option<(String, String)>,
    /// Sender, such as `Trame <ne-pas-repondre@gpsea.fr>`.
    pub from: String,
}

/// What one pass of the sender did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Messages handed to the relay.
    pub sent: usize,
    /// Messages that failed (kept for the next pass).
    pub failed: usize,
}

/// Hands every pending message to the relay; a failure is recorded on the message, which
/// is tried again at the next pass.
pub async fn send_pending(store: &Store, smtp: &SmtpSettings) -> anyhow::Result<SendReport> {
    let from: Mailbox = smtp.from.parse()?;
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
        .port(smtp.port)
        .timeout(Some(std::time::Duration::from_secs(20)));
    if let Some((user, password)) = &smtp.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    let transport = builder.build();
    let mut report = SendReport::default();
    for email in store.pending_emails(50).await? {
        let outcome = async {
            let message = Message::builder()
                .from(from.clone())
                .to(email.recipient.parse()?)
                .subject(email.subject.clone())
                .header(ContentType::TEXT_PLAIN)
                .body(email.body.clone())?;
            transport.send(message).await?;
            anyhow::Ok(())
        }
        .await;
        match outcome {
            Ok(()) => {
                store.mark_email_sent(email.id).await?;
                report.sent += 1;
            }
            Err(e) => {
                tracing::warn!(email = email.id, error = %e, "envoi de courriel");
                store.mark_email_failed(email.id, &e.to_string()).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use trame_domain::role::Role;
    use trame_testkit::TestApp;

    /// A minimal SMTP server on loopback that keeps what it receives.
    async fn smtp_sink() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut lines = BufReader::new(r).lines();
                    w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                    let mut data = None::<String>;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(buf) = data.as_mut() {
                            if line == "." {
                                tx.send(data.take().unwrap_or_default()).unwrap();
                                w.write_all(b"250 ok\r\n").await.unwrap();
                            } else {
                                buf.push_str(&line);
                                buf.push('\n');
                            }
                            continue;
                        }
                        let reply: &[u8] =
                            match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                                "EHLO" | "HELO" => b"250 sink\r\n",
                                "DATA" => {
                                    data = Some(String::new());
                                    b"354 go\r\n"
                                }
                                "QUIT" => {
                                    w.write_all(b"221 bye\r\n").await.unwrap();
                                    return;
                                }
                                _ => b"250 ok\r\n",
                            };
                        w.write_all(reply).await.unwrap();
                    }
                });
            }
        });
        (port, rx)
    }

    fn settings(port: u16) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            credentials: None,
            from: "Trame <ne-pas-repondre@trame.test>".into(),
        }
    }

    #[tokio::test]
    async fn invitations_leave_through_the_relay_and_are_journaled() {
        let app = TestApp::spawn().await.unwrap();
        let admin = app.person_id(&app.gpsea, Role::TerritoryAdmin);
        let email = trame_domain::email::Email::parse("nouvelle@gpsea.fr").unwrap();
        let new = trame_store::invitations::NewInvitation {
            email: &email,
            role: Role::Agent,
            organisation_id: None,
            link_base: "https://trame.gpsea.fr",
        };
        app.store
            .invite(admin, app.gpsea.scope(), new)
            .await
            .unwrap();

        // The relay is down: the message stays pending, with the reason.
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let dead_port = closed.local_addr().unwrap().port();
        drop(closed);
        let report = send_pending(&app.store, &settings(dead_port))
            .await
            .unwrap();
        assert_eq!(report, SendReport { sent: 0, failed: 1 });
        let pending = app.store.pending_emails(10).await.unwrap();
        assert_eq!(pending.len(), 1);
        assert!(pending[0].last_error.is_some());

        let (port, mut received) = smtp_sink().await;
        let report = send_pending(&app.store, &settings(port)).await.unwrap();
        assert_eq!(report, SendReport { sent: 1, failed: 0 });
        let message = received.recv().await.unwrap();
        assert!(message.contains("To: nouvelle@gpsea.fr"), "{message}");
        assert!(
            message.contains("https://trame.gpsea.fr/invitation/"),
            "{message}"
        );
        assert!(app.store.pending_emails(10).await.unwrap().is_empty());
        let journal = app.store.audit_list(app.gpsea.scope(), 1).await.unwrap();
        assert_eq!(journal[0].action, "email.send");
    }
}
