// @ts-check
// /desk: the results desk finds a constituency, types its figures, previews what the server would publish
// (dryRun=true) and publishes it. Corrections send If-Match with the ETag read with the seat; every problem
// document is shown next to the field it names.
import { ApiError, el, fillElectionPicker, getJson, problemOf, formatNumber, formatPercent, queryParameter } from './shared.js';

/** @typedef {import('./shared.js').Seat} Seat */
/** @typedef {import('./shared.js').SeatSummary} SeatSummary */
/** @typedef {import('./shared.js').Problem} Problem */
/** @typedef {import('./shared.js').Election} Election */

const KEY_STORAGE = 'electionResults.apiKey';

const state = {
  electionId: '',
  /** @type {Seat | null} */
  seat: null,
  /** @type {string | null} */
  etag: null,
  searchTicket: 0,
};

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

async function start() {
  const key = input('api-key');
  key.value = sessionStorage.getItem(KEY_STORAGE) ?? '';
  key.addEventListener('input', () => sessionStorage.setItem(KEY_STORAGE, key.value.trim()));

  const select = /** @type {HTMLSelectElement} */ ($('election'));
  state.electionId = await fillElectionPicker(select, $('notice'));
  select.addEventListener('change', () => {
    state.electionId = select.value;
    state.seat = null;
    $('seat-panel').hidden = true;
    search();
  });

  let timer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  input('seat-search').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });

  $('declaration').addEventListener('submit', (event) => {
    event.preventDefault();
    publish();
  });
  $('preview').addEventListener('click', () => preview());
  $('recount').addEventListener('click', () => sendState({ status: 'recount', source: input('source').value, reason: reasonOrNull() }));
  $('postponed').addEventListener('click', () => sendState({ status: 'postponed', source: input('source').value, reason: reasonOrNull() }));
  $('winner-known').addEventListener('click', () => sendState({
    status: 'winnerKnown',
    winnerCandidateId: Number(/** @type {HTMLSelectElement} */ ($('winner')).value) || null,
    declaredAt: declaredAt(),
    source: input('source').value,
    reason: reasonOrNull(),
  }));

  const code = queryParameter('code');
  if (code && state.electionId) await openSeat(code);
}

/** Lists the constituencies whose name has a word starting with what was typed. */
async function search() {
  const text = input('seat-search').value.trim();
  const list = $('seat-results');
  const ticket = ++state.searchTicket;
  if (!state.electionId || !/[\p{L}\p{N}]/u.test(text)) {
    list.replaceChildren();
    return;
  }
  /** @type {{ constituencies: SeatSummary[] }} */
  const found = await getJson(`/v1/elections/${encodeURIComponent(state.electionId)}/constituencies?q=${encodeURIComponent(text.slice(0, 100))}`);
  if (ticket !== state.searchTicket) return;
  const shown = found.constituencies.slice(0, 15);
  list.replaceChildren(...shown.map((s) => el('li', {},
    el('button', { type: 'button', 'data-code': s.code, 'aria-pressed': String(state.seat?.code === s.code) }, s.name))));
  if (found.constituencies.length > shown.length) list.append(el('li', { class: 'hint' }, `and ${found.constituencies.length - shown.length} more: type more of the name`));
  for (const button of list.querySelectorAll('button')) {
    button.addEventListener('click', () => openSeat(/** @type {string} */ (button.getAttribute('data-code'))));
  }
}

/** Reads the seat and its ETag (sent back in If-Match by a correction). @param {string} code */
async function openSeat(code) {
  const response = await fetch(`/v1/elections/${encodeURIComponent(state.electionId)}/constituencies/${encodeURIComponent(code)}`,
    { cache: 'no-cache', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    showProblem(response.status, await problemOf(response));
    return;
  }
  state.etag = response.headers.get('ETag');
  state.seat = await response.json();
  for (const button of $('seat-results').querySelectorAll('button')) {
    button.setAttribute('aria-pressed', String(button.getAttribute('data-code') === code));
  }
  drawSeat(/** @type {Seat} */ (state.seat), true);
  $('seat-panel').hidden = false;
  clearProblems();
}

/** @param {Seat} seat @param {boolean} fill whether to put the current figures in the boxes */
function drawSeat(seat, fill) {
  $('seat-title').textContent = `${seat.name} (${seat.code})`;
  $('seat-meta').textContent = seat.revision
    ? `${seat.status === 'recount' ? 'Recount under way' : seat.result ?? seat.status}, revision ${seat.revision}. Publishing now makes a correction: it needs a reason.`
    : 'Not declared yet.';
  const body = $('candidates');
  body.replaceChildren(...seat.candidates.map((c, i) => {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = c.colour;
    const votes = el('input', {
      type: 'number', id: `votes-${i}`, min: 0, step: 1, inputmode: 'numeric', 'data-candidate-id': c.id,
      'aria-label': `Votes for ${c.name} (${c.partyName})`, 'aria-describedby': `votes-${i}-error`,
      value: fill && c.votes !== null ? c.votes : undefined,
    });
    votes.addEventListener('input', updateTotal);
    return el('tr', { 'data-candidate-id': c.id },
      el('th', { scope: 'row' }, c.name, el('div', { class: 'error', id: `votes-${i}-error` })),
      el('td', {}, swatch, ` ${c.party}`),
      el('td', { class: 'num' }, votes),
      el('td', { class: 'num', id: `share-${i}` }, formatPercent(c.share)));
  }));
  if (fill) {
    input('invalid-votes').value = seat.invalidVotes === null ? '' : String(seat.invalidVotes);
    input('declared-at').value = toLocalInput(seat.declaredAt ?? new Date().toISOString());
    input('reason').value = '';
  }
  const winner = /** @type {HTMLSelectElement} */ ($('winner'));
  winner.replaceChildren(el('option', { value: '' }, 'Choose the winner'), ...seat.candidates.map((c) => el('option', { value: c.id }, `${c.name} (${c.party})`)));
  updateTotal();
}

function updateTotal() {
  let total = 0;
  for (const box of voteInputs()) total += Number(box.value) || 0;
  $('total').textContent = formatNumber(total);
}

const voteInputs = () => /** @type {HTMLInputElement[]} */ ([...$('candidates').querySelectorAll('input[type=number]')]);

/** The desk works in UK time (as /live shows it), whatever the browser's own time zone. */
const ukClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/** The UK wall-clock time of an instant: { year, month, day, hour, minute, second } as numbers. @param {number} ms */
function ukParts(ms) {
  /** @type {Record<string, number>} */
  const parts = {};
  for (const p of ukClock.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts;
}

/** The UK offset from UTC at an instant, in minutes (60 in summer, 0 in winter). @param {number} ms */
function ukOffset(ms) {
  const p = ukParts(ms);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000) / 60000);
}

/** ISO instant → the value of a datetime-local box in UK time. @param {string} iso */
function toLocalInput(iso) {
  const p = ukParts(Date.parse(iso));
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The declaration box's UK time as an ISO 8601 instant with the UK offset then, e.g. 2017-06-09T04:17:00+01:00. */
function declaredAt() {
  const value = input('declared-at').value;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offset of the instant that shows this wall time in the UK (checked twice, for the hour the clocks change).
  let offset = ukOffset(wall - ukOffset(wall) * 60000);
  offset = ukOffset(wall - offset * 60000);
  const sign = offset >= 0 ? '+' : '-';
  const pad = (/** @type {number} */ n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${value.length === 16 ? `${value}:00` : value.slice(0, 19)}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

const reasonOrNull = () => input('reason').value.trim() || null;

function declarationBody() {
  const invalid = input('invalid-votes').value;
  return {
    status: 'declared',
    votes: voteInputs().map((box) => ({ candidateId: Number(box.getAttribute('data-candidate-id')), votes: box.value === '' ? null : Number(box.value) })),
    invalidVotes: invalid === '' ? null : Number(invalid),
    declaredAt: declaredAt(),
    source: input('source').value,
    reason: reasonOrNull(),
  };
}

/**
 * POSTs a declaration for the open seat. A seat that already has a result gets If-Match with the ETag it was read with.
 * @param {object} body @param {boolean} dryRun
 * @returns {Promise<{ status: number, document?: Seat, problem?: Problem, etag?: string | null }>}
 */
async function post(body, dryRun) {
  const seat = /** @type {Seat} */ (state.seat);
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const key = input('api-key').value.trim();
  if (key) headers['X-Api-Key'] = key;
  if (seat.revision && state.etag) headers['If-Match'] = state.etag;
  const url = `/v1/elections/${encodeURIComponent(state.electionId)}/constituencies/${encodeURIComponent(seat.code)}/declarations${dryRun ? '?dryRun=true' : ''}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  if (response.ok) return { status: response.status, document: await response.json(), etag: response.headers.get('ETag') };
  return { status: response.status, problem: await problemOf(response) };
}

async function preview() {
  if (!state.seat) return;
  clearProblems();
  $('published-box').replaceChildren();
  const answer = await post(declarationBody(), true);
  if (!answer.document) {
    showProblem(answer.status, /** @type {Problem} */ (answer.problem));
    return;
  }
  const doc = answer.document;
  doc.candidates.forEach((c) => {
    const index = voteInputs().findIndex((box) => Number(box.getAttribute('data-candidate-id')) === c.id);
    if (index >= 0) $(`share-${index}`).textContent = formatPercent(c.share);
  });
  $('preview-box').replaceChildren(
    el('p', { class: 'preview-result' }, `Preview: ${doc.result ?? 'no result'}`),
    el('p', {}, doc.winner ? `${doc.winner.name} (${doc.winner.party}) elected with a majority of ${formatNumber(doc.majority)} (${formatPercent(doc.majorityPercent)}).` : 'No winner (a tie).'),
    el('p', {}, `Valid votes ${formatNumber(doc.validVotes)}; turnout ${formatPercent(doc.turnout)}. This would be revision ${doc.revision}. Nothing has been published yet.`));
}

async function publish() {
  if (!state.seat) return;
  clearProblems();
  if (state.seat.revision && !reasonOrNull()) {
    showProblem(400, { title: 'A correction needs a reason', errors: { reason: ['Say why this result replaces the published one.'] } });
    return;
  }
  await send(declarationBody());
}

/** Recount, winner known, postponed: the states of issue-free seats that carry no votes. @param {object} body */
async function sendState(body) {
  if (!state.seat) return;
  clearProblems();
  await send(body);
}

/** @param {object} body */
async function send(body) {
  const answer = await post(body, false);
  if (!answer.document) {
    showProblem(answer.status, /** @type {Problem} */ (answer.problem));
    return;
  }
  state.seat = answer.document;
  state.etag = answer.etag ?? null;
  drawSeat(answer.document, true);
  $('preview-box').replaceChildren();
  $('published-box').replaceChildren(el('p', {}, `Published revision ${answer.document.revision}: ${answer.document.result ?? answer.document.status}.`));
}

/** Where a problem's field is shown: `votes[2].votes` next to the third vote box, `reason` under the reason … */
const FIELD_INPUTS = /** @type {Record<string, string>} */ ({
  invalidVotes: 'invalid-votes', declaredAt: 'declared-at', source: 'source', reason: 'reason', winnerCandidateId: 'winner', 'X-Api-Key': 'api-key',
});

function clearProblems() {
  $('general-error').replaceChildren();
  // A new outcome replaces the last one: no green "Published" (or preview) box left beside a refusal.
  $('published-box').replaceChildren();
  $('preview-box').replaceChildren();
  for (const node of document.querySelectorAll('.error')) node.textContent = '';
  for (const node of document.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
}

/** Shows a problem document: each error next to its field, the rest (and 401/403/409/412) at the top. @param {number} status @param {Problem} problem */
function showProblem(status, problem) {
  clearProblems();
  const general = $('general-error');
  /** @type {HTMLElement | null} */
  let first = null;
  for (const [rawField, messages] of Object.entries(problem.errors ?? {})) {
    const field = rawField.replace(/^\$\.?/, '');
    const normal = field.length > 0 ? field[0].toLowerCase() + field.slice(1) : field;
    const vote = /^votes\[(\d+)\]/i.exec(normal);
    /** @type {HTMLElement | null} */
    let target = null;
    /** @type {HTMLElement | null} */
    let box = null;
    if (vote) {
      target = document.getElementById(`votes-${vote[1]}-error`);
      box = document.getElementById(`votes-${vote[1]}`);
    } else {
      const key = FIELD_INPUTS[field] ? field : normal;
      target = document.querySelector(`[data-error-for="${CSS.escape(key)}"]`);
      box = FIELD_INPUTS[key] ? document.getElementById(FIELD_INPUTS[key]) : null;
      if (key === 'votes') box = voteInputs()[0] ?? null;
    }
    if (target) {
      target.textContent = messages.join(' ');
      box?.setAttribute('aria-invalid', 'true');
      first ??= box;
    } else {
      general.append(el('p', {}, `${field}: ${messages.join(' ')}`));
    }
  }
  if (status === 401 || status === 403) {
    $('api-key-error').textContent = problem.detail ?? problem.title ?? 'This key may not do that.';
    input('api-key').setAttribute('aria-invalid', 'true');
    first = input('api-key');
  } else if (status === 412) {
    const reload = el('button', { type: 'button' }, 'Reload the seat');
    reload.addEventListener('click', () => state.seat && openSeat(state.seat.code));
    general.append(el('p', {}, el('strong', {}, 'Someone else has changed this seat since you opened it. '),
      'Nothing was published. Reload it to see what is published now, then enter your figures again.'), reload);
  } else if (!problem.errors || Object.keys(problem.errors).length === 0 || general.childElementCount > 0) {
    general.prepend(el('p', {}, el('strong', {}, `${problem.title ?? 'Refused'} `), problem.detail ?? ''));
  }
  (first ?? general).focus?.();
  if (!first) general.scrollIntoView({ block: 'nearest' });
}

start().catch((/** @type {unknown} */ error) => {
  showProblem(error instanceof ApiError ? error.status : 0, error instanceof ApiError ? error.problem : { title: 'The page could not start', detail: String(error) });
});
