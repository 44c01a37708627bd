// A fixed quarter of the modelling table for in-browser training (internal Training page).
import {trainingParquet} from "../../loaders/pages/training.ts";

process.stdout.write(await trainingParquet());
