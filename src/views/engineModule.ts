// The engine (git, YAML, zod, HTTP clients) is imported on first use, not at activation: esbuild keeps
// a dynamically imported module uninitialised until the import runs, so activate() stays cheap.
type Engine = typeof import('../workspace/engine');

let engine: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  engine ??= import('../workspace/engine');
  return engine;
}
