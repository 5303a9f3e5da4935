/**
 * HTTP for the Hub download layer: one GET at a time through Node's built-in fetch (which
 * follows redirects, relative ones included, and drops `Authorization` when a redirect leaves
 * the origin, so the token never reaches the CDN), with a stall timeout and a clear line between
 * "the network failed" (worth a retry, or the offline message) and everything else.
 */

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
  try {
    response = await fetch(url, {
      headers: { 'accept-encoding': 'identity', 'user-agent': 'chronoscale', ...options.headers },
      redirect: 'follow',
      signal,
    });
  } catch (error) {
    return fail(error);
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
