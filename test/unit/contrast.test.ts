import { strict as assert } from 'node:assert';
import { contrastFindings, contrastRatio, effectiveBackground, parseColour, requiredRatio } from '../e2e/contrast';
import type { TextSample } from '../e2e/contrast';

const WHITE = { r: 255, g: 255, b: 255, a: 1 };
const BLACK = { r: 0, g: 0, b: 0, a: 1 };

function sample(color: string, backgrounds: string[], overrides: Partial<TextSample> = {}): TextSample {
  return { text: 'text', where: 'p', color, backgrounds, opacity: 1, fontSizePx: 13, fontWeight: 400, ...overrides };
}

describe('the e2e contrast check (WCAG 2)', () => {
  it('reads computed colours', () => {
    assert.deepEqual(parseColour('rgb(31, 31, 31)'), { r: 31, g: 31, b: 31, a: 1 });
    assert.deepEqual(parseColour('rgba(0, 120, 212, 0.5)'), { r: 0, g: 120, b: 212, a: 0.5 });
    assert.deepEqual(parseColour('#ff000080')?.a, 128 / 255);
    assert.equal(parseColour('color(display-p3 1 0 0)'), undefined);
  });

  it('computes the ratios WCAG gives for known pairs', () => {
    assert.equal(contrastRatio(WHITE, BLACK), 21);
    assert.equal(contrastRatio(WHITE, WHITE), 1);
    // #767676 on white is the classic 4.54:1, just enough for body text.
    assert.ok(Math.abs(contrastRatio(parseColour('#767676')!, WHITE) - 4.54) < 0.01);
  });

  it('composites translucent backgrounds from the root down', () => {
    const background = effectiveBackground(['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0.5)', 'rgb(255, 255, 255)'], BLACK);
    assert.deepEqual(background, { r: 127.5, g: 127.5, b: 127.5, a: 1 });
    assert.deepEqual(effectiveBackground(['rgba(0, 0, 0, 0)'], WHITE), WHITE, 'nothing painted: the canvas');
  });

  it('asks 4.5:1 of body text and 3:1 of large text', () => {
    assert.equal(requiredRatio({ fontSizePx: 13, fontWeight: 400 }), 4.5);
    assert.equal(requiredRatio({ fontSizePx: 19, fontWeight: 700 }), 3);
    assert.equal(requiredRatio({ fontSizePx: 19, fontWeight: 400 }), 4.5);
    assert.equal(requiredRatio({ fontSizePx: 24, fontWeight: 400 }), 3);
  });

  it('finds grey text on grey, faded text, and colours it cannot read; passes readable text', () => {
    const findings = contrastFindings(
      [
        sample('rgb(204, 204, 204)', ['rgb(31, 31, 31)']),
        sample('rgb(150, 150, 150)', ['rgb(128, 128, 128)']),
        sample('rgb(204, 204, 204)', ['rgb(31, 31, 31)'], { opacity: 0.3 }),
        sample('color(display-p3 1 0 0)', ['rgb(31, 31, 31)']),
        sample('rgb(118, 118, 118)', ['rgba(0, 0, 0, 0)'], { text: 'on the canvas' }),
      ],
      WHITE,
    );
    assert.deepEqual(
      findings.map((finding) => [finding.sample.color, finding.sample.opacity, finding.ratio < finding.required]),
      [
        ['rgb(150, 150, 150)', 1, true],
        ['rgb(204, 204, 204)', 0.3, true],
        ['color(display-p3 1 0 0)', 1, true],
      ],
    );
  });
});
