// Glob matching without backtracking. Service paths (servicePaths.ts) and tag patterns
// (deployments.ts) come from a repository's config.yaml, which anyone can write. Compiled to a
// JavaScript regular expression, a pattern like `**a**a**a**a**a**a**a**a**a**a**a**!` made the
// regex engine try every way of splitting a long name between the stars (25 s for one file name,
// blocking the editor's extension host).
//
// Here a pattern is a small automaton (Thompson's construction) run on all its states at once, so
// each character of the text is looked at once per live state: matching costs at most
// (text length) x (pattern length), whatever the pattern. The sets of live states are remembered as
// they are met (a lazily built DFA, as RE2 does), so on the same few patterns matched against many
// paths a character usually costs one table lookup. That table is bounded per pattern and is
// started afresh when full, which keeps the worst case at the bound above.
//
// Each syntax (CODEOWNERS-style paths, git-style tag globs) is translated in its own module with a
// GlobBuilder; this module only knows characters, runs of characters and optional parts.

/** The longest glob config.yaml may hold: matching cost and memory grow with the pattern. */
export const MAX_GLOB_LENGTH = 1000;

/** A compiled glob: `test` is true when the pattern matches the whole text. */
export interface GlobMatcher {
  test(text: string): boolean;
}

/** Which characters (UTF-16 code units, as JavaScript strings index them) one step accepts. */
export type CharacterSet =
  | { kind: 'char'; code: number }
  | { kind: 'any' }
  | { kind: 'anyBut'; code: number }
  /** `ranges` holds inclusive [from, to] pairs of code units, flattened; a reversed pair matches nothing. */
  | { kind: 'class'; ranges: number[]; negated: boolean };

export const ANY_CHARACTER: CharacterSet = { kind: 'any' };

export function oneCharacter(char: string): CharacterSet {
  return { kind: 'char', code: char.charCodeAt(0) };
}

export function anyCharacterBut(char: string): CharacterSet {
  return { kind: 'anyBut', code: char.charCodeAt(0) };
}

const CHAR = 0;
const ANY = 1;
const ANY_BUT = 2;
const CLASS = 3;
/** Consumes nothing: where an optional part may be skipped. */
const SPLIT = 4;

interface Step {
  kind: number;
  code: number;
  ranges: number[];
  negated: boolean;
  /** Zero or more characters of the set (a star) instead of exactly one. */
  repeat: boolean;
  /** For a split: the state after its optional part. */
  skipTo: number;
}

/**
 * Builds a matcher step by step. A state of the automaton is "the next step to match"; the state
 * after the last step accepts. A repeated step loops on itself and may be left without consuming.
 * An optional part starts with a split, a step that consumes nothing and leads both into the part
 * and past it; the split is a state of its own because a loop inside the part must not lead past
 * the rest of the part (any leading directories, left after "x/my", would skip their final slash).
 */
export class GlobBuilder {
  private readonly steps: Step[] = [];
  /** Steps before this index must not absorb the next one: an optional part starts or ends here. */
  private barrier = 0;

  /** Each character of `text` once, in order. */
  literal(text: string): this {
    for (let i = 0; i < text.length; i++) this.one({ kind: 'char', code: text.charCodeAt(i) });
    return this;
  }

  /** Exactly one character of the set. */
  one(set: CharacterSet): this {
    this.steps.push(stepOf(set, false));
    return this;
  }

  /** Zero or more characters of the set. */
  run(set: CharacterSet): this {
    const step = stepOf(set, true);
    // `**` then `*`, or `*` then `*`: two runs in a row where one set contains the other are the
    // larger run alone. Collapsing them keeps the automaton as small as the pattern means.
    const last = this.steps[this.steps.length - 1];
    if (last?.repeat && this.steps.length - 1 >= this.barrier) {
      if (contains(last, step)) return this;
      if (contains(step, last)) {
        this.steps[this.steps.length - 1] = step;
        return this;
      }
    }
    this.steps.push(step);
    return this;
  }

  /** What `build` adds may also be skipped entirely. */
  optional(build: (builder: this) => void): this {
    const split = this.steps.length;
    this.steps.push({ kind: SPLIT, code: 0, ranges: [], negated: false, repeat: false, skipTo: -1 });
    this.barrier = this.steps.length;
    build(this);
    const end = this.steps.length;
    this.barrier = end;
    if (end === split + 1) this.steps.pop();
    else this.steps[split].skipTo = end;
    return this;
  }

  build(): GlobMatcher {
    return new Automaton(this.steps.map((step) => ({ ...step })));
  }
}

function stepOf(set: CharacterSet, repeat: boolean): Step {
  const step = { code: 0, ranges: [] as number[], negated: false, repeat, skipTo: -1 };
  switch (set.kind) {
    case 'char':
      return { ...step, kind: CHAR, code: set.code };
    case 'any':
      return { ...step, kind: ANY };
    case 'anyBut':
      return { ...step, kind: ANY_BUT, code: set.code };
    case 'class':
      return { ...step, kind: CLASS, ranges: set.ranges, negated: set.negated };
  }
}

/** Whether every character `inner` accepts, `outer` accepts too (decided only for the simple cases). */
function contains(outer: Step, inner: Step): boolean {
  if (outer.kind === ANY) return true;
  if (outer.kind !== inner.kind || outer.code !== inner.code) return false;
  return outer.kind === CHAR || outer.kind === ANY_BUT;
}

function accepts(step: Step, code: number): boolean {
  switch (step.kind) {
    case CHAR:
      return code === step.code;
    case ANY:
      return true;
    case ANY_BUT:
      return code !== step.code;
    case SPLIT:
      return false;
    default: {
      let inside = false;
      for (let i = 0; i < step.ranges.length; i += 2) {
        if (code >= step.ranges[i] && code <= step.ranges[i + 1]) {
          inside = true;
          break;
        }
      }
      return inside !== step.negated;
    }
  }
}

/** How many numbers the remembered state sets and their transitions of one pattern may hold. */
const REMEMBERED_NUMBERS = 1 << 16;
const UNKNOWN = -1;

class Automaton implements GlobMatcher {
  private readonly accepting: number;

  // Characters in classes: two characters every step treats alike lead from any state set to the
  // same next set, so the remembered transitions are per class, not per character.
  private readonly classStarts: number[];
  private readonly classOfInterval: Int32Array;
  private readonly asciiClass = new Int32Array(128);
  private readonly classRepresentative: number[] = [];

  // The remembered state sets (sorted NFA states), their transitions (UNKNOWN until first taken),
  // and whether each is empty (no match possible) or accepting.
  private readonly maxSets: number;
  private sets: Int32Array[] = [];
  private setIds = new Map<string, number>();
  private transitions: Int32Array = new Int32Array(0);
  private dead: Uint8Array = new Uint8Array(0);
  private acceptingSet: Uint8Array = new Uint8Array(0);
  private startSet = UNKNOWN;
  /** How many times the remembered sets were forgotten (ids from an earlier epoch mean nothing). */
  private epoch = 0;

  // Scratch space for building one state set: the generation in which each state was last added
  // (a new generation empties the set without clearing an array), and a stack for the closure.
  private readonly addedIn: Uint32Array;
  private generation = 0;
  private readonly pending: Int32Array;
  private readonly building: Int32Array;

  constructor(private readonly steps: Step[]) {
    this.accepting = steps.length;
    const states = steps.length + 1;
    this.addedIn = new Uint32Array(states);
    // In one closure each state is expanded once, pushing at most two states.
    this.pending = new Int32Array(states * 2 + 1);
    this.building = new Int32Array(states);

    // Classes: the code units where some step's answer may change cut 0..0xFFFF into intervals;
    // intervals that every step answers alike share a class.
    const cuts = new Set<number>([0]);
    for (const step of steps) {
      if (step.kind === CHAR || step.kind === ANY_BUT) cuts.add(step.code).add(step.code + 1);
      if (step.kind === CLASS) for (let i = 0; i < step.ranges.length; i += 2) cuts.add(step.ranges[i]).add(step.ranges[i + 1] + 1);
    }
    this.classStarts = [...cuts].filter((cut) => cut >= 0 && cut <= 0xffff).sort((a, b) => a - b);
    this.classOfInterval = new Int32Array(this.classStarts.length);
    const discriminating = steps.filter((step) => step.kind === CHAR || step.kind === ANY_BUT || step.kind === CLASS);
    const classBySignature = new Map<string, number>();
    this.classStarts.forEach((start, interval) => {
      const signature = discriminating.map((step) => (accepts(step, start) ? '1' : '0')).join('');
      let id = classBySignature.get(signature);
      if (id === undefined) {
        id = this.classRepresentative.length;
        classBySignature.set(signature, id);
        this.classRepresentative.push(start);
      }
      this.classOfInterval[interval] = id;
    });
    for (let code = 0; code < 128; code++) this.asciiClass[code] = this.classOfInterval[this.intervalOf(code)];

    this.maxSets = Math.max(16, Math.floor(REMEMBERED_NUMBERS / (this.classRepresentative.length + states)));
  }

  test(text: string): boolean {
    const classes = this.classRepresentative.length;
    let set = this.startSet === UNKNOWN ? this.rememberStart() : this.startSet;
    for (let position = 0; position < text.length; position++) {
      if (this.dead[set]) return false;
      const code = text.charCodeAt(position);
      const characterClass = code < 128 ? this.asciiClass[code] : this.classOfInterval[this.intervalOf(code)];
      const next = this.transitions[set * classes + characterClass];
      set = next === UNKNOWN ? this.rememberTransition(set, characterClass) : next;
    }
    return this.acceptingSet[set] === 1;
  }

  private intervalOf(code: number): number {
    // The last interval starting at or before `code`.
    let low = 0;
    let high = this.classStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.classStarts[middle] <= code) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private rememberStart(): number {
    const generation = this.nextGeneration();
    const count = this.addClosure(0, 0, generation);
    this.startSet = this.remember(this.building.slice(0, count).sort());
    return this.startSet;
  }

  /** The set after reading a character of `characterClass` in `set`, remembered as the transition. */
  private rememberTransition(set: number, characterClass: number): number {
    const code = this.classRepresentative[characterClass];
    const generation = this.nextGeneration();
    let count = 0;
    for (const state of this.sets[set]) {
      if (state === this.accepting) continue;
      const step = this.steps[state];
      if (accepts(step, code)) count = this.addClosure(step.repeat ? state : state + 1, count, generation);
    }
    const epoch = this.epoch;
    const next = this.remember(this.building.slice(0, count).sort());
    // When remembering started afresh, `set` is gone: the text goes on from `next` all the same.
    if (this.epoch === epoch) this.transitions[set * this.classRepresentative.length + characterClass] = next;
    return next;
  }

  /** The id of a state set, remembering it when new; forgets every set first when the table is full. */
  private remember(states: Int32Array): number {
    const key = states.join(',');
    const known = this.setIds.get(key);
    if (known !== undefined) return known;
    if (this.sets.length >= this.maxSets) this.forget();
    const id = this.sets.length;
    this.sets.push(states);
    this.setIds.set(key, id);
    const classes = this.classRepresentative.length;
    if (this.dead.length <= id) {
      const capacity = Math.min(this.maxSets, Math.max(8, id * 2));
      const transitions = new Int32Array(capacity * classes).fill(UNKNOWN);
      transitions.set(this.transitions);
      this.transitions = transitions;
      const dead = new Uint8Array(capacity);
      dead.set(this.dead);
      this.dead = dead;
      const acceptingSet = new Uint8Array(capacity);
      acceptingSet.set(this.acceptingSet);
      this.acceptingSet = acceptingSet;
    }
    this.dead[id] = states.length === 0 ? 1 : 0;
    this.acceptingSet[id] = states.length > 0 && states[states.length - 1] === this.accepting ? 1 : 0;
    return id;
  }

  private forget(): void {
    this.sets = [];
    this.setIds = new Map();
    this.transitions.fill(UNKNOWN);
    this.startSet = UNKNOWN;
    this.epoch++;
  }

  /** Adds `state` and every state reachable from it without a character to the set being built. */
  private addClosure(state: number, length: number, generation: number): number {
    let pendingCount = 0;
    this.pending[pendingCount++] = state;
    while (pendingCount > 0) {
      const candidate = this.pending[--pendingCount];
      if (this.addedIn[candidate] === generation) continue;
      this.addedIn[candidate] = generation;
      this.building[length++] = candidate;
      if (candidate === this.accepting) continue;
      const step = this.steps[candidate];
      if (step.repeat || step.kind === SPLIT) this.pending[pendingCount++] = candidate + 1;
      if (step.skipTo >= 0) this.pending[pendingCount++] = step.skipTo;
    }
    return length;
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      this.addedIn.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }
}

/**
 * `compile` with its results kept for the patterns seen most recently: the same few patterns are
 * matched against every path of a change. Bounded, since patterns come from files anyone can write.
 */
export function cachedCompiler(compile: (pattern: string) => GlobMatcher, limit = 128): (pattern: string) => GlobMatcher {
  const compiled = new Map<string, GlobMatcher>();
  return (pattern) => {
    let matcher = compiled.get(pattern);
    if (!matcher) {
      matcher = compile(pattern);
      if (compiled.size >= limit) compiled.delete(compiled.keys().next().value as string);
      compiled.set(pattern, matcher);
    }
    return matcher;
  };
}
