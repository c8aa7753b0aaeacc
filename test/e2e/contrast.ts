// Is the text in a page readable? For every element that shows text, the page reports its computed
// text colour, the background colours of it and its ancestors, its opacity and font; node composites
// the backgrounds into the colour the text is really drawn on and computes the WCAG 2 contrast ratio
// (relative luminance of sRGB). Body text needs 4.5:1, large text (24 px, or 18.66 px bold) 3:1.
// Disabled controls and decorative text (aria-hidden symbols next to their words) are exempt, as WCAG
// exempts them; text visually hidden for screen readers is not on screen.
import type { Locator } from 'playwright-core';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export interface TextSample {
  text: string;
  /** A CSS path short enough to find the element. */
  where: string;
  color: string;
  /** Background colours from the element up to the root, as computed. */
  backgrounds: string[];
  /** The product of the opacities of the element and its ancestors. */
  opacity: number;
  fontSizePx: number;
  fontWeight: number;
}

export interface ContrastFinding {
  sample: TextSample;
  ratio: number;
  required: number;
}

/** `rgb(1, 2, 3)`, `rgba(1, 2, 3, 0.5)`, `#rrggbb[aa]`; undefined for anything else (a colour function we do not read). */
export function parseColour(text: string): Rgba | undefined {
  const value = text.trim().toLowerCase();
  const functional = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(value);
  if (functional) {
    const alpha = functional[4] === undefined ? 1 : functional[4].endsWith('%') ? Number(functional[4].slice(0, -1)) / 100 : Number(functional[4]);
    return { r: Number(functional[1]), g: Number(functional[2]), b: Number(functional[3]), a: alpha };
  }
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(value);
  if (hex) {
    const n = Number.parseInt(hex[1], 16);
    return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255, a: hex[2] ? Number.parseInt(hex[2], 16) / 255 : 1 };
  }
  if (value === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  return undefined;
}

/** `top` drawn over an opaque `bottom` (source-over). */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a;
  return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1 };
}

/** WCAG 2 relative luminance of an opaque sRGB colour. */
export function relativeLuminance(colour: Rgba): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b);
}

export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The background the text sits on: the ancestors' backgrounds composited from the root down over
 * `canvas` (what shows when nothing is painted: the frame's own background).
 */
export function effectiveBackground(backgrounds: readonly string[], canvas: Rgba): Rgba {
  let colour = canvas;
  for (const text of [...backgrounds].reverse()) {
    const parsed = parseColour(text);
    if (parsed && parsed.a > 0) colour = over(parsed, colour);
  }
  return colour;
}

export function requiredRatio(sample: Pick<TextSample, 'fontSizePx' | 'fontWeight'>): number {
  const large = sample.fontSizePx >= 24 || (sample.fontSizePx >= 18.66 && sample.fontWeight >= 700);
  return large ? 3 : 4.5;
}

/** Every sample below its required ratio (colours that cannot be read are findings too, ratio 0). */
export function contrastFindings(samples: readonly TextSample[], canvas: Rgba): ContrastFinding[] {
  const findings: ContrastFinding[] = [];
  for (const sample of samples) {
    const background = effectiveBackground(sample.backgrounds, canvas);
    const text = parseColour(sample.color);
    const required = requiredRatio(sample);
    if (!text) {
      findings.push({ sample, ratio: 0, required });
      continue;
    }
    const ratio = contrastRatio(over({ ...text, a: text.a * sample.opacity }, background), background);
    if (ratio < required) findings.push({ sample, ratio, required });
  }
  return findings;
}

/**
 * What runs in the page: plain JavaScript in a string, because the TypeScript loader's helpers (esbuild's
 * `__name` for named functions) do not exist inside the page. Collects a sample for every visible
 * element with text of its own under `body`.
 */
const SAMPLE_SCRIPT = `(body) => {
  const samples = [];
  const describe = function (element) {
    const parts = [];
    for (let node = element; node && node !== body && parts.length < 4; node = node.parentElement) {
      const className = typeof node.className === 'string' && node.className.trim() ? '.' + node.className.trim().split(/\\s+/).join('.') : '';
      parts.unshift(node.tagName.toLowerCase() + className);
    }
    return parts.join(' > ');
  };
  const exempt = function (element) {
    for (let node = element; node; node = node.parentElement) {
      if (node.getAttribute('aria-hidden') === 'true') return true;
      if (node.disabled === true) return true;
      if (node.classList.contains('visually-hidden')) return true;
      if (node.hidden) return true;
    }
    return false;
  };
  for (const element of Array.from(body.querySelectorAll('*'))) {
    const own = Array.from(element.childNodes).filter((node) => node.nodeType === 3).map((node) => node.textContent || '').join('').trim();
    if (!own || exempt(element)) continue;
    const style = getComputedStyle(element);
    const rect = element.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || rect.width === 0 || rect.height === 0) continue;
    const backgrounds = [];
    let opacity = 1;
    for (let node = element; node; node = node.parentElement) {
      const nodeStyle = getComputedStyle(node);
      backgrounds.push(nodeStyle.backgroundColor);
      opacity *= Number(nodeStyle.opacity);
    }
    samples.push({ text: own.slice(0, 60), where: describe(element), color: style.color, backgrounds, opacity, fontSizePx: parseFloat(style.fontSize), fontWeight: Number(style.fontWeight) || 400 });
  }
  return samples;
}`;

/** Samples of every visible text in the frame `root` (a locator of its body) belongs to. */
export async function textSamples(root: Locator): Promise<TextSample[]> {
  // A string is evaluated as an expression: the function, then called with the element.
  return root.evaluate(`(${SAMPLE_SCRIPT})(document.body)`) as Promise<TextSample[]>;
}
