import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfiguredChecker } from '../../src/app/compliance-wiring.ts';
import { loadConfig } from '../../src/config.ts';
import {
  ContentLibraryError,
  loadContentLibrary,
  loadContentLibraryOrThrow,
} from '../../src/modules/content/content-library.ts';
import {
  chooseVariant,
  fixedMarketData,
  RenderError,
  renderComponent,
} from '../../src/modules/content/render.ts';

const config = loadConfig({});
const check = createConfiguredChecker(config);
const shipped = loadContentLibrary(config.contentLibraryDir, { check });
const component = (id: string) => {
  const c = shipped.components.get(id)?.component;
  if (!c) throw new Error(`no component ${id}`);
  return c;
};
const market = fixedMarketData({ csi300: 3921.45, csi300Change: -0.37, usdCny: 7.1052 });
const zhang = { name: '张敏', branch: '南山支行' };
const sister = { id: 'zhixing-jiejie', signoff: '有事随时找我呀', opener: '今天也想和你聊聊钱的小事～' };

/** A copy of the shipped library with one component file replaced. */
function libraryWith(file: string, text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'helix-content-'));
  cpSync(config.contentLibraryDir, dir, { recursive: true });
  const target = path.join(dir, 'components', file);
  writeFileSync(target, text);
  return { dir, target };
}

describe('the shipped library', () => {
  it('loads clean: every kind the bank needs, 12 personas, versions by content hash', () => {
    expect(shipped.problems).toEqual([]);
    const kinds = new Set([...shipped.components.values()].map((c) => c.component.kind));
    const needed =
      'morning-brief flash-sale evening-topic welcome greeting-birthday greeting-festival event-invite';
    for (const k of needed.split(' ')) expect(kinds).toContain(k);
    expect(shipped.personas.size).toBe(12);
    expect(shipped.components.get('morning-brief-daily')?.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('lint', () => {
  it('names the file, the field and the reason for a bad schema and an unknown variable, and boot refuses it', () => {
    const original = readFileSync(
      path.join(config.contentLibraryDir, 'components', 'greeting-birthday.yaml'),
      'utf8',
    );
    const { dir, target } = libraryWith(
      'greeting-birthday.yaml',
      original
        .replace('kind: greeting-birthday', 'kind: birthday')
        .replace('{{client.name}}生日快乐', '{{client.nickname}}生日快乐'),
    );
    const bad = loadContentLibrary(dir, { check });
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => [p.file, p.field])).toEqual([[target, 'kind']]);
    const fixedKind = libraryWith(
      'greeting-birthday.yaml',
      original.replace('{{client.name}}生日快乐', '{{client.nickname}}生日快乐'),
    );
    const unknown = loadContentLibrary(fixedKind.dir, { check }).problems.map(
      (p) => `${p.field}: ${p.message}`,
    );
    expect(unknown).toEqual([
      'variants.0.renderings.text: uses undeclared variable "client.nickname"',
      'variables.client.name: is declared but never used',
    ]);
    expect(() => loadContentLibraryOrThrow(fixedKind.dir, { check })).toThrow(ContentLibraryError);
    expect(() => loadContentLibraryOrThrow(fixedKind.dir, { check })).toThrow(
      /greeting-birthday\.yaml: variants\.0\.renderings\.text/,
    );
  });

  it('measures channel limits on the longest declared values, and runs the compliance rules', () => {
    const { dir } = libraryWith(
      'too-long.yaml',
      [
        'id: too-long',
        'kind: evening-topic',
        'title: 太长',
        'variables:',
        '  context.topic: { type: string, maxLength: 500 }',
        'variants:',
        '  - id: default',
        '    renderings:',
        `      text: "${'话题'.repeat(100)}{{context.topic}}，这款产品稳赚不赔"`,
      ].join('\n'),
    );
    const problems = loadContentLibrary(dir, { check }).problems.filter((p) =>
      p.file.endsWith('too-long.yaml'),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'text.text is 2127 bytes, over the limit of 2048 with the longest declared values',
      expect.stringContaining('compliance banned-claim sure-profit at "稳赚不赔"'),
    ]);
  });
});

describe('rendering', () => {
  const client = { externalUserid: 'wm_render_1', name: '王先生', tier: 'basic' };

  it('fills variables, formats them by type, and picks the variant by audience', async () => {
    const r = await renderComponent(component('welcome-new-client'), {
      channel: 'text',
      client: { ...client, tier: 'premium' },
      rm: zhang,
      context: { joinLink: 'https://x/j.png' },
      date: new Date('2026-11-23T00:00:00Z'),
      market,
    });
    expect(r.variantId).toBe('premium');
    expect(r.payload.text).toContain('王先生您好，我是您的专属客户经理张敏');
    const brief = await renderComponent(component('morning-brief-daily'), {
      channel: 'text',
      client,
      rm: zhang,
      persona: sister,
      date: new Date('2026-11-23T00:00:00Z'),
      market,
    });
    expect(brief.payload.text).toContain('-0.37%');
    expect(brief.payload.text).toContain('2026年11月23日');
  });

  it('is an error, not a blank, when a required variable has no value or a channel is missing', async () => {
    const base = { channel: 'text' as const, client, rm: zhang, date: new Date(), market };
    await expect(renderComponent(component('welcome-join-group'), base)).rejects.toThrow(
      /variable context\.joinLink has no value/,
    );
    await expect(
      renderComponent(component('evening-topic-daily'), {
        ...base,
        channel: 'news',
        persona: sister,
        context: { topic: 't' },
      }),
    ).rejects.toMatchObject({ code: 'no_channel' });
    await expect(
      renderComponent(component('morning-brief-daily'), {
        ...base,
        persona: sister,
        market: fixedMarketData({}),
      }),
    ).rejects.toBeInstanceOf(RenderError);
  });

  it('assigns A/B variants deterministically, stably per client, and across clients by weight', () => {
    const c = component('morning-brief-daily');
    const pick = (id: string) => chooseVariant(c, { externalUserid: id }).id;
    expect(pick('wm_ab_1')).toBe(pick('wm_ab_1'));
    const counts = { concise: 0, story: 0 } as Record<string, number>;
    for (let i = 0; i < 2000; i++) counts[pick(`wm_ab_${i}`)] = (counts[pick(`wm_ab_${i}`)] ?? 0) + 1;
    expect(counts.concise).toBeGreaterThan(800);
    expect(counts.story).toBeGreaterThan(800);
  });
});
