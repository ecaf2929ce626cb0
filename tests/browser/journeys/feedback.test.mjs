// Journey of stage 4 from the written notice to the use of results: 宋丽
// (`songli`, back from long sick leave) finds her notice of the 2025 result on
// her to-dos, prints it, signs it with her opinion on a phone, and asks for a
// review with her reasons; the assessment committee corrects the result; she
// finds the corrected result notified again as version 2; the performance
// office finds the commendation it now proposes; staff confirm their
// interview record, and the head, in English, sees it confirmed.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  ensureLanguage,
  flash,
  launch,
  openFromNav,
  signIn,
  signOut,
  stepper,
  submitAndWait,
  text,
  waitForPath,
} from '../lib.mjs';

const PHONE = { width: 375, height: 740 };
const OPINION = '对“工作效率”一项扣分有不同意见，将申请复核。';
const REASONS = '本人病休前承担的三件督办件已由 B 角按期办结，却计入了本人的逾期件数，申请复核。';
const DECISION = '经核对督办台账，三件督办件已由 B 角按期办结，不应计入本人；更正为优秀。';

describe('feedback journey', { timeout: TEST_TIMEOUT }, () => {
  let phone;
  let desk;
  const step = stepper();

  before(async () => {
    phone = await launch({ locale: 'zh-CN', viewport: PHONE });
    desk = await launch({ locale: 'zh-CN' });
  });

  after(async () => {
    if (phone) await phone.close();
    if (desk) await desk.close();
  });

  step('songli signs her notice with an opinion on a phone', async () => {
    const page = phone.page;
    await signIn(page, 'songli');
    const todo = page.locator('#todo-list a[href="/feedback/notices"]');
    assert.match(await text(todo), /考核结果通知待签收/);
    await Promise.all([waitForPath(page, '/feedback/notices'), todo.click()]);
    const link = page.locator('#own-notices a[href^="/feedback/notices/"]').first();
    const href = await link.getAttribute('href');
    await Promise.all([waitForPath(page, href), link.click()]);
    assert.match(await text(page.locator('#notice-grade')), /称职/);
    assert.match(await text(page.locator('#notice-clocks')), /30 日内/);
    await page.locator('#opinion').fill(OPINION);
    await submitAndWait(page, page.locator('#acknowledge'));
    assert.equal((await flash(page)).error, false);
    assert.equal(await text(page.locator('#notice-opinion-text')), OPINION);
    assert.equal(await page.locator('#acknowledge-form').count(), 0, 'signed once');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at phone width (overflow ${overflow}px)`);
    await page.goto(`${href}/print`);
    assert.match(await text(page.locator('#notice-letter')), /已在线签收/);
    assertNoProblems(phone.problems);
  });

  step('she asks for a review, counted from the day she signed', async () => {
    const page = phone.page;
    await page.goto('/feedback/appeals/my');
    const form = page.locator('form[id^="file-"]').first();
    await form.locator('input[value="review"]').check();
    await form.locator('textarea[name="reasons"]').fill(REASONS);
    await submitAndWait(page, form.locator('button[type="submit"]'));
    await waitForPath(page, /^\/feedback\/appeals\/\d+$/);
    assert.equal(await text(page.locator('#appeal-reasons')), REASONS);
    assert.match(await text(page.locator('#answer-due')), /还剩 \d+ 天/);
    assertNoProblems(phone.problems);
  });

  step('the committee corrects the result', async () => {
    const page = desk.page;
    await signIn(page, 'committee');
    await openFromNav(page, '/feedback/appeals');
    const row = page.locator('#open-appeals tbody tr', { hasText: '宋丽' }).first();
    const link = row.getByRole('link').first();
    const href = await link.getAttribute('href');
    await Promise.all([waitForPath(page, href), link.click()]);
    await page.locator('#outcome-corrected').check();
    await page.locator('#grade').selectOption('annual:excellent');
    await page.locator('#reason').fill(DECISION);
    await submitAndWait(page, page.locator('#decide'));
    assert.equal((await flash(page)).error, false);
    assert.match(await text(page.locator('#grade-after')), /优秀/);
    assertNoProblems(desk.problems);
    await signOut(page);
  });

  step('she finds the corrected result notified again', async () => {
    const page = phone.page;
    await page.goto('/feedback/notices');
    const own = page.locator('#own-notices');
    assert.match(await text(own), /第 2 版/);
    assert.match(await text(own), /已被新版本取代/);
    const latest = own.locator('tbody tr', { hasText: '第 2 版' }).getByRole('link').first();
    const href = await latest.getAttribute('href');
    await Promise.all([waitForPath(page, href), latest.click()]);
    assert.match(await text(page.locator('#notice-grade')), /优秀/);
    assert.match(await text(page.locator('#notice-correction')), /B 角按期办结/);
    assert.equal(await page.locator('#result-versions tbody tr').count(), 2);
    assert.equal(await page.locator('#acknowledge-form').count(), 1, 'the new version is signed afresh');
    assertNoProblems(phone.problems);
    await signOut(page);
  });

  step('the office finds the commendation the corrected result proposes', async () => {
    const page = desk.page;
    await signIn(page, 'perf');
    await page.goto('/feedback/proposals?kind=commendation&status=proposed');
    assert.match(await text(page.locator('#proposals-table')), /宋丽/);
    await page.goto('/feedback/board?year=2025');
    assert.match(await text(page.locator('#measure-appeals')), /\d+/);
    assertNoProblems(desk.problems);
    await signOut(page);
  });

  step('staff confirm their interview record, and the head sees it in English', async () => {
    const page = desk.page;
    await signIn(page, 'staff');
    await openFromNav(page, '/feedback/interviews');
    const link = page.locator('#own-interviews a').first();
    const href = await link.getAttribute('href');
    await Promise.all([waitForPath(page, href), link.click()]);
    assert.equal(await page.locator('#interview-private-note').count(), 0);
    await page.locator('#comment').fill('同意记录，按计划建立督办台账。');
    await submitAndWait(page, page.locator('#confirm-interview'));
    assert.match(await text(page.locator('#interview-comment')), /建立督办台账/);
    await signOut(page);
    await ensureLanguage(page, 'head', 'en');
    await page.goto('/feedback/interviews');
    assert.match(await text(page.locator('#interview-lines')), /Confirmed/);
    assert.doesNotMatch(await text(page.locator('#interview-lines')), /Waiting for confirmation/);
    await ensureLanguage(page, 'head', 'zh-CN');
    assertNoProblems(desk.problems);
  });
});
