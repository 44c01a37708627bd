// The public page "Data sheet" (audience: public), rendered at build time from public-data-sheet.json
// with its numbers and tables in the HTML (loaders/public/pages/data-sheet.ts; the public build renders it in stage.ts).
import {renderPublicPage} from "../loaders/public/pages/render.ts";

process.stdout.write(await renderPublicPage("data-sheet"));
