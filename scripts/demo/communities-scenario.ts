import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/platform/db/client.ts';
import { type DemoKit, waitFor } from './demo-kit.ts';

const RMS = [
  { userid: 'rm_zhangmin', name: '张敏', branch: '南山支行', persona: 'zhixing-jiejie' },
  { userid: 'rm_lihang', name: '李航', branch: '福田支行', persona: 'yinghe-shuju' },
];
const GROUPS = [
  { chatId: 'wr_demo_basic_1', name: '理财入门1群', groupKey: 'basic', owner: 'rm_zhangmin' },
  { chatId: 'wr_demo_mid_1', name: '进阶理财1群', groupKey: 'intermediate', owner: 'rm_zhangmin' },
  { chatId: 'wr_demo_vip_1', name: '金葵花贵宾1群', groupKey: 'premium', owner: 'rm_lihang' },
  { chatId: 'wr_demo_fund_1', name: '基民交流1群', groupKey: 'jimin', owner: 'rm_lihang' },
];
const CHANNELS = [
  { id: 'metro-2611', state: 'ch-metro-2611', name: '地铁灯箱广告', rm: 'rm_zhangmin', cost: 18000 },
  { id: 'salon-1122', state: 'ch-salon-1122', name: '周末理财沙龙', rm: 'rm_lihang', cost: 6000 },
];
/** Demo clients: name, channel, and the profile the bank's feed sends for them. */
export const CLIENTS = [
  { id: 'wm_demo_wang', name: '王先生', channel: 0, band: '500k-6m', tags: '基金' },
  { id: 'wm_demo_chen', name: '陈女士', channel: 0, band: '50k-500k', tags: '' },
  { id: 'wm_demo_zhao', name: '赵同学', channel: 0, band: 'lt50k', tags: '留学' },
  { id: 'wm_demo_liu', name: '刘阿姨', channel: 1, band: 'lt50k', tags: '基金|定投' },
  { id: 'wm_demo_sun', name: '孙总', channel: 1, band: 'ge6m', tags: '' },
];
const nameOf = (id: string) => CLIENTS.find((c) => c.id === id)?.name ?? id;

type Client = { externalUserid: string; tier: string | null; channelId: string | null };

async function joinGroup(k: DemoKit, clientId: string, groupKey: string) {
  const [g] = await queryRows<{ config: string }>(
    k.db,
    sql`SELECT join_way_config_id AS config FROM community_groups WHERE group_key = ${groupKey} AND join_way_config_id IS NOT NULL LIMIT 1`,
  );
  if (!g) throw new Error(`no join way for ${groupKey}`);
  const placed = await k.emulator.joinViaJoinWay(g.config, clientId);
  k.expect(!('error' in placed), `${clientId} joins ${groupKey}`);
  return 'chatId' in placed ? placed.chatId : '';
}

const importFeed = (k: DemoKit, rows: typeof CLIENTS) =>
  k.api<{ rows: number; routing: Record<string, number> }>(
    'POST',
    '/clients/import?fileName=daily-feed.csv',
    ['external_userid,aum_band,tags', ...rows.map((c) => `${c.id},${c.band},${c.tags}`)].join('\n'),
    'text/csv',
  );

/** Channels, welcome, tier routing, invitations, joins and an upgrade (the communities issue's story). */
export async function playCommunities(k: DemoKit): Promise<void> {
  const { say } = k;
  say('1. Ops set up RMs, register tiered and interest groups, and create two channel codes.');
  k.emulator.seed({
    members: RMS.map((r) => ({ userid: r.userid, name: r.name })),
    groups: GROUPS.map((g) => ({ chatId: g.chatId, owner: g.owner, name: g.name })),
  });
  for (const rm of RMS)
    await k.api('PUT', `/rms/${rm.userid}`, { name: rm.name, branch: rm.branch, persona: rm.persona });
  for (const g of GROUPS)
    await k.api('POST', '/groups', { chatId: g.chatId, name: g.name, groupKey: g.groupKey });
  say(`   groups: ${GROUPS.map((g) => `${g.name} (${g.groupKey})`).join('、')}`);
  for (const ch of CHANNELS) {
    const created = await k.api<{ qrCode: string }>('POST', '/channels', {
      id: ch.id,
      name: ch.name,
      state: ch.state,
      cost: ch.cost,
      rmUserids: [ch.rm],
    });
    say(`   channel ${ch.name}: state=${ch.state}, RM ${ch.rm}, QR ${created.qrCode}`);
  }

  say();
  say('2. Clients scan the codes and add their RM; Helix attributes them and welcomes them within 20 s.');
  for (const c of CLIENTS) {
    const ch = CHANNELS[c.channel]!;
    const out = await k.driver.clientAddsRm({ externalUserId: c.id, rmUserId: ch.rm, state: ch.state });
    k.expect(out.status === 200, `add callback for ${c.name} acknowledged`);
  }
  await k.drained();
  // Welcomes go out right after each event's transaction commits; wait until every one is decided.
  await waitFor('welcomes sent', async () => {
    const [r] = await queryRows<{ n: number }>(
      k.db,
      sql`SELECT count(*)::int AS n FROM welcomes WHERE status <> 'pending'`,
    );
    return (r?.n ?? 0) >= CLIENTS.length ? true : undefined;
  });
  const received = k.emulator.inspect().clients;
  for (const c of CLIENTS) {
    const w = received.find((x) => x.externalUserId === c.id)?.welcomes[0];
    k.expect(w !== undefined, `${c.name} received a welcome`);
    say(`   ${c.name} ← ${w ? `“${(w.text ?? '').split('\n')[0]?.slice(0, 34)}…”` : 'no welcome'}`);
  }

  say();
  say("3. The bank's profile feed arrives; Helix routes every client and invites them to their groups.");
  const first = await importFeed(k, CLIENTS);
  say(`   imported ${first.rows} profiles: ${JSON.stringify({ ...first.routing, tasksByRm: undefined })}`);
  const invites = await queryRows<{ id: string; key: string; why: { text: string }[] }>(
    k.db,
    sql`SELECT external_userid AS id, group_key AS key, explanation AS why FROM group_invitations
        WHERE status = 'pending' ORDER BY external_userid, group_key`,
  );
  for (const c of CLIENTS) {
    const mine = invites.filter((i) => i.id === c.id);
    say(`   ${c.name}: ${mine[0]?.why[0]?.text ?? '-'}; invited to ${mine.map((i) => i.key).join(', ')}`);
  }
  const notices = k.emulator
    .inspect()
    .members.flatMap((m) => m.appMessages.map((a) => `${m.userid}: ${JSON.stringify(a.payload)}`));
  say(`   RM task notices sent: ${notices.length}`);
  k.expect(notices.length === RMS.length, 'each RM was told about their routing tasks');

  say();
  say('4. Some clients scan their group QR codes; member events confirm the invitations.');
  for (const [id, key] of [
    ['wm_demo_wang', 'premium'],
    ['wm_demo_wang', 'jimin'],
    ['wm_demo_chen', 'intermediate'],
    ['wm_demo_liu', 'basic'],
  ] as const) {
    const chat = await joinGroup(k, id, key);
    say(`   ${nameOf(id)} joined ${GROUPS.find((g) => g.chatId === chat)?.name ?? chat}`);
  }
  await k.drained();

  say();
  say('5. 陈女士 moves 600k into wealth products: the next feed upgrades her to premium at once.');
  const chen = CLIENTS.find((c) => c.id === 'wm_demo_chen')!;
  const upgrade = await importFeed(k, [{ ...chen, band: '500k-6m' }]);
  k.expect(upgrade.routing.upgraded === 1, '陈女士 upgraded');
  await joinGroup(k, chen.id, 'premium');
  await k.drained();
  const [why] = await queryRows<{ why: { text: string }[] }>(
    k.db,
    sql`SELECT explanation AS why FROM group_invitations WHERE external_userid = ${chen.id} AND group_key = 'premium'`,
  );
  say(`   ${why?.why.map((w) => w.text).join('; ')}`);

  say();
  say('Summary: client, channel, tier, groups joined, open RM tasks (invitations, leave requests)');
  const clients = await k.api<{ items: Client[] }>('GET', '/clients?limit=50');
  const stays = await queryRows<{ id: string; name: string }>(
    k.db,
    sql`SELECT m.member_id AS id, g.name FROM group_memberships m JOIN community_groups g USING (chat_id)
        WHERE m.left_at IS NULL AND m.member_type = 2 ORDER BY g.name`,
  );
  const open = await queryRows<{ id: string; key: string; kind: string }>(
    k.db,
    sql`SELECT external_userid AS id, group_key AS key, kind FROM group_invitations WHERE status = 'pending'`,
  );
  for (const c of CLIENTS) {
    const row = clients.items.find((x) => x.externalUserid === c.id);
    const groups = stays.filter((s) => s.id === c.id).map((s) => s.name);
    const pending = open
      .filter((o) => o.id === c.id)
      .map((o) => (o.kind === 'leave' ? `leave ${o.key}` : o.key));
    say(
      `   ${c.name}  ${row?.channelId}  ${row?.tier}  in: ${groups.join('、') || '-'}  tasks: ${pending.join(', ') || '-'}`,
    );
  }
  k.expect(clients.items.find((x) => x.externalUserid === chen.id)?.tier === 'premium', '陈女士 is premium');
  k.expect(
    stays.filter((s) => s.id === 'wm_demo_wang').length === 2,
    '王先生 is in the premium and the 基民 group',
  );
}
