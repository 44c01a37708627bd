// The dictionary with each variable's distribution and missingness (Variables page).
import {variablesData} from "../../loaders/pages/variables.ts";

process.stdout.write(JSON.stringify(await variablesData()));
