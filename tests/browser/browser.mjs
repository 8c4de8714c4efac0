// browser.mjs — shared set-up for the browser tests: Debian's Chromium
// through playwright-core, phone-sized pages (390×844) that record every
// console error, page error and CSP violation, and the login steps.
import { chromium } from 'playwright-core';

export const SHOTS = process.env.FANGYI_SHOTS || '/tmp';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// launch starts headless Chromium; close it with browser.close().
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });
}

// Watcher collects what should never happen in a run.  Chromium logs every
// failed fetch as a console error, so API failures the test provokes on
// purpose are listed in `expected` as {path (prefix), status}.
export class Watcher {
  constructor(expected = []) {
    this.expected = expected;
    this.problems = [];
    this.failed = [];
  }

  allowed(url, status) {
    if (!url.includes('/api/v1/')) return false;
    const { pathname } = new URL(url);
    return this.expected.some((e) => pathname.startsWith(e.path)
      && e.status === status);
  }

  attach(page) {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const url = msg.location().url || '';
      const m = msg.text().match(/status of (\d+)/);
      if (m && this.allowed(url, Number(m[1]))) return;
      this.problems.push(`console: ${msg.text()} (${url})`);
    });
    page.on('pageerror', (err) => this.problems.push(`pageerror: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) {
        this.failed.push(`${res.status()} ${res.request().method()} ${res.url()}`);
      }
    });
  }
}

// phonePage opens a new context (own cookies) with a 390×844 touch screen.
// Resolves {ctx, page}.
export function phonePage(browser, watcher) {
  return sizedPage(browser, watcher, { width: 390, height: 844, mobile: true });
}

// sizedPage is phonePage for any screen: {width, height, mobile (a touch
// phone) or not (a desktop)}.
export async function sizedPage(browser, watcher, { width, height, mobile }) {
  const ctx = await browser.newContext({ viewport: { width, height },
    deviceScaleFactor: 1, isMobile: mobile, hasTouch: mobile });
  ctx.setDefaultTimeout(10000);
  // Report CSP violations even where Chromium would not log them.
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await ctx.newPage();
  watcher.attach(page);
  return { ctx, page };
}

// fillLogin types the credentials into the login form and submits.
export async function fillLogin(page, username, password) {
  await page.getByLabel(/^(用户名|Username)$/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.locator('form.login-form button[type=submit]').click();
}

// loginAs opens the app and logs in; resolves once the home page shows.
export async function loginAs(page, url, username, password) {
  await page.goto(url);
  await page.waitForURL(/#\/login$/);
  await fillLogin(page, username, password);
  await page.locator('.home').waitFor();
}

// signedInPhone launches a browser with a phone page (phonePage) signed in
// to url as username.  Resolves {browser, ctx, page}; when the sign-in
// fails the browser is closed before the error goes on.
export async function signedInPhone(watcher, url, username, password) {
  const browser = await launch();
  try {
    const { ctx, page } = await phonePage(browser, watcher);
    await loginAs(page, url, username, password);
    return { browser, ctx, page };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
