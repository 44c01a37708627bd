// The registered models (models/<id>/card.json and metrics.json) and what the Training page offers.
import {registeredModels, trainingSpec} from "../../loaders/pages/training.ts";

process.stdout.write(JSON.stringify({models: registeredModels(), ...(await trainingSpec())}));
