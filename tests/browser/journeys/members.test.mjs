// Journey of the performance office keeping the register of the committee's
// members: open it from the navigation, filter it, add a member after the form
// refuses a bad mobile, deactivate them; then the register on a phone.
// The member's name is unique per run, so the journey can be repeated on one database.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  flash,
  launch,
  openFromNav,
  signIn,
  skipBrowserChecks,
  submitAndWait,
  text,
  uniqueSuffix,
  waitForPath,
} from '../lib.mjs';

const run = uniqueSuffix();
const name = `浏览器委员${run}`;

/** The names in the register's table. */
async function listed(page) {
  return page.locator('#members-table td.card-title').allInnerTexts();
}

describe('members register journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
    await signIn(page, 'perf');
  });

  after(async () => {
    if (browser) await browser.close();
  });

  it('opens the register from the navigation and filters it by sector and committee', async () => {
    await openFromNav(page, '/org/members');
    assert.match(await text(page.locator('#members-counts')), /在册委员 \d+ 人/);
    assert.ok((await listed(page)).length >= 100, 'the demo register is listed');
    await page.locator('#sector').selectOption('宗教界');
    await page.locator('#committee').selectOption('民族和宗教委员会');
    await Promise.all([waitForPath(page, '/org/members'), page.locator('form.filters button').click()]);
    const shown = await listed(page);
    assert.ok(shown.length >= 1 && shown.length < 10, `a few members shown: ${shown}`);
    for (const cell of await page.locator('#members-table tbody tr td:nth-child(2)').allInnerTexts()) {
      assert.equal(cell.trim(), '宗教界');
    }
  });

  it('adds a member after the form refuses a bad mobile, then deactivates them', async () => {
    await page.goto('/org/members');
    await Promise.all([waitForPath(page, '/org/members/new'), page.locator('#new-member').click()]);
    await page.locator('#full_name').fill(name);
    await page.locator('#sector').fill('经济界');
    await page.locator('#special_committee').fill('经济委员会');
    await page.locator('#contact_department_id').selectOption({ label: '经济委员会办公室' });
    await page.locator('#mobile').fill('12345');
    await skipBrowserChecks(page.locator('#member-form'));
    const refused = await submitAndWait(page, page.locator('#member-form button.primary'));
    assert.equal(refused.status(), 422);
    await page.locator('#mobile-error').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#full_name').inputValue(), name, 'the input is kept');

    await page.locator('#mobile').fill('139 0000 8888');
    await Promise.all([waitForPath(page, '/org/members'), page.locator('#member-form button.primary').click()]);
    assert.match((await flash(page)).text, new RegExp(name));

    await page.goto(`/org/members?q=${encodeURIComponent(name)}`);
    assert.deepEqual(await listed(page), [name]);
    assert.match(await text(page.locator('#members-table tbody tr')), /13900008888/);
    await Promise.all([
      waitForPath(page, /^\/org\/members\/\d+\/edit$/),
      page.locator('#members-table a', { hasText: '编辑' }).click(),
    ]);
    await page.locator('#active').setChecked(false);
    await Promise.all([waitForPath(page, '/org/members'), page.locator('#member-form button.primary').click()]);
    await page.goto(`/org/members?q=${encodeURIComponent(name)}`);
    assert.deepEqual(await listed(page), [], 'no longer listed among those serving');
    await page.goto(`/org/members?q=${encodeURIComponent(name)}&status=inactive`);
    assert.deepEqual(await listed(page), [name]);
    assertNoProblems(browser.problems);
  });

  it('shows the register as cards on a phone, without sideways scrolling', async () => {
    const phone = await launch({ locale: 'zh-CN', viewport: { width: 375, height: 800 } });
    try {
      await signIn(phone.page, 'perf');
      await phone.page.goto('/org/members');
      const widths = await phone.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(widths[0] <= widths[1], `the page fits the phone: ${widths}`);
      const display = await phone.page.locator('#members-table tbody tr').first().evaluate((tr) => getComputedStyle(tr).display);
      assert.equal(display, 'block', 'each member is a card');
      assertNoProblems(phone.problems);
    } finally {
      await phone.close();
    }
  });
});
