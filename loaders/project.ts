/**
 * The project file, workbench.yaml at the project root (or the file WORKBENCH_PROJECT names):
 * which dictionary, which extracts, the default target and model every command and page
 * loader uses, and the one model the public pages describe. A missing file means the defaults
 * below. Checked on load; errors name the file.
 *
 * @example loadProject() // {dictionary: "data/dictionary.yaml", extracts: [], target: "info_sharing", model: "logistic", public_model: {target: "info_sharing"}}
 */
import {existsSync, readFileSync} from "node:fs";
import {resolve} from "node:path";
import {parse} from "yaml";
import {z} from "zod";

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
});

export type Project = z.infer<typeof ProjectSchema>;

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
