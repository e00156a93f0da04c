import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createWelcomeBot } from '../../bots/welcome.ts';
import { createConfiguredChecker } from '../../src/app/compliance-wiring.ts';
import { loadConfig } from '../../src/config.ts';
import { componentSchema } from '../../src/modules/content/content.schemas.ts';
import { lintComponent, loadContentLibrary } from '../../src/modules/content/content-library.ts';
import { fixedMarketData, renderComponent } from '../../src/modules/content/render.ts';
import type { Tx } from '../../src/platform/db/client.ts';

const config = loadConfig({});
const check = createConfiguredChecker(config);
const library = loadContentLibrary(config.contentLibraryDir, { check });
const component = (id: string) => {
  const c = library.components.get(id)?.component;
  if (!c) throw new Error(`no component ${id}`);
  return c;
};

// The welcome bot on the shipped files, rendered as the content service renders an approved version.
const welcome = createWelcomeBot({
  content: {
    async renderApprovedText(id, input) {
      const r = await renderComponent(component(id), {
        channel: 'text',
        client: input.client,
        ...(input.rm ? { rm: input.rm } : {}),
        ...(input.personaId ? { persona: { id: input.personaId } } : {}),
        ...(input.context ? { context: input.context } : {}),
        date: new Date(),
        market: fixedMarketData({}),
      });
      return { text: r.payload.text ?? '', version: 1, variantId: r.variantId };
    },
  },
});
const tx = {} as Tx; // the stand-in renderer above never reads the database
const compose = (over: Partial<Parameters<typeof welcome>[1]>) =>
  welcome(tx, {
    externalUserid: 'wm_welcome_1',
    persona: null,
    tier: 'basic',
    clientName: null,
    rmName: '李经理',
    joinLink: null,
    ...over,
  });

describe('the welcome (welcome-new-client + welcome-join-group)', () => {
  it("speaks in the RM persona's own words where the library has them, else the tier's", async () => {
    expect((await compose({ persona: 'zhixing-jiejie' })).templateId).toBe(
      'welcome-new-client@1/sister-basic',
    );
    expect((await compose({ persona: 'yinghe-shuju' })).text).toContain('我习惯用数据说话');
    // The persona's basic wording does not reach a premium client; the premium text does.
    expect((await compose({ persona: 'zhixing-jiejie', tier: 'premium' })).templateId).toBe(
      'welcome-new-client@1/premium',
    );
    expect((await compose({ tier: 'intermediate' })).templateId).toBe('welcome-new-client@1/intermediate');
    // A tier the library writes nothing for is greeted as basic.
    expect((await compose({ persona: 'nobody', tier: 'no-such-tier' })).templateId).toBe(
      'welcome-new-client@1/basic',
    );
  });

  it('adds the join line only when there is a link, and never prints a placeholder', async () => {
    const without = (await compose({})).text;
    expect(without.startsWith('您好，我是您的客户经理李经理')).toBe(true);
    expect(without).not.toContain('{{');
    expect(without).not.toContain('\n');
    const withLink = (await compose({ clientName: '王先生', joinLink: 'https://x/q.png' })).text;
    expect(withLink.startsWith('王先生您好')).toBe(true);
    expect(withLink.endsWith('欢迎扫码加入：https://x/q.png')).toBe(true);
    const sister = (await compose({ persona: 'zhixing-jiejie', joinLink: 'https://x/q.png' })).text;
    expect(sister).toContain('欢迎你来：https://x/q.png');
  });

  it('passes the compliance rules, and lint refuses a welcome that does not', () => {
    for (const id of ['welcome-new-client', 'welcome-join-group']) {
      const entry = library.components.get(id);
      expect(library.problems.filter((p) => p.file === entry?.file)).toEqual([]);
    }
    const file = path.join(config.contentLibraryDir, 'components', 'welcome-new-client.yaml');
    const raw = parse(readFileSync(file, 'utf8')) as { variants: { renderings: { text: string } }[] };
    (raw.variants[0] as { renderings: { text: string } }).renderings.text =
      '{{client.name}}您好，我是{{rm.name}}，我们的产品零风险';
    const problems = lintComponent(componentSchema.parse(raw), file, check);
    expect(problems.some((p) => p.severity === 'block' && p.message.includes('zero-risk'))).toBe(true);
  });

  it('refuses an undeclared placeholder, naming the field', () => {
    const c = componentSchema.parse({
      ...component('welcome-join-group'),
      variants: [{ id: 'basic', renderings: { text: '加入：{{context.joinLink}}{{client.nickname}}' } }],
    });
    expect(lintComponent(c, 'welcome-join-group.yaml', undefined)).toContainEqual(
      expect.objectContaining({
        field: 'variants.0.renderings.text',
        message: 'uses undeclared variable "client.nickname"',
      }),
    );
  });
});
