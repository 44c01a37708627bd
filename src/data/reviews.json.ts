// Every review session file in data/reviews/, read back: verdicts, reasons, terminology problems, data errors (internal).
import {loadDictionary} from "../../loaders/dictionary.ts";
import {reviewsData} from "../../loaders/reviews/reviews.ts";

process.stdout.write(JSON.stringify(await reviewsData(loadDictionary())));
