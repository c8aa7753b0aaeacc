import { strict as assert } from 'node:assert';
import { actionInput, booleanInput, failOnInput, tokenEnvironment } from '../../src/ci/action/actionInputs';
import { outputEntry } from '../../src/ci/action/actionOutputs';
import { parsePullRequestEvent } from '../../src/ci/action/pullRequestEvent';
import { environmentTokens } from '../../src/sources/remoteSources';

describe('the Action: inputs, outputs and the event payload', () => {
  it('reads inputs as the runner names them: INPUT_, upper case, spaces as underscores, hyphens kept', () => {
    const env = { 'INPUT_FAIL-ON': ' caution ', INPUT_MY_INPUT: 'x', INPUT_STRICT: 'True' };
    assert.equal(actionInput(env, 'fail-on'), 'caution');
    assert.equal(actionInput(env, 'my input'), 'x');
    assert.equal(actionInput(env, 'base'), '');
    assert.equal(booleanInput(env, 'strict'), true);
    assert.throws(() => booleanInput({ INPUT_STRICT: 'yes' }, 'strict'), /^ActionInputError: input strict is "yes": expected true or false$/);
  });

  it('raises fail-on to caution with strict, and refuses strict with never', () => {
    assert.equal(failOnInput({}), 'freeze');
    assert.equal(failOnInput({ 'INPUT_FAIL-ON': 'never' }), 'never');
    assert.equal(failOnInput({ 'INPUT_FAIL-ON': 'freeze', INPUT_STRICT: 'true' }), 'caution');
    assert.throws(() => failOnInput({ 'INPUT_FAIL-ON': 'never', INPUT_STRICT: 'true' }), /contradict/);
  });

  it("hands token inputs to the CLI's pinning: GITHUB_TOKEN to GITHUB_API_URL, others to their -origin", async () => {
    const env = {
      'INPUT_GITHUB-TOKEN': 'ghs_input',
      'INPUT_PROMETHEUS-TOKEN': 'prom',
      'INPUT_PROMETHEUS-TOKEN-ORIGIN': 'https://prometheus.example.com/',
      'INPUT_PAGERDUTY-TOKEN': '',
      RELIABILITY_LENS_PAGERDUTY_TOKEN: 'pd-from-env',
      GITHUB_API_URL: 'https://github.example.com/api/v3',
    };
    const tokens = environmentTokens(tokenEnvironment(env));
    assert.deepEqual(await tokens({ source: 'github', origin: 'https://evil.example' }), { value: 'ghs_input', origin: 'https://github.example.com' });
    assert.deepEqual(await tokens({ source: 'prometheus', origin: 'https://prometheus.example.com' }), { value: 'prom', origin: 'https://prometheus.example.com' });
    assert.equal(await tokens({ source: 'pagerduty', origin: 'https://api.pagerduty.com' }), 'pd-from-env', 'an empty input keeps the step environment');
    const badPin = environmentTokens(tokenEnvironment({ 'INPUT_PROMETHEUS-TOKEN': 'p', 'INPUT_PROMETHEUS-TOKEN-ORIGIN': 'prometheus:9090' }));
    await assert.rejects(badPin({ source: 'prometheus', origin: 'https://prometheus.example.com' }), /RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN is "prometheus:9090", which is not an http\(s\) URL/);
  });

  it('writes an output with a delimiter its value does not hold', () => {
    assert.equal(outputEntry('verdict', 'go', () => 'D1'), 'verdict<<D1\ngo\nD1\n');
    const delimiters = ['EOF', 'EOF', 'D2'];
    const value = 'a\nEOF\nverdict<<x\nb';
    const entry = outputEntry('reasons', value, () => delimiters.shift()!);
    assert.equal(entry, `reasons<<D2\n${value}\nD2\n`);
    assert.match(outputEntry('services', '[]'), /^services<<ghadelimiter_[0-9a-f-]{36}\n\[\]\nghadelimiter_[0-9a-f-]{36}\n$/);
    assert.throws(() => outputEntry('a\nb', 'x'), /not an output name/);
  });

  it("reads the pull request's number, base, head and label names from the payload, and null for other events", () => {
    const payload = { pull_request: { number: 7, base: { ref: 'main' }, head: { sha: 'a'.repeat(40) }, labels: [{ name: 'reliability-exempt' }, { name: 'x' }], extra: 1 } };
    assert.deepEqual(parsePullRequestEvent(JSON.stringify(payload), 'event.json'), { number: 7, baseRef: 'main', headSha: 'a'.repeat(40), labels: ['reliability-exempt', 'x'] });
    assert.equal(parsePullRequestEvent('{"ref":"refs/heads/main"}', 'event.json'), null);
    assert.throws(() => parsePullRequestEvent('{', 'event.json'), /^EventPayloadError: the event payload event.json is not JSON: /);
    assert.throws(() => parsePullRequestEvent(JSON.stringify({ pull_request: { ...payload.pull_request, labels: [{ name: 3 }] } }), 'e.json'), /pull_request\.labels\.0\.name: /);
  });
});
