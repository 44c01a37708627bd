// The model pilot's impact evaluation for the MASH strategic board: decision time, consistency, the share staff did not share, safety, workload, agreement with the band and a change-point scan, as aggregates with 95% intervals (internal); or, without the pilot's roles or the project file's pilot block, what the page needs.
import {computeImpact} from "../../loaders/pages/impact.ts";

process.stdout.write(JSON.stringify(await computeImpact()));
