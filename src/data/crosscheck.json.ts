// Model against staff decisions on test and pilot contacts, and the disagreement queue (internal).
import {loadDictionary} from "../../loaders/dictionary.ts";
import {crosscheckData} from "../../loaders/crosscheck/crosscheck.ts";
import {withWarehouse} from "../../loaders/db.ts";

process.stdout.write(JSON.stringify(await withWarehouse((db) => crosscheckData(db, loadDictionary()))));
