// The home page's aggregates of the default extract (the project's, data/raw, else the synthetic sample).
import {overview} from "../../loaders/overview.ts";
import {defaultExtracts} from "../../loaders/extracts.ts";
import {SAMPLE_DIR} from "../../loaders/paths.ts";

const files = defaultExtracts();
// Whether the page shows the generated sample (it says "synthetic" only then).
const synthetic = files.every((f) => f.startsWith(SAMPLE_DIR));
process.stdout.write(JSON.stringify({...(await overview(files)), synthetic}));
