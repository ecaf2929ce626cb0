// Journey of a members' satisfaction survey: the performance office creates a
// survey for one sector's members, opens the printable list of QR codes and
// takes one member's link from it; the member, not signed in, opens the link
// on a phone, answers every item and sees the thanks; the same link opened
// again says it has been used. The department scorecard of the year counts
// the new answer: 办公室, whose satisfaction was withheld with the
// demo's two answers of 2026 shows its index from the third on (the minimum
// of three answers). Every title is unique per run.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  flash,
  launch,
  screenshot,
  signIn,
  submitAndWait,
  uniqueSuffix,
  waitForPath,
} from '../lib.mjs';

const run = uniqueSuffix();
const title = `浏览器满意度测评${run}`;

describe('satisfaction survey journey', { timeout: TEST_TIMEOUT }, () => {
  let office;
  let phone;
  let link;
  /** A 2026 department scorecard, and whether it withheld satisfaction before the answer. */
  let scorecard = '';

  before(async () => {
    office = await launch({ locale: 'zh-CN' });
    await signIn(office.page, 'perf');
  });

  after(async () => {
    if (office) await office.close();
    if (phone) await phone.close();
  });

  it('finds a department whose 2026 satisfaction is withheld below three answers', async () => {
    const page = office.page;
    await page.goto('/assess/departments?year=2026');
    const officeLink = page.locator('#dept-ranking').getByRole('link', { name: '办公室', exact: true });
    scorecard = await officeLink.getAttribute('href');
    await page.goto(scorecard);
    assert.equal(await page.locator('#dept-satisfaction-withheld').count(), 1, 'two answers are withheld');
  });

  it('creates a survey and prints its QR codes', async () => {
    const page = office.page;
    await page.goto('/assess/surveys');
    await Promise.all([waitForPath(page, '/assess/surveys/new'), page.locator('#new-survey').click()]);
    await page.locator('#title').fill(title);
    await page.locator('#kind').selectOption('year_end');
    // One sector's members keep the printed list short.
    const sector = await page.locator('#sector option').nth(1).getAttribute('value');
    await page.locator('#sector').selectOption(sector);
    const response = await submitAndWait(page, page.locator('#create-survey'));
    assert.equal(response.status(), 303);
    await waitForPath(page, /^\/assess\/surveys\/\d+$/);
    assert.equal((await flash(page)).error, false);

    await Promise.all([waitForPath(page, /^\/assess\/surveys\/\d+\/links$/), page.locator('#survey-links').click()]);
    const cards = page.locator('.link-card');
    assert.ok((await cards.count()) >= 1, 'the list has a card per member');
    await page.locator('.link-card svg.qr').first().waitFor({ state: 'visible' });
    assert.ok((await page.locator('.link-sector').first().innerText()).includes(sector));
    await screenshot(page, 'survey-links');
    link = await page.locator('.link-url a').first().getAttribute('href');
    assert.match(link, /\/s\/[A-Za-z0-9_-]{43}$/);
    assertNoProblems(office.problems);
  });

  it('lets a member answer once on a phone, without an account', async () => {
    phone = await launch({ locale: 'zh-CN', viewport: { width: 375, height: 740 } });
    const page = phone.page;
    const first = await page.goto(link);
    assert.equal(first.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the answer page fits a phone (overflow ${overflow}px)`);
    const items = page.locator('fieldset.answer-item');
    const count = await items.count();
    assert.ok(count >= 1);
    for (let i = 0; i < count; i += 1) {
      await items.nth(i).locator('input[type="radio"]').nth(i % 4 === 3 ? 1 : 0).check();
    }
    await page.locator('#comment').fill('希望会议材料提前发放。');
    await screenshot(page, 'survey-answer-phone');
    const response = await submitAndWait(page, page.locator('#submit-answers'));
    assert.equal(response.status(), 200);
    await page.locator('#answer-thanks').waitFor({ state: 'visible' });

    const again = await page.goto(link);
    assert.equal(again.status(), 410);
    assert.equal(await page.locator('#link-refused').getAttribute('data-reason'), 'survey-link-used');
    assertNoProblems(phone.problems);
  });

  it("counts the answer on the department's scorecard", async () => {
    const page = office.page;
    await page.goto(scorecard);
    assert.equal(await page.locator('#dept-satisfaction-withheld').count(), 0);
    assert.match(await page.locator('#dept-satisfaction-index').innerText(), /满意度指数 \d+/);
    assert.ok((await page.locator('#dept-satisfaction-surveys li', { hasText: title }).count()) === 1);
    await screenshot(page, 'survey-scorecard');
    assertNoProblems(office.problems);
  });
});
