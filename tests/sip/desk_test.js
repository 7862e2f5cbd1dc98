// The calling desk when Telepro dials, in headless Debian Chromium (tests/sip/run.sh sets
// up the server and SIPp). Kim presses D: the desk says her phone rings, then that she is
// on the line, with the signalling's time; she gives the outcome and saves (the desk hangs
// up first); the call logged has the talk time of the call placed. Her next number is
// busy: Telepro logs it and the desk moves to the next lead by itself.
// Usage: node desk_test.js BASE_URL ARTEFACT_DIR TELEPRO
'use strict';
const path = require('path');
const { execFileSync } = require('child_process');
const { check, launch, signIn, finish } = require('../web/lib');

const [base, out, telepro] = process.argv.slice(2);

async function stateIs(page, state, timeout) {
  await page.waitForFunction((s) => document.querySelector('#dial-state').dataset.state === s, state,
    { timeout: timeout || 15000 });
}

(async () => {
  const browser = await launch();
  let kim;
  try {
    kim = await signIn(browser, base, 'kim', 'pw-kim-12345');
    const campaigns = JSON.parse(execFileSync(telepro, ['campaign', 'list', '--format', 'json']));
    const id = campaigns.find((c) => c.name === 'Dial test').id;
    await kim.goto(base + '/desk?campaign=' + id);
    await kim.waitForSelector('#dial');
    check('the desk offers to call, in French', (await kim.textContent('#dial')).includes('Appeler 04 78 10 00 15'),
      await kim.textContent('#dial'));
    check('the number is a button, not a tel: link', await kim.$eval('#dial', (e) => e.tagName) === 'BUTTON');

    await kim.keyboard.press('d');
    await kim.waitForFunction(() => !document.querySelector('#dial-bar').hidden);
    const first = await kim.textContent('#dial-state');
    check('her phone rings first', /Votre téléphone sonne|Sonnerie chez le prospect|En ligne/.test(first), first);
    await stateIs(kim, 'connected');
    await kim.waitForFunction(() => /En ligne 0:0[1-9]/.test(document.querySelector('#dial-state').textContent));
    check('on the line, with a hang-up button', !(await kim.$eval('#hangup', (e) => e.hidden)),
      await kim.textContent('#dial-state'));
    await kim.screenshot({ path: path.join(out, 'desk-dialing.png'), fullPage: true });

    // The outcome, then save: the desk hangs up first, and the call has the signalling's time.
    await kim.keyboard.press('c');
    await kim.keyboard.press('1');
    await kim.keyboard.press('Enter');
    await kim.waitForFunction(() => document.querySelector('#status').textContent.includes('Enregistré'),
      null, { timeout: 15000 });
    const calls = JSON.parse(execFileSync(telepro, ['kpi', '--campaign', 'Dial test', '--by', 'agent', '--format', 'json']))
      .groups.find((g) => g.key === 'kim');
    check('the conversation is logged for kim', calls && calls.calls === 1 && calls.conversations === 1, calls);
    check('with the talk time of the call placed', calls && calls.talk_seconds >= 1 && calls.talk_seconds <= 6, calls);

    // The next number is busy: logged by Telepro, and the desk moves on by itself.
    await kim.waitForFunction(() => (document.querySelector('#dial') || {}).textContent &&
      document.querySelector('#dial').textContent.includes('04 78 10 00 12'));
    await kim.keyboard.press('d');
    await kim.waitForFunction(() => document.querySelector('#status').textContent.includes('Occupé'), null,
      { timeout: 15000 });
    check('busy: said and logged', (await kim.textContent('#status')).includes('Enregistré (Occupé)'),
      await kim.textContent('#status'));
    await kim.waitForSelector('#no-lead');
    check('then the next lead (none left), the call\'s bar gone', !(await kim.isVisible('#dial-bar')) &&
      !(await kim.isVisible('#hangup')));
    await kim.screenshot({ path: path.join(out, 'desk-busy.png'), fullPage: true });
  } catch (e) {
    check('the desk test ran to its end', false, e.message + (kim ? ' — status: ' +
      await kim.textContent('#status').catch(() => '?') + ' — call: ' + await kim.textContent('#dial-state').catch(() => '?') : ''));
  } finally {
    await browser.close();
  }
  finish('desk (dialing)');
})();
