// Rendered pages of published versions, kept for anonymous visitors. A published version never changes,
// so its list and item pages (and their JSON twins) are kept by URL in a byte-bounded LRU and answered
// without re-rendering. Only the visitor's CSRF token differs between two anonymous renders of a page, so
// a page is rendered once with a placeholder token and each visitor's own token is put in on the way out.
// Signed-in visitors see their name and menus in every page: they always get a fresh render.
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../../db/client.js';
import { latestVersionNumberQuery } from '../../db/queries/publication/versions.js';

/** The published pages kept: a version's list and item pages and their JSON twins (not downloads or diffs). */
export const CACHED_PATHS = /^(?:\/api\/v1)?\/versions\/\d+(?:\/items(?:\/[^/]+)?)?\/?$/;

/** A version's list page and its JSON twin (not its item pages). */
const VERSION_LISTS = /^(?:\/versions\/\d+|\/api\/v1\/versions\/\d+\/items)\/?$/;

export interface Entry {
  /** The body split where the placeholder token stood; joined with the visitor's token. */
  parts: Buffer[];
  status: number;
  /** Headers the handler set (content type, ETag, cache control …), never cookies. */
  headers: [string, string | number | readonly string[]][];
  etag?: string;
  /** The latest published version when the page was rendered: an item page lists later versions too. */
  generation: number;
  bytes: number;
}

/** A least-recently-used map of pages bounded by the bytes it holds. */
export class PageStore {
  private readonly entries = new Map<string, Entry>();
  private held = 0;
  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.delete(key);
    if (entry.bytes > this.maxBytes) return;
    this.entries.set(key, entry);
    this.held += entry.bytes;
    for (const [oldest] of this.entries) {
      if (this.held <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  /** Forgets every kept page of an item (its guide in every version, and their JSON twins). */
  forgetItem(code: string): void {
    const tail = `/items/${encodeURIComponent(code)}`;
    for (const key of [...this.entries.keys()]) if (key.split(/[?#]/)[0]!.endsWith(tail)) this.delete(key);
  }

  /** Forgets every kept list page of every version and their JSON twins (their facet counts follow the theme tags). */
  forgetVersionLists(): void {
    for (const key of [...this.entries.keys()]) if (VERSION_LISTS.test(key.split(/[?#]/)[0]!)) this.delete(key);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.held -= entry.bytes;
  }
}

/** Bytes of pages kept at most. */
export const PAGE_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Middleware answering anonymous GET/HEAD requests for published pages from the store (one per app,
 * held by its services: server/services.ts), filling it on a miss.
 */
export function pageCache({ db, pages: store }: { db: Db; pages: PageStore }) {
  const latest = latestVersionNumberQuery(db);
  // Random per process, so no page content can contain it by chance or on purpose; base64url like a real
  // token, so escaping leaves it as it is.
  const placeholder = randomBytes(32).toString('base64url');

  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.ctx.user || !CACHED_PATHS.test(req.path)) return next();
    const key = req.originalUrl;
    const generation = latest() ?? 0;
    const token = req.ctx.csrfToken;
    const hit = store.get(key);
    if (hit && hit.generation === generation) {
      for (const [name, value] of hit.headers) res.setHeader(name, value);
      // As the version routes do: an exact If-None-Match is answered 304 (fetch adds no-cache to such
      // requests, which would make res.send's own freshness check send the whole page).
      if (hit.etag !== undefined && req.headers['if-none-match'] === hit.etag) {
        res.removeHeader('content-type');
        res.status(304).end();
        return;
      }
      const tokenBytes = Buffer.from(token);
      const body = hit.parts.length === 1 ? hit.parts[0]! : Buffer.concat(hit.parts.flatMap((p, i) => (i ? [tokenBytes, p] : [p])));
      res.status(hit.status).send(body);
      return;
    }

    const before = new Set(res.getHeaderNames());
    const send = res.send;
    req.ctx.csrfToken = placeholder;
    res.send = function sendAndKeep(this: Response, body?: unknown) {
      res.send = send;
      req.ctx.csrfToken = token;
      if (typeof body !== 'string') return send.call(this, body);
      const parts = body.split(placeholder);
      const sent = send.call(this, parts.length === 1 ? body : parts.join(token));
      if (this.statusCode === 200) {
        const headers = res
          .getHeaderNames()
          .filter((name) => !before.has(name) && name !== 'set-cookie' && name !== 'content-length')
          .map((name) => [name, res.getHeader(name)!] as Entry['headers'][number]);
        const buffers = parts.map((p) => Buffer.from(p));
        const bytes = key.length + buffers.reduce((sum, b) => sum + b.length, 0) + 256;
        const etag = res.getHeader('etag');
        store.set(key, { parts: buffers, status: 200, headers, etag: typeof etag === 'string' ? etag : undefined, generation, bytes });
      }
      return sent;
    };
    next();
  };
}
