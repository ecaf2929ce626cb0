// Shared helpers for the browser journeys: launching Debian's Chromium through
// playwright-core (never Playwright's own browser builds), signing in and out,
// screenshots, and a watch for Content-Security-Policy violations.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || '';
/** Every demo account shares this password. */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'Demo@2026pass';

/** Longest wait for one action or navigation. */
export const ACTION_TIMEOUT = 30_000;
/** Longest run of one journey (node:test `timeout`). */
export const TEST_TIMEOUT = 120_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** An absolute URL on the server under test. */
export function url(pathname) {
  return new URL(pathname, BASE_URL + '/').toString();
}

/**
 * Starts Chromium with a fresh temporary profile and opens one page.
 * Returns { context, page, problems, dialogs, close }: `problems` collects
 * CSP violations and uncaught page errors (see `assertNoProblems`), `dialogs`
 * the messages of confirm/alert dialogs, which are accepted. Downloads are
 * refused unless `acceptDownloads` is set (a journey that checks a file).
 */
export async function launch({
  locale = 'zh-CN',
  viewport = { width: 1280, height: 900 },
  acceptDownloads = false,
} = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'cppcc-perf-browser-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: ACTION_TIMEOUT,
      baseURL: BASE_URL,
      locale,
      viewport,
      acceptDownloads,
      serviceWorkers: 'block',
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = watch(page);
  // Forms marked data-confirm ask through window.confirm; a journey answers yes.
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.accept().catch(() => {});
  });

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    try {
      await withTimeout(context.close(), 15_000, 'closing the browser');
    } finally {
      await rm(userDataDir, { recursive: true, force: true });
    }
  }
  return { context, page, problems, dialogs, close };
}

/** Records CSP violations and uncaught script errors on the page. */
function watch(page) {
  const problems = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (apply|execute|load)/i.test(text)) {
      problems.push(`CSP: ${text}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

/** Fails when the page broke the CSP or threw. */
export function assertNoProblems(problems) {
  assert.deepEqual(problems, [], 'the pages should run without CSP violations or script errors');
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Writes a full-page PNG into SCREENSHOT_DIR, when that is set. */
export async function screenshot(page, name) {
  if (!SCREENSHOT_DIR) return null;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: ACTION_TIMEOUT });
  return file;
}

/** The path of the page's current URL. */
export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/** Waits until the page is at `pathname` (query ignored). */
export async function waitForPath(page, pathname) {
  const wanted = pathname instanceof RegExp ? pathname : new RegExp(`^${escapeRegExp(pathname)}$`);
  await page.waitForURL((u) => wanted.test(new URL(u).pathname), { timeout: ACTION_TIMEOUT });
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Fills the sign-in form and submits it; does not wait for the result. */
export async function submitLogin(page, username, password) {
  if (pathOf(page) !== '/login') {
    await page.goto('/login');
  }
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: ACTION_TIMEOUT }),
    page.locator('form:has(#password) button[type=submit]').click(),
  ]);
}

/** Signs in with a demo account and waits for the home page. */
export async function signIn(page, username, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await submitLogin(page, username, password);
  if (pathOf(page) !== '/') {
    const message = await page.locator('#login-message').textContent().catch(() => null);
    throw new Error(`signing in as ${username} ended on ${page.url()}${message ? `: ${message.trim()}` : ''}`);
  }
}

/** Signs out with the header button and waits for the sign-in page. */
export async function signOut(page) {
  await Promise.all([waitForPath(page, '/login'), page.locator('#sign-out').click()]);
}

/** The `lang` attribute of the current page. */
export async function pageLang(page) {
  return page.locator('html').getAttribute('lang');
}

/** Switches the interface language with the header button and waits for the reload. */
export async function switchLanguage(page) {
  const before = await pageLang(page);
  const here = pathOf(page);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: ACTION_TIMEOUT }),
    page.locator('#lang-switch').click(),
  ]);
  const after = await pageLang(page);
  assert.notEqual(after, before, `the language switch should change html[lang] from ${before}`);
  assert.equal(pathOf(page), here, 'the language switch should come back to the same page');
  return after;
}

/**
 * Makes sure `username`'s remembered language is `lang`: signs in when
 * needed and switches if the page is in the other language. For clean-up.
 */
export async function ensureLanguage(page, username, lang, password = DEMO_PASSWORD) {
  await page.goto('/');
  if (pathOf(page) === '/login') {
    await signIn(page, username, password);
  }
  if ((await pageLang(page)) !== lang) {
    await switchLanguage(page);
  }
  assert.equal(await pageLang(page), lang);
}

/** A suffix that makes names and usernames unique per run. */
export function uniqueSuffix() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36).padStart(2, '0')}`;
}

/** Clicks a submit button and waits for the document that answers the POST. */
export async function submitAndWait(page, button) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document', {
      timeout: ACTION_TIMEOUT,
    }),
    page.waitForNavigation({ waitUntil: 'load', timeout: ACTION_TIMEOUT }),
    button.click(),
  ]);
  return response;
}

/** Follows the main navigation's link to `href`. */
export async function openFromNav(page, href) {
  const link = page.locator(`nav.main-nav a[href="${href}"]`);
  assert.equal(await link.count(), 1, `the navigation links ${href}`);
  await Promise.all([waitForPath(page, href), link.click()]);
}

/** The flash after a POST-redirect: its class and text. */
export async function flash(page) {
  const box = page.locator('.flash');
  await box.waitFor({ state: 'visible' });
  return { error: (await page.locator('.flash.flash-error').count()) > 0, text: (await box.innerText()).trim() };
}

/** The trimmed text of an element. */
export async function text(locator) {
  return (await locator.innerText()).trim();
}

/** Lets a form submit without the browser's own checks, so the server's are seen. */
export async function skipBrowserChecks(form) {
  await form.evaluate((f) => {
    f.noValidate = true;
  });
}

/**
 * A journey's steps, which build on each other: `const step = stepper();`
 * then `step(name, fn)` in place of `it`. After a step fails the rest are
 * skipped rather than each waiting out its own timeouts.
 */
export function stepper() {
  let failedStep = '';
  return function step(name, fn) {
    it(name, async (t) => {
      if (failedStep) {
        t.skip(`skipped after "${failedStep}" failed`);
        return;
      }
      try {
        await fn(t);
      } catch (err) {
        failedStep = name;
        throw err;
      }
    });
  };
}
