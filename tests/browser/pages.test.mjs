// Browser tests of /live and /desk against the real API with the demo night loaded (scripts/browser-test starts both).
// Driven by playwright-core through Debian's chromium; nothing is downloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const adminKey = process.env.ADMIN_KEY ?? 'dev-admin-key';
const screenshots = process.env.SCREENSHOT_DIR ?? 'screenshots';
const MANSFIELD = 'E14000810';
mkdirSync(screenshots, { recursive: true });

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
});

/** Opens a page in its own context and records every console error and uncaught exception. */
async function open(path, viewport = { width: 1440, height: 1000 }, timezoneId = 'Europe/London') {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, timezoneId, locale: 'en-GB' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    // An EventSource closed with its page is not a failure of the page.
    if (!request.url().endsWith('/events')) errors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => { if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`); });
  await page.goto(base + path);
  return { page, errors, context };
}

async function api(path) {
  const response = await fetch(base + path, { headers: { Accept: 'application/json' } });
  assert.equal(response.status, 200, path);
  return response.json();
}

/** The seats per party that the seat bar shows, read from its segments' data attributes. */
async function barSeats(page) {
  return page.$$eval('#seatbar .segment', (segments) => segments
    .filter((s) => s.getAttribute('data-party'))
    .map((s) => [s.getAttribute('data-party'), Number(s.getAttribute('data-seats'))]));
}

/** Waits until the page shows the tally (the bar's segments add up to the declared seats). */
async function waitForTally(page, declared) {
  await page.waitForFunction((n) => {
    const segments = [...document.querySelectorAll('#seatbar .segment')].filter((s) => s.getAttribute('data-party'));
    return segments.reduce((sum, s) => sum + Number(s.getAttribute('data-seats')), 0) === n;
  }, declared);
}

test('/live shows the API tally in the seat bar and the table, 650 hexes and Mansfield in the Conservative colour', async () => {
  const tally = await api('/v1/elections/ge2017/tally');
  const parties = await api('/v1/parties');
  const { page, errors, context } = await open('/live?election=ge2017');
  try {
    await waitForTally(page, tally.declared);
    await page.waitForFunction(() => document.querySelectorAll('#hexmap [data-code][data-party]:not([data-party=""])').length === 650);

    const expected = tally.parties.filter((p) => p.seats > 0).map((p) => [p.party, p.seats]);
    assert.deepEqual(await barSeats(page), expected);
    assert.deepEqual(expected.slice(0, 2), [['Con', 317], ['Lab', 262]]);
    const tableSeats = await page.$$eval('#parties tbody tr[data-party]', (rows) => rows
      .map((r) => [r.getAttribute('data-party'), Number(r.querySelector('td')?.textContent?.replace(/,/g, ''))])
      .filter(([, seats]) => seats > 0));
    assert.deepEqual(tableSeats, expected);

    assert.equal(await page.locator('#hexmap [data-code]').count(), 650);
    const mansfield = page.locator(`#hexmap [data-code="${MANSFIELD}"]`);
    const conservative = parties.find((p) => p.party === 'Con').colour;
    assert.equal(await mansfield.getAttribute('data-party'), 'Con');
    assert.equal((await mansfield.getAttribute('fill')).toLowerCase(), conservative.toLowerCase());
    // The hexes fade to their colour (a CSS transition): read the computed colour once Mansfield's has ended.
    await page.waitForFunction((code) => document.querySelector(`#hexmap [data-code="${code}"]`).getAnimations().length === 0, MANSFIELD);
    assert.equal(await page.$eval(`#hexmap [data-code="${MANSFIELD}"]`, (hex) => getComputedStyle(hex).fill), 'rgb(0, 135, 220)');
    assert.match(await page.locator('#majority-label').textContent(), /326 for a majority/);
    // The map's text table lists every seat.
    assert.equal(await page.locator('#seats tbody tr').count(), 650);

    await page.screenshot({ path: join(screenshots, 'live.png'), fullPage: true });

    // An area redraws the bar, the table and the map: the BBC's East Midlands page, 18 Conservative and 14 Labour.
    await page.selectOption('#area', 'bbc-east-midlands');
    await waitForTally(page, 32);
    assert.deepEqual(await barSeats(page), [['Con', 18], ['Lab', 14]]);
    assert.equal(await page.locator('#hexmap path.hex:not(.out)').count(), 32);
    assert.match(await page.locator('#majority-label').textContent(), /17 for a majority/);
    assert.equal(await page.locator('#seats tbody tr').count(), 32);
    assert.match(page.url(), /area=bbc-east-midlands/);
    await page.screenshot({ path: join(screenshots, 'live-bbc-east-midlands.png'), fullPage: true });

    // The pickers are labelled controls in the keyboard order.
    await page.focus('#election');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'area');
    assert.equal(await page.locator('label:has(#area)').count(), 1);

    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** The night's distinct publication instants (ms), oldest first, and the timeline's entries. */
async function instantsOf(electionId) {
  const timeline = await api(`/v1/elections/${electionId}/timeline`);
  const instants = [...new Set(timeline.entries.map((e) => Date.parse(e.publishedAt)))].sort((a, b) => a - b);
  return { instants, entries: timeline.entries };
}

/** Moves the scrubber with the keyboard to the last publication instant at or before `at`; returns that instant. */
async function scrubTo(page, instants, at) {
  const index = instants.findLastIndex((t) => t <= Date.parse(at));
  assert.ok(index >= 0, `a publication by ${at}`);
  await page.focus('#scrubber');
  await page.keyboard.press('Home');
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowRight');
  assert.equal(Number(await page.$eval('#scrubber', (input) => input.value)), index);
  return instants[index];
}

/** The ticker's lines: seat, revision, correction flag and time. */
async function tickerLines(page) {
  return page.$$eval('#ticker li', (items) => items.map((li) => ({
    code: li.getAttribute('data-code'), revision: Number(li.getAttribute('data-revision')),
    correction: li.getAttribute('data-correction') === 'true', at: li.querySelector('time')?.getAttribute('datetime') ?? '',
  })));
}

test('/live: the time scrubber steps through the night\'s publications; at 02:00 BST it shows the 74 seats and only the declarations published by then, and End returns to live', async () => {
  const { instants, entries } = await instantsOf('ge2017');
  const { page, errors, context } = await open('/live?election=ge2017');
  try {
    await waitForTally(page, 650);
    await page.waitForSelector('#scrubber-panel:not([hidden])');
    assert.equal((await page.locator('label[for="scrubber"]').textContent())?.trim(), 'Time of the night');
    assert.equal(await page.locator('#scrubber-time').textContent(), 'Live');
    // One step per publication instant (the last position is live), however long the night's span.
    assert.equal(Number(await page.$eval('#scrubber', (input) => input.max)), instants.length);

    const at = await scrubTo(page, instants, '2017-06-09T01:00:00Z');
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(new Date(at));
    assert.match(await page.locator('#scrubber-time').textContent(), new RegExp(`^${clock}`));
    await waitForTally(page, 74);
    assert.match(await page.locator('#progress').textContent(), /^74 of 650 seats declared/);
    const tally = await api('/v1/elections/ge2017/tally?asOf=2017-06-09T01:00:00Z');
    assert.deepEqual(await barSeats(page), tally.parties.filter((p) => p.seats > 0).map((p) => [p.party, p.seats]));
    // The arithmetic of power as it stood: no party at 326 yet, the seats no party has won still open, the night counting.
    assert.equal(await page.locator('#power').textContent(), `No majority yet: 326 needed, ${tally.open} seats open`);
    assert.equal(tally.open, 650 - 74);
    assert.equal(await page.locator('#status').textContent(), 'Counting');
    assert.equal(await page.locator('#hexmap [data-code]:not([data-party=""])').count(), 74);

    // The ticker shows what was published by then, newest first, and nothing later.
    const expected = entries.filter((e) => Date.parse(e.publishedAt) <= at).slice(-12).reverse().map((e) => `${e.code}/${e.revision}`);
    await page.waitForFunction((first) => {
      const li = document.querySelector('#ticker li');
      return li && `${li.getAttribute('data-code')}/${li.getAttribute('data-revision')}` === first;
    }, expected[0]);
    const lines = await tickerLines(page);
    assert.deepEqual(lines.map((l) => `${l.code}/${l.revision}`), expected);
    assert.ok(lines.every((l) => Date.parse(l.at) <= at), 'no line published after the scrubber\'s time');

    await page.keyboard.press('End');
    await waitForTally(page, 650);
    assert.equal(await page.locator('#scrubber-time').textContent(), 'Live');
    assert.match(await page.locator('#progress').textContent(), /^650 of 650 seats declared/);
    // 2017 was a hung parliament: in the end no party could reach 326 (the Conservatives stopped at 317).
    assert.equal(await page.locator('#power').textContent(), 'Hung parliament: no party can reach 326');
    assert.equal(await page.locator('#status').textContent(), 'All results in');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a correction of Mansfield typed, previewed and published on /desk shows on an open /live within 2 seconds, marked as a correction', async () => {
  const live = await open('/live?election=ge2017');
  const desk = await open('/desk?election=ge2017', { width: 1280, height: 900 });
  try {
    await waitForTally(live.page, 650);
    await live.page.waitForSelector('#live-dot.on');
    await live.page.waitForSelector(`#ticker li`);

    // The key is typed once and kept in the tab's session storage only.
    await desk.page.fill('#api-key', adminKey);
    assert.equal(await desk.page.evaluate(() => sessionStorage.getItem('electionResults.apiKey')), adminKey);
    assert.equal(await desk.page.evaluate(() => localStorage.length), 0);

    await desk.page.fill('#seat-search', 'mans');
    await desk.page.click(`#seat-results button[data-code="${MANSFIELD}"]`);
    await desk.page.waitForSelector('#seat-panel:not([hidden])');
    assert.match(await desk.page.locator('#seat-title').textContent(), /Mansfield/);
    const names = await desk.page.$$eval('#candidates th[scope=row]', (cells) => cells.map((c) => c.firstChild?.textContent));
    assert.deepEqual(names.slice(0, 2), ['Ben Bradley', 'Alan Meale']);

    // A recount's figures: Bradley 23,400 and Meale 22,335. The running total follows the boxes.
    await desk.page.fill('#votes-0', '23400');
    assert.equal(await desk.page.locator('#total').textContent(), '50,165');

    // A problem document is shown next to the field it names, and nothing is written.
    await desk.page.fill('#votes-1', '');
    await desk.page.click('#preview');
    await desk.page.waitForFunction(() => (document.getElementById('votes-1-error')?.textContent ?? '').length > 0);
    assert.equal(await desk.page.getAttribute('#votes-1', 'aria-invalid'), 'true');
    await desk.page.fill('#votes-1', '22335');

    // A correction asks for a reason, next to the reason box.
    await desk.page.click('#publish');
    await desk.page.waitForFunction(() => (document.getElementById('reason-error')?.textContent ?? '').length > 0);
    assert.equal(await desk.page.getAttribute('#reason', 'aria-invalid'), 'true');
    await desk.page.fill('#reason', 'Recount: 8 ballots for Ben Bradley had been put in the wrong bundle.');

    // Preview: the server's figures, without writing anything.
    await desk.page.click('#preview');
    await desk.page.waitForFunction(() => (document.getElementById('preview-box')?.textContent ?? '').includes('majority of 1,065'));
    assert.match(await desk.page.locator('#preview-box').textContent(), /Con gain from Lab/);
    assert.equal((await api(`/v1/elections/ge2017/constituencies/${MANSFIELD}`)).revision, 2);
    await desk.page.screenshot({ path: join(screenshots, 'desk.png'), fullPage: true });

    const published = Date.now();
    await desk.page.click('#publish');

    const line = live.page.locator(`#ticker li[data-code="${MANSFIELD}"][data-correction="true"]`);
    await line.first().waitFor({ timeout: 2000 });
    const seen = Date.now() - published;
    assert.ok(seen <= 2000, `seen on /live after ${seen} ms`);
    assert.equal(await live.page.locator('#ticker li').first().getAttribute('data-code'), MANSFIELD);
    assert.match(await line.first().textContent(), /Correction/);
    assert.match(await line.first().textContent(), /Con gain from Lab/);

    await desk.page.waitForFunction(() => (document.getElementById('published-box')?.textContent ?? '').includes('revision 3'));
    const seat = await api(`/v1/elections/ge2017/constituencies/${MANSFIELD}`);
    assert.deepEqual([seat.revision, seat.majority, seat.winner.name], [3, 1065, 'Ben Bradley']);
    const revisions = await api(`/v1/elections/ge2017/constituencies/${MANSFIELD}/revisions`);
    assert.equal(revisions.revisions.at(-1).reason, 'Recount: 8 ballots for Ben Bradley had been put in the wrong bundle.');
    assert.equal(await live.page.getAttribute(`#hexmap [data-code="${MANSFIELD}"]`, 'data-party'), 'Con');

    await live.page.screenshot({ path: join(screenshots, 'live-after-correction.png'), fullPage: true });
    assert.deepEqual(live.errors, []);
    assert.deepEqual(desk.errors.filter((e) => !e.startsWith('HTTP 400') && !e.includes('status of 400')), []);
  } finally {
    await live.context.close();
    await desk.context.close();
  }
});

test('a correction over someone else\'s change is refused with a 412 that says so and offers to reload', async () => {
  const first = await open('/desk?election=ge2017&code=E14000908');   // Rushcliffe
  const second = await open('/desk?election=ge2017&code=E14000908');
  try {
    for (const { page } of [first, second]) {
      await page.fill('#api-key', adminKey);
      await page.waitForSelector('#seat-panel:not([hidden])');
      await page.fill('#reason', 'Typing error in the published figures.');
    }
    await first.page.fill('#invalid-votes', '101');
    await first.page.click('#publish');
    await first.page.waitForFunction(() => (document.getElementById('published-box')?.textContent ?? '').includes('Published'));

    await second.page.fill('#invalid-votes', '102');
    await second.page.click('#publish');
    await second.page.waitForFunction(() => (document.getElementById('general-error')?.textContent ?? '').includes('Someone else has changed this seat'));
    await second.page.click('#general-error button');
    await second.page.waitForFunction(() => document.getElementById('invalid-votes') instanceof HTMLInputElement
      && /** @type {HTMLInputElement} */ (document.getElementById('invalid-votes')).value === '101');
    assert.deepEqual(first.errors, []);
  } finally {
    await first.context.close();
    await second.context.close();
  }
});

/** The code of the first constituency of ge2017 whose name matches `q`. */
async function seatCode(q) {
  const found = await api(`/v1/elections/ge2017/constituencies?q=${encodeURIComponent(q)}`);
  assert.ok(found.constituencies.length > 0, q);
  return found.constituencies[0].code;
}

/** Publishes a correction of a declared ge2017 seat through the API (If-Match with the ETag just read): one more invalid vote. */
async function correctThroughApi(code, reason) {
  const read = await fetch(`${base}/v1/elections/ge2017/constituencies/${code}`, { headers: { Accept: 'application/json' } });
  assert.equal(read.status, 200);
  const seat = await read.json();
  const response = await fetch(`${base}/v1/elections/ge2017/constituencies/${code}/declarations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Api-Key': adminKey, 'If-Match': read.headers.get('ETag') },
    body: JSON.stringify({
      status: 'declared', votes: seat.candidates.map((c) => ({ candidateId: c.id, votes: c.votes })),
      invalidVotes: (seat.invalidVotes ?? 0) + 1, declaredAt: seat.declaredAt, source: 'Browser test', reason,
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return response.json();
}

test('a rehearsal\'s ticker on /live shows the night\'s times (declaredAt on the replay\'s virtual clock), not the real, faster, publication times', async () => {
  const id = 'rehearsal-ticker';
  const created = await fetch(`${base}/v1/elections/${id}/replays`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Api-Key': adminKey },
    body: JSON.stringify({ sourceElectionId: 'ge2017', speed: 100000 }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  try {
    // The night itself is played in seconds (corrections the other tests publish now are years later in its plan).
    for (let i = 0; (await api(`/v1/elections/${id}/replays/current`)).published < 600; i++) {
      assert.ok(i < 600, 'the replay plays the night');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const live = await open(`/live?election=${id}`);
    try {
      await live.page.waitForSelector('#ticker li');
      const lines = await tickerLines(live.page);
      assert.ok(lines.length > 0);
      const timeline = await api(`/v1/elections/${id}/timeline`);
      const entries = new Map(timeline.entries.map((/** @type {any} */ e) => [`${e.code}/${e.revision}`, e]));
      for (const line of lines) {
        const entry = entries.get(`${line.code}/${line.revision}`);
        assert.ok(entry, `${line.code}/${line.revision} is in the timeline`);
        // Played at 100000×, it was published seconds ago; it was declared at the night's time of day on the rehearsal's night.
        assert.notEqual(Date.parse(entry.declaredAt), Date.parse(entry.publishedAt));
        assert.equal(Date.parse(line.at), Date.parse(entry.declaredAt), `${line.code}: the ticker shows declaredAt`);
      }
      assert.deepEqual(live.errors, []);
    } finally {
      await live.context.close();
    }
  } finally {
    await fetch(`${base}/v1/elections/${id}/replays/current`, { method: 'DELETE', headers: { 'X-Api-Key': adminKey } });
  }
});

test('a rehearsal (test election) is listed and marked on /live and /desk, opens from ?election=, and an unknown election says so', async () => {
  const id = 'rehearsal-browser';
  const startAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();   // nothing is played during the test
  const created = await fetch(`${base}/v1/elections/${id}/replays`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Api-Key': adminKey },
    body: JSON.stringify({ sourceElectionId: 'ge2017', speed: 1, startAt }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  try {
    const tally = await api(`/v1/elections/${id}/tally`);
    const live = await open(`/live?election=${id}`);
    try {
      await live.page.waitForFunction((text) => (document.getElementById('progress')?.textContent ?? '').startsWith(text),
        `${tally.declared} of 650 seats declared`, { timeout: 10000 });
      assert.equal(await live.page.$eval('#election', (select) => select.value), id);
      assert.match(await live.page.$eval('#election', (select) => select.selectedOptions[0].textContent), /rehearsal/i);
      assert.match(live.page.url(), new RegExp(`election=${id}`));
      assert.deepEqual(live.errors, []);
    } finally {
      await live.context.close();
    }

    const desk = await open(`/desk?election=${id}&code=${MANSFIELD}`, { width: 1280, height: 900 });
    try {
      await desk.page.waitForSelector('#seat-panel:not([hidden])');
      assert.equal(await desk.page.$eval('#election', (select) => select.value), id);
      assert.match(await desk.page.$eval('#election', (select) => select.selectedOptions[0].textContent), /rehearsal/i);
      assert.match(await desk.page.locator('#seat-meta').textContent(), /Not declared yet/);
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.context.close();
    }

    for (const path of ['/live?election=no-such-election', '/desk?election=no-such-election']) {
      const page = await open(path, { width: 1280, height: 900 });
      try {
        await page.page.waitForFunction(() => (document.getElementById('notice')?.textContent ?? '').includes('no-such-election'), null, { timeout: 10000 });
        assert.equal(await page.page.$eval('#election', (select) => select.value), '', `${path} shows no other election`);
        assert.equal(await page.page.locator('#seatbar .segment').count(), 0);
        assert.deepEqual(page.errors, []);
      } finally {
        await page.context.close();
      }
    }
  } finally {
    await fetch(`${base}/v1/elections/${id}/replays/current`, { method: 'DELETE', headers: { 'X-Api-Key': adminKey } });
  }
});

test('a freshly loaded /live lists every revision in publication order, a late correction first and marked, and Mansfield\'s correction at 04:41', async () => {
  const code = await seatCode('bassetlaw');
  await correctThroughApi(code, 'Late correction: one spoilt ballot was missed.');
  const { instants, entries } = await instantsOf('ge2017');
  const { page, errors, context } = await open('/live?election=ge2017');
  try {
    await waitForTally(page, 650);
    await page.waitForSelector('#ticker li');
    const lines = await tickerLines(page);
    assert.deepEqual(lines.map((l) => `${l.code}/${l.revision}`), entries.slice(-12).reverse().map((e) => `${e.code}/${e.revision}`));
    assert.equal(lines[0].code, code);
    assert.equal(lines[0].correction, true);
    assert.match(await page.locator('#ticker li').first().textContent(), /Correction/);
    // The late correction adds one step to the scrubber, not one per second since the night.
    assert.equal(Number(await page.$eval('#scrubber', (input) => input.max)), instants.length);

    // Scrubbed to the moment of Mansfield's correction (04:41 BST): the ticker has it, marked, and nothing later.
    const correction = entries.find((e) => e.code === MANSFIELD && e.kind === 'corrected');
    assert.equal(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(new Date(correction.publishedAt)), '04:41');
    const at = await scrubTo(page, instants, correction.publishedAt);
    const expected = entries.filter((e) => Date.parse(e.publishedAt) <= at).slice(-12).reverse().map((e) => `${e.code}/${e.revision}`);
    await page.waitForFunction((first) => {
      const li = document.querySelector('#ticker li');
      return li && `${li.getAttribute('data-code')}/${li.getAttribute('data-revision')}` === first;
    }, expected[0]);
    const then = await tickerLines(page);
    assert.deepEqual(then.map((l) => `${l.code}/${l.revision}`), expected);
    const line = then.find((l) => l.code === MANSFIELD && l.revision === correction.revision);
    assert.ok(line?.correction, 'Mansfield\'s correction is in the ticker, marked');
    assert.match(await page.locator(`#ticker li[data-code="${MANSFIELD}"][data-revision="${correction.revision}"]`).textContent(), /Correction/);
    assert.ok(then.every((l) => Date.parse(l.at) <= at));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** CIE L*a*b* of an sRGB colour (#rrggbb or rgb(r, g, b)), D65. */
function lab(colour) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour) ?? /^rgb\((\d+), (\d+), (\d+)\)$/.exec(colour);
  assert.ok(m, colour);
  const [r, g, b] = m.slice(1).map((v) => (colour.startsWith('#') ? parseInt(v, 16) : Number(v)) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const distance = (a, b) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

test('/live: an undeclared hex is far (CIE76 ΔE ≥ 25) from every party\'s colour, Independent grey included', async () => {
  const parties = await api('/v1/parties');
  const { instants } = await instantsOf('ge2017');
  const { page, errors, context } = await open('/live?election=ge2017');
  try {
    await waitForTally(page, 650);
    await page.waitForSelector('#scrubber-panel:not([hidden])');
    await scrubTo(page, instants, new Date(instants[0]).toISOString());
    await page.waitForFunction(() => document.querySelectorAll('#hexmap [data-code][data-party=""]').length > 600);
    // Read once the hex's fill transition has ended.
    await page.waitForFunction(() => document.querySelector('#hexmap [data-code][data-party=""]')?.getAnimations().length === 0);
    const fill = await page.$eval('#hexmap [data-code][data-party=""]', (hex) => getComputedStyle(hex).fill);
    assert.notEqual(await page.$eval('#hexmap [data-code][data-party=""]', (hex) => getComputedStyle(hex).stroke), 'none', 'an undeclared hex is outlined');
    const colours = [...parties.map((p) => [p.party, p.colour]), ['(others)', '#999999']];
    assert.ok(colours.some(([p]) => p === 'Ind'));
    for (const [party, colour] of colours) {
      const d = distance(fill, colour);
      assert.ok(d >= 25, `undeclared ${fill} is only ΔE ${d.toFixed(1)} from ${party} ${colour}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('/desk: after a publish, a stale correction\'s 412 replaces the green box (only the red one shows)', async () => {
  const code = await seatCode('ashfield');
  const desk = await open(`/desk?election=ge2017&code=${code}`, { width: 1280, height: 900 });
  try {
    await desk.page.fill('#api-key', adminKey);
    await desk.page.waitForSelector('#seat-panel:not([hidden])');
    await desk.page.fill('#reason', 'Typing error in the published figures.');
    await desk.page.fill('#invalid-votes', String(Number(await desk.page.inputValue('#invalid-votes')) + 3));
    await desk.page.click('#publish');
    await desk.page.waitForFunction(() => (document.getElementById('published-box')?.textContent ?? '').includes('Published revision'));

    await correctThroughApi(code, 'Someone else corrected it meanwhile.');
    await desk.page.fill('#reason', 'Another typing error.');
    await desk.page.fill('#invalid-votes', String(Number(await desk.page.inputValue('#invalid-votes')) + 1));
    await desk.page.click('#publish');
    await desk.page.waitForFunction(() => (document.getElementById('general-error')?.textContent ?? '').includes('Someone else has changed this seat'));
    assert.equal((await desk.page.locator('#published-box').textContent()).trim(), '');
  } finally {
    await desk.context.close();
  }
});

test('/desk in a browser in New York shows and sends UK time (Europe/London), as /live does', async () => {
  const seat = await api(`/v1/elections/ge2017/constituencies/${MANSFIELD}`);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(seat.declaredAt)).map((p) => [p.type, p.value]));
  const london = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  const desk = await open(`/desk?election=ge2017&code=${MANSFIELD}`, { width: 1280, height: 900 }, 'America/New_York');
  try {
    assert.equal(await desk.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'America/New_York');
    await desk.page.waitForSelector('#seat-panel:not([hidden])');
    assert.equal(await desk.page.inputValue('#declared-at'), london);
    assert.match(await desk.page.locator('label[for="declared-at"]').textContent(), /UK time/);

    await desk.page.fill('#reason', 'Checking the time zone.');
    const [request] = await Promise.all([
      desk.page.waitForRequest((r) => r.url().includes('/declarations') && r.method() === 'POST'),
      desk.page.click('#preview'),
    ]);
    const sent = JSON.parse(request.postData() ?? '{}').declaredAt;
    assert.match(sent, /\+01:00$/, `declaredAt ${sent} carries the UK offset (BST in June)`);
    assert.equal(Date.parse(sent), Math.floor(Date.parse(seat.declaredAt) / 60000) * 60000);
  } finally {
    await desk.context.close();
  }
});

test('/live?election=ge2024 draws the 2024 hex map: 650 hexes, odd negative rows shifted right, and ge2017 keeps its map', async () => {
  const map = await api('/v1/elections/ge2024/hexmap');
  assert.equal(map.boundaries, '2024');
  assert.equal(Object.keys(map.hexes).length, 650);
  const { page, errors, context } = await open('/live?election=ge2024');
  try {
    await page.waitForFunction(() => document.querySelectorAll('#hexmap [data-code][data-party]:not([data-party=""])').length === 650);
    assert.equal(await page.getAttribute('#hexmap', 'data-boundaries'), '2024');
    assert.equal(await page.locator('#hexmap [data-code]').count(), 650);
    assert.equal(await page.locator('#hexmap [data-code][data-party="Lab"]').count(), 411);
    assert.equal(await page.locator('#power').textContent(), 'Labour majority: 411 seats, 326 needed');
    // South West Devon (q 47, r −45: an odd row below zero) sits half a hex right of Plymouth Sutton and Devonport
    // (47, −44) and one hex left of South Devon (48, −45); `r % 2 === 1` would have put it straight below its neighbour.
    const centre = (code) => page.$eval(`#hexmap [data-code="${code}"]`, (hex) => {
      const box = /** @type {SVGGraphicsElement} */ (hex).getBBox();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    });
    const [odd, above, right] = [await centre('E14001495'), await centre('E14001427'), await centre('E14001484')];
    const pitch = right.x - odd.x;
    assert.ok(pitch > 0 && Math.abs(right.y - odd.y) < 1e-6, 'same-row neighbours side by side');
    assert.ok(Math.abs((odd.x - above.x) - pitch / 2) < 1e-3, `odd row shifted right by half a hex (${odd.x - above.x} of ${pitch})`);
    assert.ok(odd.y > above.y, 'rows grow northwards (up the page)');
    await page.screenshot({ path: join(screenshots, 'live-ge2024.png'), fullPage: true });

    // Back to 2017: the 2010–2023 map again.
    await page.selectOption('#election', 'ge2017');
    await page.waitForFunction(() => document.querySelector('#hexmap')?.getAttribute('data-boundaries') === '2010');
    await page.waitForFunction(() => document.querySelectorAll('#hexmap [data-code][data-party="Con"]').length === 317);
    assert.equal(await page.locator('#hexmap [data-code="E14000810"]').count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
