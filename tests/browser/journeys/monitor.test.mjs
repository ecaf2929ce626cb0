// Stage 2 journeys of monitoring (实施监督):
//
// 1. A progress report (进度填报) through its verification: staff reports a
//    period of one of their targets with a PDF as evidence; the head returns
//    it with a reason; staff sees the return, edits it and resubmits with a
//    PNG; the head verifies it with an audited value. The verified report is
//    frozen, and its evidence downloads as an attachment.
// 2. A supervision item (督办事项) through its closing: the supervision officer
//    opens an overdue item for 办公室 with `staff` as assignee, assigns it and
//    issues today's slips, so the item turns red; staff acknowledges, starts,
//    answers the slip and reports it done; the officer verifies and closes it
//    (销号), after which it shows no colour.
//
// The progress journey needs a period of one of staff's 2026 targets without a
// report, which a fresh demo database has (run.sh always starts fresh); the
// supervision journey can run again on the same database (its title is unique
// per run).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
  uniqueSuffix,
  waitForPath,
} from '../lib.mjs';

const STAFF = 'staff';
const HEAD = 'head';
const SUPERVISOR = 'supervisor';
const DEPARTMENT = '办公室';

// ---------------------------------------------------------------------------
// Helpers shared by both journeys (the same as the plan journey's).

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

function findItem(items, pattern) {
  return items.find(({ text }) => pattern.test(text));
}

/** The count N of the to-do item matching `pattern` (whose first group is N), 0 when absent. */
function countOf(items, pattern) {
  const item = items.find(({ text }) => pattern.test(text));
  return item ? Number(pattern.exec(item.text)[1]) : 0;
}

function describeItems(items) {
  return items.length ? items.map((i) => `"${i.text}"`).join(', ') : '(none)';
}

/** Follows the to-do item matching `pattern` to its page. */
async function followTodo(page, items, pattern, href) {
  const item = findItem(items, pattern);
  assert.ok(item, `the to-do list shows ${pattern}; it shows ${describeItems(items)}`);
  assert.equal(item.href, href, `the to-do item "${item.text}" links to ${href}`);
  const target = new URL(href, 'http://x');
  await Promise.all([
    waitForPath(page, target.pathname),
    page.locator('#todo-list li a', { hasText: pattern }).click(),
  ]);
  assert.equal(new URL(page.url()).search, target.search, 'the to-do link keeps its filter');
}

/** Expects a successful flash matching `pattern`. */
async function expectSuccess(page, pattern, what) {
  const message = await flash(page);
  assert.equal(message.error, false, `${what}: ${message.text}`);
  assert.match(message.text, pattern, `${what}: the flash says so`);
}

/** Clicks a navigation entry and checks its label. */
async function openNav(page, href, label) {
  const link = page.locator(`nav.main-nav a[href="${href}"]`);
  assert.equal((await link.innerText()).trim(), label, `the navigation offers ${label}`);
  await Promise.all([waitForPath(page, href), link.click()]);
}

/**
 * The office's date `offsetDays` from the application's today, as YYYY-MM-DD:
 * the server runs on the day run.sh pins (CPPCC_PERF_CLOCK), never the real one.
 */
function officeDate(offsetDays = 0) {
  const today = (process.env.CPPCC_PERF_CLOCK || '').slice(0, 10);
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/, 'run.sh pins the clock with CPPCC_PERF_CLOCK');
  const day = new Date(`${today}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + offsetDays);
  return day.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------
// Evidence files, written into a temporary directory.

/** A minimal one-page PDF with a correct cross-reference table. */
function minimalPdf() {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A 1×1 PNG. */
const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

// ---------------------------------------------------------------------------
// 1. Progress report.

const PDF_NAME = 'progress-evidence.pdf';
const PNG_NAME = 'progress-photo.png';
const REPORT = {
  value: '6',
  state: 'on_track',
  stateLabel: '进展正常',
  narrative: '本期按计划推进，各项工作有序开展。',
  problems: '个别环节衔接不够紧密。',
  nextSteps: '下期加强统筹，按时完成。',
};
const RETURN_REASON = '佐证材料不全，请补充现场照片并核对报告值。';
const RESUBMITTED = { value: '7', narrative: '本期按计划推进；已补充现场照片，报告值经核对更正为 7。' };
const AUDITED = { value: '6.5', comment: '经核对台账，核实值为 6.5。' };

/** The status badge of the report page. */
async function reportStatus(page) {
  return (await page.locator('#report-status').innerText()).trim();
}

/** The names of the evidence files listed on the report page. */
async function evidenceNames(page) {
  return (await page.locator('#evidence-files li a').allInnerTexts()).map((t) => t.trim());
}

describe('progress report journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;
  let dir;
  let pdfPath;
  let pngPath;
  let staffName = '';
  let returnedBefore = 0;
  /** The target and period reported on, and how they were found. */
  let chosen = null;
  let reportPath = '';
  let reportId = '';
  const step = stepper();

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cppcc-perf-evidence-'));
    pdfPath = path.join(dir, PDF_NAME);
    pngPath = path.join(dir, PNG_NAME);
    await writeFile(pdfPath, minimalPdf());
    await writeFile(pngPath, PNG_BYTES);
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Signs in as the head and opens the report from the to-do list and 进度核实. */
  async function headOpensReport() {
    await signIn(page, HEAD);
    const items = await todos(page);
    await followTodo(page, items, /^(\d+)\s*份进度报告待核实$/, '/monitor/verify');
    const row = page.locator(`#verify-queue #queue-report-${reportId}`);
    assert.equal(await row.count(), 1, `进度核实 lists the report ${reportId}`);
    const text = await row.innerText();
    assert.match(text, new RegExp(escapeRegExp(chosen.title)), 'the queue row names the target');
    assert.match(text, new RegExp(escapeRegExp(staffName)), 'the queue row names the staff member');
    assert.match(text, new RegExp(escapeRegExp(chosen.period)), 'the queue row names the period');
    await Promise.all([waitForPath(page, reportPath), row.locator(`a[href="${reportPath}"]`).click()]);
    assert.equal(await reportStatus(page), '待核实');
    await page.locator('#verify-section').waitFor({ state: 'visible' });
    await page.locator('#verify-report').waitFor({ state: 'visible' });
    await page.locator('#return-report').waitFor({ state: 'visible' });
  }

  /**
   * Picks a period of one of staff's own targets to report on from 我的进度填报:
   * the row's 填报 button (its latest ended period has no report), else a late
   * period linked under 另有逾期未报, else the running period (the page does
   * not link it, so its address is typed, as a user could only do by hand).
   */
  async function chooseTarget(t) {
    const rows = page.locator('#my-reports tbody tr[id^="report-row-"]').filter({ hasNot: page.locator('.acting-for') });
    const count = await rows.count();
    assert.ok(count > 0, '我的进度填报 lists targets of staff (are the 2026 targets approved in the demo?)');
    const candidates = [];
    for (let i = 0; i < count; i += 1) {
      const row = rows.nth(i);
      const id = (await row.getAttribute('id')).replace('report-row-', '');
      const title = (await row.locator('td').first().innerText()).split('\n')[0].replace(/·.*$/, '').trim();
      const button = row.locator(`a#report-${id}`);
      if ((await button.count()) === 1) candidates.push({ how: 'button', id, title, link: button, rank: 0 });
      const late = row.locator(`a[href^="/monitor/targets/${id}/report?period="]:not(.button)`);
      if ((await late.count()) > 0) candidates.push({ how: 'late', id, title, link: late.last(), rank: 1 });
      candidates.push({ how: 'current', id, title, link: null, rank: 2 });
    }
    candidates.sort((a, b) => a.rank - b.rank);
    for (const c of candidates) {
      if (c.link) {
        await Promise.all([waitForPath(page, `/monitor/targets/${c.id}/report`), c.link.click()]);
      } else {
        await page.goto(`/monitor/targets/${c.id}/report?period=${officeDate().slice(0, 8)}01`);
      }
      const onForm = pathOf(page) === `/monitor/targets/${c.id}/report` && (await page.locator('#report-form').count()) === 1;
      if (onForm && (await page.locator('#correction-notice').count()) === 0) {
        const period = (await page.locator('#report-period').innerText()).trim();
        t.diagnostic(`reporting "${c.title}" for ${period} (found by: ${c.how})`);
        return { ...c, period, periodStart: period.slice(0, 10) };
      }
      await page.goto('/monitor/reports');
    }
    throw new Error('staff has no period without a report on any own target (is the demo fresh?)');
  }

  step('shows staff their targets under 进度填报 and opens a report form', async (t) => {
    await signIn(page, STAFF);
    staffName = (await page.locator('#current-user').innerText()).trim();
    const items = await todos(page);
    returnedBefore = countOf(items, /^(\d+)\s*份进度报告被退回/);
    await openNav(page, '/monitor/reports', '进度填报');
    assert.equal((await page.locator('h1').first().innerText()).trim(), '我的进度填报');
    // On a phone each target is a card with its action in view: no sideways scrolling.
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no sideways scrolling at phone width (overflow ${overflow}px)`);
      const action = page.locator('#my-reports tbody tr td.card-actions .button').first();
      const box = await action.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `the row's action is within the screen: ${JSON.stringify(box)}`);
      await screenshot(page, 'reports-phone.png');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    chosen = await chooseTarget(t);
    assert.match(await page.locator('#report-target').innerText(), new RegExp(escapeRegExp(chosen.title)), 'the form names the target');
    assert.equal(await page.locator('#report-refused').count(), 0, 'the form is not refused');
    assert.equal(await page.locator('input[name=period_start]').inputValue(), chosen.periodStart);
  });

  step('lets staff fill the report, attach a PDF and submit it', async () => {
    await page.locator('#reported_value').fill(REPORT.value);
    await page.locator('#state').selectOption(REPORT.state);
    await page.locator('#narrative').fill(REPORT.narrative);
    await page.locator('#problems').fill(REPORT.problems);
    await page.locator('#next_steps').fill(REPORT.nextSteps);
    await page.locator('#files').setInputFiles(pdfPath);
    await screenshot(page, 'report-form.png');

    const sent = await submitAndWait(page, page.locator('#send-report'));
    assert.ok(sent.status() < 400, `submitting the report answers ${sent.status()}`);
    await waitForPath(page, /^\/monitor\/reports\/\d+$/);
    reportPath = pathOf(page);
    reportId = reportPath.split('/').pop();
    await expectSuccess(page, /进度报告已提交/, 'the report is submitted');
    assert.equal(await reportStatus(page), '待核实');
    assert.match(await page.locator('#reported-value').innerText(), new RegExp(`^${escapeRegExp(REPORT.value)}\\b`));
    const fields = await page.locator('#report-fields').innerText();
    for (const text of [chosen.period, REPORT.stateLabel, REPORT.narrative, REPORT.problems, REPORT.nextSteps, staffName]) {
      assert.match(fields, new RegExp(escapeRegExp(text)), `the report shows "${text}"`);
    }
    assert.deepEqual(await evidenceNames(page), [PDF_NAME], 'the PDF is listed as evidence');
    assert.equal(await page.locator('#verify-section').count(), 0, 'staff cannot verify their own report');
    assert.equal(await page.locator('#resubmit').count(), 0, 'a submitted report cannot be resubmitted');
    // The list keeps the period just sent in its row, with its status, until it is verified
    // (unless another period of the target is late or due: that one comes first).
    await page.goto('/monitor/reports');
    const row = page.locator(`#report-row-${chosen.id}`);
    const otherLate = await row.locator(`a[href^="/monitor/targets/${chosen.id}/report?period="]:not(.button)`).count();
    const due = await row.locator(`a#report-${chosen.id}`).count();
    if (otherLate === 0 && due === 0) {
      const text = await row.innerText();
      assert.match(text, new RegExp(escapeRegExp(chosen.periodStart)), `the row still shows ${chosen.periodStart}: ${text}`);
      assert.match(text, /待核实/, `the row shows the status: ${text}`);
      assert.doesNotMatch(text, /未报送/, 'the row does not jump to an unsent period');
    }
    await signOut(page);
  });

  step('lets the head find it in 进度核实 and return it with a reason', async () => {
    await headOpensReport();
    assert.deepEqual(await evidenceNames(page), [PDF_NAME], 'the head sees the evidence');
    assert.equal(await page.locator('#audited_value').inputValue(), REPORT.value, 'the audited value starts as the reported one');
    await page.locator('#reason').fill(RETURN_REASON);
    const returned = await submitAndWait(page, page.locator('#return-report'));
    assert.ok(returned.status() < 400, `returning answers ${returned.status()}`);
    assert.equal(pathOf(page), reportPath);
    await expectSuccess(page, /进度报告已退回/, 'the report is returned');
    assert.equal(await reportStatus(page), '已退回');
    assert.match(await page.locator('#return-reason').innerText(), new RegExp(escapeRegExp(RETURN_REASON)));
    assert.equal(await page.locator('#verify-section').count(), 0, 'a returned report cannot be verified');

    await page.goto('/monitor/verify');
    assert.equal(await page.locator(`#queue-report-${reportId}`).count(), 0, '进度核实 no longer lists it');
    await signOut(page);
  });

  step('tells staff the report was returned, and why', async (t) => {
    await signIn(page, STAFF);
    const items = await todos(page);
    const pattern = /^(\d+)\s*份进度报告被退回，请修改后重新提交$/;
    assert.equal(countOf(items, pattern), returnedBefore + 1, `one more report is returned; the to-do list shows ${describeItems(items)}`);
    // One returned report: the item opens it. Several: the list of exactly those.
    const expected = returnedBefore + 1 === 1 ? reportPath : '/monitor/reports?returned=1';
    await followTodo(page, items, pattern, expected);
    if (expected !== reportPath) {
      const rows = page.locator('#my-reports tbody tr[id^="report-row-"]');
      assert.equal(await rows.count(), returnedBefore + 1, 'the list has one row per returned report');
      const resubmit = page.locator(`#report-row-${chosen.id}-${chosen.periodStart} a[href="${reportPath}#resubmit"]`);
      assert.match(await resubmit.innerText(), /修改后重新提交/);
      t.diagnostic(`${returnedBefore + 1} returned reports listed`);
      await Promise.all([waitForPath(page, reportPath), resubmit.click()]);
    }
    assert.equal(await reportStatus(page), '已退回');
    const reason = page.locator('#return-reason');
    await reason.waitFor({ state: 'visible' });
    assert.match(await reason.innerText(), new RegExp(escapeRegExp(RETURN_REASON)), 'the report page shows the reason');
    const history = await page.locator('#report-history').innerText();
    assert.match(history, new RegExp(escapeRegExp(RETURN_REASON)), 'the history shows the reason');
    await page.locator('#resubmit-form').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#reported_value').inputValue(), REPORT.value, 'the resubmit form keeps the value');
    assert.equal(await page.locator('#narrative').inputValue(), REPORT.narrative, 'the resubmit form keeps the narrative');
    assert.equal(await page.locator('#state').inputValue(), REPORT.state, 'the resubmit form keeps the state');
    await screenshot(page, 'report-returned.png');
  });

  step('lets staff edit the report, add a PNG and resubmit it', async () => {
    await page.locator('#reported_value').fill(RESUBMITTED.value);
    await page.locator('#narrative').fill(RESUBMITTED.narrative);
    await page.locator('#files').setInputFiles(pngPath);
    const resubmitted = await submitAndWait(page, page.locator('#resubmit-report'));
    assert.ok(resubmitted.status() < 400, `resubmitting answers ${resubmitted.status()}`);
    assert.equal(pathOf(page), reportPath);
    await expectSuccess(page, /进度报告已重新提交/, 'the report is resubmitted');
    assert.equal(await reportStatus(page), '待核实');
    assert.equal(await page.locator('#return-reason').count(), 0, 'the old reason is no longer shown as current');
    assert.equal(await page.locator('#resubmit').count(), 0, 'a resubmitted report cannot be resubmitted again');
    assert.match(await page.locator('#reported-value').innerText(), new RegExp(`^${escapeRegExp(RESUBMITTED.value)}\\b`));
    assert.deepEqual((await evidenceNames(page)).sort(), [PDF_NAME, PNG_NAME].sort(), 'both files are listed');

    const items = await todos(page);
    assert.equal(
      countOf(items, /^(\d+)\s*份进度报告被退回/),
      returnedBefore,
      `the returned item is gone; the to-do list shows ${describeItems(items)}`,
    );
    await signOut(page);
  });

  step('lets the head verify it with an audited value', async () => {
    await headOpensReport();
    assert.match(await page.locator('#reported-value').innerText(), new RegExp(`^${escapeRegExp(RESUBMITTED.value)}\\b`), 'the head sees the new value');
    await page.locator('#audited_value').fill(AUDITED.value);
    await page.locator('#comment').fill(AUDITED.comment);
    const verified = await submitAndWait(page, page.locator('#verify-report'));
    assert.ok(verified.status() < 400, `verifying answers ${verified.status()}`);
    assert.equal(pathOf(page), reportPath);
    await expectSuccess(page, /进度报告已核实/, 'the report is verified');
    assert.equal(await reportStatus(page), '已核实');
    assert.match(await page.locator('#audited-value').innerText(), new RegExp(`^${escapeRegExp(AUDITED.value)}\\b`));
    await page.locator('#frozen-notice').waitFor({ state: 'visible' });
    for (const id of ['#verify-section', '#verify-report', '#return-report', '#resubmit']) {
      assert.equal(await page.locator(id).count(), 0, `a verified report offers no ${id}`);
    }
    assert.match(await page.locator('#report-fields').innerText(), new RegExp(escapeRegExp(AUDITED.comment)), 'the comment is shown');
    const steps = await page.locator('#report-history tbody tr td:nth-child(3)').allInnerTexts();
    assert.deepEqual(
      steps.map((s) => s.trim()).sort(),
      ['提交报告', '退回', '修改后重新提交', '核实'].sort(),
      'the history has the four steps',
    );
    await screenshot(page, 'report-verified.png');

    await page.goto('/monitor/verify');
    assert.equal(await page.locator(`#queue-report-${reportId}`).count(), 0, '进度核实 no longer lists it');
  });

  step('serves the evidence as attachments', async () => {
    await page.goto(reportPath);
    const links = page.locator('#evidence-files li a');
    assert.equal(await links.count(), 2);
    const expected = { [PDF_NAME]: { type: 'application/pdf', magic: '%PDF-' }, [PNG_NAME]: { type: 'image/png', magic: '\x89PNG' } };
    for (let i = 0; i < 2; i += 1) {
      const link = links.nth(i);
      const name = (await link.innerText()).trim();
      const href = await link.getAttribute('href');
      assert.match(href, /^\/monitor\/files\/\d+$/);
      assert.notEqual(await link.getAttribute('download'), null, `the link to ${name} is marked download`);
      const response = await page.request.get(href, { timeout: ACTION_TIMEOUT });
      assert.equal(response.status(), 200, `downloading ${name} answers ${response.status()}`);
      const headers = response.headers();
      assert.match(headers['content-disposition'] ?? '', new RegExp(`^attachment;.*filename="${escapeRegExp(name)}"`), `${name} is an attachment`);
      assert.equal(headers['content-type'], expected[name].type, `${name} keeps its type`);
      const body = await response.body();
      assert.equal(body.subarray(0, expected[name].magic.length).toString('latin1'), expected[name].magic, `${name} comes back as sent`);
    }
    await signOut(page);
  });

  step('shows staff the verified report, frozen, with only a correction offered', async () => {
    await signIn(page, STAFF);
    await page.goto(reportPath);
    assert.equal(await reportStatus(page), '已核实');
    await page.locator('#frozen-notice').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#resubmit').count(), 0, 'a verified report cannot be resubmitted');
    assert.equal(await page.locator('#verify-section').count(), 0);
    await page.locator('#correct-report').waitFor({ state: 'visible' });
    const items = await todos(page);
    assert.equal(countOf(items, /^(\d+)\s*份进度报告被退回/), returnedBefore, 'nothing more is returned');
  });

  it('ran without CSP violations or script errors', () => {
    assertNoProblems(browser.problems);
  });
});

// ---------------------------------------------------------------------------
// 2. Supervision item.

/**
 * Due three days on (the Monday after the demo's Friday): within the blue
 * slip's lead of work days, so a blue reminder from the start. A past due date
 * is refused at registration, which the journey tries first.
 */
const DUE_IN_DAYS = 3;
const PAST_DAYS = 7;
const SLIP = { colour: 'blue', label: '蓝色督办单' };
const ACKNOWLEDGE = /^(\d+)\s*项督办事项待签收$/;
const TO_ANSWER = /^(\d+)\s*份督办单待答复$/;
const TO_VERIFY = /^(\d+)\s*份督办事项办结报告待审核$/;

/** The status badge and colour of the item page. */
async function itemState(page) {
  const colour = page.locator('#item-colour');
  return {
    status: (await page.locator('#item-status').innerText()).trim(),
    colour: await colour.getAttribute('data-colour'),
    colourClass: await colour.getAttribute('class'),
    colourText: (await colour.innerText()).trim(),
  };
}

/** Takes a step of the item with its button, and expects the flash and status. */
async function takeStep(page, itemPath, code, flashPattern, status, note = '') {
  const button = page.locator(`#step-form button#step-${code}`);
  assert.equal(await button.count(), 1, `the item offers the step ${code}; it offers ${await page.locator('#step-form button').allInnerTexts()}`);
  await page.locator('#note').fill(note);
  const done = await submitAndWait(page, button);
  assert.ok(done.status() < 400, `the step ${code} answers ${done.status()}`);
  assert.equal(pathOf(page), itemPath);
  await expectSuccess(page, flashPattern, `the step ${code} is taken`);
  assert.equal((await itemState(page)).status, status);
}

describe('supervision journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;
  let staffName = '';
  let baseline = { acknowledge: 0, answer: 0 };
  const title = `督办测试事项 ${uniqueSuffix()}`;
  const due = officeDate(DUE_IN_DAYS);
  let itemPath = '';
  let itemId = '';
  const step = stepper();

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
  });

  after(async () => {
    if (browser) await browser.close();
  });

  /** The item's row on the supervision list. */
  function listRow() {
    return page.locator(`#supervision-table tbody tr#supervision-${itemId}`);
  }

  step("notes staff's supervision to-do items before the item exists", async () => {
    await signIn(page, STAFF);
    staffName = (await page.locator('#current-user').innerText()).trim();
    const items = await todos(page);
    baseline = { acknowledge: countOf(items, ACKNOWLEDGE), answer: countOf(items, TO_ANSWER) };
    await signOut(page);
  });

  step('lets the supervision officer open an item due soon for 办公室 with staff as assignee', async () => {
    await signIn(page, SUPERVISOR);
    await openNav(page, '/supervision', '督办事项');
    await Promise.all([waitForPath(page, '/supervision/new'), page.locator('#new-supervision').click()]);
    await page.locator('#title').fill(title);
    await page.locator('#content').fill('按领导批示要求，限期完成机关公文流转情况专项检查并报送结果。');
    await page.locator('#source').selectOption('leader_instruction');
    await page.locator('#department_id').selectOption({ label: DEPARTMENT });
    await page.locator('#assignee_id').selectOption({ label: `${staffName} · ${DEPARTMENT}` });
    await page.locator('#report_frequency').selectOption('monthly');
    // A due date already past is refused, with the input kept.
    await page.locator('#due_date').fill(officeDate(-PAST_DAYS));
    const refused = await submitAndWait(page, page.locator('#save-supervision'));
    assert.equal(refused.status(), 422, 'a past due date is refused');
    assert.equal(await page.locator('#title').inputValue(), title, 'the title is kept');
    assert.equal(await page.locator('#due_date-error').count(), 1, 'the due date says why');
    await page.locator('#due_date').fill(due);
    const saved = await submitAndWait(page, page.locator('#save-supervision'));
    assert.ok(saved.status() < 400, `opening the item answers ${saved.status()}`);
    await waitForPath(page, /^\/supervision\/\d+$/);
    itemPath = pathOf(page);
    itemId = itemPath.split('/').pop();
    await expectSuccess(page, new RegExp(escapeRegExp(title)), 'the item is opened');
    assert.equal((await page.locator('h1').first().innerText()).trim(), title);
    assert.equal((await itemState(page)).status, '立项');
    assert.equal((await page.locator('#item-due').innerText()).trim(), due);
    const fields = await page.locator('#item-fields').innerText();
    assert.match(fields, new RegExp(escapeRegExp(staffName)), 'the item names the assignee');
    assert.match(fields, new RegExp(escapeRegExp(DEPARTMENT)), 'the item names the department');
    assert.equal(await page.locator('article.slip').count(), 0, 'no slip is issued yet');
  });

  step('lets the officer assign it', async () => {
    await takeStep(page, itemPath, 'assigned', /^已交办/, '已交办');
  });

  step("issues today's slips, and the item shows its slip's colour on the list and its page", async () => {
    await Promise.all([waitForPath(page, '/supervision'), page.locator('main a[href="/supervision"]').first().click()]);
    const issued = await submitAndWait(page, page.locator('#issue-slips'));
    assert.ok(issued.status() < 400, `issuing slips answers ${issued.status()}`);
    assert.equal(pathOf(page), '/supervision');
    const message = await flash(page);
    assert.equal(message.error, false, `the slips are issued: ${message.text}`);
    const m = /本次签发督办单\s*(\d+)\s*份/.exec(message.text);
    assert.ok(m && Number(m[1]) >= 1, `at least the new item's slip is issued: ${message.text}`);

    const row = listRow();
    assert.equal(await row.count(), 1, 'the list shows the item');
    const badge = row.locator('td').first().locator('span');
    assert.match(await badge.getAttribute('class'), new RegExp(`\\bslip-${SLIP.colour}\\b`), 'the list shows the colour');
    assert.equal(await badge.getAttribute('data-colour'), SLIP.colour);
    assert.equal((await badge.innerText()).trim(), SLIP.label);
    assert.equal((await row.locator('td').last().innerText()).trim(), '1', 'one slip is unanswered');
    const coloured = page.locator(`#supervision-table tbody tr#supervision-${itemId} .slip-${SLIP.colour}`);
    assert.equal(await coloured.count(), 1);

    await page.locator('#filter-colour').selectOption(SLIP.colour);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('form.filters button[type=submit]').click()]);
    assert.equal(await listRow().count(), 1, 'the colour filter keeps the item');

    await Promise.all([waitForPath(page, itemPath), listRow().locator(`a[href="${itemPath}"]`).click()]);
    const state = await itemState(page);
    assert.equal(state.colour, SLIP.colour);
    assert.match(state.colourClass, new RegExp(`\\bslip-${SLIP.colour}\\b`), 'the item page shows the colour');
    assert.equal(state.colourText, SLIP.label);
    const slips = page.locator('article.slip');
    assert.equal(await slips.count(), 1, 'one slip is issued');
    assert.equal(await slips.locator(`.badge.slip-${SLIP.colour}`).count(), 1, `the slip is ${SLIP.colour}`);
    assert.match(await slips.innerText(), /承办方尚未答复/, 'the officer sees it unanswered');
    await screenshot(page, 'supervision-slip.png');
    await signOut(page);
  });

  step('lets staff acknowledge it from the to-do list, start it, answer the slip and report it done', async () => {
    await signIn(page, STAFF);
    const items = await todos(page);
    assert.equal(countOf(items, ACKNOWLEDGE), baseline.acknowledge + 1, `one more item to acknowledge; ${describeItems(items)}`);
    assert.equal(countOf(items, TO_ANSWER), baseline.answer + 1, `one more slip to answer; ${describeItems(items)}`);
    await followTodo(page, items, ACKNOWLEDGE, '/supervision?status=assigned');
    assert.equal(await listRow().count(), 1, 'the filtered list shows the item');
    await Promise.all([waitForPath(page, itemPath), listRow().locator(`a[href="${itemPath}"]`).click()]);
    assert.equal((await itemState(page)).colour, SLIP.colour);

    await takeStep(page, itemPath, 'acknowledged', /^已签收/, '已签收');
    await takeStep(page, itemPath, 'in_progress', /^已开始办理/, '办理中');

    const slip = page.locator('article.slip').first();
    const answer = '已组织专项检查，问题清单已建立，正在逐项整改。';
    await slip.locator('textarea[name=answer]').fill(answer);
    const answered = await submitAndWait(page, slip.locator('button[id^="answer-slip-"]'));
    assert.ok(answered.status() < 400, `answering the slip answers ${answered.status()}`);
    await expectSuccess(page, /已答复督办单/, 'the slip is answered');
    assert.match(await page.locator('article.slip .answer').first().innerText(), new RegExp(escapeRegExp(answer)));

    await takeStep(page, itemPath, 'done_reported', /^已报送办结报告/, '已报办结', '专项检查已完成，检查报告已报送。');
    assert.equal((await itemState(page)).colour, SLIP.colour, 'a done report keeps the colour until verified');
    assert.equal(await page.locator('#step-form').count(), 0, 'staff has no further step');

    const after = await todos(page);
    assert.equal(countOf(after, ACKNOWLEDGE), baseline.acknowledge, 'nothing more to acknowledge');
    assert.equal(countOf(after, TO_ANSWER), baseline.answer, 'nothing more to answer');
    await signOut(page);
  });

  step('lets the officer verify it and close it (销号), after which it shows no colour', async () => {
    await signIn(page, SUPERVISOR);
    const items = await todos(page);
    await followTodo(page, items, TO_VERIFY, '/supervision?status=done_reported');
    assert.equal(await listRow().count(), 1, 'the filtered list shows the item');
    await Promise.all([waitForPath(page, itemPath), listRow().locator(`a[href="${itemPath}"]`).click()]);
    await page.locator('#step-in_progress').waitFor({ state: 'visible' });
    assert.match(await page.locator('#step-in_progress').innerText(), /退回办结报告/, 'the officer may reject the done report');

    await takeStep(page, itemPath, 'verified', /^办结报告已审核通过/, '已审核', '检查报告内容完整，同意办结。');
    assert.equal((await itemState(page)).colour, 'none', 'a verified item shows no colour');
    await takeStep(page, itemPath, 'closed', /^已销号/, '已销号');

    const state = await itemState(page);
    assert.equal(state.colour, 'none');
    assert.doesNotMatch(state.colourClass, /slip-/, 'a closed item has no colour class');
    assert.equal(state.colourText, '无');
    assert.equal(await page.locator('#step-form').count(), 0, 'a closed item offers no step');
    assert.match(await page.locator('#item-fields').innerText(), /销号时间/, 'the closing time is shown');
    const steps = (await page.locator('#timeline tbody tr td:nth-child(3)').allInnerTexts()).map((s) => s.trim());
    for (const status of ['立项', '已交办', '已签收', '办理中', '已报办结', '已审核', '已销号']) {
      assert.ok(steps.some((s) => s.endsWith(status)), `the timeline shows ${status}: ${steps.join(' | ')}`);
    }
    await screenshot(page, 'supervision-closed.png');

    await page.goto('/supervision');
    const row = listRow();
    assert.equal(await row.count(), 1, 'the list still shows the closed item');
    assert.match((await row.getAttribute('class')) ?? '', /\binactive\b/, 'the closed item is shown inactive');
    assert.equal(await row.locator('[data-colour]').getAttribute('data-colour'), 'none');
    assert.match(await row.innerText(), /已销号/);
    await signOut(page);
  });

  it('ran without CSP violations or script errors', () => {
    assertNoProblems(browser.problems);
  });
});
