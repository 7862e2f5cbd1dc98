// Scripts compared in headless Debian Chromium, after ab_test.py (tests/scripts/run.sh):
// the campaign page lists the variants (A's version 2 running, B stopped), shows what A's
// version 2 changed, and puts B back with a new text; the dashboard says the verdict in
// French with each variant's rates.
// Usage: node page_test.js BASE_URL ARTEFACT_DIR TELEPRO
'use strict';
const path = require('path');
const { execFileSync } = require('child_process');
const { check, launch, signIn, finish } = require('../web/lib');

const [base, out, telepro] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const mia = await signIn(browser, base, 'mia', 'pw-mia-12345');
    const campaigns = JSON.parse(execFileSync(telepro, ['campaign', 'list', '--format', 'json']));
    const id = campaigns.find((c) => c.name === 'AB test').id;
    await mia.goto(base + '/campaigns/' + id);
    await mia.waitForSelector('#scripts');
    const rows = await mia.$$eval('#variants tbody tr', (trs) => trs.map((tr) =>
      [...tr.children].map((td) => td.textContent).join('|')));
    check('the variants, in French', rows.length === 2 && rows[0].startsWith('A|1|2|') && rows[0].endsWith('|en cours') &&
      rows[1].startsWith('B|1|1|21|8 s|arrêté'), rows);
    check('the expected call length beside them', (await mia.textContent('#call-length')).includes('300 s'),
      await mia.textContent('#call-length'));
    await mia.click('details.versions[data-variant="A"] summary');
    await mia.waitForSelector('details.versions[data-variant="A"] li[data-version="2"] pre.diff span.ins');
    const added = await mia.$$eval('details.versions[data-variant="A"] li[data-version="2"] pre.diff span.ins',
      (s) => s.map((x) => x.textContent.trim()));
    check("A's version 2: what it changed (a blank line and Merci !)",
      JSON.stringify(added.sort()) === JSON.stringify(['+', '+ Merci !']), added);
    check("A's version 1: the first", (await mia.textContent('details.versions[data-variant="A"] li[data-version="1"] p'))
      .includes('première version'));

    // B back, with a new text, 30 % of the leads.
    await mia.click('#variant-add');
    const sets = await mia.$$('fieldset.variant');
    check('a blank variant named B', sets.length === 2 &&
      await sets[1].$eval('input[name=variant]', (i) => i.value) === 'B');
    await sets[0].$eval('input[name=weight]', (i) => { i.value = '70'; });
    await sets[1].$eval('input[name=weight]', (i) => { i.value = '30'; });
    await sets[1].$eval('textarea', (x) => { x.value = '## Ouverture\n\nBonjour, {{agent}} de Solaire : une question rapide.\n'; });
    await mia.screenshot({ path: path.join(out, 'campaign-scripts.png'), fullPage: true });
    await Promise.all([mia.waitForNavigation(), mia.click('#scripts-save')]);
    const after = await mia.$$eval('#variants tbody tr', (trs) => trs.map((tr) =>
      [...tr.children].slice(0, 3).map((td) => td.textContent).join('|')));
    check('saved: A 70, B 30 with its version 2, both running', JSON.stringify(after) ===
      JSON.stringify(['A|70|2', 'B|30|2']), after);

    // A refusal says why, beside the form.
    await mia.$eval('fieldset.variant input[name=variant]', (i) => { i.value = 'a b'; });
    await mia.click('#scripts-save');
    await mia.waitForSelector('#scripts-status .error');
    check('a bad name refused in French', (await mia.textContent('#scripts-status')).includes('le nom d'),
      await mia.textContent('#scripts-status'));

    await mia.goto(base + '/dashboard?campaign=' + encodeURIComponent('AB test'));
    await mia.waitForSelector('#scripts-compared');
    const finding = await mia.textContent('#scripts-compared .finding');
    check('the dashboard says the verdict in French', finding.startsWith('arrêter B : 0,'), finding);
    check('each variant with its rates', (await mia.$$('#scripts-compared tbody tr')).length === 2 &&
      /%/.test(await mia.textContent('#scripts-compared tr[data-variant="B"] td[data-rate="relevant_appointment_rate"]')));
    await mia.screenshot({ path: path.join(out, 'dashboard-scripts.png'), fullPage: true });
  } catch (e) {
    check('no exception', false, e.stack);
  } finally {
    await browser.close();
  }
  finish('scripts page');
})();
