/**
 * A small static file server for a built Framework site, so Chromium can load
 * it over HTTP on 127.0.0.1 (ES modules, wasm and workers do not work from
 * file:// URLs). It serves what a static host would: clean URLs (/foo →
 * foo.html, /foo/ → foo/index.html), correct MIME types (wasm must be
 * application/wasm for streaming compilation) and 404.html with status 404.
 */
import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {extname, join, resolve, sep} from "node:path";

/** MIME types by file extension; anything else is served as application/octet-stream. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".parquet": "application/vnd.apache.parquet",
  ".arrow": "application/vnd.apache.arrow.file",
  ".zip": "application/zip",
  ".bin": "application/octet-stream",
};

/** A running server; `origin` is like "http://127.0.0.1:40123". */
export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1 on a free port.
 *
 * @example const server = await serveDirectory("dist"); await page.goto(`${server.origin}/`); await server.close();
 */
export async function serveDirectory(dir: string): Promise<StaticServer> {
  const root = resolve(dir);
  const server: Server = createServer((request, response) => {
    void (async () => {
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, {allow: "GET, HEAD"}).end();
        return;
      }
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
      } catch {
        response.writeHead(400).end("bad request");
        return;
      }
      const file = await findFile(root, pathname);
      const status = file ? 200 : 404;
      const path = file ?? (await existingFile(join(root, "404.html")));
      if (!path) {
        response.writeHead(404, {"content-type": MIME_TYPES[".txt"]}).end(`not found: ${pathname}`);
        return;
      }
      const {size} = await stat(path);
      response.writeHead(status, {
        "content-type": MIME_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
        "content-length": size,
        "cache-control": "no-store",
      });
      if (request.method === "HEAD") response.end();
      else createReadStream(path).pipe(response);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolveListen());
  });
  const {port} = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolveClose()));
      }),
  };
}

/** Maps a URL path to a file under root, with clean URLs; undefined when there is none (or it escapes root). */
export async function findFile(root: string, pathname: string): Promise<string | undefined> {
  const base = resolve(root, `.${pathname.startsWith("/") ? pathname : `/${pathname}`}`);
  if (base !== root && !base.startsWith(root + sep)) return undefined;
  const candidates = pathname.endsWith("/") ? [join(base, "index.html")] : [base, `${base}.html`];
  for (const candidate of candidates) {
    const file = await existingFile(candidate);
    if (file) return file;
  }
  return undefined;
}

async function existingFile(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}
