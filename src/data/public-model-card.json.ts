// The public model card and Algorithmic Transparency Recording Standard record, filled from the
// registry (card.json, metrics.json, features.json) after disclosure control (loaders/public/model-card.ts).
import {modelCardData} from "../../loaders/public/model-card.ts";

process.stdout.write(JSON.stringify(await modelCardData()));
