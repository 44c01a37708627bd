/**
 * The project file, workbench.yaml at the project root (or the file WORKBENCH_PROJECT names):
 * which dictionary, which extracts, the default target and model every command and page
 * loader uses, and the one model the public pages describe. A missing file means the defaults
 * below. Checked on load; errors name the file. The `pilot:` block, when present, states the
 * model pilot's design: its window and, optionally, the teams that ran it (absent: the teams with
 * pilot bands in the data, `pilotTeams`).
 *
 * @example loadProject() // {dictionary: "data/dictionary.yaml", extracts: [], target: "info_sharing", model: "logistic", public_model: {target: "info_sharing"}}
 */
import {existsSync, readFileSync} from "node:fs";
import {resolve} from "node:path";
import {parse} from "yaml";
import {z} from "zod";

/** A calendar day written YYYY-MM-DD (2019-02-30 is refused). */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a day written YYYY-MM-DD, e.g. 2019-01-01")
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !/^\d{4}-\d{2}-\d{2}$/.test(d) || (!Number.isNaN(t) && new Date(t).toISOString().startsWith(d));
  }, "not a day of the calendar");

/** The model pilot: its window (first and last day) and the teams that ran it, by the team variable's codes. */
const PilotSchema = z
  .strictObject({
    start: Day,
    end: Day,
    /** team codes; absent: the teams whose contacts carry a pilot band */
    teams: z.array(z.string().min(1)).min(1, "name at least one team, or leave teams out to take them from the pilot bands").optional(),
  })
  .refine((p) => p.end >= p.start, {message: "the pilot ends before it starts", path: ["end"]})
  .refine((p) => new Set(p.teams ?? []).size === (p.teams ?? []).length, {message: "a team is named twice", path: ["teams"]});

const ProjectSchema = z.strictObject({
  /** the variable dictionary, relative to the project root */
  dictionary: z.string().min(1).default("data/dictionary.yaml"),
  /** extract files or folders; empty: data/raw when it holds extracts, else the synthetic sample */
  extracts: z.array(z.string().min(1)).default([]),
  /** the target commands and pages use by default (else the dictionary's default_target) */
  target: z.string().optional(),
  /** the model type `workbench train` fits by default */
  model: z.enum(["logistic", "mlp"]).default("logistic"),
  /**
   * The model the public pages describe (loaders/public/settings.ts): `{id}` pins one registered
   * model; `{target}` alone takes that target's newest, named in the build log; both: the id, which
   * must be of that target. Absent: the newest model of the project's default target.
   */
  public_model: z
    .strictObject({target: z.string().min(1).optional(), id: z.string().min(1).optional()})
    .refine((p) => p.target || p.id, {
      message:
        "name a target or a model id, e.g. `public_model: {target: info_sharing}` (its newest model) or `public_model: {id: info_sharing-logistic-…}` (one model in models/)",
    })
    .optional(),
  /** the model pilot's design (window, teams), read by the impact evaluation; absent: no pilot */
  pilot: PilotSchema.optional(),
});

export type Project = z.infer<typeof ProjectSchema>;
export type PilotSettings = z.infer<typeof PilotSchema>;

/** The pilot's teams, and where they come from: the project file, or the data's pilot bands. */
export interface PilotTeams {
  teams: string[];
  from: "project" | "bands";
}

/**
 * The teams that ran the pilot: the project file's `teams` (each one of `knownTeams`, the team
 * variable's codes), else the teams whose contacts carry a pilot band (`teamsWithBands`, e.g.
 * `SELECT DISTINCT team FROM contacts WHERE band IS NOT NULL` through the roles). Refuses an unknown
 * team, and a pilot with neither teams nor bands, saying what to write.
 *
 * @example pilotTeams({start: "2019-01-01", end: "2019-03-31"}, ["T1", "T2", "T3", "T4"], ["T3", "T2"]) // {teams: ["T2", "T3"], from: "bands"}
 */
export function pilotTeams(pilot: PilotSettings, knownTeams: readonly string[], teamsWithBands: readonly string[]): PilotTeams {
  const inOrder = (teams: Iterable<string>) => {
    const set = new Set(teams);
    return [...knownTeams.filter((t) => set.has(t)), ...[...set].filter((t) => !knownTeams.includes(t)).sort()];
  };
  if (pilot.teams) {
    const unknown = pilot.teams.filter((t) => !knownTeams.includes(t));
    if (unknown.length)
      throw new Error(
        `pilot.teams: ${unknown.map((t) => `"${t}"`).join(", ")} ${unknown.length > 1 ? "are not teams" : "is not a team"} of the data; known: ${knownTeams.join(", ")}`,
      );
    return {teams: inOrder(pilot.teams), from: "project"};
  }
  if (teamsWithBands.length === 0)
    throw new Error(
      "pilot: no contact carries a pilot band, so the pilot teams cannot be derived; name them (pilot.teams: [...]) or ingest an extract with the pilot's bands",
    );
  return {teams: inOrder(teamsWithBands), from: "bands"};
}

/** Where the project file is: WORKBENCH_PROJECT, else workbench.yaml in the working directory. */
export function projectFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.WORKBENCH_PROJECT || "workbench.yaml");
}

/** Reads and checks the project file (the defaults when it does not exist). */
export function loadProject(path: string = projectFile()): Project {
  if (!existsSync(path)) {
    if (process.env.WORKBENCH_PROJECT) throw new Error(`WORKBENCH_PROJECT names ${path}, which does not exist`);
    return ProjectSchema.parse({});
  }
  const result = ProjectSchema.safeParse(parse(readFileSync(path, "utf8")) ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  return result.data;
}
