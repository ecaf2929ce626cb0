// Journey of reviews (复核) and appeals (申诉) of the final 2025 results: the
// assessment committee finds the open review on its list with its answer
// deadline counting down, opens it and sees the decision form with the
// convention of the deadline in words; the staff member, on a phone, reads
// their own result, the review and the appeal already decided, and that
// nothing more can be filed about it. The journey only reads, so the demo
// state stays as the other journeys expect it.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT, assertNoProblems, launch, openFromNav, signIn, stepper, text, waitForPath } from '../lib.mjs';

const PHONE = { width: 375, height: 740 };

describe('reviews and appeals journey', { timeout: TEST_TIMEOUT }, () => {
  let committee;
  let staff;
  const step = stepper();

  before(async () => {
    committee = await launch({ locale: 'zh-CN' });
    await signIn(committee.page, 'committee');
    staff = await launch({ locale: 'zh-CN', viewport: PHONE });
    await signIn(staff.page, 'staff');
  });

  after(async () => {
    if (committee) await committee.close();
    if (staff) await staff.close();
  });

  step('the committee finds the open review with its countdown and decides from its page', async () => {
    const page = committee.page;
    await openFromNav(page, '/feedback/appeals');
    const row = page.locator('#open-appeals tbody tr').first();
    assert.match(await text(row.locator('.countdown')), /还剩 \d+ 天|今天是最后一天|已逾期 \d+ 天/);
    const link = row.getByRole('link').first();
    const href = await link.getAttribute('href');
    await Promise.all([waitForPath(page, href), link.click()]);
    assert.equal(await page.locator('#decide-form').count(), 1, 'the committee may decide it');
    assert.match(await text(page.locator('#answer-due')), /收到申请的当日不计入/);
    assert.equal(await page.locator('#extend-form').count(), 0, 'a review is not extended');
    assertNoProblems(committee.problems);
  });

  step('the staff member reads their decided review and appeal on a phone', async () => {
    const page = staff.page;
    await page.goto('/feedback/appeals/my');
    const section = page.locator('section[id^="result-"]').first();
    assert.match(await text(section), /该结果已提出过申诉/);
    assert.equal(await section.locator('form').count(), 0, 'nothing more can be filed');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at phone width (overflow ${overflow}px)`);
    const appeal = section.locator('li[id^="filed-"] a').first();
    const href = await appeal.getAttribute('href');
    await Promise.all([waitForPath(page, href), appeal.click()]);
    assert.match(await text(page.locator('#appeal-decision')), /维持原结果/);
    assertNoProblems(staff.problems);
  });
});
