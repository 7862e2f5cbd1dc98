// What the browser tests share: the checks they count, Chromium launched as the project runs
// it (Debian's, headless, no network of its own), and signing in through the login page.
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

let failures = 0, checks = 0;

function check(name, cond, detail) {
  checks++;
  if (!cond) { failures++; console.log('FAIL: ' + name + (detail === undefined ? '' : ' ' + JSON.stringify(detail))); }
}

function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update',
      '--no-first-run', '--disable-sync'],
  });
}

// A new context signed in as login; a dialog (a script run from data) or a script error fails.
async function signIn(browser, base, login, password, lang) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang || 'fr-FR' });
  const page = await context.newPage();
  page.on('dialog', async (d) => { check('no script ever runs from data (dialog: ' + d.message() + ')', false); await d.dismiss(); });
  page.on('pageerror', (e) => check('no script error on ' + page.url(), false, e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.log('console error on ' + page.url() + ': ' + m.text()); });
  await page.goto(base + '/');
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
  return page;
}

// Prints the count and exits 1 on any failure.
function finish(what, extra) {
  console.log(`${what}: ${checks - failures}/${checks} checks passed${extra || ''}`);
  process.exit(failures ? 1 : 0);
}

module.exports = { check, launch, signIn, finish };
