// Journey of the official A4 forms: each form is opened as someone who prints
// it, rendered by Chromium to a PDF (A4, backgrounds printed) and the PDF is
// checked with Debian's poppler-utils: its page count (a department's
// registration forms one page per participant), every field's text — each
// text of the sheet as the page shows it — found in the text `pdftotext`
// extracts, and no word outside the page's margins. The forms: the head's
// batch of 2025 annual registration forms and one person's form in Chinese and
// English, the 2026 third quarter's routine forms, the responsibility letters
// of a person's and a department's targets, a red supervision item's notice and
// its slip, the written notice of a result, and a survey's QR list. With
// SCREENSHOT_DIR set, each PDF and its pages as PNGs (pdftoppm -r 60) go there.
// The journey reads only; it switches the head's language to English and back
// (again in `after`).
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  SCREENSHOT_DIR,
  TEST_TIMEOUT,
  assertNoProblems,
  ensureLanguage,
  launch,
  pathOf,
  screenshot,
  signIn,
  signOut,
  stepper,
  switchLanguage,
  waitForPath,
} from '../lib.mjs';

const run = promisify(execFile);
/** A4 in PostScript points, and the print margins (12 mm at the sides, 15 mm top and bottom). */
const A4 = { width: 595.28, height: 841.89 };
const MM = 72 / 25.4;
const MARGIN = { x: 12 * MM, y: 15 * MM };
/** Rounding of the text boxes pdftotext reports. */
const SLACK = 2;

/** Text without any white space, to compare what wraps differently on paper. */
function squeeze(text) {
  return text.replace(/\s+/g, '');
}

/** The texts of an element's text nodes, as the page shows them (hidden ones left out). */
async function fieldTexts(locator) {
  return locator.evaluate((root) => {
    const texts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const parent = node.parentElement;
      if (text && parent && parent.getClientRects().length > 0) texts.push(text);
    }
    return texts;
  });
}

/**
 * Renders the page to an A4 PDF and reads it back: { pages, text, outside },
 * `outside` the words whose box leaves the margins. Writes the PDF and its
 * pages as PNGs into SCREENSHOT_DIR when set.
 */
async function printToPdf(page, dir, name) {
  const file = path.join(dir, `${name}.pdf`);
  await writeFile(file, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
  const { stdout: text } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']);
  const { stdout: boxes } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
  const pages = (boxes.match(/<page /g) || []).length;
  const outside = [];
  for (const m of boxes.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    const [x0, y0, x1, y1] = m.slice(1, 5).map(Number);
    // Across, the boxes are the glyphs' advances; up and down they are the
    // font's whole box (tall for CJK fonts), so their middle is what counts.
    const middle = (y0 + y1) / 2;
    if (
      x0 < MARGIN.x - SLACK ||
      x1 > A4.width - MARGIN.x + SLACK ||
      middle < MARGIN.y ||
      middle > A4.height - MARGIN.y
    ) {
      outside.push(`${m[5]} (${x0.toFixed(0)},${y0.toFixed(0)}–${x1.toFixed(0)},${y1.toFixed(0)})`);
    }
  }
  if (SCREENSHOT_DIR) {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await writeFile(path.join(SCREENSHOT_DIR, `${name}.pdf`), await page.pdf({ format: 'A4', printBackground: true }));
    await run('pdftoppm', ['-r', '60', '-png', file, path.join(SCREENSHOT_DIR, name)]);
  }
  return { pages, text, outside };
}

/** Asserts every text of `sheets` is in the PDF's text and no word leaves the margins. */
async function assertPrinted(pdf, sheets, what) {
  const printed = squeeze(pdf.text);
  const missing = [];
  for (const sheet of await sheets.all()) {
    for (const text of await fieldTexts(sheet)) {
      if (!printed.includes(squeeze(text))) missing.push(text);
    }
  }
  assert.deepEqual(missing, [], `${what}: every field's text is on the paper`);
  assert.deepEqual(pdf.outside, [], `${what}: no text beyond the page's margins`);
}

/** Follows a link and waits for its page. */
async function follow(page, link) {
  const href = await link.getAttribute('href');
  await Promise.all([waitForPath(page, new URL(href, 'http://x').pathname), link.click()]);
  return href;
}

describe('forms journey', { timeout: TEST_TIMEOUT }, () => {
  let desk;
  let dir;
  const step = stepper();
  const found = {};

  before(async () => {
    desk = await launch({ locale: 'zh-CN' });
    dir = await mkdtemp(path.join(tmpdir(), 'cppcc-perf-forms-'));
  });

  after(async () => {
    if (desk) {
      await ensureLanguage(desk.page, 'head', 'zh-CN').catch(() => {});
      await desk.close();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  step("the head prints the department's 2025 annual forms, one page per participant", async () => {
    const page = desk.page;
    await signIn(page, 'head');
    await page.goto('/assess/scores');
    await follow(page, page.locator('a', { hasText: '2025年度考核' }).first());
    found.annual = pathOf(page).match(/\/assess\/cycles\/(\d+)\/scores/)[1];
    const batch = page.locator('#department-forms a[href$="/forms"]');
    assert.equal(await batch.count(), 1, 'the head prints their own department only');
    const href = await follow(page, batch);
    found.department = href.match(/\/departments\/(\d+)\/forms/)[1];
    const sheets = page.locator('.form-sheet');
    const people = await sheets.count();
    assert.ok(people > 1, 'the department has several participants');
    assert.match(await page.locator('#form-count').innerText(), new RegExp(`共 ${people} 份`));
    const pdf = await printToPdf(page, dir, 'forms-annual-batch');
    assert.equal(pdf.pages, people, 'one A4 page per participant, no blank last page');
    await assertPrinted(pdf, sheets, 'the annual batch');
    for (const name of await page.locator('.form-sheet .form-person').allInnerTexts()) {
      assert.ok(pdf.text.includes(name), `${name}'s form is printed`);
    }
    assert.match(pdf.text, /公务员年度考核登记表/);
    assertNoProblems(desk.problems);
  });

  step("a person's form from their score page, in Chinese and in English", async () => {
    const page = desk.page;
    await page.goto(`/assess/cycles/${found.annual}/scores`);
    await follow(page, page.locator('#results-table a[href^="/assess/cycles/"]').first());
    await follow(page, page.locator('a.print-link[href$="/form"]'));
    const sheet = page.locator('.form-sheet');
    assert.equal(await sheet.count(), 1);
    assert.equal(await page.locator('.main-nav').isVisible(), true, 'the screen keeps the navigation');
    assert.equal(await page.locator('#print-form').isVisible(), true, 'a print button on screen');
    await screenshot(page, 'form-screen');
    // The button prints through static/app.js (the CSP allows no inline script).
    await page.evaluate(() => {
      window.printed = 0;
      window.print = () => {
        window.printed += 1;
      };
    });
    await page.locator('#print-form').click();
    assert.equal(await page.evaluate(() => window.printed), 1, 'the print button opens printing');
    const pdf = await printToPdf(page, dir, 'form-annual-person');
    assert.equal(pdf.pages, 1);
    await assertPrinted(pdf, sheet, 'the annual form');
    assert.doesNotMatch(pdf.text, /政协机关绩效管理/, 'no navigation or brand on the paper');
    assert.doesNotMatch(pdf.text, /打印|返回/, 'no buttons on the paper');
    await switchLanguage(page);
    const english = await printToPdf(page, dir, 'form-annual-person-en');
    assert.equal(english.pages, 1, 'the English labels still fit one page');
    await assertPrinted(english, page.locator('.form-sheet'), 'the English form');
    assert.match(squeeze(english.text), /AnnualAssessmentRegistrationForm/);
    await switchLanguage(page);
    assertNoProblems(desk.problems);
  });

  step("the 2026 third quarter's routine forms of the department", async () => {
    const page = desk.page;
    await page.goto('/assess/scores');
    const quarter = page.locator('a', { hasText: '2026年第三季度平时考核' }).first();
    const cycle = (await quarter.getAttribute('href')).match(/\/assess\/cycles\/(\d+)\//)[1];
    await page.goto(`/assess/cycles/${cycle}/departments/${found.department}/forms`);
    const sheets = page.locator('.form-sheet');
    const people = await sheets.count();
    assert.ok(people > 1);
    const pdf = await printToPdf(page, dir, 'forms-quarter-batch');
    assert.equal(pdf.pages, people, 'one A4 page per participant');
    await assertPrinted(pdf, sheets, 'the quarterly batch');
    assert.match(pdf.text, /平时考核登记表/);
    assert.match(pdf.text, /述职报告/, "the head's own form asks for a duty report");
    assertNoProblems(desk.problems);
  });

  step("the responsibility letters of the head's own targets and of the department's", async () => {
    const page = desk.page;
    await page.goto('/plan/my');
    const row = page.locator('tr', { hasText: '2026年度考核' });
    await follow(page, row.locator('a[href^="/plan/sets/"]'));
    await follow(page, page.locator('a.print-link[href$="/letter"]'));
    let letter = page.locator('.letter-sheet');
    let pdf = await printToPdf(page, dir, 'letter-person');
    assert.ok(pdf.pages >= 1 && pdf.pages <= 2, `the letter takes ${pdf.pages} pages`);
    await assertPrinted(pdf, letter, "a person's letter");
    assert.match(pdf.text, /目标责任书/);
    assert.match(pdf.text, /甲方/);
    await page.goto('/plan/department');
    const department = page.locator('#department-plans tr', { hasText: '处室目标' });
    await follow(page, department.locator('a[href^="/plan/sets/"]'));
    await follow(page, page.locator('a.print-link[href$="/letter"]'));
    letter = page.locator('.letter-sheet');
    pdf = await printToPdf(page, dir, 'letter-department');
    assert.ok(pdf.pages >= 1 && pdf.pages <= 3, `the letter takes ${pdf.pages} pages`);
    await assertPrinted(pdf, letter, "the department's letter");
    assert.match(pdf.text, /分管领导/);
    await signOut(page);
    assertNoProblems(desk.problems);
  });

  step("the supervision officer prints a red item's notice and its slip", async () => {
    const page = desk.page;
    await signIn(page, 'supervisor');
    await page.goto('/supervision?colour=red');
    await follow(page, page.locator('#supervision-table a[href^="/supervision/"]').first());
    await follow(page, page.locator('a.print-link[href$="/slip"]'));
    assert.equal(await page.locator('#slip-colour').getAttribute('data-colour'), 'red');
    let pdf = await printToPdf(page, dir, 'supervision-notice');
    assert.equal(pdf.pages, 1);
    await assertPrinted(pdf, page.locator('.slip-sheet'), 'the supervision notice');
    assert.match(pdf.text, /督办通知单/);
    assert.match(pdf.text, /红色督办单/, 'the colour is named in words');
    await page.goBack();
    await follow(page, page.locator('a[id^="print-slip-"]').first());
    pdf = await printToPdf(page, dir, 'supervision-slip');
    assert.equal(pdf.pages, 1);
    await assertPrinted(pdf, page.locator('.slip-sheet'), 'the slip');
    await signOut(page);
    assertNoProblems(desk.problems);
  });

  step('the written notice and the QR list print cleanly on A4', async () => {
    const page = desk.page;
    await signIn(page, 'staff');
    await page.goto('/feedback/notices');
    await follow(page, page.locator('#own-notices a[href^="/feedback/notices/"]').first());
    await page.goto(`${pathOf(page)}/print`);
    let pdf = await printToPdf(page, dir, 'notice-letter');
    assert.equal(pdf.pages, 1);
    await assertPrinted(pdf, page.locator('#notice-letter'), 'the written notice');
    assert.doesNotMatch(pdf.text, /政协机关绩效管理/, 'no brand on the letter');
    await signOut(page);
    await signIn(page, 'perf');
    await page.goto('/assess/surveys');
    await follow(page, page.locator('table a[href^="/assess/surveys/"]').first());
    await page.goto(`${pathOf(page)}/links`);
    const cards = page.locator('.link-card');
    assert.ok((await cards.count()) > 0);
    pdf = await printToPdf(page, dir, 'survey-links');
    await assertPrinted(pdf, page.locator('#link-sheet'), 'the QR list');
    await signOut(page);
    assertNoProblems(desk.problems);
  });
});
