// The campaign form round-trips (tests/web/run.sh forms sets up a demo database): every
// campaign of the demo saved from its page unchanged stays the same; one change changes
// that only; a refused save keeps what was typed and says why beside the field; a campaign
// can be renamed and keeps its leads.
// Usage: node forms_test.js BASE_URL ARTEFACT_DIR
'use strict';
const path = require('path');
const { check, launch, signIn, finish } = require('./lib');

const [base, out] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const page = await signIn(browser, base, 'root', 'pw-root-12345');
    const get = (p) => page.evaluate(async (u) => (await fetch(u)).json(), p);
    const campaigns = await get('/api/v1/campaigns');
    check('the demo\'s campaigns and the test\'s', campaigns.length === 4, campaigns.map((c) => c.name));
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    for (const c of campaigns) {
      const before = await get('/api/v1/campaigns/' + c.id);
      await page.goto(base + '/campaigns/' + c.id);
      await Promise.all([page.waitForNavigation(), page.click('form.campaign-form button[type=submit]')]);
      check(c.name + ': saved unchanged', (await page.textContent('main')).includes('Enregistré'),
        (await page.textContent('main')).slice(0, 300));
      const after = await get('/api/v1/campaigns/' + c.id);
      check(c.name + ': nothing changed', same(before, after), [before, after]);
      // One change: that one only.
      const daily = (before.objectives.daily_calls || 40) + 5;
      await page.fill('#c-daily-calls', String(daily));
      await Promise.all([page.waitForNavigation(), page.click('form.campaign-form button[type=submit]')]);
      const changed = await get('/api/v1/campaigns/' + c.id);
      check(c.name + ': the daily calls changed', changed.objectives.daily_calls === daily, changed.objectives);
      check(c.name + ': nothing else', same({ ...changed, objectives: null }, { ...before, objectives: null }));
    }
    // A qualification field named in French and English (the demo's), kept by the round trips.
    const labelled = (await Promise.all(campaigns.map((c) => get('/api/v1/campaigns/' + c.id))))
      .flatMap((c) => c.qualification_fields).find((f) => f.key === 'effectif');
    check('a field\'s labels', labelled && labelled.label_fr === 'Effectif de l\'entreprise' &&
      labelled.label_en === 'Company head count', labelled);
    // Two blocks, one a line, saved back as they are shown.
    const rdv = campaigns.find((c) => c.name === 'RDV PME Rhône');
    await page.goto(base + '/campaigns/' + rdv.id);
    check('two blocks, one a line, days in French', await page.inputValue('#c-block') === 'lun-ven 09:30-11:30\nlun-ven 14:00-16:00',
      await page.inputValue('#c-block'));
    // A refused save: said beside the field, in the form's language, what was typed kept.
    const before = await get('/api/v1/campaigns/' + rdv.id);
    await page.fill('#c-block', 'lun-ven 09:30-11:30\nlun-ven 14h-16h');
    await page.fill('#c-max-attempts', '8');
    await Promise.all([page.waitForNavigation(), page.click('form.campaign-form button[type=submit]')]);
    check('refused: said at the top', (await page.textContent('#form-error')).includes('Non enregistré'),
      await page.textContent('#form-error'));
    check('refused: said beside the blocks, in French', await page.isVisible('#e-block') &&
      await page.getAttribute('#c-block', 'aria-invalid') === 'true' &&
      (await page.textContent('#e-block')).includes('attendu HH:MM-HH:MM'), await page.textContent('main'));
    check('refused: the typed blocks kept', await page.inputValue('#c-block') === 'lun-ven 09:30-11:30\nlun-ven 14h-16h');
    check('refused: the typed attempts kept', await page.inputValue('#c-max-attempts') === '8');
    check('refused: nothing saved', same(before, await get('/api/v1/campaigns/' + rdv.id)));
    await page.screenshot({ path: path.join(out, 'campaign-refused.png'), fullPage: true });
    // Renamed: the same campaign, its leads kept.
    await page.goto(base + '/campaigns/' + rdv.id);
    await page.fill('#c-name', 'RDV PME Lyon');
    await Promise.all([page.waitForNavigation(), page.click('form.campaign-form button[type=submit]')]);
    const renamed = await get('/api/v1/campaigns/' + rdv.id);
    check('renamed', renamed.name === 'RDV PME Lyon' && renamed.leads === before.leads, [renamed.name, renamed.leads]);
    // How it dials: progressive dialing from a mobile is refused beside the number, in French
    // (ARCEP's ranges); from a number of the ranges it is saved, kept in E.164.
    await page.goto(base + '/campaigns/' + rdv.id);
    await page.selectOption('#c-dialing', 'progressive');
    await page.fill('#c-caller-id', '06 12 34 56 78');
    await Promise.all([page.waitForNavigation(), page.click('form.campaign-form button[type=submit]')]);
    check('progressive from a mobile: refused beside the number, in French', await page.isVisible('#e-caller-id') &&
      (await page.textContent('#e-caller-id')).includes('numéro mobile'), await page.textContent('main'));
    check('the typed number kept', await page.inputValue('#c-caller-id') === '06 12 34 56 78');
    await page.fill('#c-caller-id', '01 62 12 34 56');
    await page.fill('#c-ring-timeout', '30');
    await Promise.all([page.waitForNavigation(), page.click('form.campaign-form button[type=submit]')]);
    const dialing = await get('/api/v1/campaigns/' + rdv.id);
    check('progressive from a number of the ranges: saved', dialing.dialing === 'progressive' &&
      dialing.caller_id === '+33162123456' && dialing.ring_timeout_seconds === 30, dialing);
    check('the number shown as people read it', await page.inputValue('#c-caller-id') === '01 62 12 34 56',
      await page.inputValue('#c-caller-id'));
    await page.screenshot({ path: path.join(out, 'campaign-dialing.png'), fullPage: true });
    // The phone that rings for an agent, on the users page.
    await page.goto(base + '/users');
    const row = page.locator('tr', { hasText: 'ana' }).first();
    await row.locator('input[name=phone]').fill('sip:201@pbx.example');
    await Promise.all([page.waitForNavigation(), row.locator('button[type=submit]').click()]);
    const users = await get('/api/v1/users');
    check('the agent\'s phone set on the users page', users.find((u) => u.name === 'ana').phone === 'sip:201@pbx.example',
      users.map((u) => [u.name, u.phone]));
    check('and shown there', (await page.textContent('main')).includes('sip:201@pbx.example'));
  } finally {
    await browser.close();
  }
  finish('forms');
})().catch((e) => { console.log('FAIL: ' + (e.stack || e)); process.exit(1); });
