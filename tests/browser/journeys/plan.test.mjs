// Stage 1 journey of a plan (目标) through its approval: the staff member
// enters three targets, sees the weight check fail, fixes it and submits; the
// head returns it with a reason; the staff member edits and resubmits; the
// head approves. The to-do lists of both change at each step.
//
// Needs the demo's planning cycle "2027年度考核" in which `staff` has no plan
// yet, so it runs once per fresh demo database (run.sh always starts fresh).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTION_TIMEOUT,
  assertNoProblems,
  escapeRegExp,
  flash,
  launch,
  pathOf,
  screenshot,
  signIn,
  signOut,
  stepper,
  submitAndWait,
  TEST_TIMEOUT,
  waitForPath,
} from '../lib.mjs';

const STAFF = 'staff';
const HEAD = 'head';
const CYCLE = '2027年度考核';
const RETURN_REASON = '第一项目标值偏低，请对照上年实际提高后重新提交。';

/** The three targets, with weights that first add up to 120. */
const targets = [
  {
    title: '公文处理及时率',
    category: 'routine',
    measure: '按时办结公文占比',
    value: '95',
    unit: '%',
    baseline: '92',
    weight: '40',
    deadline: '2027-12-20',
    method: '对照公文系统办结记录逐月核查',
  },
  {
    title: '重要文稿起草',
    category: 'key_work',
    measure: '起草重要文稿篇数',
    value: '12',
    unit: '篇',
    baseline: '10',
    weight: '40',
    deadline: '2027-11-30',
    method: '以领导审定稿为准计数',
  },
  {
    title: '机要保密工作',
    category: 'supervision',
    measure: '失泄密事件数',
    value: '0',
    unit: '起',
    baseline: '0',
    direction: 'lower_better',
    weight: '40',
    deadline: '2027-06-30',
    method: '年度保密检查结果',
  },
];
/** The raised value of the first target after the return. */
const RAISED_VALUE = '97';

/** Opens the home page and returns the texts and links of the to-do list. */
async function todos(page) {
  await page.goto('/');
  assert.equal(pathOf(page), '/', 'the home page opens');
  const links = page.locator('#todo-list li a');
  const items = [];
  for (let i = 0; i < (await links.count()); i += 1) {
    const link = links.nth(i);
    items.push({ text: (await link.innerText()).trim(), href: await link.getAttribute('href') });
  }
  if (items.length === 0) {
    assert.equal(await page.locator('#todo-empty').count(), 1, 'an empty to-do list says so');
  }
  return items;
}

/** The count in "N 个考核周期的目标尚未提交", 0 when the item is absent. */
function toSubmitCount(items) {
  for (const { text } of items) {
    const m = /^(\d+)\s*个考核周期的目标尚未提交$/.exec(text);
    if (m) return Number(m[1]);
  }
  return 0;
}

function findItem(items, pattern) {
  return items.find(({ text }) => pattern.test(text));
}

function describeItems(items) {
  return items.length ? items.map((i) => `"${i.text}"`).join(', ') : '(none)';
}

/** The status badge of the set page. */
async function setStatus(page) {
  return (await page.locator('#set-status').innerText()).trim();
}

/** Fills the target form with `t` (the fields this journey sets). */
async function fillTarget(page, t, sortOrder) {
  await page.locator('#title').fill(t.title);
  await page.locator('#category').selectOption(t.category);
  await page.locator('#measure').fill(t.measure);
  await page.locator('#target_value').fill(t.value);
  await page.locator('#unit').fill(t.unit);
  await page.locator('#direction').selectOption(t.direction ?? 'higher_better');
  await page.locator('#baseline').fill(t.baseline);
  await page.locator('#weight').fill(t.weight);
  await page.locator('#deadline').fill(t.deadline);
  await page.locator('#quality_requirement').fill('数据真实，按时报送');
  await page.locator('#assessment_method').fill(t.method);
  await page.locator('#evidence_required').fill('系统台账截图');
  await page.locator('#sort_order').fill(String(sortOrder));
}

/** Saves the open target form and expects to be back on the set page. */
async function saveTarget(page, setPath, title) {
  const saved = await submitAndWait(page, page.locator('#save-target'));
  assert.ok(saved.status() < 400, `saving "${title}" answers ${saved.status()}`);
  assert.equal(pathOf(page), setPath, 'saving a target goes back to the set page');
  const message = await flash(page);
  assert.equal(message.error, false, `saving "${title}" succeeded: ${message.text}`);
  assert.match(message.text, new RegExp(escapeRegExp(title)), 'the flash names the saved target');
}

/** The row of the targets table with `title`. */
function targetRow(page, title) {
  return page.locator('#targets-table tbody tr', { has: page.getByRole('link', { name: title, exact: true }) });
}

/** Opens the edit form of the target `title` from the set page. */
async function openEdit(page, title) {
  const row = targetRow(page, title);
  assert.equal(await row.count(), 1, `the targets table lists "${title}" once`);
  await Promise.all([waitForPath(page, /^\/plan\/targets\/\d+\/edit$/), row.locator('a[href$="/edit"]').click()]);
  assert.equal(await page.locator('#title').inputValue(), title, 'the edit form shows the target');
}

/** Signs in as the head and opens the staff member's set from the to-do list and the queue. */
async function headOpensSet(page, setPath, staffName) {
  await signIn(page, HEAD);
  const items = await todos(page);
  const waiting = findItem(items, /份目标等待您审核$/);
  assert.ok(waiting, `the head's to-do list shows the plan to review; it shows ${describeItems(items)}`);
  assert.equal(waiting.href, '/plan/queue');
  await Promise.all([
    waitForPath(page, '/plan/queue'),
    page.locator('#todo-list li a', { hasText: '份目标等待您审核' }).click(),
  ]);
  // `has` is relative to the row, so the link is matched without the table's id.
  const row = page.locator('#queue-table tbody tr', { has: page.locator(`a[href="${setPath}"]`) });
  assert.equal(await row.count(), 1, "the queue lists the staff member's plan");
  const link = row.locator(`a[href="${setPath}"]`);
  assert.match(await row.innerText(), new RegExp(escapeRegExp(CYCLE)), 'the queue row names the cycle');
  assert.match((await link.innerText()).trim(), new RegExp(escapeRegExp(staffName)), 'the queue row names the staff member');
  await Promise.all([waitForPath(page, setPath), link.click()]);
  assert.equal(await setStatus(page), '待审核');
  await page.locator('#approve-set').waitFor({ state: 'visible' });
  await page.locator('#return-set').waitFor({ state: 'visible' });
}

describe('plan journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;
  let staffName = '';
  let setPath = '';
  let toSubmitBefore = 0;

  const step = stepper();

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
  });

  step('shows staff the plan to submit and starts it from 我的目标', async () => {
    await signIn(page, STAFF);
    staffName = (await page.locator('#current-user').innerText()).trim();
    const items = await todos(page);
    toSubmitBefore = toSubmitCount(items);
    assert.ok(toSubmitBefore >= 1, `the to-do list shows "N 个考核周期的目标尚未提交"; it shows ${describeItems(items)}`);
    assert.equal(findItem(items, /尚未提交$/).href, '/plan/my');

    await Promise.all([waitForPath(page, '/plan/my'), page.locator('nav.main-nav a[href="/plan/my"]').click()]);
    const row = page.locator('#my-cycles tbody tr', { hasText: CYCLE });
    assert.equal(await row.count(), 1, `我的目标 lists the cycle ${CYCLE} (is it in the demo, in the planning stage?)`);
    const start = row.locator('button[id^="start-plan-"]');
    assert.equal(await start.count(), 1, `staff has no plan for ${CYCLE} yet (a fresh demo is needed)`);
    assert.match(await row.innerText(), /未填报/);
    const cycleId = (await start.getAttribute('id')).replace('start-plan-', '');
    assert.equal(await row.locator('input[name=cycle_id]').inputValue(), cycleId, 'the button id carries the cycle id');

    const started = await submitAndWait(page, start);
    assert.ok(started.status() < 400, `starting the plan answers ${started.status()}`);
    await waitForPath(page, /^\/plan\/sets\/\d+$/);
    setPath = pathOf(page);
    assert.equal(await setStatus(page), '草稿');
    assert.match(await page.locator('body').innerText(), new RegExp(escapeRegExp(CYCLE)), 'the set page names the cycle');

    // A post with templates pre-fills a new plan; withdraw those so that the
    // plan holds exactly the three targets of this journey.
    const prefilled = page.locator('#targets-table tbody a[href$="/edit"]');
    for (let left = await prefilled.count(); left > 0; left -= 1) {
      await Promise.all([waitForPath(page, /^\/plan\/targets\/\d+\/edit$/), prefilled.first().click()]);
      const withdrawn = await submitAndWait(page, page.locator('#withdraw-target'));
      assert.ok(withdrawn.status() < 400, `withdrawing a pre-filled target answers ${withdrawn.status()}`);
      assert.equal(pathOf(page), setPath);
      assert.equal(await prefilled.count(), left - 1, 'the withdrawn target leaves the table');
    }
  });

  step('adds three targets and shows that their weights add up to 120', async () => {
    for (const [index, t] of targets.entries()) {
      await Promise.all([waitForPath(page, `${setPath}/targets/new`), page.locator('#add-target').click()]);
      await page.locator('#target-form').waitFor({ state: 'visible' });
      await fillTarget(page, t, (index + 1) * 10);
      await saveTarget(page, setPath, t.title);
      assert.equal(await targetRow(page, t.title).count(), 1, `the targets table lists "${t.title}"`);
    }
    assert.equal(await page.locator('#targets-table tbody tr').count(), targets.length);
    assert.equal((await page.locator('#weight-total').innerText()).trim(), '120');
    const check = page.locator('#check-list [data-issue="check-weights-not-100"]');
    await check.waitFor({ state: 'visible' });
    assert.match(await check.innerText(), /120/, 'the weight check shows the total');
    assert.equal(await page.locator('#checks-ok').count(), 0, 'the checks do not pass');
    assert.equal(
      await page.locator('#check-list li').count(),
      1,
      `the weights are the only finding: ${await page.locator('#check-list').innerText()}`,
    );
  });

  step('refuses to submit while the weights are wrong', async () => {
    const refused = await submitAndWait(page, page.locator('#submit-set'));
    assert.ok(refused.status() < 400, `the refused submit answers ${refused.status()}`);
    assert.equal(pathOf(page), setPath);
    const message = await flash(page);
    assert.equal(message.error, true, `the submit is refused with an error: ${message.text}`);
    assert.ok(message.text.length > 0, 'the error says what is wrong');
    assert.equal(await setStatus(page), '草稿', 'the plan is still a draft');
    await page.locator('[data-issue="check-weights-not-100"]').waitFor({ state: 'visible' });
    await screenshot(page, 'plan-weight-error.png');
  });

  step('fixes the third weight, the checks pass, and submits', async () => {
    const third = targets[2];
    await openEdit(page, third.title);
    assert.equal(Number(await page.locator('#weight').inputValue()), 40, 'the edit form shows the saved weight');
    await page.locator('#weight').fill('20');
    await saveTarget(page, setPath, third.title);

    assert.equal((await page.locator('#weight-total').innerText()).trim(), '100');
    await page.locator('#checks-ok').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#check-list li').count(), 0, 'no check finds anything');

    const submitted = await submitAndWait(page, page.locator('#submit-set'));
    assert.ok(submitted.status() < 400, `submitting answers ${submitted.status()}`);
    assert.equal(pathOf(page), setPath);
    const message = await flash(page);
    assert.equal(message.error, false, `the plan is submitted: ${message.text}`);
    assert.equal(await setStatus(page), '待审核');
    assert.equal(await page.locator('#submit-set').count(), 0, 'a submitted plan cannot be submitted again');
    assert.equal(await page.locator('#add-target').count(), 0, 'a submitted plan takes no new targets');
  });

  step("no longer asks staff to submit this cycle's plan", async () => {
    const items = await todos(page);
    assert.equal(
      toSubmitCount(items),
      toSubmitBefore - 1,
      `one cycle fewer is waiting for a plan; the to-do list shows ${describeItems(items)}`,
    );
    assert.equal(findItem(items, /^您的目标被退回/), undefined, 'nothing is returned');
    await signOut(page);
  });

  step('lets the head return the plan with a reason', async () => {
    await headOpensSet(page, setPath, staffName);
    // The reason box comes before the two buttons, not between them.
    const top = async (id) => (await page.locator(id).boundingBox()).y;
    assert.ok((await top('#reason')) < (await top('#approve-set')), 'the reason box is above the buttons');
    await page.locator('#reason').fill(RETURN_REASON);
    const returned = await submitAndWait(page, page.locator('#return-set'));
    assert.ok(returned.status() < 400, `returning answers ${returned.status()}`);
    assert.equal(pathOf(page), setPath);
    const message = await flash(page);
    assert.equal(message.error, false, `the plan is returned: ${message.text}`);
    assert.equal(await setStatus(page), '已退回');
    assert.match(await page.locator('#return-reason').innerText(), new RegExp(escapeRegExp(RETURN_REASON)));
    assert.equal(await page.locator('#approve-set').count(), 0, 'a returned plan cannot be approved');
    for (const id of ['#submit-set', '#add-target', '#copy-last']) {
      assert.equal(await page.locator(id).count(), 0, `the head who returned it is not offered the owner's ${id}`);
    }

    await page.goto('/plan/queue');
    assert.equal(await page.locator(`#queue-table a[href="${setPath}"]`).count(), 0, 'the queue no longer lists it');
    await signOut(page);
  });

  step('tells staff the plan was returned, and why', async () => {
    await signIn(page, STAFF);
    const items = await todos(page);
    const returned = findItem(items, /^您的目标被退回，请修改后重新提交$/);
    assert.ok(returned, `the to-do list shows the returned plan; it shows ${describeItems(items)}`);
    assert.equal(toSubmitCount(items), toSubmitBefore - 1, 'a returned plan is not counted as not submitted');

    // The item leads to the returned plan itself, or to 我的目标 listing it.
    assert.ok([setPath, '/plan/my'].includes(returned.href), `the returned item links to the plan or 我的目标: ${returned.href}`);
    await Promise.all([
      waitForPath(page, returned.href),
      page.locator('#todo-list li a', { hasText: /^您的目标被退回/ }).click(),
    ]);
    if (returned.href === '/plan/my') {
      const row = page.locator('#my-cycles tbody tr', { hasText: CYCLE });
      assert.match(await row.innerText(), /已退回/);
      await Promise.all([waitForPath(page, setPath), row.locator(`a[href="${setPath}"]`).click()]);
    }
    assert.equal(await setStatus(page), '已退回');
    const reason = page.locator('#return-reason');
    await reason.waitFor({ state: 'visible' });
    assert.match(await reason.innerText(), new RegExp(escapeRegExp(RETURN_REASON)), 'the set page shows the reason');
    assert.equal(await page.locator('#submit-set').count(), 1, 'a returned plan can be submitted again');
    await screenshot(page, 'plan-returned.png');
  });

  step('lets staff raise a target value and resubmit', async () => {
    const first = targets[0];
    await openEdit(page, first.title);
    assert.equal(Number(await page.locator('#target_value').inputValue()), Number(first.value), 'the edit form shows the saved value');
    await page.locator('#target_value').fill(RAISED_VALUE);
    await saveTarget(page, setPath, first.title);
    assert.match(await targetRow(page, first.title).innerText(), new RegExp(`\\b${RAISED_VALUE}\\b`), 'the table shows the new value');
    await page.locator('#checks-ok').waitFor({ state: 'visible' });

    const resubmitted = await submitAndWait(page, page.locator('#submit-set'));
    assert.ok(resubmitted.status() < 400, `resubmitting answers ${resubmitted.status()}`);
    const message = await flash(page);
    assert.equal(message.error, false, `the plan is resubmitted: ${message.text}`);
    assert.equal(await setStatus(page), '待审核');
    assert.equal(await page.locator('#return-reason').count(), 0, 'the old reason is no longer shown as current');

    const items = await todos(page);
    assert.equal(findItem(items, /^您的目标被退回/), undefined, `the returned item is gone; the to-do list shows ${describeItems(items)}`);
    await signOut(page);
  });

  step('lets the head approve the plan', async () => {
    await headOpensSet(page, setPath, staffName);
    assert.match(await targetRow(page, targets[0].title).innerText(), new RegExp(`\\b${RAISED_VALUE}\\b`), 'the head sees the raised value');
    const approved = await submitAndWait(page, page.locator('#approve-set'));
    assert.ok(approved.status() < 400, `approving answers ${approved.status()}`);
    assert.equal(pathOf(page), setPath);
    const message = await flash(page);
    assert.equal(message.error, false, `the plan is approved: ${message.text}`);
    assert.equal(await setStatus(page), '已确认');
    assert.equal(await page.locator('#approve-set').count(), 0, 'an approved plan cannot be approved again');
    assert.equal(await page.locator('#return-set').count(), 0, 'an approved plan cannot be returned');
    await screenshot(page, 'plan-approved.png');
    await signOut(page);
  });

  step('shows staff the approved plan and nothing left to do for it', async () => {
    await signIn(page, STAFF);
    const items = await todos(page);
    assert.equal(findItem(items, /^您的目标被退回/), undefined, `nothing is returned; the to-do list shows ${describeItems(items)}`);
    assert.equal(toSubmitCount(items), toSubmitBefore - 1, 'the cycle is not waiting for a plan');

    await page.goto('/plan/my');
    const row = page.locator('#my-cycles tbody tr', { hasText: CYCLE });
    assert.match(await row.innerText(), /已确认/);
    await Promise.all([waitForPath(page, setPath), row.locator(`a[href="${setPath}"]`).click()]);
    assert.equal(await setStatus(page), '已确认');
    assert.equal(await page.locator('#submit-set').count(), 0, 'an approved plan cannot be submitted');
    assert.equal(await page.locator('#targets-table a[href$="/edit"]').count(), 0, 'an approved plan cannot be edited');
  });

  it('ran without CSP violations or script errors', () => {
    assertNoProblems(browser.problems);
  });
});
