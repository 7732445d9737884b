// @ts-check
// /live: the state of the parties as a seat bar and a table, a hex map of the 650 seats and a ticker of declarations,
// for the whole election or any area, kept current by the server-sent events of /v1/elections/{id}/events.
import { el, getJson, fillElectionPicker, formatNumber, formatPercent, formatChange, formatTime, isCorrection, queryParameter, UNDECLARED } from './shared.js';

/** @typedef {import('./shared.js').Tally} Tally */
/** @typedef {import('./shared.js').SeatSummary} SeatSummary */
/** @typedef {import('./shared.js').Change} Change */
/** @typedef {import('./shared.js').Area} Area */
/** @typedef {import('./shared.js').Election} Election */

const SVG = 'http://www.w3.org/2000/svg';
const TICKER_LENGTH = 12;
/** The most steps the time scrubber has: beyond it, the night's publication instants are thinned evenly (the last kept). */
const MAX_SCRUB_STEPS = 2000;

const state = {
  electionId: '',
  areaId: '',
  /** @type {Map<string, { name: string, colour: string }>} */
  parties: new Map(),
  /** @type {Map<string, { hex: SVGPathElement, mark: SVGCircleElement, title: SVGTitleElement, name: string }>} */
  hexes: new Map(),
  /** the boundary set whose hex map is drawn (`2010` or `2024`), '' before the first */
  boundaries: '',
  /** @type {EventSource | null} */
  events: null,
  refreshing: 0,
  /** @type {ReturnType<typeof setTimeout> | null} */
  pending: null,
  /** @type {Set<string> | null} the seats of the chosen area; null for the whole election */
  members: null,
  /** @type {string | null} the instant shown (ISO 8601, `asOf`); null for live */
  asOf: null,
  /** @type {string[]} the scrubber's steps: the night's distinct publication instants (ISO 8601), oldest first */
  instants: [],
  /** @type {TimelineEntry[]} every revision of the election (or the area) in publication order */
  entries: [],
  /** true for a test election (a rehearsal): its ticker reads the night's times (declaredAt), not the real ones */
  isTest: false,
  /** @type {ReturnType<typeof setTimeout> | null} */
  timelinePending: null,
};

/** @typedef {{ cursor: number, publishedAt: string, declaredAt: string | null, code: string, name: string, revision: number, kind: string, status: string, winner: import('./shared.js').Winner | null, result: string | null, gain: boolean }} TimelineEntry */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

async function start() {
  /** @type {{ party: string, partyName: string, shortName: string, colour: string, textColour: string }[]} */
  const parties = await getJson('/v1/parties');
  for (const p of parties) state.parties.set(p.party, { name: p.partyName, colour: p.colour });

  const electionSelect = /** @type {HTMLSelectElement} */ ($('election'));
  await fillElectionPicker(electionSelect, $('notice'));
  electionSelect.addEventListener('change', () => { if (electionSelect.value) selectElection(electionSelect.value, '').catch(report); });
  /** @type {HTMLSelectElement} */ ($('area')).addEventListener('change', (event) => {
    state.areaId = /** @type {HTMLSelectElement} */ (event.target).value;
    remember();
    refresh().then(loadTimeline).then(fillTicker).catch(report);
  });

  const scrubber = /** @type {HTMLInputElement} */ ($('scrubber'));
  scrubber.addEventListener('input', () => scrubTo(scrubber, false));
  scrubber.addEventListener('change', () => scrubTo(scrubber, true));

  if (electionSelect.value) await selectElection(electionSelect.value, queryParameter('area') ?? '');
}

/** @param {string} electionId @param {string} areaId */
async function selectElection(electionId, areaId) {
  state.electionId = electionId;
  await drawMap(electionId);
  /** @type {{ areas: Area[] }} */
  const { areas } = await getJson(`/v1/elections/${encodeURIComponent(electionId)}/areas`);
  const select = /** @type {HTMLSelectElement} */ ($('area'));
  select.replaceChildren(el('option', { value: '' }, 'Whole election'));
  const groups = [['nation', 'Nations'], ['region', 'Regions'], ['county', 'Counties'], ['custom', 'Custom areas']];
  for (const [kind, label] of groups) {
    const members = areas.filter((a) => a.kind === kind && !(kind === 'nation' && a.id === 'uk')).sort((a, b) => a.name.localeCompare(b.name));
    if (members.length === 0) continue;
    const group = el('optgroup', { label });
    for (const a of members) group.append(el('option', { value: a.id }, `${a.name} (${a.seats})`));
    select.append(group);
  }
  state.areaId = areas.some((a) => a.id === areaId) ? areaId : '';
  select.value = state.areaId;
  remember();
  setUpScrubber();
  await refresh();
  await loadTimeline();
  fillTicker();
  listen();
}

/**
 * The time scrubber replays the night: one step per distinct publication instant of the night (at most MAX_SCRUB_STEPS),
 * oldest first, with live as the last position. Each position shows the tally, the map, the table and the ticker as
 * published at that instant (`asOf`). A correction published days later is one more step, not days of empty steps.
 */
function setUpScrubber() {
  state.asOf = null;
  state.instants = [];
  state.entries = [];
  state.isTest = false;
  document.body.toggleAttribute('data-as-of', false);
  $('scrubber-panel').hidden = true;
}

/**
 * Reads the timeline of the election (and of the area): the ticker's revisions and the scrubber's steps. Each read is a
 * 304 when nothing was published since.
 */
async function loadTimeline() {
  const base = `/v1/elections/${encodeURIComponent(state.electionId)}/timeline`;
  const electionId = state.electionId;
  const areaId = state.areaId;
  /** @type {[{ isTest: boolean, entries: TimelineEntry[] }, { entries: TimelineEntry[] } | null]} */
  const [whole, inArea] = await Promise.all([
    getJson(base),
    areaId ? getJson(`${base}?area=${encodeURIComponent(areaId)}`) : Promise.resolve(null),
  ]);
  if (electionId !== state.electionId || areaId !== state.areaId) return;   // the choice changed meanwhile
  state.entries = (inArea ?? whole).entries;
  state.isTest = whole.isTest;
  /** @type {string[]} */
  const instants = [];
  let last = -Infinity;
  for (const entry of whole.entries) {
    const at = Date.parse(entry.publishedAt);
    if (at > last) { instants.push(entry.publishedAt); last = at; }
  }
  state.instants = thin(instants, MAX_SCRUB_STEPS);

  const panel = $('scrubber-panel');
  const scrubber = /** @type {HTMLInputElement} */ ($('scrubber'));
  if (state.instants.length === 0) {
    panel.hidden = true;
    return;
  }
  const wasLive = state.asOf === null;
  scrubber.max = String(state.instants.length);
  if (wasLive) scrubber.value = scrubber.max;
  else scrubber.value = String(Math.max(0, state.instants.findLastIndex((t) => Date.parse(t) <= Date.parse(/** @type {string} */ (state.asOf)))));
  panel.hidden = false;
  showScrubberTime(scrubber);
}

/** At most `limit` of the instants, evenly spread, the first and the last kept. @param {string[]} instants @param {number} limit */
function thin(instants, limit) {
  if (instants.length <= limit) return instants;
  const kept = [];
  for (let i = 0; i < limit; i++) kept.push(instants[Math.round((i * (instants.length - 1)) / (limit - 1))]);
  return kept;
}

/** Re-reads the timeline soon after a change (several changes in a burst make one read). */
function scheduleTimeline() {
  if (state.timelinePending) return;
  state.timelinePending = setTimeout(() => {
    state.timelinePending = null;
    loadTimeline().catch(report);
  }, 1000);
}

/** The instant of the scrubber's position; null at its last position (live). @param {HTMLInputElement} scrubber */
const instantOf = (scrubber) => (scrubber.value === scrubber.max ? null : state.instants[Number(scrubber.value)] ?? null);

/** @param {HTMLInputElement} scrubber */
function showScrubberTime(scrubber) {
  const instant = instantOf(scrubber);
  const text = instant === null ? 'Live'
    : `${formatTime(instant)}, ${new Date(instant).toLocaleDateString('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short' })} (as published then)`;
  $('scrubber-time').textContent = text;
  scrubber.setAttribute('aria-valuetext', text);
}

/** @param {HTMLInputElement} scrubber @param {boolean} settled */
function scrubTo(scrubber, settled) {
  showScrubberTime(scrubber);
  const asOf = instantOf(scrubber);
  if (asOf === state.asOf && !settled) return;
  state.asOf = asOf;
  document.body.toggleAttribute('data-as-of', asOf !== null);
  fillTicker();
  refresh().catch(report);
}

function remember() {
  const query = new URLSearchParams({ election: state.electionId });
  if (state.areaId) query.set('area', state.areaId);
  history.replaceState(null, '', `${location.pathname}?${query}`);
}

/** Re-reads the tally and the seats (each a 304 when unchanged) and redraws. */
async function refresh() {
  const ticket = ++state.refreshing;
  const base = `/v1/elections/${encodeURIComponent(state.electionId)}`;
  const area = state.areaId ? encodeURIComponent(state.areaId) : '';
  // Scrubbed back: the documents as published at that instant.
  const asOf = state.asOf ? `asOf=${encodeURIComponent(state.asOf)}` : '';
  /** @type {[Tally, { constituencies: SeatSummary[] }, { constituencies: SeatSummary[] } | null]} */
  const [tally, all, inArea] = await Promise.all([
    getJson((area ? `${base}/areas/${area}/tally` : `${base}/tally`) + (asOf ? `?${asOf}` : '')),
    getJson(`${base}/constituencies${asOf ? `?${asOf}` : ''}`),
    area ? getJson(`${base}/constituencies?area=${area}${asOf ? `&${asOf}` : ''}`) : Promise.resolve(null),
  ]);
  if (ticket !== state.refreshing) return;   // a newer refresh has started
  for (const p of tally.parties) state.parties.set(p.party, { name: p.partyName, colour: p.colour });
  const members = inArea ? new Set(inArea.constituencies.map((s) => s.code)) : null;
  state.members = members;
  drawHeadline(tally);
  drawParties(tally);
  paintMap(all.constituencies, members);
  drawSeatTable(inArea ? inArea.constituencies : all.constituencies);
}

function scheduleRefresh() {
  if (state.pending) return;
  state.pending = setTimeout(() => {
    state.pending = null;
    refresh().catch(report);
  }, 50);
}


/** @param {string} code */
const colourOf = (code) => state.parties.get(code)?.colour ?? '#999999';

/** What the election-level status reads as on the page (pollers stop at `certified`). */
const STATUS = { notStarted: 'Not started', partial: 'Counting', complete: 'All results in', certified: 'Certified' };

/**
 * The arithmetic of power in one line, from the national tally's per-party `majority` standing: the party that has
 * reached the majority line, or a hung parliament once no party can, or how many seats are still open.
 * @param {Tally} tally
 */
function powerLine(tally) {
  const line = formatNumber(tally.majorityLine);
  const winner = tally.parties.find((p) => p.majority === 'majority');
  if (winner) return `${winner.partyName} majority: ${formatNumber(winner.seats)} seats, ${line} needed`;
  const standing = tally.parties.filter((p) => p.majority !== null && p.majority !== undefined);
  if (tally.declared > 0 && standing.length > 0 && standing.every((p) => p.majority === 'cannotReach')) {
    return `Hung parliament: no party can reach ${line}`;
  }
  return `No majority yet: ${line} needed, ${formatNumber(tally.open)} seats open`;
}

/** @param {Tally} tally */
function drawHeadline(tally) {
  const place = tally.area ? tally.area.name : 'United Kingdom';
  $('title').textContent = `${place}: state of the parties`;
  const remaining = tally.seats - tally.declared;
  $('progress').textContent = `${formatNumber(tally.declared)} of ${formatNumber(tally.seats)} seats declared` +
    (remaining > 0 ? ` · ${formatNumber(remaining)} to come` : ' · all declared');
  $('power').textContent = tally.area ? '' : powerLine(tally);
  $('status').textContent = STATUS[tally.electionStatus] ?? '';
  $('status').dataset.status = tally.electionStatus ?? '';

  const bar = $('seatbar');
  bar.replaceChildren();
  const winners = tally.parties.filter((p) => p.seats > 0);
  for (const p of winners) {
    const segment = el('div', { class: 'segment', 'data-party': p.party, 'data-seats': p.seats, title: `${p.partyName}: ${p.seats}` });
    segment.style.width = `${(100 * p.seats) / Math.max(tally.seats, 1)}%`;
    segment.style.backgroundColor = p.colour;
    if (p.seats / Math.max(tally.seats, 1) > 0.04) {
      segment.append(el('span', { class: `segment-label ${p.textColour === '#000000' ? 'on-light' : ''}` }, `${p.party} ${p.seats}`));
    }
    bar.append(segment);
  }
  if (remaining > 0) {
    const rest = el('div', { class: 'segment undeclared', 'data-party': '', 'data-seats': remaining, title: `Not declared: ${remaining}` });
    rest.style.width = `${(100 * remaining) / Math.max(tally.seats, 1)}%`;
    bar.append(rest);
  }
  bar.setAttribute('aria-label', `Seat bar: ${winners.map((p) => `${p.partyName} ${p.seats}`).join(', ') || 'no seats declared'}` +
    `${remaining > 0 ? `, ${remaining} not declared` : ''}; ${tally.majorityLine} for a majority.`);

  const line = $('majority');
  line.style.left = `${(100 * tally.majorityLine) / Math.max(tally.seats, 1)}%`;
  $('majority-label').textContent = `${formatNumber(tally.majorityLine)} for a majority`;

  const legend = $('bar-legend');
  legend.replaceChildren(...winners.slice(0, 10).map((p) => legendItem(p.colour, `${p.partyName} ${p.seats}`)));
}

/** @param {string} colour @param {string} text @param {string} [kind] */
function legendItem(colour, text, kind = 'swatch') {
  const swatch = el('span', { class: `${kind} ${colour === UNDECLARED ? 'undeclared' : ''}`, 'aria-hidden': 'true' });
  if (kind === 'swatch') swatch.style.backgroundColor = colour;
  return el('li', {}, swatch, text);
}

/** @param {Tally} tally */
function drawParties(tally) {
  const place = tally.area ? tally.area.name : 'United Kingdom';
  $('parties-caption').textContent = `${place}: ${formatNumber(tally.declared)} of ${formatNumber(tally.seats)} seats declared; ` +
    `${formatNumber(tally.majorityLine)} seats make a majority.`;
  const shown = tally.parties.filter((p) => p.seats > 0 || p.gains > 0 || p.losses > 0 || (p.share ?? 0) >= 1);
  const others = tally.parties.filter((p) => !shown.includes(p));
  const body = /** @type {HTMLTableSectionElement} */ ($('parties').querySelector('tbody'));
  const rows = shown.map((p) => {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = p.colour;
    return el('tr', { 'data-party': p.party },
      el('th', { scope: 'row' }, swatch, el('span', { class: 'party-name' }, p.partyName)),
      el('td', { class: 'num strong' }, formatNumber(p.seats)),
      el('td', { class: 'num' }, formatNumber(p.gains)),
      el('td', { class: 'num' }, formatNumber(p.losses)),
      el('td', { class: `num ${p.net > 0 ? 'up' : p.net < 0 ? 'down' : ''}` }, formatChange(p.net, true)),
      el('td', { class: 'num' }, formatPercent(p.share)),
      el('td', { class: 'num' }, formatChange(p.shareChange)));
  });
  if (others.length > 0) {
    const share = others.reduce((sum, p) => sum + (p.share ?? 0), 0);
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = '#999999';
    rows.push(el('tr', { class: 'others' },
      el('th', { scope: 'row' }, swatch, el('span', { class: 'party-name' }, `Others (${others.length} parties)`)),
      el('td', { class: 'num strong' }, formatNumber(others.reduce((sum, p) => sum + p.seats, 0))),
      el('td', { class: 'num' }, '0'), el('td', { class: 'num' }, '0'), el('td', { class: 'num' }, '0'),
      el('td', { class: 'num' }, formatPercent(Math.round(share * 100) / 100)), el('td', { class: 'num' }, '–')));
  }
  body.replaceChildren(...rows);
}

/**
 * Draws the hexes of the election's boundary set (2010–2023 or 2024, from GET .../hexmap: Open Innovations' layouts,
 * odd-r: odd rows, negative ones included, are shifted right by half a hex), once per boundary set: switching between
 * elections on the same boundaries keeps the drawn map.
 * @param {string} electionId
 */
async function drawMap(electionId) {
  /** @type {{ boundaries: string, layout: string, attribution: string, hexes: Record<string, { name: string, q: number, r: number }> }} */
  const layout = await getJson(`/v1/elections/${encodeURIComponent(electionId)}/hexmap`);
  if (layout.boundaries === state.boundaries) return;
  state.boundaries = layout.boundaries;
  state.hexes.clear();
  const width = Math.sqrt(3);
  const points = [[0, -1], [width / 2, -0.5], [width / 2, 0.5], [0, 1], [-width / 2, 0.5], [-width / 2, -0.5]].map(([x, y]) => [x * 0.94, y * 0.94]);
  const svg = /** @type {SVGSVGElement} */ (/** @type {unknown} */ ($('hexmap')));
  svg.replaceChildren();
  svg.setAttribute('data-boundaries', layout.boundaries);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const group = document.createElementNS(SVG, 'g');
  for (const [code, h] of Object.entries(layout.hexes)) {
    const x = h.q * width + ((h.r & 1) === 1 ? width / 2 : 0);   // & is right for negative rows, where % gives −1
    const y = -h.r * 1.5;   // rows count upwards (north)
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    const hex = /** @type {SVGPathElement} */ (document.createElementNS(SVG, 'path'));
    hex.setAttribute('d', `M${points.map(([px, py]) => `${(x + px).toFixed(3)},${(y + py).toFixed(3)}`).join('L')}Z`);
    hex.setAttribute('class', 'hex');
    hex.setAttribute('data-code', code);
    hex.setAttribute('data-party', '');
    hex.setAttribute('fill', UNDECLARED);
    const title = /** @type {SVGTitleElement} */ (document.createElementNS(SVG, 'title'));
    title.textContent = `${h.name}: not declared`;
    hex.append(title);
    const mark = /** @type {SVGCircleElement} */ (document.createElementNS(SVG, 'circle'));
    mark.setAttribute('cx', x.toFixed(3));
    mark.setAttribute('cy', y.toFixed(3));
    mark.setAttribute('r', '0.32');
    mark.setAttribute('class', 'gain-mark');
    mark.setAttribute('aria-hidden', 'true');
    group.append(hex, mark);
    state.hexes.set(code, { hex, mark, title, name: h.name });
  }
  svg.append(group);
  svg.setAttribute('viewBox', `${(minX - 1.2).toFixed(2)} ${(minY - 1.2).toFixed(2)} ${(maxX - minX + 2.4).toFixed(2)} ${(maxY - minY + 2.4).toFixed(2)}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
}

/** @param {SeatSummary[]} seats @param {Set<string> | null} members */
function paintMap(seats, members) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  let undeclared = 0;
  for (const seat of seats) {
    const entry = state.hexes.get(seat.code);
    if (!entry) continue;
    const party = seat.winner?.party ?? '';
    entry.hex.setAttribute('data-party', party);
    entry.hex.setAttribute('fill', party ? colourOf(party) : UNDECLARED);
    entry.hex.classList.toggle('out', members !== null && !members.has(seat.code));
    entry.hex.toggleAttribute('data-gain', seat.gain);
    entry.mark.classList.toggle('shown', seat.gain && (members === null || members.has(seat.code)));
    entry.title.textContent = `${seat.name}: ${seat.result ?? (seat.status === 'recount' ? 'recount' : 'not declared')}`;
    if (members === null || members.has(seat.code)) {
      if (party) counts.set(party, (counts.get(party) ?? 0) + 1); else undeclared++;
    }
  }
  const total = members ? members.size : seats.length;
  $('map-summary').textContent = `Hex map: one hexagon per constituency (${formatNumber(total)} shown${members ? ', the rest faded' : ''}), ` +
    'coloured by the winning party, white with an outline until declared; a white dot marks a seat that changed hands. The same results are in the table below.';
  const legend = $('map-legend');
  const items = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([party, n]) => legendItem(colourOf(party), `${party} ${n}`));
  if (undeclared > 0) items.push(legendItem(UNDECLARED, `Not declared ${undeclared}`));
  items.push(legendItem('', 'Gain', 'gain-swatch'));
  legend.replaceChildren(...items);
}

/** @param {SeatSummary[]} seats */
function drawSeatTable(seats) {
  const body = /** @type {HTMLTableSectionElement} */ ($('seats').querySelector('tbody'));
  body.replaceChildren(...seats.map((s) => el('tr', { 'data-code': s.code },
    el('th', { scope: 'row' }, s.name),
    el('td', {}, s.winner ? `${s.winner.name} (${s.winner.party})` : '–'),
    el('td', {}, s.result ?? (s.status === 'recount' ? 'Recount' : 'Not declared')),
    el('td', { class: 'num' }, formatNumber(s.majority)))));
}

/**
 * The ticker: the latest revisions published in the chosen area, newest first, corrections included (and marked): every
 * published revision is a line, in publication order. Scrubbed back, only what was published by the scrubber's instant.
 */
function fillTicker() {
  const until = state.asOf === null ? Infinity : Date.parse(state.asOf);
  const shown = state.entries.filter((e) => e.kind !== 'nominations' && Date.parse(e.publishedAt) <= until).slice(-TICKER_LENGTH);
  $('ticker').replaceChildren(...shown.reverse().map((entry) => tickerLine(entry, tickerTime(entry, entry.publishedAt), entry.kind === 'corrected', false)));
}

/** A live change: a new line on top of the ticker (unless the scrubber shows the past). @param {Change} change */
async function addToTicker(change) {
  if (state.asOf !== null || change.kind === 'nominations') return;
  if (state.members && !state.members.has(change.code)) return;
  const correction = await isCorrection(state.electionId, change);
  const ticker = $('ticker');
  ticker.querySelector(`li[data-code="${CSS.escape(change.code)}"][data-revision="${change.revision}"]`)?.remove();
  ticker.prepend(tickerLine(change, tickerTime(change, new Date().toISOString()), correction, true));
  while (ticker.children.length > TICKER_LENGTH) ticker.lastElementChild?.remove();
}

/**
 * The time a ticker line shows: when it was published; on a test election, the time of the night it was declared at instead
 * (a replay stamps the source's declaredAt on the rehearsal's night, while it publishes at the real, faster, time).
 * @param {Change | TimelineEntry} item @param {string} publishedAt
 */
function tickerTime(item, publishedAt) {
  return state.isTest && item.declaredAt ? item.declaredAt : publishedAt;
}

/**
 * One line of the ticker: when it was published (see tickerTime), the seat and what was announced.
 * @param {Change | TimelineEntry} item @param {string} publishedAt @param {boolean} correction @param {boolean} fresh
 */
function tickerLine(item, publishedAt, correction, fresh) {
  const party = item.winner?.party ?? '';
  const swatch = el('span', { class: `swatch ${party ? '' : 'undeclared'}`, 'aria-hidden': 'true' });
  swatch.style.backgroundColor = party ? colourOf(party) : UNDECLARED;
  // Statuses beyond declared/recount/uncontested (winner known, postponed, withdrawn) are named when the feed has them.
  const what = item.status === 'recount' ? 'Recount under way'
    : item.status === 'postponed' || item.kind === 'postponed' ? 'Postponed'
    : item.status === 'winnerKnown' ? `${item.winner ? `${item.winner.party} win` : 'Winner known'}, figures to follow`
    : item.status === 'notDeclared' ? 'Result withdrawn'
    : item.result ?? (item.winner ? `${item.winner.party} win` : 'Declared');
  return el('li', { 'data-code': item.code, 'data-revision': item.revision ?? '', 'data-correction': correction ? 'true' : 'false', class: `${fresh ? 'fresh' : ''} ${correction ? 'is-correction' : ''}` },
    el('time', { datetime: publishedAt }, formatTime(publishedAt)),
    swatch,
    el('span', { class: 'ticker-seat' }, item.name),
    el('span', { class: 'ticker-result' }, what),
    correction ? el('span', { class: 'badge correction' }, 'Correction') : null,
    item.gain && !correction ? el('span', { class: 'badge gain' }, 'Gain') : null);
}

/** Follows the change feed; every change adds a ticker line and redraws what it affects. */
function listen() {
  state.events?.close();
  const events = new EventSource(`/v1/elections/${encodeURIComponent(state.electionId)}/events`);
  state.events = events;
  const dot = $('live-dot');
  events.addEventListener('open', () => dot.classList.add('on'));
  events.addEventListener('error', () => dot.classList.remove('on'));
  events.addEventListener('constituency', (event) => {
    /** @type {Change} */
    const change = JSON.parse(/** @type {MessageEvent} */ (event).data);
    scheduleRefresh();
    scheduleTimeline();
    addToTicker(change).catch(report);
  });
}

/** @param {unknown} error */
function report(error) {
  const message = error instanceof Error ? error.message : String(error);
  $('progress').textContent = `Could not update: ${message}. Retrying…`;
  setTimeout(() => refresh().catch(() => {}), 5000);
}

start().catch(report);
