// The Fairness page's label-bias check: what followed staff decisions (no further action after sharing, re-contact after no sharing) by protected group, as counts (internal).
import {computeOutcomeTest} from "../../loaders/evaluate/outcome-test.ts";

process.stdout.write(JSON.stringify(await computeOutcomeTest()));
