//! A small OpenID Connect provider on loopback, standing in for ProConnect in tests: real
//! discovery, JWKS, authorization codes and RS256-signed ID tokens (key in
//! `fixtures/mock-proconnect-rsa.pem`, a test key), with knobs for the negative cases.

use axum::extract::{Form, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType,
};
use openidconnect::{
    Audience, AuthUrl, EmptyAdditionalClaims, EmptyAdditionalProviderMetadata, EndUserEmail,
    IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce, PrivateSigningKey, ResponseTypes,
    StandardClaims, SubjectIdentifier, TokenUrl,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const KEY_PEM: &str = include_str!("../fixtures/mock-proconnect-rsa.pem");

/// Who the provider says logged in, and how it misbehaves.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Subject.
    pub sub: String,
    /// Email claim.
    pub email: String,
    /// `email_verified` claim.
    pub email_verified: bool,
    /// Audience written in the token (the client id when `None`).
    pub audience: Option<String>,
    /// Issuer written in the token (the provider's when `None`).
    pub issuer: Option<String>,
    /// Nonce written in the token (the requested one when `None`).
    pub nonce: Option<String>,
    /// The token expired an hour ago.
    pub expired: bool,
    /// The token is not signed (`alg: none`).
    pub unsigned: bool,
}

impl Identity {
    /// A well-behaved identity.
    pub fn agent(sub: &str, email: &str) -> Self {
        Identity {
            sub: sub.into(),
            email: email.into(),
            email_verified: true,
            audience: None,
            issuer: None,
            nonce: None,
            expired: false,
            unsigned: false,
        }
    }
}

#[derive(Debug, Default)]
struct Shared {
    issuer: String,
    client_id: String,
    /// code → nonce asked at authorization.
    codes: HashMap<String, String>,
    identity: Option<Identity>,
}

/// The running provider.
#[derive(Debug, Clone)]
pub struct MockProvider {
    /// Issuer URL (`http://127.0.0.1:PORT`).
    pub issuer: String,
    /// Client id it expects.
    pub client_id: String,
    shared: Arc<Mutex<Shared>>,
}

fn key() -> anyhow::Result<CoreRsaPrivateSigningKey> {
    CoreRsaPrivateSigningKey::from_pem(KEY_PEM, Some(JsonWebKeyId::new("k1".into())))
        .map_err(|e| anyhow::anyhow!(e))
}

impl MockProvider {
    /// Starts the provider on a free loopback port.
    pub async fn start(client_id: &str) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let issuer = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Mutex::new(Shared {
            issuer: issuer.clone(),
            client_id: client_id.into(),
            ..Default::default()
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .with_state(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            issuer,
            client_id: client_id.into(),
            shared,
        })
    }

    /// Sets who the next token names.
    pub fn login_as(&self, identity: Identity) {
        if let Ok(mut s) = self.shared.lock() {
            s.identity = Some(identity);
        }
    }

    /// What a browser does at the authorization endpoint: reads the request in the
    /// redirect `location`, and returns the callback query (`code`, `state`).
    pub fn authorize(&self, location: &str) -> anyhow::Result<String> {
        let query = location.split_once('?').map(|(_, q)| q).unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)?;
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        anyhow::ensure!(
            location.starts_with(&format!("{}/authorize?", self.issuer)),
            "not our authorize endpoint: {location}"
        );
        anyhow::ensure!(get("code_challenge_method") == "S256", "PKCE S256 expected");
        anyhow::ensure!(
            get("state").len() >= 32 && get("nonce").len() >= 32,
            "state and nonce of 32+ characters"
        );
        let code = format!("code-{}", rand::random::<u64>());
        if let Ok(mut s) = self.shared.lock() {
            s.codes.insert(code.clone(), get("nonce"));
        }
        Ok(serde_urlencoded::to_string([
            ("code", code),
            ("state", get("state")),
        ])?)
    }
}

async fn discovery(State(s): State<Arc<Mutex<Shared>>>) -> Json<serde_json::Value> {
    let issuer = s.lock().map(|s| s.issuer.clone()).unwrap_or_default();
    let url = |p: &str| format!("{issuer}{p}");
    let metadata = CoreProviderMetadata::new(
        IssuerUrl::new(issuer.clone()).unwrap_or_else(|_| unreachable!()),
        AuthUrl::new(url("/authorize")).unwrap_or_else(|_| unreachable!()),
        JsonWebKeySetUrl::new(url("/jwks")).unwrap_or_else(|_| unreachable!()),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(
        TokenUrl::new(url("/token")).unwrap_or_else(|_| unreachable!()),
    ));
    Json(serde_json::to_value(metadata).unwrap_or_default())
}

async fn jwks() -> Json<serde_json::Value> {
    let set = key().map(|k| CoreJsonWebKeySet::new(vec![k.as_verification_key()]));
    Json(
        set.ok()
            .and_then(|s| serde_json::to_value(s).ok())
            .unwrap_or_default(),
    )
}

async fn token(
    State(s): State<Arc<Mutex<Shared>>>,
    Form(form): Form<HashMap<String, String>>,
) -> (axum::http::StatusCode, Json<serde_json::Value>) {
    let bad = |m: &str| {
        (
            axum::http::StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": "invalid_grant", "error_description": m })),
        )
    };
    let (issuer, client_id, nonce, identity) = {
        let Ok(mut s) = s.lock() else {
            return bad("lock");
        };
        let Some(nonce) = form.get("code").and_then(|c| s.codes.remove(c)) else {
            return bad("unknown code");
        };
        (
            s.issuer.clone(),
            s.client_id.clone(),
            nonce,
            s.identity.clone(),
        )
    };
    if form.get("code_verifier").is_none_or(|v| v.len() < 43) {
        return bad("missing PKCE verifier");
    }
    let Some(id) = identity else {
        return bad("nobody logged in");
    };
    let now = chrono::Utc::now();
    let (iat, exp) = if id.expired {
        (
            now - chrono::Duration::hours(2),
            now - chrono::Duration::hours(1),
        )
    } else {
        (now, now + chrono::Duration::minutes(5))
    };
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(id.issuer.clone().unwrap_or(issuer)).unwrap_or_else(|_| unreachable!()),
        vec![Audience::new(id.audience.clone().unwrap_or(client_id))],
        exp,
        iat,
        StandardClaims::new(SubjectIdentifier::new(id.sub.clone()))
            .set_email(Some(EndUserEmail::new(id.email.clone())))
            .set_email_verified(Some(id.email_verified)),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(id.nonce.clone().unwrap_or(nonce))));
    let jwt = if id.unsigned {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = serde_json::to_vec(&claims).unwrap_or_default();
        format!(
            "{}.{}.",
            b64.encode(br#"{"alg":"none"}"#),
            b64.encode(payload)
        )
    } else {
        match key().and_then(|k| {
            CoreIdToken::new(
                claims,
                &k,
                CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                None,
                None,
            )
            .map_err(|e| anyhow::anyhow!("{e:?}"))
        }) {
            Ok(t) => t.to_string(),
            Err(e) => return bad(&e.to_string()),
        }
    };
    (
        axum::http::StatusCode::OK,
        Json(
            serde_json::json!({ "access_token": "jeton-d-acces", "token_type": "Bearer", "expires_in": 300, "id_token": jwt }),
        ),
    )
}
