import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The rooms of docs ARCHITECTURE: no import cycle between files, the dev tools (src/tools/) imported by nothing the
 * bot or the CLI runs (only by src/docqa.ts, which puts the docqa command together), and bench and eval apart.
 * `import type` lines are left out: the compiler erases them, so they can form no cycle at run time.
 */
const ROOTS = ['src', 'commands'];

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The relative modules a file imports at run time (static, re-exported or dynamic). */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+'(\.[^']+)'/gm)].map((match) => match[1]!),
    ...[...text.matchAll(/^\s*import\s+'(\.[^']+)'/gm)].map((match) => match[1]!),
    ...[...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((match) => match[1]!),
  ];
  return specifiers.map((specifier) => path.normalize(path.join(path.dirname(file), specifier)));
}

const graph = new Map(ROOTS.flatMap(sourceFiles).map((file) => [file, runtimeImports(file)]));

function findCycle(): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

const importersOf = (prefix: string) =>
  [...graph].filter(([file, targets]) => !file.startsWith(prefix) && targets.some((target) => target.startsWith(prefix))).map(([file]) => file);

describe('import rooms', () => {
  it('has every import resolving to a file of the tree', () => {
    const missing = [...graph].flatMap(([file, targets]) => targets.filter((target) => !fs.existsSync(target)).map((target) => `${file} → ${target}`));
    expect(missing).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(findCycle()).toBeNull();
  });

  it('keeps the dev tools out of what the bot and the CLI run', () => {
    expect(importersOf(path.join('src', 'tools') + path.sep)).toEqual([path.join('src', 'docqa.ts')]);
  });

  it('keeps the CLI out of the engine and the bot', () => {
    const allowed = (file: string) => file.startsWith(path.join('src', 'tools') + path.sep) || file === path.join('src', 'docqa.ts');
    expect(importersOf(path.join('src', 'cli') + path.sep).filter((file) => !allowed(file))).toEqual([]);
  });

  it('lets only the entry-point wiring and the dev tools pick a concrete store', () => {
    const allowed = (file: string) => file === path.join('src', 'engine-wiring.ts') || file.startsWith(path.join('src', 'tools') + path.sep);
    const concrete = (path.join('src', 'store') + path.sep).length;
    const importersOfBackends = [...graph]
      .filter(([file]) => !file.startsWith(path.join('src', 'store') + path.sep))
      .filter(([, targets]) => targets.some((target) => target.startsWith(path.join('src', 'store') + path.sep) && target.slice(concrete).includes(path.sep)))
      .map(([file]) => file);
    expect(importersOfBackends.filter((file) => !allowed(file))).toEqual([]);
  });

  it('keeps sources/ below the engine: it imports no engine, bot, CLI or command file, and not discord.js', () => {
    const sources = path.join('src', 'sources') + path.sep;
    const above = ['engine', 'bot', 'cli'].map((room) => path.join('src', room) + path.sep).concat('commands' + path.sep);
    const upward = [...graph].filter(([file]) => file.startsWith(sources)).flatMap(([file, targets]) => targets.filter((target) => above.some((room) => target.startsWith(room))).map((target) => `${file} → ${target}`));
    expect(upward).toEqual([]);
    const discord = [...graph.keys()].filter((file) => file.startsWith(sources) && /from 'discord\.js'/.test(fs.readFileSync(file, 'utf8')));
    expect(discord).toEqual([]);
  });

  it('keeps bench and eval apart: what both use is in src/tools/shared/', () => {
    const bench = path.join('src', 'tools', 'bench') + path.sep;
    const evaluation = path.join('src', 'tools', 'eval') + path.sep;
    expect(importersOf(bench).filter((file) => file.startsWith(evaluation))).toEqual([]);
    expect(importersOf(evaluation).filter((file) => file.startsWith(bench))).toEqual([]);
  });
});
