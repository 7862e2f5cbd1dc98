// The calling desk when Telepro dials, in headless Debian Chromium (tests/sip/run.sh sets
// up the server and SIPp). Kim presses D: the desk says her phone rings, then that she is
// on the line, with the signalling's time; she gives the outcome and saves (the desk hangs
// up first); the call logged has the talk time of the call placed. Her next number is
// busy: Telepro logs it and the desk moves to the next lead by itself. Then pia's desk on a
// progressive campaign: she starts dialing; Telepro logs the busy number and puts her
// through to the next, who answers; she saves the outcome and the line, with nothing left
// to call, says it waits.
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
  let kim, cur;
  try {
    kim = cur = await signIn(browser, base, 'kim', 'pw-kim-12345');
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

    const pia = cur = await signIn(browser, base, 'pia', 'pw-pia-12345');
    const pid = campaigns.find((c) => c.name === 'Progressive test').id;
    await pia.goto(base + '/desk?campaign=' + pid);
    await pia.waitForSelector('#line-start');
    check('a progressive desk offers to start dialing', (await pia.textContent('#line-start')) === 'Lancer la numérotation',
      await pia.textContent('#line-start'));
    await pia.click('#line-start');
    // The busy number comes and goes in a moment (logged by Telepro); the next answers.
    await pia.waitForFunction(() => (document.querySelector('#dial-state') || {}).dataset &&
      document.querySelector('#dial-state').dataset.state === 'connected', null, { timeout: 20000 });
    check('then on the line with the next lead, shown', (await pia.textContent('#dial')).includes('04 78 10 00 65'),
      await pia.textContent('#dial'));
    await pia.screenshot({ path: path.join(out, 'desk-progressive.png'), fullPage: true });
    await pia.keyboard.press('c');
    await pia.keyboard.press('1');
    await pia.keyboard.press('Enter');
    await pia.waitForFunction(() => document.querySelector('#line-state').dataset.state === 'waiting', null,
      { timeout: 20000 });
    const waiting = await pia.textContent('#line-state');
    check('nothing left: the line waits and says why, in French', waiting.startsWith('Numérotation progressive : en attente — rien'),
      waiting);
    const p = JSON.parse(execFileSync(telepro, ['kpi', '--campaign', 'Progressive test', '--by', 'agent', '--format', 'json']))
      .groups.find((g) => g.key === 'pia');
    check('pia: two calls, one conversation', p && p.calls === 2 && p.conversations === 1, p);
    await pia.click('#stop');
    await pia.waitForFunction(() => document.querySelector('#line-state').dataset.state === 'ended', null,
      { timeout: 20000 });

    // The manager's dashboard says how the calls were dialed.
    const mia = cur = await signIn(browser, base, 'mia', 'pw-mia-12345');
    await mia.goto(base + '/dashboard?campaign=' + encodeURIComponent('Dial test'));
    // Ana's seven, leo's one, kim's two; five reached someone.
    const cells = await mia.$$eval('#dialing tr[data-dialing="click"] > *', (c) => c.map((x) => x.textContent));
    check('the dashboard: the click-to-call calls and their connected share', cells[0] === 'clic pour appeler' &&
      cells[1] === '10' && cells[2].startsWith('50,0 %'), cells);
    await mia.screenshot({ path: path.join(out, 'dashboard-dialing.png'), fullPage: true });
  } catch (e) {
    check('the desk test ran to its end', false, e.message + (cur ? ' — status: ' +
      await cur.textContent('#status').catch(() => '?') + ' — call: ' + await cur.textContent('#dial-state').catch(() => '?') +
      ' — line: ' + await cur.textContent('#line-state').catch(() => '?') : ''));
  } finally {
    await browser.close();
  }
  finish('desk (dialing)');
})();
