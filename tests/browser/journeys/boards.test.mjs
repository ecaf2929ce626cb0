// Journey through the monitoring boards: the head's department board and the
// performance office's board draw their ECharts charts as SVG under the strict
// CSP, the tooltip and a resize included, each chart followed by its table.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT, assertNoProblems, launch, screenshot, signIn, signOut } from '../lib.mjs';

/** Hovers a chart in three places, so the tooltip is drawn. */
async function hover(page, id) {
  const chart = page.locator(`#${id}`);
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  for (const fx of [0.3, 0.5, 0.7]) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.7, { steps: 3 });
  }
}

async function assertChart(page, id, table) {
  await page.locator(`#${id} svg`).waitFor({ state: 'attached' });
  await hover(page, id);
  assert.ok((await page.locator(`#${table} caption`).innerText()).trim().length > 0, `#${table} has a caption`);
}

describe('boards journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
  });

  it('shows the department board with its charts to the head', async () => {
    await signIn(page, 'head');
    await page.goto('/monitor/department');
    assert.equal((await page.locator('h1').first().innerText()).trim(), '处室看板');
    await page.locator('#board-targets').waitFor();
    await assertChart(page, 'chart-completion', 'completion-table');
    await assertChart(page, 'chart-timeliness', 'timeliness-table');
    await page.setViewportSize({ width: 420, height: 900 });
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, 'department-board');
    assertNoProblems(browser.problems);
    await signOut(page);
  });

  it('shows the office board with its charts to the performance office', async () => {
    await signIn(page, 'perf');
    await page.goto('/monitor/office');
    assert.equal((await page.locator('h1').first().innerText()).trim(), '机关看板');
    await page.locator('#stage-measures').waitFor();
    await assertChart(page, 'chart-department-completion', 'department-completion-table');
    await assertChart(page, 'chart-slips', 'slips-table');
    await page.locator('#office-legend').waitFor();
    // At 1366 px the department names are not squeezed: each stays on one line.
    await page.setViewportSize({ width: 1366, height: 900 });
    const names = page.locator('#office-departments tbody th[scope="row"] a');
    assert.ok((await names.count()) > 0, 'the department names link to their boards');
    for (let i = 0; i < (await names.count()); i += 1) {
      const rects = await names.nth(i).evaluate((el) => el.getClientRects().length);
      assert.equal(rects, 1, `department name ${i} is on one line`);
    }
    // All thirteen columns fit: the table needs no sideways scrolling at 1366 px.
    const fit = await page.locator('#office-departments').evaluate((el) => {
      const wrap = el.closest('.table-wrap');
      return { table: el.scrollWidth, wrap: wrap.scrollWidth, client: wrap.clientWidth };
    });
    assert.ok(fit.wrap <= fit.client && fit.table <= fit.client, `the board's last columns are in view: ${JSON.stringify(fit)}`);
    // Printed, the table fits the paper too (A4 portrait less the margins is about 700 px).
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 700, height: 900 });
    const printed = await page.locator('#office-departments').evaluate((el) => ({
      table: el.scrollWidth, page: document.documentElement.clientWidth,
    }));
    assert.ok(printed.table <= printed.page, `printed, the board's last columns are not clipped: ${JSON.stringify(printed)}`);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1366, height: 900 });
    await screenshot(page, 'office-board');
    // Drill down: department → person → target.
    await Promise.all([page.waitForURL(/\/monitor\/department\?/), names.first().click()]);
    await page.locator('#board-targets').waitFor();
    await page.locator('#board-legend').waitFor();
    const owner = page.locator('#board-targets a.owner-link').first();
    await Promise.all([page.waitForURL(/owner=\d+/), owner.click()]);
    const target = page.locator('#board-targets tbody a[href^="/plan/targets/"]').first();
    await Promise.all([page.waitForURL(/\/plan\/targets\/\d+$/), target.click()]);
    await page.setViewportSize({ width: 1280, height: 900 });
    assertNoProblems(browser.problems);
    await signOut(page);
  });

  it('shows the four stages at a glance to the performance office, in both languages and on a phone', async () => {
    await signIn(page, 'perf');
    await page.goto('/dashboard');
    assert.equal((await page.locator('h1').first().innerText()).trim(), '绩效管理四个环节总览');
    for (const stage of ['plan', 'monitor', 'assess', 'feedback']) {
      await page.locator(`#stage-${stage}`).waitFor();
    }
    await assertChart(page, 'chart-stages', 'chart-table');
    // The quality words name the measures; the totals row closes each table.
    assert.match(await page.locator('#stage-feedback h2').innerText(), /快速.*准确.*及时/);
    assert.ok((await page.locator('#feedback-table tfoot th').innerText()).includes('全机关合计'));
    // A figure opens the list behind it.
    const signed = page.locator('#feedback-table tbody a[href="/feedback/notices?waiting=1"]').first();
    await Promise.all([page.waitForURL(/\/feedback\/notices\?waiting=1$/), signed.click()]);
    await page.goBack();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#plan-table').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the dashboard fits a phone's width (${overflow}px too wide)`);
    await screenshot(page, 'dashboard-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('form[action="/locale"] button').first().click();
    await page.waitForLoadState('load');
    assert.equal((await page.locator('h1').first().innerText()).trim(), 'The four stages of performance management at a glance');
    await screenshot(page, 'dashboard-en');
    await page.locator('form[action="/locale"] button').first().click();
    await page.waitForLoadState('load');
    assertNoProblems(browser.problems);
    await signOut(page);
  });
});
