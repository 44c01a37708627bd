/**
 * An append-only audit log: JSON lines in a folder, one file a day (UTC), a new file past a size.
 * Appends are group-committed: lines that arrive within `syncEveryMs` (or up to `maxLines`) are
 * written and fsynced together, and each append's promise settles only after its lines are on
 * disk, so a caller that waits before answering never answers what the log could lose.
 *
 * A crash can tear only the last line of the newest file (lines are only ever appended), and that
 * line was never acknowledged: the reader skips a last line without its newline, and the appender,
 * on opening, cuts such a tail off before appending, so every earlier line stays whole.
 *
 * `workbench serve` writes one line per contact scored (kind "score") and one per refused request
 * (kind "refusal": status, reason, counts; never a value); the pilot appends scores with its own
 * source, and the pilot evaluation reads them back with `readAuditLog`.
 *
 * @example const log = await AuditLog.open("data/serve/audit");
 *          await log.append([{kind: "score", time, source: "serve", client, model, contact, band, latency_ms}]);
 *          readAuditLog("data/serve/audit").records // every whole line, oldest first
 */
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, truncateSync} from "node:fs";
import {open, type FileHandle} from "node:fs/promises";
import {join} from "node:path";

/** A contact scored: when, by whom (client, or the pilot), with which model, the contact's key and band; nothing else of the contact. */
export interface ScoreRecord {
  kind: "score";
  time: string;
  source: string;
  client?: string;
  model: string;
  contact: string;
  band: number;
  latency_ms?: number;
}

/** A request refused: its status and why, in counts (rules broken, kinds of identifier found); never a value. */
export interface RefusalRecord {
  kind: "refusal";
  time: string;
  source: string;
  client?: string;
  status: number;
  reason: string;
  counts?: Record<string, number>;
}

export type AuditRecord = ScoreRecord | RefusalRecord;

export interface AuditLogOptions {
  /** longest wait before a batch of lines is written and synced */
  syncEveryMs?: number;
  /** lines that make a batch write at once */
  maxLines?: number;
  /** a new file is started past this size */
  maxBytes?: number;
}

const FILE = /^audit-(\d{4}-\d{2}-\d{2})-(\d{3})\.jsonl$/;

/** The log's files, oldest first. */
export function auditFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => FILE.test(f))
    .sort();
}

export class AuditLog {
  private pending: string[] = [];
  private waiters: {resolve: () => void; reject: (e: unknown) => void}[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private handle: FileHandle | null = null;
  private file = "";
  private bytes = 0;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly options: Required<AuditLogOptions>,
  ) {}

  static async open(dir: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    mkdirSync(dir, {recursive: true, mode: 0o700});
    const log = new AuditLog(dir, {syncEveryMs: 1, maxLines: 2000, maxBytes: 64 * 1024 * 1024, ...options});
    const files = auditFiles(dir);
    if (files.length) cutTornTail(join(dir, files[files.length - 1]));
    return log;
  }

  /** Appends records; resolves once they are written and fsynced. */
  append(records: AuditRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the audit log is closed"));
    if (!records.length) return Promise.resolve();
    for (const r of records) this.pending.push(JSON.stringify(r) + "\n");
    const done = new Promise<void>((resolve, reject) => this.waiters.push({resolve, reject}));
    if (this.pending.length >= this.options.maxLines) this.kick(0);
    else this.kick(this.options.syncEveryMs);
    return done;
  }

  /** Resolves once every line appended so far is written and synced. */
  async flushed(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.flushing || this.pending.length) await (this.flushing ?? this.flush());
  }

  /** Writes what is pending, then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushed();
    await this.handle?.close();
    this.handle = null;
  }

  private kick(delay: number): void {
    if (this.flushing) return; // the running flush starts the next batch when it ends
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  private flush(): Promise<void> {
    const lines = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    const run = (async () => {
      try {
        const text = lines.join("");
        const handle = await this.fileFor(Buffer.byteLength(text));
        await handle.write(text);
        await handle.sync();
        this.bytes += Buffer.byteLength(text);
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    })();
    this.flushing = run.finally(() => {
      this.flushing = null;
      if (this.pending.length) this.kick(0);
    });
    return this.flushing;
  }

  /** The file to append `size` bytes to: today's, or a new one past the size limit or at a new day. */
  private async fileFor(size: number): Promise<FileHandle> {
    const day = new Date().toISOString().slice(0, 10);
    if (this.handle && this.file.includes(`audit-${day}-`) && this.bytes + size <= this.options.maxBytes) return this.handle;
    await this.handle?.close();
    const today = auditFiles(this.dir).filter((f) => f.startsWith(`audit-${day}-`));
    const last = today[today.length - 1];
    let seq = last ? Number(FILE.exec(last)![2]) : 0;
    let bytes = last ? statSync(join(this.dir, last)).size : 0;
    if (!last || bytes + size > this.options.maxBytes) {
      seq += last ? 1 : 0;
      bytes = 0;
    }
    this.file = join(this.dir, `audit-${day}-${String(seq).padStart(3, "0")}.jsonl`);
    const created = !existsSync(this.file);
    this.handle = await open(this.file, "a", 0o600);
    if (created) syncDir(this.dir); // the new file's name is on disk too
    this.bytes = bytes;
    return this.handle;
  }
}

/** Cuts a last line without its newline (a write torn by a crash, never acknowledged) off `file`. */
function cutTornTail(file: string): void {
  const text = readFileSync(file);
  if (!text.length || text[text.length - 1] === 0x0a) return;
  truncateSync(file, text.lastIndexOf(0x0a) + 1);
  const fd = openSync(file, "r+");
  fsyncSync(fd);
  closeSync(fd);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every record of the log, oldest first, read line by line. A last line cut short by a crash is
 * skipped and counted (`torn`); any other line that does not parse is an error naming the file
 * and line, since the log is append-only and nothing else may change it.
 */
export function readAuditLog(dir: string): {records: AuditRecord[]; torn: number} {
  const records: AuditRecord[] = [];
  let torn = 0;
  const files = auditFiles(dir);
  files.forEach((f, n) => {
    const text = readFileSync(join(dir, f), "utf8");
    const lines = text.split("\n");
    const tail = lines.pop()!; // "" when the file ends with a newline
    if (tail !== "") {
      if (n !== files.length - 1) throw new Error(`${f}: its last line is cut short, but it is not the newest file`);
      torn++;
    }
    lines.forEach((line, i) => {
      try {
        records.push(JSON.parse(line) as AuditRecord);
      } catch {
        throw new Error(`${f} line ${i + 1} is not a JSON record: the audit log was changed by something other than its appender`);
      }
    });
  });
  return {records, torn};
}
