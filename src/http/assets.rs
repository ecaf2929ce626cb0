//! Static files — the application's CSS and scripts and the vendored libraries
//! with their licences — embedded in the binary (rust-embed), so an installed
//! binary needs no files beside it. They are served under a versioned path
//! (`/static/<version>/…`, the version a digest of their contents) with a
//! year's cache, so a build that changes a file changes its URL.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

#[derive(rust_embed::Embed)]
#[folder = "static/"]
#[exclude = ".keep"]
struct Assets;

/// This build's asset version: a digest of every embedded file's name and contents.
pub fn version() -> &'static str {
    static VERSION: LazyLock<String> = LazyLock::new(|| {
        let mut digest = Sha256::new();
        for name in Assets::iter() {
            digest.update(name.as_bytes());
            if let Some(file) = Assets::get(&name) {
                digest.update(file.metadata.sha256_hash());
            }
        }
        digest.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
    });
    &VERSION
}

/// `GET /static/<version>/{*path}`: an embedded file with its type, or 404.
pub async fn asset(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => ([(header::CONTENT_TYPE, file.metadata.mimetype().to_string())], file.data).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_assets_are_embedded_with_their_types() {
        for (path, kind) in
            [("app.css", "text/css"), ("app.js", "javascript"), ("vendor/echarts/echarts.min.js", "javascript")]
        {
            let file = Assets::get(path).unwrap_or_else(|| panic!("{path} is not embedded"));
            assert!(file.metadata.mimetype().contains(kind), "{path}: {}", file.metadata.mimetype());
        }
        assert!(Assets::get(".keep").is_none());
        assert_eq!(version().len(), 12);
    }
}
