// Lists on a phone (375 px): each wide list becomes one card per row, so the
// row's action (a button or the link that opens the row) is on the screen,
// without sideways scrolling.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT, assertNoProblems, launch, screenshot, signIn, signOut } from '../lib.mjs';

const PHONE = { width: 375, height: 740 };

/** Opens `path` at phone width and checks that the first `action` in `table` is in view. */
async function actionInView(page, path, table, action, { optional = false } = {}) {
  await page.goto(path);
  const rows = page.locator(`#${table} tbody tr`);
  if (optional && (await page.locator(`#${table} ${action}`).count()) === 0) {
    return false;
  }
  assert.ok((await rows.count()) > 0, `${path} lists rows in #${table}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${path}: no sideways scrolling at phone width (overflow ${overflow}px)`);
  const wrapped = await page.locator(`#${table}`).evaluate((el) => {
    const wrap = el.closest('.table-wrap') || el.parentElement;
    return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
  });
  assert.ok(wrapped.scroll <= wrapped.client + 1, `${path}: #${table} does not scroll sideways: ${JSON.stringify(wrapped)}`);
  const target = page.locator(`#${table} ${action}`).first();
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  assert.ok(
    box && box.x >= 0 && box.x + box.width <= PHONE.width,
    `${path}: the row's action is within the screen: ${JSON.stringify(box)}`,
  );
  return true;
}

describe('phone journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch({ locale: 'zh-CN', viewport: PHONE });
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
  });

  it("keeps staff's plans and a plan's targets in view", async () => {
    await signIn(page, 'staff');
    await actionInView(page, '/plan/my', 'my-cycles', 'td.card-actions .button');
    const open = page.locator('#my-cycles td.card-actions a.button').first();
    const href = await open.getAttribute('href');
    await actionInView(page, href, 'targets-table', 'td.card-title a');
    await screenshot(page, 'targets-phone.png');
    await signOut(page);
  });

  it('keeps the supervision list, the ledger and the commitment cases in view for the head', async () => {
    await signIn(page, 'head');
    await actionInView(page, '/supervision', 'supervision-table', 'td.card-title a');
    await screenshot(page, 'supervision-phone.png');
    await actionInView(page, '/ledger', 'ledger-table', 'td.card-title a');
    await page.goto('/commitments');
    const cases = await page.locator('a[href$="/cases"]').first().getAttribute('href');
    await actionInView(page, cases, 'cases-table', 'button[id^="set-done-"]');
    await actionInView(page, '/monitor/verify', 'verify-queue', 'td.card-title a', { optional: true });
    await actionInView(page, '/plan/queue', 'queue-table', 'td.card-title a', { optional: true });
    assertNoProblems(browser.problems);
    await signOut(page);
  });

  it('keeps the approvals queue in view for the leader', async () => {
    await signIn(page, 'leader');
    await actionInView(page, '/plan/queue', 'queue-table', 'td.card-title a', { optional: true });
    await actionInView(page, '/supervision', 'supervision-table', 'td.card-title a');
    assertNoProblems(browser.problems);
    await signOut(page);
  });
});
