// Calendar feeds on the pages, in headless Debian Chromium (tests/calendar/run.sh): sam's
// "My account" makes his feed's address and shows it; the calendar reads it; he revokes it.
// The users page offers the link for the sales people only; the appointments page a .ics
// for each appointment.
// Usage: node page_test.js BASE_URL ARTEFACT_DIR
'use strict';
const path = require('path');
const { check, launch, signIn, finish } = require('../web/lib');

const [base, out] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const sam = await signIn(browser, base, 'sam', 'pw-sam-12345');
    await sam.goto(base + '/account');
    await sam.click('.calendar-feed .cal-new');
    await sam.waitForSelector('.calendar-feed .cal-url:not([hidden])');
    const url = await sam.$eval('.calendar-feed .cal-url', (i) => i.value);
    check('the address, shown once', /^http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/.test(url), url);
    check('said in French', (await sam.textContent('.calendar-feed .cal-status')).includes("l'ancienne ne fonctionne plus"));
    const first = await sam.evaluate(async (u) => { const r = await fetch(u); return [r.status, await r.text()]; }, url);
    check('a calendar reads it', first[0] === 200 && first[1].startsWith('BEGIN:VCALENDAR') &&
      (first[1].match(/BEGIN:VEVENT/g) || []).length === 3, first[0]);
    await sam.screenshot({ path: path.join(out, 'account-calendar.png'), fullPage: true });
    await sam.click('.calendar-feed .cal-revoke');
    await sam.waitForFunction(() => document.querySelector('.calendar-feed .cal-status').textContent.includes('Révoqué'));
    const gone = await sam.evaluate(async (u) => (await fetch(u)).status, url);
    check('revoked: gone', gone === 404, gone);

    await sam.goto(base + '/appointments?show=upcoming');
    const links = await sam.$$eval('a.ics', (as) => as.map((a) => a.getAttribute('href')));
    check("a .ics for each of sam's appointments", links.length === 3 && links.every((h) => /^\/api\/v1\/appointments\/\d+\/ics$/.test(h)),
      links);

    const ada = await signIn(browser, base, 'ada', 'pw-ada-12345');
    await ada.goto(base + '/users');
    const owners = await ada.$$eval('.calendar-feed', (ds) => ds.map((d) => d.dataset.user).sort());
    check('the users page: a feed for each sales person, no one else', JSON.stringify(owners) === '["sam","zed"]', owners);
  } catch (e) {
    check('no exception', false, e.stack);
  } finally {
    await browser.close();
  }
  finish('calendar pages');
})();
