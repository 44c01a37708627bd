// Test contacts sampled by band, with raw values and each registered model's weights, for what-if probing (internal Explanations page).
import {whatIfData} from "../../loaders/pages/whatif.ts";

process.stdout.write(JSON.stringify(await whatIfData()));
