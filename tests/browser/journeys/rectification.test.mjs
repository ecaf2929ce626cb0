// Journey of a rectification item (整改): the performance office raises one
// from the 2025 satisfaction survey for 办公室, owned by `staff`, and sees
// an unoffered owner refused; `staff` finds it on the to-do list, reports
// progress on a phone and submits it; the head of 办公室 verifies it and
// closes it out (销号), and the item shows who closed it and that it was on
// time. The title is unique per run, and the item ends closed, so the demo
// office's to-do lists are as they were.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  flash,
  launch,
  signIn,
  signOut,
  skipBrowserChecks,
  stepper,
  submitAndWait,
  uniqueSuffix,
  waitForPath,
} from '../lib.mjs';

const run = uniqueSuffix();
const title = `浏览器整改事项${run}`;
const step = stepper();

describe('rectification journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let itemPath = '';
  let staffName = '';

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
  });

  step('finds the name of the owner to be, `staff`', async () => {
    const page = browser.page;
    await signIn(page, 'staff');
    staffName = (await page.locator('#current-user').innerText()).trim();
    assert.ok(staffName, 'the page names the signed-in person');
    await signOut(page);
  });

  after(async () => {
    if (browser) await browser.close();
  });

  step('the performance office raises an item from the 2025 survey', async () => {
    const page = browser.page;
    await signIn(page, 'perf');
    await page.goto('/feedback/rectification');
    await page.locator('#overdue-convention').waitFor();
    await Promise.all([waitForPath(page, '/feedback/rectification/new'), page.locator('#new-rectification').click()]);
    const survey = page.locator('#source option', { hasText: '2025年度委员满意度测评' });
    await page.locator('#source').selectOption(await survey.first().getAttribute('value'));
    await page.locator('#title').fill(title);
    await page.locator('#problem').fill('委员反映会议通知发送偏晚');
    const office = await page.locator('#department_id option', { hasText: /^办公室$/ }).getAttribute('value');
    await page.locator('#department_id').selectOption(office);
    // No owner chosen: the server refuses and keeps the input.
    const form = page.locator('#rectification-form');
    await skipBrowserChecks(form);
    const refused = await submitAndWait(page, page.locator('#save-rectification'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.locator('#title').inputValue(), title, 'the title is kept');
    const staff = page.locator('#owner_id option', { hasText: `${staffName} · 办公室` });
    await page.locator('#owner_id').selectOption(await staff.first().getAttribute('value'));
    await page.locator('#plan').fill('会议通知提前五个工作日发出');
    await submitAndWait(page, page.locator('#save-rectification'));
    assert.match((await flash(page)).text, new RegExp(title));
    itemPath = new URL(page.url()).pathname;
    assert.match(itemPath, /^\/feedback\/rectification\/\d+$/);
    assert.equal(await page.locator('#rectification-status').getAttribute('data-status'), 'open');
    await signOut(page);
  });

  step('the owner reports progress on a phone and submits it', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page, 'staff');
    const todo = page.locator('#todo-list li a', { hasText: /整改事项待整改/ });
    assert.equal(await todo.count(), 1, 'the to-do list shows the item to carry out');
    await page.goto(itemPath);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at phone width (overflow ${overflow}px)`);
    await page.locator('#progress_note').fill('已修订会议通知流程');
    await submitAndWait(page, page.locator('#save-progress'));
    assert.equal(await page.locator('#rectification-status').getAttribute('data-status'), 'in_progress');
    await submitAndWait(page, page.locator('#submit-rectification'));
    assert.equal(await page.locator('#rectification-status').getAttribute('data-status'), 'submitted');
    assert.equal(await page.locator('#verify-form').count(), 0, 'the owner does not verify');
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  step('the head verifies it and closes it out', async () => {
    const page = browser.page;
    await signIn(page, 'head');
    await page.goto(itemPath);
    await page.locator('#verify_note').fill('核实无误');
    await submitAndWait(page, page.locator('#close-rectification'));
    assert.equal(await page.locator('#rectification-status').getAttribute('data-status'), 'closed');
    assert.equal(await page.locator('#rectification-closed .badge-ok').count(), 1, 'closed out on time');
    assert.equal(await page.locator('#rectification-steps li[data-step="closed"]').count(), 1);
    assertNoProblems(browser.problems);
  });
});

