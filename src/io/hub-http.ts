/**
 * HTTP for the Hub download layer: one GET at a time through Node's built-in fetch, with a stall
 * timeout and a clear line between "the network failed" (worth a retry, or the offline message)
 * and everything else. Redirects (the Hub sends large files to a CDN, and renamed repositories
 * elsewhere, relative locations included) are followed here rather than by fetch, so that the
 * `Authorization` header is dropped whenever a redirect leaves the origin it was meant for,
 * whatever the Node version, and `Range` is kept.
 */

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** The connection failed, broke or stalled: DNS, refused, reset, truncated body, timeout. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/** What a failed `fetch` or body read says, in one line (undici hides the reason in `cause`). */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  return (error as Error).message ?? String(error);
}

/** Options of one GET. */
export interface HubGetOptions {
  /** Extra headers (Range, Authorization). */
  headers?: Record<string, string>;
  /** Cancels the request; the error thrown is the signal's reason. */
  signal?: AbortSignal;
  /** Give up when the connection or the body sends nothing for this long (ms). */
  timeoutMs: number;
}

/** An answered GET: its response, and its body as chunks that each re-arm the stall timeout. */
export interface HubResponse {
  response: Response;
  /** The body; throws NetworkError when the connection breaks or stalls midway. */
  chunks(): AsyncGenerator<Uint8Array>;
  /** Release the connection and the timer (safe to call twice, or after the body ended). */
  close(): Promise<void>;
}

/**
 * GET `url`. Connection failures become NetworkError; a cancelled `signal` rethrows its reason.
 * Identity encoding is asked for so the byte counts, Range offsets and hashes all refer to the
 * file itself, not to a compressed transfer of it.
 */
export async function hubGet(url: string, options: HubGetOptions): Promise<HubResponse> {
  const stall = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), options.timeoutMs);
  };
  const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
  const fail = (error: unknown): never => {
    clearTimeout(timer);
    if (options.signal?.aborted) throw options.signal.reason;
    if (stall.signal.aborted) throw new NetworkError(`no data for ${options.timeoutMs / 1000} s`);
    throw new NetworkError(describe(error), { cause: error });
  };
  arm();
  let response: Response;
  let target = new URL(url);
  let headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'chronoscale', ...options.headers };
  for (let hop = 0; ; hop++) {
    try {
      response = await fetch(target, { headers, redirect: 'manual', signal });
    } catch (error) {
      return fail(error);
    }
    const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
    if (location === null) break;
    await response.body?.cancel().catch(() => {});
    const next = URL.canParse(location, target) ? new URL(location, target) : undefined;
    if (hop === MAX_REDIRECTS || !next || !/^https?:$/.test(next.protocol)) {
      clearTimeout(timer);
      throw new Error(
        hop === MAX_REDIRECTS ? `more than ${MAX_REDIRECTS} redirects from ${url}` : `${target.href} redirects to "${location}", not an http(s) URL`,
      );
    }
    if (next.origin !== target.origin) {
      const { authorization: _dropped, ...rest } = headers;
      headers = rest;
    }
    target = next;
  }
  arm();
  const close = async () => {
    clearTimeout(timer);
    await response.body?.cancel().catch(() => {});
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (!response.body) return;
    try {
      for await (const chunk of response.body) {
        arm();
        yield chunk;
      }
    } catch (error) {
      fail(error);
    } finally {
      clearTimeout(timer);
    }
  }
  return { response, chunks, close };
}

/** Wait `ms`, or throw the signal's reason if it is cancelled first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
