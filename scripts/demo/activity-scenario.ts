import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/platform/db/client.ts';
import { type DemoKit, waitFor } from './demo-kit.ts';

const HOUR = 3600_000;
const NAMES: Record<string, string> = {
  wm_demo_wang: '王先生',
  wm_demo_chen: '陈女士',
  wm_demo_zhao: '赵同学',
  wm_demo_liu: '刘阿姨',
  wm_demo_sun: '孙总',
  wm_demo_qian: '钱小姐',
};
const nameOf = (id: string) => NAMES[id] ?? id;

const botReplies = (k: DemoKit) =>
  Object.values(k.emulator.inspect().botReplies)
    .flat()
    .map((r) => (r.payload as { markdown: { content: string } }).markdown.content);

/** A client @-mentions the bot in a group; returns the bot's reply. */
async function mention(k: DemoKit, chatId: string, client: string, content: string) {
  const before = botReplies(k).length;
  await k.driver.clientMentionsBot({ chatId, userId: client, content: `@智能助手 ${content}` });
  return waitFor(`the bot's reply to ${content}`, async () => botReplies(k)[before]);
}

const oneLine = (text: string, n = 70) => text.split('\n').join(' / ').slice(0, n);

type Stats = { invited: number; signedUp: number; waitlisted: number; attended: number };

/**
 * The activity spiral at the end of the week (issue 15): the night school fills up and promotes from its
 * waitlist, attendance earns points, a flash sale sells out exactly with a reply for every kind of claimant,
 * a referral pays only after activation, and the top KOC candidates are invited to the tea party, one of
 * them joining the KOC circle.
 */
export async function playActivities(k: DemoKit, clock: { advanceTo(d: Date): void; now(): Date }) {
  const { say } = k;
  const vip = 'wr_demo_vip_1';
  say('8. The activity spiral: night school, points, a flash sale, a referral and the KOC tea party.');

  // The night school: two places, the third client waits, a cancellation promotes them.
  const startsAt = new Date(clock.now().getTime() + 2 * HOUR);
  const night = await k.api<{ id: number }>('POST', '/events', {
    kind: 'night_school',
    title: '周日夜校：养老规划',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
    capacity: 2,
    audience: { tiers: ['basic', 'intermediate', 'premium'] },
    invitationComponentId: 'event-night-school',
    context: { topic: '养老规划三步走', speaker: '李老师' },
    pointsForAttendance: 50,
  });
  say(`   夜校 #${night.id}: 2 places, 50 points for attending`);
  for (const [client, text] of [
    ['wm_demo_wang', `报名 ${night.id}`],
    ['wm_demo_sun', `报名 ${night.id}`],
    ['wm_demo_chen', `报名 ${night.id}`],
    ['wm_demo_sun', `取消报名 ${night.id}`],
  ] as const)
    say(`   ${nameOf(client)}: ${text} → ${oneLine(await mention(k, vip, client, text))}`);
  const signups = await k.api<{ items: { externalUserid: string; status: string }[] }>(
    'GET',
    `/events/${night.id}/signups`,
  );
  const seated = signups.items.filter((s) => s.status === 'signed_up').map((s) => s.externalUserid);
  k.expect(
    seated.includes('wm_demo_chen') && seated.includes('wm_demo_wang') && seated.length === 2,
    'the waitlisted client is promoted when a place frees',
  );
  say(`   seated: ${seated.map(nameOf).join('、')} (陈女士 promoted from the waitlist; 张敏 was told)`);

  // The live stream's attendance list, imported after the class.
  clock.advanceTo(new Date(startsAt.getTime() + HOUR + 60_000));
  await k.api(
    'POST',
    `/events/${night.id}/attendance/import`,
    'external_userid\nwm_demo_wang\nwm_demo_chen',
    'text/csv',
  );
  const stats = (await k.api<{ stats: Stats }>('GET', `/events/${night.id}`)).stats;
  say(`   attendance imported: ${stats.attended} attended of ${stats.signedUp} signed up`);
  const balance = await mention(k, vip, 'wm_demo_wang', '积分查询');
  k.expect(balance.includes('50'), 'attendance earned 50 points');
  say(`   王先生: 积分查询 → ${oneLine(balance)}`);

  // The lunchtime flash sale: 2 units for premium clients; every kind of claimant gets their answer.
  const now = clock.now().getTime();
  await k.api('POST', '/flash-sales', {
    id: 'demo-lunch',
    name: '午间秒杀',
    itemName: '理财加息券',
    stock: 2,
    keyword: '午间秒杀',
    eligibility: { tiers: ['premium'] },
    opensAt: new Date(now - 60_000).toISOString(),
    closesAt: new Date(now + HOUR).toISOString(),
  });
  await k.api('POST', '/flash-sales', {
    id: 'demo-evening',
    name: '晚间秒杀',
    itemName: '视频会员月卡',
    stock: 10,
    keyword: '晚间秒杀',
    opensAt: new Date(now + 6 * HOUR).toISOString(),
    closesAt: new Date(now + 7 * HOUR).toISOString(),
  });
  await k.api('POST', '/flash-sales', {
    id: 'demo-morning',
    name: '早间秒杀',
    itemName: '咖啡券',
    stock: 10,
    keyword: '早间秒杀',
    opensAt: new Date(now - 4 * HOUR).toISOString(),
    closesAt: new Date(now - 3 * HOUR).toISOString(),
  });
  say('   午间秒杀: 2 理财加息券 for premium clients, claimed with a keyword in 金葵花贵宾1群');
  for (const [client, text] of [
    ['wm_demo_wang', '午间秒杀'],
    ['wm_demo_wang', '午间秒杀'],
    ['wm_demo_liu', '午间秒杀'],
    ['wm_demo_chen', '午间秒杀'],
    ['wm_demo_sun', '午间秒杀'],
    ['wm_demo_sun', '晚间秒杀'],
    ['wm_demo_sun', '早间秒杀'],
  ] as const)
    say(`   ${nameOf(client)}: ${text} → ${oneLine(await mention(k, vip, client, text), 60)}`);
  const sale = await k.api<{ sale: { stock: number; taken: number }; stockLeft: number }>(
    'GET',
    '/flash-sales/demo-lunch',
  );
  k.expect(sale.sale.taken === 2 && sale.stockLeft === 0, 'the flash sale sells out exactly');
  say(`   sold out exactly: ${sale.sale.taken} of ${sale.sale.stock} taken, ${sale.stockLeft} left in Redis`);

  // A referral: 王先生's personal code brings 钱小姐; the reward waits for her first deposit.
  const code = await k.api<{ state: string }>('POST', '/clients/wm_demo_wang/referral-code');
  await k.driver.clientAddsRm({ externalUserId: 'wm_demo_qian', rmUserId: 'rm_zhangmin', state: code.state });
  await k.drained();
  const pointsOf = async (id: string) =>
    (await k.api<{ balance: number }>('GET', `/clients/${id}/points`)).balance;
  const before = await pointsOf('wm_demo_wang');
  const referral = await waitFor('the referral', async () => {
    const [r] = await queryRows<{ status: string }>(
      k.db,
      sql`SELECT status FROM referrals WHERE referred = 'wm_demo_qian'`,
    );
    return r;
  });
  say(
    `   钱小姐 adds 张敏 through 王先生's code ${code.state}: referral ${referral.status}, 王先生 has ${before} points`,
  );
  await k.api('POST', '/activation-events', {
    events: [
      {
        externalUserid: 'wm_demo_qian',
        kind: 'first_deposit',
        ref: 'demo-deposit-1',
        occurredAt: clock.now().toISOString(),
      },
    ],
  });
  const after = await pointsOf('wm_demo_wang');
  k.expect(referral.status === 'pending' && after > before, 'a referral pays only after activation');
  say(`   钱小姐 makes her first deposit (activation): 王先生 now has ${after} points`);

  // KOCs: the ranking explains itself; the top candidates are invited to the tea party.
  const top = (
    await k.api<{ items: { externalUserid: string; score: number }[] }>('GET', '/koc/candidates?limit=3')
  ).items;
  say(`   KOC candidates: ${top.map((c) => `${nameOf(c.externalUserid)} ${c.score.toFixed(1)}`).join('、')}`);
  const first = top[0]?.externalUserid ?? '';
  const why = await k.api<{ contributions: { kind: string; weight: number; decayed: number }[] }>(
    'GET',
    `/koc/candidates/${first}`,
  );
  say(
    `   why ${nameOf(first)}: ${why.contributions.map((c) => `${c.kind} ×${c.weight} → ${c.decayed.toFixed(2)}`).join(', ')}`,
  );
  const teaAt = new Date(clock.now().getTime() + 24 * HOUR);
  const tea = await k.api<{ id: number; audience: { clientIds?: string[] } }>('POST', '/events', {
    kind: 'tea_party',
    title: 'KOC茶话会',
    startsAt: teaAt.toISOString(),
    endsAt: new Date(teaAt.getTime() + 2 * HOUR).toISOString(),
    capacity: 10,
    audience: { kocTop: 3 },
    invitationComponentId: 'event-koc-tea-party',
    context: { place: '南山支行三楼' },
  });
  say(`   茶话会 #${tea.id} invites ${(tea.audience.clientIds ?? []).map(nameOf).join('、')}`);
  say(`   ${nameOf(first)}: 参加 → ${oneLine(await mention(k, vip, first, '参加'), 60)}`);

  // The KOC circle: ops invite the top candidate, the router honours it, and they join by the link.
  k.emulator.seed({ groups: [{ chatId: 'wr_demo_koc_1', owner: 'rm_zhangmin', name: 'KOC核心圈' }] });
  await k.api('POST', '/groups', { chatId: 'wr_demo_koc_1', name: 'KOC核心圈', groupKey: 'koc-circle' });
  const invited = await k.api<{ joinLink: string }>('POST', '/circles/koc-circle/invites', {
    externalUserid: first,
  });
  const [way] = await queryRows<{ config: string }>(
    k.db,
    sql`SELECT join_way_config_id AS config FROM community_groups WHERE chat_id = 'wr_demo_koc_1'`,
  );
  if (way?.config) await k.emulator.joinViaJoinWay(way.config, first);
  const joined = await waitFor('the circle invitation joined', async () => {
    const list = await k.api<{ items: { externalUserid: string; status: string }[] }>(
      'GET',
      '/circles/koc-circle/invites',
    );
    return list.items.find((i) => i.externalUserid === first && i.status === 'joined');
  });
  k.expect(joined !== undefined, 'a KOC joins the circle by invitation');
  say(`   ${nameOf(first)} is invited to KOC核心圈 (${invited.joinLink}) and joins it`);
}
