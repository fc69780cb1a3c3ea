//! A client that keeps cookies and sends the anti-forgery token with every form, the way a
//! browser does, over the router in process.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, header};
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use tower::ServiceExt;

/// A response, read whole.
#[derive(Debug, Clone)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// Body as text (lossy UTF-8).
    pub body: String,
    /// Body as sent.
    pub bytes: Vec<u8>,
}

impl Resp {
    /// The `Location` header.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The client.
#[derive(Debug, Clone)]
pub struct Client {
    router: Router,
    ip: IpAddr,
    /// Cookies held, by name.
    pub cookies: BTreeMap<String, String>,
}

impl Client {
    /// A client with no cookies from `ip`.
    pub fn new(router: Router, ip: IpAddr) -> Self {
        Self {
            router,
            ip,
            cookies: BTreeMap::new(),
        }
    }

    /// Sends a request and keeps the cookies it sets.
    pub async fn send(&mut self, mut req: Request<Body>) -> anyhow::Result<Resp> {
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut().insert(header::COOKIE, cookie.parse()?);
        }
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(self.ip, 40000)));
        let resp = self.router.clone().oneshot(req).await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let Ok(v) = v.to_str() else { continue };
            let Some((pair, attrs)) = v.split_once(';').or(Some((v, ""))) else {
                continue;
            };
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if attrs.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = resp.into_body().collect().await?.to_bytes();
        Ok(Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        })
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str) -> anyhow::Result<Resp> {
        self.send(Request::builder().uri(path).body(Body::empty())?)
            .await
    }

    /// `POST path` with a form; the anti-forgery token is added from the cookie (fetched
    /// first with a `GET /connexion` when the client has none).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> anyhow::Result<Resp> {
        if !self.cookies.contains_key("trame_csrf") {
            self.get("/connexion").await?;
        }
        let token = self.cookies.get("trame_csrf").cloned().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &serde_urlencoded::to_string(&all)?)
            .await
    }

    /// `POST path` with a raw urlencoded body, nothing added.
    pub async fn post_raw(&mut self, path: &str, body: &str) -> anyhow::Result<Resp> {
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.to_owned()))?,
        )
        .await
    }

    /// `POST path` with one file in a multipart form, the anti-forgery token in the query
    /// string as the pages put it.
    pub async fn post_file(
        &mut self,
        path: &str,
        field: &str,
        filename: &str,
        mime: &str,
        bytes: &[u8],
    ) -> anyhow::Result<Resp> {
        self.post_multipart(path, &[], field, filename, mime, bytes)
            .await
    }

    /// `POST path` as `multipart/form-data`: text fields, then one file; the anti-forgery
    /// token goes in the query, as the pages' upload forms send it.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        texts: &[(&str, &str)],
        field: &str,
        filename: &str,
        mime: &str,
        bytes: &[u8],
    ) -> anyhow::Result<Resp> {
        if !self.cookies.contains_key("trame_csrf") {
            self.get("/connexion").await?;
        }
        let token = self.cookies.get("trame_csrf").cloned().unwrap_or_default();
        let boundary = "trame-boundary-7d2f";
        let mut body = Vec::new();
        for (name, value) in texts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        body.extend_from_slice(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n"
        ).as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(format!("{path}?_csrf={token}"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))?,
        )
        .await
    }

    /// Logs in through the form.
    pub async fn login(&mut self, email: &str, password: &str) -> anyhow::Result<Resp> {
        self.post_form("/connexion", &[("email", email), ("password", password)])
            .await
    }
}
