import { strict as assert } from 'node:assert';
import { tagPatternMatcher } from '../../src/core/deployments';
import { ANY_CHARACTER, GlobBuilder, anyCharacterBut, cachedCompiler, oneCharacter } from '../../src/core/glob';
import { pathMatches, servicePathMatcher } from '../../src/core/servicePaths';

// The regular expressions both syntaxes compiled to before glob.ts, kept here as the reference for
// ordinary patterns (on these, a regex answers at once): the new matcher must answer exactly as they did.
function previousServicePathRegExp(pattern: string): RegExp {
  let body = pattern.trim().replace(/\\/g, '/');
  if (body.endsWith('/')) body = body.slice(0, -1);
  const anchored = body.startsWith('/') || body.includes('/');
  body = body.replace(/^\//, '');
  let source = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '*') {
      if (body[i + 1] === '*') {
        const followedBySlash = body[i + 2] === '/';
        source += followedBySlash ? '(?:.*/)?' : '.*';
        i += followedBySlash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`${anchored ? '^' : '^(?:.*/)?'}${source}(?:/.*)?$`);
}

function previousTagRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') {
      while (pattern[i + 1] === '*') i++;
      source += '.*';
    } else if (char === '?') {
      source += '.';
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else {
      source += char.replace(/[.+^${}()|\\/\]]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

const SERVICE_PATTERNS = [
  'services/checkout/**',
  '/services/search/',
  'services/checkout',
  'packages/shared/**',
  '*.md',
  'deploy/*.yaml',
  'docs/**/*.md',
  '**/*.proto',
  '**/test/**',
  'src/?.ts',
  'src/a?c/*.ts',
  '**',
  '*',
  'lib/**/api/**',
  'lib/**api',
  'x**/y',
  '***/z',
  'a/**/b/**/c',
  'Makefile',
  '/README.md',
  'services\\checkout\\**',
  '  services/search/**  ',
  'weird[chars](1)+.ts',
  'v$1^2|3.ts',
];

const PATHS = [
  'services/checkout/pay.ts',
  'services/checkout/api/v2/pay.ts',
  'services/checkoutv2/pay.ts',
  'services/checkout',
  'services/search/query.ts',
  'vendor/services/search/query.ts',
  'README.md',
  'services/search/NOTES.md',
  'deploy/prod.yaml',
  'deploy/eu/prod.yaml',
  'docs/a.md',
  'docs/guide/deep/b.md',
  'docs/guide/deep/b.mdx',
  'proto/api.proto',
  'api.proto',
  'pkg/test/x_test.go',
  'test/x.go',
  'src/a.ts',
  'src/ab.ts',
  'src/abc/x.ts',
  'src/abc/d/x.ts',
  'lib/one/two/api/three.ts',
  'lib/api/three.ts',
  'lib/myapi',
  'lib/x/myapi/file',
  'xy',
  'x/y',
  'xa/b/y',
  'q/z',
  'z',
  'a/b/c',
  'a/x/b/y/c/d',
  'Makefile',
  'tools/Makefile',
  'weird[chars](1)+.ts',
  'src/weird[chars](1)+.ts',
  'v$1^2|3.ts',
  '',
  'packages/shared/http.ts',
];

const TAG_PATTERNS = ['v*', 'release-?.[0-9]*', 'rc[!0-9]', 'rc[^0-9]', 'checkout/v(1)+', 'v[0-9].*', '*-hotfix', '**', '*', 'v1.?.?', '[abc]x', '[]]', '[a-]z', '[!]x', 'unclosed[', 'a[z-a]b', '[a-c-e]'];
const TAGS = ['v1.2.3', 'v1/hotfix', 'xv1', 'release-4.2', 'release-4x2', 'release-4.x', 'rcx', 'rc1', 'rc', 'checkout/v(1)+', 'v9.0', 'v1.0-hotfix', 'v1.2.3', '', 'ax', 'dx', ']', '-z', 'az', 'qx', 'unclosed[', 'a-b', 'b', 'd', '-', 'e'];

describe('glob matching (core/glob.ts)', () => {
  describe('answers as the regular expressions did on ordinary patterns', () => {
    it('service paths (CODEOWNERS-style)', () => {
      for (const pattern of SERVICE_PATTERNS) {
        const previous = previousServicePathRegExp(pattern);
        for (const path of PATHS) {
          assert.equal(servicePathMatcher(pattern).test(path), previous.test(path), `${JSON.stringify(pattern)} against ${JSON.stringify(path)}`);
        }
      }
    });

    it('tag patterns (git-style)', () => {
      for (const pattern of TAG_PATTERNS) {
        if (pattern === 'a[z-a]b') continue; // the regex threw on a reversed range; see below
        const previous = previousTagRegExp(pattern);
        for (const tag of TAGS) {
          assert.equal(tagPatternMatcher(pattern).test(tag), previous.test(tag), `${JSON.stringify(pattern)} against ${JSON.stringify(tag)}`);
        }
      }
    });

    it('on 3,000 short random patterns and names over a small alphabet (seeded, so repeatable)', () => {
      let seed = 12345;
      const random = (below: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % below;
      };
      const pick = (alphabet: string[], length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
      for (let round = 0; round < 3000; round++) {
        const servicePattern = pick(['a', 'b', '/', '*', '**', '?'], 1 + random(6));
        const tagPattern = pick(['a', 'b', '/', '*', '?', '[ab]', '[!a]'], 1 + random(6));
        const previousService = previousServicePathRegExp(servicePattern);
        const previousTag = previousTagRegExp(tagPattern);
        for (let n = 0; n < 5; n++) {
          const name = pick(['a', 'b', '/'], random(9));
          assert.equal(servicePathMatcher(servicePattern).test(name), previousService.test(name), `service ${JSON.stringify(servicePattern)} against ${JSON.stringify(name)}`);
          assert.equal(tagPatternMatcher(tagPattern).test(name), previousTag.test(name), `tag ${JSON.stringify(tagPattern)} against ${JSON.stringify(name)}`);
        }
      }
    });
  });

  describe('patterns a repository may write to stall a naive matcher', () => {
    const longName = 'a'.repeat(5000);

    it('a service path with eleven ** against a 5,000-character file name', () => {
      const pattern = '**a**a**a**a**a**a**a**a**a**a**a**!';
      assert.equal(pathMatches(longName, pattern), false);
      assert.equal(pathMatches(`services/search/${longName}.ts`, pattern), false);
      // The same pattern still means what it says.
      assert.equal(pathMatches(`${longName}!`, pattern), true);
      assert.equal(pathMatches(`x/${'a'.repeat(11)}/y!`, pattern), true);
    });

    it('single-segment stars against a long name full of slashes', () => {
      const pattern = `${'*a/'.repeat(30)}*!`;
      assert.equal(pathMatches('a/'.repeat(2500), pattern), false);
    });

    it('a tag pattern of 24 stars against a 5,000-character tag', () => {
      const pattern = `${'*a'.repeat(24)}*!`;
      assert.equal(tagPatternMatcher(pattern).test(longName), false);
      assert.equal(tagPatternMatcher(pattern).test(`${longName}!`), true);
    });

    it('a tag pattern of classes and ? against a long tag', () => {
      const pattern = `${'*[a-z]?'.repeat(40)}!`;
      assert.equal(tagPatternMatcher(pattern).test(longName), false);
      assert.equal(tagPatternMatcher(pattern).test(`${'ab'.repeat(40)}!`), true);
    });
  });

  describe('character classes in tag patterns', () => {
    it('reads ranges, a leading or trailing -, and ] first', () => {
      assert.ok(tagPatternMatcher('v[0-9]').test('v7'));
      assert.ok(!tagPatternMatcher('v[0-9]').test('vx'));
      assert.ok(tagPatternMatcher('[a-]z').test('-z'));
      assert.ok(tagPatternMatcher('[]]').test(']'));
      assert.ok(tagPatternMatcher('[^a]').test('b'));
    });

    it('matches nothing with a reversed range, where the regular expression threw', () => {
      assert.throws(() => previousTagRegExp('a[z-a]b'));
      assert.equal(tagPatternMatcher('a[z-a]b').test('amb'), false);
      assert.equal(tagPatternMatcher('a[z-ax]b').test('axb'), true);
    });
  });

  describe('GlobBuilder', () => {
    it('runs, optional parts and their combination', () => {
      const matcher = new GlobBuilder()
        .optional((glob) => glob.run(ANY_CHARACTER).one(oneCharacter('/')))
        .literal('x')
        .run(anyCharacterBut('/'))
        .build();
      assert.ok(matcher.test('x'));
      assert.ok(matcher.test('xyz'));
      assert.ok(matcher.test('a/b/xyz'));
      assert.ok(!matcher.test('a/b/xy/z'));
      assert.ok(!matcher.test('a/b'));
      assert.ok(!matcher.test(''));
    });

    it('an empty pattern matches only the empty text', () => {
      const matcher = new GlobBuilder().build();
      assert.ok(matcher.test(''));
      assert.ok(!matcher.test('a'));
    });

    it('collapses a star next to a wider star without changing the answer', () => {
      const collapsed = new GlobBuilder().run(anyCharacterBut('/')).run(ANY_CHARACTER).literal('!').build();
      assert.ok(collapsed.test('a/b!'));
      assert.ok(collapsed.test('!'));
      assert.ok(!collapsed.test('a/b'));
    });
  });

  describe('cachedCompiler', () => {
    it('compiles a pattern once, and keeps only the most recent patterns', () => {
      const compiled: string[] = [];
      const compile = cachedCompiler((pattern) => {
        compiled.push(pattern);
        return new GlobBuilder().literal(pattern).build();
      }, 2);
      assert.ok(compile('a').test('a'));
      assert.ok(compile('a').test('a'));
      assert.deepEqual(compiled, ['a']);
      compile('b');
      compile('c'); // evicts "a"
      compile('c');
      compile('a');
      assert.deepEqual(compiled, ['a', 'b', 'c', 'a']);
    });
  });
});
