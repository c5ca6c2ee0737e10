import type { Reward } from '../db/entities';

const PALETTE = ['#E8541E', '#F29D38', '#3A8F6B', '#3566C8', '#8E4FC2', '#C8355E'];

/** The images of a reward as stored (JSON list; rows older than the catalogue have imageUrl alone). */
export function storedImages(r: Pick<Reward, 'images' | 'imageUrl'>): string[] {
  if (r.images) {
    try {
      const v = JSON.parse(r.images) as unknown;
      if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
    } catch {
      /* a damaged list reads as none */
    }
  }
  return r.imageUrl ? [r.imageUrl] : [];
}

/** What the shelf shows: the reward's images, or a generated tile when it has none. */
export function rewardImages(r: Pick<Reward, 'id' | 'images' | 'imageUrl'>): { imageUrl: string; images: string[] } {
  const images = storedImages(r);
  return { imageUrl: images[0] ?? tileUrl(r.id), images };
}

export function tileUrl(rewardId: number): string {
  return `/api/v1/assets/rewards/${rewardId}.svg`;
}

/** A coloured tile with the title's first two characters: the fallback picture of a reward without images. */
export function tileSvg(rewardId: number, title: string): string {
  const color = PALETTE[rewardId % PALETTE.length]!;
  const glyph = [...title].slice(0, 2).join('').replace(/[<>&"']/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240"><rect width="240" height="240" rx="24" fill="${color}"/><circle cx="190" cy="50" r="80" fill="#fff" opacity="0.12"/><text x="120" y="140" font-size="64" text-anchor="middle" fill="#fff" font-family="sans-serif">${glyph}</text></svg>`;
}
