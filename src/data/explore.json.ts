// The Explore page's first view (its defaults and their rows), drawn while DuckDB-wasm loads.
import {exploreFirstView} from "../../loaders/pages/explore.ts";

process.stdout.write(JSON.stringify(await exploreFirstView()));
