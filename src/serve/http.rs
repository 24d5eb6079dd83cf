//! The preview's HTTP server: the last good build, from memory, under the site's base
//! path, with server-sent events that tell the browser to reload.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// What the browser is told after a rebuild.
#[derive(Debug, Clone)]
pub enum Notice {
    /// Reload the page.
    Reload,
    /// Only the stylesheet changed: swap it for this URL.
    Css(String),
    /// The rebuild failed: show these errors (JSON) over the page.
    Errors(String),
}

/// The site as last built, and the errors of the last build if it failed.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Output path (`fr/a/index.html`) → bytes.
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// JSON for the error overlay, when the last build failed.
    pub errors: Option<String>,
}

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The site.
    pub snapshot: Arc<RwLock<Snapshot>>,
    /// Rebuild notices.
    pub notices: broadcast::Sender<Notice>,
    /// Path part of the base URL, `/` or `/toolkit/`.
    pub base_path: Arc<str>,
    /// The base URL, for the offline copy made on request.
    pub base: Arc<crate::routes::BaseUrl>,
}

/// The router: events, then files.
pub fn router(state: AppState) -> Router {
    let events = format!("{}__passerelle/events", state.base_path);
    Router::new()
        .route(&events, axum::routing::get(events_handler))
        .fallback(file_handler)
        .with_state(state)
}

async fn events_handler(State(state): State<AppState>) -> impl IntoResponse {
    let current = state.snapshot.read().ok().and_then(|s| s.errors.clone());
    let first = tokio_stream::iter(
        current.map(|e| Ok::<Event, Infallible>(Event::default().event("errors").data(e))),
    );
    let rest = BroadcastStream::new(state.notices.subscribe()).filter_map(|n| match n {
        Ok(Notice::Reload) => Some(Ok(Event::default().event("reload").data("reload"))),
        Ok(Notice::Css(url)) => Some(Ok(Event::default().event("css").data(url))),
        Ok(Notice::Errors(json)) => Some(Ok(Event::default().event("errors").data(json))),
        Err(_) => None,
    });
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

/// Decode `%xx` escapes; `None` when the result is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    // A `%` that does not start an escape makes the request invalid.
    let bytes = path.as_bytes();
    let valid = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !valid {
        return None;
    }
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// The file a request path asks for, relative to the site, or `None` when the path
/// is not a plain path inside the site (`..`, backslashes, NUL, drive letters).
pub fn site_path(raw: &str, base_path: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let rest = decoded.strip_prefix(base_path).or_else(|| {
        (decoded.trim_end_matches('/') == base_path.trim_end_matches('/')).then_some("")
    })?;
    let mut parts = Vec::new();
    for seg in rest.split('/') {
        match seg {
            "" | "." => continue,
            ".." => return None,
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if rest.is_empty() || rest.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn content_type(path: &str) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg"
        );
    let value = if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn respond(status: StatusCode, path: &str, bytes: Arc<Vec<u8>>) -> Response {
    let mut res = Response::new(Body::from(bytes.as_ref().clone()));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(path));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res
}

async fn file_handler(State(state): State<AppState>, req: Request<Body>) -> Response {
    let raw = req.uri().path().to_string();
    let Some(path) = site_path(&raw, &state.base_path) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    if path == crate::offline::ZIP_PATH {
        return offline_zip(&state).await;
    }
    let Ok(snapshot) = state.snapshot.read() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "Rebuilding").into_response();
    };
    if let Some(bytes) = snapshot.files.get(&path) {
        return respond(StatusCode::OK, &path, bytes.clone());
    }
    // `/fr/guide` → `/fr/guide/` when that folder has a page.
    if !raw.ends_with('/') && snapshot.files.contains_key(&format!("{path}/index.html")) {
        let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
        // Built from the checked path, so it always stays on this server.
        let mut target = format!("{}{path}/", state.base_path);
        if !target.is_ascii() && raw.starts_with('/') && !raw.starts_with("//") {
            target = format!("{raw}/");
        }
        if let Ok(v) = HeaderValue::from_str(&target) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return res;
    }
    // The 404 page of the language the path is in, else the bilingual one.
    let lang = path.split('/').next().unwrap_or("");
    for candidate in [format!("{lang}/404.html"), "404.html".to_string()] {
        if let Some(bytes) = snapshot.files.get(&candidate) {
            return respond(StatusCode::NOT_FOUND, &candidate, bytes.clone());
        }
    }
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

/// The offline zip of the site as last built: the preview makes it when asked,
/// not on every rebuild (it is the slowest part of a build of a large site).
async fn offline_zip(state: &AppState) -> Response {
    let files: Vec<crate::output::OutputFile> = match state.snapshot.read() {
        Ok(snapshot) => snapshot
            .files
            .iter()
            .map(|(path, bytes)| crate::output::OutputFile {
                path: path.clone(),
                bytes: bytes.clone(),
                template: None,
            })
            .collect(),
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "Rebuilding").into_response(),
    };
    let base = state.base.clone();
    let zip = tokio::task::spawn_blocking(move || {
        crate::offline::zip_and_scan(&files, &base, None).map(|(zip, _)| zip.bytes)
    })
    .await;
    match zip {
        Ok(Ok(zip)) => respond(StatusCode::OK, crate::offline::ZIP_PATH, Arc::new(zip)),
        Ok(Err(d)) => (StatusCode::INTERNAL_SERVER_ERROR, d.message).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/", "/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/fr/guide/", "/").as_deref(),
            Some("fr/guide/index.html")
        );
        assert_eq!(
            site_path("/kit/fr/", "/kit/").as_deref(),
            Some("fr/index.html")
        );
        assert_eq!(site_path("/kit", "/kit/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/%C3%A9coute/", "/").as_deref(),
            Some("écoute/index.html")
        );
        assert_eq!(
            site_path("/assets/style.css", "/").as_deref(),
            Some("assets/style.css")
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%5c..%5cx",
            "/a\\b",
            "/C:/x",
            "/%00",
            "/other/",
            "/%ff",
        ] {
            assert_eq!(
                site_path(bad, if bad == "/other/" { "/kit/" } else { "/" }),
                None,
                "{bad}"
            );
        }
    }
}
