//! Surveys by one-time links (docs/DOMAIN.md §18.3): creating a survey with
//! a link per member, and recording one answer sheet through a link. The
//! public answer page and the demo both answer through [`answer`].

use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::surveys::{self, ItemRow, LinkState, NewItem, NewSurvey};
use crate::domain::surveys::{LinkRefusal, SheetErrors, SheetInput, check_link};
use chrono::NaiveDate;

/// A new unguessable link token: 32 bytes (256 bits) from the operating
/// system's random source, URL-safe base64 without padding (43 characters).
pub fn new_token() -> Result<String, getrandom::Error> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Creates a survey with its items and one fresh link per member, and audits it.
pub async fn create_survey(
    conn: &mut PgConnection,
    actor: &AuditContext,
    created_by: i64,
    survey: &NewSurvey,
    items: &[NewItem],
    members: &[i64],
) -> anyhow::Result<i64> {
    let links = members.iter().map(|m| Ok((*m, new_token()?))).collect::<Result<Vec<_>, getrandom::Error>>()?;
    let id = surveys::create(conn, survey, items, &links, created_by).await?;
    let summary = json!({ "title": survey.title, "year": survey.year, "kind": survey.kind.code(),
                          "items": items.len(), "links": links.len(), "expires_on": survey.expires_on });
    audit::record(conn, actor, AuditEvent::new("survey.created", "survey", id, summary)).await?;
    Ok(id)
}

/// What became of an answer sheet sent through a link.
#[derive(Debug)]
pub enum Answered {
    /// Recorded; the link is used.
    Recorded { survey_title: String },
    /// The link cannot be answered; nothing was recorded.
    Refused(LinkRefusal),
    /// The sheet is incomplete; nothing was recorded.
    Invalid { link: LinkState, items: Vec<ItemRow>, errors: SheetErrors },
}

/// An answerable link and its items, or why it cannot be answered.
pub async fn open_link(
    conn: &mut PgConnection,
    token: &str,
    today: NaiveDate,
) -> Result<Result<(LinkState, Vec<ItemRow>), LinkRefusal>, sqlx::Error> {
    let Some(link) = surveys::link(conn, token).await? else { return Ok(Err(LinkRefusal::Unknown)) };
    if let Err(refusal) = check_link(link.used_on, link.expires_on, link.status, today) {
        return Ok(Err(refusal));
    }
    let items = surveys::items(conn, link.survey_id).await?;
    Ok(Ok((link, items)))
}

/// Records one answer sheet through a link, inside the caller's transaction:
/// locks the link, refuses a used, expired, unknown or closed one, marks it
/// used on `today` (the day only), and inserts the answers and the comment
/// with nothing that ties them to the link or the member, and an audit row
/// that names the survey alone (no actor, address or request).
pub async fn answer(
    conn: &mut PgConnection,
    token: &str,
    input: &SheetInput,
    today: NaiveDate,
) -> Result<Answered, sqlx::Error> {
    let Some(link) = surveys::link_for_update(conn, token).await? else {
        return Ok(Answered::Refused(LinkRefusal::Unknown));
    };
    if let Err(refusal) = check_link(link.used_on, link.expires_on, link.status, today) {
        return Ok(Answered::Refused(refusal));
    }
    let items = surveys::items(conn, link.survey_id).await?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let sheet = match input.validate(&ids) {
        Ok(sheet) => sheet,
        Err(errors) => return Ok(Answered::Invalid { link, items, errors }),
    };
    surveys::mark_used(conn, link.id, today).await?;
    surveys::insert_answers(conn, &sheet.answers).await?;
    if let Some(comment) = &sheet.comment {
        surveys::insert_comment(conn, link.survey_id, comment).await?;
    }
    let nobody = AuditContext::default();
    audit::record(conn, &nobody, AuditEvent::new("survey.answered", "survey", link.survey_id, json!({}))).await?;
    Ok(Answered::Recorded { survey_title: link.survey_title })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_differ() {
        let a = new_token().unwrap();
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(a, new_token().unwrap());
    }
}
