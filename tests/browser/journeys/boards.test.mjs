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
    await screenshot(page, 'office-board');
    assertNoProblems(browser.problems);
    await signOut(page);
  });
});
