// What a step hands back to its job: outputs in the file GITHUB_OUTPUT names, a summary appended to
// GITHUB_STEP_SUMMARY's file. Both are files the runner parses, so a value may never end its entry.
import { randomUUID } from 'node:crypto';

/**
 * One output in the runner's multiline syntax (`name<<DELIMITER`, the value, the delimiter): the
 * delimiter is random, and drawn again in the unlikely case the value holds it, so no value can end
 * its entry early and set another output.
 */
export function outputEntry(name: string, value: string, newDelimiter: () => string = () => `ghadelimiter_${randomUUID()}`): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`not an output name: ${name}`);
  let delimiter = newDelimiter();
  while (value.includes(delimiter) || name.includes(delimiter)) delimiter = newDelimiter();
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}
