// How far a YAML document's aliases reach, measured before the document becomes JavaScript data.
// An alias (`*name`) stands for the whole node anchored `&name`, so a few lines can stand for a
// billion values ("billion laughs": nine levels of ten aliases each); everything that walks the data
// (validation, the views) would then walk them all. The yaml package's own guard, `maxAliasCount`,
// multiplies how often an anchor is used by how deep its aliases nest, and its default of 100 refused
// an ordinary file that uses one anchor 1,001 times, as an internal error that stopped the whole
// workspace. This module measures what matters instead, in one pass over the document:
//   - how many values the aliases add when expanded (a bomb adds millions; 1,001 uses of a
//     one-line anchor add 1,001);
//   - how many anchors and aliases there are: yaml resolves each alias by scanning the anchors and
//     aliases before it, so its time grows with their number squared (10,000 took seconds);
//   - that every alias names an anchor before it and not one that contains it (a cycle, which no
//     consumer of plain data survives).
// A document over a limit is refused as a problem at the place that crossed it; the others load.
import { isAlias, isCollection, isPair } from 'yaml';
import type { Alias, Document, Node as YamlNode } from 'yaml';

/** The most values a document's aliases may add when expanded. */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/** The most anchors and aliases one document may hold. */
export const MAX_ANCHORS_AND_ALIASES = 5_000;

export interface AliasRefusal {
  /** Offset in the text of the node where the document was refused. */
  offset: number;
  message: string;
}

export type AliasAnalysis =
  /** `targets`: each alias and the node it stands for, so positions can be found without yaml's search. */
  | { ok: true; targets: Map<Alias, YamlNode> }
  | { ok: false; refusal: AliasRefusal };

/** A node, a pair of a mapping, or an empty key or value (null). */
type Walked = unknown;

/**
 * Resolves every alias of the document the way yaml does (to the last node anchored with that name
 * before the alias, in document order) and measures the expansion, without expanding anything.
 */
export function analyseAliases(document: Document.Parsed): AliasAnalysis {
  const targets = new Map<Alias, YamlNode>();
  /** Anchor name -> the last node anchored so, in document order. */
  const latestAnchor = new Map<string, YamlNode>();
  /** Anchored node -> how many values it holds with its own aliases expanded; absent while it is being walked. */
  const expandedSize = new Map<YamlNode, number>();
  let anchorsAndAliases = 0;
  let added = 0;

  const refuse = (node: YamlNode, message: string): AliasAnalysis => ({ ok: false, refusal: { offset: node.range?.[0] ?? 0, message } });
  const counted = (node: YamlNode): AliasAnalysis | null => {
    anchorsAndAliases++;
    if (anchorsAndAliases <= MAX_ANCHORS_AND_ALIASES) return null;
    return refuse(node, `this document is skipped: it holds more than ${MAX_ANCHORS_AND_ALIASES.toLocaleString('en-US')} YAML anchors and aliases`);
  };

  // An explicit stack instead of recursion: nesting depth is the document's to choose. Each node is
  // entered (anchors registered, aliases resolved, children pushed) and then left (its size summed).
  const stack: Array<{ node: Walked; leaving: boolean }> = [{ node: document.contents, leaving: false }];
  /** Sizes of the nodes left so far whose parent has not been left yet. */
  const sizes: number[] = [];
  const childCounts: number[] = [];
  while (stack.length > 0) {
    const { node, leaving } = stack.pop()!;
    if (leaving) {
      const count = childCounts.pop()!;
      let size = 1;
      for (let i = 0; i < count; i++) size += sizes.pop()!;
      const yamlNode = node as YamlNode;
      if (!isPair(yamlNode) && (yamlNode as { anchor?: string }).anchor) expandedSize.set(yamlNode, size);
      // A pair holds its key and value; it is no value of its own.
      sizes.push(isPair(yamlNode) ? size - 1 : size);
      continue;
    }
    if (node === null || node === undefined) {
      sizes.push(0);
      continue;
    }
    if (isAlias(node)) {
      const tooMany = counted(node);
      if (tooMany) return tooMany;
      const target = latestAnchor.get(node.source);
      if (!target) return refuse(node, `this document is skipped: alias *${node.source} names no anchor &${node.source} before it`);
      const size = expandedSize.get(target);
      if (size === undefined) return refuse(node, `this document is skipped: alias *${node.source} stands for a node that contains the alias itself`);
      targets.set(node, target);
      added += size;
      if (added > MAX_ALIAS_EXPANSION) {
        return refuse(node, `this document is skipped: its YAML aliases expand it to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values (at *${node.source} here)`);
      }
      sizes.push(size);
      continue;
    }
    if (isPair(node)) {
      enter(node, [node.key, node.value]);
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) {
      const tooMany = counted(node as YamlNode);
      if (tooMany) return tooMany;
      latestAnchor.set(anchor, node as YamlNode);
    }
    if (isCollection(node)) {
      enter(node, node.items as Walked[]);
    } else {
      // A scalar: one value.
      if (anchor) expandedSize.set(node as YamlNode, 1);
      sizes.push(1);
    }
  }
  return { ok: true, targets };

  function enter(node: Walked, children: Walked[]): void {
    stack.push({ node, leaving: true });
    childCounts.push(children.length);
    // Pushed last to first so the first child is walked first: aliases resolve in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], leaving: false });
  }
}
