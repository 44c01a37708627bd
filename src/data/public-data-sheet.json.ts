// The public data sheet: dictionary, ingest accounting and distributions after disclosure control
// (loaders/public/data-sheet.ts).
import {dataSheet} from "../../loaders/public/data-sheet.ts";

process.stdout.write(JSON.stringify(await dataSheet()));
