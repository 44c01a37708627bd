/**
 * How a command reports an extract it refuses: identifiers → exit 2, an unreadable file → exit 1,
 * with the message the ingest report records (report.ts `refusalOf`); anything else is rethrown.
 */
import {refusalOf} from "../ingest/report.ts";

export async function withRefusals(command: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    process.stderr.write(`workbench ${command}: ${refusal.message}\n`);
    process.exitCode = refusal.exitCode;
  }
}
