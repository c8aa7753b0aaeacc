import { strict as assert } from 'node:assert';
import { pathMatches, servicesForPath, servicesForPaths } from '../../src/core/servicePaths';
import type { ServiceConfig } from '../../src/core/model';

const services: ServiceConfig[] = [
  { name: 'checkout', paths: ['services/checkout/**', 'packages/shared/**'] },
  { name: 'search', paths: ['/services/search/', 'packages/shared/**'] },
  { name: 'docs', paths: ['*.md'] },
  { name: 'config', paths: ['deploy/*.yaml'] },
];

describe('service paths (CODEOWNERS-style globs)', () => {
  it('matches a ** pattern at any depth below its directory', () => {
    assert.ok(pathMatches('services/checkout/pay.ts', 'services/checkout/**'));
    assert.ok(pathMatches('services/checkout/api/v2/pay.ts', 'services/checkout/**'));
    assert.ok(!pathMatches('services/checkoutv2/pay.ts', 'services/checkout/**'));
  });

  it('anchors patterns with a leading or inner slash to the root, and lets others match anywhere', () => {
    assert.ok(pathMatches('services/search/query.ts', '/services/search/'));
    assert.ok(!pathMatches('vendor/services/search/query.ts', '/services/search/'));
    assert.ok(pathMatches('README.md', '*.md'));
    assert.ok(pathMatches('services/search/NOTES.md', '*.md'));
  });

  it('keeps * within one segment', () => {
    assert.ok(pathMatches('deploy/prod.yaml', 'deploy/*.yaml'));
    assert.ok(!pathMatches('deploy/eu/prod.yaml', 'deploy/*.yaml'));
  });

  it('covers a directory named without wildcards', () => {
    assert.ok(pathMatches('services/checkout/pay.ts', 'services/checkout'));
    assert.ok(!pathMatches('services/checkout-old/pay.ts', 'services/checkout'));
  });

  it('gives a file to every service whose glob matches', () => {
    assert.deepEqual(servicesForPath('packages/shared/http.ts', services), ['checkout', 'search']);
    assert.deepEqual(servicesForPath('tools/lint.ts', services), []);
  });

  it('answers for a pattern written to stall a backtracking matcher, against 5,000-character names (issue 12)', () => {
    const hostile: ServiceConfig[] = [{ name: 'payments', paths: ['services/payments/**', '**a**a**a**a**a**a**a**a**a**a**a**!'] }, ...services];
    const longFile = `services/search/${'a'.repeat(5000)}.ts`;
    assert.deepEqual(servicesForPath(longFile, hostile), ['search']);
    assert.deepEqual(servicesForPaths([longFile, `docs/${'a'.repeat(5000)}!`], hostile), ['payments', 'search']);
  });

  it('collects the services of a change in configuration order, once each', () => {
    assert.deepEqual(servicesForPaths(['services/search/a.ts', 'services/checkout/b.ts', 'services/search/c.ts'], services), ['checkout', 'search']);
  });
});
