// @ts-check
// Helpers shared by /live and /desk: fetching documents from this service, building elements, formatting.
// Plain JavaScript (ES modules) with JSDoc types, served as is: no build step.

/**
 * @typedef {{ id: string, name: string, pollingDay: string, kind: string, previousElectionId: string | null, isTest: boolean }} Election
 * @typedef {{ id: string, name: string, kind: string, seats: number }} Area
 * @typedef {{ party: string, partyName: string, shortName: string, colour: string, textColour: string, seats: number, gains: number, losses: number, net: number, votes: number, share: number | null, shareChange: number | null, parties: string[] | null, majority: 'majority' | 'canReach' | 'cannotReach' | null }} TallyParty
 * @typedef {{ electionId: string, area: { id: string, name: string, kind: string } | null, seats: number, declared: number, majorityLine: number, open: number, electionStatus: 'notStarted' | 'partial' | 'complete' | 'certified', parties: TallyParty[] }} Tally
 * @typedef {{ name: string, party: string, partyName: string, shortName: string, colour: string, textColour: string }} Winner
 * @typedef {{ code: string, name: string, status: string, revision: number | null, declaredAt: string | null, winner: Winner | null, majority: number | null, result: string | null, gain: boolean, previousWinnerParty: string | null }} SeatSummary
 * @typedef {{ id: number, name: string, party: string, partyName: string, shortName: string, colour: string, textColour: string, votes: number | null, share: number | null, shareChange: number | null, elected: boolean }} Candidate
 * @typedef {{ code: string, name: string, status: string, revision: number | null, declaredAt: string | null, electorate: number | null, validVotes: number | null, invalidVotes: number | null, turnout: number | null, candidates: Candidate[], winner: Winner | null, majority: number | null, majorityPercent: number | null, result: string | null, gain: boolean, previousWinnerParty: string | null }} Seat
 * @typedef {{ cursor: number, code: string, name: string, status: string, revision: number, declaredAt: string | null, winner: Winner | null, result: string | null, gain: boolean, kind?: string, reason?: string | null }} Change
 * @typedef {{ type?: string, title?: string, status?: number, detail?: string, errors?: Record<string, string[]> }} Problem
 */

/** A failed request, with the problem document the service answered. */
export class ApiError extends Error {
  /** @param {number} status @param {Problem} problem */
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * GET a JSON document. The browser revalidates with the ETag it holds (If-None-Match), so an unchanged document is a 304.
 * @template T
 * @param {string} url
 * @returns {Promise<T>}
 */
export async function getJson(url) {
  const response = await fetch(url, { cache: 'no-cache', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.json();
}

/** @param {Response} response @returns {Promise<Problem>} */
export async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { status: response.status, title: response.statusText };
  }
}

/**
 * Creates an element. Attributes whose value is null, undefined or false are left out.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attributes]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const numbers = new Intl.NumberFormat('en-GB');
const decimals = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });

/** @param {number | null | undefined} n */
export const formatNumber = (n) => (n === null || n === undefined ? '–' : numbers.format(n));

/** @param {number | null | undefined} n */
export const formatPercent = (n) => (n === null || n === undefined ? '–' : `${decimals.format(n)}%`);

/** Signed change: +5.5, −1.7 (a real minus sign), or – when unknown. @param {number | null | undefined} n @param {boolean} [asInteger] */
export function formatChange(n, asInteger = false) {
  if (n === null || n === undefined) return '–';
  if (!asInteger) n = Math.round(n * 10) / 10;   // −0.01 shows as 0.0, not −0.0
  const text = asInteger ? numbers.format(Math.abs(n)) : decimals.format(Math.abs(n));
  return n > 0 ? `+${text}` : n < 0 ? `\u2212${text}` : asInteger ? '0' : text;
}

/** UK clock time of an ISO instant ("04:17"). @param {string | null | undefined} iso */
export const formatTime = (iso) => (iso ? clock.format(new Date(iso)) : '');

/**
 * The colour for undeclared seats and empty space: near-white (drawn with an outline on the map), so that no party
 * colour is close to it; Independent grey (#B0B0B0) and the light greys of small parties were hard to tell from the
 * old light grey.
 */
export const UNDECLARED = '#fbfcfd';

/**
 * True when a change-feed item is a correction. Items that say what they are (`kind`) are taken at their word; older
 * items are corrections when they are a later revision of a declared result that gives a reason (fetched from the
 * seat's revisions when the item does not carry it).
 * @param {string} electionId
 * @param {Change | SeatSummary} item
 */
export async function isCorrection(electionId, item) {
  if ('kind' in item && typeof item.kind === 'string') return item.kind === 'corrected';
  if (!item.revision || item.revision < 2 || item.status !== 'declared') return false;
  if ('reason' in item && item.reason !== undefined) return !!item.reason;
  try {
    /** @type {{ revisions: { revision: number, reason: string | null }[] }} */
    const list = await getJson(`/v1/elections/${encodeURIComponent(electionId)}/constituencies/${encodeURIComponent(item.code)}/revisions`);
    const current = list.revisions.find((r) => r.revision === item.revision) ?? list.revisions[list.revisions.length - 1];
    return !!current?.reason;
  } catch {
    return false;
  }
}

/**
 * Fills an election picker with every election, rehearsals (test elections) included and marked as such, and chooses the
 * one named by `?election=`, or the newest live election when none is named. A named election that does not exist is
 * said so in `notice` and nothing is chosen (the picker shows "Choose an election"), rather than showing another one.
 * @param {HTMLSelectElement} select @param {HTMLElement} notice
 * @returns {Promise<string>} the chosen election's id, or '' when none
 */
export async function fillElectionPicker(select, notice) {
  /** @type {Election[]} */
  const elections = await getJson('/v1/elections?includeTest=true');
  const newestFirst = (/** @type {Election} */ a, /** @type {Election} */ b) => b.pollingDay.localeCompare(a.pollingDay) || a.id.localeCompare(b.id);
  const live = elections.filter((e) => !e.isTest).sort(newestFirst);
  const tests = elections.filter((e) => e.isTest).sort(newestFirst);
  const wanted = queryParameter('election');
  const missing = !!wanted && !elections.some((e) => e.id === wanted);
  select.replaceChildren();
  if (missing) select.append(el('option', { value: '' }, 'Choose an election'));
  if (live.length > 0) select.append(el('optgroup', { label: 'Elections' }, ...live.map((e) => el('option', { value: e.id }, e.name))));
  if (tests.length > 0) {
    select.append(el('optgroup', { label: 'Rehearsals (test elections, not for broadcast)' },
      ...tests.map((e) => el('option', { value: e.id, 'data-test': true }, `${e.name} (rehearsal, test)`))));
  }
  select.value = missing ? '' : wanted || live[0]?.id || tests[0]?.id || '';
  notice.textContent = missing ? `There is no election “${wanted}”. Choose one from the list.` : '';
  notice.hidden = !missing;
  select.addEventListener('change', () => { notice.textContent = ''; notice.hidden = true; });
  return select.value;
}

/** Reads ?name=value from the page's address. @param {string} name */
export const queryParameter = (name) => new URLSearchParams(location.search).get(name);
