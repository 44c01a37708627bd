/**
 * Data for the Impact page (internal): the model pilot's impact evaluation that the MASH strategic
 * board decides on — decision time, consistency between screeners, the share staff did not share,
 * safety, workload, agreement with the band, and a change-point scan — each as an estimate with a
 * 95% interval, the method in a sentence and the pre-registered comparison (loaders/impact/).
 * Every name comes from the dictionary's roles and the project file's `pilot:` block; without them
 * the page says what it needs. The case mix is the newest registered model of the default target
 * (it must know neither the date nor who decided). Aggregates only: no record key, child or named
 * screener leaves Node.
 *
 * @example await computeImpact() // {available: true, headline: {decisionTimeRatio: {value: 0.75, …}, …}, …}
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {queryRows, withWarehouse} from "../db.ts";
import {newestModel} from "../registry.ts";
import {MODELS_DIR, PROJECT, WAREHOUSE} from "../paths.ts";
import {pilotTeams, type PilotSettings} from "../project.ts";
import {ident} from "../sql.ts";
import {impactFromRecords} from "../impact/compute.ts";
import {forbiddenFeatures, readImpactRecords} from "../impact/records.ts";
import {DEFAULT_SUBGROUP, impactSpec, type Subgroup} from "../impact/spec.ts";
import type {ImpactData, ImpactUnavailable} from "../impact/types.ts";
import {readFeatures} from "../registry.ts";

export type {ImpactData, ImpactUnavailable} from "../impact/types.ts";

export interface ImpactOptions {
  /** the pilot's design (default: the project file's `pilot:`) */
  pilot?: PilotSettings;
  modelsDir?: string;
  /** the change-point scan's subgroup, as dictionary variable → code (default: DEFAULT_SUBGROUP in loaders/impact/spec.ts) */
  subgroup?: Subgroup;
}

/** The Impact page's data from an open warehouse, or what the dictionary / project file lacks. */
export async function impactData(
  db: DuckDBConnection,
  dict: Dictionary,
  options: ImpactOptions = {},
): Promise<ImpactData | ImpactUnavailable> {
  const {pilot = PROJECT.pilot, modelsDir = MODELS_DIR, subgroup = DEFAULT_SUBGROUP} = options;
  const spec = impactSpec(dict, pilot, {subgroup});
  if ("available" in spec) return spec;
  const model = newestModel(spec.target, modelsDir);
  if (!model)
    return {
      available: false,
      needs: [`a registered ${spec.target} model`],
      reason: `The Impact page adjusts for case mix with the newest ${spec.target} model, and models/ holds none: run \`npx workbench train --target ${spec.target}\`.`,
    };
  const known = (dict.variables.find((v) => v.name === spec.team)?.codes ?? []).map((c) => c.code);
  const withBands = spec.band
    ? (
        await queryRows(
          db,
          `SELECT DISTINCT CAST(${ident(spec.team)} AS VARCHAR) AS t FROM contacts WHERE ${ident(spec.band)} IS NOT NULL ORDER BY t`,
        )
      ).map((r) => String(r.t))
    : [];
  let teams;
  try {
    teams = pilotTeams(spec.pilot, known, withBands);
  } catch (e) {
    return {available: false, needs: ["pilot.teams (workbench.yaml) or pilot bands in the data"], reason: (e as Error).message};
  }
  const records = await readImpactRecords(db, dict, spec, model.dir);
  const features = readFeatures(model.dir);
  const excludes = forbiddenFeatures(dict, spec);
  const labelOf = (name: string | null) => (name ? (spec.labels[name] ?? {}) : {});
  const label = (name: string) => dict.variables.find((v) => v.name === name)?.label ?? name;
  return impactFromRecords(records, {
    window: {start: spec.pilot.start, end: spec.pilot.end},
    pilotTeams: teams.teams,
    teams: [...new Set([...known, ...records.team])].filter(Boolean),
    teamsFrom: teams.from,
    labels: {team: labelOf(spec.team), source: labelOf(spec.source), concern: labelOf(spec.concerns)},
    hasPerson: spec.person !== null,
    hasResponse: spec.response !== null,
    subgroup: spec.subgroup ? {label: spec.subgroup.label, definition: spec.subgroup.definition} : null,
    caseMix: {
      model: model.card.id,
      trainedAt: model.card.trainedAt,
      features: features.columns.length,
      excludes: excludes.map(label),
      check: `Its ${features.variables.length} variables include none of ${excludes.map(label).join(", ")}: it knows neither the date nor who decided.`,
    },
    dictionary: spec.dictionary,
  });
}

/** The Impact page's data on the project's warehouse, dictionary and models (the page's data file calls this). */
export async function computeImpact(dict: Dictionary = loadDictionary(), options: ImpactOptions = {}, warehouse = WAREHOUSE) {
  const spec = impactSpec(dict, options.pilot ?? PROJECT.pilot);
  if ("available" in spec) return spec; // nothing to open: the page says what it needs
  return withWarehouse((db) => impactData(db, dict, options), warehouse);
}
