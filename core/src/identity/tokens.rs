//! What a token response changes in a session, and the ID token checks
//! every sign-in and refresh passes.

use super::Active;
use super::SessionStatus;
use super::idtoken::{self, Claims, Expected};
use super::jose::{JwkSet, JwsError};
use super::oauth::TokenResponse;
use super::sessions::StoredSession;
use crate::crypto::random_bytes;
use crate::error::{PalmGovError, Result};
use crate::net::ApiClient;

pub(crate) fn response_id_token(response: &TokenResponse) -> Option<&str> {
    response.extra_fields().id_token.as_deref()
}

/// A new, random identifier for state, nonce or the like.
pub(crate) fn random_id() -> Result<String> {
    Ok(super::jose::b64(&random_bytes(24)?))
}

impl Active {
    /// Validates an ID token against the provider's keys, refetching them
    /// once when the token names a key we have not seen (a rotation).
    pub(crate) async fn check_id_token(
        &self,
        api: &ApiClient,
        token: &str,
        nonce: Option<&str>,
    ) -> Result<Claims> {
        let expected = Expected {
            issuer: self.provider.issuer(),
            client_id: &self.config.client_id,
            nonce,
            now: self.provider.corrected_now(api, None),
            skew: i64::try_from(self.config.max_clock_skew_secs).unwrap_or(120),
        };
        let keys: JwkSet = self.provider.keys(api, false).await?;
        let result = match idtoken::validate(token, &keys, &expected) {
            Err(idtoken::Rejection::Jws(JwsError::UnknownKey)) => {
                let keys = self.provider.keys(api, true).await?;
                idtoken::validate(token, &keys, &expected)
            }
            other => other,
        };
        result.map_err(|r| {
            PalmGovError::LoginRejected {
                reason: r.reason().into(),
            }
            .into()
        })
    }

    /// Copies a token response into the session. A DPoP-bound session that
    /// gets a Bearer token back was downgraded (by a proxy or a provider
    /// bug) and is refused.
    pub(crate) fn apply_tokens(
        &self,
        api: &ApiClient,
        session: &mut StoredSession,
        response: &TokenResponse,
        claims: Option<&Claims>,
        dpop: bool,
    ) -> Result<()> {
        use oauth2::TokenResponse as _;
        let token_type = match response.token_type() {
            oauth2::basic::BasicTokenType::Bearer => "Bearer".to_string(),
            oauth2::basic::BasicTokenType::Extension(t) => t.clone(),
            oauth2::basic::BasicTokenType::Mac => "MAC".to_string(),
        };
        if dpop && !token_type.eq_ignore_ascii_case("DPoP") {
            return Err(PalmGovError::LoginRejected {
                reason: "token.dpop_downgrade".into(),
            }
            .into());
        }
        let now = self.provider.corrected_now(api, None);
        session.access_token = response.access_token().secret().clone();
        session.token_type = token_type;
        if let Some(rt) = response.refresh_token() {
            session.refresh_token = Some(rt.secret().clone());
        }
        session.expires_at = now
            + response
                .expires_in()
                .map_or(300, |d| i64::try_from(d.as_secs()).unwrap_or(300));
        if let Some(id_token) = response_id_token(response) {
            session.id_token = id_token.to_string();
        }
        if let Some(c) = claims {
            session.acr = c.acr.clone().or(session.acr.take());
            session.auth_time = c.auth_time.or(session.auth_time);
            session.display_name = c.name.clone().or(session.display_name.take());
            session.phone = c.phone_number.clone().or(session.phone.take());
            session.id_number = c.palmgov_id_number.clone().or(session.id_number.take());
            session.birth_date = c.birthdate.clone().or(session.birth_date.take());
        }
        session.last_refresh_at = now;
        session.clock_offset = self.provider.clock_offset(api).or(session.clock_offset);
        session.status = SessionStatus::Active;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::SystemClock;
    use crate::config::{default_identity_config, default_server_config};
    use crate::identity::AccountKind;
    use crate::identity::oauth;
    use crate::identity::provider::Provider;
    use crate::net::retry::TokioSleeper;
    use oauth2::basic::BasicTokenType;
    use oauth2::{AccessToken, StandardTokenResponse};

    fn session() -> StoredSession {
        StoredSession {
            account_id: "a".into(),
            issuer: "https://id.example".into(),
            subject: "s".into(),
            kind: AccountKind::NaturalPerson,
            display_name: None,
            organisation: None,
            phone: None,
            id_number: None,
            birth_date: None,
            status: SessionStatus::Active,
            access_token: String::new(),
            token_type: String::new(),
            refresh_token: Some("old-refresh".into()),
            id_token: String::new(),
            expires_at: 0,
            acr: None,
            auth_time: None,
            refresh_sent_at: None,
            last_refresh_at: 0,
            clock_offset: None,
            dpop_wrapped: None,
        }
    }

    /// A provider for `https://id.example` as configured by default, and a
    /// client for an API nobody calls.
    pub(crate) fn parts() -> (Active, ApiClient) {
        let config =
            default_identity_config("https://id.example".into(), "app".into(), "app:/cb".into());
        let active = Active::for_tests(
            config,
            Arc::new(Provider::new("https://id.example").unwrap()),
        );
        let api = ApiClient::new(
            &default_server_config("https://api.example/".into()),
            Arc::new(TokioSleeper),
            Arc::new(SystemClock),
        )
        .unwrap();
        (active, api)
    }

    #[test]
    fn a_dpop_session_refuses_a_bearer_token() {
        let (active, api) = parts();
        let response = StandardTokenResponse::new(
            AccessToken::new("at".into()),
            BasicTokenType::Bearer,
            oauth::OidcFields::default(),
        );
        let mut s = session();
        let error = active
            .apply_tokens(&api, &mut s, &response, None, true)
            .unwrap_err();
        assert_eq!(
            PalmGovError::from(error),
            PalmGovError::LoginRejected {
                reason: "token.dpop_downgrade".into()
            }
        );
        assert!(
            s.access_token.is_empty(),
            "nothing was taken from the refused response"
        );
    }

    #[test]
    fn a_response_without_a_new_refresh_token_keeps_the_old_one() {
        let (active, api) = parts();
        let response = StandardTokenResponse::new(
            AccessToken::new("at".into()),
            BasicTokenType::Extension("DPoP".into()),
            oauth::OidcFields::default(),
        );
        let mut s = session();
        active
            .apply_tokens(&api, &mut s, &response, None, true)
            .unwrap();
        assert_eq!(s.refresh_token.as_deref(), Some("old-refresh"));
        assert_eq!(s.token_type, "DPoP");
    }
}
