// Telepro's pages: the calling desk, the team screen and the prospect-file import drive
// the JSON API (docs/API.md) from here. No framework, no build step; loaded with defer.
'use strict';

const $ = (sel, el = document) => el.querySelector(sel);
const csrf = (document.querySelector('meta[name=csrf]') || {}).content || '';
// Translated words come from the page (data-t, made by the server from its catalogue).
let words = {};
const t = (s) => words[s] || s;

async function api(method, path, body, raw) {
  const headers = { 'X-CSRF-Token': csrf };
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api/v1' + path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : (raw ? body : JSON.stringify(body)),
  });
  let json = {};
  try { json = await res.json(); } catch (e) { /* an empty or non-JSON answer */ }
  if (!res.ok) {
    const err = new Error((json.field ? t(json.field) + ' : ' : '') + (json.error || res.statusText));
    err.status = res.status;
    err.confirm = json.confirm === true;   // allowed once the user confirms (a callback at 03:00)
    throw err;
  }
  return json;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v; else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// "2026-12-03 10:00" as the page's language writes it (French: 03/12/2026 10:00).
function fmtWhen(text) {
  const lang = (document.querySelector('meta[name=lang]') || {}).content || 'fr';
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2}(:\d{2})?)$/.exec(text || '');
  return m && lang === 'fr' ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}` : text;
}

function fmtNumber(v, digits) {
  const lang = (document.querySelector('meta[name=lang]') || {}).content || 'fr';
  return Number(v).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits });
}

// A qualification key as a label: "date_projet" reads "Date projet" (keys are the file's words).
const keyLabel = (key) => (key.charAt(0).toUpperCase() + key.slice(1)).replace(/_/g, ' ');
// A qualification field as the desk names it: its label in the page's language, else its key.
function fieldLabel(f) {
  const lang = (document.querySelector('meta[name=lang]') || {}).content || 'fr';
  return (lang === 'en' ? f.label_en : f.label_fr) || keyLabel(f.key);
}

// Calling blocks as the page's language writes their days ("lun-ven 14:00-16:00").
const days = (text) => (text || '').replace(/\b(mon|tue|wed|thu|fri|sat|sun)\b/g, (d) => t(d));

// Why a lead is offered, in the page's language ("retry: attempt 2 of 6" has numbers in it).
function why(reason) {
  const m = /^retry: attempt (\d+) of (\d+)$/.exec(reason || '');
  return m ? t('retry: attempt {n} of {max}').replace('{n}', m[1]).replace('{max}', m[2]) : t(reason || '');
}

// The calling desk ------------------------------------------------------------------------

const RESULTS = [
  ['no_answer', '1'], ['busy', '2'], ['voicemail', '3'], ['gatekeeper', '4'],
  ['wrong_number', '5'], ['invalid_number', '6'], ['conversation', 'C'],
];

function initDesk(root) {
  words = JSON.parse(root.dataset.t || '{}');
  const campaignId = root.dataset.campaignId, campaign = root.dataset.campaign, agent = root.dataset.agent;
  const outcomes = JSON.parse(root.dataset.outcomes || '[]');
  const salesPeople = JSON.parse(root.dataset.sales || '[]');
  // Nobody is chosen for the agent: an appointment names its sales person on purpose.
  $('#sales').append(el('option', { value: '', text: t('Choose…') }));
  for (const s of salesPeople) $('#sales').append(el('option', { value: s, text: s }));
  const lang = (document.querySelector('meta[name=lang]') || {}).content || 'fr';
  let fields = [], lead = null, result = null, outcome = null, started = Date.now(), key = null, busy = false;
  let confirmWhen = false;   // the agent confirmed a date outside the calling hours
  let session = 'none';      // none, calling, paused: calling time counts only while calling
  // Telepro places the calls (docs/TELEPHONY.md): the call placed, as the server last said.
  const dialing = root.dataset.dialing || 'manual';
  let dial = null;           // {id, state, result, ...} of the current lead's call placed

  const status = (msg, bad) => { const s = $('#status'); s.textContent = msg; s.className = bad ? 'bad' : ''; };

  // Result and outcome buttons, each with its key.
  for (const [code, k] of RESULTS) {
    $('#results').append(el('button', { type: 'button', 'data-result': code, 'aria-pressed': 'false',
      'aria-keyshortcuts': k }, el('kbd', { text: k }), t(code)));
  }
  outcomes.forEach((o, i) => {
    $('#outcomes').append(el('button', { type: 'button', 'data-outcome': o.code, 'aria-pressed': 'false',
      'aria-keyshortcuts': i < 9 ? String(i + 1) : null }, i < 9 ? el('kbd', { text: String(i + 1) }) : null,
      lang === 'fr' ? o.label_fr : o.label_en));
  });

  // An outcome by its label in the page's language (the campaign's own ones have theirs).
  const outcomeLabel = (code) => {
    const o = outcomes.find((x) => x.code === code);
    return o ? (lang === 'fr' ? o.label_fr : o.label_en) : t(code);
  };

  function press(box, attr, value) {
    for (const b of box.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset[attr] === value));
  }
  function chooseResult(code) {
    result = code;
    press($('#results'), 'result', code);
    $('#outcome-box').hidden = code !== 'conversation';
    if (code !== 'conversation') chooseOutcome(null);
  }
  function chooseOutcome(code) {
    outcome = code;
    press($('#outcomes'), 'outcome', code);
    const o = outcomes.find((x) => x.code === code);
    const needsWhen = o && (o.callback || o.appointment);
    $('#when-box').hidden = !needsWhen;
    $('#sales-box').hidden = !(o && o.appointment && salesPeople.length);
    // No date is offered: the agent types the one agreed with the prospect.
    if (needsWhen) $('#when-label').textContent = o.appointment ? t('Appointment date and time') : t('Callback date and time');
  }
  $('#when').addEventListener('input', () => { confirmWhen = false; });
  $('#results').addEventListener('click', (e) => { const b = e.target.closest('button'); if (b) chooseResult(b.dataset.result); });
  $('#outcomes').addEventListener('click', (e) => { const b = e.target.closest('button'); if (b) chooseOutcome(b.dataset.outcome); });

  function renderFields(values) {
    const box = $('#qual');
    box.replaceChildren();
    $('#qual-box').hidden = fields.length === 0;
    for (const f of fields) {
      const id = 'q-' + f.key, v = (values || {})[f.key] || '';
      box.append(el('label', { for: id, text: fieldLabel(f) }));
      let input;
      if (f.type === 'choice' || f.type === 'yesno') {
        const choices = f.type === 'yesno' ? ['yes', 'no'] : (f.choices || '').split('|');
        input = el('select', { id, name: f.key }, el('option', { value: '' }));
        for (const c of choices) input.append(el('option', { value: c, selected: c === v, text: f.type === 'yesno' ? t(c) : c }));
      } else {
        input = el('input', { id, name: f.key, value: v, type: f.type === 'date' ? 'date' : 'text',
          inputmode: f.type === 'number' ? 'decimal' : null });
      }
      box.append(input);
    }
  }

  function renderLead(j) {
    const box = $('#lead');
    box.replaceChildren();
    if (!j.lead_id) {
      box.append(el('p', { class: 'muted', id: 'no-lead', text: days(j.reason) || t('No lead to call now.') }),
        el('button', { type: 'button', id: 'retry', text: t('Try again') }));
      $('#retry').addEventListener('click', loadNext);
      $('#script').replaceChildren();
      $('#calls').replaceChildren();
      return;
    }
    const c = j.contact || {}, co = j.company || {};
    const name = [c.civility, c.first_name, c.last_name].filter(Boolean).join(' ');
    const link = root.dataset.callLink.replace('{phone}', encodeURIComponent(j.phone));
    // Telepro dials: a button that has it ring the agent's phone, then the prospect.
    const phone = dialing === 'progressive' ? el('span', { class: 'phone', id: 'dial', text: j.phone_display || j.phone })
      : dialing === 'click'
      ? el('button', { type: 'button', class: 'phone', id: 'dial', 'aria-keyshortcuts': 'D' },
        el('kbd', { text: 'D' }), ' ' + t('Call') + ' ' + (j.phone_display || j.phone))
      : el('a', { class: 'phone', id: 'dial', href: link, 'aria-keyshortcuts': 'D', text: j.phone_display || j.phone });
    box.append(
      el('p', { class: 'company', id: 'lead-company' }, el('strong', { text: co.name || '—' }),
        co.city ? ' · ' + co.city : '', co.sector ? ' · ' + co.sector : ''),
      el('p', { id: 'lead-contact', text: name + (c.role ? ' — ' + c.role : '') }),
      el('p', {}, phone),
      el('p', { class: 'muted', id: 'lead-why', text: t('Attempts') + ': ' + j.attempts + ' · ' + t(j.state) + ' · ' + why(j.reason) }));
    if (dialing === 'click') $('#dial').addEventListener('click', placeCall);
    $('#script').innerHTML = j.script_html || '';  // rendered by the server (cmark, safe mode)
    $('#script').dataset.variant = j.script_variant || '';
    $('#script').dataset.version = j.script_version || '';
    const calls = $('#calls');
    calls.replaceChildren();
    for (const call of j.calls || []) {
      calls.append(el('li', {}, el('strong', { text: fmtWhen(call.at) }), ' ' + t(call.result) +
        (call.outcome ? ' → ' + outcomeLabel(call.outcome) : '') + ' (' + call.agent + ')' + (call.note ? ' — ' + call.note : '')));
    }
    if (!(j.calls || []).length) calls.append(el('li', { class: 'muted', text: t('First call.') }));
    $('#why-lead').value = j.lead_id;   // "may I call?" asks about the current lead unless told another
    renderFields(j.qualification);
  }

  // The call placed: its state followed until it ends (a poll every 400 ms; the server has
  // it from the signalling). A call that reached no conversation is logged by Telepro: the
  // desk moves on; a conversation waits for its outcome, with the signalling's talk time.
  const DIAL_WORDS = { ringing_agent: 'Ringing your phone…', ringing_prospect: 'Ringing the prospect…',
    joining: 'Connecting…', connected: 'On the line' };
  const END_WORDS = { agent_unreachable: 'your phone did not answer: the prospect was not called',
    refused: 'not called: the rules refuse this lead now', failed: 'the call failed on the telephony\'s side',
    interrupted: 'the server stopped during the call' };
  const mmss = (s) => Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  async function placeCall() {
    if (!lead || busy || (dial && dial.state !== 'ended')) return;
    try {
      const j = await api('POST', '/leads/' + lead.lead_id + '/dial', {});
      dial = { id: j.id, state: j.state };
      $('#dial-bar').hidden = false;
      $('#hangup').hidden = false;
      showDial();
      followCall(j.id);
    } catch (e) {
      status(e.message, true);
    }
  }
  function showDial() {
    const d = dial;
    let text = t(DIAL_WORDS[d.state] || 'Call ended');
    if (d.state === 'ringing_prospect' && d.ring_seconds) text += ' ' + d.ring_seconds + ' s';
    if (d.state === 'connected') { text += ' ' + mmss(d.talk_seconds || 0); started = Date.now() - (d.talk_seconds || 0) * 1000; }
    if (d.state === 'ended') {
      text += d.result ? ' : ' + t(d.result) + (d.result === 'conversation' ? ' — ' + t('give the outcome')
        : ' (' + t('logged') + ')') : ' : ' + t(END_WORDS[d.end] || '');
    }
    $('#dial-state').textContent = text;
    $('#dial-state').dataset.state = d.state;
    $('#hangup').hidden = d.state === 'ended';
  }
  async function followCall(id) {
    while (dial && dial.id === id) {
      try {
        dial = await api('GET', '/dialer/' + id);
      } catch (e) {
        status(e.message, true);
        return;
      }
      showDial();
      if (dial.state === 'ended') break;
      await new Promise((r) => setTimeout(r, 400));
    }
    if (!dial || dial.id !== id) return;
    if (dial.result === 'conversation') {
      started = Date.now() - (dial.talk_seconds || 0) * 1000;
      chooseResult('conversation');
    } else if (dial.call_id) {
      // Logged by Telepro (no answer, busy, invalid number): the next lead (progressive:
      // the line dials it, and the desk shows it as it does).
      status(t('Saved') + ' (' + t(dial.result) + ')');
      if (dialing === 'progressive') await loadToday();
      else await nextLead();
    }
  }

  // Progressive dialing: the agent's line, rung once and kept; each call it places is
  // shown with its lead as it starts (the lead the line holds for the agent).
  let lineTimer = null, lineDial = null;
  async function startLine() {
    try {
      if (session === 'none') await startSession();
      await api('POST', '/campaigns/' + campaignId + '/line', {});
      $('#line-start').hidden = true;
      if (!lineTimer) lineTimer = setInterval(followLine, 400);
    } catch (e) {
      status(e.message, true);
    }
  }
  async function followLine() {
    let line;
    try {
      line = await api('GET', '/line');
    } catch (e) {
      return;
    }
    $('#line-state').textContent = t('Progressive dialing:') + ' ' + t('line_' + line.state) +
      (line.reason ? ' — ' + line.reason : '');
    $('#line-state').dataset.state = line.state;
    $('#line-start').hidden = !['none', 'ended'].includes(line.state);
    if (line.dial && line.dial !== lineDial) {
      lineDial = line.dial;
      await nextLead();   // the lead the line dials (held for the agent)
      dial = { id: line.dial, state: 'ringing_prospect' };
      $('#dial-bar').hidden = false;
      showDial();
      followCall(line.dial);
    }
  }
  if (dialing === 'progressive') {
    $('#line-bar').hidden = false;
    $('#line-start').addEventListener('click', startLine);
  }
  async function hangUp() {
    if (!dial || dial.state === 'ended') return;
    await api('POST', '/dialer/' + dial.id + '/hangup', {}).catch((e) => status(e.message, true));
  }
  $('#hangup').addEventListener('click', hangUp);

  // Calling time is counted while the agent calls: from the first lead offered, not while
  // the desk has nothing to call, paused or stopped (docs/CALLING.md, "Calling time").
  async function startSession() {
    await api('POST', '/sessions/start', { campaign }).catch(async (e) => {
      if (e.status !== 409) throw e;
      await api('POST', '/sessions/stop', {});    // one left open here or on another campaign
      await api('POST', '/sessions/start', { campaign });
    });
    setSession('calling');
  }
  async function stopSession() {
    if (session === 'none') return;
    await api('POST', '/sessions/stop', {}).catch((e) => { if (e.status !== 404) throw e; });
    setSession('none');
  }
  function setSession(s) {
    session = s;
    $('#session-state').textContent = s === 'calling' ? t('Calling time is counted.')
      : s === 'paused' ? t('Paused: no calling time is counted.') : t('Not calling: no calling time is counted.');
    $('#session-state').className = 'session ' + s;
    $('#pause').textContent = s === 'paused' ? t('Resume') : t('Pause');
    $('#pause').disabled = s === 'none';
    $('#stop').disabled = s === 'none';
  }

  async function loadNext() {
    lead = null;
    dial = null;
    $('#dial-bar').hidden = true;
    chooseResult(null);
    $('#note').value = '';
    $('#when').value = '';
    $('#sales').value = '';
    confirmWhen = false;
    try {
      const j = await api('POST', '/campaigns/' + campaignId + '/next?script=html', {});
      lead = j.lead_id ? j : null;
      key = lead ? lead.lead_id + '-' + Date.now() + '-' + Math.random().toString(36).slice(2) : null;
      if (lead && session === 'none') await startSession();
      // Progressive: the line waits for a lead and asks again; the session stays open.
      if (!lead && dialing !== 'progressive') await stopSession();
      started = Date.now();
      renderLead(j);
    } catch (e) {
      status(e.message, true);
    }
  }

  // The next lead, the day's figures beside it: the lead is the agent's as soon as it shows
  // (a key works on it at once: the save that asked for it is over), the figures follow
  // when they come (a report, answered on its own: docs/API.md).
  async function nextLead() {
    loadToday();
    await loadNext();
  }

  async function loadToday() {
    try {
      const now = await api('GET', '/campaigns/' + campaignId + '/now');
      const day = now.now.slice(0, 10);
      const k = await api('GET', '/kpi?campaign=' + encodeURIComponent(campaign) + '&agent=' +
        encodeURIComponent(agent) + '&from=' + day + '&to=' + day);
      const tot = k.totals, obj = k.objectives || {};
      const box = $('#progress');
      box.replaceChildren();
      for (const [label, done, target] of [[t('Calls'), tot.calls, obj.daily_calls],
        [t('Conversations'), tot.conversations, null], [t('Appointments'), tot.appointments, obj.daily_appointments]]) {
        const d = el('div', { class: 'stat' }, el('span', { class: 'label', text: label + ' ' }),
          el('strong', { text: target ? done + ' / ' + target.target : String(done) }));
        if (target) d.append(el('meter', { min: '0', max: String(target.target), value: String(done), 'aria-label': label }));
        box.append(d);
      }
      const b = $('#block');
      b.className = 'block ' + (now.in_block ? 'in' : 'out');
      b.textContent = (now.in_block ? t('In a calling block now') : t('Outside the calling blocks')) +
        (now.blocks ? ' (' + days(now.blocks) + ')' : '') + ' · ' + fmtWhen(now.now);
    } catch (e) {
      status(e.message, true);
    }
  }

  async function save() {
    if (busy || !lead) return;
    if (!result) { status(t('Choose a result first.'), true); return; }
    if (result === 'conversation' && !outcome) { status(t('Choose the outcome of the conversation.'), true); return; }
    const o = outcomes.find((x) => x.code === outcome);
    // A call placed still going on is hung up first: its times are the signalling's.
    if (dial && dial.state !== 'ended') {
      await hangUp();
      for (let i = 0; i < 50 && dial && dial.state !== 'ended'; i++) await new Promise((r) => setTimeout(r, 100));
    }
    const placed = dial && dial.state === 'ended' && dial.result === result && !dial.call_id;
    const body = { lead_id: lead.lead_id, result, idempotency_key: key };
    if (placed) body.dial = dial.id;
    // The script version on screen (docs/SCRIPTS.md): the comparison counts the call with it.
    if (lead.script_variant) { body.script_variant = lead.script_variant; body.script_version = lead.script_version; }
    if (result === 'conversation') {
      body.outcome = outcome;
      if (!placed) body.talk = Math.max(1, Math.round((Date.now() - started) / 1000));
    }
    if (o && (o.callback || o.appointment)) {
      const label = o.appointment ? t('Appointment date and time') : t('Callback date and time');
      if (!$('#when').value) { status(label + ' : ' + t('Give a date and time.'), true); $('#when').focus(); return; }
      if (o.appointment && salesPeople.length && !$('#sales').value) {
        status(t('Sales person') + ' : ' + t('Choose the sales person.'), true); $('#sales').focus(); return;
      }
      body[o.appointment ? 'appointment_at' : 'callback_at'] = $('#when').value.replace('T', ' ');
      if (o.appointment && $('#sales').value) body.sales = $('#sales').value;
      if (confirmWhen) body.confirm = true;
    }
    if ($('#note').value.trim()) body.note = $('#note').value.trim();
    const qual = {};
    for (const f of fields) { const v = $('#q-' + f.key).value; if (v) qual[f.key] = v; }
    if (Object.keys(qual).length) body.qualification = qual;
    busy = true;
    $('#save').disabled = true;
    try {
      const r = await api('POST', '/calls', body);
      // The keys work on the next lead at once, whatever field the save came from.
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
      status(t('Saved') + ' (' + t(result) + (outcome ? ' → ' + outcomeLabel(outcome) : '') + ')' +
        (r.appointment_id ? ' · ' + t('appointment') + ' #' + r.appointment_id : ''));
      await nextLead();
    } catch (e) {
      // A date outside the calling hours: said, and kept when the agent saves again.
      if (e.confirm) {
        confirmWhen = true;
        status(e.message + ' — ' + t('Save again to keep it.'), true);
        $('#when').focus();
      } else {
        status(e.message, true);
      }
    } finally {
      busy = false;
      $('#save').disabled = false;
    }
  }

  $('#call').addEventListener('submit', (e) => { e.preventDefault(); save(); });
  // A consumer's consent, recorded for their number (B2C campaigns need one).
  $('#consent').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!lead) return;
    const body = { source: $('#consent-source').value.trim() };
    if ($('#consent-date').value) body.date = $('#consent-date').value;
    if ($('#consent-wording').value.trim()) body.wording = $('#consent-wording').value.trim();
    try {
      await api('POST', '/leads/' + lead.lead_id + '/consent', body);
      $('#consent-status').textContent = t('Saved');
      $('#consent').reset();
    } catch (err) {
      $('#consent-status').textContent = err.message;
    }
  });
  // Dialling by hand: the rules say whether the lead may be called now, and why not.
  $('#why').addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = $('#why-out');
    try {
      // A lead's number, or a phone number as it was given (04 78 12 34 01, +33 ...).
      const asked = $('#why-lead').value.trim();
      const w = /^\d{1,8}$/.test(asked) ? await api('GET', '/leads/' + asked + '/why')
        : await api('GET', '/campaigns/' + campaignId + '/why?phone=' + encodeURIComponent(asked));
      const no = w.rules.filter((v) => !v.ok);
      out.replaceChildren(el('p', { class: w.callable ? 'message ok' : 'message error', id: 'why-verdict',
        text: w.callable ? t('This lead may be called now.') : t('This lead may not be called now:') }));
      if (no.length) {
        out.append(el('ul', {}, ...no.map((v) => el('li', {}, el('strong', { text: v.label || v.rule }), ' ' + v.reason,
          el('br'), el('small', { text: v.source })))));
      }
    } catch (err) {
      out.replaceChildren(el('p', { class: 'message error', text: err.message }));
    }
  });
  $('#pause').addEventListener('click', async () => {
    try {
      await api('POST', session === 'paused' ? '/sessions/resume' : '/sessions/pause', {});
      setSession(session === 'paused' ? 'calling' : 'paused');
    } catch (e) {
      status(e.message, true);
    }
  });
  $('#stop').addEventListener('click', async () => {
    try {
      await stopSession();
      lead = null;
      renderLead({ reason: t('Session ended.') });
    } catch (e) {
      status(e.message, true);
    }
  });
  document.addEventListener('keydown', (e) => {
    // Ctrl+Enter saves from anywhere, the notes included.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.target.closest('#why, #consent')) {
      e.preventDefault();
      save();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = e.target.closest('input, textarea, select');
    if (e.key === 'Enter') {
      if (e.target.closest('textarea, button, #why, #consent')) return;  // a new line, a click, the side forms
      e.preventDefault();
      save();
      return;
    }
    if (typing) return;
    const k = e.key.toLowerCase();
    if (k === 'escape') { chooseResult(null); return; }
    if (k === 'd' && $('#dial')) { $('#dial').click(); if (dialing !== 'click') started = Date.now(); return; }
    if (k === 'c') { chooseResult('conversation'); e.preventDefault(); return; }
    if (/^[1-9]$/.test(k)) {
      e.preventDefault();
      if (result === 'conversation') {
        const o = outcomes[Number(k) - 1];
        if (o) chooseOutcome(o.code);
      } else {
        const r = RESULTS[Number(k) - 1];
        if (r && r[0] !== 'conversation') chooseResult(r[0]);
      }
    }
  });
  setInterval(() => {
    const s = Math.floor((Date.now() - started) / 1000);
    $('#timer').textContent = Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }, 1000);

  (async () => {
    setSession('none');
    try {
      const c = await api('GET', '/campaigns/' + campaignId);
      fields = c.qualification_fields || [];
    } catch (e) {
      status(e.message, true);
    }
    await nextLead();
  })();
}

// The team screen ---------------------------------------------------------------------------

// A rate per hour, null until there is enough calling time to say it (docs/KPI.md).
const perHour = (r) => (r && !r.short ? r.value : null);

function initTeam(root) {
  words = JSON.parse(root.dataset.t || '{}');
  const campaignId = root.dataset.campaignId, campaign = root.dataset.campaign;
  async function refresh() {
    try {
      const now = await api('GET', '/campaigns/' + campaignId + '/now');
      const day = now.now.slice(0, 10);
      const k = await api('GET', '/kpi?campaign=' + encodeURIComponent(campaign) + '&from=' + day + '&to=' + day + '&by=agent');
      const working = await api('GET', '/campaigns/' + campaignId + '/agents-now');
      $('#team-now').textContent = (now.in_block ? t('In a calling block now') : t('Outside the calling blocks')) +
        (now.blocks ? ' (' + days(now.blocks) + ')' : '') + ' · ' + fmtWhen(now.now);
      $('#team-now').className = 'big block ' + (now.in_block ? 'in' : 'out');
      const tot = k.totals, obj = k.objectives || {};
      const tiles = $('#team-totals');
      tiles.replaceChildren();
      // The team's progress: its calls against the target times the agents who called today.
      const goal = (o) => (o && o.team_target ? ' / ' + o.team_target : '');
      for (const [label, v, extra] of [[t('Calls'), tot.calls, goal(obj.daily_calls)],
        [t('Conversations'), tot.conversations, ''], [t('Appointments'), tot.appointments, goal(obj.daily_appointments)],
        [t('Calls per hour'), perHour(tot.calls_per_hour), '']]) {
        tiles.append(el('div', { class: 'tile' }, el('span', { class: 'label', text: label }),
          el('span', { class: 'value', text: (v === null ? '–' : fmtNumber(v, 1)) + extra })));
      }
      const body = $('#team-agents tbody');
      body.replaceChildren();
      const target = (obj.daily_calls || {}).target;
      const active = new Map((working.agents || []).map((a) => [a.agent, a]));
      for (const g of k.groups) {
        const a = active.get(g.key);
        // A coloured dot: calling, paused, idle (an open session without activity), or out.
        const state = a ? a.state : 'out';
        body.append(el('tr', { 'data-state': state }, el('th', { scope: 'row' }, g.key + ' ',
          el('span', { class: 'dot ' + state, 'aria-hidden': 'true', text: '●' }), ' ',
          el('small', { text: t(state === 'out' ? 'not calling' : state) })),
          el('td', { class: target && g.calls >= target ? 'ok-target' : null, text: g.calls + (target ? ' / ' + target : '') }),
          el('td', { text: String(g.conversations) }), el('td', { text: String(g.appointments) }),
          el('td', { text: perHour(g.calls_per_hour) === null ? '–' : fmtNumber(g.calls_per_hour.value, 1) })));
      }
      $('#team-updated').textContent = t('Updated') + ' ' + new Date().toLocaleTimeString();
    } catch (e) {
      $('#team-updated').textContent = e.message;
    }
  }
  refresh();
  setInterval(refresh, 5000);
}

// Prospect-file import: preview, column mapping, upload, reject report -----------------------

function splitCsvLine(line, sep) {
  const out = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

function initImport(box) {
  words = JSON.parse(box.dataset.t || '{}');
  const targets = $('#imp-targets').innerHTML;
  let file = null, headers = [];
  $('#imp-file').addEventListener('change', async (e) => {
    file = e.target.files[0];
    $('#imp-report').replaceChildren();
    if (!file) return;
    const head = await file.slice(0, 65536).arrayBuffer();
    let text = new TextDecoder('utf-8').decode(head);
    box.dataset.latin1 = text.includes('\uFFFD') ? '1' : '';
    if (box.dataset.latin1) text = new TextDecoder('windows-1252').decode(head);
    const lines = text.split(/\r?\n/).filter((l) => l.length).slice(0, 6);
    const first = lines[0] || '';
    const sep = [';', ',', '\t'].sort((a, b) => first.split(b).length - first.split(a).length)[0];
    box.dataset.sep = sep;
    headers = splitCsvLine(first, sep);
    const table = el('table', { id: 'imp-table' });
    const mapRow = el('tr');
    headers.forEach((h, i) => {
      const sel = el('select', { 'aria-label': t('Column') + ' ' + h, 'data-col': String(i) });
      sel.innerHTML = '<option value="">' + t('(recognise)') + '</option>' + targets +
        '<option value="ignore">' + t('ignore') + '</option>';
      mapRow.append(el('td', {}, sel));
    });
    table.append(el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col', text: h }))), mapRow));
    const tb = el('tbody');
    for (const l of lines.slice(1)) tb.append(el('tr', {}, ...splitCsvLine(l, sep).map((v) => el('td', { text: v }))));
    table.append(tb);
    $('#imp-preview').replaceChildren(el('p', { class: 'muted', text: t('First rows of the file; choose a field for the columns that are not recognised.') }), table);
    $('#imp-go').disabled = false;
  });
  $('#imp-go').addEventListener('click', async () => {
    if (!file) return;
    const lines = [];
    for (const sel of box.querySelectorAll('select[data-col]')) {
      if (sel.value) lines.push('"' + headers[Number(sel.dataset.col)].replace(/"/g, '') + '" = ' + sel.value);
    }
    const q = new URLSearchParams({ kind: 'prospects', campaign: box.dataset.campaign, file: file.name,
      delimiter: box.dataset.sep || '' });
    if (box.dataset.latin1) q.set('encoding', 'latin1');
    if (lines.length) q.set('mapping', lines.join('\n') + '\n');
    q.set('existing', $('#imp-existing').value);
    $('#imp-go').disabled = true;
    const report = $('#imp-report');
    report.replaceChildren(el('p', { text: t('Importing…') }));
    try {
      const r = await api('POST', '/imports?' + q.toString(), file, true);
      report.replaceChildren(el('p', { class: 'message ok', id: 'imp-summary', text: t('Rows') + ': ' + r.rows + ' · ' +
        t('imported') + ': ' + r.added + ' · ' + t('duplicates') + ': ' + r.duplicates + ' · ' + t('rejected') + ': ' + r.rejected }));
      if (r.rejects.length) {
        const tb = el('tbody');
        for (const x of r.rejects) tb.append(el('tr', {}, el('td', { text: String(x.line) }), el('td', { text: t(x.field) }), el('td', { text: x.reason })));
        report.append(el('table', { id: 'imp-rejects' }, el('caption', { text: t('Rejected rows') }),
          el('thead', {}, el('tr', {}, el('th', { text: t('Line') }), el('th', { text: t('Field') }), el('th', { text: t('Reason') }))), tb));
      }
      if (r.notes && r.notes.length) {
        const tb = el('tbody');
        for (const x of r.notes) tb.append(el('tr', {}, el('td', { text: String(x.line) }), el('td', { text: t(x.field) }), el('td', { text: x.reason })));
        report.append(el('table', { id: 'imp-notes' }, el('caption', { text: t('Rows kept with a remark') }),
          el('thead', {}, el('tr', {}, el('th', { text: t('Line') }), el('th', { text: t('Field') }), el('th', { text: t('Remark') }))), tb));
      }
    } catch (e) {
      report.replaceChildren(el('p', { class: 'message error', role: 'alert', text: e.message }));
    } finally {
      $('#imp-go').disabled = false;
    }
  });
}

// What changed between two texts, line by line (longest common subsequence): each line of
// the new text kept, added ("+") or removed ("-") — a version's diff on the campaign page.
function lineDiff(before, after) {
  const a = before.split('\n'), b = after.split('\n');
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { out.push([' ', a[i]]); i++; j++; }
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(['+', b[j++]]);
    else out.push(['-', a[i++]]);
  }
  return out;
}

// Scripts compared (docs/SCRIPTS.md) on the campaign page: the variants saved together
// (PUT /campaigns/{id}/scripts), and each variant's versions with what each one changed.
function initScripts(box) {
  words = Object.assign(words, JSON.parse(box.dataset.t || '{}'));
  const id = box.dataset.campaignId, form = $('#scripts-form');
  $('#variant-add').addEventListener('click', () => {
    const f = $('#variant-blank').content.firstElementChild.cloneNode(true);
    const taken = [...form.querySelectorAll('input[name=variant]')].map((x) => x.value);
    f.querySelector('input[name=variant]').value = 'ABCDEFGH'.split('').find((l) => !taken.includes(l)) || '';
    $('#variant-add').before(f);
    f.querySelector('textarea').focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const sets = [...form.querySelectorAll('fieldset.variant')].filter((f) => f.querySelector('textarea').value.trim());
    const body = {
      variants: sets.map((f) => ({ variant: f.querySelector('input[name=variant]').value.trim(),
        text: f.querySelector('textarea').value })),
      weights: sets.map((f) => Number(f.querySelector('input[name=weight]').value) || 1),
      primary: $('#primary').value,
    };
    const status = $('#scripts-status');
    try {
      await api('PUT', '/campaigns/' + id + '/scripts', body);
      status.replaceChildren(el('p', { class: 'message ok', text: t('Saved') }));
      location.reload();
    } catch (err) {
      status.replaceChildren(el('p', { class: 'message error', role: 'alert', text: err.message }));
    }
  });
  for (const d of box.querySelectorAll('details.versions')) {
    d.addEventListener('toggle', async () => {
      if (!d.open || d.dataset.loaded) return;
      d.dataset.loaded = '1';
      const h = await api('GET', '/campaigns/' + id + '/scripts/' + encodeURIComponent(d.dataset.variant) + '/versions');
      const list = el('ul', { class: 'version-list' });
      h.versions.forEach((v, k) => {
        const older = h.versions[k + 1];
        const when = v.created_at ? new Date(v.created_at * 1000).toISOString().slice(0, 16).replace('T', ' ') : '';
        const pre = el('pre', { class: 'diff' });
        for (const [mark, line] of lineDiff(older ? older.text : '', v.text)) {
          if (older && mark === ' ') continue;  // what changed only
          pre.append(el('span', { class: mark === '+' ? 'ins' : mark === '-' ? 'del' : '', text: mark + ' ' + line + '\n' }));
        }
        list.append(el('li', { 'data-version': String(v.version) },
          el('p', { text: 'v' + v.version + (v.author ? ' · ' + v.author : '') + (when ? ' · ' + fmtWhen(when) + ' UTC' : '') +
            (older ? '' : ' · ' + t('first version')) }), pre));
      });
      d.querySelector('div').replaceChildren(list);
    });
  }
}

// A sales person's calendar feed: a new private address, shown once, or revoked.
function initCalendarFeed(box) {
  words = Object.assign(words, JSON.parse(box.dataset.t || '{}'));
  const path = '/users/' + encodeURIComponent(box.dataset.user) + '/calendar';
  const say = (text, error) => {
    box.querySelector('.cal-status').replaceChildren(el('span', { class: error ? 'message error' : 'muted', text }));
  };
  box.querySelector('.cal-new').addEventListener('click', async () => {
    try {
      const j = await api('POST', path, {});
      const input = box.querySelector('.cal-url');
      input.value = j.url;
      input.hidden = false;
      input.select();
      say(t('Copy this address into your calendar; the old one no longer works.'));
    } catch (e) { say(e.message, true); }
  });
  box.querySelector('.cal-revoke').addEventListener('click', async () => {
    try {
      await api('DELETE', path);
      box.querySelector('.cal-url').hidden = true;
      say(t('Revoked: the link no longer works.'));
    } catch (e) { say(e.message, true); }
  });
}

// Webhooks (admins): add one (its secret shown once), test or remove one.
function initWebhooks(box) {
  words = Object.assign(words, JSON.parse(box.dataset.t || '{}'));
  for (const card of box.querySelectorAll('article.hook')) {
    const say = (text, error) => card.querySelector('.hook-status').replaceChildren(
      el('span', { class: error ? 'message error' : 'muted', text }));
    card.querySelector('.hook-test').addEventListener('click', async () => {
      try { await api('POST', '/webhooks/' + card.dataset.hook + '/test', {}); say(t('Sent: see the log below in a moment.')); }
      catch (e) { say(e.message, true); }
    });
    card.querySelector('.hook-remove').addEventListener('click', async () => {
      try { await api('DELETE', '/webhooks/' + card.dataset.hook); location.reload(); } catch (e) { say(e.message, true); }
    });
  }
  $('#hook-add').addEventListener('submit', async (e) => {
    e.preventDefault();
    const events = [...document.querySelectorAll('#hook-add input[name=events]:checked')].map((x) => x.value);
    try {
      const j = await api('POST', '/webhooks', { url: $('#hook-url').value, events });
      $('#hook-secret').replaceChildren(el('span', { text: t('Its secret, shown once: keep it to check the signatures:') + ' ' }),
        el('code', { id: 'hook-secret-value', text: j.secret }));
    } catch (err) {
      $('#hook-secret').replaceChildren(el('span', { class: 'message error', role: 'alert', text: err.message }));
    }
  });
}

document.addEventListener('DOMContentLoaded', () => {
  for (const box of document.querySelectorAll('.calendar-feed')) initCalendarFeed(box);
  if ($('#webhooks')) initWebhooks($('#webhooks'));
  if ($('#desk')) initDesk($('#desk'));
  if ($('#team')) initTeam($('#team'));
  if ($('#import')) initImport($('#import'));
  if ($('#scripts')) initScripts($('#scripts'));
});
