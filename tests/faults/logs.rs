//! The server's log as a service manager or a log collector receives it: no
//! terminal colour codes when it goes to a file, and one JSON object a line
//! with `LOG_FORMAT=json`.

use reqwest::StatusCode;

use crate::support::{Browser, DataDir, Server, bounded};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_to_a_file_have_no_colour_codes_and_json_logs_are_one_object_a_line() {
    bounded("logs", async {
        let dir = DataDir::empty("logs");
        let mut server = Server::start(&dir, &[("LOG_LEVEL", "info,tower_http=debug")]).await;
        assert_eq!(Browser::new(&server).get("/login").await.status, StatusCode::OK);
        server.kill();
        let text = server.log_tail(usize::MAX);
        assert!(text.contains("serving"), "{text}");
        assert!(!text.contains('\u{1b}'), "colour codes in a log file:\n{text}");

        let mut server = Server::start(&dir, &[("LOG_FORMAT", "json")]).await;
        assert_eq!(Browser::new(&server).get("/login").await.status, StatusCode::OK);
        server.kill();
        let text = server.log_tail(usize::MAX);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(!lines.is_empty());
        for line in &lines {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|err| panic!("not JSON ({err}): {line}"));
            assert!(value.get("level").is_some() && value.get("fields").is_some(), "{line}");
        }
        assert!(text.contains("\"serving\""), "{text}");
    })
    .await;
}
