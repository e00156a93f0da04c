import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfiguredChecker } from '../../src/app/compliance-wiring.ts';
import { loadConfig } from '../../src/config.ts';
import { loadWelcomeTemplates, renderWelcome } from '../../src/modules/contacts/welcome-templates.ts';

const shipped = path.join(loadConfig({}).contentLibraryDir, 'welcome', 'templates.yaml');
const writeTemp = (text: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'helix-welcome-')), 'templates.yaml');
  writeFileSync(file, text);
  return file;
};

describe('welcome templates', () => {
  it('picks the persona and tier, falling back to the default persona and then to basic', () => {
    const t = loadWelcomeTemplates(shipped);
    expect(t.pick('zhixing-jiejie', 'basic').id).toBe('welcome-sister-basic');
    expect(t.pick('zhixing-jiejie', 'premium').id).toBe('welcome-default-premium');
    expect(t.pick(null, 'intermediate').id).toBe('welcome-default-intermediate');
    expect(t.pick('nobody', 'no-such-tier').id).toBe('welcome-default-basic');
  });

  it('adds the join line only when there is a link, and never prints a placeholder', () => {
    const t = loadWelcomeTemplates(shipped).pick(null, 'basic');
    const without = renderWelcome(t, { clientName: null, rmName: '李经理', joinLink: null });
    expect(without.startsWith('您好，我是您的客户经理李经理')).toBe(true);
    expect(without).not.toContain('{{');
    const withLink = renderWelcome(t, {
      clientName: '王先生',
      rmName: '李经理',
      joinLink: 'https://x/q.png',
    });
    expect(withLink.startsWith('王先生您好')).toBe(true);
    expect(withLink.endsWith('https://x/q.png')).toBe(true);
  });

  it('refuses a file with an unknown placeholder, naming the file, field and reason', () => {
    const file = writeTemp(
      'fallbackPersona: default\ntemplates:\n  - id: w1\n    persona: default\n    tier: basic\n    text: "{{client.nickname}}您好"\n    joinLine: "加入：{{joinLink}}"\n',
    );
    expect(() => loadWelcomeTemplates(file)).toThrow(
      `${file}: templates.0.text: unknown placeholder {{client.nickname}}`,
    );
  });

  it('refuses a welcome text that fails the compliance rules', () => {
    const file = writeTemp(
      'fallbackPersona: default\ntemplates:\n  - id: w1\n    persona: default\n    tier: basic\n    text: "您好，我们的产品零风险"\n    joinLine: "加入：{{joinLink}}"\n',
    );
    const check = createConfiguredChecker(loadConfig({}));
    expect(() => loadWelcomeTemplates(file, { check: (t) => check.check(t) })).toThrow(
      `${file}: templates.0.text: compliance zero-risk`,
    );
    expect(() => loadWelcomeTemplates(shipped, { check: (t) => check.check(t) })).not.toThrow();
  });

  it('refuses a file without a basic welcome for the fallback persona', () => {
    const file = writeTemp(
      'fallbackPersona: default\ntemplates:\n  - id: w1\n    persona: default\n    tier: premium\n    text: "您好"\n    joinLine: "加入：{{joinLink}}"\n',
    );
    expect(() => loadWelcomeTemplates(file)).toThrow(/fallbackPersona: "default" has no basic-tier template/);
  });
});
