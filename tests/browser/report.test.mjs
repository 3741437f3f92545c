// Real-browser test of `ocrclean report --html`: headless Debian chromium driven by
// playwright-core. For the sample corpus and a generated 1,000-document corpus:
// build the report, open it, reject the first change shown, export the decisions
// (intercepting the download), run `ocrclean apply` with them, and check that the
// rejected change is absent from the output while every other change is present.
// Saves a screenshot to target/browser-test/report.png.
//
//   OCRCLEAN_BIN=path/to/ocrclean node --test report.test.mjs
//   OCRCLEAN_OPEN_TIMES=1 ...   also measures how long reports of 1,000 and 10,000 documents take to open
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BIN = process.env.OCRCLEAN_BIN || path.join(ROOT, 'target/release/ocrclean');
const OUT = path.join(ROOT, 'target/browser-test');
// An extra rule so that the sample page has changes whatever the built-in rules do.
const RULES = ['--rules', path.join(HERE, 'rules')];
const SAMPLE = path.join(ROOT, 'corpus');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function ocrclean(args) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
}

async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrclean-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  return { context, close: async () => { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); } };
}

/** Variants of the sample page: line windows of it, rotated, with a numbered first line. */
function generateCorpus(dir, n, { fullPage = false } = {}) {
  if (fs.existsSync(path.join(dir, 'done'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const page = fs.readFileSync(path.join(SAMPLE, fs.readdirSync(SAMPLE).filter((f) => f.endsWith('.txt'))[0]), 'utf8');
  const lines = page.split('\n');
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, String(Math.floor(i / 1000)).padStart(2, '0'));
    fs.mkdirSync(sub, { recursive: true });
    const start = (i * 37) % lines.length;
    const len = fullPage ? lines.length : 20 + ((i * 13) % 40);
    const body = [];
    for (let k = 0; k < len; k++) body.push(lines[(start + k) % lines.length]);
    const text = `第 ${i} 号 样 张\n` + body.join('\n') + '\n';
    fs.writeFileSync(path.join(sub, `page-${String(i).padStart(5, '0')}.txt`), text);
  }
  fs.writeFileSync(path.join(dir, 'done'), '');
  return dir;
}

/** Replays input-coordinate edits (byte offsets) on a buffer. */
function replay(buf, edits) {
  const parts = [];
  let pos = 0;
  for (const e of edits) {
    parts.push(buf.subarray(pos, e.start), Buffer.from(e.after, 'utf8'));
    pos = e.end;
  }
  parts.push(buf.subarray(pos));
  return Buffer.concat(parts);
}

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p)); else if (e.name.endsWith('.txt')) out.push(p);
  }
  return out;
}

async function openReport(page, file) {
  const t0 = Date.now();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'domcontentloaded', timeout: 180000 });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 180000 });
  await page.waitForSelector('#list .row');
  return { wall: Date.now() - t0, inPage: await page.evaluate(() => window.ocrcleanReady) };
}

async function endToEnd(name, input, { screenshot } = {}) {
  const dir = path.join(OUT, `e2e-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const report = path.join(dir, 'report.html');
  ocrclean(['report', input, ...RULES, '--html', report]);

  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const foreign = [];
    page.on('request', (r) => { if (!/^(file|blob|data):/.test(r.url())) foreign.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const opened = await openReport(page, report);
    console.log(`${name}: report opened in ${opened.wall} ms (list rendered ${Math.round(opened.inPage)} ms after navigation start)`);
    assert.ok(await page.locator('#chart rect').count() > 0, 'the summary has an SVG bar chart');

    // The first document with changes is shown; reject its first change.
    const chg = page.locator('#diff .chg').first();
    await chg.waitFor();
    await chg.locator('.rej').click();
    await assert.doesNotReject(chg.and(page.locator('.s-r')).waitFor({ timeout: 5000 }), 'the change shows as rejected');
    assert.match(await page.locator('#decided').textContent(), /0 accepted · 1 rejected/);
    if (screenshot) {
      await chg.scrollIntoViewIfNeeded();
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot });
    }

    // Export decisions: intercept the download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const decisionsFile = path.join(dir, 'decisions.jsonl');
    await download.saveAs(decisionsFile);
    assert.deepEqual(foreign, [], 'the report loads nothing from the network');
    assert.deepEqual(errors, [], 'no script errors');

    const lines = fs.readFileSync(decisionsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.equal(lines.length, 1, 'one decision exported');
    const rejected = lines[0];
    assert.equal(rejected.decision, 'reject');

    // Apply it; compare with the full cleaning minus exactly that edit.
    const applied = path.join(dir, 'applied');
    const cleaned = path.join(dir, 'cleaned');
    const jsonl = path.join(dir, 'clean-report.jsonl');
    ocrclean(['apply', input, ...RULES, '--decisions', decisionsFile, '--undecided', 'accept', '-o', applied, '--quiet']);
    ocrclean(['clean', input, ...RULES, '-o', cleaned, '--report', jsonl, '--quiet']);
    const reports = new Map(fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => {
      const r = JSON.parse(l);
      return [r.doc, r];
    }));
    const files = walk(input);
    const root = fs.statSync(input).isDirectory() ? input : path.dirname(input);
    let checked = 0;
    for (const f of files) {
      const doc = path.relative(root, f).split(path.sep).join('/');
      const got = fs.readFileSync(path.join(applied, doc));
      const full = fs.readFileSync(path.join(cleaned, doc));
      if (doc !== rejected.doc) {
        assert.ok(got.equals(full), `${doc}: all changes present`);
        continue;
      }
      const edits = reports.get(doc).edits;
      const rest = edits.filter((e) => !(e.start === rejected.start && e.end === rejected.end && e.rule === rejected.rule && e.after === rejected.after));
      assert.equal(rest.length, edits.length - 1, 'the rejected change is one of the document\'s edits');
      const input_ = fs.readFileSync(f);
      assert.ok(got.equals(replay(input_, rest)), `${doc}: every other change lands at its place`);
      assert.ok(!got.equals(full), `${doc}: the rejected change is absent`);
      assert.equal(input_.subarray(rejected.start, rejected.end).toString('utf8'), rejected.before);
      checked++;
    }
    assert.equal(checked, 1);
    return opened;
  } finally {
    await browser.close();
  }
}

test('sample corpus: reject one change in the browser, export, apply', async () => {
  await endToEnd('sample', SAMPLE, { screenshot: path.join(OUT, 'report.png') });
  console.log(`screenshot: ${path.join(OUT, 'report.png')}`);
});

test('1,000-document corpus: reject one change in the browser, export, apply', async () => {
  const corpus = generateCorpus(path.join(OUT, 'corpus-1000'), 1000);
  await endToEnd('corpus-1000', corpus);
});

test('open times of large reports', { skip: !process.env.OCRCLEAN_OPEN_TIMES && 'set OCRCLEAN_OPEN_TIMES=1' }, async () => {
  const rows = [];
  for (const [n, fullPage] of [[1000, false], [10000, false], [1000, true], [10000, true]]) {
    const name = `open-${n}${fullPage ? '-full' : ''}`;
    const corpus = generateCorpus(path.join(OUT, `corpus-${n}${fullPage ? '-full' : ''}`), n, { fullPage });
    const report = path.join(OUT, name, 'report.html');
    fs.mkdirSync(path.dirname(report), { recursive: true });
    const t0 = Date.now();
    ocrclean(['report', corpus, ...RULES, '--html', report]);
    const build = Date.now() - t0;
    const size = fs.statSync(report).size;
    const browser = await launch();
    try {
      const times = [];
      for (let k = 0; k < 3; k++) {
        const page = await browser.context.newPage();
        times.push(await openReport(page, report));
        if (k === 0) {
          // Responsiveness: filter by rule and scroll the list.
          const t1 = Date.now();
          await page.selectOption('#f-rule', { index: 1 });
          await page.locator('#list').evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
          await page.locator('#list .row').nth(3).click();
          await page.waitForSelector('#diff .chg');
          times[0].interact = Date.now() - t1;
        }
        await page.close();
      }
      const best = times.reduce((a, b) => (a.wall < b.wall ? a : b));
      rows.push({ docs: n, fullPage, mb: +(size / 1e6).toFixed(1), buildMs: build, openMs: times.map((t) => t.wall), listRenderedMs: Math.round(best.inPage), filterScrollSelectMs: times[0].interact });
    } finally {
      await browser.close();
    }
  }
  console.table(rows);
  fs.writeFileSync(path.join(OUT, 'open-times.json'), JSON.stringify(rows, null, 2));
});
