/**
 * Where the scoring service keeps its files: data/serve/ (or MASH_SERVE_DIR), holding the token
 * file and the audit log. Never committed: the folder is made with a .gitignore of its own, and
 * is readable by its owner only.
 */
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";

/** The service's folder: data/serve, or MASH_SERVE_DIR (used by tests). */
export function serveDir(): string {
  return resolve(process.env.MASH_SERVE_DIR ?? "data/serve");
}

/** The token file (hashes of the clients' bearer tokens, their endpoints and rates). */
export const tokensFile = (dir: string = serveDir()): string => join(dir, "tokens.json");

/** The audit log's folder (JSON lines, rotated by day and size). */
export const auditDir = (dir: string = serveDir()): string => join(dir, "audit");

/** Makes `dir` (owner-only) with a .gitignore that keeps everything in it out of git. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, {recursive: true, mode: 0o700});
  const ignore = join(dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "# tokens and audit logs of `workbench serve`: never committed\n*\n");
  return dir;
}
