import { sql } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.ts';
import { useHelixWithRms } from '../helpers/helix-with-rms.ts';

// Activation events: the API and the profile feed record them, and the first one inside the new-client
// period sets the client's activated_at, once.
const helix = useHelixWithRms();
const { driver, db, welcomeOf } = helix;

const post = (body: unknown) =>
  request(helix.web.app)
    .post('/api/v1/activation-events')
    .set('authorization', `Bearer ${helix.opsToken}`)
    .send(body as object);

async function activatedAt(id: string): Promise<string | null> {
  const [row] = await queryRows<{ at: string | null }>(
    db(),
    sql`SELECT to_char(activated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS at
        FROM clients WHERE external_userid = ${id}`,
  );
  return row?.at ?? null;
}

describe('activation events', () => {
  it('sets activated_at once, and ignores a repeated ref', async () => {
    await driver().clientAddsRm({ externalUserId: 'wm_act1', rmUserId: 'rm_zhang' });
    await welcomeOf('wm_act1');
    const event = { externalUserid: 'wm_act1', kind: 'first_deposit', ref: 'bank-ev-1' };
    const at = new Date(Date.now() - 60_000);
    const first = await post({ events: [{ ...event, occurredAt: at.toISOString() }] });
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([{ ref: 'bank-ev-1', status: 'activated' }]);
    expect(await activatedAt('wm_act1')).toBe(at.toISOString().slice(0, 19));
    const repeat = await post({ events: [{ ...event, occurredAt: new Date().toISOString() }] });
    expect(repeat.body.results).toEqual([{ ref: 'bank-ev-1', status: 'duplicate' }]);
    const later = await post({
      events: [
        { ...event, ref: 'bank-ev-2', kind: 'product_purchase', occurredAt: new Date().toISOString() },
      ],
    });
    expect(later.body.results).toEqual([{ ref: 'bank-ev-2', status: 'recorded' }]);
    expect(await activatedAt('wm_act1')).toBe(at.toISOString().slice(0, 19));
    const [n] = await queryRows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM activation_events WHERE external_userid = 'wm_act1'`,
    );
    expect(n?.n).toBe(2);
  });

  it('gives an unknown client its own error while the rest of the batch applies', async () => {
    await driver().clientAddsRm({ externalUserId: 'wm_act2', rmUserId: 'rm_zhang' });
    await welcomeOf('wm_act2');
    const now = new Date().toISOString();
    const res = await post({
      events: [
        { externalUserid: 'wm_ghost', kind: 'first_deposit', ref: 'ev-ghost', occurredAt: now },
        { externalUserid: 'wm_act2', kind: 'first_deposit', ref: 'ev-act2', occurredAt: now },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        ref: 'ev-ghost',
        status: 'error',
        error: { code: 'unknown_client', message: expect.any(String), zh: expect.any(String) },
      },
      { ref: 'ev-act2', status: 'activated' },
    ]);
    expect(await activatedAt('wm_act2')).not.toBeNull();
  });

  it('refuses a malformed batch whole, changing nothing', async () => {
    await driver().clientAddsRm({ externalUserId: 'wm_act3', rmUserId: 'rm_zhang' });
    await welcomeOf('wm_act3');
    const now = new Date().toISOString();
    const good = { externalUserid: 'wm_act3', kind: 'first_deposit', ref: 'ev-act3', occurredAt: now };
    for (const body of [
      { events: [good, { ...good, ref: 'ev-bad', kind: 'lottery_win' }] },
      { events: [good, { ...good, ref: 'ev-bad', occurredAt: 'yesterday' }] },
      { events: [] },
      { events: Array.from({ length: 1001 }, (_, i) => ({ ...good, ref: `ev-${i}` })) },
      [good],
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
    }
    expect(await activatedAt('wm_act3')).toBeNull();
    const ops = await request(helix.web.app)
      .post('/api/v1/activation-events')
      .send({ events: [good] });
    expect(ops.status).toBe(401);
  });

  it('stores an event after the new-client period without activating the client', async () => {
    await driver().clientAddsRm({ externalUserId: 'wm_act4', rmUserId: 'rm_zhang' });
    await welcomeOf('wm_act4');
    const late = new Date(Date.now() + 91 * 86_400_000).toISOString();
    const res = await post({
      events: [{ externalUserid: 'wm_act4', kind: 'first_deposit', ref: 'ev-late', occurredAt: late }],
    });
    expect(res.body.results).toEqual([{ ref: 'ev-late', status: 'outside_period' }]);
    expect(await activatedAt('wm_act4')).toBeNull();
  });

  it('takes activation columns in the profile feed, and reports a half-given activation by line', async () => {
    const importCsv = (csv: string) =>
      request(helix.web.app)
        .post('/api/v1/clients/import')
        .set('authorization', `Bearer ${helix.opsToken}`)
        .set('content-type', 'text/csv')
        .send(Buffer.from(csv));
    const bad = await importCsv(
      'external_userid,name,activated_kind,activated_at,activation_ref\n' +
        'wm_feed1,王一,first_deposit,2024-01-02,feed-1\n' +
        'wm_feed2,王二,first_deposit,2024-01-02,\n',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual([
      { line: 3, field: 'activation_ref', message: expect.stringContaining('activated_kind') },
    ]);
    expect(await activatedAt('wm_feed1')).toBeNull();
    const ok = await importCsv(
      'external_userid,name,activated_kind,activated_at,activation_ref\n' +
        'wm_feed1,王一,first_deposit,2024-01-02,feed-1\n' +
        'wm_feed2,王二,,,\n',
    );
    expect(ok.status).toBe(201);
    expect(ok.body.activations).toEqual({ recorded: 1, activated: 1 });
    expect(await activatedAt('wm_feed1')).toBe('2024-01-02T00:00:00');
    expect(await activatedAt('wm_feed2')).toBeNull();
    // The same file again: the ref was recorded, nothing changes.
    const again = await importCsv(
      'external_userid,name,activated_kind,activated_at,activation_ref\nwm_feed1,王一,first_deposit,2024-01-02,feed-1\n',
    );
    expect(again.body.activations).toEqual({ recorded: 0, activated: 0 });
  });
});
