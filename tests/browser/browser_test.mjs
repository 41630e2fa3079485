// Drives the Neo4j Browser served by the project's Neo4j server in headless Debian chromium:
// connect (auto-connect or the connect form), apply schema/browser/style.grass with :style, set a
// library query's parameters with :params, run the query, wait for the graph view, screenshot.
//
// Usage: node browser_test.mjs CONFIG.json  (written by tests/integration/test_browser.py)
// CONFIG: {url, user, password, style, params_command, query, screenshot, chromium, timeout_ms,
//          style_file, favorites_zip, favorites_folder, favorite_title, favorites_screenshot,
//          browse_url, query_only, browse_expect, browse_screenshot}
// With browse_url (`kg browse --query NAME`'s address) a second tab opens it, connects, reads the
// editor (the script the URL carried) and runs it; then runs query_only, which needs the
// parameters the script set, and waits for browse_expect in its result.
// With style_file, the style is also applied the other documented way: dropped as a file.
// The favorites phase drops the library's zip on the Browser (as a user drags a file onto it),
// opens the Favorites drawer and runs one favorite: its :params line and query as one script.
// Prints one JSON line on success: what the result frame's graph view shows (nodes, captions,
// fill colours) so the pytest wrapper can assert on it. Exits non-zero, with a screenshot of the
// failure next to the requested one, on any error.

import { readFileSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { chromium } from 'playwright-core'

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const timeout = config.timeout_ms ?? 60000

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage'
]

const log = (...args) => console.error('[browser-test]', ...args)

async function connectTo(page) {
  // Either the Browser connected by itself (no auth, or a remembered session) or it shows the
  // connect form, prefilled from connectURL. Whichever appears first decides.
  const form = page.locator('input[data-testid="password"]')
  const connected = page.getByText('You are connected as user', { exact: false })
  await Promise.race([
    form.waitFor({ state: 'visible', timeout }),
    connected.first().waitFor({ state: 'visible', timeout })
  ])
  if (await form.isVisible()) {
    log('connect form shown; filling the password')
    const user = page.locator('input[data-testid="username"]')
    if ((await user.inputValue()) === '') await user.fill(config.user ?? 'neo4j')
    await form.fill(config.password)
    await page.locator('button[data-testid="connect"]').click()
    await connected.first().waitFor({ state: 'visible', timeout })
  } else {
    log('auto-connected')
  }
}

async function runInEditor(page, text) {
  // Pasted, as an analyst would: typed or inserted text goes through Monaco's auto-closing of
  // brackets, which adds a stray '}' to a multi-line grass file (the Browser then stores an empty
  // selector and its graph view crashes).
  const editor = page.locator('#monaco-main-editor')
  await editor.click()
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Delete')
  await page.evaluate(t => navigator.clipboard.writeText(t), text)
  await page.keyboard.press('Control+V')
  const frames = await page.locator('[data-testid="frame"]').count()
  await page.locator('[data-testid="editor-Run"]').click()
  if (process.env.KG_BROWSER_DEBUG) {
    await page.waitForTimeout(1500)
    await page.screenshot({ path: `${config.screenshot}.step${frames}.png` })
  }
  await page.waitForFunction(
    n => document.querySelectorAll('[data-testid="frame"]').length > n,
    frames,
    { timeout }
  )
  return page.locator('[data-testid="frame"]').first() // newest frame is on top
}

async function dropFile(page, path, name, type) {
  // The same DOM events a drag from the desktop produces, on the Browser's drop zone.
  const base64 = readFileSync(path).toString('base64')
  await page.evaluate(
    ({ base64, name, type }) => {
      const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([bytes], name, { type }))
      const zone = document.querySelector('.filedrop')
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true }))
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }))
    },
    { base64, name, type }
  )
}

async function scriptStatuses(page) {
  // A multi-statement script's frame lists each statement with a status icon ("Status: success").
  await page.waitForFunction(
    () => {
      const icons =
        document.querySelector('[data-testid="frame"]')?.querySelectorAll('[data-testid="multi-statement-list-icon"]') ?? []
      return icons.length >= 2 && [...icons].every(i => !/pending|waiting/.test(i.getAttribute('title')))
    },
    null,
    { timeout }
  )
  return page
    .locator('[data-testid="frame"]')
    .first()
    .locator('[data-testid="multi-statement-list-icon"]')
    .evaluateAll(els => els.map(e => e.getAttribute('title')))
}

async function dropStyle(page) {
  // Reset to the Browser's default style, drop the .grass file, read back what the Browser stored.
  await runInEditor(page, ':style reset')
  await dropFile(page, config.style_file, 'style.grass', 'text/plain')
  await page.waitForFunction(() => (localStorage.getItem('neo4j.grass') || '').includes('node.ArmedGroup'), null, {
    timeout
  })
  return JSON.parse(await page.evaluate(() => localStorage.getItem('neo4j.grass')))
}

async function runFavorite(page) {
  await dropFile(page, config.favorites_zip, 'conflict-kg-queries.zip', 'application/zip')
  await page.locator('[data-testid="navigationFavorites"]').click()
  const folder = page.locator(`[data-testid="savedScriptsFolder-${config.favorites_folder}"]`)
  await folder.waitFor({ state: 'visible', timeout })
  await folder.click() // expand
  const titles = folder.locator('[data-testid^="scriptTitle-"]')
  await titles.first().waitFor({ state: 'visible', timeout })
  const scripts = await titles.evaluateAll(els => els.map(e => e.textContent))
  const item = folder.locator('[data-testid="savedScriptListItem"]', { hasText: config.favorite_title })
  const frames = await page.locator('[data-testid="frame"]').count()
  await item.hover()
  await item.locator('[data-testid="savedScriptsButton-Run"]').click()
  await page.waitForFunction(
    n => document.querySelectorAll('[data-testid="frame"]').length > n,
    frames,
    { timeout }
  )
  const frame = page.locator('[data-testid="frame"]').first()
  const statuses = await scriptStatuses(page)
  const statements = await frame
    .locator('[data-testid="multi-statement-list-title"]')
    .evaluateAll(els => els.map(e => e.textContent.slice(0, 40)))
  await page.screenshot({ path: config.favorites_screenshot })
  return { scripts, statuses, statements }
}

async function runBrowseUrl(context) {
  const tab = await context.newPage()
  tab.setDefaultTimeout(timeout)
  try {
    return await browseUrlIn(tab)
  } catch (e) {
    await tab.screenshot({ path: config.browse_screenshot.replace(/\.png$/, '-failure.png') }).catch(() => {})
    throw e
  } finally {
    await tab.close()
  }
}

async function browseUrlIn(tab) {
  await tab.goto(config.browse_url, { waitUntil: 'domcontentloaded' })
  await connectTo(tab)
  const editor = tab.locator('#monaco-main-editor .view-lines')
  await tab.waitForFunction(() => (document.querySelector('#monaco-main-editor .view-lines')?.textContent ?? '').includes(':params'), null, { timeout })
  // Monaco renders lines absolutely positioned (any DOM order) with non-breaking spaces.
  const editorText = await editor.evaluate(el =>
    [...el.querySelectorAll('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map(line => line.textContent.replace(/\u00a0/g, ' '))
      .join('\n')
  )
  const frames = await tab.locator('[data-testid="frame"]').count()
  await tab.locator('[data-testid="editor-Run"]').click()
  await tab.waitForFunction(n => document.querySelectorAll('[data-testid="frame"]').length > n, frames, { timeout })
  const statuses = await scriptStatuses(tab)
  // The script set the parameters: the query alone now answers (table view) with browse_expect.
  const result = await runInEditor(tab, config.query_only)
  // Table cells show strings JSON-quoted ("Joe Biden"), hence a substring match.
  await result.getByText(config.browse_expect, { exact: false }).first().waitFor({ state: 'visible', timeout })
  const resultText = (await result.innerText()).replace(/\u00a0/g, ' ')
  await tab.screenshot({ path: config.browse_screenshot })
  return { editor: editorText, statuses, result: resultText }
}

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'kg-chromium-'))
  mkdirSync(dirname(config.screenshot), { recursive: true })
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: config.chromium ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: { width: 1600, height: 1000 }
  })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(timeout)
  page.on('pageerror', e => log('page error:', e.message))
  page.on('console', m => {
    // Resources the Browser tries to fetch from the internet (fonts, telemetry) fail offline: noise.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      log('console error:', m.text().slice(0, 500))
    }
  })
  try {
    log('opening', config.url)
    await page.goto(config.url, { waitUntil: 'domcontentloaded' })
    await connectTo(page)
    // The usage-data consent banner only covers the page; dismiss it when shown (best effort).
    await page
      .locator('span:has-text("To help make Neo4j Browser better") + span')
      .click({ timeout: 3000 })
      .catch(() => log('no consent banner to dismiss'))

    await runInEditor(page, `:style ${config.style}`)
    await runInEditor(page, config.params_command)
    const frame = await runInEditor(page, config.query)

    const nodes = frame.locator('svg g.node')
    await nodes.first().waitFor({ state: 'attached', timeout })
    // Let the force layout settle so the screenshot is readable (layout, not a timing assertion).
    await page.waitForTimeout(3000)
    const summary = await frame.evaluate(el => {
      const nodes = [...el.querySelectorAll('svg g.node')]
      const rels = [...el.querySelectorAll('svg g.relationship')]
      return {
        nodes: nodes.length,
        relationships: rels.length,
        captions: nodes.map(n => [...n.querySelectorAll('text.caption')].map(t => t.textContent).join(' ')),
        node_fills: [...new Set(nodes.map(n => n.querySelector('circle.b-outline')?.getAttribute('fill')))],
        relationship_captions: rels.map(r => [...r.querySelectorAll('text')].map(t => t.textContent).join(' ')),
        relationship_fills: [...new Set(rels.map(r => r.querySelector('path.b-outline')?.getAttribute('fill')))]
      }
    })
    await page.screenshot({ path: config.screenshot, fullPage: false })
    if (config.style_file) summary.dropped_style = await dropStyle(page)
    if (config.favorites_zip) summary.favorites = await runFavorite(page)
    if (config.browse_url) summary.browse = await runBrowseUrl(context)
    console.log(JSON.stringify(summary))
  } catch (e) {
    const failed = config.screenshot.replace(/\.png$/, '-failure.png')
    await page.screenshot({ path: failed }).catch(() => {})
    log('FAILED:', e?.message ?? e, '; screenshot of the page:', failed)
    process.exitCode = 1
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

await main()
