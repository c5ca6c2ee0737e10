import { anchorDeviationBp, anchorPointsFor, outsideAnchorBand } from '../../shared/src/rules/anchor-price';

const ANCHOR = { points: 100, fen: 100 };

describe('the anchor on the shelf', () => {
  test.each([
    // faceValueFen, anchor, points
    [2800, ANCHOR, 2800], // 价值 ¥28 -> 2,800 points
    [1000, ANCHOR, 1000],
    [1000, { points: 100, fen: 90 }, 1111], // 1111.1 rounded
    [5, { points: 100, fen: 90 }, 6], // 5.56 rounded
  ])('face %i fen at %j: %i points', (face, anchor, points) => expect(anchorPointsFor(face, anchor)).toBe(points));

  test.each([
    // pointsPrice, faceValueFen, deviation bp, outside ±20 %
    [1000, 1000, 0, false],
    [1200, 1000, 2000, false], // the edge is inside
    [1201, 1000, 2010, true],
    [800, 1000, -2000, false],
    [799, 1000, -2010, true],
    [100, 1000, -9000, true], // a 10-yuan voucher for 100 points
    [100, 0, null, true], // no face value: always listed
  ])('price %i for face %i fen: %s bp, outside %s', (price, face, bp, outside) => {
    expect(anchorDeviationBp(price, face, ANCHOR)).toBe(bp);
    expect(outsideAnchorBand(price, face, ANCHOR, 20)).toBe(outside);
  });
});
