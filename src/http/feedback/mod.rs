//! Stage 4, track feedback (docs/DOMAIN.md §19): written notices of final
//! results and their acknowledgement, feedback interviews, reviews and
//! appeals, rectification, the use of results and each person's history.

pub mod appeals;
pub mod board;
pub mod grade_import;
pub mod history;
pub mod interviews;
pub mod notices;
pub mod proposals;
pub mod rectification;

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::auth::session::CurrentUser;
use crate::db::interviews as interview_rows;
use crate::db::notices::{self as notice_rows, NoticeFilter};
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::http::home::TodoItem;

/// What stage 4 adds to the home page's to-dos: the person's notices to
/// acknowledge and interview records to confirm, the interviews they
/// scheduled and have not recorded, and for the performance office the
/// notices still waiting and the proposals of the use of results to decide
/// (or to look at again, their basis changed).
pub async fn todos(conn: &mut PgConnection, user: &CurrentUser, _today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let own = NoticeFilter { person_id: Some(user.id()), waiting: true, ..NoticeFilter::default() };
    let to_acknowledge = notice_rows::list(conn, &own).await?.iter().filter(|n| !n.superseded()).count() as i64;
    let (to_confirm, to_hold) = interview_rows::todo_counts(conn, user.id()).await?;
    let office = user.grants().has(Role::PerformanceOffice);
    let waiting = if office { notice_rows::waiting_count(conn).await? } else { 0 };
    let (proposed, changed) =
        if office { crate::db::result_use::waiting_counts(conn, user.id()).await? } else { (0, 0) };
    Ok([
        ("todo-notices-to-acknowledge", to_acknowledge, "/feedback/notices".to_string()),
        ("todo-interviews-to-confirm", to_confirm, "/feedback/interviews".into()),
        ("todo-interviews-to-hold", to_hold, "/feedback/interviews".into()),
        ("todo-notices-waiting", waiting, "/feedback/notices?waiting=1".into()),
        ("todo-proposals-to-decide", proposed, "/feedback/proposals?status=proposed".into()),
        ("todo-proposals-basis-changed", changed, "/feedback/proposals?status=confirmed".into()),
    ]
    .into_iter()
    .filter(|(_, count, _)| *count > 0)
    .map(|(key, count, href)| TodoItem { key, count, href })
    .collect())
}
