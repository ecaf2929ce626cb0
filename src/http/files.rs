//! Reading uploads from multipart forms (size and type checked) and serving
//! stored files as attachments. Each area authorises its own download route
//! and then calls [`attachment_response`].

use axum::body::Body;
use axum::extract::multipart::Field;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::db::attachments::{AttachmentMeta, NewAttachment};
use crate::domain::files::{self, content_disposition};

/// Why an upload was refused; each is a locale key shown beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    Empty,
    TooLarge,
    UnsupportedType,
    Unreadable,
    /// No file, where the target asks for evidence (docs/DOMAIN.md §7.6).
    EvidenceRequired,
}

impl UploadError {
    pub fn label_key(self) -> &'static str {
        match self {
            UploadError::Empty => "upload-error-empty",
            UploadError::TooLarge => "upload-error-too-large",
            UploadError::UnsupportedType => "upload-error-type",
            UploadError::Unreadable => "upload-error-unreadable",
            UploadError::EvidenceRequired => "reports-error-evidence-required",
        }
    }
}

/// Reads one file field, refusing it past `max_bytes` (without reading the
/// rest) or when its content is not an accepted type. `Ok(None)` for a file
/// input left empty.
pub async fn read_upload(mut field: Field<'_>, max_bytes: usize) -> Result<Option<NewAttachment>, UploadError> {
    let name = field.file_name().unwrap_or_default().to_string();
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| UploadError::Unreadable)? {
        if bytes.len() + chunk.len() > max_bytes {
            return Err(UploadError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.is_empty() {
        return if name.is_empty() { Ok(None) } else { Err(UploadError::Empty) };
    }
    let kind = files::sniff(&bytes).ok_or(UploadError::UnsupportedType)?;
    let sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    Ok(Some(NewAttachment {
        file_name: files::safe_file_name(&name, kind),
        content_type: kind.content_type().to_string(),
        sha256,
        bytes,
    }))
}

/// A stored file as a download: attachment disposition, its stored type,
/// nosniff (added by the security layer), and a sandboxing CSP.
pub fn attachment_response(meta: &AttachmentMeta, bytes: Vec<u8>) -> Response {
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    let content_type =
        HeaderValue::from_str(&meta.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&meta.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_upload_error_has_a_message() {
        for error in [UploadError::Empty, UploadError::TooLarge, UploadError::UnsupportedType, UploadError::Unreadable]
        {
            for lang in Lang::ALL {
                assert_ne!(lang.t(error.label_key()), error.label_key());
            }
        }
    }
}
