// Benchmark of issue 2: `report` over 50 SLOs with 30 days of one-minute CSV rows (about 2.2 million
// rows) must take under 2 s with peak memory under 300 MB. The floor, measured in the same run, is node
// reading the same bytes without parsing them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatMeasurement, measure, type Measurement } from './measure';

const SLOS = 50;
const ROWS = 30 * 24 * 60;
const NOW = Date.parse('2026-11-20T12:00:00Z');

export interface SloBenchResult {
  rows: number;
  floor: Measurement;
  report: Measurement;
  targetMs: number;
  targetMb: number;
  pass: boolean;
}

function generate(dir: string): void {
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, '.reliability', 'slos'), { recursive: true });
  fs.mkdirSync(path.join(dir, '.reliability', 'data'), { recursive: true });
  const services = Array.from({ length: 10 }, (_, i) => `service-${i}`);
  fs.writeFileSync(
    path.join(dir, '.reliability', 'config.yaml'),
    `version: 1\nservices:\n${services.map((s) => `  - name: ${s}\n    paths: ["${s}/**"]`).join('\n')}\n`,
  );
  for (let i = 0; i < SLOS; i++) {
    const name = `slo-${i}`;
    const service = services[i % services.length];
    fs.writeFileSync(
      path.join(dir, '.reliability', 'slos', `${name}.yaml`),
      `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: ${service}
  budgetingMethod: ${i % 5 === 4 ? 'Timeslices' : 'Occurrences'}
  timeWindow: [{ duration: ${i % 2 ? '28d' : '30d'}, isRolling: true }]
  indicator:
    metadata: { name: ${name}-ratio }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: CSV, spec: { path: data/${name}.csv, column: good } } }
        total: { metricSource: { type: CSV, spec: { path: data/${name}.csv, column: total } } }
  objectives:
    - target: 0.999${i % 5 === 4 ? '\n      timeSliceTarget: 0.95\n      timeSliceWindow: 5m' : ''}
`,
    );
    const lines = ['timestamp,good,total'];
    let seed = i + 1;
    for (let r = ROWS - 1; r >= 0; r--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const total = 500 + (seed % 1000);
      const bad = seed % 997 === 0 ? 40 : seed % 3;
      lines.push(`${new Date(NOW - r * 60_000).toISOString()},${total - bad},${total}`);
    }
    fs.writeFileSync(path.join(dir, '.reliability', 'data', `${name}.csv`), lines.join('\n') + '\n');
  }
  const env = { ...process.env, GIT_AUTHOR_DATE: '2026-11-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-11-01T00:00:00Z' };
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '--allow-empty', '-m', 'Initial'], { cwd: dir, env });
  execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0'], { cwd: dir, env });
  fs.writeFileSync(marker, '');
}

export function runSloBench(repoRoot: string): SloBenchResult {
  const dir = path.join(repoRoot, '.cache', 'bench', 'slo-50x30d');
  generate(dir);
  const dataDir = path.join(dir, '.reliability', 'data');
  const floor = measure('floor: node reads the 50 CSV files (no parsing)', 'node', [
    '-e',
    `const fs=require('fs');let n=0;for(const f of fs.readdirSync(${JSON.stringify(dataDir)}))n+=fs.readFileSync(require('path').join(${JSON.stringify(dataDir)},f)).length;`,
  ], { node: true });
  const report = measure('reliability-lens report --json (50 SLOs, 2.16M rows)', 'node', [
    path.join(repoRoot, 'dist', 'cli.js'),
    'report',
    '--json',
    '--workspace',
    dir,
    '--now',
    new Date(NOW).toISOString(),
  ], { node: true });
  const targetMs = 2000;
  const targetMb = 300;
  return { rows: SLOS * ROWS, floor, report, targetMs, targetMb, pass: report.ms < targetMs && (report.peakMb ?? 0) < targetMb };
}

export function printSloBench(result: SloBenchResult): void {
  console.log(`SLO report over ${result.rows.toLocaleString('en')} CSV rows`);
  console.log(`  ${formatMeasurement(result.floor)}`);
  console.log(`  ${formatMeasurement(result.report)}`);
  console.log(`  target: under ${result.targetMs} ms and ${result.targetMb} MB -> ${result.pass ? 'PASS' : 'FAIL'}`);
}
