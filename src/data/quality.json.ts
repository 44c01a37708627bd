// The last ingest's accounting and data-quality aggregates (Data quality page).
import {qualityData} from "../../loaders/pages/quality.ts";

process.stdout.write(JSON.stringify(await qualityData()));
