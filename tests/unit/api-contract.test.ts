import express, { type Request, type Response } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/platform/errors.ts';
import { checkResponses, contract, pageOf } from '../../src/platform/http/api-contract.ts';
import { errorMiddleware } from '../../src/platform/http/error-middleware.ts';
import { createLogger } from '../../src/platform/logger.ts';

/** A log that keeps its lines, so a test can see what an operator would. */
function capturingLog() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'info',
    name: 'contract-test',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { log, lines };
}

const item = z.object({ id: z.string(), score: z.number() });

function app(mode: 'strict' | 'log' | 'off', answer: unknown, status = 200) {
  const { log, lines } = capturingLog();
  const a = express();
  a.use(checkResponses(mode, log));
  a.get(
    '/items',
    contract({ tag: 'test', summary: 'items', responses: { 200: pageOf(item) } }),
    (_req: Request, res: Response) => {
      res.status(status).json(answer);
    },
  );
  a.get('/refused', contract({ tag: 'test', summary: 'refused', responses: { 200: item } }), () => {
    throw new AppError('conflict', { message: 'already done' });
  });
  a.use(errorMiddleware(log));
  return { app: a, lines };
}

describe('response contracts', () => {
  it('lets an answer that matches its schema through unchanged', async () => {
    const body = { items: [{ id: 'a', score: 1 }], nextCursor: null };
    const res = await request(app('strict', body).app).get('/items');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(body);
  });

  it('in strict mode answers 500 naming the field that broke the contract, without its value', async () => {
    const { app: a, lines } = app('strict', { items: [{ id: 'a', score: '13800138000' }], nextCursor: null });
    const res = await request(a).get('/items');
    expect(res.status).toBe(500);
    expect(res.body.error.message).toContain('items.0.score');
    const logged = lines.find((l) => l.msg === 'response does not match its contract');
    expect(logged?.problems).toEqual([expect.stringContaining('items.0.score')]);
    expect(JSON.stringify(lines)).not.toContain('13800138000');
  });

  it('checks a status the route does not declare', async () => {
    const res = await request(app('strict', { id: 'a', score: 1 }, 202).app).get('/items');
    expect(res.status).toBe(500);
    expect(res.body.error.message).toContain('status 202 is not declared');
  });

  it('in log mode sends the answer and logs the mismatch', async () => {
    const { app: a, lines } = app('log', { items: 'nope', nextCursor: null });
    const res = await request(a).get('/items');
    expect(res.status).toBe(200);
    expect(res.body.items).toBe('nope');
    expect(lines.some((l) => l.msg === 'response does not match its contract')).toBe(true);
  });

  it('holds error answers to the shared error shape', async () => {
    const res = await request(app('strict', null).app).get('/refused');
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', message: 'already done' });
  });
});

describe('errors from infrastructure', () => {
  it('answers 503 unavailable, not 500, when Redis is not connected yet', async () => {
    const { log } = capturingLog();
    const a = express();
    a.get('/needs-redis', () => {
      throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    });
    a.use(errorMiddleware(log));
    const res = await request(a).get('/needs-redis');
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'unavailable', message: 'Redis unavailable' });
  });
});
