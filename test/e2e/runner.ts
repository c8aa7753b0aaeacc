// A small sequential test runner for the end-to-end suite. The tests share one editor session and
// run in order (each builds on the workbench the previous left), which mocha's model of independent
// tests fits badly; what we need from a runner is timeouts, a failure hook and the summary line.

export interface TestCase {
  name: string;
  fn: () => Promise<void>;
  timeoutMs: number;
}

export interface RunResult {
  passed: number;
  failed: number;
  failures: Array<{ name: string; error: unknown }>;
}

export class Suite {
  private readonly tests: TestCase[] = [];

  constructor(
    private readonly options: { grep?: RegExp; onFailure?: (test: TestCase, index: number) => Promise<void> } = {},
  ) {}

  test(name: string, fn: () => Promise<void>, timeoutMs = 120_000): void {
    this.tests.push({ name, fn, timeoutMs });
  }

  async run(): Promise<RunResult> {
    const result: RunResult = { passed: 0, failed: 0, failures: [] };
    const selected = this.tests.filter((t) => !this.options.grep || this.options.grep.test(t.name));
    for (const [index, test] of selected.entries()) {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          test.fn(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${test.timeoutMs}ms`)), test.timeoutMs);
          }),
        ]);
        result.passed++;
        console.log(`  ✓ ${test.name} (${Date.now() - started}ms)`);
      } catch (error) {
        result.failed++;
        result.failures.push({ name: test.name, error });
        console.log(`  ✗ ${test.name} (${Date.now() - started}ms)`);
        console.log(indent(error instanceof Error ? (error.stack ?? error.message) : String(error)));
        try {
          await this.options.onFailure?.(test, index);
        } catch (hookError) {
          console.log(indent(`(failure hook failed: ${String(hookError)})`));
        }
      } finally {
        clearTimeout(timer);
      }
    }
    return result;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 25)
    .map((line) => `      ${line}`)
    .join('\n');
}
