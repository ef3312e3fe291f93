/**
 * The shop's accent colour, made safe to use: text on it is black or white, whichever reads
 * better, and where the accent itself is text or a border on white it is darkened until it meets
 * WCAG AA (4.5:1), so a shop's pale brand colour cannot make the widget unreadable.
 */
const channels = (hex: string): [number, number, number] | null => {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : null;
};

const luminance = ([r, g, b]: [number, number, number]): number => {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};

const contrast = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

const hex = (rgb: number[]): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

export interface Palette {
  /** Backgrounds of the launcher and primary buttons. */
  accent: string;
  /** Text on `accent`. */
  onAccent: string;
  /** The accent as text, links and focus ring on white. */
  accentText: string;
}

export const palette = (accentColor: string): Palette => {
  const rgb = channels(accentColor) ?? [31, 111, 235];
  const l = luminance(rgb);
  const onAccent = contrast(l, 1) >= contrast(l, 0) ? '#ffffff' : '#111111';
  let text = rgb;
  for (let i = 0; i < 20 && contrast(luminance(text), 1) < 4.5; i++) {
    text = text.map((c) => c * 0.85) as [number, number, number];
  }
  return { accent: hex(rgb), onAccent, accentText: hex(text) };
};
