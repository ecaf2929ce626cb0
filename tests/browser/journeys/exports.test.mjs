// Excel exports of the working lists: the performance office opens the
// supervision items, clicks 导出 Excel in the page head and receives the
// workbook as a download named after the list and the day, holding bytes
// of an .xlsx file (a zip archive). Reads only, so it can run again on the
// same database.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { assertNoProblems, launch, screenshot, signIn, signOut, stepper, TEST_TIMEOUT } from '../lib.mjs';

describe('exports journey', { timeout: TEST_TIMEOUT }, () => {
  const step = stepper();
  let browser;
  let page;

  before(async () => {
    browser = await launch({ locale: 'zh-CN', acceptDownloads: true });
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
  });

  step('the performance office downloads the supervision items as an Excel workbook', async () => {
    await signIn(page, 'perf');
    await page.goto('/supervision');
    assert.ok((await page.locator('#supervision-table tbody tr[id^="supervision-"]').count()) > 0, 'items listed');
    const link = page.locator('.page-head a.export-xlsx');
    assert.equal((await link.innerText()).trim(), '导出 Excel');
    assert.equal(await link.getAttribute('href'), '/supervision.xlsx');
    await screenshot(page, 'supervision-export');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^supervision-\d{8}\.xlsx$/);
    assert.equal(await download.failure(), null);
    const bytes = await readFile(await download.path());
    assert.ok(bytes.length > 0, 'the workbook is not empty');
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx file is a zip archive');
    assertNoProblems(browser.problems);
  });

  step('a filtered list downloads with its filter', async () => {
    await page.goto('/supervision?colour=red');
    const link = page.locator('.page-head a.export-xlsx');
    // The link is offered only while the filter leaves some item to export.
    if ((await link.count()) > 0) {
      assert.equal(await link.getAttribute('href'), '/supervision.xlsx?colour=red');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.match(download.suggestedFilename(), /\.xlsx$/);
      assert.ok((await readFile(await download.path())).length > 0);
    }
    assertNoProblems(browser.problems);
    await signOut(page);
  });
});
