//! Calls to the backend on behalf of the signed-in account: the access token
//! as `Authorization: DPoP` with a fresh proof (or `Bearer` for an unbound
//! session), refreshed before it expires, and on a 401 refreshed once and
//! retried (the token may have been revoked or rotated elsewhere).

use std::sync::Arc;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::facade::Core;

impl Core {
    pub(crate) async fn authorized_get_json<T: DeserializeOwned>(
        self: &Arc<Self>,
        path: &str,
    ) -> Result<T> {
        let identity = self.identity()?;
        let url = self.api.url(path)?;
        let mut session = self.fresh_session(false).await?;
        let mut retried = false;
        loop {
            let mut request = self
                .api
                .http()
                .get(url.clone())
                .header("accept", "application/json");
            request = match self.dpop_key(&session)? {
                Some(key) => {
                    let now = identity
                        .provider
                        .corrected_now(&self.api, session.clock_offset);
                    let proof =
                        key.proof("GET", url.as_str(), now, Some(&session.access_token), None)?;
                    request
                        .header("authorization", format!("DPoP {}", session.access_token))
                        .header("dpop", proof)
                }
                None => request.bearer_auth(&session.access_token),
            };
            let reply = self.api.send_once(request.build()?).await?;
            if reply.status == StatusCode::UNAUTHORIZED && !retried {
                retried = true;
                session = self.fresh_session(true).await?;
                continue;
            }
            return Ok(self.api.judge(reply)?.body);
        }
    }
}
