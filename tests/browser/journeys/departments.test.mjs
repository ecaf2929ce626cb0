// Stage 3 journey, the assessment of departments: the committee reads the
// decided 2025 department ranking (frozen, final after publicity) and one
// department's scorecard with every part traced, at desktop and phone width;
// the performance office opens the 2026 department scheme from the schemes
// page, is refused a scheme whose parts do not add up to 100 (the input
// kept), saves a valid version, and reads the page in English; a department
// head finds no department rating open on the demo's day (2026 is still in
// implementation; tests/integration/departments.rs covers rating).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoProblems,
  ensureLanguage,
  flash,
  launch,
  openFromNav,
  screenshot,
  signIn,
  signOut,
  skipBrowserChecks,
  stepper,
  submitAndWait,
  switchLanguage,
  TEST_TIMEOUT,
  text,
  waitForPath,
} from '../lib.mjs';

const COMMITTEE = 'committee';
const PERF = 'perf';
const HEAD = 'head';

describe('departments journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;
  let perfInEnglish = false;

  const step = stepper();

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

  step('the committee reads the decided 2025 ranking and a scorecard traced to its sources', async () => {
    await signIn(page, COMMITTEE);
    await openFromNav(page, '/assess/departments');
    await page.locator('#year').selectOption('2025');
    await Promise.all([waitForPath(page, '/assess/departments'), page.locator('form.filters button').click()]);
    assert.match(await text(page.locator('#dept-decision')), /公示期满，结果已生效/);
    const rows = page.locator('#dept-ranking tbody tr');
    assert.equal(await rows.count(), 11, 'every demo department is ranked');
    assert.match(await text(rows.first()), /优秀/);
    await screenshot(page, 'departments-ranking');
    const first = rows.first().locator('a');
    const name = await text(first);
    await Promise.all([waitForPath(page, /^\/assess\/departments\/2025\/\d+$/), first.click()]);
    assert.match(await text(page.locator('h1')), new RegExp(name));
    assert.match(await text(page.locator('#dept-card-total')), /优秀/);
    for (const part of ['targets', 'satisfaction', 'leader', 'peer', 'efficiency']) {
      assert.equal(await page.locator(`#part-${part}`).count(), 1, `the scorecard shows the ${part} part`);
      assert.equal(await page.locator(`#source-${part}`).count(), 1, `the ${part} part has its sources`);
    }
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    assert.ok((await sideways()) <= 1, 'the scorecard fits a phone');
    await screenshot(page, 'departments-scorecard-375');
    await page.setViewportSize({ width: 1280, height: 900 });
    assertNoProblems(browser.problems);
    await signOut(page);
  });

  step('the office is refused a scheme whose parts miss 100, keeps the input, and saves a valid one', async () => {
    await signIn(page, PERF);
    await openFromNav(page, '/assess/schemes');
    await Promise.all([waitForPath(page, /^\/assess\/department-schemes\/\d+$/), page.locator('#department-scheme').click()]);
    const form = page.locator('#dept-scheme-form');
    await skipBrowserChecks(form);
    await page.locator('#peer').fill('15');
    const refused = await submitAndWait(page, page.locator('#dept-scheme-save'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.locator('#targets-error').count(), 1);
    assert.equal(await page.locator('#peer').inputValue(), '15', 'the input is kept');
    await page.locator('#peer').fill('5');
    await page.locator('#efficiency').fill('10');
    await submitAndWait(page, page.locator('#dept-scheme-save'));
    const saved = await flash(page);
    assert.equal(saved.error, false, saved.text);
    assert.match(await text(page.locator('#dept-scheme-versions')), /版本 1/);
    await switchLanguage(page);
    perfInEnglish = true;
    assert.match(await text(page.locator('h1')), /Department scheme/);
    await switchLanguage(page);
    perfInEnglish = false;
    assertNoProblems(browser.problems);
    await signOut(page);
  });

  step('a department head finds no department rating open on the demo day', async () => {
    await signIn(page, HEAD);
    await openFromNav(page, '/assess/department-ballots');
    assert.equal(await page.locator('#dept-ballots-none').count(), 1);
    assertNoProblems(browser.problems);
    await signOut(page);
  });
});
