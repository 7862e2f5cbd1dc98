// The webhooks page in headless Debian Chromium (tests/webhooks/run.sh): an admin adds a
// webhook (its secret shown once), finds it listed with its delivery log, sends a test
// event and sees it queued in the log.
// Usage: node page_test.js BASE_URL ARTEFACT_DIR
'use strict';
const path = require('path');
const { check, launch, signIn, finish } = require('../web/lib');

const [base, out] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const ada = await signIn(browser, base, 'ada', 'pw-ada-12345');
    await ada.goto(base + '/webhooks');
    await ada.fill('#hook-url', 'http://127.0.0.1:9/crm');
    await ada.check('#hook-add input[value="appointment.booked"]');
    await ada.click('#hook-add button[type=submit]');
    await ada.waitForSelector('#hook-secret-value');
    check('the secret, shown once', /^whsec_[0-9a-f]{48}$/.test(await ada.textContent('#hook-secret-value')));
    await ada.goto(base + '/webhooks');
    const card = ada.locator('article.hook', { hasText: 'http://127.0.0.1:9/crm' });
    check('listed with its events', (await card.textContent()).includes('appointment.booked'));
    await card.locator('.hook-test').click();
    await ada.waitForFunction(() => [...document.querySelectorAll('.hook-status')].some((s) => s.textContent.includes('Envoyé')));
    await ada.goto(base + '/webhooks');
    const log = await ada.locator('article.hook', { hasText: 'http://127.0.0.1:9/crm' }).locator('table.deliveries tbody tr')
      .allTextContents();
    check('the test in its log', log.some((l) => l.includes('test')), log);
    await ada.screenshot({ path: path.join(out, 'webhooks.png'), fullPage: true });
    const mia = await signIn(browser, base, 'mia', 'pw-mia-12345');
    const res = await mia.goto(base + '/webhooks');
    check('a manager may not see them', res.status() === 403, res.status());
  } catch (e) {
    check('no exception', false, e.stack);
  } finally {
    await browser.close();
  }
  finish('webhooks page');
})();
