// Consistency of staff decisions: case-mix adjusted funnel data by screener and team, sharing around known changes, agreement on near-identical contacts (internal).
import {computeConsistency} from "../../loaders/consistency/consistency.ts";

process.stdout.write(JSON.stringify(await computeConsistency()));
