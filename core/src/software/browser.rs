//! A browser hook for the local test provider (`tests/oidc/provider.mjs`):
//! it walks the provider's sign-in and consent pages over HTTP, the way a
//! person would in Custom Tabs, and hands back the callback URL. For tests,
//! the CLI's `login --dev` and the demo; never for a real provider.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{StatusCode, Url};

use crate::hooks::{Browser, HookError};

/// Signs in as `login` at the test provider, at assurance `acr` when given.
pub struct DevBrowser {
    login: String,
    acr: Option<String>,
}

impl DevBrowser {
    pub fn new(login: &str, acr: Option<&str>) -> Self {
        Self {
            login: login.into(),
            acr: acr.map(str::to_string),
        }
    }
}

/// A [`DevBrowser`] for the shells' JVM and XCTest suites.
#[uniffi::export]
pub fn dev_browser(login: String, acr: Option<String>) -> Arc<dyn Browser> {
    Arc::new(DevBrowser { login, acr })
}

fn failed(reason: &str) -> HookError {
    HookError::Failed {
        reason: reason.into(),
    }
}

impl Browser for DevBrowser {
    fn authorize(&self, url: String, redirect_uri: String) -> Result<String, HookError> {
        // Like a real browser, it works apart from the caller: on a thread
        // and runtime of its own, so it may be called from inside a tokio
        // context (the core calls hooks from its blocking pool).
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|_| failed("runtime"))?
                        .block_on(self.walk(&url, &redirect_uri))
                })
                .join()
                .map_err(|_| failed("panic"))?
        })
    }
}

impl DevBrowser {
    async fn walk(&self, start: &str, redirect_uri: &str) -> Result<String, HookError> {
        let tls = crate::net::tls::client_config(&[], &[]).map_err(|_| failed("tls"))?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .no_proxy()
            .build()
            .map_err(|_| failed("http"))?;
        let mut cookies = BTreeMap::<String, String>::new();
        let mut url = Url::parse(start).map_err(|_| failed("url"))?;
        let mut form: Option<Vec<(&str, String)>> = None;
        for _ in 0..12 {
            let jar = cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            let request = match form.take() {
                Some(fields) => {
                    let body = url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(fields)
                        .finish();
                    http.post(url.clone())
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body)
                }
                None => http.get(url.clone()),
            };
            let response = request
                .header(COOKIE, jar)
                .send()
                .await
                .map_err(|_| failed("unreachable"))?;
            for value in response.headers().get_all(SET_COOKIE) {
                let pair = value.to_str().unwrap_or("").split(';').next().unwrap_or("");
                if let Some((name, value)) = pair.split_once('=') {
                    cookies.insert(name.trim().to_string(), value.trim().to_string());
                }
            }
            let status = response.status();
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            if status.is_redirection() {
                let location = location.ok_or_else(|| failed("redirect"))?;
                if location.starts_with(redirect_uri) {
                    return Ok(location);
                }
                url = url.join(&location).map_err(|_| failed("redirect"))?;
                continue;
            }
            if status != StatusCode::OK {
                return Err(failed("provider error"));
            }
            let page = response.text().await.map_err(|_| failed("page"))?;
            let uid = url
                .path()
                .strip_prefix("/interaction/")
                .ok_or_else(|| failed("unexpected page"))?
                .to_string();
            if page.contains(r#"name="prompt" value="login""#) {
                url = url
                    .join(&format!("/palmgov-test/login/{uid}"))
                    .map_err(|_| failed("url"))?;
                let mut fields = vec![("login", self.login.clone())];
                if let Some(acr) = &self.acr {
                    fields.push(("acr", acr.clone()));
                }
                form = Some(fields);
            } else if page.contains(r#"name="prompt" value="consent""#) {
                form = Some(vec![("prompt", "consent".to_string())]);
            } else {
                return Err(failed("unexpected page"));
            }
        }
        Err(failed("too many steps"))
    }
}
