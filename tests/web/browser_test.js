// Browser tests of Telepro's pages in headless Debian Chromium (playwright-core).
// Usage: node browser_test.js BASE_URL ARTEFACT_DIR (tests/web/run.sh sets the server up).
// A manager looks at the dashboard; an agent works five calls with the keyboard only (one
// callback, one appointment); sales marks the appointment won; the manager sees the KPIs
// change. Screenshots of the desk, the dashboard and the team screen are saved.
'use strict';
const path = require('path');
const { execFileSync } = require('child_process');
const { check, launch, signIn: signInAt, finish } = require('./lib');

const [base, out] = process.argv.slice(2);
const signIn = (browser, login, password, lang) => signInAt(browser, base, login, password, lang);

// A local date and time as a datetime-local input takes it: days from today at hour:00.
function dayAt(days, hour) {
  const d = new Date(Date.now() + days * 86400000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

async function statusSays(page, text) {
  await page.waitForFunction((t) => document.querySelector('#status').textContent.includes(t), text, { timeout: 5000 });
}

async function tileValue(page, kpi) {
  return (await page.textContent(`.tile[data-kpi="${kpi}"] .value`)).trim();
}

(async () => {
  const browser = await launch();
  try {
    // The manager, before: no call yet.
    const mia = await signIn(browser, 'mia', 'pw-mia-12345');
    check('manager lands on the dashboard', mia.url().endsWith('/dashboard'), mia.url());
    await mia.goto(base + '/dashboard?campaign=' + encodeURIComponent('Web test'));
    check('dashboard before: 0 calls', await tileValue(mia, 'calls') === '0', await tileValue(mia, 'calls'));

    // A wrong password says so, in French.
    const ctx = await browser.newContext({ locale: 'fr-FR' });
    const anon = await ctx.newPage();
    await anon.goto(base + '/login');
    await anon.fill('#login', 'ana');
    await anon.fill('#password', 'wrong-password');
    await Promise.all([anon.waitForNavigation(), anon.press('#password', 'Enter')]);
    check('wrong password message', (await anon.textContent('#login-error')).includes('Identifiant ou mot de passe incorrect'));
    await ctx.close();

    // The agent: five calls, keyboard only.
    const ana = await signIn(browser, 'ana', 'pw-ana-12345');
    check('agent lands on the desk', ana.url().endsWith('/desk'), ana.url());
    await Promise.all([ana.waitForNavigation(), ana.click('text=Web test')]);
    await ana.waitForSelector('#dial');
    const seen = new Set();
    const keys = [['1'], ['2'], ['c', '5'], ['c', '6'], ['3']];  // no answer, busy, callback, appointment, voicemail
    for (let i = 0; i < keys.length; i++) {
      const phone = (await ana.textContent('#dial')).trim();
      check('a new lead each time', !seen.has(phone), phone);
      seen.add(phone);
      const company = (await ana.textContent('#lead-company')).trim();
      if (i === 0) check('why the lead is offered, in French', (await ana.textContent('#lead-why')).includes('nouvelle fiche'));
      if (company.startsWith('<script>')) check('a script tag in data shows as text', company.startsWith('<script>alert(1)</script>'));
      for (const k of keys[i]) await ana.keyboard.press(k);
      if (i === 0) check('calling time counts once a lead is offered', (await ana.textContent('#session-state')).includes('compté'),
        await ana.textContent('#session-state'));
      if (keys[i][1] === '5' || keys[i][1] === '6') {
        // No date nor sales person chosen for the agent: the save says which is missing.
        check('no date offered', await ana.inputValue('#when') === '', await ana.inputValue('#when'));
        await ana.keyboard.press('Enter');
        await statusSays(ana, 'Indiquez une date et une heure.');
        await ana.fill('#when', dayAt(1, 10 + i));
      }
      if (keys[i][1] === '6') {
        check('the appointment asks for a date and a sales person', await ana.isVisible('#when') && await ana.isVisible('#sales'));
        check('no sales person chosen', await ana.inputValue('#sales') === '', await ana.inputValue('#sales'));
        await ana.keyboard.press('Enter');
        await statusSays(ana, 'Choisissez le commercial.');
        await ana.selectOption('#sales', 'sam');
        check('the desk names the field by its label', (await ana.textContent('label[for=q-sector]')) === 'Secteur d\'activité',
          await ana.textContent('label[for=q-sector]'));
        await ana.selectOption('#q-sector', 'services');
        await ana.focus('#note');
        await ana.keyboard.type('Intéressé, rendez-vous pris');
        // Ctrl+Enter saves from the notes, where Enter adds a line.
        await ana.keyboard.press('Control+Enter');
        await ana.waitForFunction((n) => document.querySelector('#status').textContent.startsWith('Enregistré') &&
          document.querySelector('#progress').textContent.includes(n + ' / 40'), i + 1, { timeout: 5000 });
        await ana.waitForFunction((p) => document.querySelector('#dial') &&
          document.querySelector('#dial').textContent.trim() !== p, phone, { timeout: 5000 });
        continue;
      }
      if (i === 0) await ana.screenshot({ path: path.join(out, 'desk.png'), fullPage: true });
      await ana.keyboard.press('Enter');
      await ana.waitForFunction((n) => document.querySelector('#status').textContent.startsWith('Enregistré') &&
        document.querySelector('#progress').textContent.includes(n + ' / 40'), i + 1, { timeout: 5000 });
      // The next lead comes after the save is said: wait for it (a state), or the phone read
      // next would still be this one's.
      await ana.waitForFunction((p) => document.querySelector('#dial') &&
        document.querySelector('#dial').textContent.trim() !== p, phone, { timeout: 5000 });
    }
    // Dialling by hand: may the current lead be called? (the B2B test campaign has no legal rules)
    await ana.fill('#why-lead', '1');
    await ana.press('#why-lead', 'Enter');
    await ana.waitForSelector('#why-verdict');
    const verdict = await ana.textContent('#why-out');
    check('lead 1, a no-answer retried in 2 h, may not be called yet, and the desk says why in French',
      verdict.includes('ne peut pas') && verdict.includes('Prochain appel de la fiche') &&
      verdict.includes('son prochain appel est prévu le') && !/\b(the|is|its|due)\b/.test(verdict), verdict);
    // Or asked by the number given on the phone.
    await ana.fill('#why-lead', '04 78 12 34 01');
    await ana.press('#why-lead', 'Enter');
    await ana.waitForFunction(() => document.querySelector('#why-out').textContent.includes('Prochain appel'));
    check('may I call a number: the same answer', (await ana.textContent('#why-out')).includes('son prochain appel est prévu le'),
      await ana.textContent('#why-out'));
    await ana.fill('#why-lead', '04 99 99 99 99');
    await ana.press('#why-lead', 'Enter');
    await ana.waitForFunction(() => document.querySelector('#why-out').textContent.includes('fiche de cette campagne'));
    // Consents are consumers': a B2B desk has no consent form.
    check('no consent form on a B2B desk', !(await ana.isVisible('#consent-box')));
    // Pause: no calling time; resume.
    await ana.click('#pause');
    await ana.waitForFunction(() => document.querySelector('#session-state').textContent.startsWith('En pause'));
    await ana.click('#pause');
    await ana.waitForFunction(() => document.querySelector('#session-state').textContent.includes('est compté'));
    const progress = await ana.textContent('#progress');
    check('today: 5 calls against 40, 1 appointment against 2', progress.includes('5 / 40') && progress.includes('1 / 2'), progress);
    check('the script is merged', (await ana.textContent('#script')).includes('Je suis ana'), await ana.textContent('#script'));
    check('the call link is a tel: link', (await ana.getAttribute('#dial', 'href')).startsWith('tel:%2B33'));
    await ana.screenshot({ path: path.join(out, 'desk-after.png'), fullPage: true });

    // Sales: my appointments. Tomorrow's cannot be held yet.
    const sam = await signIn(browser, 'sam', 'pw-sam-12345');
    check('sales lands on appointments', sam.url().endsWith('/appointments'), sam.url());
    let cards = await sam.$$('article.appointment');
    check('one appointment for sam', cards.length === 1, cards.length);
    const heading = await sam.textContent('article.appointment h2');
    check('its date written the French way', /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} — /.test(heading), heading);
    // Sales see what the agent learnt: the notes and the qualification answers.
    check('the agent\'s notes on the card', (await sam.textContent('article.appointment .notes')).includes('Intéressé, rendez-vous pris'));
    const answers = await sam.textContent('article.appointment dl.qualification');
    check('the qualification answers on the card, by their French labels', answers.includes('Secteur d\'activité') &&
      answers.includes('services'), answers);
    await sam.selectOption('article.appointment form select[name=status]', 'held');
    await Promise.all([sam.waitForNavigation(), sam.click('article.appointment form button[type=submit]')]);
    check('an appointment to come cannot be held, said in French', (await sam.textContent('main')).includes('il ne peut pas être tenu avant'),
      await sam.textContent('main'));
    // One that took place yesterday (booked the day before by bob): held, relevant, won, 1 500 euros.
    execFileSync(process.env.TELEPRO_BIN, ['call', 'log', '--agent', 'bob', '--campaign', 'Web test', '--result',
      'conversation', '--outcome', 'appointment', '--talk', '300', '--sales', 'sam', '--at', dayAt(-2, 10),
      '--appointment-at', dayAt(-1, 15)]);
    await sam.goto(base + '/appointments');
    cards = await sam.$$('article.appointment');
    check('two appointments for sam', cards.length === 2, cards.length);
    check('to record first, then to come', (await sam.$$eval('article.appointment', (l) => l.map((a) => a.dataset.due)))
      .join() === 'yes,no');
    await sam.screenshot({ path: path.join(out, 'appointments.png'), fullPage: true });
    for (const [show, due] of [['upcoming', 'no'], ['past', 'yes'], ['record', 'yes']]) {
      await sam.goto(base + '/appointments?show=' + show);
      const dues = await sam.$$eval('article.appointment', (l) => l.map((a) => a.dataset.due));
      check('filter ' + show, dues.join() === due, dues);
    }
    await sam.goto(base + '/appointments?show=all&agent=bob');
    check('filter by agent', (await sam.$$('article.appointment')).length === 1 &&
      (await sam.textContent('article.appointment')).includes('bob'));
    await sam.goto(base + '/appointments');
    const pastId = await sam.evaluate(() => [...document.querySelectorAll('article.appointment')]
      .find((a) => a.querySelector('h2').textContent.startsWith(new Date(Date.now() - 86400000).toLocaleDateString('fr-FR'))).id);
    const form = '#' + pastId + ' form';
    await sam.selectOption(form + ' select[name=status]', 'held');
    await sam.selectOption(form + ' select[name=relevant]', 'yes');
    await sam.selectOption(form + ' select[name=result]', 'won');
    await sam.fill(form + ' input[name=amount]', '1500');
    await Promise.all([sam.waitForNavigation(), sam.click(form + ' button[type=submit]')]);
    check('saved', (await sam.textContent('.message.ok')).includes('Enregistré'));
    await sam.goto(base + '/appointments?show=all');
    check('the amount is kept', await sam.inputValue(form + ' input[name=amount]') === '1500,00');

    // The manager, after: the KPIs changed (ana's five calls and bob's of two days ago).
    await mia.reload();
    check('dashboard after: 6 calls', await tileValue(mia, 'calls') === '6', await tileValue(mia, 'calls'));
    check('dashboard after: 3 conversations', await tileValue(mia, 'conversations') === '3');
    check('dashboard after: 2 appointments', await tileValue(mia, 'appointments') === '2');
    check('dashboard after: 1 sale', await tileValue(mia, 'sales') === '1');
    check('contact rate with its denominator', (await mia.textContent('.tile[data-kpi="contact_rate"]')).includes('n = 6'));
    check('calls per hour: too early to say after a few minutes', await tileValue(mia, 'calls_per_hour') === '–',
      await tileValue(mia, 'calls_per_hour'));
    check('the charts are SVG from the server', (await mia.$$('svg.chart')).length >= 4);
    check('what the figures say: too few calls yet, said once', (await mia.$$('section.insights li')).length === 1 &&
      (await mia.textContent('section.insights')).includes('Trop peu d\'appels'), await mia.textContent('section.insights'));
    check('no CLI command on a page', !(await mia.textContent('main')).includes('telepro '));
    check('average conversation as minutes and seconds', /^\d+:\d{2}$/.test(await tileValue(mia, 'avg_conversation_seconds')),
      await tileValue(mia, 'avg_conversation_seconds'));
    check('the heatmap has its legend', (await mia.textContent('#heat-legend')).includes('taux de contact'));
    // Its cells come from the typed groups (ISO weekday, hour): one per weekday and hour called.
    const heatCells = await mia.$$eval('svg.heat rect title', (l) => l.map((t) => t.textContent));
    check('the heatmap places its cells by weekday and hour', heatCells.length >= 1 &&
      heatCells.every((t) => /^(lun|mar|mer|jeu|ven|sam|dim)\.? \d{1,2} h/.test(t)), heatCells);
    const outcomesText = await mia.$$eval('section[aria-labelledby="out-h"] text', (l) => l.map((t) => t.textContent));
    check('outcomes by their labels', outcomesText.includes('Rendez-vous') && outcomesText.includes('Rappel'), outcomesText);
    check('one funnel, the campaign\'s kind', (await mia.$$eval('section.funnel', (l) => l.map((f) => f.dataset.kind)))
      .join() === 'appointment');
    await mia.screenshot({ path: path.join(out, 'dashboard.png'), fullPage: true });
    // Pages that are refused or do not exist look like the others.
    const refused = await ana.goto(base + '/users');
    check('403 in the site\'s layout', refused.status() === 403 && await ana.isVisible('header.top') &&
      (await ana.textContent('main')).includes('Accès refusé'), await ana.textContent('body'));
    const missing = await ana.goto(base + '/nowhere');
    check('404 in the site\'s layout', missing.status() === 404 && await ana.isVisible('header.top') &&
      (await ana.textContent('main')).includes('Page introuvable'), await ana.textContent('body'));
    await ana.goto(base + '/desk');
    await Promise.all([ana.waitForNavigation(), ana.click('text=Web test')]);
    await ana.waitForSelector('#dial');

    const campaignId = await mia.evaluate(async () => (await (await fetch('/api/v1/campaigns')).json())
      .find((c) => c.name === 'Web test').id);

    // The manager imports a file whose company column has a name Telepro does not know:
    // preview, map it, import, read the reject report.
    await mia.goto(base + '/campaigns/' + campaignId);
    const csv = 'Nom de la boîte;Nom;Téléphone;Code postal;Pays\nDelta SARL;Dupuis;04 72 11 22 33;69001;France\n' +
      'Epsilon;Morel;04 72;69002;France\nZeta SA;Noël;04 72 11 22 35;69003;Réunion\n';
    await mia.setInputFiles('#imp-file', { name: 'crm.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
    await mia.waitForSelector('#imp-table');
    check('the preview shows the rows', (await mia.textContent('#imp-table tbody')).includes('Delta SARL'));
    await mia.selectOption('select[data-col="0"]', 'company');
    check('the import asks what to do with contacts of other campaigns, keep by default',
      await mia.inputValue('#imp-existing') === 'keep' && (await mia.$$('#imp-existing option')).length === 3);
    await mia.click('#imp-go');
    await mia.waitForSelector('#imp-summary', { timeout: 10000 });
    const summary = await mia.textContent('#imp-summary');
    check('import summary', summary.includes('Lignes : 3') || summary.includes('Lignes: 3'), summary);
    check('two imported, one rejected', /importées ?: 2/.test(summary) && /rejetées ?: 1/.test(summary), summary);
    const rejects = await mia.textContent('#imp-rejects tbody');
    check('the reject names line 3 and the phone, in French', rejects.includes('3') && rejects.includes('téléphone') &&
      rejects.includes('trop court'), rejects);
    const notes = await mia.textContent('#imp-notes tbody');
    check('the note names line 4: the postcode wins over the country, in French', notes.includes('4') &&
      notes.includes('pays') && notes.includes('le code postal l\'emporte'), notes);
    const exported = await mia.evaluate(async () => (await (await fetch('/api/v1/prospects?campaign=Web%20test&limit=5000')).json()).prospects);
    check('the mapped column became the company', exported.some((p) => p.company === 'Delta SARL' && p.last_name === 'Dupuis'));
    await mia.screenshot({ path: path.join(out, 'import.png'), fullPage: true });

    // The result buttons in reach without scrolling: laptop, tablet, phone.
    const resultsInView = () => ana.evaluate(() => {
      window.scrollTo(0, 0);
      const b = document.querySelector('#results button').getBoundingClientRect();
      return b.top >= 0 && b.bottom <= window.innerHeight;
    });
    for (const [name, w, h] of [['laptop', 1440, 900], ['tablet', 800, 1100], ['phone', 390, 844]]) {
      await ana.setViewportSize({ width: w, height: h });
      check('the result buttons in view without scrolling on a ' + name, await resultsInView());
      check('no horizontal scrolling on a ' + name,
        !(await ana.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)));
      await ana.screenshot({ path: path.join(out, 'desk-' + name + '.png') });
    }
    await ana.setViewportSize({ width: 800, height: 1100 });
    await mia.goto(base + '/team?campaign=' + campaignId);
    await mia.waitForFunction(() => document.querySelectorAll('#team-agents tbody tr').length > 0, null, { timeout: 8000 });
    const row = await mia.textContent('#team-agents tbody tr');
    check('team screen: ana, 5 calls of 40, calling now', row.includes('ana') && row.includes('5 / 40') && row.includes('en appel'), row);
    check('team screen: a green dot for calling', await mia.getAttribute('#team-agents tbody tr', 'data-state') === 'calling');
    // The team screen and the dashboard on a 768 px tablet: nothing wider than the screen.
    await mia.setViewportSize({ width: 768, height: 1024 });
    check('team screen fits 768 px', !(await mia.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)));
    await mia.screenshot({ path: path.join(out, 'team-768.png'), fullPage: true });
    await mia.goto(base + '/dashboard?campaign=' + encodeURIComponent('Web test'));
    check('dashboard fits 768 px', !(await mia.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)),
      await mia.evaluate(() => document.documentElement.scrollWidth));
    await mia.screenshot({ path: path.join(out, 'dashboard-768.png'), fullPage: true });
    await mia.goto(base + '/team?campaign=' + campaignId);
    await mia.setViewportSize({ width: 1280, height: 900 });
    await mia.waitForFunction(() => document.querySelectorAll('#team-agents tbody tr').length > 0, null, { timeout: 8000 });
    await mia.screenshot({ path: path.join(out, 'team.png'), fullPage: true });
    // The agent stops: no calling time from then on, and the team screen says so.
    await ana.click('#stop');
    await ana.waitForFunction(() => document.querySelector('#session-state').textContent.startsWith('Hors appel'));
    await mia.waitForFunction(() => document.querySelector('#team-agents tbody tr').dataset.state === 'out', null,
      { timeout: 8000 });

    // Every user changes their own password on their account page, giving the current one;
    // their other sessions end.
    const sam2 = await signIn(browser, 'sam', 'pw-sam-12345');
    await sam.goto(base + '/account');
    check('my account: who I am', (await sam.textContent('main')).includes('Connecté en tant que sam'));
    await sam.fill('#ac-cur', 'not-my-password');
    await sam.fill('#ac-new', 'pw-sam-67890');
    await Promise.all([sam.waitForNavigation(), sam.press('#ac-new', 'Enter')]);
    check('a wrong current password is refused, said in French', (await sam.textContent('main')).includes('le mot de passe actuel est faux'),
      await sam.textContent('main'));
    await sam.goto(base + '/account');
    await sam.fill('#ac-cur', 'pw-sam-12345');
    await sam.fill('#ac-new', 'pw-sam-67890');
    await Promise.all([sam.waitForNavigation(), sam.press('#ac-new', 'Enter')]);
    check('password changed', (await sam.textContent('.message.ok')).includes('Enregistré'));
    await sam.screenshot({ path: path.join(out, 'account.png'), fullPage: true });
    await sam2.goto(base + '/appointments');
    check('the other session is over', sam2.url().includes('/login'), sam2.url());
    const samAgain = await signIn(browser, 'sam', 'pw-sam-67890');
    check('the new password signs in', samAgain.url().endsWith('/appointments'), samAgain.url());

    // Every page, per role, in French: no English sentence (the data shown aside); then in
    // English: no French one.
    const english = /\b(the|is|are|not|and|with|must|cannot|may|until|yet|which|from|this|that|your|its|per|calls|call|appointment|appointments|lead|leads|outside|inside|between|first|next|day|days|hour|hours|none|only|when|after|before)\b/i;
    const french = /(\b(le|la|les|des|du|est|pas|une|aux|appels|aujourd'hui|tableau|campagne|campagnes|enregistrer|heure|heures|jour|jours|rendez-vous|fiche|fiches|téléprospecteur|commercial)\b|[éèàç])/i;
    const pagesOf = {
      mia: ['/dashboard', '/dashboard?campaign=' + encodeURIComponent('Web test'), '/team?campaign=' + campaignId,
        '/campaigns', '/campaigns/' + campaignId, '/campaigns/new', '/account', '/desk'],
      ana: ['/desk', '/dashboard', '/account'],
      sam2: ['/appointments', '/appointments?show=all', '/dashboard', '/account'],
    };
    const users = { mia, ana, sam2: samAgain };
    const scan = async (page, p, words, lang) => {
      await page.goto(base + p);
      if (p.startsWith('/team')) await page.waitForFunction(() => document.querySelectorAll('#team-agents tbody tr').length > 0);
      if (p === '/desk') {
        const link = await page.$('text=Web test');
        if (link) { await Promise.all([page.waitForNavigation(), link.click()]); await page.waitForSelector('#lead p'); }
      }
      // Text the page writes, without the data it shows (names, scripts, notes, codes of the file).
      const text = await page.evaluate(() => {
        const skip = document.querySelectorAll('#script, #lead, #calls, .notes, .qualification, textarea, input, select[name=agent], select[name=campaign], #team-agents tbody th, .agents tbody th, h1, article.appointment h2, article.appointment p, .who span, section[aria-labelledby="out-h"]');
        skip.forEach((e) => e.setAttribute('data-skip', ''));
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const out = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode())
          if (!n.parentElement.closest('[data-skip], script, style, code, [lang]')) out.push(n.textContent);
        return out.join(' ').replace(/\s+/g, ' ');
      });
      const m = words.exec(text);
      check(`${p}: every word in ${lang}`, !m, m && text.slice(Math.max(0, m.index - 80), m.index + 80));
    };
    for (const [who, paths] of Object.entries(pagesOf))
      for (const p of paths) await scan(users[who], p, english, 'French (' + who + ')');
    // The manager switches to English.
    await mia.goto(base + '/dashboard');
    await Promise.all([mia.waitForNavigation(), mia.click('.who button[value=en]')]);
    check('the manager reads English now', (await mia.textContent('h1')).trim() === 'Dashboard', await mia.textContent('h1'));
    check('the scan sees French when there is', french.test('Appels du jour') && english.test('the next call'));
    for (const p of pagesOf.mia) await scan(mia, p, french, 'English (mia)');
  } finally {
    await browser.close();
  }
  finish('browser', '; screenshots in ' + out);
})().catch((e) => { console.log('FAIL: ' + (e.stack || e)); process.exit(1); });
