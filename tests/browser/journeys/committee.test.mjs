// Stage 3 journey, the performance office's ballots and the committee's
// records: the office enters a democratic evaluation meeting's paper ballots
// for one department of the 2026 Q3 cycle (a count over the attendees is
// refused first, the counts kept), sees them counted as paper on the cycle's
// ballots and in a person's breakdown, and corrects one (refused without a
// reason, the levels kept); the paper page reads in both languages and fits a
// phone's width. The committee checks the Q3 grade distribution. (The
// approval of the higher 优秀 rate and hard vetoes belong to an annual cycle in
// assessment, which the demo's day does not have: tests/integration/committee.rs
// covers them.) Last the committee calibrates a grade (a reason required)
// and decides the Q3 cycle, staff object in publicity and the committee
// dismisses the objection.
//
// The runner loads the demo once and runs the journeys in file order, so the
// assess journey runs before this one. Deciding the Q3 cycle closes paper
// entry and corrections, so the decision is this journey's last step (after
// the assess journey's ballots). The paper ballots go to a department other
// than 办公室, whose Q3 tasks the assess journey casts; no other journey
// touches Q3 ballots. Needs a fresh demo database (run.sh always starts one):
// a second run finds the cycle decided.
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
  skipBrowserChecks,
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
const COMMITTEE = 'committee';
const CYCLE = '2026年第三季度平时考核';
/** The assess journey's department: its Q3 ballots are left to that journey. */
const ASSESS_DEPARTMENT = '办公室';
const CORRECTION_REASON = '纸质票录入时等次看错，经会议记录核对更正';
const CALIBRATION_REASON = '牵头完成全省政协系统经验交流材料';
const OBJECTION = '请核实该同志第三季度的督办件办理情况';

/** The number in the cycle ballots page's "其中纸质票 N 张". */
async function paperTotal(page) {
  const m = /(\d+)/.exec(await text(page.locator('#paper-count')));
  assert.ok(m, 'the ballots overview counts the paper ballots');
  return Number(m[1]);
}

describe('committee journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;
  let cycleId = '';
  let perfInEnglish = false;
  /** The person rated on paper, and their paper ballots before the batch. */
  let ratee = '';
  let paperBefore = 0;
  const reference = `政协办〔2026〕${uniqueSuffix()}号`;

  const step = stepper();

  /** How far the page is wider than the window (0 when nothing scrolls sideways). */
  async function sideways() {
    return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
  });

  after(async () => {
    try {
      if (perfInEnglish && page) {
        await page.context().clearCookies();
        await ensureLanguage(page, PERF, 'zh-CN');
      }
    } finally {
      if (browser) await browser.close();
    }
  });

  step("refuses paper ballots over the attendees, keeping the counts, and enters a valid batch", async () => {
    await signIn(page, PERF);
    await openFromNav(page, '/assess/scores');
    const link = page.locator('#score-cycles a', { hasText: CYCLE });
    await Promise.all([waitForPath(page, /^\/assess\/cycles\/\d+\/scores$/), link.click()]);
    cycleId = pathOf(page).split('/')[3];
    await page.goto(`/assess/cycles/${cycleId}/ballots`);
    paperBefore = await paperTotal(page);
    await Promise.all([
      waitForPath(page, `/assess/cycles/${cycleId}/paper`),
      page.locator('#paper-entry-link').click(),
    ]);

    // A department other than the assess journey's, with raters still to vote.
    const options = await page.locator('#department option').evaluateAll((os) =>
      os.filter((o) => o.value).map((o) => ({ value: o.value, name: o.textContent.trim() })),
    );
    let department = null;
    for (const option of options.filter((o) => o.name !== ASSESS_DEPARTMENT)) {
      await page.locator('#department').selectOption(option.value);
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load', timeout: ACTION_TIMEOUT }),
        page.locator('#paper-choose-department').click(),
      ]);
      if ((await page.locator('#paper-attendees input[type=checkbox]').count()) > 0) {
        department = option;
        break;
      }
    }
    assert.ok(department, 'a department other than 办公室 has raters who have not voted');
    const attendees = page.locator('#paper-attendees input[type=checkbox]');
    const present = await attendees.count();
    for (let i = 0; i < present; i += 1) await attendees.nth(i).check();
    const rows = page.locator('#paper-counts tbody tr[id^="paper-ratee-"]');
    assert.ok((await rows.count()) > 0, 'the department has people to rate');
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.id.replace('paper-ratee-', '')));

    // More ballots for one person than there were attendees: refused, all kept.
    const over = String(present + 1);
    await page.locator(`[id="count-${ids[0]}-good"]`).fill(over);
    const refused = await submitAndWait(page, page.locator('#enter-paper'));
    assert.equal(refused.status(), 422, 'a count over the attendees answers 422');
    await page.locator(`[id="count-${ids[0]}-error"]`).waitFor({ state: 'visible' });
    assert.match(await text(page.locator(`[id="count-${ids[0]}-error"]`)), /超过/);
    assert.equal(await page.locator(`[id="count-${ids[0]}-good"]`).inputValue(), over, 'the count is kept');
    assert.equal(await page.locator(`[id="count-${ids[0]}-good"]`).getAttribute('aria-invalid'), 'true');
    for (let i = 0; i < present; i += 1) {
      assert.ok(await attendees.nth(i).isChecked(), 'the attendees stay ticked');
    }
    await screenshot(page, 'paper-ballots-error.png');

    // One ballot for the first person an attendee still had a task for.
    await page.locator(`[id="count-${ids[0]}-good"]`).fill('');
    for (const id of ids) {
      await page.locator(`[id="count-${id}-good"]`).fill('1');
      const sent = await submitAndWait(page, page.locator('#enter-paper'));
      if (sent.status() < 400) {
        ratee = id;
        break;
      }
      assert.equal(sent.status(), 422, `entering answers ${sent.status()}`);
      await page.locator(`[id="count-${id}-good"]`).fill('');
    }
    assert.ok(ratee, `a person of ${department.name} takes one paper ballot`);
    assert.equal(pathOf(page), `/assess/cycles/${cycleId}/ballots`);
    const message = await flash(page);
    assert.equal(message.error, false, `the batch is entered: ${message.text}`);
    assert.match(message.text, /已录入纸质票 1 张/);
  });

  step('counts the batch as paper on the cycle ballots and in the breakdown', async (t) => {
    assert.equal(await paperTotal(page), paperBefore + 1, 'the overview counts one more paper ballot');
    const row = page.locator(`#cycle-ballots tr#ratee-${ratee}`);
    const paper = Number(await text(row.locator('td').nth(3)));
    assert.ok(paper >= 1, 'the person has a paper ballot');

    // The breakdown names the paper ballots only when the democratic group is shown.
    await page.goto(`/assess/cycles/${cycleId}/people/${ratee}`);
    const democratic = page.locator('#score-groups tbody tr', { hasText: '民主测评' });
    await democratic.waitFor({ state: 'visible' });
    if (/票数不足/.test(await text(democratic))) {
      t.diagnostic('the democratic group is withheld: no paper count shown');
      assert.equal(await page.locator('#score-paper').count(), 0, 'a withheld group says nothing of paper');
    } else {
      assert.equal(await text(page.locator('#score-paper')), `（其中纸质 ${paper} 张）`);
    }
  });

  step('refuses a correction without a reason, keeping the levels, and saves it with one', async () => {
    await page.goto(`/assess/cycles/${cycleId}/people/${ratee}/ballots`);
    const paperRow = page.locator('#person-ballots tbody tr', { has: page.locator('span[id^="paper-"]') }).first();
    const ballot = (await paperRow.getAttribute('id')).replace('ballot-', '');
    await Promise.all([
      waitForPath(page, `/assess/corrections/${ballot}`),
      paperRow.locator(`#correct-${ballot}`).click(),
    ]);
    const sets = page.locator('#correction-form fieldset[id^="criterion-"]');
    const count = await sets.count();
    assert.ok(count > 0, 'the ballot has criteria');
    for (let i = 0; i < count; i += 1) await sets.nth(i).locator('input[value="fair"]').check();
    await skipBrowserChecks(page.locator('#correction-form'));
    const refused = await submitAndWait(page, page.locator('#save-correction'));
    assert.equal(refused.status(), 422, 'a correction without a reason answers 422');
    await page.locator('#reason-error').waitFor({ state: 'visible' });
    for (let i = 0; i < count; i += 1) {
      assert.ok(await sets.nth(i).locator('input[value="fair"]').isChecked(), 'the levels chosen are kept');
    }

    await page.locator('#reason').fill(CORRECTION_REASON);
    const saved = await submitAndWait(page, page.locator('#save-correction'));
    assert.ok(saved.status() < 400, `correcting answers ${saved.status()}`);
    assert.equal(pathOf(page), `/assess/cycles/${cycleId}/people/${ratee}/ballots`);
    assert.equal((await flash(page)).error, false, 'the correction is saved');
    assert.match(await text(page.locator('#corrections-list')), new RegExp(escapeRegExp(CORRECTION_REASON)));
    assert.match(await text(page.locator(`#ballot-${ballot}`)), /已更正/);
  });

  step('shows the paper ballot page in both languages and within a phone width', async () => {
    await page.goto(`/assess/cycles/${cycleId}/paper`);
    assert.match(await text(page.locator('h1')), /^录入纸质测评票 · /);
    perfInEnglish = true;
    assert.equal(await switchLanguage(page), 'en');
    assert.match(await text(page.locator('h1')), /^Enter paper ballots · /);
    assert.equal(await text(page.locator('#paper-choose-department')), 'Choose the department');
    assert.equal(await switchLanguage(page), 'zh-CN');
    perfInEnglish = false;

    // With a department chosen: its raters and the counts table, at 375 px.
    const department = await page
      .locator('#department option')
      .evaluateAll((os) => os.find((o) => o.value && o.textContent.trim() !== '办公室')?.value ?? null);
    assert.ok(department);
    await page.goto(`/assess/cycles/${cycleId}/paper?department=${department}`);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.locator('#paper-counts').waitFor({ state: 'visible' });
    assert.ok((await sideways()) <= 0, 'the paper ballot page does not scroll sideways on a phone');
    await screenshot(page, 'paper-ballots-phone.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut(page);
  });

  step("shows the committee each unit's Q3 grade distribution within the quota", async () => {
    await signIn(page, COMMITTEE);
    await page.goto(`/assess/cycles/${cycleId}/scores`);
    const tables = page.locator('table[id^="grade-chart-"][id$="-table"]');
    await tables.first().waitFor({ state: 'visible' });
    assert.ok((await tables.count()) >= 2, 'every department has its distribution');
    for (let t = 0; t < (await tables.count()); t += 1) {
      const rows = tables.nth(t).locator('tbody tr');
      assert.ok((await rows.count()) >= 4, 'every quarterly grade has a row');
      assert.equal(await text(rows.first().locator('th')), '好', 'the top grade comes first');
      const good = Number(await text(rows.first().locator('td').nth(0)));
      const quota = Number(await text(rows.first().locator('td').nth(1)));
      assert.ok(good <= quota, `the 好 grades (${good}) stay within the quota (${quota})`);
      let counted = 0;
      for (let i = 0; i < (await rows.count()); i += 1) {
        counted += Number(await text(rows.nth(i).locator('td').first()));
      }
      // The unit's own section: its ranking's people and its quota line ("used k of q").
      const unit = await tables.nth(t).evaluate((table) => {
        const section = table.closest('section');
        return {
          people: section.querySelectorAll('tbody tr[id^="score-"]').length,
          quota: section.querySelector('p.quota-line').textContent,
        };
      });
      assert.equal(counted, unit.people, 'everyone of the unit is counted once');
      const m = /(\d+)\s*\/\s*(\d+)/.exec(unit.quota);
      assert.ok(m, 'the unit has its quota line');
      assert.equal(Number(m[2]), quota, 'the table and the quota line agree on the quota');
    }
  });

  step('lets the committee calibrate with a reason and decide, staff object in publicity, the committee answer', async () => {
    await page.goto(`/assess/cycles/${cycleId}/scores`);
    const form = page.locator('#calibration-form');
    await form.waitFor({ state: 'visible' });
    const person = await page.locator('#person_id option[value]:not([value=""])').first().getAttribute('value');
    await page.locator('#person_id').selectOption(person);
    // A grade other than the computed one (choosing the computed one removes a calibration).
    const computed = await text(page.locator(`tr#score-${person} td`).last());
    const calibrated = computed.startsWith('一般') ? 'quarter:fairly_good' : 'quarter:average';
    await page.locator('#grade').selectOption(calibrated);
    await skipBrowserChecks(form);
    const refused = await submitAndWait(page, page.locator('#calibrate'));
    assert.equal(refused.status(), 422, 'a calibration without a reason answers 422');
    await page.locator('[id="reason-error"]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#grade').inputValue(), calibrated, 'the chosen grade is kept');
    await page.locator('#reason').fill(CALIBRATION_REASON);
    const saved = await submitAndWait(page, page.locator('#calibrate'));
    assert.ok(saved.status() < 400, `calibrating answers ${saved.status()}`);
    assert.ok((await page.content()).includes(CALIBRATION_REASON), 'the ranking shows the reason');

    const decided = await submitAndWait(page, page.locator('#decide'));
    assert.ok(decided.status() < 400, `deciding answers ${decided.status()}`);
    await page.locator('#decision-notice').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#decide').count(), 0, 'a decided cycle is not decided again');
    await signOut(page);

    await signIn(page, STAFF);
    await page.goto('/assess/publicity');
    const objectForm = page.locator(`#object-form-${cycleId}`);
    await objectForm.waitFor({ state: 'visible' });
    const published = await objectForm.locator('select[name="person_id"] option:not([value=""])').first().getAttribute('value');
    await objectForm.locator('select[name="person_id"]').selectOption(published);
    await objectForm.locator('textarea[name="body"]').fill(OBJECTION);
    const raised = await submitAndWait(page, page.locator(`#raise-objection-${cycleId}`));
    assert.ok(raised.status() < 400, `objecting answers ${raised.status()}`);
    assert.equal((await flash(page)).error, false, 'the objection is recorded');
    await signOut(page);

    await signIn(page, COMMITTEE);
    await page.goto(`/assess/cycles/${cycleId}/scores`);
    const objection = page.locator('section[id^="objection-"]', { hasText: OBJECTION });
    await objection.waitFor({ state: 'visible' });
    await objection.locator('textarea[name="answer"]').fill('经核实，该同志本季度督办件均按时办结');
    const answered = await submitAndWait(page, objection.locator('button[value="dismiss"]'));
    assert.ok(answered.status() < 400, `answering answers ${answered.status()}`);
    assert.match(await text(page.locator('section[id^="objection-"]', { hasText: OBJECTION })), /不予采纳/);
    await screenshot(page, 'decided.png');
    await signOut(page);
  });

  step('closes paper entry and corrections once the cycle is decided', async () => {
    await signIn(page, PERF);
    await page.goto(`/assess/cycles/${cycleId}/ballots`);
    await page.locator('#corrections-closed').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#paper-entry-link').count(), 0, 'the overview no longer offers paper entry');
    await page.goto(`/assess/cycles/${cycleId}/paper`);
    assert.match(await text(page.locator('#paper-errors ~ p.form-error')), /已作出考核决定/);
    assert.equal(await pageLang(page), 'zh-CN');
    await signOut(page);
  });

  it('ran without CSP violations or script errors', () => {
    assertNoProblems(browser.problems);
  });
});
