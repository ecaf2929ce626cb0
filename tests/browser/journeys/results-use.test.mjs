// Journey of the use of results (结果运用): the staff member reads their record
// with the counters explained year by year; the performance office finds the
// proposals of the final 2025 results, is refused a decision without a
// reason, confirms a commendation with one, and reads the department trends;
// the record on a phone. It decides the first proposed commendation left, so
// it can be repeated on one database while any is left.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  flash,
  launch,
  openFromNav,
  signIn,
  signOut,
  skipBrowserChecks,
  stepper,
  submitAndWait,
  text,
  waitForPath,
} from '../lib.mjs';

const step = stepper();

describe('use of results journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
  });

  step('staff read their record: grades, the trend chart and the counters by year', async () => {
    await signIn(page, 'staff');
    await Promise.all([
      waitForPath(page, /^\/feedback\/people\/\d+$/),
      page.locator('nav.main-nav a[href="/feedback/my"]').click(),
    ]);
    await page.locator('#history-chart svg').waitFor({ state: 'visible' });
    const year2025 = await text(page.locator('#history-2025'));
    assert.match(year2025, /称职/);
    assert.match(year2025, /晋升一个工资档次/, 'two counted years since the step make one due');
    assert.match(await text(page.locator('#history-2022')), /导入/, 'earlier years are the imported ones');
    assertNoProblems(browser.problems);
    await signOut(page);
  });

  step('the office is refused a decision without a reason, then confirms a commendation', async () => {
    await signIn(page, 'perf');
    await openFromNav(page, '/feedback/proposals');
    await page.locator('#kind').selectOption('commendation');
    await page.locator('#status').selectOption('proposed');
    await Promise.all([waitForPath(page, '/feedback/proposals'), page.locator('#proposal-filters button').click()]);
    const form = page.locator('#proposals-table form').first();
    if ((await form.count()) === 0) {
      assert.match(await text(page.locator('#proposals-table')), /没有|No /, 'every commendation is decided already');
      return;
    }
    const id = (await form.getAttribute('id')).replace('decide-', '');
    await skipBrowserChecks(form);
    const refused = await submitAndWait(page, page.locator(`#confirm-${id}`));
    assert.equal(refused.status(), 422);
    await page.locator(`#reason-${id}-error`).waitFor({ state: 'visible' });
    await page.locator(`#reason-${id}`).fill('经研究，同意给予嘉奖。');
    await Promise.all([waitForPath(page, '/feedback/proposals'), page.locator(`#confirm-${id}`).click()]);
    assert.match((await flash(page)).text, /已确认/);
    await page.goto('/feedback/proposals?status=confirmed&kind=commendation');
    assert.match(await text(page.locator('#proposals-table')), /经研究，同意给予嘉奖。/);
    assertNoProblems(browser.problems);
  });

  step('the office reads the department trends', async () => {
    await openFromNav(page, '/feedback/trends');
    const table = await text(page.locator('#trends-table'));
    assert.match(table, /2025/);
    assert.match(table, /办公室/);
    assertNoProblems(browser.problems);
  });

  step('the record fits a phone', async () => {
    const phone = await launch({ locale: 'zh-CN', viewport: { width: 375, height: 800 } });
    try {
      await signIn(phone.page, 'staff');
      await phone.page.goto('/feedback/my');
      await waitForPath(phone.page, /^\/feedback\/people\/\d+$/);
      const widths = await phone.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(widths[0] <= widths[1], `the page fits the phone: ${widths}`);
      assertNoProblems(phone.problems);
    } finally {
      await phone.close();
    }
  });
});
