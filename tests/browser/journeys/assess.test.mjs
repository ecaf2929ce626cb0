// Stage 3 journey, assessing people: the performance office saves a new
// version of next year's staff scheme (a rater weight that breaks the sum is
// refused first) and previews a person's breakdown with it; staff resubmits
// the 2026 Q3 self-summary the demo returned and the head accepts it; the
// office generates the Q3 rater tasks, staff casts a democratic ballot (one
// criterion missing first) and the head a head ballot; the head reads the
// ranking with each unit's grade distribution (a table, and a chart, within a
// phone's width) and a person's breakdown (in English once); the performance
// office opens last year's decided annual results and a person's annual
// breakdown with its four quarters;
// discipline inspection records a warning whose end date follows from the
// statutory period. The committee's calibration and decision of the Q3 cycle
// are the committee journey's, which runs after this one.
//
// Needs the demo's 2026 Q3 cycle in the assessment stage with `staff`'s
// summary returned, so it runs once per fresh demo database (run.sh always
// starts one). Generating the rater tasks may add none (the demo may have
// generated them already); the ballots it casts are ones still open.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTION_TIMEOUT,
  assertNoProblems,
  ensureLanguage,
  escapeRegExp,
  flash,
  launch,
  openFromNav,
  pageLang,
  pathOf,
  screenshot,
  signIn,
  signOut,
  stepper,
  submitAndWait,
  switchLanguage,
  TEST_TIMEOUT,
  text,
  uniqueSuffix,
  waitForPath,
} from '../lib.mjs';

const PERF = 'perf';
const STAFF = 'staff';
const HEAD = 'head';
const DISCIPLINE = 'discipline';
const CYCLE = '2026年第三季度平时考核';
/** The demo's closed annual cycle: decided and final. */
const ANNUAL = '2025年度考核';
const SCHEME_YEAR = 2027;
const SUMMARY_ADDITION = '三季度办结公文 412 件，平均办理时限 3.2 个工作日；起草综合文稿 26 篇。';
/** The warning's start; with an empty end it runs its statutory six months. */
const WARNING_FROM = '2026-11-01';
const WARNING_TO = '2027-04-30';

/** The version number in a scheme page's heading ("第 N 版"). */
async function versionNumber(page) {
  const m = /第\s*(\d+)\s*版/.exec(await text(page.locator('h1')));
  assert.ok(m, 'the heading names the version');
  return Number(m[1]);
}

/** Picks the option of `select` whose label starts with `label`. */
async function selectByLabelStart(select, label) {
  const value = await select.evaluate(
    (el, wanted) => [...el.options].find((o) => o.textContent.trim().startsWith(wanted))?.value ?? null,
    label,
  );
  assert.ok(value, `the list offers "${label}"`);
  await select.selectOption(value);
  return value;
}

/** Chooses a level for every ballot criterion except the keys in `skip`. */
async function chooseLevels(page, level, skip = []) {
  const sets = page.locator('#ballot-form fieldset[id^="criterion-"]');
  const keys = [];
  for (let i = 0; i < (await sets.count()); i += 1) {
    const key = (await sets.nth(i).getAttribute('id')).replace('criterion-', '');
    keys.push(key);
    if (!skip.includes(key)) {
      await sets.nth(i).locator(`input[type=radio][value="${level}"]`).check();
    }
  }
  return keys;
}

/** The ballots list's row of a task's link id, or of the ratee's name when cast. */
function ballotRow(page, name, group) {
  return page.locator('section', { has: page.locator('h2', { hasText: CYCLE }) }).locator('tbody tr', {
    has: page.locator('td.card-title', { hasText: name }),
    hasText: group,
  });
}

describe('assess journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;
  let staffName = '';
  let staffId = '';
  /** The staff member the head rates in the journey. */
  let headRatee = '';
  let cycleId = '';
  let headInEnglish = false;
  const reference = `纪检〔2026〕${uniqueSuffix()}号`;

  const step = stepper();

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
  });

  after(async () => {
    try {
      if (headInEnglish && page) {
        await page.context().clearCookies();
        await ensureLanguage(page, HEAD, 'zh-CN');
      }
    } finally {
      if (browser) await browser.close();
    }
  });

  step("lets the performance office copy last year's staff scheme for next year", async () => {
    await signIn(page, PERF);
    await openFromNav(page, '/assess/schemes');
    await Promise.all([waitForPath(page, '/assess/schemes'), page.locator('#next-year').click()]);
    assert.match(await text(page.locator('h1')), new RegExp(`${SCHEME_YEAR}$`));
    const copy = page.locator('#copy-staff');
    if ((await copy.count()) === 1) {
      assert.match(await text(copy), /复制上一年度方案/, 'the year before has a scheme to copy');
      const copied = await submitAndWait(page, copy);
      assert.ok(copied.status() < 400, `copying answers ${copied.status()}`);
    } else {
      // A scheme saved on this database already: its newest version.
      const newest = page.locator('#versions-staff tbody tr a[href^="/assess/schemes/"]').last();
      await Promise.all([waitForPath(page, /^\/assess\/schemes\/\d+$/), newest.click()]);
    }
    await waitForPath(page, /^\/assess\/schemes\/\d+$/);
    assert.match(await text(page.locator('h1')), new RegExp(`${SCHEME_YEAR} · 工作人员`));
    assert.ok((await page.locator('#rater-groups tbody tr').count()) >= 2, 'the scheme has rater groups');
  });

  step('refuses rater weights that do not add up to 1, keeping what was typed', async () => {
    const before = await versionNumber(page);
    await Promise.all([waitForPath(page, /^\/assess\/schemes\/\d+\/edit$/), page.locator('#edit-scheme').click()]);
    const editPath = pathOf(page);
    const head = page.locator('[id="rater_groups.head.weight"]');
    const democratic = page.locator('[id="rater_groups.democratic.weight"]');
    const live = page.locator('#section-rater_groups .sum-check');
    assert.doesNotMatch((await live.getAttribute('class')) ?? '', /sum-off/, 'the weights add up to start with');

    await head.fill('0.7');
    await live.waitFor({ state: 'visible' });
    assert.match(await text(live), /1\.1/, 'the live sum shows the new total');
    assert.match(await live.getAttribute('class'), /sum-off/, 'the live sum is marked off');

    const refused = await submitAndWait(page, page.locator('#save-scheme'));
    assert.equal(refused.status(), 422, 'the weights off 1 are refused with 422');
    assert.equal(pathOf(page), editPath.replace(/\/edit$/, ''), 'the form comes back in place');
    await page.locator('#form-errors').waitFor({ state: 'visible' });
    const error = page.locator('#rater_groups-error');
    await error.waitFor({ state: 'visible' });
    assert.ok((await text(error)).length > 0, 'the error says what is wrong');
    const section = page.locator('#section-rater_groups');
    assert.equal(await section.locator('#rater_groups-error').count(), 1, 'the error is beside the weights');
    assert.equal(await head.inputValue(), '0.7', 'the typed weight is kept');
    await screenshot(page, 'scheme-weight-error.png');

    await democratic.fill('0.2');
    assert.doesNotMatch((await live.getAttribute('class')) ?? '', /sum-off/, 'the live sum agrees again');
    const saved = await submitAndWait(page, page.locator('#save-scheme'));
    assert.ok(saved.status() < 400, `saving answers ${saved.status()}`);
    await waitForPath(page, /^\/assess\/schemes\/\d+$/);
    assert.equal(await versionNumber(page), before + 1, 'the save is a new version');
    const weights = await text(page.locator('#rater-groups tbody'));
    assert.match(weights, /0\.7/);
    assert.match(weights, /0\.2/);
  });

  step('lists the new version and previews a breakdown with it', async () => {
    const versionPath = pathOf(page);
    const number = await versionNumber(page);
    await page.goto(`/assess/schemes?year=${SCHEME_YEAR}`);
    const rows = page.locator('#versions-staff tbody tr');
    assert.equal(await rows.count(), number, 'every version is listed');
    assert.equal(await rows.locator(`a[href="${versionPath}"]`).count(), 1, 'the new version is listed');

    await page.goto(versionPath);
    await Promise.all([waitForPath(page, `${versionPath}/preview`), page.locator('#preview-scheme').click()]);
    await selectByLabelStart(page.locator('#person'), '高霞');
    await selectByLabelStart(page.locator('#cycle'), CYCLE);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#run-preview').click()]);
    const breakdown = page.locator('#breakdown');
    await breakdown.waitFor({ state: 'visible' });
    assert.ok((await breakdown.locator('tbody tr').count()) > 3, 'the breakdown lists the criteria');
    assert.match(await text(page.locator('#preview-total')), /\d/, 'the preview shows a total');
    await page.locator('#preview-groups').waitFor({ state: 'visible' });
    await signOut(page);
  });

  step('shows staff the returned Q3 summary and lets them resubmit it', async () => {
    await signIn(page, STAFF);
    staffName = await text(page.locator('#current-user'));
    await openFromNav(page, '/assess/my');
    const row = page.locator('#my-assessment-table tbody tr', { hasText: CYCLE });
    assert.equal(await row.count(), 1, `我的考核 lists ${CYCLE}`);
    assert.match(await row.innerText(), /已退回/, 'the summary is returned (a fresh demo is needed)');
    await Promise.all([waitForPath(page, /^\/assess\/cycles\/\d+\/summary$/), row.locator('a').click()]);
    cycleId = pathOf(page).split('/')[3];
    assert.equal(await text(page.locator('#summary-status')), '已退回');
    assert.match(await text(page.locator('#summary-return-reason')), /理由/, 'the reason is shown');

    const body = page.locator('#body');
    const old = await body.inputValue();
    assert.ok(old.length > 0, 'the returned text is there to edit');
    await body.fill(`${old}\n${SUMMARY_ADDITION}`);
    const dialogsBefore = browser.dialogs.length;
    const submitted = await submitAndWait(page, page.locator('#submit-summary'));
    assert.ok(submitted.status() < 400, `submitting answers ${submitted.status()}`);
    assert.equal(browser.dialogs.length, dialogsBefore + 1, 'submitting asks for confirmation');
    const message = await flash(page);
    assert.equal(message.error, false, `the summary is submitted: ${message.text}`);
    if (pathOf(page) !== `/assess/cycles/${cycleId}/summary`) {
      await page.goto(`/assess/cycles/${cycleId}/summary`);
    }
    assert.equal(await text(page.locator('#summary-status')), '已提交');
    assert.equal(await page.locator('#submit-summary').count(), 0, 'a submitted summary cannot be submitted again');
    assert.equal(await page.locator('#summary-return-reason').count(), 0, 'the old reason is no longer current');
    await signOut(page);
  });

  step('lets the head accept the resubmitted summary', async () => {
    await signIn(page, HEAD);
    await openFromNav(page, '/assess/summaries');
    const row = page.locator(`#summaries-table tbody tr[id^="summary-line-${cycleId}-"]`, {
      has: page.locator('td.card-title', { hasText: staffName }),
    });
    assert.equal(await row.count(), 1, `the head's list shows ${staffName}'s summary`);
    staffId = (await row.getAttribute('id')).split('-').pop();
    assert.match(await row.innerText(), /已提交/);
    await Promise.all([waitForPath(page, /^\/assess\/summaries\/\d+$/), row.locator('a').click()]);
    const summaryPath = pathOf(page);
    assert.match(await text(page.locator('#summary-text')), new RegExp(escapeRegExp(SUMMARY_ADDITION)));
    const accepted = await submitAndWait(page, page.locator('#accept-summary'));
    assert.ok(accepted.status() < 400, `accepting answers ${accepted.status()}`);
    const message = await flash(page);
    assert.equal(message.error, false, `the summary is accepted: ${message.text}`);
    if (pathOf(page) !== summaryPath) await page.goto(summaryPath);
    assert.equal(await text(page.locator('#summary-status')), '已通过');
    assert.equal(await page.locator('#accept-summary').count(), 0, 'an accepted summary is decided');
    await signOut(page);
  });

  step("lets the performance office generate the cycle's rater tasks", async () => {
    await signIn(page, PERF);
    await openFromNav(page, '/cycles');
    const link = page.locator('#cycles-table a', { hasText: CYCLE });
    await Promise.all([waitForPath(page, `/cycles/${cycleId}`), link.click()]);
    const progress = page.locator('#rating-tasks-progress');
    const total = async () => Number(/\/\s*(\d+)/.exec(await text(progress))[1]);
    const before = await total();
    const generated = await submitAndWait(page, page.locator('#generate-rating-tasks'));
    assert.ok(generated.status() < 400, `generating answers ${generated.status()}`);
    assert.equal(pathOf(page), `/cycles/${cycleId}`);
    const message = await flash(page);
    assert.equal(message.error, false, `the tasks are generated: ${message.text}`);
    const added = Number(/(\d+)/.exec(message.text)[1]);
    assert.equal(await total(), before + added, 'the progress counts the added tasks');
    assert.ok(before + added > 0, 'the cycle has rater tasks');

    // Pressing again adds nothing: the tasks are there.
    await submitAndWait(page, page.locator('#generate-rating-tasks'));
    assert.match((await flash(page)).text, /\b0\b/, 'a second generation adds no task');
    assert.equal(await total(), before + added);
    await signOut(page);
  });

  let ballotPath = '';
  step('refuses a democratic ballot with a criterion missing, keeping the other choices', async () => {
    await signIn(page, STAFF);
    await openFromNav(page, '/assess/ballots');
    const section = page.locator('section', { has: page.locator('h2', { hasText: CYCLE }) });
    const open = section.locator('a[id^="ballot-"][id$="-democratic"]');
    assert.ok((await open.count()) > 0, 'staff has democratic ballots to cast');
    ballotPath = await open.first().getAttribute('href');
    await Promise.all([waitForPath(page, ballotPath), open.first().click()]);
    await page.locator('#ballot-anonymous').waitFor({ state: 'visible' });

    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'ballot-form-phone.png');
    await page.setViewportSize({ width: 1280, height: 900 });

    const keys = await chooseLevels(page, 'good', []);
    assert.ok(keys.length >= 2, 'the ballot has several criteria');
    const missing = keys[keys.length - 1];
    await page.locator(`#criterion-${missing} input[type=radio]`).evaluateAll((radios) => {
      for (const r of radios) r.checked = false;
    });
    // The browser would stop the form itself; the server must refuse it too.
    await page.locator('#ballot-form').evaluate((form) => {
      form.noValidate = true;
    });
    const refused = await submitAndWait(page, page.locator('#cast-ballot'));
    assert.equal(refused.status(), 422, 'a ballot with a criterion missing answers 422');
    assert.equal(pathOf(page), ballotPath);
    await page.locator('#ballot-form').waitFor({ state: 'visible' });
    assert.equal(await page.locator(`#criterion-${missing}`).getAttribute('aria-invalid'), 'true');
    await page.locator(`[id="${missing}-error"]`).waitFor({ state: 'visible' });
    for (const key of keys.slice(0, -1)) {
      assert.ok(
        await page.locator(`#criterion-${key} input[value="good"]`).isChecked(),
        `the choice for ${key} is kept`,
      );
      assert.equal(await page.locator(`#criterion-${key}`).getAttribute('aria-invalid'), null);
    }
  });

  step('casts the completed democratic ballot once', async () => {
    const keys = await chooseLevels(page, 'excellent', []);
    const dialogsBefore = browser.dialogs.length;
    const cast = await submitAndWait(page, page.locator('#cast-ballot'));
    assert.ok(cast.status() < 400, `casting answers ${cast.status()}`);
    assert.ok(browser.dialogs.length > dialogsBefore, 'casting asks for confirmation');
    assert.equal(pathOf(page), '/assess/ballots');
    const message = await flash(page);
    assert.equal(message.error, false, `the ballot is cast: ${message.text}`);
    assert.equal(await page.locator(`a[href="${ballotPath}"]`).count(), 0, 'the cast task offers no ballot');
    assert.ok(keys.length > 0);

    // The ballot's own address no longer offers the ballot.
    await page.goto(ballotPath);
    assert.equal(pathOf(page), '/assess/ballots', 'the cast ballot does not open again');
    const refused = await flash(page);
    assert.equal(refused.error, true, `the list says it is cast already: ${refused.text}`);
    assert.match(refused.text, /已经提交过/);
    await signOut(page);
  });

  step('lets the head cast a head ballot for a staff member', async () => {
    await signIn(page, HEAD);
    await openFromNav(page, '/assess/ballots');
    // The demo has cast part of the ballots already: the head takes the first one still open.
    const open = page.locator('a[id^="ballot-"][id$="-head"]').first();
    assert.equal(await open.count(), 1, 'the head has a staff member to rate as head');
    const path = await open.getAttribute('href');
    headRatee = path.split('/')[4];
    await Promise.all([waitForPath(page, path), open.click()]);
    assert.equal(await page.locator('#ballot-anonymous').count(), 0, "the head's ballot is not anonymous");
    await chooseLevels(page, 'good');
    const cast = await submitAndWait(page, page.locator('#cast-ballot'));
    assert.ok(cast.status() < 400, `casting answers ${cast.status()}`);
    const message = await flash(page);
    assert.equal(message.error, false, `the head's ballot is cast: ${message.text}`);
    assert.equal(await page.locator(`a[href="${path}"]`).count(), 0, 'the cast task offers no ballot');
  });

  step('shows the head the ranking with the quota line, in both languages', async () => {
    await openFromNav(page, '/assess/scores');
    const link = page.locator('#score-cycles a', { hasText: CYCLE });
    await Promise.all([waitForPath(page, `/assess/cycles/${cycleId}/scores`), link.click()]);
    assert.match(await text(page.locator('h1')), new RegExp(`^考核得分 · ${escapeRegExp(CYCLE)}$`));
    const quota = page.locator('p.quota-line').first();
    await quota.waitFor({ state: 'visible' });
    assert.match(await text(quota), /名额已用.*\d+\s*\/\s*\d+/, 'the quota line counts the 好 used');
    const staffRow = page.locator(`tr#score-${staffId}`);
    assert.equal(await staffRow.count(), 1, `the ranking lists ${staffName}`);
    assert.match(await staffRow.innerText(), /\d/, 'the line has a rank and a total');
    await page.setViewportSize({ width: 1366, height: 900 });
    await screenshot(page, 'scores.png');
    await page.setViewportSize({ width: 1280, height: 900 });

    headInEnglish = true;
    assert.equal(await switchLanguage(page), 'en');
    assert.match(await text(page.locator('h1')), /^Scores · /);
    assert.match(await text(page.locator('p.quota-line').first()), /quota used/);
    assert.equal(await switchLanguage(page), 'zh-CN');
    headInEnglish = false;
  });

  /** How far the page is wider than the window (0 when nothing scrolls sideways). */
  async function sideways() {
    return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  step("shows each unit's grade distribution against the quota, as a table and a chart", async () => {
    const table = page.locator('table[id^="grade-chart-"][id$="-table"]').first();
    await table.waitFor({ state: 'visible' });
    const rows = table.locator('tbody tr');
    assert.ok((await rows.count()) >= 4, 'every quarterly grade has a row');
    assert.equal(await text(rows.first().locator('th')), '好', 'the top grade comes first');
    const good = Number(await text(rows.first().locator('td').nth(0)));
    const quota = Number(await text(rows.first().locator('td').nth(1)));
    assert.ok(good <= quota, `the 好 grades (${good}) stay within the quota (${quota})`);
    const section = page.locator('section', { has: table });
    let counted = 0;
    for (let i = 0; i < (await rows.count()); i += 1) {
      counted += Number(await text(rows.nth(i).locator('td').first()));
    }
    assert.equal(counted, await section.locator('tbody tr[id^="score-"]').count(), 'everyone of the unit is counted');
    const chart = section.locator('div.chart[data-chart]');
    await chart.locator('svg').first().waitFor({ state: 'attached' });
    assert.equal(await chart.getAttribute('aria-hidden'), 'true', 'the table, not the chart, is read out');

    await page.setViewportSize({ width: 375, height: 800 });
    // The chart redraws at the new width after the resize event.
    await page.waitForFunction(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth, null, {
      timeout: 5_000,
    }).catch(() => {});
    assert.ok((await sideways()) <= 0, 'the ranking does not scroll sideways on a phone');
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, 'scores-distribution-phone.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  step("shows a person's breakdown with criteria and rater groups", async () => {
    const scoresPath = pathOf(page);
    /** Opens a person's breakdown from the ranking; returns its rater groups' rows. */
    async function breakdown(personId) {
      if (pathOf(page) !== scoresPath) await page.goto(scoresPath);
      const href = `/assess/cycles/${cycleId}/people/${personId}`;
      await Promise.all([waitForPath(page, href), page.locator(`tr#score-${personId} a[href="${href}"]`).click()]);
      await page.locator('#score-total').waitFor({ state: 'visible' });
      assert.ok((await page.locator('#score-criteria tbody tr').count()) > 3, 'the criteria table lists criteria');
      assert.ok((await page.locator('#score-groups tbody tr').count()) >= 2, 'the rater groups are listed');
      const group = (label) => page.locator('#score-groups tbody tr', { hasText: label });
      const ballots = async (label) => Number(await text(group(label).locator('td').nth(3)));
      return { group, ballots };
    }

    // The colleague staff rated: one democratic ballot, below the minimum of 3.
    const ratee = ballotPath.split('/')[4];
    const rated = await breakdown(ratee);
    const democratic = rated.group('民主测评');
    assert.equal(await democratic.count(), 1, 'the democratic group is listed');
    const cast = await rated.ballots('民主测评');
    assert.ok(cast >= 1, 'the democratic ballot is counted as cast');
    if (cast < 3) {
      assert.match(await text(democratic), /票数不足/, 'below 3 ballots the democratic mean is withheld');
    }
    await screenshot(page, 'score-breakdown.png');

    // The staff member the head rated: the head's ballot counts.
    const own = await breakdown(headRatee);
    assert.ok((await own.ballots('处室负责人')) >= 1, "the head's ballot is counted");
    await signOut(page);
  });

  step("shows last year's decided annual results, final with an objection answered, and a person's annual breakdown", async () => {
    await signIn(page, PERF);
    await openFromNav(page, '/assess/scores');
    const link = page.locator('#score-cycles a', { hasText: ANNUAL });
    await Promise.all([waitForPath(page, /^\/assess\/cycles\/\d+\/scores$/), link.click()]);
    const annualId = pathOf(page).split('/')[3];
    // The demo's committee decided 2025 in January; its publicity has long ended.
    await page.locator('#decision-final').waitFor({ state: 'visible' });
    assert.match(await text(page.locator('#results-table')), /优秀/);
    assert.match(await text(page.locator('section[id^="objection-"]').first()), /维持原等次/);

    const name = page.locator(`tr[id^="result-"] a[href^="/assess/cycles/${annualId}/people/"]`).first();
    const href = await name.getAttribute('href');
    const person = await text(name);
    await Promise.all([waitForPath(page, href), name.click()]);
    assert.equal(await text(page.locator('h1')), `年度考核得分明细 · ${person}`);
    assert.equal(await page.locator('#annual-terms tbody tr').count(), 3, 'the three parts of the formula');
    assert.match(await text(page.locator('#annual-terms')), /平时考核平均分[\s\S]*民主测评[\s\S]*领导评鉴/);
    // The year's four decided quarters, each linking to the person's breakdown there.
    const quarters = page.locator('#annual-quarters tbody tr a');
    assert.equal(await quarters.count(), 4, 'four quarters of 2025');
    const quarter = new RegExp(`^/assess/cycles/\\d+/people/${href.split('/')[5]}$`);
    assert.match(await quarters.first().getAttribute('href'), quarter, "a quarter links to the person's breakdown");
    assert.match(await text(page.locator('#annual-grade')), /按名额确定的等次/);
    await page.setViewportSize({ width: 375, height: 800 });
    assert.ok((await sideways()) <= 0, 'the annual breakdown does not scroll sideways on a phone');
    await screenshot(page, 'annual-breakdown-phone.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);
  });

  step('lets discipline inspection record a warning whose period fills in', async () => {
    await signIn(page, DISCIPLINE);
    await openFromNav(page, '/discipline');
    await Promise.all([waitForPath(page, '/discipline/new'), page.locator('#new-discipline-record').click()]);
    const person = await selectByLabelStart(page.locator('#person_id'), '邓晓燕');
    assert.ok(person);
    await page.locator('#measure').selectOption('warning');
    await page.locator('#decided_on').fill(WARNING_FROM);
    await page.locator('#reference').fill(reference);
    await page.locator('#from_date').fill(WARNING_FROM);
    await page.locator('#to_date').fill('');
    const saved = await submitAndWait(page, page.locator('#save-discipline'));
    assert.ok(saved.status() < 400, `saving answers ${saved.status()}`);
    assert.equal(pathOf(page), '/discipline');
    const message = await flash(page);
    assert.equal(message.error, false, `the record is saved: ${message.text}`);
    const row = page.locator('#discipline-table tbody tr', { hasText: reference });
    assert.equal(await row.count(), 1, 'the record is listed');
    const line = await row.innerText();
    assert.match(line, /邓晓燕/);
    assert.match(line, /警告/);
    assert.match(line, new RegExp(`${WARNING_FROM}\\s*–\\s*${WARNING_TO}`), 'the end is the statutory six months');
    await signOut(page);
  });

  step('refuses the discipline records to staff', async () => {
    await signIn(page, STAFF);
    assert.equal(await page.locator('nav.main-nav a[href="/discipline"]').count(), 0, 'staff are not offered them');
    const response = await page.goto('/discipline');
    assert.equal(response.status(), 403);
    assert.equal(await pageLang(page), 'zh-CN');
    assert.match(await text(page.locator('h1')), /无权访问/);
    await page.goto('/');
    await signOut(page);
  });

  it('ran without CSP violations or script errors', () => {
    assertNoProblems(browser.problems);
  });
});
