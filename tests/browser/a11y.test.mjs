// Trame in a real browser: headless Chromium (Debian's package) driven by playwright-core.
// Every demo role logs in through the form, walks every page it can reach by links, and
// axe-core checks each page; a serious or critical violation fails the test.
//
// Runs against the debug binary (TRAME_BIN, default ../../target/debug/trame) serving a
// fresh SQLite database with the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    env: { ...process.env, TRAME_LOG: 'warn', TRAME_LOGIN_ATTEMPTS_PER_WINDOW: '1000', TRAME_POSTS_PER_WINDOW: '10000' },
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
      if (!p || p.endsWith('.csv') || p.endsWith('.pdf') || p.includes('/export/') || p.startsWith('/static/')) continue;
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
      // The agent instructs: organisations and the call's editions are staff pages.
      const staffOnly = (p) => email.startsWith('agent@')
        && (p.startsWith('/gpsea/admin/organisations') || p.startsWith('/gpsea/admin/appels')
          || p.startsWith('/gpsea/admin/annuaire') || p.startsWith('/gpsea/admin/interet-territorial')
          || p.startsWith('/gpsea/admin/projets-soutenus'));
      const adminPages = [...seen].filter((p) => p.includes('/admin/') && !staffOnly(p));
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
  // A convention with a mistake, then right; the schemes' settings; a personal token.
  await page.goto(base + '/gpsea/conventions/nouvelle');
  await page.selectOption('#category', 'plie');
  await page.selectOption('#organisation', { label: 'PLIE du territoire (démonstration)' });
  await page.fill('#title', 'Clauses et parcours : accompagnement renforcé');
  await page.fill('#amount_1', '30 000');
  await page.fill('#amount_3', '30 000');
  await page.fill('#decided_on', '2026-11-20');
  await page.fill('#deliberation', 'Bureau du 20 novembre 2026, n° 2026-98');
  await page.fill('#indicator_1', 'Participants en parcours');
  await page.fill('#target_1', '120');
  await submit(page, 'main form button[type=submit]');
  assert.ok(await page.locator('.error-summary a[href="#amount_3"]').count(), 'the gap in the years is told');
  assert.equal(await page.getAttribute('#amount_3', 'aria-invalid'), 'true');
  await axe(page, 'convention invalide');
  await page.fill('#amount_2', '30 000');
  await submit(page, 'main form button[type=submit]');
  assert.match(new URL(page.url()).pathname, /^\/gpsea\/subventions\/\d+$/, await page.locator('main').innerText());
  assert.ok(await page.locator('text=Compte rendu 2028').count(), 'three years, three reports');
  await axe(page, 'convention enregistrée');
  await page.goto(base + '/gpsea/dispositifs');
  await page.fill('#schedule-1', '70:signature');
  await submit(page, 'main form button[type=submit]');
  assert.equal(await page.locator('.error-summary').count(), 1);
  await axe(page, 'réglages invalides');
  await page.goto(base + '/gpsea/jetons');
  await page.fill('#token_name', 'Tableau de bord des subventions');
  await submit(page, 'main form button[type=submit]');
  assert.match(await page.locator('#nouveau-jeton').innerText(), /^trame_agent_[0-9a-f]{40}$/);
  await axe(page, 'jeton créé');
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

/** Today and in 30 days, as a datetime-local value in the browser's (Paris) wall time. */
function localDateTime(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  const parts = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(d).reduce((a, p) => ({ ...a, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}T00:00`;
}

/** Clicks what submits a form or follows a link, and waits for the next page. */
async function submit(page, selector) {
  // `text=…` names a button or a link, never the hint that quotes it.
  const target = selector.startsWith('text=')
    ? `main :is(button, a):has-text(${JSON.stringify(selector.slice(5))})`
    : selector;
  await Promise.all([page.waitForNavigation(), page.locator(target).first().click()]);
}

async function as(email, steps) {
  const { context, page, errors } = await newPage();
  await login(page, email, PASSWORD);
  await steps(page);
  assert.deepEqual(errors, [], `${email}: no script error, no CSP violation`);
  await context.close();
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

test('the call for projects, from publication to decision, in the browser', async () => {
  let edition, dossier;
  // The staff publish a new edition, open from today.
  await as('admin@demo.trame.test', async (page) => {
    await page.goto(base + '/gpsea/admin/appels/nouvelle');
    await axe(page, 'nouvelle édition');
    await page.fill('#total', '40 000');
    await page.fill('#opens_at', localDateTime(0));
    await page.fill('#closes_at', localDateTime(30));
    await page.fill('#env_0_code', 'pat');
    await page.fill('#env_0_label', 'Projet Alimentaire Territorial');
    await page.fill('#env_0_amount', '50 000');
    await submit(page, 'main form[action$="/nouvelle"] button[type=submit]');
    assert.equal(await page.locator('.error-summary').count(), 1, 'a sub-envelope larger than the total is refused');
    await axe(page, 'édition invalide');
    await page.fill('#env_0_amount', '5 000');
    await submit(page, 'main form[action$="/nouvelle"] button[type=submit]');
    edition = new URL(page.url()).pathname.split('/').pop();
    assert.match(edition, /^\d+$/);
    await submit(page, 'text=Publier l\'édition');
    assert.ok(await page.locator('text=Publiée').count());
    await axe(page, 'édition publiée');
  });
  // The association applies: the draft saves itself as the applicant types.
  await as('porteur@demo.trame.test', async (page) => {
    await page.goto(`${base}/gpsea/appels/${edition}`);
    await axe(page, 'page de l\'appel');
    await submit(page, 'text=Commencer un dossier');
    dossier = new URL(page.url()).pathname.split('/').pop();
    await page.fill('#title', 'Vélo-école pour les femmes des quartiers');
    await page.waitForSelector('#autosave-status:has-text("Brouillon enregistré")', { timeout: 10_000 });
    await page.fill('#summary', 'Apprendre le vélo pour aller travailler.');
    await page.fill('#objectives', 'Former 60 femmes par an.');
    await page.fill('#actions', 'Séances hebdomadaires, prêt de vélos.');
    await page.fill('#public', 'Femmes des quartiers prioritaires de Créteil.');
    await page.check('#commune-94028');
    await page.fill('#starts_on', '2027-02-01');
    await page.fill('#ends_on', '2027-12-31');
    await page.fill('#jobs_fte', '1,5');
    await page.fill('#b64', '20 000');
    await page.fill('#b74', '12 000');
    await page.fill('#b70', '7 000');
    await page.fill('#requested', '10 000');
    await submit(page, 'text=Enregistrer le brouillon');
    assert.ok(await page.locator('text=Brouillon enregistré.').count());
    await submit(page, 'text=Déposer le dossier');
    assert.equal(await page.locator('.error-summary').count(), 1);
    assert.ok(await page.locator('.error-summary >> text=équilibré').count(), 'the unbalanced budget is reported');
    assert.equal(await page.inputValue('#title'), 'Vélo-école pour les femmes des quartiers', 'nothing typed is lost');
    await axe(page, 'dossier en erreur');
    await page.fill('#b70', '8 000');
    for (const kind of ['statuts', 'rib']) {
      await page.selectOption('#kind', kind);
      await page.setInputFiles('#file', { name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: PDF });
      await submit(page, 'text=Joindre la pièce');
    }
    assert.equal(await page.locator('#pieces li').count(), 2);
    await submit(page, 'text=Déposer le dossier');
    assert.match(new URL(page.url()).pathname, /\/recepisse$/);
    assert.ok(await page.locator('text=a été déposé').count());
    await axe(page, 'récépissé');
  });
  // The agent instructs and asks for a correction.
  await as('agent@demo.trame.test', async (page) => {
    await page.goto(base + '/gpsea/instruction');
    await axe(page, 'liste d\'instruction');
    await submit(page, 'text=Vélo-école pour les femmes des quartiers');
    await axe(page, 'dossier à instruire');
    await page.check('#a-instruire');
    await submit(page, 'text=Valider l\'action');
    await page.check('#a-corriger');
    await page.fill('#message', 'Joignez le planning des séances.');
    await submit(page, 'text=Valider l\'action');
    assert.ok(await page.locator('text=Correction demandée').count());
  });
  // The applicant answers the correction.
  await as('porteur@demo.trame.test', async (page) => {
    await page.goto(`${base}/gpsea/mes-dossiers/${dossier}`);
    assert.ok(await page.locator('text=Joignez le planning des séances.').count());
    await page.fill('#answer', 'Le planning est ajouté au résumé : mardi et jeudi matin.');
    await submit(page, 'text=Déposer le dossier corrigé');
    assert.match(new URL(page.url()).pathname, /\/recepisse$/);
  });
  // Créteil gives its opinion.
  await as('referent@demo.trame.test', async (page) => {
    await page.goto(base + '/gpsea/avis');
    await axe(page, 'demandes d\'avis');
    await submit(page, 'text=Vélo-école pour les femmes des quartiers');
    await page.check('#answer-favorable');
    await submit(page, 'text=Transmettre l\'avis');
    assert.ok(await page.locator('text=Avis : Favorable').count());
    await axe(page, 'avis donné');
  });
  // The agent checks eligibility and assigns the committee member.
  await as('agent@demo.trame.test', async (page) => {
    await page.goto(`${base}/gpsea/instruction/${dossier}`);
    for (const item of ['famille', 'territoire', 'budget', 'pieces']) await page.check(`#item-${item}`);
    await submit(page, 'text=Enregistrer le contrôle');
    await page.selectOption('#reviewer', { label: 'Chloé Comité' });
    await submit(page, 'text=Attribuer');
    assert.ok(await page.locator('#evaluateurs >> text=Déclaration d\'intérêts à faire').count());
  });
  // The committee member declares a conflict on the demo dossier, scores the new one.
  await as('comite@demo.trame.test', async (page) => {
    await page.goto(base + '/gpsea/evaluation');
    await axe(page, 'mes évaluations');
    await submit(page, 'text=Recyclerie et emplois de quartier');
    await page.check('#conflict-oui');
    await submit(page, 'text=Enregistrer la déclaration');
    assert.ok(await page.locator('text=Vous vous êtes récusé').count());
    await page.goto(base + '/gpsea/evaluation');
    await submit(page, 'text=Vélo-école pour les femmes des quartiers');
    await page.check('#conflict-non');
    await submit(page, 'text=Enregistrer la déclaration');
    for (const code of ['emploi', 'ancrage', 'utilite', 'viabilite', 'cooperation', 'innovation']) {
      await page.fill(`#score_${code}`, '15');
    }
    await axe(page, 'notation');
    await submit(page, 'text=Enregistrer mes notes');
    assert.ok(await page.locator('text=Noté').count());
  });
  // The committee compares two scenarios and decides.
  await as('agent@demo.trame.test', async (page) => {
    await page.goto(`${base}/gpsea/admin/appels/${edition}/comite`);
    for (const [name, kind] of [['Règle du territoire', 'regle'], ['Meilleur score', 'optimal']]) {
      await page.fill('#scenario_name', name);
      await page.check(`#kind-${kind}`);
      await submit(page, 'text=Calculer le scénario');
    }
    assert.equal(await page.locator('#scenarios thead th:has-text("Règle du territoire")').count(), 1);
    assert.equal(await page.locator('#scenarios thead th:has-text("Meilleur score")').count(), 1);
    await axe(page, 'comité');
    await page.locator('input[name=deliberation_ref]').first().fill('Bureau communautaire du 17 décembre, n° 2026-112');
    await Promise.all([page.waitForNavigation(), page.locator('text=Enregistrer les décisions').first().click()]);
    assert.ok(await page.locator('text=décision(s) enregistrée(s)').count());
  });
  const { context, page } = await newPage();
  await page.goto(`${base}/gpsea/appels/${edition}`);
  assert.ok(await page.locator('text=Vélo-école pour les femmes des quartiers').count(), 'the laureate is public');
  await axe(page, 'lauréats');
  await context.close();
  // After the decision: the award is paid in part, and the open data lists it.
  await as('agent@demo.trame.test', async (page) => {
    await page.goto(`${base}/gpsea/subventions`);
    const row = page.locator('tr', { hasText: 'Vélo-école pour les femmes des quartiers' });
    await Promise.all([page.waitForNavigation(), row.locator('a').first().click()]);
    await page.fill('#amount', 'trop');
    await submit(page, 'text=Enregistrer le versement');
    assert.ok(await page.locator('.error-summary').count(), 'the bad amount is told');
    await axe(page, 'versement en erreur');
    await page.fill('#amount', '1 000');
    await page.fill('#mandate_ref', 'MDT-2026-0042');
    await submit(page, 'text=Enregistrer le versement');
    assert.ok(await page.locator('#versements ~ div table td:has-text("MDT-2026-0042")').count(), 'the payment is listed');
    await axe(page, 'subvention');
    // The convention, as PDF, with its text.
    const href = await page.getAttribute('a:has-text("convention (PDF)")', 'href');
    const conv = await page.request.get(base + href);
    assert.equal(conv.headers()['content-type'], 'application/pdf');
    const convText = pdfText(await conv.body());
    assert.ok(convText.includes('Convention d’attribution de subvention'), convText);
    assert.ok(convText.includes('Vélo-école pour les femmes des quartiers'), convText);
    const csv = await page.request.get(`${base}/gpsea/donnees/subventions.csv`);
    assert.equal(csv.status(), 200);
    const text = await csv.text();
    assert.ok(text.includes('Vélo-école pour les femmes des quartiers'), 'the open data lists the award');
    validateScdl(text);
    // The demo's exports open in LibreOffice (headless): each converts to PDF.
    const dir = mkdtempSync(join(tmpdir(), 'trame-exports-'));
    try {
      const files = [];
      for (const what of ['instruction', 'subventions', 'versements']) {
        for (const format of ['csv', 'xlsx', 'ods']) {
          const resp = await page.request.get(`${base}/gpsea/${what}/export/${format}`);
          assert.equal(resp.status(), 200, `${what} ${format}`);
          const file = join(dir, `${what}-${format}.${format}`);
          writeFileSync(file, await resp.body());
          files.push(file);
        }
      }
      const out = join(dir, 'pdf');
      const bin = process.env.LIBREOFFICE_BIN ?? 'libreoffice';
      const run = spawnSync(bin, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless',
        '--convert-to', 'pdf', '--outdir', out, ...files], { encoding: 'utf8' });
      assert.equal(run.status, 0, `LibreOffice: ${run.error ?? ''}${run.stderr}`);
      for (const f of files) {
        const pdf = join(out, f.split('/').pop().replace(/\.[a-z]+$/, '.pdf'));
        assert.ok(readFileSync(pdf).subarray(0, 5).toString() === '%PDF-', `${pdf} is a PDF`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  // The association submits its final report; a gap beyond 15 % needs a word.
  await as('porteur@demo.trame.test', async (page) => {
    await page.goto(`${base}/gpsea/mes-subventions`);
    const row = page.locator('tr', { hasText: 'Vélo-école pour les femmes des quartiers' });
    await Promise.all([page.waitForNavigation(), row.locator('a:has-text("Suivi et comptes rendus")').click()]);
    await axe(page, 'ma subvention');
    await submit(page, 'text=Compte rendu 2027');
    await axe(page, 'compte rendu à déposer');
    await page.fill('#r64', '10 000');
    await page.fill('#r70', '8 000');
    await page.fill('#r74', '2 000');
    await page.fill('#results', 'Quarante séances tenues ; 52 femmes formées, dont 30 vont désormais travailler à vélo.');
    await submit(page, 'text=Déposer le compte rendu');
    assert.ok(await page.locator('.error-summary >> text=dépasse 15 %').count(), 'the gap is asked about');
    assert.equal(await page.inputValue('#r64'), '10 000', 'nothing typed is lost');
    await axe(page, 'compte rendu en erreur');
    await page.fill('#j64', 'La moitié des séances assurées par des bénévoles.');
    await page.fill('#j74', 'Subvention du territoire en partie reportée.');
    await page.fill('#j70', 'Participation des employeurs plus forte que prévu.');
    await submit(page, 'text=Déposer le compte rendu');
    assert.equal(await page.locator('.error-summary').count(), 0, await page.locator('main').innerText());
    assert.ok(await page.locator('text=Déposé, en examen').count());
    await axe(page, 'compte rendu déposé');
  });
  // The agent accepts it; the years table says so.
  await as('agent@demo.trame.test', async (page) => {
    await page.goto(`${base}/gpsea/comptes-rendus`);
    await axe(page, 'comptes rendus à examiner');
    await submit(page, 'main a:has-text("— 2027")');
    assert.ok(await page.locator('text=La moitié des séances assurées par des bénévoles.').count());
    await axe(page, 'examen du compte rendu');
    await page.check('#decision-accepter');
    await submit(page, 'text=Enregistrer la décision');
    assert.ok(await page.locator('#comptes-rendus ~ div td:has-text("Accepté")').count(), 'the report is accepted');
  });
});

// The text of a PDF, through pdftotext (poppler-utils), spaces collapsed.
function pdfText(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'trame-pdf-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), bytes);
    const run = spawnSync(process.env.PDFTOTEXT_BIN ?? 'pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
    assert.equal(run.status, 0, `pdftotext: ${run.error ?? ''}${run.stderr}`);
    return run.stdout.split(/\s+/).join(' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The SCDL file checked by the official validator (FRICTIONLESS_BIN, set by scripts/test).
function validateScdl(text) {
  const dir = mkdtempSync(join(tmpdir(), 'trame-scdl-'));
  try {
    copyFileSync(join(here, '..', '..', '..', 'shared', 'schemas', 'scdl-subventions-2.1.1.schema.json'), join(dir, 'schema.json'));
    writeFileSync(join(dir, 'subventions.csv'), text);
    const bin = process.env.FRICTIONLESS_BIN ?? 'frictionless';
    const run = spawnSync(bin, ['validate', '--schema', 'schema.json', 'subventions.csv'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, `the SCDL file is refused by the validator: ${run.error ?? ''}${run.stdout}${run.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an inhabitant finds help in the directory; an agent imports a file and edits a service', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(base + '/gpsea/annuaire');
  await axe(page, 'annuaire');
  await page.fill('#f-q', 'epicerie solidaire');
  await page.click('form[role=search] button[type=submit]');
  await page.waitForURL(/q=epicerie/);
  const first = page.locator('#resultats h3 a').first();
  assert.match(await first.textContent(), /Épiceries solidaires/);
  await page.fill('#f-q', '');
  // htmx refines the results as the filters change, and keeps the search in the URL.
  await page.selectOption('#f-thematique', 'mobilite');
  await page.waitForURL(/thematique=mobilite/);
  await page.selectOption('#f-commune', '94028');
  await page.waitForURL(/commune=94028/);
  await page.waitForFunction(() => document.querySelector('#resultats-titre')?.textContent.includes('Créteil'));
  const heading = await page.textContent('#resultats-titre');
  assert.match(heading, /Mobilité, ouverts aux habitants de Créteil/);
  await axe(page, 'annuaire filtré');
  await page.locator('#resultats h3 a').first().click();
  await page.waitForURL(/\/annuaire\/services\//);
  assert.ok((await page.textContent('h1')).length > 3);
  assert.match(await page.textContent('main'), /Comment être orienté/);
  await axe(page, 'fiche service');
  // The same search on the map: every commune a link, the figures in a table.
  await page.goBack();
  await page.click('text=Voir ces résultats sur la carte des communes');
  await page.waitForURL(/\/carte\?/);
  assert.equal(await page.locator('svg a circle').count(), 16);
  assert.equal(await page.locator('table tbody tr').count(), 16);
  await axe(page, 'carte');
  // Without JavaScript, the same URL gives the same results.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto(base + '/gpsea/annuaire?thematique=mobilite&commune=94028');
  assert.equal((await plain.textContent('#resultats-titre')).trim(), heading.trim());
  await nojs.close();

  await login(page, 'agent@demo.trame.test', PASSWORD);
  await page.goto(base + '/gpsea/admin/annuaire/import');
  await axe(page, 'import annuaire');
  const file = (services) => ({ name: 'annuaire.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({
    structures: [{ source: 'essai-navigateur', id: 's1', nom: 'Garage associatif du Plateau', date_maj: '2026-11-01', code_insee: '94071', commune: 'Sucy-en-Brie' }],
    services,
  })) });
  const good = { source: 'essai-navigateur', id: 'v1', structure_id: 's1', nom: 'Réparation solidaire de voitures', description: 'Réparer sa voiture à prix coûtant pour aller travailler.', date_maj: '2026-11-01', thematiques: ['mobilite--entretenir-reparer-son-vehicule'], frais: 'payant', code_insee: '94071', zone_eligibilite: ['200058006'] };
  await page.setInputFiles('#fichier', file([good, { ...good, id: 'v2', publics: ['martiens'] }]));
  await page.click('main form button[type=submit]');
  assert.equal(await page.locator('.error-summary').count(), 1);
  assert.match(await page.textContent('table'), /martiens/);
  await axe(page, 'import refusé');
  await page.setInputFiles('#fichier', file([good]));
  await page.click('main form button[type=submit]');
  assert.match(await page.textContent('.notice'), /Services : 1 créé/);
  await page.goto(base + '/gpsea/admin/annuaire?q=' + encodeURIComponent('Réparation solidaire'));
  await page.click('text=Réparation solidaire de voitures');
  await axe(page, 'modifier un service');
  await page.fill('#description', 'x');
  await page.click('main form[action$="/services/' + page.url().split('/').pop() + '"] button[type=submit]');
  assert.equal(await page.getAttribute('#description', 'aria-invalid'), 'true');
  await axe(page, 'service refusé');
  await page.fill('#description', 'Réparer sa voiture à prix coûtant, le samedi matin.');
  await page.click('main form[action$="/services/' + page.url().split('/').pop() + '"] button[type=submit]');
  assert.match(await page.textContent('.notice'), /enregistré/);
  const id = new URL(page.url()).pathname.split('/').pop();
  await page.goto(base + '/gpsea/annuaire/services/' + id);
  assert.match(await page.textContent('main'), /le samedi matin/);
  // The equity dashboard: the map by indicator, the table, the CSV.
  await page.goto(base + '/gpsea/equite');
  await page.selectOption('#indicateur', 'mobilite');
  await page.click('main form button[type=submit]');
  await page.waitForURL(/indicateur=mobilite/);
  assert.match(await page.textContent('caption'), /pour 10 000 habitants/);
  await axe(page, 'équité territoriale');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the public reads the register and the showcase; an agent records a deliberation; a member updates their structure', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(base + '/gpsea/interet-territorial');
  assert.match(await page.textContent('main'), /reste à préciser/);
  assert.match(await page.textContent('main'), /13 décembre 2017/);
  await axe(page, 'intérêt territorial');
  await page.goto(base + '/gpsea/projets-soutenus');
  for (const name of ['Les Archéotrucs', "Coop'Cot", 'Créteil ressourcerie', 'Facilymode']) {
    assert.match(await page.textContent('main'), new RegExp(name));
  }
  await axe(page, 'projets soutenus');

  await login(page, 'agent@demo.trame.test', PASSWORD);
  await page.goto(base + '/gpsea/admin/interet-territorial');
  await page.fill('#decided_on', '2026-06-24');
  await page.fill('#title', "Définition de l'intérêt territorial en matière d'action sociale");
  await page.check('input[name=interest][value=precise]');
  await page.click('main form button[type=submit]');
  assert.equal(await page.locator('.error-summary').count(), 1);
  assert.equal(await page.getAttribute('#reference', 'aria-invalid'), 'true');
  await axe(page, 'délibération refusée');
  await page.fill('#reference', 'CT2026.3/071');
  await page.setInputFiles('#document', { name: 'CT2026-071.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.click('main form button[type=submit]');
  await page.waitForURL(/\/admin\/interet-territorial\/\d+/);
  await page.fill('#policy_title', 'Aide alimentaire d\'urgence');
  await page.fill('#policy_description', 'Les épiceries solidaires ouvertes à tous les habitants du territoire.');
  await page.fill('#effective_from', '2026-07-01');
  await page.click('form[action$="/politiques"] button[type=submit]');
  await page.waitForURL(/#politiques/);
  await axe(page, 'délibération et politiques');
  await page.goto(base + '/gpsea/interet-territorial');
  assert.doesNotMatch(await page.textContent('main'), /reste à préciser/);
  assert.match(await page.textContent('table'), /Aide alimentaire d'urgence/);
  const pdf = await page.request.get(base + await page.getAttribute('a[href$="/document"]', 'href'));
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  await page.goto(base + '/gpsea/admin/projets-soutenus');
  await axe(page, 'vitrine');
  await page.click('text=Proposer les lauréats des appels à projets');
  assert.match(await page.textContent('.notice'), /lauréat/);
  await page.click('text=Ajouter un projet');
  await page.fill('#name', 'Atelier partagé du Plateau');
  await page.fill('#mission', 'Un atelier de réparation partagé.');
  await page.fill('#scheme', 'Accompagnement ESS');
  await page.check('input[name=published]');
  await page.click('main form button[type=submit]');
  assert.equal(await page.getAttribute('#consent_on', 'aria-invalid'), 'true');
  await axe(page, 'projet sans consentement');
  await context.close();

  // The demo applicant acts for La Cour Cyclette, which runs Créteil's bicycle workshop.
  const member = await newPage();
  await login(member.page, 'porteur@demo.trame.test', PASSWORD);
  await member.page.goto(base + '/gpsea/ma-structure');
  await axe(member.page, 'ma structure');
  await member.page.click('main h2 a');
  await member.page.fill('#telephone', '01 45 17 00 00');
  await member.page.click('main form button[type=submit]');
  assert.match(await member.page.textContent('.notice'), /enregistrée/);
  await axe(member.page, 'structure enregistrée');
  const id = new URL(member.page.url()).pathname.split('/').pop();
  await member.page.goto(base + '/gpsea/annuaire/structures/' + id);
  assert.match(await member.page.textContent('main'), /01 45 17 00 00/);
  assert.deepEqual([...errors, ...member.errors], []);
  await member.context.close();
});

/** The SIRET of the demo's first company (the demo company account's): 13 digits and a
 * Luhn key, as `demo_clauses.rs` makes it. */
function demoCompanySiret() {
  const base = '4210000000000';
  for (let d = 0; d < 10; d++) {
    const s = base + d;
    let sum = 0;
    for (let i = 0; i < 14; i++) {
      let n = Number(s[13 - i]);
      if (i % 2 === 1) { n *= 2; if (n > 9) n -= 9; }
      sum += n;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('no Luhn key');
}

test('insertion clauses: a contract and its target, hours declared by the company, validated, reported', async () => {
  // Last month, in Paris (the server's calendar), whatever the machine's time zone.
  const today = localDateTime(0);
  const last = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 2, 1));
  const month = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
  const f = await newPage();
  await login(f.page, 'accompagnement@demo.trame.test', PASSWORD);
  await f.page.goto(base + '/gpsea/clauses');
  await axe(f.page, 'clauses');
  await f.page.click('text=Enregistrer un marché');
  await f.page.selectOption('#buyer', { label: 'Grand Paris Sud Est Avenir' });
  await f.page.fill('#operation', 'Gymnase Casalis');
  await f.page.fill('#reference', 'NAV-2026-001');
  await f.page.fill('#object', 'Réhabilitation du gymnase, lot maçonnerie');
  await f.page.fill('#cpv', '45262500-6');
  await f.page.fill('#amount', '1 000 000');
  await f.page.fill('#notified_on', `${last.getFullYear() - 1}-01-15`);
  await f.page.fill('#duration_months', '36');
  await f.page.selectOption('#commune_code', { label: 'Créteil' });
  await f.page.fill('#awardee_siret', demoCompanySiret());
  await f.page.fill('#awardee_name', 'Bâti Sud Est');
  await f.page.selectOption('#trade', 'maconnerie');
  await f.page.fill('#rate', '5');
  await f.page.fill('#hourly_cost', '30');
  await f.page.click('button[value=calculer]');
  assert.match(await f.page.textContent('.notice'), /= 833 h/);
  await axe(f.page, 'objectif calculé');
  await f.page.click('button[value=enregistrer]');
  await f.page.waitForURL(/\/clauses\/marches\/\d+$/);
  const contractPath = new URL(f.page.url()).pathname;
  assert.match(await f.page.textContent('main'), /833\s?h/);
  await axe(f.page, 'marché');
  // Two people, eligibility validated; their references go to the company.
  const refs = [];
  for (const [first, sex, year] of [['Aminata', 'F', '1994'], ['Julien', 'M', '1969']]) {
    await f.page.goto(base + '/gpsea/clauses/personnes');
    await f.page.fill('#first_name', first);
    await f.page.fill('#last_name', 'Navigateur');
    await f.page.selectOption('#sex', sex);
    await f.page.fill('#birth_year', year);
    await f.page.selectOption('#ground', 'demandeur_longue_duree');
    await f.page.fill('#proof', 'Attestation France Travail');
    await f.page.click('main form[method=post] button[type=submit]');
    await f.page.waitForURL(/\/clauses\/personnes\/\d+$/);
    refs.push((await f.page.textContent('dl.facts dd')).trim());
  }
  await axe(f.page, 'personne');

  const c = await newPage();
  await login(c.page, 'entreprise@demo.trame.test', PASSWORD);
  await c.page.goto(base + '/gpsea/mes-marches');
  await axe(c.page, 'mes marchés');
  await c.page.click('text=NAV-2026-001');
  for (const [ref, hours] of [[refs[0], '120'], [refs[1], '80,5']]) {
    await c.page.fill('#person', ref);
    await c.page.fill('#month', month);
    await c.page.selectOption('#way', 'embauche_directe');
    await c.page.fill('#hours', hours);
    await c.page.click('main form button[type=submit]');
    await c.page.waitForURL(/#heures$/);
  }
  // Over 250 hours in a month: refused at the field.
  await c.page.fill('#person', refs[0]);
  await c.page.fill('#month', month);
  await c.page.selectOption('#way', 'mise_a_disposition');
  await c.page.fill('#hours', '200');
  await c.page.click('main form button[type=submit]');
  assert.equal(await c.page.getAttribute('#hours', 'aria-invalid'), 'true');
  assert.match(await c.page.textContent('.error-summary'), /250 heures/);
  await axe(c.page, 'déclaration refusée');
  assert.doesNotMatch(await c.page.textContent('main'), /Aminata/);

  // The facilitator validates both; progress and the report follow; the PDF opens.
  await f.page.goto(base + contractPath);
  assert.match(await f.page.textContent('main'), /dont 2 à valider/);
  for (const box of await f.page.locator('input[name=lignes]').all()) await box.check();
  await f.page.click('button[value=valider]');
  await f.page.waitForURL(/#heures$/);
  assert.match(await f.page.textContent('.progress-line'), /200,5\s?h réalisées sur 833\s?h/);
  await axe(f.page, 'heures validées');
  await f.page.goto(base + `/gpsea/clauses/bilan?annee=${last.getFullYear()}`);
  assert.match(await f.page.textContent('main'), /NAV-2026-001/);
  await axe(f.page, 'bilan');
  const pdf = await f.page.request.get(base + `/gpsea/clauses/bilan.pdf?annee=${last.getFullYear()}`);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const bytes = await pdf.body();
  assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
  const dir = mkdtempSync(join(tmpdir(), 'trame-pdf-'));
  writeFileSync(join(dir, 'bilan.pdf'), bytes);
  const text = spawnSync('pdftotext', [join(dir, 'bilan.pdf'), '-'], { encoding: 'utf8' });
  if (text.status === 0) assert.match(text.stdout, /Bilan des clauses d.insertion/);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual([...f.errors, ...c.errors], []);
  await f.context.close();
  await c.context.close();
});

test('ESS accompaniment: a person applies, the jury selects, the adviser records the journey, the dashboard and the FSE+ export follow', async () => {
  const day = (offset) => localDateTime(offset).slice(0, 10);
  const f = await newPage();
  await login(f.page, 'accompagnement@demo.trame.test', PASSWORD);
  // A cohort under way, and its call, open today.
  await f.page.goto(base + '/gpsea/suivi-accompagnement');
  await axe(f.page, 'suivi de l’accompagnement');
  await f.page.fill('#name', 'Promotion navigateur');
  await f.page.selectOption('#format', 'parcours');
  await f.page.fill('#starts_on', day(-60));
  await f.page.fill('#ends_on', day(120));
  await f.page.fill('#allocation', '20');
  await submit(f.page, 'text=Créer la promotion');
  assert.match(f.page.url(), /\/promotions\/\d+$/);
  await axe(f.page, 'promotion');
  await f.page.goto(base + '/gpsea/suivi-accompagnement');
  await f.page.fill('#title', 'Appel navigateur');
  await f.page.selectOption('#cohort', { label: 'Promotion navigateur' });
  await f.page.fill('#opens_on', day(0));
  await f.page.fill('#closes_on', day(30));
  await f.page.fill('#description', 'Pour créer une activité d’ESS sur le territoire.');
  await submit(f.page, "text=Publier l'appel");
  assert.match(f.page.url(), /\/appels\/\d+$/);
  const callPath = new URL(f.page.url()).pathname;
  await f.page.selectOption('#person', { label: 'Chloé Comité' });
  await submit(f.page, 'text=Ajouter');
  assert.match(await f.page.textContent('main'), /Chloé Comité/);
  await axe(f.page, 'appel, équipe');

  // Anyone applies, without an account; a missing consent is refused at its field.
  const a = await newPage();
  await a.page.goto(base + '/gpsea/accompagnement');
  await axe(a.page, 'accompagnement, public');
  await submit(a.page, 'text=Appel navigateur');
  await a.page.fill('#first_name', 'Léa');
  await a.page.fill('#last_name', 'Navigatrice');
  await a.page.fill('#email', 'lea.navigatrice@example.org');
  await a.page.selectOption('#commune_activity', { label: 'Créteil' });
  await a.page.fill('#project_name', 'Atelier vélo navigateur');
  await a.page.fill('#summary', 'Un atelier d’autoréparation de vélos, en association, avec des emplois d’insertion.');
  await a.page.selectOption('#stage', 'faisabilite');
  await submit(a.page, 'text=Envoyer ma candidature');
  assert.equal(await a.page.getAttribute('#consent', 'aria-invalid'), 'true');
  assert.match(await a.page.textContent('.error-summary'), /cochez la case/);
  await axe(a.page, 'candidature refusée');
  await a.page.check('#consent');
  await submit(a.page, 'text=Envoyer ma candidature');
  assert.match(await a.page.textContent('main'), /Candidature reçue/);
  await axe(a.page, 'candidature reçue');

  // The jury marks it.
  const j = await newPage();
  await login(j.page, 'comite@demo.trame.test', PASSWORD);
  await j.page.goto(base + '/gpsea/jury-accompagnement');
  await axe(j.page, 'jury');
  await submit(j.page, 'text=Atelier vélo navigateur');
  assert.doesNotMatch(await j.page.textContent('main'), /lea\.navigatrice@example\.org/);
  for (const [id, mark] of [['#motivation', '5'], ['#utilite', '4'], ['#ancrage', '4'], ['#faisabilite', '3']]) await j.page.fill(id, mark);
  await submit(j.page, 'text=Enregistrer ma note');
  await axe(j.page, 'candidature notée');

  // The team closes the call, selects the application: the project joins the cohort.
  await f.page.goto(base + callPath);
  assert.match(await f.page.textContent('main'), /16,0\/20/);
  await submit(f.page, "text=Clore l'appel maintenant");
  await submit(f.page, 'text=Atelier vélo navigateur');
  await f.page.check('input[name=decision][value=retenue]');
  await submit(f.page, 'text=Notifier la décision');
  assert.match(f.page.url(), /\/projets\/\d+$/);
  await axe(f.page, 'projet accompagné');
  // A session, a legal creation with its SIRET, the move to « Création », a participant.
  await f.page.fill('#held_on', day(0));
  await f.page.fill('#duration', '-1');
  await f.page.fill('#summary', 'Statuts de l’association et plan de financement.');
  await submit(f.page, 'text=Enregistrer la séance');
  assert.equal(await f.page.getAttribute('#duration', 'aria-invalid'), 'true');
  await axe(f.page, 'séance refusée');
  await f.page.fill('#duration', '2');
  await submit(f.page, 'text=Enregistrer la séance');
  assert.match(await f.page.textContent('.progress-line'), /2\s?h d.accompagnement individuel sur 20\s?h/);
  await f.page.selectOption('#milestone', 'creation_juridique');
  await f.page.fill('#reached_on', day(0));
  await f.page.fill('#siret', '73282932000074');
  await submit(f.page, 'text=Enregistrer le jalon');
  await f.page.selectOption('#stage', 'creation');
  await submit(f.page, "text=Changer d'étape");
  assert.match(await f.page.textContent('main .badge'), /Création/);
  await f.page.fill('#first_name', 'Léa');
  await f.page.fill('#last_name', 'Navigatrice');
  await f.page.selectOption('#sex', 'F');
  await f.page.fill('#birth_year', '1992');
  await f.page.fill('#entered_on', day(0));
  await f.page.selectOption('#status', 'chomeur');
  await f.page.selectOption('#education', 'cite_5_8');
  await f.page.selectOption('#disability', 'non');
  await f.page.selectOption('#homeless', 'ne_se_prononce_pas');
  await f.page.check('#consent');
  await submit(f.page, 'text=Ajouter le participant');
  assert.match(await f.page.textContent('#participants ~ .table-wrap'), /Léa Navigatrice/);
  await axe(f.page, 'projet, parcours enregistré');

  // The dashboard and the funder's export reflect it.
  await f.page.goto(base + `/gpsea/suivi-accompagnement/tableau-de-bord?annee=${day(-60).slice(0, 4)}`);
  assert.match(await f.page.textContent('main'), /Création/);
  await axe(f.page, 'tableau de bord');
  const csv = await (await f.page.request.get(base + `/gpsea/suivi-accompagnement/fse/export/csv?annee=${day(0).slice(0, 4)}`)).text();
  assert.match(csv, /Atelier vélo navigateur/);
  assert.match(csv, /Demandeur d'emploi depuis moins de 12 mois/);
  assert.doesNotMatch(csv, /Navigatrice/);

  // The holder of a project in progress passes it to the call for projects, pre-filled.
  const h = await newPage();
  await login(h.page, 'porteur@demo.trame.test', PASSWORD);
  await h.page.goto(base + '/gpsea/mon-accompagnement');
  await submit(h.page, 'text=Jeux coopératifs');
  await axe(h.page, 'mon projet accompagné');
  const projectPage = h.page.url();
  await h.page.selectOption('#organisation', '');
  await submit(h.page, 'text=Préparer le dossier prérempli');
  assert.equal(await h.page.getAttribute('#organisation', 'aria-invalid'), 'true');
  await axe(h.page, 'passage à l’appel à projets refusé');
  // Another test may have opened a second edition: choose one explicitly.
  await h.page.selectOption('#edition', { index: 1 });
  await h.page.selectOption('#organisation', { label: 'La Cour Cyclette' });
  await submit(h.page, 'text=Préparer le dossier prérempli');
  assert.match(h.page.url(), /\/mes-dossiers\/\d+$/);
  assert.equal(await h.page.inputValue('#title'), 'Jeux coopératifs');
  assert.match(await h.page.inputValue('#actions'), /programme d'accompagnement ESS/);
  await h.page.goto(projectPage);
  assert.match(await h.page.textContent('#appel-a-projets ~ p'), /AAP-\d{4}-\d{4}/);
  assert.deepEqual([...f.errors, ...a.errors, ...j.errors, ...h.errors], []);
  await f.context.close();
  await a.context.close();
  await j.context.close();
  await h.context.close();
});

test('insertion pathway: a counsellor opens a file, refers the person to a mobility service that accepts, records a training and a positive exit; a job seeker registers to a forum', async () => {
  const day = (offset) => localDateTime(offset).slice(0, 10);
  // The counsellor opens a file: refused without consent, at the field, then opened.
  const c = await newPage();
  await login(c.page, 'partenaire@demo.trame.test', PASSWORD);
  await c.page.goto(base + '/gpsea/parcours');
  await axe(c.page, 'parcours');
  await submit(c.page, 'text=Ouvrir un dossier');
  await axe(c.page, 'nouveau dossier de parcours');
  await c.page.selectOption('#organisation', { label: 'PLIE Sud-Est Avenir (démonstration)' });
  await c.page.fill('#first_name', 'Nadia');
  await c.page.fill('#last_name', 'Navigatrice');
  await c.page.selectOption('#sex', 'F');
  await c.page.fill('#birth_year', '1988');
  await c.page.selectOption('#commune', { label: 'Créteil' });
  await c.page.fill('#entered_on', day(-30));
  await c.page.selectOption('#ground', 'minima_sociaux');
  await c.page.selectOption('#status', 'chomeur');
  await c.page.selectOption('#education', 'cite_3_4');
  await c.page.selectOption('#disability', 'non');
  await c.page.selectOption('#homeless', 'non');
  await submit(c.page, 'text=Ouvrir le dossier');
  assert.equal(await c.page.getAttribute('#consent', 'aria-invalid'), 'true');
  await axe(c.page, 'dossier refusé sans consentement');
  await c.page.check('#consent');
  await submit(c.page, 'text=Ouvrir le dossier');
  assert.match(c.page.url(), /\/gpsea\/parcours\/\d+$/, await c.page.locator('.error-summary').textContent().catch(() => ''));
  const file = c.page.url();
  await axe(c.page, 'dossier de parcours');

  // A mobility barrier, and a referral to the directory's permit service.
  await c.page.selectOption('#barrier', 'mobilite');
  await c.page.fill('#barrier_note', 'Pas de permis de conduire.');
  await submit(c.page, 'text=Noter le frein');
  await submit(c.page, 'text=Orienter vers un service pour ce frein');
  await axe(c.page, 'orientation');
  // The Mission locale de Créteil's: the demo applicant's association keeps that structure.
  await c.page.getByRole('radio', { name: /Aide au permis de conduire des jeunes — Mission locale de Créteil/ }).check();
  await c.page.fill('#message', 'Disponible le matin, motivée.');
  await submit(c.page, 'text=Envoyer l\'orientation');
  assert.match(await c.page.textContent('#orientations ~ .table-wrap'), /Aide au permis de conduire des jeunes[\s\S]*Envoyée/);

  // The receiving structure's member accepts it.
  const s = await newPage();
  await login(s.page, 'porteur@demo.trame.test', PASSWORD);
  await s.page.goto(base + '/gpsea/ma-structure/orientations');
  await axe(s.page, 'orientations reçues');
  const card = s.page.locator('section.card', { hasText: 'Nadia Navigatrice' });
  await card.getByLabel('Accepter').check();
  await Promise.all([s.page.waitForNavigation(), card.locator('button').click()]);
  assert.match(await s.page.locator('section.card', { hasText: 'Nadia Navigatrice' }).textContent(), /Acceptée/);

  // Back on the file: the follow-through, a training step, then a positive exit.
  await c.page.goto(file);
  assert.match(await c.page.textContent('#orientations ~ .table-wrap'), /Acceptée/);
  await c.page.selectOption('#step_kind', 'formation');
  await c.page.fill('#title', 'Titre professionnel agent de propreté');
  await c.page.fill('#starts_on', day(-20));
  await c.page.selectOption('#status', 'en_cours');
  await submit(c.page, 'text=Ajouter l\'étape');
  assert.match(await c.page.textContent('#etapes ~ .table-wrap'), /Titre professionnel agent de propreté/);
  await c.page.fill('#exited_on', day(-1));
  await submit(c.page, 'text=Enregistrer la sortie');
  assert.equal(await c.page.getAttribute('#reason', 'aria-invalid'), 'true');
  await axe(c.page, 'sortie sans motif');
  await c.page.selectOption('#reason', 'formation_qualifiante');
  await submit(c.page, 'text=Enregistrer la sortie');
  assert.match(await c.page.textContent('main'), /sortie positive/);
  await axe(c.page, 'dossier sorti');
  await c.page.goto(base + '/gpsea/parcours/tableau-de-bord');
  await axe(c.page, 'tableau de bord des parcours');

  // A job seeker registers online to the coming forum.
  const j = await newPage();
  await j.page.goto(base + '/gpsea/forums');
  await axe(j.page, 'forums');
  await submit(j.page, 'text=Forum de l\'emploi d\'hiver');
  await axe(j.page, 'forum');
  await j.page.fill('#first_name', 'Karim');
  await j.page.fill('#last_name', 'Navigateur');
  await j.page.fill('#email', 'karim.navigateur@exemple.fr');
  await j.page.selectOption('#commune', { label: 'Sucy-en-Brie' });
  await j.page.check('#consent');
  await submit(j.page, 'text=S\'inscrire au forum');
  assert.match(await j.page.textContent('main'), /inscription est enregistrée/);
  await as('agent@demo.trame.test', async (page) => {
    await page.goto(base + '/gpsea/gestion-forums');
    await axe(page, 'gestion des forums');
    await submit(page, 'text=Forum de l\'emploi d\'hiver');
    assert.match(await page.textContent('#inscrits ~ .table-wrap'), /Karim Navigateur/);
    await axe(page, 'gestion d’un forum');
  });
  assert.deepEqual([...c.errors, ...s.errors, ...j.errors], []);
  await c.context.close();
  await s.context.close();
  await j.context.close();
});
