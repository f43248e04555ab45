import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LABS } from '../../src/labs/registry';
import { servedApp, settled, watchErrors } from './harness';
import { SHARED_FRAGMENT } from './selftestFixture';

/**
 * axe-core (WCAG 2.0/2.1 A and AA rules) on every lab, the home page, the evidence board, an
 * interview session and the embed: no serious or critical violation (issue 31). Each page is
 * checked after its first run has settled, so results tables and charts are part of it.
 */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Found {
  rule: string;
  impact: string;
  target: string;
  summary: string;
}

async function seriousViolations(page: Page): Promise<Found[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{
            violations: {
              id: string;
              impact: string | null;
              nodes: { target: unknown[]; failureSummary?: string }[];
            }[];
          }>;
        };
      }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.flatMap((v) =>
      v.nodes.map((n) => ({
        rule: v.id,
        impact: v.impact ?? '',
        target: n.target.map(String).join(' '),
        summary: (n.failureSummary ?? '').slice(0, 160),
      })),
    );
  });
  return found.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

const PAGES: { name: string; path: string; lab?: boolean }[] = [
  { name: 'home', path: '/' },
  { name: 'evidence board', path: '/?board' },
  { name: 'check my GPU', path: '/?selftest' },
  { name: 'check my GPU, a shared report', path: `/?selftest${SHARED_FRAGMENT}` },
  { name: 'interview session', path: '/?interview=paged-attention-fragmentation' },
  { name: 'embed (lab)', path: '/embed.html?lab=kv-cache', lab: true },
  ...LABS.map((l) => ({ name: `lab ${l.id}`, path: `/?lab=${l.id}`, lab: true })),
];

describe('axe-core: no serious or critical WCAG 2.1 AA violation', () => {
  const app = servedApp();

  it.each(PAGES)('$name', async ({ path, lab }) => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors = watchErrors(page);
    try {
      await page.goto(`${app.url}${path}`);
      if (lab) await settled(page, 120_000);
      else await page.locator('main').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(300);
      const found = await seriousViolations(page);
      expect(found.map((f) => `${f.impact} ${f.rule} at ${f.target}: ${f.summary}`)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
