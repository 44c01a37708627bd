// Consistency of staff decisions: case-mix adjusted funnel data by staff member and team, decisions around known changes, agreement on near-identical records (internal); or, without staff or decision roles in the dictionary, what the page would need.
import {computeConsistency} from "../../loaders/consistency/consistency.ts";

process.stdout.write(JSON.stringify(await computeConsistency()));
