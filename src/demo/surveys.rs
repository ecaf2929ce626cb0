//! The demo's members' satisfaction surveys (`data/surveys.toml`,
//! docs/DOMAIN.md §18.3): last year's year-end survey to every member about
//! every department, answered by most and closed, and this year's, open
//! with its links mostly unused. Answers go through the public page's own
//! step ([`workflow::surveys::answer`]); who answers what is spread evenly
//! by the data's shares, the same on every run.

use anyhow::{Context, bail};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::data::{self, SURVEYS};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::surveys::{self, NewItem, NewSurvey};
use crate::db::{departments, people};
use crate::domain::satisfaction::Answer;
use crate::domain::surveys::{SheetInput, SurveyKind};
use crate::workflow::surveys::{self as flow, Answered};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SurveysFile {
    survey: Vec<SurveySpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SurveySpec {
    title: String,
    year: i32,
    #[serde(deserialize_with = "data::date")]
    expires_on: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    first_answer_on: NaiveDate,
    /// The share (%) of members who answer, or else…
    answered_percent: Option<usize>,
    /// …how many answer.
    answered_count: Option<usize>,
    closed: bool,
    #[serde(default)]
    comment_every: usize,
    #[serde(default)]
    comments: Vec<String>,
    department: Vec<DepartmentShares>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentShares {
    name: String,
    /// 满意, 基本满意, 不满意, 不了解, in percent.
    shares: [u32; 4],
}

fn parse() -> anyhow::Result<SurveysFile> {
    let file: SurveysFile = data::parse(&SURVEYS)?;
    for survey in &file.survey {
        if survey.answered_percent.is_some() == survey.answered_count.is_some() {
            bail!("src/demo/data/surveys.toml: {} needs one of answered_percent and answered_count", survey.title);
        }
        for d in &survey.department {
            if d.shares.iter().sum::<u32>() != 100 {
                bail!("src/demo/data/surveys.toml: the shares of {} in {} do not add up to 100", d.name, survey.title);
            }
        }
        if survey.comment_every == 0 && !survey.comments.is_empty() {
            bail!("src/demo/data/surveys.toml: {} has comments but no comment_every", survey.title);
        }
    }
    Ok(file)
}

/// Whether the `k`-th of `n` members answers, `percent` of them evenly spread.
fn answers(k: usize, percent: usize) -> bool {
    (k * percent) / 100 != ((k + 1) * percent) / 100
}

/// The answer of the `sheet`-th answer sheet about the `item`-th department:
/// sheets walk the hundred places of the shares in a fixed stride (coprime
/// to 100), so every hundred sheets give exactly the shares.
fn answer_of(shares: &[u32; 4], sheet: usize, item: usize) -> Answer {
    let place = ((sheet * 37 + item * 13) % 100) as u32;
    let mut upto = 0;
    for (share, answer) in shares.iter().zip(Answer::ALL) {
        upto += share;
        if place < upto {
            return answer;
        }
    }
    Answer::NotKnown
}

/// Writes the surveys; answers how many surveys, links and answer sheets.
pub(super) async fn write(conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
    let file = parse()?;
    let perf = people::find_for_login(conn, "perf").await?.context("the demo's performance office account")?;
    let ctx = AuditContext { actor_id: Some(perf.id), actor_name: perf.full_name.clone(), ..Default::default() };
    let departments = departments::choices(conn).await?;
    let members: Vec<i64> = surveys::member_choices(conn).await?.into_iter().map(|m| m.id).collect();
    let (mut links, mut sheets) = (0, 0);
    for spec in &file.survey {
        let mut items = Vec::new();
        for shares in &spec.department {
            let department = departments
                .iter()
                .find(|d| d.name == shares.name)
                .with_context(|| format!("surveys.toml: no department {}", shares.name))?;
            items.push(NewItem { department_id: department.id, event_id: None });
        }
        let survey = NewSurvey {
            title: spec.title.clone(),
            year: spec.year,
            kind: SurveyKind::YearEnd,
            expires_on: spec.expires_on,
        };
        let id = flow::create_survey(conn, &ctx, perf.id, &survey, &items, &members).await?;
        let item_ids: Vec<i64> = surveys::items(conn, id).await?.into_iter().map(|i| i.id).collect();
        let tokens: Vec<String> = surveys::links(conn, id).await?.into_iter().map(|l| l.token).collect();
        links += tokens.len();
        let chosen: Vec<&String> = match (spec.answered_percent, spec.answered_count) {
            (Some(percent), _) => {
                tokens.iter().enumerate().filter(|(k, _)| answers(*k, percent)).map(|(_, t)| t).collect()
            }
            (None, count) => tokens.iter().take(count.unwrap_or(0)).collect(),
        };
        let days = (spec.expires_on - spec.first_answer_on).num_days().max(0) + 1;
        for (sheet, token) in chosen.into_iter().enumerate() {
            let mut input = SheetInput::default();
            for (item, (item_id, shares)) in item_ids.iter().zip(&spec.department).enumerate() {
                input.answers.insert(*item_id, answer_of(&shares.shares, sheet, item).code().to_string());
            }
            let comment = (sheet % spec.comment_every.max(1) == 0)
                .then(|| spec.comments.get(sheet / spec.comment_every.max(1)))
                .flatten();
            if let Some(comment) = comment {
                input.comment = comment.clone();
            }
            // Most answer in the first days, as members do once the links arrive.
            let day = spec.first_answer_on + Duration::days((sheet as i64 * sheet as i64 / 600).min(days - 1));
            match flow::answer(conn, token, &input, day).await? {
                Answered::Recorded { .. } => sheets += 1,
                other => bail!("the demo's answer to {} was not recorded: {other:?}", spec.title),
            }
        }
        if spec.closed {
            surveys::close(conn, id, 1).await?;
            audit::record(conn, &ctx, AuditEvent::new("survey.closed", "survey", id, json!({}))).await?;
        }
    }
    Ok(json!({ "surveys": file.survey.len(), "links": links, "answer_sheets": sheets }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses() {
        let file = parse().unwrap();
        assert_eq!(file.survey.len(), 2);
        assert!(file.survey[0].closed && !file.survey[1].closed);
    }

    #[test]
    fn eighty_five_of_a_hundred_and_twenty_members_answer_evenly() {
        let answering = (0..120).filter(|k| answers(*k, 85)).count();
        assert_eq!(answering, 102);
        assert!((0..20).filter(|k| answers(*k, 85)).count() >= 16);
    }

    #[test]
    fn a_hundred_sheets_give_exactly_the_shares() {
        let shares = [70, 22, 3, 5];
        let mut counts = [0; 4];
        for sheet in 0..100 {
            let answer = answer_of(&shares, sheet, 4);
            counts[Answer::ALL.iter().position(|a| *a == answer).unwrap()] += 1;
        }
        assert_eq!(counts, shares);
    }
}
