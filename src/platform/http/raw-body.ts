import type { Request } from 'express';
import { AppError } from '../errors.ts';

/**
 * Reads a request body as raw bytes, refusing more than `limit` bytes with a 413. Callback routes read the
 * exact bytes WeCom signed; this lean reader replaces a generic body parser on that hot path.
 */
export function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: AppError | undefined, body?: Buffer) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) reject(err);
      else resolve(body as Buffer);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish(tooLarge(limit));
        // Discard the rest so the connection can be answered and reused or closed cleanly.
        req.resume();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () =>
      finish(undefined, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    const onError = (e: Error) =>
      finish(
        new AppError('bad_request', {
          message: `could not read body: ${e.message}`,
          zh: '无法读取提交的内容。',
        }),
      );
    const onAborted = () =>
      finish(
        new AppError('bad_request', { message: 'request aborted by the client', zh: '请求已被客户端中断。' }),
      );
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

const tooLarge = (limit: number) =>
  new AppError('payload_too_large', {
    message: `request body exceeds the ${limit}-byte limit`,
    zh: `提交的内容超过 ${limit} 字节的上限。`,
  });
