// The accepted contacts as Parquet, for DuckDB-wasm on the internal Explore page.
import {contactsParquet} from "../../loaders/pages/explore.ts";

process.stdout.write(await contactsParquet());
