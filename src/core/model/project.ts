/**
 * The linked project: compose services → the Dockerfiles they build → the final stage → entrypoint scripts, plus
 * the Dockerfiles no service builds. Everything the rules read is derived here once.
 */
import * as path from 'node:path';
import type { Message } from '../message.js';
import { parse as parseToml } from 'smol-toml';
import type { Loc, Severity } from '../types.js';
import { pointLoc } from '../types.js';
import type { SourceReader } from '../files.js';
import { parseDockerfile, customFrontend, type ParsedDockerfile } from '../parse/dockerfile.js';
import { parseCompose, parseDotenv, mergeNodes, get, scalarString, type ComposeParse, type PMap } from '../parse/compose.js';
import { buildImage, findStage, stageByName, externalBaseOf, ModelBudgetError, IMAGE_MODEL_BUDGET, type ImageModel, type Stage, type EnvMap, type ModelBudget, type BaseIncluder } from './image.js';
import { readServices, type Service } from './service.js';
import { resolveExtends, besideFile, type ExtendsContext } from './extends.js';
import { buildRuntime, reachableStages, resolveImagePath, SCRIPT_COMMAND_BUDGET, ENV_ENTRY_BUDGET, type Runtime, type Unresolved, type ScriptBudget } from './runtime.js';
import { parseDockerignore, isIgnored, type Dockerignore } from '../parse/dockerignore.js';
import { ToolInstallError } from '../parse/shell.js';
import { parseGitignore, gitIgnoredBy } from '../parse/gitignore.js';
import { namesUv } from './scope.js';
import { readWorkflowBuilds, readScriptBuilds, imageName } from './workflows.js';
import { inferContext } from './context.js';
import type { ComposeStack } from '../discover.js';
import { nameRole, BASE_COMPOSE_NAMES } from '../discover.js';
import { onlyAddsVolumes, developmentService, developmentPeers, devServer as devServerOf, SLEEPS, imageRepository, fromRefs, type StackInfo, type LeftOut } from './stacks.js';

export interface UvProjectSettings {
  /** `compile-bytecode = true` under [tool.uv] (pyproject.toml) or in uv.toml. */
  compileBytecode?: { value: boolean; file: string };
  /** `default-groups` under [tool.uv]: 'all' or a list of group names. */
  defaultGroups?: string[] | 'all';
  file?: string;
}

/** One way an image is built and run: a Dockerfile with build args and a target. */
export interface ImageUse {
  image: ImageModel;
  final: Stage;
  reachable: Set<number>;
  contextDir: string;
  /**
   * Set when nothing shows the build context (no compose file or workflow builds the Dockerfile, and its sources do
   * not settle it): how it was assumed, for the findings that depend on it (they say so and are never errors).
   */
  contextAssumed?: string;
  dockerignore?: Dockerignore;
  uvSettings: UvProjectSettings;
  runtimes: Runtime[];
  /**
   * Where a path of the image comes from in the build context, considering instructions of `stage` above
   * `beforeLine`: the repository-relative file, whether it exists, and whether .dockerignore leaves it out. With
   * `existingOnly`, a folder copied whole provides only the files it holds (see resolveImagePath).
   */
  sourceOf(stage: Stage, imagePath: string, beforeLine?: number, existingOnly?: boolean): ContextFile | undefined;
  /** A path relative to the build context: its repository-relative name, existence, and .dockerignore status. */
  contextFile(relPath: string): ContextFile;
  /** The text of a repository-relative file (as `ContextFile.file` names it); undefined when it cannot be read. */
  readText(file: string): string | undefined;
  /**
   * What a COPY/ADD of `stage` (or a stage it copies from) puts at `imagePath` from the build context: the
   * repository file or folder, when it exists and .dockerignore lets it in, and whether it is code (see CODE_FILE);
   * undefined when the image gets nothing there from the repository (a path only made at run time, like coverage
   * output or a data folder).
   */
  provides(stage: Stage, imagePath: string): { file: string; dir: boolean; code: boolean } | undefined;
}

export interface ContextFile {
  file: string;
  exists: boolean;
  ignored: boolean;
}

export interface Problem {
  ruleId: 'RO901' | 'RO902';
  /** A `msg` template when it has code spans of ours. */
  message: string | Message;
  loc: Loc;
  /**
   * Instead of the rule's own: a Dockerfile that is not valid UTF-8 is analysed (a notice); a problem resting on an
   * assumption (an assumed build context) is lower.
   */
  severity?: Severity;
  /** What the problem concerns, when it is one image or service: reported only where that is in scope (scope.ts). */
  about?: { runtime: Runtime } | { use: ImageUse } | { service: Service } | { dockerfile: string };
}

export interface Project {
  root: string;
  dockerfiles: Map<string, ParsedDockerfile>;
  composes: ComposeParse[];
  imageUses: ImageUse[];
  runtimes: Runtime[];
  /**
   * `compose`: the project `docker compose` runs the service in: its files (repository-relative, merged in this
   * order) and project directory (absolute). For a service of an `include`d file, the including project.
   * `development`: why the service is not judged as production (its stack, or what it does).
   */
  services: { service: Service; file: string; runtime?: Runtime; compose: ComposeRun; development?: string; stack?: StackInfo }[];
  problems: Problem[];
  scopeAll: boolean;
  /** The compose stacks analysed, each judged as production or development (for the summary). */
  stacks: StackInfo[];
  /** What was analysed without the production-only rules, or left out, and why (for the summary). */
  leftOut: LeftOut[];
  /** env_files created at deploy time (git-ignored, a template beside them, `required: false`): values unknown. */
  unknownEnvFiles: LeftOut[];
  /** The config's `uv-version`: the release UV106's fix pins to. */
  uvVersion?: string;
}

export interface BuildInput {
  root: string;
  dockerfiles: string[];
  composeProjects: ComposeStack[];
  reader: SourceReader;
  /** The config's `production` globs, when given: Dockerfiles no compose service builds are production only if matched. */
  production?: (file: string) => boolean;
  scopeAll: boolean;
  uvVersion?: string;
  /** Files the discovery matched but did not read. */
  skipped: { file: string; reason: string }[];
  /** Whether a repository-relative path is excluded (by the config): files `include` names there are not read. */
  isExcluded?: (file: string) => boolean;
  /** GitHub workflow files (repository-relative): the builds they run give Dockerfiles their context. */
  workflows?: string[];
  /** Build scripts (repository-relative) whose `docker build` commands give contexts and image names. */
  buildScripts?: string[];
}

const rel = (root: string, abs: string): string => path.relative(root, abs).split(path.sep).join('/');

/**
 * The parsed compose file `file` (repository-relative), by an index kept in step with `project.composes` (which is
 * only appended to: the index takes in what was appended since the last call).
 */
const composeIndex = new WeakMap<ComposeParse[], { byFile: Map<string, ComposeParse>; count: number }>();
export function composeOf(project: Pick<Project, 'composes'>, file: string): ComposeParse | undefined {
  let index = composeIndex.get(project.composes);
  if (!index) composeIndex.set(project.composes, (index = { byFile: new Map(), count: 0 }));
  for (; index.count < project.composes.length; index.count++) {
    const c = project.composes[index.count]!;
    if (!index.byFile.has(c.file)) index.byFile.set(c.file, c);
  }
  return index.byFile.get(file);
}

export function buildProject(input: BuildInput): Project {
  const { root, reader } = input;
  const project: Project = { root, dockerfiles: new Map(), composes: [], imageUses: [], runtimes: [], services: [], problems: [], scopeAll: input.scopeAll, stacks: [], leftOut: [], unknownEnvFiles: [], ...(input.uvVersion ? { uvVersion: input.uvVersion } : {}) };
  for (const s of input.skipped) project.problems.push({ ruleId: 'RO902', message: `${s.file}: ${s.reason}`, loc: pointLoc(s.file) });

  // A cheap text check before the full parse: a Dockerfile that never names uv is out of scope (no findings) unless
  // `scope: all`, or a compose service that builds it runs uv; then it is parsed when the service asks for it.
  const outOfScopeText = (text: string): boolean => !input.scopeAll && !namesUv(text);
  const readDockerfile = (file: string, onlyInScope = false): ParsedDockerfile | undefined => {
    if (project.dockerfiles.has(file)) return project.dockerfiles.get(file);
    // Docker builds a Dockerfile whatever its bytes: bad UTF-8 (a Latin-1 comment) is read with replacement characters.
    const r = reader.readText(path.join(root, file), { lossy: true });
    if ('text' in r) {
      if (onlyInScope && outOfScopeText(r.text)) return undefined;
      if (r.replaced) {
        project.problems.push({ ruleId: 'RO901', severity: 'notice', message: `${file} is not valid UTF-8 (first at line ${r.replaced.line}, column ${r.replaced.column}; Latin-1 or another encoding?): analysed with those bytes replaced, as Docker builds it`, loc: pointLoc(file, r.replaced.line, r.replaced.column), about: { dockerfile: file } });
      }
      let parsed: ParsedDockerfile;
      try {
        parsed = parseDockerfile(file, r.text);
      } catch (e) {
        if (e instanceof ToolInstallError) throw e;
        project.problems.push({ ruleId: 'RO901', message: `the Dockerfile parser failed on this file: ${(e as Error).message}`, loc: pointLoc(file) });
        return undefined;
      }
      for (const issue of parsed.issues) project.problems.push({ ruleId: 'RO901', message: issue.message, loc: issue.loc, about: { dockerfile: file } });
      project.dockerfiles.set(file, parsed);
      return parsed;
    }
    project.problems.push({ ruleId: 'RO901', message: `${file}: ${'missing' in r ? 'file not found' : r.error}`, loc: pointLoc(file) });
    return undefined;
  };
  for (const f of input.dockerfiles) readDockerfile(f, true);

  const images = new Map<string, ImageModel>();
  const parsedIds = new WeakMap<ParsedDockerfile, number>();
  let nextParsedId = 0;
  const modelBudget: ModelBudget = { left: IMAGE_MODEL_BUDGET };
  const overBudget: string[] = [];
  const imageFor = (parsed: ParsedDockerfile, args: Map<string, string>): ImageModel => {
    let id = parsedIds.get(parsed);
    if (id === undefined) parsedIds.set(parsed, (id = nextParsedId++));
    const key = `${id}\0${JSON.stringify([...args].sort())}`;
    let img = images.get(key);
    if (!img) {
      try {
        img = buildImage(parsed, args, modelBudget, customFrontend(parsed.syntax) ? includerFor(parsed, args) : undefined);
      } catch (e) {
        if (e instanceof ToolInstallError) throw e;
        if (e instanceof ModelBudgetError) {
          overBudget.push(parsed.file);
          img = { parsed, file: parsed.file, stages: [], usesUv: false };
          images.set(key, img);
          return img;
        }
        // A parser library failing on hostile input: report it on the file instead of crashing the run.
        project.problems.push({ ruleId: 'RO901', message: `this Dockerfile could not be analysed: ${(e as Error).message}`, loc: pointLoc(parsed.file), about: { dockerfile: parsed.file } });
        img = { parsed, file: parsed.file, stages: [], usesUv: false };
      }
      images.set(key, img);
    }
    return img;
  };
  // `FROM ./other.Dockerfile[#stage]` under a custom frontend (dockerfile-x): that Dockerfile of the repository, read
  // (not analysed on its own unless discovery found it) and modelled with the same build args. A path outside the
  // repository, a missing or unreadable file, a stage it does not have or an include cycle leave the base unknown.
  const including = new Set<string>();
  const includedFiles = new Map<string, ParsedDockerfile | undefined>();
  const readIncluded = (file: string): ParsedDockerfile | undefined => {
    if (project.dockerfiles.has(file)) return project.dockerfiles.get(file);
    if (includedFiles.has(file)) return includedFiles.get(file);
    const r = reader.readText(path.join(root, file));
    let parsed: ParsedDockerfile | undefined;
    if ('text' in r) {
      try {
        parsed = parseDockerfile(file, r.text);
      } catch (e) {
        if (e instanceof ToolInstallError) throw e;
      }
    }
    includedFiles.set(file, parsed);
    return parsed;
  };
  const includerFor = (parsed: ParsedDockerfile, args: Map<string, string>): BaseIncluder => (ref) => {
    if (!ref.startsWith('.') && !ref.startsWith('/')) return undefined;
    if (ref.startsWith('/')) return {};
    const hash = ref.indexOf('#');
    const target = rel(root, path.resolve(root, path.posix.dirname(parsed.file), hash < 0 ? ref : ref.slice(0, hash)));
    if (target.startsWith('..') || path.isAbsolute(target)) return {};
    const inc = including.has(target) || !reader.exists(path.join(root, target)) ? undefined : readIncluded(target);
    if (!inc) return { file: target };
    including.add(parsed.file);
    including.add(target);
    let image: ImageModel;
    try {
      image = imageFor(inc, args);
    } finally {
      including.delete(target);
      including.delete(parsed.file);
    }
    const idx = hash < 0 ? image.stages.length - 1 : stageByName(ref.slice(hash + 1), image.stages);
    const stage = idx === undefined ? undefined : image.stages[idx];
    return stage ? { file: target, image, stage } : { file: target };
  };
  const uses = new Map<string, ImageUse>();
  const imageIds = new Map<ImageModel, number>();
  const useKey = (img: ImageModel, final: Stage, contextDir: string): string => {
    if (!imageIds.has(img)) imageIds.set(img, imageIds.size);
    return `${imageIds.get(img)}\0${final.index}\0${contextDir}`;
  };
  const useFor = (img: ImageModel, final: Stage, contextDir: string): ImageUse => {
    const key = useKey(img, final, contextDir);
    const found = uses.get(key);
    if (found) return found;
    const use: ImageUse = {
      image: img,
      final,
      reachable: reachableStages(img, final),
      contextDir,
      uvSettings: readUvSettings(contextDir, root, reader, project),
      runtimes: [],
      sourceOf(stage, imagePath, beforeLine, existingOnly) {
        const hit = resolveImagePath(imagePath, stage, img, contextDir, reader, 0, beforeLine, existingOnly);
        return hit ? use.contextFile(path.relative(contextDir, hit.abs)) : undefined;
      },
      provides(stage, imagePath) {
        const hit = resolveImagePath(imagePath, stage, img, contextDir, reader);
        if (!hit) return undefined;
        const f = use.contextFile(path.relative(contextDir, hit.abs));
        if (!f.exists || f.ignored) return undefined;
        const dir = reader.isDir(hit.abs);
        return { file: f.file, dir, code: dir ? holdsCode(hit.abs, reader) : CODE_FILE.test(f.file) };
      },
      contextFile(relPath) {
        const abs = path.resolve(contextDir, relPath);
        const inContext = path.relative(contextDir, abs).split(path.sep).join('/');
        return { file: rel(root, abs), exists: reader.exists(abs), ignored: isIgnored(use.dockerignore, inContext) };
      },
      readText(file) {
        const r = reader.readText(path.join(root, file));
        return 'text' in r ? r.text : undefined;
      },
    };
    const di = readDockerignore(img.parsed.inline ? undefined : img.file, contextDir, root, reader);
    if (di) use.dockerignore = di;
    uses.set(key, use);
    return use;
  };
  const builtFiles = new Set<string>();

  const scriptBudget: ScriptBudget = { left: SCRIPT_COMMAND_BUDGET, skipped: [] };
  let envLeft = ENV_ENTRY_BUDGET;
  const skippedServices: { name: string; loc: Loc }[] = [];
  const envFileCache = new Map<string, EnvFileRead>();
  /** Whether the service's environment fits in what is left of the budget (taken from it when it does). */
  const affordable = (service: Service, stage: Stage | undefined, envFiles: EnvMap): boolean => {
    const size = (stage?.env.size ?? 0) + envFiles.size + service.environment.size;
    if (size > envLeft) {
      skippedServices.push({ name: service.name, loc: service.loc });
      return false;
    }
    envLeft -= size;
    return true;
  };
  /** A service's image built from `build` (its own, or the builder's of the image it names): its runtime. */
  const buildService = (service: Service, build: NonNullable<Service['build']>, file: string, envFiles: EnvMap, unresolved: Unresolved[]): Runtime | undefined => {
    let runtime: Runtime | undefined;
    if (build.defaultName && !build.inline && !reader.exists(build.dockerfile)) {
      // Docker's fallback when the context has no `Dockerfile`.
      const lower = path.join(build.context, 'dockerfile');
      if (reader.exists(lower)) build.dockerfile = lower;
    }
    const ctxRel = rel(root, build.context);
    const dfRel = rel(root, build.dockerfile);
    if (ctxRel.startsWith('..')) {
      project.problems.push({ ruleId: 'RO902', message: `service "${service.name}": build context ${ctxRel} is outside the scanned root`, loc: build.loc });
    } else if (!reader.isDir(build.context)) {
      project.problems.push({ ruleId: 'RO902', message: `service "${service.name}": build context ${ctxRel || '.'} does not exist`, loc: build.loc });
    } else if (!build.inline && !reader.exists(build.dockerfile)) {
      project.problems.push({ ruleId: 'RO902', message: `service "${service.name}": Dockerfile ${dfRel} does not exist`, loc: build.loc });
    } else {
      const parsed = build.inline ? inlineDockerfile(build.inline, project) : readDockerfile(dfRel);
      if (parsed) {
        if (!build.inline) builtFiles.add(dfRel);
        const img = imageFor(parsed, build.args);
        const target = build.target;
        const idx = target === undefined ? img.stages.length - 1 : findStage(target, img.stages);
        if (idx === undefined) {
          project.problems.push({ ruleId: 'RO902', message: `service "${service.name}": build target "${target}" is not a stage of ${build.inline ? 'its dockerfile_inline' : dfRel}`, loc: build.loc });
        } else if (idx >= 0 && affordable(service, img.stages[idx], envFiles)) {
          const final = img.stages[idx]!;
          const use = useFor(img, final, build.context);
          runtime = buildRuntime({ label: `service "${service.name}"`, image: img, stage: final, service, serviceFile: file, envFiles, contextDir: build.context, root, reader, unresolved, budget: scriptBudget });
          use.runtimes.push(runtime);
        }
      }
    }
    return runtime;
  };
  /**
   * Image names a compose service (with `build` and `image`) or a workflow builds: a service that only names the
   * image (`image: org/app`, in another compose file) runs what that build makes. Services are linked once all
   * compose files are read (the one that builds may come later).
   */
  const builders = new Map<string, NonNullable<Service['build']>>();
  const devBuilders = new Map<string, NonNullable<Service['build']>>();
  const linked: { service: Service; file: string; envFiles: EnvMap; entry: Project['services'][number] }[] = [];
  // Compose projects as discovered, then the files their `include` names that discovery did not (each once).
  const queue: ComposeProjectFiles[] = input.composeProjects.map((s) => ({ files: s.files, stack: s }));
  const queued = new Set(input.composeProjects.flatMap((s) => s.files));
  const devServices: { rt: Runtime | undefined; entry: Project['services'][number] }[] = [];
  for (let q = 0; q < queue.length; q++) {
    const { files, projectDir, runAs } = queue[q]!;
    const dir = projectDir ?? path.join(root, path.posix.dirname(files[0]!));
    const run: ComposeRun = runAs ?? { files, projectDir: dir };
    const loaded = loadCompose(files, dir, root, reader, project);
    if (!loaded) continue;
    const merged = loaded.doc;
    const stack = judgeStack(queue[q]!, project);
    for (const inc of readIncludes(merged, files[0]!, root, reader, project)) {
      if (inc.files.every((f) => queued.has(f)) || inc.files.some((f) => input.isExcluded?.(f))) continue;
      for (const f of inc.files) queued.add(f);
      queue.push({ ...inc, runAs: run, stack: { files: inc.files, role: stack.production ? 'production' : 'development', reason: `included by ${files.join(' + ')}` } });
    }
    const stackEntries: Project['services'][number][] = [];
    for (const service of readServices(merged, dir, loaded.lookup)) {
      const file = service.loc.file;
      const envFiles = readEnvFiles(service, root, reader, project, envFileCache);
      let runtime: Runtime | undefined;
      const unresolved: Unresolved[] = [];
      if (service.build && !service.build.remote) {
        if (service.image) {
          // A development stack's build of a name (`target: development`) is only the fallback: the production
          // stacks' and the workflows' builds of it come first.
          const into = stack.production ? builders : devBuilders;
          const name = imageName(service.image.value);
          if (name && !into.has(name)) into.set(name, service.build);
          if (!into.has(service.image.value)) into.set(service.image.value, service.build);
        }
        const b = service.build;
        const dfMissing = !b.inline && !reader.exists(b.dockerfile) && !(b.defaultName && reader.exists(path.join(b.context, 'dockerfile')));
        if (!reader.isDir(b.context) || dfMissing) overrideOfBase(b, dir, root, reader);
        runtime = buildService(service, service.build, file, envFiles, unresolved);
      } else if (service.image && !service.build) {
        const entry: Project['services'][number] = { service, file, compose: run, stack };
        // Its stack decides now (its runtime, linked below, gets it): a development stack's image-only service is too.
        if (!stack.production) entry.development = `its stack (${files.join(' + ')}) is development`;
        project.services.push(entry);
        stackEntries.push(entry);
        linked.push({ service, file, envFiles, entry });
        continue;
      } else if (affordable(service, undefined, envFiles)) {
        runtime = buildRuntime({ label: `service "${service.name}"`, service, serviceFile: file, envFiles, root, reader, unresolved, budget: scriptBudget });
      }
      for (const u of unresolved) project.problems.push({ ruleId: 'RO902', message: u.message, loc: u.loc, ...(runtime ? { about: { runtime } } : {}) });
      if (runtime) project.runtimes.push(runtime);
      const entry: Project['services'][number] = { service, file, compose: run, stack };
      if (runtime) entry.runtime = runtime;
      const dev = stack.production ? developmentService(service, runtime, root, reader) : `its stack (${files.join(' + ')}) is development`;
      if (dev) {
        entry.development = dev;
        if (runtime) runtime.development = dev;
        if (stack.production) devServices.push({ rt: runtime, entry });
      }
      project.services.push(entry);
      stackEntries.push(entry);
    }
    if (stack.production) {
      for (const [service, why] of developmentPeers(stackEntries, root, reader)) {
        const entry = stackEntries.find((e) => e.service === service)!;
        entry.development = why;
        if (entry.runtime) entry.runtime.development = why;
        devServices.push({ rt: entry.runtime, entry });
      }
    }
  }
  // Services that only exist for development, in stacks judged as production.
  for (const { entry } of devServices) project.leftOut.push({ what: `service "${entry.service.name}" (${entry.file})`, why: entry.development! });
  markBaseImages(project, input.dockerfiles, reader, root);

  // Dockerfiles that no compose service builds: analysed as an image run with its defaults (last stage), in the
  // context a workflow builds it in, else the one its sources resolve in (see ./context.ts).
  const workflowBuilds = [
    ...(input.workflows?.length ? readWorkflowBuilds(input.workflows, root, reader) : []),
    ...(input.buildScripts?.length ? readScriptBuilds(input.buildScripts, root, reader) : []),
  ];
  for (const b of workflowBuilds) {
    const dockerfile = path.join(root, b.dockerfile);
    const context = path.join(root, b.context);
    if (!reader.exists(dockerfile) || !reader.isDir(context)) continue;
    for (const name of b.names) if (!builders.has(name)) builders.set(name, { context, dockerfile, args: b.args, loc: b.loc, remote: false, ...(b.target ? { target: b.target } : {}) });
  }
  for (const { service, file, envFiles, entry } of linked) {
    const ref = service.image!.value;
    const name = imageName(ref);
    // A development build of that name stands for a production service as the same Dockerfile and context (the
    // base's `image: app` with the override's `build: .`), but not at a development target (`target: development`):
    // then at the target a workflow builds that Dockerfile with, else its last stage.
    const devBuild = devBuilders.get(ref) ?? (name === undefined ? undefined : devBuilders.get(name));
    let devFallback = devBuild;
    if (devBuild && entry.stack?.production && devBuild.target && nameRole(devBuild.target)?.role === 'development') {
      const df = rel(root, devBuild.dockerfile);
      const wfTarget = workflowBuilds.find((b) => b.dockerfile === df && b.target)?.target;
      const rest = { ...devBuild };
      delete rest.target;
      devFallback = wfTarget ? { ...rest, target: wfTarget } : rest;
    }
    const build = builders.get(ref) ?? (name === undefined ? undefined : builders.get(name)) ?? devFallback;
    const unresolved: Unresolved[] = [];
    const runtime = build ? buildService(service, build, file, envFiles, unresolved) : affordable(service, undefined, envFiles) ? buildRuntime({ label: `service "${service.name}"`, service, serviceFile: file, envFiles, root, reader, unresolved, budget: scriptBudget }) : undefined;
    for (const u of unresolved) project.problems.push({ ruleId: 'RO902', message: u.message, loc: u.loc, ...(runtime ? { about: { runtime } } : {}) });
    if (!runtime) continue;
    const dev = entry.development ?? (entry.stack?.production === false ? undefined : developmentService(service, runtime, root, reader));
    if (dev) {
      if (!entry.development) project.leftOut.push({ what: `service "${service.name}" (${file})`, why: dev });
      entry.development = dev;
      runtime.development = dev;
    }
    project.runtimes.push(runtime);
    entry.runtime = runtime;
  }
  // An image that only development services run, but which has a command of its own, is still the image production
  // would run with that command: it is judged as that, unless that command is a dev server.
  const runInProduction = new Set([...uses.values()].filter((u) => u.runtimes.some((rt) => rt.development === undefined)).map((u) => u.image.file));
  for (const use of [...uses.values()]) {
    if (!use.runtimes.length || !use.runtimes.every((rt) => rt.development !== undefined) || use.image.parsed.inline || runInProduction.has(use.image.file)) continue;
    // With no command of its own, the image is only what those services make of it: a development image.
    if (input.production || nameRole(use.image.file)?.role === 'development' || (!use.final.cmd && !use.final.entrypoint)) continue;
    const unresolved: Unresolved[] = [];
    const runtime = buildRuntime({ label: use.image.file, image: use.image, stage: use.final, envFiles: new Map(), contextDir: use.contextDir, root, reader, unresolved, budget: scriptBudget });
    const own = ownStart(use, runtime, reader, true);
    if (own.development) runtime.development = own.development;
    else if (own.none) runtime.baseImage = own.none;
    else for (const u of unresolved) project.problems.push({ ruleId: 'RO902', message: u.message, loc: u.loc, about: { runtime } });
    const why = own.development ?? (own.none ? `${own.none}: judged for its build only` : undefined);
    if (why) project.leftOut.push({ what: use.image.file, why });
    use.runtimes.push(runtime);
    project.runtimes.push(runtime);
  }
  for (const [file, parsed] of project.dockerfiles) {
    if (builtFiles.has(file)) continue;
    const named = nameRole(file);
    const development = input.production ? (input.production(file) ? undefined : "not named by the config's `production`") : named?.role === 'development' ? `\`${named.token}\` in the ${named.token.endsWith('/') ? 'path' : 'name'} marks development` : undefined;
    const plain = imageFor(parsed, new Map());
    if (!plain.stages.length) continue;
    if (development) project.leftOut.push({ what: file, why: development });
    // Each distinct way a workflow or script builds it (context, target, build args); else its inferred context.
    const builds: { contextDir: string; img: ImageModel; final: Stage }[] = [];
    const seenBuilds = new Set<string>();
    for (const b of workflowBuilds) {
      const contextDir = path.join(root, b.context);
      if (b.dockerfile !== file || !reader.isDir(contextDir)) continue;
      const key = JSON.stringify([b.context, b.target, [...b.args].sort()]);
      if (seenBuilds.has(key)) continue;
      seenBuilds.add(key);
      const img = b.args.size ? imageFor(parsed, b.args) : plain;
      const at = b.target === undefined ? img.stages.length - 1 : stageByName(b.target, img.stages);
      const final = at === undefined ? undefined : img.stages[at];
      // (A target the Dockerfile does not have fails that build: nothing to judge from it.)
      if (final) builds.push({ contextDir, img, final });
    }
    let assumed: string | undefined;
    if (!builds.length) {
      const inferred = inferContext(plain, file, root, reader);
      builds.push({ contextDir: inferred.dir, img: plain, final: plain.stages[plain.stages.length - 1]! });
      assumed = inferred.assumed;
    }
    for (const { contextDir, img, final } of builds) {
      // A last stage named for tests or development (`AS testing`, `AS e2e`), built with no other target.
      const stageRole = !development && !input.production && final.name ? nameRole(final.name) : undefined;
      const stageDev = stageRole?.role === 'development' ? `its stage \`${final.name}\` is named for ${stageRole.token === 'ci' ? 'CI' : 'tests or development'}` : undefined;
      const fresh = !uses.has(useKey(img, final, contextDir));
      const use = useFor(img, final, contextDir);
      if (fresh && assumed) use.contextAssumed = assumed;
      const unresolved: Unresolved[] = [];
      const runtime = buildRuntime({ label: file, image: img, stage: final, envFiles: new Map(), contextDir, root, reader, unresolved, budget: scriptBudget });
      if (development || stageDev) {
        runtime.development = (development ?? stageDev)!;
        if (stageDev && fresh) project.leftOut.push({ what: file, why: stageDev });
      } else {
        const own = ownStart(use, runtime, reader, false);
        if (own.development) runtime.development = own.development;
        else if (own.none) runtime.baseImage = own.none;
        if (fresh && (own.development || own.none)) project.leftOut.push({ what: file, why: own.development ?? `${own.none}: judged for its build only` });
      }
      for (const u of unresolved) project.problems.push(use.contextAssumed ? { ruleId: 'RO902', message: `${u.message} (${use.contextAssumed})`, loc: u.loc, about: { runtime }, severity: 'notice' } : { ruleId: 'RO902', message: u.message, loc: u.loc, about: { runtime } });
      use.runtimes.push(runtime);
      project.runtimes.push(runtime);
    }
  }
  project.imageUses = [...uses.values()];
  // One RO902 per budget spent, on the first thing it left out.
  const spent = (loc: Loc, what: string, n: number, rest: string, why: string, verb: string, kind = ''): void => {
    const more = n > 1 ? ` and ${n - 1} more${kind}` : '';
    project.problems.push({ ruleId: 'RO902', message: `${what}${more}${rest}: ${why}, the most ro-uv-check ${verb} in one run; analyse fewer services at a time (a path argument)`, loc });
  };
  if (overBudget.length) {
    const files = [...new Set(overBudget)];
    spent(pointLoc(files[0]!), files[0]!, files.length, ` not analysed for ${overBudget.length === 1 ? 'one set' : `${overBudget.length} sets`} of build args`, `the images of this repository hold over ${IMAGE_MODEL_BUDGET.toLocaleString('en')} instructions, environment entries and words in all (each set of build args is modelled apart)`, 'models', ' Dockerfiles');
  }
  const firstService = skippedServices[0];
  if (firstService) spent(firstService.loc, `service "${firstService.name}"`, skippedServices.length, ' not analysed', `the environments of this repository's services hold over ${ENV_ENTRY_BUDGET.toLocaleString('en')} entries in all (each service keeps its own)`, 'holds');
  const first = scriptBudget.skipped[0];
  if (first) spent(first.loc, `${first.script} is not followed for ${first.label}`, scriptBudget.skipped.length, '', `the scripts of this repository's containers hold over ${SCRIPT_COMMAND_BUDGET.toLocaleString('en')} commands in all (each container keeps its own copy)`, 'follows');
  return project;
}

/**
 * A compose `dockerfile_inline`, parsed where it is written. A literal block scalar whose lines stand in the compose
 * file as they are in the value (no interpolation changed them) is laid out line for line at its own lines and
 * columns, so that findings and fixes point into it. Any other (a quoted string, a folded block, interpolated text)
 * is parsed under a name of its own (see `inlineRegion`): its findings are reported at the value as a whole.
 */
function inlineDockerfile(inline: { value: string; loc: Loc; style?: string }, project: Project): ParsedDockerfile | undefined {
  // The compose file it is written in (with `extends`, maybe not the service's own).
  const file = inline.loc.file;
  const lines = composeOf(project, file)?.lines;
  let text: string | undefined;
  if (inline.style === 'BLOCK_LITERAL' && lines) {
    // Content starts on the line after the `|` header, at the indentation of its first non-blank line.
    let indent = 0;
    for (let l = inline.loc.line + 1; l <= lines.lineCount; l++) {
      const t = lines.lineText(l);
      if (t.trim()) {
        indent = t.length - t.trimStart().length;
        break;
      }
    }
    const pad = ' '.repeat(indent);
    const valueLines = inline.value.split('\n').map((l) => (l ? pad + l : l));
    // (The value's final newline ends its last line: no line of its own to compare.)
    const exact = valueLines.every((l, i) => (l === '' ? i === valueLines.length - 1 || !lines.lineText(inline.loc.line + 1 + i).trim() : lines.lineText(inline.loc.line + 1 + i) === l));
    if (exact) text = '\n'.repeat(inline.loc.line) + valueLines.join('\n');
  }
  const name = text === undefined ? inlineName(file, inline.loc) : file;
  let parsed: ParsedDockerfile;
  try {
    parsed = parseDockerfile(name, text ?? inline.value);
  } catch (e) {
    if (e instanceof ToolInstallError) throw e;
    project.problems.push({ ruleId: 'RO901', message: `the dockerfile_inline parser failed: ${(e as Error).message}`, loc: inline.loc });
    return undefined;
  }
  for (const issue of parsed.issues) project.problems.push({ ruleId: 'RO901', message: issue.message, loc: issue.loc });
  parsed.inline = true;
  return parsed;
}

/** The name a `dockerfile_inline` that cannot be laid out is parsed under: the compose file, a NUL, and where it is. */
function inlineName(file: string, loc: Loc): string {
  return `${file}\0${loc.line}:${loc.column}:${loc.endLine}:${loc.endColumn}`;
}

/** For a name made by `inlineName`: the compose file and the range of the value; undefined for any real file name. */
export function inlineRegion(name: string): Loc | undefined {
  const nul = name.indexOf('\0');
  if (nul < 0) return undefined;
  const [line = 1, column = 1, endLine = 1, endColumn = 1] = name.slice(nul + 1).split(':').map(Number);
  return { file: name.slice(0, nul), line, column, endLine, endColumn };
}

/**
 * A compose file in a folder of its own (`compose/overrides/docker-compose.yaml`) whose build context (or Dockerfile)
 * does not exist from its folder but does from an ancestor that holds a base compose file: it is an override of that
 * base (`docker compose -f docker-compose.yaml -f overrides/docker-compose.yaml`), and compose resolves its paths from
 * the base file's folder. Likewise from any ancestor where the context and its Dockerfile both exist (an example
 * file meant to run with `--project-directory .`). The build is moved there.
 */
function overrideOfBase(build: NonNullable<Service['build']>, dir: string, root: string, reader: SourceReader): void {
  if (build.remote || build.inline) return;
  const relCtx = path.relative(dir, build.context);
  const relDf = path.relative(build.context, build.dockerfile);
  for (let a = path.dirname(dir); ; a = path.dirname(a)) {
    const rel = path.relative(root, a);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return;
    const hasBase = BASE_COMPOSE_NAMES.some((n) => reader.exists(path.join(a, n)));
    const ctx = path.resolve(a, relCtx);
    // From a base file's folder the context is enough; from any other ancestor the Dockerfile must be there too
    // (`examples/compose.yaml` run with `--project-directory .`, or copied to the root as its README says).
    if (reader.isDir(ctx) && (hasBase || reader.exists(path.resolve(ctx, relDf)))) {
      build.context = ctx;
      build.dockerfile = path.resolve(ctx, relDf);
      return;
    }
    if (a === root) return;
  }
}

/**
 * How an image starts by itself: with no CMD or ENTRYPOINT in its final stage (or the stages it builds on) the
 * repository does not say how an app runs from it (a base, build, CI or tool image); a CMD that is a dev server makes
 * it a development image.
 */
function ownStart(use: ImageUse, rt: Runtime, reader: SourceReader, devOnly: boolean): { none?: string; development?: string } {
  // (A dockerfile-x include that could not be read may hold the command.)
  const included = /^[./]/.test(externalBaseOf(use.final, use.image.stages));
  if (!use.final.cmd && !use.final.entrypoint && !included && !copiesCode(use, reader)) return { none: 'it sets no CMD or ENTRYPOINT and copies no code from its build context: a base, build or tool image' };
  // A container that only stays up (`tail -f /dev/null`, `sleep infinity`): a sandbox or a shell, not an app.
  const last = rt.commands[rt.commands.length - 1];
  if (last && SLEEPS.some((re) => re.test(last.words.map((w) => w.text ?? '').join(' ')))) return { none: 'its command only keeps the container up (a sandbox or a shell to work in), it starts no app' };
  const server = devOnly ? devServerOf(rt) : undefined;
  return server ? { development: `its own command runs a development server (${server.what}), and only development services run it` } : {};
}

/**
 * Whether the image gets code from its build context (a COPY/ADD of a code file, of a folder that holds one, or of
 * a pattern that may match one), as opposed to only dependency manifests (pyproject.toml, uv.lock, requirements).
 */
function copiesCode(use: ImageUse, reader: SourceReader): boolean {
  for (const i of use.reachable) {
    for (const c of use.image.stages[i]?.copies ?? []) {
      if (c.from !== undefined || c.fromStage !== undefined) continue;
      for (const src of c.sources) {
        if (/^[a-z]+:\/\/|^git@/i.test(src.path)) continue;
        if (/[*?[]/.test(src.path) || src.path.includes('$')) {
          // `uv.lock*`, `requirements*.txt`: manifests, by what the pattern spells.
          if (!/\.(toml|lock|txt|cfg|ini|json|ya?ml|md)$/i.test(src.path.replace(/[*?[\]]/g, ''))) return true;
          continue;
        }
        const abs = path.resolve(use.contextDir, src.path.replace(/^\/+/, ''));
        if (reader.isDir(abs) ? holdsCode(abs, reader) : CODE_FILE.test(src.path)) return true;
      }
    }
  }
  return false;
}

/** The files of one compose project (the first is the base), and its folder when it is not the base file's. */
interface ComposeProjectFiles {
  files: string[];
  projectDir?: string;
  /** The project compose runs (for an `include`d file: the including one). */
  runAs?: ComposeRun;
  stack?: ComposeStack;
}

/**
 * Whether a stack is judged as production, recorded for the summary: a variant (an override neither production nor
 * development by name) is, unless it only adds volumes to the base's services (an opt-in overlay).
 */
function judgeStack(p: ComposeProjectFiles, project: Project): StackInfo {
  const s = p.stack ?? { files: p.files, role: 'production', reason: 'a compose file' };
  let info: StackInfo = { files: p.files, production: s.role !== 'development', reason: s.reason };
  if (s.role === 'variant') {
    const base = composeOf(project, p.files[0]!)?.root;
    const fragments = p.files.slice(1).map((f) => composeOf(project, f)?.root);
    if (base && fragments.every((f) => f && onlyAddsVolumes(f, base))) info = { files: p.files, production: false, reason: 'it only adds volumes to the base services: an opt-in overlay' };
  }
  project.stacks.push(info);
  return info;
}

/**
 * A compose service that builds an image under a name (`image: org/base`) that another Dockerfile of the repository
 * starts FROM: the service only builds a base image. Its build ends up in production (the build rules judge it); as a
 * container it is not the runtime (the runtime rules do not).
 */
function markBaseImages(project: Project, dockerfiles: readonly string[], reader: SourceReader, root: string): void {
  const withBuild = project.services.filter((s) => s.service.build && s.service.image && s.runtime && !s.development);
  if (!withBuild.length) return;
  const bases = new Map<string, string>();
  for (const f of new Set([...dockerfiles, ...project.dockerfiles.keys()])) {
    const text = project.dockerfiles.get(f)?.text ?? (() => {
      const r = reader.readText(path.join(root, f));
      return 'text' in r ? r.text : '';
    })();
    for (const ref of fromRefs(text)) if (!bases.has(imageRepository(ref))) bases.set(imageRepository(ref), f);
  }
  for (const s of withBuild) {
    const from = bases.get(imageRepository(s.service.image!.value));
    if (!from || from === rel(root, s.service.build!.dockerfile)) continue;
    s.runtime!.baseImage = `it builds ${s.service.image!.value}, the base image ${from} starts FROM`;
    project.leftOut.push({ what: `service "${s.service.name}" (${s.file})`, why: `${s.runtime!.baseImage}: judged for its build, not as a running container` });
  }
}

export interface ComposeRun {
  files: string[];
  projectDir: string;
}

/**
 * Top-level `include` (compose 2.20): each entry is a project of its own (`path`: a file, or a list merged like
 * overrides), its folder the file's unless `project_directory` says otherwise. Missing files and files outside the
 * scanned root are reported (RO902), as `docker compose` refuses them.
 */
function readIncludes(doc: PMap, file: string, root: string, reader: SourceReader, project: Project): ComposeProjectFiles[] {
  const include = get(doc, 'include');
  if (!include) return [];
  const out: ComposeProjectFiles[] = [];
  for (const item of include.kind === 'seq' ? include.items : [include]) {
    const pathNode = item.kind === 'map' ? get(item, 'path') : item;
    const paths = (pathNode?.kind === 'seq' ? pathNode.items : pathNode ? [pathNode] : []).map((n) => ({ value: scalarString(n), loc: n.loc }));
    const files: string[] = [];
    for (const p of paths) {
      if (!p.value) continue;
      const f = besideFile(file, p.value);
      if (f === undefined) project.problems.push({ ruleId: 'RO902', message: `include: ${p.value} is outside the scanned root: not analysed`, loc: p.loc });
      else if (!reader.exists(path.join(root, f))) project.problems.push({ ruleId: 'RO902', message: `include: ${p.value} does not exist`, loc: p.loc });
      else files.push(f);
    }
    if (!files.length) continue;
    const dirNode = item.kind === 'map' ? scalarString(get(item, 'project_directory')) : undefined;
    out.push(dirNode ? { files, projectDir: path.resolve(root, path.posix.dirname(file), dirNode) } : { files });
  }
  return out;
}

/**
 * The project's files, each with its `extends` applied, merged (compose applies `extends` per file, before the
 * overrides: an override of a base service does not reach the services that extend it), and the variables of its
 * `.env` (for interpolation and pass-through).
 */
function loadCompose(files: string[], dir: string, root: string, reader: SourceReader, project: Project): { doc: PMap; lookup: (n: string) => string | undefined } | undefined {
  let merged: PMap | undefined;
  const dotenv = reader.readText(path.join(dir, '.env'));
  const vars = 'text' in dotenv ? parseDotenv(dotenv.text) : new Map<string, { value: string }>();
  const lookup = (n: string): string | undefined => vars.get(n)?.value;
  const extendsContext: ExtendsContext = {
    root,
    // A file named by `extends: {file: …}`: read and parsed once, with the project's variables.
    load: (f) => (reader.exists(path.join(root, f)) ? readComposeFile(f, root, reader, project, lookup)?.root : null),
    problem: (message, loc) => project.problems.push({ ruleId: 'RO902', message, loc }),
  };
  for (const [i, f] of files.entries()) {
    const parsed = readComposeFile(f, root, reader, project, lookup);
    if (!parsed) break;
    if (!parsed.root) {
      if (parsed.error) break;
      // An empty file (or nothing but comments): docker compose refuses it as the project's file ("empty compose
      // file") and accepts it as an override (compose 2.2x and later; a `---` alone is not a mapping: parseCompose).
      if (i > 0) continue;
      project.problems.push({ ruleId: 'RO901', message: 'empty compose file: docker compose refuses it', loc: pointLoc(f) });
      break;
    }
    const doc = resolveExtends(parsed.root, f, extendsContext);
    merged = merged ? (mergeNodes(merged, doc) as PMap) : doc;
  }
  // No services at all (and nothing included): docker compose has nothing to run. Services written at the top level
  // (the v1 layout) are reported key by key (checkComposeShape), not again here.
  if (merged && !merged.entries.has('services') && !merged.entries.has('include') && ![...merged.entries.keys()].some((k) => !TOP_LEVEL_KEYS.has(k) && !k.startsWith('x-'))) {
    const first = [...merged.entries.values()][0];
    project.problems.push({ ruleId: 'RO901', message: 'no "services" key: docker compose finds no service to run ("no service selected")', loc: first && first.keyLoc.file === files[0] ? first.keyLoc : pointLoc(files[0]!) });
  }
  return merged && { doc: merged, lookup };
}

/** The top-level keys of the compose specification; any other (but `x-…`) makes docker compose refuse the file. */
const TOP_LEVEL_KEYS = new Set(['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'models']);
/** Keys that only a service has: a top-level key whose value holds one is a service of the v1 layout. */
const SERVICE_KEYS = ['image', 'build', 'command', 'entrypoint', 'ports', 'environment', 'volumes', 'links', 'depends_on'];

/** A compose file, parsed once per run (its syntax errors reported then); undefined when it cannot be read. */
function readComposeFile(f: string, root: string, reader: SourceReader, project: Project, lookup: (n: string) => string | undefined): ComposeParse | undefined {
  let parsed = composeOf(project, f);
  if (parsed) return parsed;
  const r = reader.readText(path.join(root, f));
  if (!('text' in r)) {
    project.problems.push({ ruleId: 'RO901', message: `${f}: ${'missing' in r ? 'file not found' : r.error}`, loc: pointLoc(f) });
    return undefined;
  }
  parsed = parseCompose(f, r.text, lookup);
  project.composes.push(parsed);
  if (parsed.error) project.problems.push({ ruleId: 'RO901', message: parsed.error.message, loc: parsed.error.loc });
  else if (parsed.root) checkComposeShape(parsed.root, project);
  return parsed;
}

/** What docker compose refuses in a file's shape (the compose specification's schema), at the key. */
function checkComposeShape(root: PMap, project: Project): void {
  const services = root.entries.get('services');
  if (services && services.value.kind !== 'map' && !(services.value.kind === 'scalar' && services.value.value === null)) {
    project.problems.push({ ruleId: 'RO901', message: '"services" must be a mapping of service names to definitions', loc: services.keyLoc });
  }
  if (services?.value.kind === 'map') {
    for (const [name, e] of services.value.entries) {
      if (e.value.kind === 'map' || (e.value.kind === 'scalar' && e.value.value === null)) continue;
      project.problems.push({ ruleId: 'RO901', message: `services.${name} must be a mapping, found a ${e.value.kind === 'seq' ? 'list' : 'string'}: docker compose refuses the file`, loc: e.keyLoc });
    }
  }
  for (const [key, e] of root.entries) {
    if (TOP_LEVEL_KEYS.has(key) || key.startsWith('x-')) continue;
    const v1 = e.value.kind === 'map' && SERVICE_KEYS.some((k) => e.value.kind === 'map' && e.value.entries.has(k));
    const why = v1 ? `: "${key}" is a service of the version 1 layout (services at the top level), which docker compose no longer reads; put it under \`services:\`` : '';
    project.problems.push({ ruleId: 'RO901', message: `Additional property ${key} is not allowed at the top level${why}`, loc: e.keyLoc });
  }
}

/** An env_file read once per run: its variables (shared by every service naming it), or why it cannot be read. */
type EnvFileRead = { vars: EnvMap } | { missing: true } | { error: string };

function readEnvFiles(service: Service, root: string, reader: SourceReader, project: Project, cache: Map<string, EnvFileRead>): EnvMap {
  const reads: EnvMap[] = [];
  for (const f of service.envFiles) {
    let read = cache.get(f.path);
    if (!read) {
      const r = reader.readText(f.path);
      if ('text' in r) {
        const vars: EnvMap = new Map();
        for (const [k, v] of parseDotenv(r.text)) vars.set(k, { value: v.value, loc: { ...pointLoc(rel(root, f.path), v.line) }, source: 'env_file' });
        read = { vars };
      } else read = r;
      cache.set(f.path, read);
    }
    if ('vars' in read) {
      reads.push(read.vars);
      continue;
    }
    // An env_file created at deploy time (optional, git-ignored, or with a template beside it): no RO902; the
    // statement says once that its values are unknown.
    const deployTime = 'missing' in read ? (f.required ? createdAtDeploy(f.path, root, reader) : '`required: false`') : undefined;
    if (deployTime) {
      project.unknownEnvFiles.push({ what: rel(root, f.path), why: `${deployTime}: created at deploy time, its values are unknown here`, service });
      continue;
    }
    project.problems.push({ ruleId: 'RO902', message: `service "${service.name}": env_file ${rel(root, f.path)} ${'missing' in read ? 'does not exist' : `cannot be read (${read.error})`}`, loc: f.loc, about: { service } });
  }
  // One file (the usual case): its map itself, not a copy; it is only read from.
  if (reads.length === 1) return reads[0]!;
  const env: EnvMap = new Map();
  for (const vars of reads) for (const [k, v] of vars) env.set(k, v);
  return env;
}

const TEMPLATE_SUFFIXES = ['example', 'sample', 'template', 'dist'];

/**
 * Why a missing env_file is created at deploy time, when it is: a template committed beside it (`.env.example`,
 * `app.env.sample`, …) or a `.gitignore` (at the root or in its folder) that ignores it.
 */
function createdAtDeploy(abs: string, root: string, reader: SourceReader): string | undefined {
  const dir = path.dirname(abs);
  for (const name of new Set([path.basename(abs), '.env'])) {
    for (const suffix of TEMPLATE_SUFFIXES) {
      const t = path.join(dir, `${name}.${suffix}`);
      if (reader.exists(t)) return `a template (${rel(root, t)}) is committed beside it`;
    }
  }
  for (const giDir of new Set([root, dir])) {
    const inside = rel(giDir, abs);
    if (inside.startsWith('..') || path.isAbsolute(inside) || rel(root, giDir).startsWith('..')) continue;
    const gi = path.join(giDir, '.gitignore');
    const r = reader.readText(gi);
    if (!('text' in r)) continue;
    const line = gitIgnoredBy(parseGitignore(rel(root, gi), r.text), inside);
    if (line !== undefined) return `git ignores it (${rel(root, gi)}:${line})`;
  }
  return undefined;
}

function readUvSettings(contextDir: string, root: string, reader: SourceReader, project: Project): UvProjectSettings {
  const out: UvProjectSettings = {};
  const read = (name: string): Record<string, unknown> | undefined => {
    const abs = path.join(contextDir, name);
    const r = reader.readText(abs);
    if (!('text' in r)) return undefined;
    try {
      return parseToml(r.text) as Record<string, unknown>;
    } catch (e) {
      const err = e as { line?: number; column?: number; message: string };
      project.problems.push({ ruleId: 'RO901', message: `TOML syntax error: ${err.message.split('\n')[0]}`, loc: pointLoc(rel(root, abs), err.line ?? 1, err.column ?? 1) });
      return undefined;
    }
  };
  const uvToml = read('uv.toml');
  const py = read('pyproject.toml');
  const toolUv = (py?.tool as Record<string, unknown> | undefined)?.uv as Record<string, unknown> | undefined;
  // uv.toml takes precedence over [tool.uv] when both exist in a folder.
  const settings = uvToml ?? toolUv;
  const file = uvToml ? 'uv.toml' : 'pyproject.toml';
  if (settings && typeof settings['compile-bytecode'] === 'boolean') out.compileBytecode = { value: settings['compile-bytecode'], file: rel(root, path.join(contextDir, file)) };
  const dg = settings?.['default-groups'];
  if (dg === 'all') out.defaultGroups = 'all';
  else if (Array.isArray(dg)) out.defaultGroups = dg.filter((x): x is string => typeof x === 'string');
  if (py) out.file = rel(root, path.join(contextDir, 'pyproject.toml'));
  return out;
}

/** Files that are code (Python sources and bytecode, extension modules, .pth files, shell scripts), not data or config. */
export const CODE_FILE = /\.(?:py|pyi|pyc|pyd|so|pth|sh|bash)$/;
/** How many entries `holdsCode` looks at before it takes a folder for code. */
const CODE_SCAN_LIMIT = 5_000;

/**
 * Whether a repository folder holds code (a CODE_FILE at any depth); a folder that cannot be listed, or is too
 * large to look through, counts as code.
 */
function holdsCode(dirAbs: string, reader: SourceReader): boolean {
  if (!reader.list) return true;
  const todo = [dirAbs];
  let seen = 0;
  while (todo.length) {
    const d = todo.pop()!;
    const entries = reader.list(d);
    if (!entries) return true;
    for (const e of entries) {
      if (++seen > CODE_SCAN_LIMIT) return true;
      if (e.dir) todo.push(path.join(d, e.name));
      else if (CODE_FILE.test(e.name)) return true;
    }
  }
  return false;
}

/** `dockerfile` undefined: a compose dockerfile_inline, which has no <Dockerfile>.dockerignore of its own. */
function readDockerignore(dockerfile: string | undefined, contextDir: string, root: string, reader: SourceReader): Dockerignore | undefined {
  // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile first, then .dockerignore at the context root.
  const candidates = [path.join(contextDir, '.dockerignore')];
  if (dockerfile !== undefined) candidates.unshift(path.join(root, `${dockerfile}.dockerignore`));
  for (const abs of candidates) {
    const r = reader.readText(abs);
    if ('text' in r) return parseDockerignore(rel(root, abs), r.text);
  }
  return undefined;
}
