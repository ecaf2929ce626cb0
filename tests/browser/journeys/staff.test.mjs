// Journey of a staff member: a refused sign-in, the to-do list in Chinese and
// in English, signing out. The language is switched back to Chinese at the
// end, since the choice is remembered for the person.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEST_TIMEOUT,
  assertNoProblems,
  ensureLanguage,
  launch,
  pageLang,
  pathOf,
  screenshot,
  signIn,
  signOut,
  submitLogin,
  switchLanguage,
} from '../lib.mjs';

const USERNAME = 'staff';

describe('staff journey', { timeout: TEST_TIMEOUT }, () => {
  let browser;
  let page;
  let name = '';

  before(async () => {
    browser = await launch({ locale: 'zh-CN' });
    page = browser.page;
  });

  after(async () => {
    if (!browser) return;
    try {
      // Leave the account in Chinese even when a step above failed.
      await ensureLanguage(page, USERNAME, 'zh-CN');
    } catch (err) {
      console.error(`could not switch ${USERNAME} back to Chinese: ${err.message}`);
    } finally {
      await browser.close();
    }
  });

  it('refuses a wrong password with a message', async () => {
    await page.goto('/login');
    assert.equal(pathOf(page), '/login');
    await submitLogin(page, USERNAME, 'not-the-password-2026');
    assert.equal(pathOf(page), '/login', 'a refused sign-in stays on the sign-in page');
    const message = page.locator('#login-message');
    await message.waitFor({ state: 'visible' });
    assert.ok((await message.innerText()).trim().length > 0, '#login-message has text');
    assert.equal(await page.locator('#current-user').count(), 0, 'nobody is signed in');
  });

  it('signs in and shows the to-do list in Chinese', async () => {
    await signIn(page, USERNAME);
    assert.equal(pathOf(page), '/');
    assert.equal(await pageLang(page), 'zh-CN');
    assert.equal((await page.locator('h1').first().innerText()).trim(), '我的待办');

    name = (await page.locator('#current-user').innerText()).trim();
    assert.ok(name.length > 0, '#current-user shows the signed-in person');
    assert.ok(await page.locator('#sign-out').isVisible(), 'the sign-out button is shown');
    assert.ok((await page.locator('nav.main-nav a').count()) > 0, 'the navigation has links');

    const items = page.locator('#todo-list li a');
    const empty = page.locator('#todo-empty');
    assert.ok((await items.count()) > 0 || (await empty.count()) === 1, 'a to-do list or its empty state');
    // The demo staff account has never set its own password.
    assert.equal(
      await page.locator('#todo-list li a[href="/account/password"]').count(),
      1,
      'the to-do list asks the person to set a password',
    );

    // The static files are served and took effect under the CSP.
    const styled = await page.evaluate(() => {
      const bar = document.querySelector('.top-bar');
      return bar ? getComputedStyle(bar).backgroundColor : '';
    });
    assert.ok(styled && styled !== 'rgba(0, 0, 0, 0)' && styled !== 'transparent', `app.css is applied (${styled})`);
    const scripts = await page.evaluate(() => ({
      htmx: typeof window.htmx !== 'undefined',
      inlineStyles: document.querySelectorAll('style').length,
    }));
    assert.deepEqual(scripts, { htmx: false, inlineStyles: 0 }, 'no htmx and no inline styles');

    await screenshot(page, 'home-zh.png');
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no sideways scrolling at phone width (overflow ${overflow}px)`);
      await screenshot(page, 'home-zh-phone.png');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('switches to English', async () => {
    assert.equal(await switchLanguage(page), 'en');
    assert.equal(pathOf(page), '/');
    assert.equal((await page.locator('h1').first().innerText()).trim(), 'My to-dos');
    assert.equal((await page.locator('#current-user').innerText()).trim(), name, 'the same person is shown');
    await screenshot(page, 'home-en.png');
  });

  it('signs out, and the home page then asks to sign in', async () => {
    await signOut(page);
    assert.equal(pathOf(page), '/login');
    assert.equal(await page.locator('#current-user').count(), 0);
    await page.goto('/');
    assert.equal(pathOf(page), '/login', 'visiting / after signing out redirects to /login');
  });

  it('remembers English for the person and switches back to Chinese', async () => {
    await signIn(page, USERNAME);
    assert.equal(await pageLang(page), 'en', 'the language choice is remembered');
    assert.equal(await switchLanguage(page), 'zh-CN');
    assert.equal((await page.locator('h1').first().innerText()).trim(), '我的待办');
  });

  it('ran without CSP violations or script errors', () => {
    assertNoProblems(browser.problems);
  });
});
