import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat request as the stub received it. */
export type StubChatRequest = { model: string; messages: { role: string; content: string }[] };

/** An embeddings request as the stub received it, `input` always as a list. */
export type StubEmbeddingRequest = { model: string; input: string[] };

/**
 * How the stub answers one chat request: with content, with a status (and body; a string body is sent
 * verbatim under a JSON content type, to play a malformed reply), after a delay, or never.
 */
export type StubReply =
  | { content: string }
  | { status: number; body?: unknown }
  | { delayMs: number; content: string }
  | { hang: true };

/** Decides the reply to each chat request. */
export type StubResponder = (req: StubChatRequest) => StubReply;

/**
 * How the stub answers one embeddings request: `stubEmbedding` vectors (at once, or after a delay), a
 * status with a body (a string body is sent verbatim, to play garbage), or never.
 */
export type StubEmbeddingReply =
  | { embed: true; delayMs?: number }
  | { status: number; body?: unknown }
  | { hang: true };

/** Decides the reply to each embeddings request. */
export type StubEmbeddingResponder = (req: StubEmbeddingRequest) => StubEmbeddingReply;

/** A running stub: its base URL (ending in /v1), what it received, and how to change or stop it. */
export type OpenAiStub = {
  url: string;
  requests: StubChatRequest[];
  embeddingRequests: StubEmbeddingRequest[];
  setResponder(fn: StubResponder): void;
  /** Changes how embeddings requests are answered (by default: `stubEmbedding` vectors at once). */
  setEmbeddingResponder(fn: StubEmbeddingResponder): void;
  close(): Promise<void>;
};

/** Dimensions of the stub's embedding vectors. */
export const STUB_EMBEDDING_DIMS = 64;

/**
 * A deterministic embedding: character bigrams (a lone character for one-character text) hashed with FNV-1a
 * into 64 buckets, L2-normalised. Texts sharing bigrams come out close, which is all a retrieval test needs.
 */
export function stubEmbedding(text: string): number[] {
  const v = new Array<number>(STUB_EMBEDDING_DIMS).fill(0);
  const chars = [...text];
  const grams = chars.length === 1 ? chars : chars.slice(1).map((c, i) => `${chars[i]}${c}`);
  for (const gram of grams) {
    let h = 0x811c9dc5;
    for (let i = 0; i < gram.length; i++) h = Math.imul(h ^ gram.charCodeAt(i), 0x01000193);
    const bucket = (h >>> 0) % STUB_EMBEDDING_DIMS;
    v[bucket] = (v[bucket] as number) + 1;
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function completion(model: string, content: string) {
  return {
    id: `chatcmpl-stub-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Starts a local OpenAI-compatible server on 127.0.0.1 (a free port) serving `POST /v1/chat/completions`
 * through `respond` and `POST /v1/embeddings` with `stubEmbedding` (or as `setEmbeddingResponder` says). `close()` drops open connections, so
 * a hanging reply never keeps a test run alive.
 */
export async function startOpenAiStub(respond: StubResponder): Promise<OpenAiStub> {
  let responder = respond;
  let embeddingResponder: StubEmbeddingResponder = () => ({ embed: true });
  const requests: StubChatRequest[] = [];
  const embeddingRequests: StubEmbeddingRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  async function chat(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const req: StubChatRequest = {
      model: String(body.model ?? ''),
      messages: Array.isArray(body.messages) ? (body.messages as StubChatRequest['messages']) : [],
    };
    requests.push(req);
    const reply = responder(req);
    if ('hang' in reply) return;
    if ('status' in reply) {
      sendJson(res, reply.status, reply.body ?? { error: { message: 'stub error', type: 'server_error' } });
      return;
    }
    if ('delayMs' in reply) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) sendJson(res, 200, completion(req.model, reply.content));
      }, reply.delayMs);
      timers.add(timer);
      return;
    }
    sendJson(res, 200, completion(req.model, reply.content));
  }

  function embeddings(body: Record<string, unknown>, res: ServerResponse): void {
    const input = (Array.isArray(body.input) ? body.input : [body.input]).map(String);
    const model = String(body.model ?? '');
    const req: StubEmbeddingRequest = { model, input };
    embeddingRequests.push(req);
    const reply = embeddingResponder(req);
    if ('hang' in reply) return;
    if ('status' in reply) {
      sendJson(res, reply.status, reply.body ?? { error: { message: 'stub error', type: 'server_error' } });
      return;
    }
    if (reply.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) sendEmbeddings(body, req, res);
      }, reply.delayMs);
      timers.add(timer);
      return;
    }
    sendEmbeddings(body, req, res);
  }

  function sendEmbeddings(
    body: Record<string, unknown>,
    { model, input }: StubEmbeddingRequest,
    res: ServerResponse,
  ) {
    // The openai SDK asks for base64 unless told otherwise: little-endian float32s, as the real API sends.
    const base64 = body.encoding_format === 'base64';
    const data = input.map((text, index) => {
      const vector = stubEmbedding(text);
      const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    sendJson(res, 200, { object: 'list', data, model, usage: { prompt_tokens: 1, total_tokens: 1 } });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
      if (route !== 'POST /v1/chat/completions' && route !== 'POST /v1/embeddings') {
        req.resume();
        sendJson(res, 404, { error: { message: `no route ${route}`, type: 'not_found' } });
        return;
      }
      const body = await readJson(req);
      if (!body)
        return sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request' } });
      if (route === 'POST /v1/embeddings') return embeddings(body, res);
      await chat(body, res);
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'stub_failure' } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddingRequests,
    setResponder(fn) {
      responder = fn;
    },
    setEmbeddingResponder(fn) {
      embeddingResponder = fn;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
