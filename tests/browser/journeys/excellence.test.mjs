// Journey of the excellence self-assessment (卓越绩效自评), from scoring to the
// scorecard: the supervising leader scores an item of 2026 on a phone (a
// percentage outside its band is refused, the input kept); the performance
// office ends independent scoring, agrees an item with the suggestion and a
// reason, and reads the provisional scorecard with its radar chart, in
// English too and as printed; 2025's completed scorecard shows its total and
// what became of its improvements, and one more improvement becomes a
// rectification item. The demo's 2026 self-assessment ends in consensus.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  ensureLanguage,
  flash,
  launch,
  screenshot,
  signIn,
  signOut,
  skipBrowserChecks,
  stepper,
  submitAndWait,
  switchLanguage,
  text,
  waitForPath,
} from '../lib.mjs';

const step = stepper();

describe('excellence self-assessment journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
  });

  after(async () => {
    if (browser) await browser.close();
  });

  step('the leader scores an item of 2026 on a phone, within its band', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, 'leader');
    await page.goto('/excellence');
    assert.equal(await text(page.locator('h1').first()), '卓越绩效自评');
    await Promise.all([waitForPath(page, '/excellence/2026'), page.locator('#year-2026 a').first().click()]);
    assert.equal(await text(page.locator('#stage')), '独立评分');
    // The first item the leader has not scored yet.
    const open = page.locator('#items-table tbody tr', { has: page.locator('td.mine', { hasText: '—' }) }).first();
    const itemLink = open.locator('th a');
    const itemName = await text(itemLink);
    await Promise.all([waitForPath(page, /^\/excellence\/2026\/items\/\d+$/), itemLink.click()]);
    assert.equal(await text(page.locator('#item-title')), itemName);
    assert.ok((await page.locator('#band-table tbody tr').count()) === 6, 'the six bands of the guidelines');
    const form = page.locator('#score-form');
    await skipBrowserChecks(form);
    await page.locator('#band').selectOption('3');
    await page.locator('#percent').fill('50');
    await page.locator('#note').fill('方法已形成制度，但在部分处室尚未展开');
    const refused = await submitAndWait(page, page.locator('#save-score'));
    assert.equal(refused.status(), 422);
    assert.match(await text(page.locator('#percent-error')), /不在所选档次的范围内/);
    assert.equal(await page.locator('#note').inputValue(), '方法已形成制度，但在部分处室尚未展开');
    await page.locator('#percent').fill('40');
    await submitAndWait(page, page.locator('#save-score'));
    assert.equal((await flash(page)).text, '评分已保存。');
    assert.match(await text(page.locator('#my-score-value')), /40%/);
    assert.equal(await page.locator('#percent').inputValue(), '40');
    // Nothing of the page is wider than the phone.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 1, `the item page fits a phone (${wide} px too wide)`);
    await screenshot(page, 'excellence-item-phone');
    assertNoProblems(browser.problems);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  step('the performance office ends independent scoring and agrees an item', async () => {
    const page = browser.page;
    await signIn(page, 'perf');
    await page.goto('/excellence/2026');
    page.once('dialog', (d) => d.accept());
    await submitAndWait(page, page.locator('#start-consensus'));
    assert.equal((await flash(page)).text, '已进入形成一致意见阶段。');
    assert.equal(await text(page.locator('#stage')), '形成一致意见');
    await Promise.all([waitForPath(page, '/excellence/2026/consensus'), page.locator('#to-consensus').click()]);
    const scored = page.locator('#consensus-table tbody tr', { hasNot: page.locator('td.agreed', { hasText: '%' }) })
      .filter({ has: page.locator('td', { hasText: '·' }) })
      .first();
    await Promise.all([waitForPath(page, /^\/excellence\/2026\/items\/\d+$/), scored.locator('th a').click()]);
    // Everyone's scores are visible now, and the form starts at the suggestion.
    assert.ok((await page.locator('#scores-table tbody tr').count()) >= 2, 'the assessors\' scores are shown');
    await page.locator('#suggestion').waitFor();
    const form = page.locator('#consensus-form');
    await skipBrowserChecks(form);
    assert.notEqual(await form.locator('#percent').inputValue(), '', 'the suggestion fills the form');
    await submitAndWait(page, page.locator('#save-consensus'));
    assert.match(await text(page.locator('#note-error')), /必填|请填写/);
    await form.locator('#note').fill('评价组讨论后取各评价人的平均水平');
    await submitAndWait(page, page.locator('#save-consensus'));
    assert.equal((await flash(page)).text, '一致意见已保存。');
    assert.match(await text(page.locator('#consensus-value')), /评价组讨论后取各评价人的平均水平/);
    assertNoProblems(browser.problems);
  });

  step('the scorecard of 2026 is provisional, with its radar chart, in English and on paper', async () => {
    const page = browser.page;
    await page.goto('/excellence/2026/scorecard');
    await page.locator('#scorecard-provisional').waitFor();
    await page.locator('.chart svg').first().waitFor({ state: 'attached' });
    await screenshot(page, 'excellence-scorecard-2026');
    await switchLanguage(page);
    assert.match(await text(page.locator('h1').first()), /Excellence|self-assessment/i);
    await screenshot(page, 'excellence-scorecard-2026-en');
    await switchLanguage(page);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('nav.main-nav').isVisible(), false, 'printed, the navigation is left out');
    await page.emulateMedia({ media: 'screen' });
    assertNoProblems(browser.problems);
  });

  step("2025's scorecard shows the completed total and what became of its improvements", async () => {
    const page = browser.page;
    await page.goto('/excellence/2025/scorecard');
    assert.equal(await page.locator('#scorecard-provisional').count(), 0, '2025 is completed');
    const links = page.locator('a[href^="/feedback/rectification/"]');
    assert.ok((await links.count()) >= 3, 'the improvements turned into rectification items link to them');
    const improvement = page.locator('a[id^="rectify-"]').first();
    assert.equal(await improvement.count(), 1, 'an improvement not yet rectified offers the step');
    await Promise.all([waitForPath(page, /^\/excellence\/findings\/\d+\/rectify$/), improvement.click()]);
    await page.locator('#department_id').selectOption({ index: 1 });
    const owner = page.locator(`#owner_id option[data-department="${await page.locator('#department_id').inputValue()}"]`).first();
    await page.locator('#owner_id').selectOption(await owner.getAttribute('value'));
    await page.locator('#plan').fill('建立季度复盘机制');
    await Promise.all([waitForPath(page, /^\/feedback\/rectification\/\d+$/), page.locator('#rectify').click()]);
    assert.equal((await flash(page)).text, '已转为整改事项。');
    assertNoProblems(browser.problems);
    await ensureLanguage(page, 'perf', 'zh-CN');
    await signOut(page);
  });
});
