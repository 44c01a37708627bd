// The home page's aggregates of the default extract (data/raw, else the synthetic sample).
import {overview} from "../../loaders/overview.ts";
import {defaultExtracts} from "../../loaders/extracts.ts";

process.stdout.write(JSON.stringify(await overview(defaultExtracts())));
