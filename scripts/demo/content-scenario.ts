import type { DemoKit } from './demo-kit.ts';

type Version = { version: number; status: string; findings: { message: string }[] };
type Preview = { payload: { text: string }; sendable: boolean; variantId: string };

const draft = (text: string) => ({
  id: 'wednesday-deposit-day',
  kind: 'event-invite',
  title: '周三存款日',
  variables: {
    'rm.name': { type: 'string', maxLength: 16 },
    'persona.opener': { type: 'string', maxLength: 60 },
  },
  variants: [{ id: 'default', renderings: { text } }],
});

/** Maker–checker on content: a draft with a banned claim is rejected, the corrected one approved and rendered. */
export async function playContent(k: DemoKit): Promise<void> {
  const { say } = k;
  say('6. Ops draft a Wednesday promotion; compliance reviews it (maker and checker are different people).');
  const reviewer = await k.token('合规老王', 'compliance');
  const path = '/content/components/wednesday-deposit-day';
  const bad = await k.api<Version>(
    'POST',
    '/content/components',
    draft('{{persona.opener}}周三存款日，这款产品保本稳赚，名额有限！找{{rm.name}}预约。'),
  );
  say(`   draft v${bad.version}: ${bad.findings.length} compliance finding(s)`);
  for (const f of bad.findings) say(`     - ${f.message}`);
  await k.api('POST', `${path}/versions/${bad.version}/submit`);
  const refused = await k.api<{ error: { message: string } }>(
    'POST',
    `${path}/versions/${bad.version}/approve`,
    {},
    undefined,
    {
      as: reviewer,
      allow: [409],
    },
  );
  say(`   approve? ${refused.error.message}`);
  const rejected = await k.api<Version>(
    'POST',
    `${path}/versions/${bad.version}/reject`,
    { note: '含“保本”“稳赚”承诺，请删除' },
    undefined,
    {
      as: reviewer,
    },
  );
  k.expect(rejected.status === 'rejected', 'the banned-claim draft is rejected');
  say(`   v${bad.version} ${rejected.status}: 含“保本”“稳赚”承诺，请删除`);

  const good = await k.api<Version>(
    'POST',
    '/content/components',
    draft(
      '{{persona.opener}}周三存款日到网点办理业务，可领取节日礼品一份，数量有限，以网点公告为准。找{{rm.name}}预约。',
    ),
  );
  await k.api('POST', `${path}/versions/${good.version}/submit`);
  const approved = await k.api<Version>('POST', `${path}/versions/${good.version}/approve`, {}, undefined, {
    as: reviewer,
  });
  k.expect(approved.status === 'approved' && good.findings.length === 0, 'the corrected draft is approved');
  say(`   v${good.version}: ${good.findings.length} findings → ${approved.status} by 合规老王`);

  say('   rendered for two RM personas:');
  for (const [personaId, rm] of [
    ['zhixing-jiejie', '张敏'],
    ['yinghe-shuju', '李航'],
  ] as const) {
    const p = await k.api<Preview>('POST', `${path}/preview`, {
      client: { externalUserid: 'wm_demo_wang', tier: 'premium' },
      rm: { name: rm },
      personaId,
    });
    k.expect(p.sendable, `approved version is sendable (${personaId})`);
    say(`     ${personaId}: ${p.payload.text}`);
  }
}
