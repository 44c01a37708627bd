// Test and pilot contacts as compact columns (no ids) with each model's score, for thresholds and fairness (internal).
import {evaluation} from "../../loaders/pages/evaluation.ts";

process.stdout.write(JSON.stringify(await evaluation("contacts")));
