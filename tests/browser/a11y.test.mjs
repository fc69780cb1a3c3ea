// Trame in a real browser: headless Chromium (Debian's package) driven by playwright-core.
// Every demo role logs in through the form, walks every page it can reach by links, and
// axe-core checks each page; a serious or critical violation fails the test.
//
// Runs against the debug binary (TRAME_BIN, default ../../target/debug/trame) serving a
// fresh SQLite database with the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BIN = process.env.TRAME_BIN ?? join(here, '..', '..', 'target', 'debug', 'trame');
const PASSWORD = 'demo trame gpsea 2026';
const ACCOUNTS = [
  'admin@demo.trame.test', 'agent@demo.trame.test', 'comite@demo.trame.test',
  'referent@demo.trame.test', 'partenaire@demo.trame.test', 'porteur@demo.trame.test',
  'entreprise@demo.trame.test', 'accompagnement@demo.trame.test',
];

let server, base, browser, dataDir;
const checked = new Map(); // path -> number of violations found

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trame-browser-'));
  server = spawn(BIN, ['serve', '--addr', '127.0.0.1:0', '--data-dir', dataDir], {
    cwd: dataDir,
    env: { ...process.env, TRAME_LOG: 'warn', TRAME_LOGIN_ATTEMPTS_PER_WINDOW: '1000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/Trame est servi sur (http:\/\/[^\s]+?)\/?\n/);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`trame serve exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error('trame serve did not start within 60 s')), 60_000);
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  console.log(`axe-core checked ${checked.size} distinct pages: ${[...checked.keys()].join(', ')}`);
});

async function newPage() {
  // bypassCSP lets axe-core be injected; the application's own pages run under the CSP.
  const context = await browser.newContext({ bypassCSP: true, locale: 'fr-FR' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Statuses are asserted where they matter; other console errors (CSP, scripts) fail.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  return { context, page, errors };
}

async function axe(page, label) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const path = new URL(page.url()).pathname;
  checked.set(path, (checked.get(path) ?? 0) + bad.length);
  assert.deepEqual(bad, [], `${label} ${path}: serious or critical accessibility violations`);
  return result;
}

/** Follows same-site links from the current page, breadth first, and checks each page. */
async function crawl(page, label, limit = 40) {
  const seen = new Set();
  const queue = [new URL(page.url()).pathname];
  while (queue.length && seen.size < limit) {
    const path = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const resp = await page.goto(base + path);
    assert.ok(resp.status() < 500, `${label} ${path}: status ${resp.status()}`);
    await axe(page, label);
    const links = await page.$$eval('a[href^="/"]', (as) => as.map((a) => a.getAttribute('href')));
    for (const href of links) {
      const p = href.split('#')[0];
      if (!p || p.endsWith('.csv') || p.startsWith('/static/')) continue;
      if (!seen.has(p)) queue.push(p);
    }
  }
  return seen;
}

async function login(page, email, password) {
  await page.goto(base + '/connexion');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('main button[type=submit]');
}

test('anonymous pages are accessible and the skip link comes first', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(base + '/');
  assert.equal(new URL(page.url()).pathname, '/gpsea', 'the only territory opens directly');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(focused, 'Aller au contenu');
  const seen = await crawl(page, 'anonyme');
  assert.ok(seen.has('/connexion'));
  const notFound = await page.goto(base + '/nulle-part');
  assert.equal(notFound.status(), 404);
  await axe(page, 'anonyme');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a failed login shows an accessible error summary and keeps the email', async () => {
  const { context, page } = await newPage();
  await login(page, 'agent@demo.trame.test', 'mauvais mot de passe');
  assert.equal(await page.locator('.error-summary').count(), 1);
  assert.equal(await page.inputValue('#email'), 'agent@demo.trame.test');
  await axe(page, 'échec de connexion');
  await login(page, 'pas-une-adresse', '');
  assert.equal(await page.getAttribute('#email', 'aria-invalid'), 'true');
  await axe(page, 'erreurs de saisie');
  await context.close();
});

for (const email of ACCOUNTS) {
  test(`${email} logs in, every page it reaches is accessible, it logs out`, async () => {
    const { context, page, errors } = await newPage();
    await login(page, email, PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/gpsea/espace');
    const seen = await crawl(page, email);
    assert.ok(seen.has('/compte'), 'the account page is reachable');
    if (email.startsWith('admin@')) {
      assert.ok(seen.has('/gpsea/admin/journal') && seen.has('/gpsea/admin/membres'), [...seen].join(' '));
    } else {
      const staffOnly = email.startsWith('agent@') ? ['/gpsea/admin/organisations'] : [];
      const adminPages = [...seen].filter((p) => p.includes('/admin/') && !staffOnly.includes(p));
      assert.deepEqual(adminPages, [], 'no admin page for this role');
      const denied = await page.goto(base + '/gpsea/admin/membres');
      assert.equal(denied.status(), 403);
      await axe(page, email);
    }
    await page.goto(base + '/compte');
    await page.click('text=Se déconnecter');
    await page.goto(base + '/compte');
    assert.equal(new URL(page.url()).pathname, '/connexion', 'logged out');
    assert.deepEqual(errors, [], 'no script error, no CSP violation');
    await context.close();
  });
}

test('the admin fills the forms: errors are announced and accessible, then saved', async () => {
  const { context, page, errors } = await newPage();
  await login(page, 'admin@demo.trame.test', PASSWORD);
  await page.goto(base + '/gpsea/admin/organisations/nouvelle');
  await page.fill('#name', 'Régie de quartier du Mont-Mesly');
  await page.selectOption('#legal_form', 'insertion');
  await page.fill('#siret', '123');
  await page.click('main button[type=submit]');
  assert.equal(await page.locator('.error-summary').count(), 1);
  assert.equal(await page.getAttribute('#siret', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#name'), 'Régie de quartier du Mont-Mesly');
  await axe(page, 'organisation invalide');
  await page.fill('#siret', '732 829 320 00074');
  await page.selectOption('#insertion_kind', 'aci');
  await page.selectOption('#commune_code', '94028');
  await page.click('main button[type=submit]');
  assert.match(new URL(page.url()).pathname, /^\/gpsea\/admin\/organisations\/\d+$/);
  await axe(page, 'organisation');
  await page.goto(base + '/gpsea/admin/invitations');
  await page.fill('#email', 'nouvelle.agente@gpsea.fr');
  await page.selectOption('#role', 'agent');
  await page.click('main button[type=submit]');
  assert.equal(await page.locator('.notice').count(), 1);
  await axe(page, 'invitation envoyée');
  await page.goto(base + '/gpsea/admin/parametres');
  await page.fill('#primary_color', '#ffbf47');
  await page.click('main button[type=submit]');
  assert.equal(await page.locator('.error-summary').count(), 1);
  await axe(page, 'paramètres invalides');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the API documentation renders under its CSP, from vendored files', async () => {
  const { context, page, errors } = await newPage();
  const resp = await page.goto(base + '/api/docs/');
  assert.equal(resp.status(), 200);
  await page.waitForSelector('.swagger-ui .info .title', { timeout: 20_000 });
  const title = await page.textContent('.swagger-ui .info .title');
  assert.match(title, /Trame — API/);
  assert.deepEqual(errors, [], 'no script error, no CSP violation');
  await context.close();
});
