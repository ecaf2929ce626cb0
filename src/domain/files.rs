//! Uploaded evidence files: what types are accepted (decided by content, not
//! by name), and safe names for downloads.

/// A file type the office accepts as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Docx,
    Xlsx,
    Pptx,
    /// Legacy Word, Excel and PowerPoint files (OLE compound documents).
    OfficeLegacy,
}

impl FileKind {
    /// The content type the file is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileKind::OfficeLegacy => "application/octet-stream",
        }
    }

    /// Extensions a file of this kind may carry in its name.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Gif => &["gif"],
            FileKind::Webp => &["webp"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Pptx => &["pptx"],
            FileKind::OfficeLegacy => &["doc", "xls", "ppt"],
        }
    }
}

/// The kind of a file judged by its bytes; `None` for anything not accepted
/// (executables, archives, HTML, SVG, a renamed binary...).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    let kind = infer::get(bytes)?;
    Some(match kind.mime_type() {
        "application/pdf" => FileKind::Pdf,
        "image/png" => FileKind::Png,
        "image/jpeg" => FileKind::Jpeg,
        "image/gif" => FileKind::Gif,
        "image/webp" => FileKind::Webp,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => FileKind::Docx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => FileKind::Xlsx,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => FileKind::Pptx,
        "application/msword"
        | "application/vnd.ms-excel"
        | "application/vnd.ms-powerpoint"
        | "application/x-ole-storage" => FileKind::OfficeLegacy,
        _ => return None,
    })
}

/// Bidirectional formatting characters: they change the order in which a
/// name is shown, so that `report\u{202E}fdp.exe` reads as `reportexe.pdf`.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A file name safe to store and to offer for download: the last path
/// component only, bidirectional controls removed, control and reserved
/// characters replaced, at most 100 characters, and an extension matching its kind.
pub fn safe_file_name(name: &str, kind: FileKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() || "\"<>:|?*;%".contains(c) { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    let (stem, extension) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) => (stem.to_string(), ext.to_lowercase()),
        None => (cleaned.clone(), String::new()),
    };
    let extension =
        if kind.extensions().contains(&extension.as_str()) { extension } else { kind.extensions()[0].to_string() };
    let stem: String = if stem.trim().is_empty() { "file".into() } else { stem.chars().take(100).collect() };
    format!("{stem}.{extension}")
}

/// The Content-Disposition value for a download: always an attachment, with an
/// ASCII fallback name and the real name percent-encoded (RFC 6266 / 5987).
pub fn content_disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => encoded.push(byte as char),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A file size as the office reads it, the one formatter of every page:
/// bytes below 1 KB, then KB and MB (1 KB = 1024 B, as Windows shows them),
/// one decimal unless whole.
pub fn format_size(bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * KB;
    let (value, unit) = match bytes {
        b if b < KB => return format!("{b} B"),
        b if b < MB => (b as f64 / KB as f64, "KB"),
        b => (b as f64 / MB as f64, "MB"),
    };
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0} {unit}") } else { format!("{rounded:.1} {unit}") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_are_written_in_one_unit_style() {
        assert_eq!(format_size(512), "512 B");
        assert_eq!(format_size(1536), "1.5 KB");
        assert_eq!(format_size(20 * 1024 * 1024), "20 MB");
        assert_eq!(format_size(5 * 1024 * 1024 + 300 * 1024), "5.3 MB");
    }

    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];

    #[test]
    fn types_are_judged_by_content() {
        assert_eq!(sniff(PDF), Some(FileKind::Pdf));
        assert_eq!(sniff(PNG), Some(FileKind::Png));
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00\x00\x00"), None, "a Windows executable");
        assert_eq!(sniff(b"<html><script>alert(1)</script></html>"), None);
        assert_eq!(sniff(b"plain text renamed to report.pdf"), None);
    }

    #[test]
    fn names_lose_their_paths_and_get_a_matching_extension() {
        assert_eq!(safe_file_name("../../etc/passwd", FileKind::Pdf), "passwd.pdf");
        assert_eq!(safe_file_name("C:\\Users\\王芳\\会议纪要.PDF", FileKind::Pdf), "会议纪要.pdf");
        assert_eq!(safe_file_name("photo.exe", FileKind::Png), "photo.png");
        assert_eq!(safe_file_name("..", FileKind::Jpeg), "file.jpg");
        assert_eq!(safe_file_name("a\"b;c.pdf", FileKind::Pdf), "a_b_c.pdf");
    }

    #[test]
    fn bidi_controls_cannot_disguise_an_extension() {
        assert_eq!(safe_file_name("report\u{202E}fdp.exe", FileKind::Png), "reportfdp.png");
        assert_eq!(safe_file_name("纪要\u{202E}gnp\u{2066}\u{200F}.pdf", FileKind::Pdf), "纪要gnp.pdf");
        assert_eq!(safe_file_name("\u{200E}\u{202B}", FileKind::Pdf), "file.pdf");
    }

    #[test]
    fn downloads_are_attachments_with_an_encoded_name() {
        let value = content_disposition("会议纪要.pdf");
        assert!(value.starts_with("attachment; filename=\""));
        assert!(value.contains("filename*=UTF-8''%E4%BC%9A"));
        assert!(!content_disposition("a\"b.pdf").contains("a\"b"));
    }
}
