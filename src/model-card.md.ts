// The public page "Model card" (audience: public), rendered at build time from public-model-card.json
// with its numbers and tables in the HTML (loaders/public/pages/model-card.ts; the public build renders it in stage.ts).
import {renderPublicPage} from "../loaders/public/pages/render.ts";

process.stdout.write(await renderPublicPage("model-card"));
