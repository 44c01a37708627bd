// Every registered model evaluated on the warehouse: metrics with intervals, curves, drift, explanations (internal).
import {evaluation} from "../../loaders/pages/evaluation.ts";

process.stdout.write(JSON.stringify(await evaluation("summary")));
