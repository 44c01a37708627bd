// The home page's counts of accepted contacts (the warehouse), with the accounting Data quality shows.
import {acceptedOverview} from "../../loaders/overview.ts";

process.stdout.write(JSON.stringify(await acceptedOverview()));
