// The public page "How well it works" (audience: public), rendered at build time from public-results.json
// with its numbers and tables in the HTML (loaders/public/pages/results.ts; the public build renders it in stage.ts).
import {renderPublicPage} from "../loaders/public/pages/render.ts";

process.stdout.write(await renderPublicPage("results"));
