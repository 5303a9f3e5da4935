/**
 * The Hub download layer against a loopback server (127.0.0.1 only: no test reaches the
 * internet). The server plays both the Hub (listing, resolve URLs) and, on a second port, the
 * CDN the large file redirects to, and can break a connection midway, ignore Range, corrupt a
 * byte or list a hostile path.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubError, HubIntegrityError, HubOfflineError, downloadHubSnapshot, resolveCheckpointDir, selectSafetensorsCheckpoint } from '../../src/io/hub.ts';
import type { HubDownloadOptions, HubProgress } from '../../src/io/hub.ts';
import { gitBlobId } from '../../src/io/hub-verify.ts';
import { encodeSafetensors, readSafetensors } from '../../src/io/safetensors.ts';

for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_ENDPOINT', 'HF_HUB_OFFLINE', 'CHRONOSCALE_CACHE']) delete process.env[name];

const REPO = 'tiny/ckpt';
const COMMIT = 'c0ffee'.padEnd(40, '0');
const weights = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i));
const FILES: Record<string, Uint8Array> = {
  'config.json': new TextEncoder().encode(JSON.stringify({ model_type: 'tiny', hidden_size: 64 })),
  'model.safetensors': encodeSafetensors({ 'embed.weight': { shape: [64, 64], data: weights } }),
  'README.md': new TextEncoder().encode('# tiny\n'),
};
const LFS = new Set(['model.safetensors']);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const WANTED = (paths: readonly string[]) => paths.filter((p) => p === 'config.json' || p.endsWith('.safetensors'));

interface Request {
  server: 'hub' | 'cdn';
  url: string;
  range?: string;
  authorization?: string;
  status?: number;
}

/** What the server does wrong this time; reset before each test. */
let state: { breakAfter?: number; ignoreRange?: boolean; corrupt?: string; evilPath?: boolean; stall?: boolean } = {};
let log: Request[] = [];
let hub: Server;
let cdn: Server;
let endpoint = '';
let cdnBase = '';
let closedPort = 0;

function listing(): unknown {
  const siblings = Object.entries(FILES).map(([rfilename, bytes]) =>
    LFS.has(rfilename)
      ? {
          rfilename,
          size: bytes.length,
          blobId: gitBlobId(new TextEncoder().encode(`pointer of ${rfilename}`)),
          lfs: { sha256: sha256(bytes), size: bytes.length, pointerSize: 134 },
        }
      : { rfilename, size: bytes.length, blobId: gitBlobId(bytes) },
  );
  if (state.evilPath) siblings.push({ rfilename: '../evil.json', size: 2, blobId: gitBlobId(new Uint8Array(2)) });
  return { id: REPO, sha: COMMIT, siblings };
}

/** Serve `bytes` honouring `Range: bytes=N-` unless told not to; break or corrupt on demand. */
function sendFile(req: IncomingMessage, res: ServerResponse, entry: Request, name: string): void {
  let body = FILES[name]!;
  if (state.corrupt === name) {
    body = body.slice();
    body[body.length >> 1] ^= 0xff;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  let start = 0;
  if (range && !state.ignoreRange) {
    start = Number(range[1]);
    entry.status = 206;
    res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
  } else {
    entry.status = 200;
    res.writeHead(200, { 'content-length': body.length });
  }
  const part = body.subarray(start);
  if (state.breakAfter !== undefined && LFS.has(name)) {
    const cut = state.breakAfter;
    state.breakAfter = undefined;
    // fetch drops body bytes it has received but not yet handed over when the connection
    // fails, so the break waits until the client has surely read the first part.
    res.write(part.subarray(0, cut), () => setTimeout(() => req.socket.destroy(), 100));
    return;
  }
  res.end(part);
}

function handleHub(req: IncomingMessage, res: ServerResponse): void {
  const entry: Request = { server: 'hub', url: req.url ?? '', range: req.headers.range, authorization: req.headers.authorization };
  log.push(entry);
  const url = new URL(req.url ?? '/', 'http://x');
  if (state.stall) return; // accept the connection, never answer
  // A renamed repository answers with a relative redirect to its new name; tiny/loop never ends.
  const moved = /^(\/api\/models)?\/tiny\/(old|loop)\//.exec(url.pathname);
  if (moved) {
    const location = moved[2] === 'old' ? `${url.pathname.replace('/tiny/old/', '/tiny/ckpt/')}${url.search}` : req.url;
    res.writeHead((entry.status = 307), { location: location ?? '/' });
    res.end();
    return;
  }
  if (url.pathname === `/api/models/${REPO}/revision/main` && url.searchParams.get('blobs') === 'true') {
    res.writeHead((entry.status = 200), { 'content-type': 'application/json' });
    res.end(JSON.stringify(listing()));
    return;
  }
  const prefix = `/${REPO}/resolve/${COMMIT}/`;
  const name = url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)) : '';
  if (name in FILES && LFS.has(name)) {
    // Large files live on the CDN, another origin: the Hub answers with a redirect.
    res.writeHead((entry.status = 302), { location: `${cdnBase}/blobs/${sha256(FILES[name]!)}?name=${name}` });
    res.end();
    return;
  }
  if (name in FILES) {
    sendFile(req, res, entry, name);
    return;
  }
  const code = url.pathname.startsWith('/api/models/') ? 'RepoNotFound' : 'EntryNotFound';
  res.writeHead((entry.status = 404), { 'x-error-code': code, 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not found' }));
}

function handleCdn(req: IncomingMessage, res: ServerResponse): void {
  const entry: Request = { server: 'cdn', url: req.url ?? '', range: req.headers.range, authorization: req.headers.authorization };
  log.push(entry);
  const name = new URL(req.url ?? '/', 'http://x').searchParams.get('name') ?? '';
  if (name in FILES) {
    sendFile(req, res, entry, name);
    return;
  }
  res.writeHead((entry.status = 404));
  res.end();
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

test.before(async () => {
  hub = createServer(handleHub);
  cdn = createServer(handleCdn);
  endpoint = `http://127.0.0.1:${await listen(hub)}`;
  cdnBase = `http://127.0.0.1:${await listen(cdn)}`;
  // A port that was just free and is closed again: connecting to it is refused.
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((done) => probe.close(done));
});

test.after(() => {
  for (const server of [hub, cdn]) {
    server.closeAllConnections();
    server.close();
  }
});

test.before.each(() => {
  state = {};
  log = [];
});

const newCache = () => mkdtemp(join(tmpdir(), 'chronoscale-hub-'));
const exists = async (path: string) => (await stat(path).catch(() => undefined)) !== undefined;
const options = (cacheDir: string, more: HubDownloadOptions = {}): HubDownloadOptions => ({ cacheDir, endpoint, files: WANTED, retryDelayMs: 5, ...more });

async function rejects<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E, ...fragments: string[]): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, type, `${(error as Error).name}: ${(error as Error).message}`);
    for (const fragment of fragments) assert.ok((error as Error).message.includes(fragment), `"${(error as Error).message}" should mention "${fragment}"`);
    return error as E;
  }
  return assert.unreachable('the call succeeded') as never;
}

async function assertSnapshot(dir: string): Promise<void> {
  for (const name of ['config.json', 'model.safetensors']) {
    assert.equal(new Uint8Array(await readFile(join(dir, name))), FILES[name], name);
    assert.not.ok(await exists(join(dir, `${name}.incomplete`)), `${name}.incomplete left behind`);
  }
  const loaded = await readSafetensors(join(dir, 'model.safetensors'));
  assert.equal(loaded.tensors.get('embed.weight')!.data, weights);
}

test('a fresh download fetches the selected files, verifies them and follows the redirect to the CDN', async () => {
  const cacheDir = await newCache();
  const progress: HubProgress[] = [];
  const dir = await downloadHubSnapshot(REPO, options(cacheDir, { token: 'hf_secret', onProgress: (p) => progress.push(p) }));
  assert.is(dir, join(cacheDir, 'tiny--ckpt', 'main'));
  await assertSnapshot(dir);
  assert.not.ok(await exists(join(dir, 'README.md')), 'an unselected file was downloaded');
  assert.equal(
    log.map((r) => [r.server, r.status]),
    [
      ['hub', 200],
      ['hub', 200],
      ['hub', 302],
      ['cdn', 200],
    ],
  );
  assert.ok(log[2]!.url.includes(`/resolve/${COMMIT}/`), 'files are fetched at the listed commit');
  assert.is(log[0]!.authorization, 'Bearer hf_secret');
  assert.is(log[3]!.authorization, undefined, 'the token must not follow the redirect to another origin');
  const last = progress.at(-1)!;
  assert.is(last.file, 'model.safetensors');
  assert.is(last.bytes, FILES['model.safetensors']!.length);
  assert.is(last.snapshotBytes, last.snapshotTotalBytes);
  assert.is(last.snapshotTotalBytes, FILES['config.json']!.length + FILES['model.safetensors']!.length);
});

test('a complete cached snapshot is used without any request', async () => {
  const cacheDir = await newCache();
  const dir = await downloadHubSnapshot(REPO, options(cacheDir));
  log = [];
  assert.is(await downloadHubSnapshot(REPO, options(cacheDir)), dir);
  assert.is(await downloadHubSnapshot(REPO, options(cacheDir, { endpoint: `http://127.0.0.1:${closedPort}` })), dir);
  assert.equal(log, []);
  // refresh asks the Hub again, and finds the files already verified.
  await downloadHubSnapshot(REPO, options(cacheDir, { refresh: true }));
  assert.equal(
    log.map((r) => r.url.split('?')[0]),
    [`/api/models/${REPO}/revision/main`],
  );
});

test('a connection broken halfway is resumed with a Range request and verifies', async () => {
  const cacheDir = await newCache();
  state.breakAfter = 5000;
  const dir = await downloadHubSnapshot(REPO, options(cacheDir));
  await assertSnapshot(dir);
  const fromCdn = log.filter((r) => r.server === 'cdn');
  assert.equal(
    fromCdn.map((r) => [r.range, r.status]),
    [
      [undefined, 200],
      ['bytes=5000-', 206],
    ],
  );
});

test('an interrupted call keeps <file>.incomplete and the next call resumes from it', async () => {
  const cacheDir = await newCache();
  state.breakAfter = 5000;
  const size = FILES['model.safetensors']!.length;
  const error = await rejects(downloadHubSnapshot(REPO, options(cacheDir, { retries: 0 })), HubOfflineError, `5000 of ${size} bytes are kept`, 'resumes');
  const dir = join(cacheDir, 'tiny--ckpt', 'main');
  assert.is(error.folder, dir);
  assert.is((await stat(join(dir, 'model.safetensors.incomplete'))).size, 5000);
  assert.not.ok(await exists(join(dir, 'model.safetensors')), 'a partial file took the final name');
  log = [];
  await assertSnapshot(await downloadHubSnapshot(REPO, options(cacheDir)));
  assert.equal(
    log.filter((r) => r.server === 'cdn').map((r) => [r.range, r.status]),
    [['bytes=5000-', 206]],
  );
});

test('a server that ignores Range (200) makes the file start over', async () => {
  const cacheDir = await newCache();
  state.breakAfter = 5000;
  state.ignoreRange = true;
  await assertSnapshot(await downloadHubSnapshot(REPO, options(cacheDir)));
  assert.equal(
    log.filter((r) => r.server === 'cdn').map((r) => [r.range, r.status]),
    [
      [undefined, 200],
      ['bytes=5000-', 200],
    ],
  );
});

test('a corrupted byte fails the hash check and leaves no file in place', async () => {
  const cacheDir = await newCache();
  const dir = join(cacheDir, 'tiny--ckpt', 'main');
  state.corrupt = 'model.safetensors';
  const lfs = await rejects(downloadHubSnapshot(REPO, options(cacheDir)), HubIntegrityError, 'model.safetensors', 'sha256', 'deleted');
  assert.is(lfs.file, 'model.safetensors');
  assert.not.ok(await exists(join(dir, 'model.safetensors')));
  assert.not.ok(await exists(join(dir, 'model.safetensors.incomplete')));
  // Small files kept in git are checked by their git blob id.
  state.corrupt = 'config.json';
  await rejects(downloadHubSnapshot(REPO, options(await newCache())), HubIntegrityError, 'config.json', 'git blob sha1');
});

test('an unknown repository is a clear error', async () => {
  const error = await rejects(downloadHubSnapshot('tiny/missing', options(await newCache())), HubError, 'repository tiny/missing not found', 'HF_TOKEN');
  assert.is(error.status, 404);
  await rejects(downloadHubSnapshot('not a repo', options(await newCache())), HubError, 'owner/name');
  await rejects(downloadHubSnapshot(REPO, options(await newCache(), { files: () => ['weights.bin'] })), HubError, 'weights.bin is not a file of tiny/ckpt');
});

test('offline, the error names the repository, the files and the exact folder; files put there are then used', async () => {
  const cacheDir = await newCache();
  const dir = join(cacheDir, 'tiny--ckpt', 'main');
  const offline = options(cacheDir, { endpoint: `http://127.0.0.1:${closedPort}`, filesHint: 'config.json and model.safetensors' });
  const error = await rejects(
    downloadHubSnapshot(REPO, offline),
    HubOfflineError,
    REPO,
    'ECONNREFUSED',
    `Put config.json and model.safetensors`,
    dir,
    'fromPretrained(dir)',
  );
  assert.is(error.folder, dir);
  await rejects(downloadHubSnapshot(REPO, options(cacheDir, { offline: true })), HubOfflineError, 'offline mode');
  await mkdir(dir, { recursive: true });
  for (const name of ['config.json', 'model.safetensors']) await writeFile(join(dir, name), FILES[name]!);
  assert.is(await downloadHubSnapshot(REPO, offline), dir);
});

test('offline after an interrupted download, the error lists exactly the missing files', async () => {
  const cacheDir = await newCache();
  state.breakAfter = 100;
  await rejects(downloadHubSnapshot(REPO, options(cacheDir, { retries: 0 })), HubOfflineError);
  const error = await rejects(
    downloadHubSnapshot(REPO, options(cacheDir, { endpoint: `http://127.0.0.1:${closedPort}` })),
    HubOfflineError,
    'Put model.safetensors (',
  );
  assert.not.ok(error.message.includes('config.json'), error.message);
});

test('a listing naming a path outside the folder is refused', async () => {
  state.evilPath = true;
  await rejects(downloadHubSnapshot(REPO, options(await newCache())), HubError, '../evil.json', 'refusing');
});

test('resolveCheckpointDir: a folder as it is, an id downloaded, anything else a clear error', async () => {
  const cacheDir = await newCache();
  assert.is(await resolveCheckpointDir(cacheDir), cacheDir);
  assert.is(await resolveCheckpointDir(REPO, options(cacheDir)), join(cacheDir, 'tiny--ckpt', 'main'));
  const file = join(cacheDir, 'tiny--ckpt', 'main', 'config.json');
  await rejects(resolveCheckpointDir(file), HubError, 'is a file');
  await rejects(resolveCheckpointDir('./no/such/folder/here'), HubError, 'neither an existing folder', 'owner/name');
  await rejects(resolveCheckpointDir('tiny/missing', options(cacheDir)), HubError, 'not found', 'nor is there a folder');
  await rm(cacheDir, { recursive: true });
});

test('the git blob id is what git hash-object computes', async () => {
  const path = join(await newCache(), 'config.json');
  await writeFile(path, FILES['config.json']!);
  let fromGit: string;
  try {
    fromGit = execFileSync('git', ['hash-object', path], { encoding: 'utf8' }).trim();
  } catch {
    return; // no git on this machine: the formula is still checked against the known empty-blob id below
  } finally {
    assert.is(gitBlobId(new Uint8Array(0)), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  }
  assert.is(gitBlobId(FILES['config.json']!), fromGit);
});

test('partial bytes of another version are dropped once and the file downloaded afresh', async () => {
  const cacheDir = await newCache();
  const dir = join(cacheDir, 'tiny--ckpt', 'main');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors.incomplete'), new Uint8Array(5000).fill(7));
  await assertSnapshot(await downloadHubSnapshot(REPO, options(cacheDir)));
  assert.equal(
    log.filter((r) => r.server === 'cdn').map((r) => [r.range, r.status]),
    [
      ['bytes=5000-', 206],
      [undefined, 200],
    ],
  );
});

test('a Hub that never answers times out into the offline error', async () => {
  state.stall = true;
  await rejects(downloadHubSnapshot(REPO, options(await newCache(), { timeoutMs: 200 })), HubOfflineError, 'no data for 0.2 s', REPO);
});

test('cancelling keeps the partial file, and the next call resumes it', async () => {
  const cacheDir = await newCache();
  const controller = new AbortController();
  state.breakAfter = 5000; // the first 5000 bytes arrive, then the cancel comes before the break
  const cancel = new Error('cancelled by the user');
  const onProgress = (p: HubProgress) => {
    if (p.file === 'model.safetensors' && p.bytes >= 5000) controller.abort(cancel);
  };
  try {
    await downloadHubSnapshot(REPO, options(cacheDir, { signal: controller.signal, onProgress }));
    assert.unreachable('the cancelled call succeeded');
  } catch (error) {
    assert.is(error, cancel);
  }
  const dir = join(cacheDir, 'tiny--ckpt', 'main');
  assert.is((await stat(join(dir, 'model.safetensors.incomplete'))).size, 5000);
  log = [];
  await assertSnapshot(await downloadHubSnapshot(REPO, options(cacheDir)));
  assert.equal(
    log.filter((r) => r.server === 'cdn').map((r) => r.range),
    ['bytes=5000-'],
  );
});

test('a refresh that cannot reach the Hub keeps the complete snapshot', async () => {
  const cacheDir = await newCache();
  const dir = await downloadHubSnapshot(REPO, options(cacheDir));
  assert.is(await downloadHubSnapshot(REPO, options(cacheDir, { refresh: true, endpoint: `http://127.0.0.1:${closedPort}` })), dir);
});

test('relative redirects of a renamed repository are followed with the token; endless ones are an error', async () => {
  const cacheDir = await newCache();
  const dir = await downloadHubSnapshot('tiny/old', options(cacheDir, { token: 'hf_secret' }));
  assert.is(dir, join(cacheDir, 'tiny--old', 'main'));
  await assertSnapshot(dir);
  assert.ok(
    log.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_secret'),
    'the token is kept on the same origin',
  );
  await rejects(downloadHubSnapshot('tiny/loop', options(await newCache())), Error, 'more than 10 redirects');
});

test('selectSafetensorsCheckpoint picks config and weights, sharded or not, and says what is lacking', async () => {
  const upstream = ['README.md', 'config.json', 'configuration_time_moe.py', 'generation_config.json', 'model.safetensors', 'modeling_time_moe.py'];
  assert.equal(selectSafetensorsCheckpoint(upstream), ['config.json', 'model.safetensors']);
  const sharded = [
    'config.json',
    'model.safetensors.index.json',
    'model-00001-of-00002.safetensors',
    'model-00002-of-00002.safetensors',
    'sub/model.safetensors',
  ];
  assert.equal(selectSafetensorsCheckpoint(sharded), [
    'config.json',
    'model.safetensors.index.json',
    'model-00001-of-00002.safetensors',
    'model-00002-of-00002.safetensors',
  ]);
  assert.throws(() => selectSafetensorsCheckpoint(['model.safetensors']), /no config\.json/);
  assert.throws(
    () => selectSafetensorsCheckpoint(['config.json', 'pytorch_model.bin']),
    /no model\.safetensors or model\.safetensors\.index\.json.*pytorch_model\.bin/,
  );
  await rejects(
    downloadHubSnapshot(REPO, options(await newCache(), { files: (paths) => selectSafetensorsCheckpoint(paths.filter((p) => p !== 'config.json')) })),
    HubError,
    'tiny/ckpt at main: no config.json',
  );
  // As the files option: README.md is left on the Hub.
  const dir = await downloadHubSnapshot(REPO, options(await newCache(), { files: selectSafetensorsCheckpoint }));
  await assertSnapshot(dir);
});

test.run();
