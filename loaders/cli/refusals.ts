/** How a command reports an extract it refuses: identifiers → exit 2, an unreadable file → exit 1; anything else is rethrown. */
import {IdentifierRefusal} from "../ingest/ingest.ts";
import {RefusedFile} from "../ingest/encoding.ts";

export async function withRefusals(command: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof IdentifierRefusal) {
      process.stderr.write(`workbench ${command}: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof RefusedFile) {
      process.stderr.write(`workbench ${command}: refused ${error.message}\n`);
      process.exitCode = 1;
    } else throw error;
  }
}
