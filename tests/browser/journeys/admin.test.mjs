// Journey of the system administrator: a new department, a new person in it
// (after a refused first try), and two people imported from a roster CSV.
// Every name is unique per run, so the journey can be repeated on one database.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACTION_TIMEOUT,
  TEST_TIMEOUT,
  assertNoProblems,
  launch,
  pathOf,
  screenshot,
  signIn,
  submitAndWait,
  uniqueSuffix,
  waitForPath,
} from '../lib.mjs';

const run = uniqueSuffix();
const department = `浏览器测试处${run}`;
const person = { username: `bt-${run}`, fullName: `测试人员${run}` };
const imported = [
  { username: `bt-imp1-${run}`, fullName: `导入甲${run}`, identity: '公务员', rank: '一级科员', phone: '13800000001' },
  { username: `bt-imp2-${run}`, fullName: `导入乙${run}`, identity: 'institution', rank: '专技十级', phone: '13800000002' },
];

/** Quotes one CSV field when it needs it. */
function csvField(value) {
  const text = String(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function rosterCsv(departmentName) {
  const header = ['username', 'full_name', 'identity_type', 'rank', 'department', 'phone', 'post'];
  const rows = imported.map((p) => [p.username, p.fullName, p.identity, p.rank, departmentName, p.phone, '']);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

describe('administrator journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;
  let departmentCreated = false;

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
    await signIn(page, 'admin');
  });

  after(async () => {
    if (browser) await browser.close();
  });

  it('adds a department', async () => {
    await page.goto('/org/departments');
    await Promise.all([waitForPath(page, '/org/departments/new'), page.locator('#new-department').click()]);

    await page.locator('#name').fill(department);
    await page.locator('#kind').selectOption('general');
    await page.locator('#sort_order').fill('900');
    await page.locator('#active').setChecked(true);
    await Promise.all([waitForPath(page, '/org/departments'), page.locator('form button.primary').click()]);

    await page.locator('.flash').waitFor({ state: 'visible' });
    const table = page.locator('#departments-table');
    await table.getByText(department, { exact: true }).waitFor({ state: 'visible' });
    departmentCreated = true;
    await screenshot(page, 'departments.png');
  });

  it('adds a person, after the form refuses an empty full name', async () => {
    await page.goto('/org/people/new');
    await page.locator('#username').fill(person.username);
    await page.locator('#full_name').fill('');
    await page.locator('#identity_type').selectOption('civil_servant');
    // The browser would stop the empty required field itself; let the server judge it.
    await page.locator('#full_name').evaluate((input) => {
      input.form.noValidate = true;
    });
    const refused = await submitAndWait(page, page.locator('#person-form button.primary'));
    assert.equal(refused.status(), 422, 'an empty full name is refused with 422');

    const nameField = page.locator('#full_name');
    assert.equal(await nameField.getAttribute('aria-invalid'), 'true', 'the full name is marked invalid');
    const fieldError = page.locator('#full_name + .field-error');
    await fieldError.waitFor({ state: 'visible' });
    assert.ok((await fieldError.innerText()).trim().length > 0, 'the error says what is wrong');
    assert.equal(await page.locator('#username').inputValue(), person.username, 'the typed username is kept');
    await screenshot(page, 'person-form-error.png');

    await nameField.fill(person.fullName);
    await page.locator('#identity_type').selectOption('civil_servant');
    await page.locator('#rank').fill('二级主任科员');
    if (departmentCreated) {
      await page.locator('#department_id').selectOption({ label: department });
    }
    await page.locator('#phone').fill('0571-87000000');
    await page.locator('#active').setChecked(true);
    await page.locator('input[name=roles][value=staff]').setChecked(true);
    const saved = await submitAndWait(page, page.locator('#person-form button.primary'));
    assert.ok(saved.status() < 400, `saving answers ${saved.status()}`);

    await waitForPath(page, /^\/org\/people\/\d+\/edit$/);
    const flash = page.locator('.flash');
    await flash.waitFor({ state: 'visible' });
    assert.match(await flash.innerText(), new RegExp(person.username), 'the flash names the account and its initial password');
    assert.equal(await page.locator('#full_name').inputValue(), person.fullName);
    assert.ok(await page.locator('input[name=roles][value=staff]').isChecked(), 'the staff role was granted');
  });

  it('imports two people from a roster file', async () => {
    const csv = rosterCsv(departmentCreated ? department : '');
    await page.goto('/org/import');
    await page.locator('#roster-file').setInputFiles({
      name: `roster-${run}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    const uploaded = await submitAndWait(page, page.locator('#import-upload'));
    assert.ok(uploaded.status() < 400, `the upload answers ${uploaded.status()}`);

    const preview = page.locator('#import-preview');
    await preview.waitFor({ state: 'visible' });
    const rows = preview.locator('tbody tr');
    assert.equal(await rows.count(), imported.length, 'one preview row per data row');
    for (const p of imported) {
      assert.equal(await rows.filter({ hasText: p.username }).count(), 1, `the preview shows ${p.username}`);
    }
    assert.equal(await preview.locator('.preview-error').count(), 0, 'no row has an error');
    await screenshot(page, 'import-preview.png');

    const committed = await submitAndWait(page, page.locator('#import-commit'));
    assert.ok(committed.status() < 400, `the commit answers ${committed.status()}`);
    await page.locator('.flash').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.flash.flash-error').count(), 0, 'the import did not fail');

    for (const p of imported) {
      await page.goto(`/org/people?q=${encodeURIComponent(p.fullName)}`);
      const row = page.locator('#people-table tbody tr', { hasText: p.fullName });
      await row.first().waitFor({ state: 'visible' });
      assert.equal(await row.count(), 1, `${p.fullName} is listed once`);
      assert.match(await row.innerText(), new RegExp(p.username));
      if (departmentCreated) {
        assert.match(await row.innerText(), new RegExp(department), `${p.fullName} is in the new department`);
      }
    }
    await screenshot(page, 'people-imported.png');
  });

  it('ran without CSP violations or script errors', () => {
    assertNoProblems(browser.problems);
  });
});
