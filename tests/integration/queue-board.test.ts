import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useWebWithPeople } from '../helpers/web-with-people.ts';

const env = useWebWithPeople([
  ['安全管理员', 'admin'],
  ['运营小王', 'ops'],
]);
const as = (who: string) => ({ authorization: `Bearer ${env.tokens[who]}` });

describe('the queue board (/admin/queues)', () => {
  it('shows an admin every queue, with its page served from local assets only', async () => {
    const page = await request(env.web.app).get('/admin/queues').set(as('安全管理员/admin'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Helix 队列');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const api = await request(env.web.app).get('/admin/queues/api/queues').set(as('安全管理员/admin'));
    expect(api.status).toBe(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['inbox', 'campaigns']));
  });

  it('refuses other roles (403) and anonymous callers (401), page and API alike', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      expect((await request(env.web.app).get(path).set(as('运营小王/ops'))).status).toBe(403);
      expect((await request(env.web.app).get(path)).status).toBe(401);
    }
  });
});
