// Child process of the benchmark: generates an extract and reports its own
// time and peak memory (resident set) as JSON on stdout.
import {generateExtract} from "../../loaders/synth/write.ts";

const [contacts, out] = [Number(process.argv[2]), process.argv[3]];
const started = performance.now();
const manifest = await generateExtract({
  seed: 20190331,
  start: "2015-01-01",
  months: 51,
  contacts,
  messiness: 1,
  pilotStart: "2019-01-01",
  pilotEnd: "2019-03-31",
  out,
});
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify({seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, rows: manifest.counts.rows}));
