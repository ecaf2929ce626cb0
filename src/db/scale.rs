//! The office-scale dataset of `demo --scale`: set-based inserts that fill an
//! empty database with a mid-size office over many years in minutes. Every
//! statement derives its rows from `generate_series` and the rows written
//! before it, so nothing travels between the application and the server but
//! the few parameters in [`ScaleShape`].

use sqlx::PgConnection;

/// The size and time span of the generated office.
#[derive(Debug, Clone, Copy)]
pub struct ScaleShape {
    pub departments: i32,
    /// Current staff of each department; the first is its head.
    pub active_per_department: i32,
    /// Former staff of each department (inactive accounts with past targets).
    pub former_per_department: i32,
    /// Annual cycles, the last of them the current year's.
    pub years: i32,
    pub current_year: i32,
    /// Months of the current year with progress reports (the months already over).
    pub months_reported: i32,
}

/// Lifts the statement timeout for the rest of the transaction: the largest
/// statements write millions of rows.
pub async fn without_statement_timeout(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("select set_config('statement_timeout', '0', true)").fetch_one(conn).await?;
    Ok(())
}

/// Departments with realistic names first, numbered 联络处 after them.
pub async fn departments(conn: &mut PgConnection, shape: &ScaleShape) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "insert into department (name, kind, sort_order)
         select coalesce((array['办公室', '研究室', '提案委员会办公室', '经济委员会办公室', '文史和学习委员会办公室',
                                 '社会和法制委员会办公室', '人口资源环境委员会办公室', '港澳台侨和外事委员会办公室',
                                 '民族和宗教委员会办公室', '机关党委（人事处）', '信息中心'])[i],
                         '联络' || (i - 11) || '处'),
                (case when i <= 2 then 'general' when i <= 9 then 'committee_office'
                      when i = 10 then 'party_personnel' else 'support' end)::department_kind,
                i
         from generate_series(1, $1::int) i",
        shape.departments
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Staff `sDDNNN` (department DD, number NNN; 001 is the head), former staff
/// after them, and the office-wide accounts. Every account gets `password_hash`.
pub async fn people(conn: &mut PgConnection, shape: &ScaleShape, password_hash: &str) -> Result<u64, sqlx::Error> {
    let staff = sqlx::query!(
        "insert into person (username, full_name, password_hash, identity_type, rank, department_id, phone, active,
                             password_changed_at)
         select 's' || lpad(d.sort_order::text, 2, '0') || lpad(n::text, 3, '0'),
                (array['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高',
                       '林', '何', '郭', '马', '罗'])[1 + (d.sort_order * 7 + n * 3) % 20]
                || (array['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛',
                          '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文', '华', '红', '建国', '志强',
                          '晓东', '海燕'])[1 + (d.sort_order * 11 + n * 5) % 30]
                || case when n % 3 = 0 then (array['宇', '晨', '阳', '琳', '婷'])[1 + n % 5] else '' end,
                $1,
                (case when n % 10 = 9 then 'service_worker' when n % 10 = 7 then 'institution'
                      when n % 10 = 5 then 'managed_civil_servant' else 'civil_servant' end)::identity_type,
                case when n = 1 then '处长' when n = 2 then '副处长' when n % 4 = 0 then '二级主任科员'
                     else '一级主任科员' end,
                d.id, '0571-8' || lpad((d.sort_order * 100 + n)::text, 6, '0'), n <= $2::int, now()
         from department d cross join generate_series(1, $2::int + $3::int) n",
        password_hash,
        shape.active_per_department,
        shape.former_per_department
    )
    .execute(&mut *conn)
    .await?;
    let office = sqlx::query!(
        "insert into person (username, full_name, password_hash, identity_type, rank, password_changed_at)
         select login, name, $1, 'civil_servant'::identity_type, rank, now()
         from (values ('admin', '系统管理员', '一级主任科员'), ('perf', '绩效办负责人', '四级调研员'),
                      ('committee', '秘书长', '秘书长'), ('discipline', '纪检组长', '一级调研员'),
                      ('supervisor', '督查专员', '四级调研员'), ('auditor', '审计员', '一级主任科员')) a (login, name, rank)
         union all
         select 'leader' || k, '副秘书长' || (array['一', '二', '三', '四', '五', '六', '七', '八'])[k], $1,
                'civil_servant'::identity_type, '副秘书长', now()
         from generate_series(1, 8) k",
        password_hash
    )
    .execute(conn)
    .await?;
    Ok(staff.rows_affected() + office.rows_affected())
}

/// Staff for everyone in a department, heads, eight supervising leaders with
/// five departments each, and the office-wide roles.
pub async fn role_grants(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "insert into role_grant (person_id, role, department_id)
         select id, 'staff'::role_kind, null::bigint from person where department_id is not null
         union all
         select id, 'department_head', department_id from person where username like 's__001'
         union all
         select p.id, 'supervising_leader', d.id
         from person p join department d on p.username = 'leader' || (1 + (d.sort_order - 1) % 8)
         union all
         select id, role::role_kind, null
         from person join (values ('admin', 'system_admin'), ('perf', 'performance_office'),
                                  ('committee', 'assessment_committee'), ('leader1', 'assessment_committee'),
                                  ('discipline', 'discipline_inspection'), ('supervisor', 'supervision_officer'),
                                  ('auditor', 'auditor')) r (login, role) on username = login"
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A post per current staff member, held as A by them and as B by the next
/// colleague of the department.
pub async fn posts(conn: &mut PgConnection, shape: &ScaleShape) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "insert into post (department_id, title, duties, a_holder_id, b_holder_id, sort_order)
         select a.department_id,
                (array['综合文秘岗', '会务组织岗', '调研起草岗', '信息宣传岗', '联络服务岗', '档案管理岗',
                       '财务资产岗', '提案办理岗', '委员服务岗', '督查督办岗'])[1 + n % 10] || '（' || n || '）',
                array['承担' || (array['公文处理', '会议组织', '专题调研', '信息报送', '委员联络'])[1 + n % 5],
                      '完成领导交办的其他工作'],
                a.id, b.id, n
         from generate_series(1, $1::int) n
         join person a on a.username like 's__' || lpad(n::text, 3, '0')
         join person b on b.department_id = a.department_id
                      and b.username = left(a.username, 3) || lpad((n % $1::int + 1)::text, 3, '0')",
        shape.active_per_department
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One annual cycle a year; the past ones closed, the current one in implementation.
pub async fn cycles(conn: &mut PgConnection, shape: &ScaleShape) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "insert into cycle (name, kind, period_start, period_end, stage, planning_until, implementation_until,
                            assessment_until, feedback_until, report_frequency, created_at)
         select y || '年度机关绩效考核', 'annual', make_date(y, 1, 1), make_date(y, 12, 31),
                (case when y = $2::int then 'implementation' else 'closed' end)::cycle_stage,
                make_date(y, 1, 31), make_date(y, 12, 31), make_date(y + 1, 1, 31), make_date(y + 1, 2, 28),
                'monthly', make_date(y - 1, 12, 1)
         from generate_series($2::int - $1::int + 1, $2::int) y",
        shape.years,
        shape.current_year
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The office, department and personal target sets of every year. Current
/// staff take part every year, former staff until the year they left; a few
/// of this year's personal plans still wait for their head.
pub async fn target_sets(conn: &mut PgConnection, shape: &ScaleShape) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "with years as (select id, extract(year from period_start)::int as y, stage from cycle),
         heads as (select department_id, id from person where username like 's__001')
         insert into target_set (cycle_id, level, department_id, person_id, status, submitted_at, decided_at, decided_by)
         select c.id, 'office'::target_level, null::bigint, null::bigint, 'approved'::plan_status, make_date(c.y, 1, 10),
                make_date(c.y, 1, 12), null::bigint
         from years c
         union all
         select c.id, 'department', d.id, null, 'approved', make_date(c.y, 1, 15), make_date(c.y, 1, 18), null
         from years c cross join department d
         union all
         select c.id, 'person', p.department_id, p.id,
                (case when c.stage = 'implementation' and p.id % 23 = 0 then 'submitted' else 'approved' end)::plan_status,
                make_date(c.y, 1, 20),
                case when c.stage = 'implementation' and p.id % 23 = 0 then null else make_date(c.y, 1, 25) end,
                case when c.stage = 'implementation' and p.id % 23 = 0 then null else h.id end
         from years c
         join person p on p.department_id is not null
         join heads h on h.department_id = p.department_id
         where p.active
            or c.y <= $1::int - 1 - (p.id % ($2::int - 1))",
        shape.current_year,
        shape.years.max(2)
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Ten office work points a year, eight department targets under them, and
/// seven personal targets under those; some titles long or markup-like.
pub async fn targets(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let office = sqlx::query!(
        "insert into target (set_id, title, category, measure, unit, target_value, weight, deadline,
                             quality_requirement, assessment_method, evidence_required, sort_order, created_at)
         select s.id,
                (array['全体会议和常委会议服务保障', '重点提案督办', '专题协商议政', '民主监督工作', '委员履职服务',
                       '文史资料征集出版', '机关党建工作', '智慧政协建设', '对外交往联络', '机关作风建设'])[k],
                'key_work', '完成年度工作要点第' || k || '项', '项', 100, 10, c.period_end,
                '按时保质完成', '年终对照工作要点逐项评定', '工作台账和总结材料', k, c.period_start
         from target_set s join cycle c on c.id = s.cycle_id cross join generate_series(1, 10) k
         where s.level = 'office'"
    )
    .execute(&mut *conn)
    .await?;
    let departments = sqlx::query!(
        "insert into target (set_id, parent_id, title, category, measure, unit, target_value, weight, deadline,
                             quality_requirement, assessment_method, evidence_required, owner_id, sort_order,
                             created_at)
         select s.id, o.id, d.name || '：' || o.title, 'key_work', '完成本处室承担的工作任务', '%', 100, 12.5,
                c.period_end, '质量达到年度计划要求', '对照计划逐项核验', '工作台账', h.id, k, c.period_start
         from target_set s
         join cycle c on c.id = s.cycle_id
         join department d on d.id = s.department_id
         join person h on h.department_id = d.id and h.username like 's__001'
         cross join generate_series(1, 8) k
         join target_set os on os.cycle_id = s.cycle_id and os.level = 'office'
         join target o on o.set_id = os.id and o.sort_order = k
         where s.level = 'department'"
    )
    .execute(&mut *conn)
    .await?;
    let people = sqlx::query!(
        "insert into target (set_id, parent_id, post_id, title, category, measure, unit, target_value, weight,
                             deadline, quality_requirement, assessment_method, evidence_required, owner_id,
                             backup_id, sort_order, created_at)
         select s.id, dt.id, post.id,
                case when (s.id + k) % 97 = 0 then '<b>' || titles.t || '</b> & <script>alert(\"x\")</script>'
                     else titles.t end,
                (array['key_work', 'routine', 'routine', 'service_commitment', 'innovation', 'routine',
                       'supervision'])[k]::target_category,
                case when (s.id + k) % 53 = 0 then repeat('对照年度计划逐月推进，确保时间过半任务过半。', 40)
                     else '按月完成计划量并报送台账' end,
                (array['件', '篇', '次', '%', '项', '份', '次'])[k],
                (array[24, 12, 20, 100, 2, 36, 6])[k], (array[20, 20, 15, 15, 10, 10, 10])[k], c.period_end,
                '按时、准确、规范', '对照台账逐项核验', '台账、文件或会议记录', s.person_id, post.b_holder_id, k,
                c.period_start
         from target_set s
         join cycle c on c.id = s.cycle_id
         cross join generate_series(1, 7) k
         cross join lateral (select (array['公文审核把关', '会议服务保障', '专题调研报告', '提案办理答复率',
                                          '工作创新项目', '委员联络走访', '督办事项办结'])[k] as t) titles
         join target_set ds on ds.cycle_id = s.cycle_id and ds.level = 'department'
                           and ds.department_id = s.department_id
         join target dt on dt.set_id = ds.id and dt.sort_order = k
         left join post on post.a_holder_id = s.person_id
         where s.level = 'person'"
    )
    .execute(conn)
    .await?;
    Ok(office.rows_affected() + departments.rows_affected() + people.rows_affected())
}

/// A monthly report on every personal target of an approved plan, for every
/// month of past years and the months of this year already over: verified,
/// but for part of last month's (waiting, or returned). One report in fifty
/// carries a long narrative.
pub async fn progress_reports(conn: &mut PgConnection, shape: &ScaleShape) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "with reportable as (
             select t.id, t.target_value, t.owner_id, extract(year from c.period_start)::int as y,
                    c.stage = 'implementation' as current, h.id as head_id
             from target t
             join target_set s on s.id = t.set_id and s.level = 'person' and s.status = 'approved'
             join cycle c on c.id = s.cycle_id
             join person h on h.department_id = s.department_id and h.username like 's__001'
         )
         insert into progress_report (target_id, period_start, period_end, reported_value, state, narrative,
                                      problems, next_steps, status, submitted_by, submitted_at, audited_value,
                                      verify_comment, return_reason, decided_by, decided_at)
         select r.id, p.start, (p.start + interval '1 month - 1 day')::date,
                round(r.target_value * m / 12 * (0.9 + ((r.id * 7 + m) % 20) / 100.0), 2),
                (case when (r.id + m) % 17 = 0 then 'behind' when (r.id + m) % 7 = 0 then 'at_risk'
                      when m = 12 then 'done' else 'on_track' end)::progress_state,
                case when (r.id + m) % 50 = 0
                     then repeat('本月按计划推进各项工作，完成文件审核和会议保障，<i>台账</i>已同步更新。', 30)
                     else m || '月完成计划任务，台账已更新。' end,
                case when (r.id + m) % 7 = 0 then '人手紧张，部分任务需协调' else '' end,
                '下月继续按计划推进',
                (case when r.current and m = $1::int and r.id % 10 < 3 then 'submitted'
                      when r.current and m = $1::int and r.id % 10 = 3 then 'returned'
                      else 'verified' end)::report_status,
                r.owner_id, p.start + interval '1 month 2 days',
                case when r.current and m = $1::int and r.id % 10 <= 3 then null
                     else round(r.target_value * m / 12 * (0.9 + ((r.id * 7 + m) % 20) / 100.0), 2) end,
                case when r.current and m = $1::int and r.id % 10 <= 3 then '' else '属实' end,
                case when r.current and m = $1::int and r.id % 10 = 3 then '请补充台账截图' else '' end,
                case when r.current and m = $1::int and r.id % 10 < 3 then null else r.head_id end,
                case when r.current and m = $1::int and r.id % 10 < 3 then null
                     else p.start + interval '1 month 5 days' end
         from reportable r
         cross join lateral generate_series(1, case when r.current then $1::int else 12 end) m
         cross join lateral (select make_date(r.y, m, 1) as start) p",
        shape.months_reported
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Supervision items of every year with their steps; this year's spread over
/// every state, with a red slip on the overdue open ones.
pub async fn supervision(conn: &mut PgConnection, shape: &ScaleShape) -> Result<u64, sqlx::Error> {
    let items = sqlx::query!(
        "insert into supervision_item (title, content, source, department_id, assignee_id, opened_by, due_date,
                                       status, return_count, created_at, closed_at)
         select (array['落实常委会议定事项', '办理领导批示件', '上级交办调研任务', '年度重点工作推进',
                       '委员意见建议办理'])[1 + i % 5] || '（' || y || '-' || d.sort_order || '-' || i || '）',
                '按照督办要求按期办结并报送办理情况。<br>相关材料随附。',
                (array['meeting_decision', 'leader_instruction', 'assigned_from_above', 'annual_key_task',
                       'member_opinion'])[1 + i % 5]::supervision_source,
                d.id, a.id, sup.id, make_date(y, 1 + (i * 37 + d.sort_order) % 12, 15),
                (case when y < $2::int then 'closed'
                      else (array['registered', 'assigned', 'acknowledged', 'in_progress', 'done_reported',
                                  'verified', 'closed'])[1 + (i + d.sort_order) % 7] end)::supervision_status,
                (i + d.sort_order) % 3 / 2,
                make_date(y, 1, 1) + ((i * 37 + d.sort_order) % 12) * interval '1 month',
                case when y < $2::int or (i + d.sort_order) % 7 = 6
                     then make_date(y, 1 + (i * 37 + d.sort_order) % 12, 20) end
         from generate_series($2::int - $1::int + 1, $2::int) y
         cross join department d
         cross join generate_series(1, 8) i
         join person a on a.username = 's' || lpad(d.sort_order::text, 2, '0') || lpad((3 + i)::text, 3, '0')
         join person sup on sup.username = 'supervisor'",
        shape.years,
        shape.current_year
    )
    .execute(&mut *conn)
    .await?;
    let events = sqlx::query!(
        "insert into supervision_event (item_id, at, actor_id, from_status, to_status, note)
         select i.id, i.created_at, i.opened_by, null::supervision_status, 'registered'::supervision_status, '登记'
         from supervision_item i
         union all
         select i.id, i.created_at + interval '1 day', i.opened_by, 'registered', 'assigned', '交办'
         from supervision_item i where i.status <> 'registered'
         union all
         select i.id, i.closed_at, i.opened_by, 'verified', 'closed', '销号' from supervision_item i
         where i.status = 'closed'"
    )
    .execute(&mut *conn)
    .await?;
    let slips = sqlx::query!(
        "insert into supervision_slip (item_id, colour, issued_on, answer_due, issue_week)
         select id, 'red', due_date + 1, due_date + 15, to_char(due_date + 1, 'IYYY-\"W\"IW')
         from supervision_item
         where status not in ('verified', 'closed') and due_date < make_date($1::int, 12, 31)
           and extract(year from due_date) = $1::int",
        shape.current_year
    )
    .execute(conn)
    .await?;
    Ok(items.rows_affected() + events.rows_affected() + slips.rows_affected())
}

/// The standard ledger items and a record for every other person a year,
/// accepted in past years; part of this year's still pending.
pub async fn ledger(conn: &mut PgConnection, shape: &ScaleShape) -> Result<u64, sqlx::Error> {
    let items = sqlx::query!(
        "insert into ledger_item (code, text, points, cap, evidence_required)
         values ('A1', '获市级以上表彰', 2, 6, true), ('A2', '信息被上级采用', 0.5, 3, true),
                ('A3', '承担急难险重任务', 1, 4, true), ('B1', '督办事项逾期未办结', -1, null, true),
                ('B2', '服务承诺未兑现', -0.5, null, true), ('B3', '无故缺席会议', -0.5, null, false)"
    )
    .execute(&mut *conn)
    .await?;
    let records = sqlx::query!(
        "insert into ledger_record (item_id, person_id, occurred_on, points, reason, status, proposed_by,
                                    proposed_at, reviewed_by, reviewed_at)
         select li.id, p.id, make_date(y, (1 + (p.id + i * 5) % 12)::int, (1 + (p.id + i) % 28)::int), 0,
                li.text || '：' || y || '年第' || i || '次记录',
                (case when y = $2::int and i = 5 then 'pending' else 'accepted' end)::ledger_status,
                perf.id, make_date(y, (1 + (p.id + i * 5) % 12)::int, (1 + (p.id + i) % 28)::int),
                case when y = $2::int and i = 5 then null else perf.id end,
                case when y = $2::int and i = 5 then null else make_date(y, (1 + (p.id + i * 5) % 12)::int, 28) end
         from generate_series($2::int - $1::int + 1, $2::int) y
         cross join generate_series(1, 5) i
         join person p on p.active and p.department_id is not null and p.id % 10 = i % 10
         join ledger_item li on li.code = (array['A1', 'A2', 'A3', 'B1', 'B2', 'B3'])[1 + (p.id + i) % 6]
         join person perf on perf.username = 'perf'",
        shape.years,
        shape.current_year
    )
    .execute(conn)
    .await?;
    Ok(items.rows_affected() + records.rows_affected())
}

/// Two service commitments a department and a case a week on each, kept but
/// for one in twenty.
pub async fn commitments(conn: &mut PgConnection, shape: &ScaleShape) -> Result<u64, sqlx::Error> {
    let commitments = sqlx::query!(
        "insert into service_commitment (department_id, service, standard, time_limit_days)
         select d.id, (array['来信来访答复', '委员履职服务申请'])[k], '按时答复并登记', 5 * k
         from department d cross join generate_series(1, 2) k"
    )
    .execute(&mut *conn)
    .await?;
    let cases = sqlx::query!(
        "insert into commitment_case (commitment_id, subject, received_on, done_on, recorded_by)
         select sc.id, '第' || w || '周受理事项', make_date(y, 1, 5) + w * 7,
                make_date(y, 1, 5) + w * 7 + case when (sc.id + w) % 20 = 0 then sc.time_limit_days + 3
                                                  else sc.time_limit_days - 1 end,
                h.id
         from service_commitment sc
         join person h on h.department_id = sc.department_id and h.username like 's__001'
         cross join generate_series($2::int - $1::int + 1, $2::int) y
         cross join generate_series(0, 50) w
         where make_date(y, 1, 5) + w * 7 + 30 < current_date",
        shape.years,
        shape.current_year
    )
    .execute(conn)
    .await?;
    Ok(commitments.rows_affected() + cases.rows_affected())
}

/// Three notifications a current staff member, the newest unread.
pub async fn notifications(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "insert into notification (person_id, message, args, link, created_at, read_at)
         select p.id, 'notify-report-returned', '{}'::jsonb, '/monitor/reports', now() - k * interval '3 days',
                case when k > 1 then now() - k * interval '2 days' end
         from person p cross join generate_series(1, 3) k
         where p.active and p.department_id is not null"
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Audit rows for the writes the generator stands in for: plan decisions,
/// report submissions and verifications, ledger reviews.
pub async fn audit_rows(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "insert into audit_log (at, actor_id, actor_name, action, object_type, object_id, summary)
         select s.decided_at, s.decided_by, p.full_name, 'target_set.approved', 'target_set', s.id::text,
                jsonb_build_object('from', 'submitted', 'to', 'approved')
         from target_set s join person p on p.id = s.decided_by
         union all
         select r.submitted_at, r.submitted_by, p.full_name, 'progress_report.submitted', 'progress_report',
                r.id::text,
                jsonb_build_object('target_id', r.target_id, 'period_start', r.period_start,
                                   'reported_value', r.reported_value, 'state', r.state, 'files', 0)
         from progress_report r join person p on p.id = r.submitted_by
         union all
         select r.decided_at, r.decided_by, p.full_name,
                'progress_report.' || case when r.status = 'verified' then 'verified' else 'returned' end,
                'progress_report', r.id::text, jsonb_build_object('from', 'submitted', 'to', r.status)
         from progress_report r join person p on p.id = r.decided_by
         union all
         select l.reviewed_at, l.reviewed_by, p.full_name, 'ledger_record.accepted', 'ledger_record', l.id::text,
                jsonb_build_object('points', l.points)
         from ledger_record l join person p on p.id = l.reviewed_by"
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
